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
    use_context::<Parts>().and_then(|p| super::session::token_from_headers(&p.headers))
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}
