use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/account/email`: the current password and the new login e-mail. Sends a
/// confirmation link to the NEW address; the change happens only when it is opened (R2).
#[server(prefix = "/api", endpoint = "account/email")]
pub async fn request_email_change(current: String, email: String) -> Result<(), AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    let token = boundary::session_token();
    verification::request_email_change(&st, token.as_deref(), &current, &email).await
}
