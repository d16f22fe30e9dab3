//! Security headers (#9) on the real router: a Content-Security-Policy whose nonce is the one
//! on every inline script of the page, HSTS only behind https, Permissions-Policy, and
//! cross-site POSTs to server functions refused by `Sec-Fetch-Site` and by `Origin`.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{audit_log, sessions};
use common::{session_cookie, Backend, TestApp, DEMO_PASSWORD};

/// The nonce named in a CSP header's script-src.
fn csp_nonce(res: &reqwest::Response) -> String {
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    let start = csp.find("'nonce-").expect("a nonce in script-src") + "'nonce-".len();
    let rest = &csp[start..];
    rest[..rest.find('\'').unwrap()].to_string()
}

/// Every `<script …>` start tag in a page.
fn script_tags(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

/// Fetches `path` and checks the policy, and that every inline script carries its nonce.
/// Returns the nonce.
async fn page_nonce(app: &TestApp, path: &str, cookie: Option<&str>) -> String {
    let res = app.get(path, cookie).await;
    let status = res.status();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{path}: {directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp_nonce(&res);
    assert!(nonce.len() >= 16, "{nonce}");
    let html = res.text().await.unwrap();
    let tags = script_tags(&html);
    assert!(
        tags.iter().any(|t| !t.contains(" src=")),
        "{path} ({status}): the hydration script is inline: {html}"
    );
    for tag in tags {
        if !tag.contains(" src=") {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: inline script without the header's nonce: {tag}"
            );
        }
    }
    // Leptos writes no style attributes, which `style-src 'self'` would block.
    assert!(!html.contains(" style="), "{path}: inline style in {html}");
    nonce
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_a_csp_whose_nonce_is_on_its_inline_scripts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let a = page_nonce(&app, "/login", None).await;
    let b = page_nonce(&app, "/login", None).await;
    assert_ne!(a, b, "a fresh nonce per response");
    page_nonce(&app, "/contact", None).await;
    // Signed-in pages stream resources: their scripts carry the nonce too.
    let token = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
    page_nonce(&app, "/", Some(&token)).await;
    page_nonce(&app, "/account", Some(&token)).await;
    page_nonce(&app, "/orders", Some(&token)).await;
    // The fallback (404) page renders through another handler: the same nonce there.
    page_nonce(&app, "/no-such-page", Some(&token)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_policy_everywhere_and_hsts_only_behind_https() {
    let http = TestApp::spawn(Backend::Sqlite).await;
    let res = http.get("/login", None).await;
    let pp = res.headers()["permissions-policy"].to_str().unwrap();
    for f in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
    ] {
        assert!(pp.contains(f), "{f} in {pp}");
    }
    assert!(res.headers().get("strict-transport-security").is_none());
    assert_eq!(res.headers()["x-frame-options"], "DENY");

    let https = TestApp::spawn_with_config(Backend::Sqlite, |c| {
        c.public_url = "https://daiko.example.jp".into();
    })
    .await;
    for path in ["/login", "/pkg/daiko.css", "/api/auth/me"] {
        let res = https.get(path, None).await;
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
        assert!(res.headers().contains_key("permissions-policy"), "{path}");
    }
}

async fn login_with(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app
        .http
        .post(app.url("/api/auth/login"))
        .form(&[("email", "hansha@example.jp"), ("password", DEMO_PASSWORD)]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_to_server_functions_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let origin = app.state().config.public_origin();
    assert_eq!(origin, "http://127.0.0.1:3000");
    let before = (
        app.count(sessions::Entity).await,
        app.count(audit_log::Entity).await,
    );

    let refused: [&[(&str, &str)]; 5] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        // The right host and port, the wrong scheme.
        &[("origin", "https://127.0.0.1:3000")],
        &[("origin", "http://127.0.0.1:3001")],
        &[
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site"),
        ],
    ];
    for headers in refused {
        let res = login_with(&app, headers).await;
        assert_eq!(res.status(), 403, "{headers:?}");
        assert!(session_cookie(&res).is_none());
        let body = res.text().await.unwrap();
        assert!(body.contains("別のサイトからの送信"), "{body}");
    }
    assert_eq!(
        (
            app.count(sessions::Entity).await,
            app.count(audit_log::Entity).await
        ),
        before,
        "nothing was done: no session, no audit entry"
    );

    // A signed-in customer's cookie does not help a cross-site form either.
    let token = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
    let other = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
    let res = app
        .http
        .post(app.url("/api/account/sessions/end-others"))
        .header("cookie", format!("daiko_session={token}"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.get("/", Some(&other)).await.status(),
        200,
        "still alive"
    );

    // The site itself: accepted.
    let res = login_with(
        &app,
        &[("origin", &origin), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(session_cookie(&res).is_some());
    let res = login_with(&app, &[("sec-fetch-site", "none")]).await;
    assert_eq!(res.status(), 200, "typed by the user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dev_outbox_page_exists_only_with_the_outbox() {
    let off = TestApp::spawn(Backend::Sqlite).await;
    assert!(!off.state().config.dev_outbox);
    let res = off.get("/dev/outbox", None).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("お探しのページは見つかりませんでした。"));
    assert!(!html.contains("送信箱"), "not the outbox page: {html}");

    let on = TestApp::spawn_with_config(Backend::Sqlite, |c| c.dev_outbox = true).await;
    let res = on.get("/dev/outbox", None).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("開発用送信箱"));
}
