//! The server-function boundary: state and cookies in and out. Status codes for errors are
//! set once, in the router's `error_status` layer.
use super::state::AppState;
use crate::error::AppError;
use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The session token sent with the current request.
pub fn session_token() -> Option<String> {
    cookie(super::session::COOKIE_NAME)
}

/// A cookie sent with the current request.
pub fn cookie(name: &str) -> Option<String> {
    use_context::<Parts>().and_then(|p| super::session::cookie_from_headers(&p.headers, name))
}

/// A request header as text, if present and readable.
pub fn header(name: header::HeaderName) -> Option<String> {
    use_context::<Parts>().and_then(|p| {
        p.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// The client's address as the socket saw it (proxies are not trusted by default).
pub fn client_address() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}
