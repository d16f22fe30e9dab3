use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/verify/email`: confirms the change of login e-mail from the link's page. The
/// old address is told; every other session ends.
#[server(prefix = "/api", endpoint = "verify/email")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    let keep = boundary::session_token();
    verification::complete_change_email(&st, &token, keep.as_deref()).await
}
