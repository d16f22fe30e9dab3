use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/password`: the new password (twice) and, optionally, a new login
/// e-mail (confirmed by a link sent to it), allowed by the cookie from `/api/recovery/verify`.
/// Never logs in: every session ends and the customer logs in anew.
#[server(prefix = "/api", endpoint = "recovery/password")]
pub async fn set_reset_password(
    password: String,
    confirm: String,
    new_email: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let grant = boundary::cookie(recovery::GRANT_COOKIE).ok_or(AppError::ResetExpired)?;
    let choice = recovery::ResetChoice {
        password: &password,
        confirm: &confirm,
        new_email: new_email.as_deref(),
    };
    let email_requested = recovery::complete_reset(&st, &grant, choice).await?;
    boundary::set_cookie(&recovery::clear_grant_cookie(st.config.secure_cookies()));
    leptos_axum::redirect(if email_requested {
        "/contact/done?email=1"
    } else {
        "/contact/done"
    });
    Ok(())
}
