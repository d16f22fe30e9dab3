use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/password`: the new password (twice), allowed by the cookie from
/// `/api/recovery/verify`. Never logs in: every session ends and the customer logs in anew.
#[server(prefix = "/api", endpoint = "recovery/password")]
pub async fn set_reset_password(password: String, confirm: String) -> Result<(), AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let grant = boundary::cookie(recovery::GRANT_COOKIE).ok_or(AppError::ResetExpired)?;
    recovery::set_password(&st, &grant, &password, &confirm).await?;
    boundary::set_cookie(&recovery::clear_grant_cookie(st.config.secure_cookies()));
    leptos_axum::redirect("/contact/done");
    Ok(())
}
