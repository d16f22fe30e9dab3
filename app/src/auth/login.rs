use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/auth/login`: e-mail + password; on success a new session cookie and a
/// redirect to the top page.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::server::{boundary, session};
    let st = boundary::state()?;
    let presented = boundary::session_token();
    let token = crate::server::auth::login(&st, &email, &password, presented.as_deref()).await?;
    // The browser description shown on /account, and the idle limit from the start.
    let user_agent = boundary::header(axum::http::header::USER_AGENT);
    session::record_login(&st, &token, user_agent.as_deref()).await?;
    boundary::set_cookie(&session::set_cookie(
        &token,
        st.config.session_ttl,
        st.config.secure_cookies(),
    ));
    leptos_axum::redirect("/");
    Ok(())
}
