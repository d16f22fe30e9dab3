use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/verify-by-id`: お客様ID + PIN, for a PIN the customer received after
/// staff started the reset (no PIN-page link). Then as `/api/recovery/verify`.
#[server(prefix = "/api", endpoint = "recovery/verify-by-id")]
pub async fn verify_reset_pin_by_id(customer_code: String, pin: String) -> Result<(), AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let grant = recovery::verify_by_id(&st, &customer_code, &pin).await?;
    boundary::set_cookie(&recovery::grant_cookie(&grant, st.config.secure_cookies()));
    leptos_axum::redirect("/contact/new-password");
    Ok(())
}
