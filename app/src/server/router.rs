//! The axum router: Leptos pages and server functions, the page guard and security headers.
use super::{session, state::AppState};
use crate::error::AppError;
use crate::{shell, App};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// Pages anyone may open; everything else needs a session.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/contact"
        || path.starts_with("/contact/")
        || path == "/dev/outbox"
        || path.starts_with("/verify/")
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/favicon.ico"
        || path == "/healthz"
}

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let opts = state.leptos_options.clone();
    let mut router = Router::new();
    if state.config.test_clock {
        router = router.route(
            "/api/test/clock",
            axum::routing::post(super::test_clock::handle),
        );
    }
    router
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        // PDFs: behind the page guard (a session is required); each handler checks who may
        // see which document.
        .route(
            "/documents/delivery-note/{file}",
            axum::routing::get(super::documents::delivery_note_pdf),
        )
        .route(
            "/documents/rebate/{file}",
            axum::routing::get(super::documents::rebate_pdf),
        )
        .route(
            "/api/twilio/status",
            axum::routing::post(super::twilio_status::handle),
        )
        .leptos_routes(&state, routes, move || shell(opts.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Sends a browser without a live session to the login page before any page renders, and
/// refuses cross-site POSTs to server functions (defence in depth beside SameSite=Lax).
async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() == Method::POST && path.starts_with("/api/") && !same_origin(&req) {
        return (
            StatusCode::FORBIDDEN,
            "別のサイトからの送信は受け付けられません。",
        )
            .into_response();
    }
    if is_public(path) {
        return next.run(req).await;
    }
    let live = match session::token_from_headers(req.headers()) {
        Some(t) => match session::find(&st.db, &t, st.clock.now()).await {
            Ok(s) => s.is_some(),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "システムエラーが発生しました。",
                )
                    .into_response();
            }
        },
        None => false,
    };
    if live {
        next.run(req).await
    } else {
        Redirect::to("/login").into_response()
    }
}

fn same_origin(req: &Request) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true; // non-browser clients and same-origin GET-style posts send none
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .map(|(_, h)| h == host)
        .unwrap_or(false)
}

/// Gives every server-function error its HTTP status, in one place: server_fn answers every
/// error with 500, including arguments that fail to parse before our code runs.
async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "システムエラーが発生しました。",
            )
                .into_response()
        }
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn security_headers(req: Request, next: Next) -> Response {
    // Built assets have content-hashed or versioned names and may be cached; pages may not.
    let cacheable = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !cacheable && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn only_login_and_assets_are_public() {
        assert!(is_public("/login"));
        assert!(is_public("/pkg/daiko.js"));
        assert!(is_public("/api/auth/login"));
        assert!(!is_public("/"));
        assert!(!is_public("/login/../"));
        assert!(!is_public("/account"));
        assert!(!is_public("/account/register-login"));
        assert!(is_public("/verify/abc"));
    }
}
