use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/recovery/verify`: the PIN for challenge `id`. Right: an HttpOnly cookie that
/// allows one password change within 15 minutes, and a redirect to the password form.
#[server(prefix = "/api", endpoint = "recovery/verify")]
pub async fn verify_reset_pin(id: String, pin: String) -> Result<(), AppError> {
    use crate::server::{boundary, recovery};
    let st = boundary::state()?;
    let grant = recovery::verify(&st, &id, &pin).await?;
    boundary::set_cookie(&recovery::grant_cookie(&grant, st.config.secure_cookies()));
    leptos_axum::redirect("/contact/new-password");
    Ok(())
}
