use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/account/register-login`: お客様ID + e-mail of a downline customer without a
/// login (R1). Allowed for the customer's uplines and for 全国販社; only the verification mail
/// goes out, and the customer chooses the password.
#[server(prefix = "/api", endpoint = "account/register-login")]
pub async fn register_login(customer_code: String, email: String) -> Result<(), AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    let token = boundary::session_token();
    verification::register_login(&st, token.as_deref(), &customer_code, &email).await
}
