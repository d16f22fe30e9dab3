use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/auth/logout`: ends the session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{boundary, session};
    let st = boundary::state()?;
    if let Some(token) = boundary::session_token() {
        crate::server::auth::logout(&st, &token).await?;
    }
    boundary::set_cookie(&session::clear_cookie(st.config.secure_cookies()));
    leptos_axum::redirect("/login");
    Ok(())
}
