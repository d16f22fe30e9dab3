//! The axum router: Leptos pages and server functions, the page guard and security headers.
use super::{config::Config, session, state::AppState};
use crate::error::AppError;
use crate::{shell, App};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::set_header::SetResponseHeaderLayer;

/// Browser features no page uses, switched off for every page and anything it embeds.
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
    serial=(), hid=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), \
    display-capture=()";

const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Pages anyone may open; everything else needs a session.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/contact"
        || path.starts_with("/contact/")
        || path == "/dev/outbox"
        || path.starts_with("/verify/")
        || path.starts_with("/api/")
        || path == "/healthz"
        || super::assets::is_asset(path)
}

pub fn build(state: AppState) -> Router {
    let mut routes = generate_route_list(App);
    let opts = state.leptos_options.clone();
    let mut router = Router::new();
    if state.config.test_clock {
        router = router.route(
            "/api/test/clock",
            axum::routing::post(super::test_clock::handle),
        );
    }
    if !state.config.dev_outbox {
        // Without the outbox the page does not exist: a real 404 with a plain page, rather
        // than the outbox page rendered around its server function's NotFound.
        routes.retain(|r| r.path() != "/dev/outbox");
        let css = super::assets::stylesheet_href(&opts);
        router = router.route(
            "/dev/outbox",
            axum::routing::get(move || not_found_page(css.clone())),
        );
    }
    let mut router = router
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        // PDFs: behind the page guard (a session is required); each handler checks who may
        // see which document.
        .route(
            "/documents/delivery-note/{file}",
            axum::routing::get(super::documents::delivery_note_pdf),
        )
        .route(
            "/documents/rebate/{file}",
            axum::routing::get(super::documents::rebate_file),
        )
        .route(
            "/documents/customers.csv",
            axum::routing::get(super::customers_export::customers_csv),
        )
        .route(
            "/documents/orders.csv",
            axum::routing::get(super::order_admin::export::orders_csv),
        )
        .route(
            "/api/twilio/status",
            axum::routing::post(super::twilio_status::handle),
        )
        .leptos_routes_with_context(&state, routes, use_request_nonce, move || {
            shell(opts.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(use_request_nonce, shell))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(middleware::from_fn(security_headers))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
    // Only behind https: over plain http (development) the header is ignored anyway, and a
    // mistaken one on a shared host name would pin browsers to https for a year.
    if state.config.secure_cookies() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router.with_state(state)
}

/// Gives the render the nonce that `security_headers` put in the request and in the CSP
/// header (leptos_axum makes a fresh one per render otherwise, which the header would not
/// know). `HydrationScripts` and leptos_meta read it from the context.
fn use_request_nonce() {
    if let Some(n) = use_context::<Parts>().and_then(|p| p.extensions.get::<Nonce>().cloned()) {
        provide_context(n);
    }
}

async fn not_found_page(css: String) -> Response {
    let msg = AppError::NotFound.message();
    let html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{msg}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><div class=\"login-page\"><div class=\"login-card\">\
         <p class=\"error-box\" role=\"alert\">{msg}</p><a href=\"/\">トップへ戻る</a>\
         </div></div></body></html>"
    );
    (StatusCode::NOT_FOUND, Html(html)).into_response()
}

/// Sends a browser without a live session to the login page before any page renders, counts
/// every request with a live session as activity (the idle limit), and refuses cross-site
/// POSTs to server functions (defence in depth beside SameSite=Lax).
async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() == Method::POST
        && path.starts_with("/api/")
        && cross_site(&st.config, req.headers())
    {
        tracing::warn!(path, "cross-site POST refused");
        return (
            StatusCode::FORBIDDEN,
            "別のサイトからの送信は受け付けられません。",
        )
            .into_response();
    }
    let public = is_public(path);
    // Assets are not activity (and need no database round trip).
    let asset = super::assets::is_asset(path) || path == "/healthz";
    let live = match session::token_from_headers(req.headers()).filter(|_| !asset) {
        Some(t) => match session::find_and_touch(&st, &t).await {
            Ok(s) => s.is_some(),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                if !public {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "システムエラーが発生しました。",
                    )
                        .into_response();
                }
                false
            }
        },
        None => false,
    };
    if live || public {
        next.run(req).await
    } else {
        Redirect::to("/login").into_response()
    }
}

/// Is this POST from another site? Browsers say so in `Sec-Fetch-Site`: only `same-origin`
/// and `none` (typed by the user) pass; `same-site` is refused too, because a sibling host
/// under the same registrable domain is not us. Older browsers send only `Origin`, which
/// must be `DAIKO_PUBLIC_URL`'s origin exactly: scheme, host and port. A request with neither
/// header is not from a browser page, so carries no ambient cookie risk from a form.
fn cross_site(config: &Config, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.to_str(), Ok("same-origin" | "none")) {
            return true;
        }
    }
    match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => match origin.to_str() {
            Ok(o) => super::config::origin_of(o.trim()) != config.public_origin(),
            Err(_) => true,
        },
    }
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

/// The Content-Security-Policy of a response whose inline scripts carry `nonce`. Leptos
/// writes no inline styles or style attributes, so styles come from our stylesheet only.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The per-response CSP nonce (put in the request for the render, and in the header), and
/// the cache rule.
async fn security_headers(mut req: Request, next: Next) -> Response {
    // Built assets get their cache rule by name (hashed: immutable); pages are never stored.
    let path = req.uri().path();
    let asset = super::assets::is_asset(path).then(|| super::assets::cache_control(path));
    let nonce = Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    // A missing asset must not be remembered for a year.
    let found = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    match HeaderValue::from_str(&content_security_policy(&nonce)) {
        Ok(v) => {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        // The nonce is URL-safe base64, so this cannot happen; without it no inline script
        // would run, so fail closed with a policy that allows none.
        Err(_) => {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'self'; object-src 'none'"),
            );
        }
    }
    match asset.filter(|_| found) {
        Some(rule) => {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
            // The same URL answers brotli, gzip or plain by Accept-Encoding.
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        None if !h.contains_key(header::CACHE_CONTROL) => {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        None => {}
    }
    res
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, cross_site, is_public};
    use crate::server::config::Config;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let c = Config::from_lookup(|k| {
            (k == "DAIKO_PUBLIC_URL")
                .then(|| "https://daiko.example.jp".to_string())
                .or_else(|| (k == "DAIKO_SECRET").then(|| "x".repeat(32)))
        })
        .unwrap();
        assert!(
            !cross_site(&c, &headers(&[])),
            "no browser headers: not a page"
        );
        assert!(!cross_site(
            &c,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!cross_site(&c, &headers(&[("sec-fetch-site", "none")])));
        assert!(cross_site(
            &c,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(cross_site(&c, &headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(
            &c,
            &headers(&[("origin", "https://daiko.example.jp")])
        ));
        assert!(!cross_site(
            &c,
            &headers(&[("origin", "https://daiko.example.jp:443")])
        ));
        assert!(cross_site(
            &c,
            &headers(&[("origin", "http://daiko.example.jp")])
        ));
        assert!(cross_site(
            &c,
            &headers(&[("origin", "https://daiko.example.jp:8443")])
        ));
        assert!(cross_site(
            &c,
            &headers(&[("origin", "https://evil.example")])
        ));
        assert!(cross_site(&c, &headers(&[("origin", "null")])));
        assert!(cross_site(
            &c,
            &headers(&[
                ("origin", "https://daiko.example.jp"),
                ("sec-fetch-site", "same-site")
            ])
        ));
    }

    #[test]
    fn the_policy_names_the_nonce_and_no_unsafe_inline() {
        let p = content_security_policy("abc123");
        assert!(p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!p.contains("unsafe-inline"));
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(p.contains(d), "{d}");
        }
    }

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
