use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/resend`: sends the same PIN again (after 60 s, at most 5 sends).
#[server(prefix = "/api", endpoint = "recovery/resend")]
pub async fn resend_reset_pin(id: String) -> Result<(), AppError> {
    let st = crate::server::boundary::state()?;
    crate::server::recovery::resend(&st, &id).await
}
