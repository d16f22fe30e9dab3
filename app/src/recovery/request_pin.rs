use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/request`: お客様ID + channel (`voice` / `sms` / `mail`) + the registered
/// phone number or e-mail. Always answers with a redirect to a PIN page, match or not.
#[server(prefix = "/api", endpoint = "recovery/request")]
pub async fn request_reset_pin(
    customer_code: String,
    channel: String,
    destination: String,
) -> Result<(), AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let req = recovery::ResetRequest::parse(&customer_code, &channel, &destination)?;
    let id = recovery::request_pin(
        &st,
        req,
        &boundary::client_address(),
        recovery::Origin::Customer,
    )
    .await?;
    leptos_axum::redirect(&format!("/contact/pin/{id}"));
    Ok(())
}
