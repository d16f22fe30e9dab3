use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/verify/password`: the password the customer chose on the page of a
/// `set_login` link (twice). Registers the login; never logs in; the link is single use.
#[server(prefix = "/api", endpoint = "verify/password")]
pub async fn set_login_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    verification::complete_set_login(&st, &token, &password, &confirm).await
}
