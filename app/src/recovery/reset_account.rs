use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// What the reset form may show of the login, after a right PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetAccount {
    /// `t***@example.jp`: never the whole address.
    pub masked_email: String,
}

/// `GET /api/recovery/grant`: the login e-mail, masked, for the holder of the `daiko_reset`
/// cookie (unused, unexpired); `ResetExpired` (400) otherwise.
#[server(name = ResetAccountFn, prefix = "/api", endpoint = "recovery/grant", input = GetUrl)]
pub async fn reset_account() -> Result<ResetAccount, AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let grant = boundary::cookie(recovery::GRANT_COOKIE).ok_or(AppError::ResetExpired)?;
    let masked_email = recovery::masked_login_email(&st, &grant).await?;
    Ok(ResetAccount { masked_email })
}
