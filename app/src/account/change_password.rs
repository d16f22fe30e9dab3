use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/account/password`: the current password and the new one (twice). Ends every
/// other session of the login and tells the customer by mail (R2).
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    let token = boundary::session_token();
    verification::change_password(&st, token.as_deref(), &current, &password, &confirm).await
}
