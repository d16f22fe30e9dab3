//! Login, logout, sessions and the login limits, over HTTP against SQLite and PostgreSQL.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{audit_log, customers, limit_events, logins, sessions};
use common::{session_cookie, Backend, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

async fn for_each_backend<F, Fut>(f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in BACKENDS {
        eprintln!("--- backend {b:?}");
        f(TestApp::spawn(b).await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_safe_cookie_and_shows_the_customer_id() {
    for_each_backend(|app| async move {
        let res = app.login("Hansha@Example.jp ", DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200);
        let set_cookie: Vec<_> = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let c = set_cookie
            .iter()
            .find(|c| c.starts_with("daiko_session="))
            .expect("cookie");
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"),
            "{c}"
        );
        let token = session_cookie(&res).unwrap();

        let me: serde_json::Value = app
            .get("/api/auth/me", Some(&token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["customer_code"], "10000030");
        assert_eq!(me["screen"], "Primary");
        assert!(
            me.get("email").is_none(),
            "the e-mail never reaches the page"
        );

        let page = app.get("/", Some(&token)).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("10000030") && html.contains("theme-screen1"),
            "header carries the お客様ID and the theme"
        );

        let anon = app.get("/", None).await;
        assert!(anon.status().is_redirection());
        assert_eq!(anon.headers()["location"], "/login");
        let me: serde_json::Value = app.get("/api/auth/me", None).await.json().await.unwrap();
        assert!(me.is_null());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screen2_customers_get_the_green_theme() {
    for_each_backend(|app| async move {
        let token = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let html = app.get("/", Some(&token)).await.text().await.unwrap();
        assert!(html.contains("theme-screen2") && html.contains("10000070"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_email_and_wrong_password_are_indistinguishable() {
    for_each_backend(|app| async move {
        let mut seen = Vec::new();
        let mut timings = Vec::new();
        for (email, pw) in [
            ("hansha@example.jp", "wrong-password-1"),
            ("nobody@example.jp", "wrong-password-1"),
        ] {
            let t = std::time::Instant::now();
            let res = app.login(email, pw).await;
            timings.push(t.elapsed());
            let status = res.status();
            let has_cookie = res.headers().get("set-cookie").is_some();
            let body = res.text().await.unwrap();
            seen.push((status, has_cookie, body));
        }
        assert_eq!(seen[0], seen[1]);
        assert_eq!(seen[0].0, 401);
        assert!(!seen[0].1);
        assert!(seen[0].2.contains("InvalidCredentials"));
        eprintln!(
            "timing: wrong password {:?}, unknown e-mail {:?}",
            timings[0], timings[1]
        );
        // A customer whose login is not yet verified answers the same way (R1).
        let l = logins::Entity::find()
            .filter(logins::Column::Email.eq("ippan@example.jp"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut am: logins::ActiveModel = l.into();
        am.email_verified_at = Set(None);
        am.update(&app.db).await.unwrap();
        let res = app.login("ippan@example.jp", DEMO_PASSWORD).await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.text().await.unwrap(), seen[0].2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_101st_failed_login_in_an_hour_is_refused() {
    for_each_backend(|app| async move {
        for i in 1..=100 {
            let res = app.login("dairiten@example.jp", "not-the-password").await;
            assert_eq!(res.status(), 401, "attempt {i}");
        }
        let res = app.login("dairiten@example.jp", "not-the-password").await;
        assert_eq!(res.status(), 429);
        let body = res.text().await.unwrap();
        assert!(body.contains("TooManyAttempts"), "{body}");
        // Locked means locked: the right password is refused too, with the same message.
        let res = app.login("dairiten@example.jp", DEMO_PASSWORD).await;
        assert_eq!(res.status(), 429);
        // Other accounts are unaffected.
        app.login_token("taiki@example.jp", DEMO_PASSWORD).await;
        // An hour later the window has passed.
        app.advance(3601);
        app.login_token("dairiten@example.jp", DEMO_PASSWORD).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_a_second_login_for_one_customer() {
    for_each_backend(|app| async move {
        let c = customers::Entity::find().filter(customers::Column::CustomerCode.eq("10000030")).one(&app.db).await.unwrap().unwrap();
        let now = chrono::Utc::now();
        let second = logins::ActiveModel {
            customer_id: Set(c.id),
            email: Set("second-login@example.jp".into()),
            password_hash: Set(None),
            email_verified_at: Set(None),
            password_changed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let err = second.insert(&app.db).await.expect_err("second login must be refused");
        let msg = err.to_string().to_lowercase();
        assert!(msg.contains("unique") || msg.contains("duplicate"), "{msg}");
        // Raw SQL too: the rule is the database's, not the ORM's.
        let raw = app
            .db
            .execute_unprepared(&format!(
                "INSERT INTO logins (customer_id, email, created_at, updated_at) VALUES ({}, 'raw@example.jp', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
                c.id
            ))
            .await;
        assert!(raw.is_err());
        // And one e-mail cannot belong to two customers.
        let other = customers::Entity::find().filter(customers::Column::CustomerCode.eq("10000090")).one(&app.db).await.unwrap().unwrap();
        let dup = logins::ActiveModel {
            customer_id: Set(other.id),
            email: Set("hansha@example.jp".into()),
            password_hash: Set(None),
            email_verified_at: Set(None),
            password_changed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        assert!(dup.insert(&app.db).await.is_err());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server_and_login_rotates_it() {
    for_each_backend(|app| async move {
        let first = app.login_token("ultra@example.jp", DEMO_PASSWORD).await;
        // Logging in again from the same browser replaces the session id.
        let res = app
            .post_form(
                "/api/auth/login",
                &[("email", "ultra@example.jp"), ("password", DEMO_PASSWORD)],
                Some(&first),
            )
            .await;
        assert_eq!(res.status(), 200);
        let second = session_cookie(&res).unwrap();
        assert_ne!(first, second);
        let me: serde_json::Value = app
            .get("/api/auth/me", Some(&first))
            .await
            .json()
            .await
            .unwrap();
        assert!(me.is_null(), "the old session id is dead");

        let res = app.post_form("/api/auth/logout", &[], Some(&second)).await;
        assert_eq!(res.status(), 200);
        let cleared = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().contains("Max-Age=0"));
        assert!(cleared);
        // The stolen cookie is worthless after logout.
        let me: serde_json::Value = app
            .get("/api/auth/me", Some(&second))
            .await
            .json()
            .await
            .unwrap();
        assert!(me.is_null());
        assert!(app.get("/", Some(&second)).await.status().is_redirection());
        assert_eq!(app.count(sessions::Entity).await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.login_token("ultra@example.jp", DEMO_PASSWORD).await;
    app.advance(12 * 3600 + 1);
    let me: serde_json::Value = app
        .get("/api/auth/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_login_input_gets_a_japanese_message_and_writes_nothing() {
    for_each_backend(|app| async move {
        let long = "a".repeat(10 * 1024);
        let long_email = format!("{long}@example.jp");
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (
                vec![("email", ""), ("password", "x")],
                "メールアドレスを入力してください",
            ),
            (
                vec![("email", "   "), ("password", "x")],
                "メールアドレスを入力してください",
            ),
            (
                vec![("email", "hansha@example.jp"), ("password", "")],
                "パスワードを入力してください",
            ),
            (vec![("email", &long_email), ("password", "x")], "文字以内"),
            (
                vec![("email", "hansha@example.jp"), ("password", &long)],
                "文字以内",
            ),
            (
                vec![("email", "hansha@example.jp\u{7}"), ("password", "x")],
                "使用できない文字",
            ),
            (
                vec![
                    ("email", "hansha@example.jp"),
                    ("password", "pass\u{0}word"),
                ],
                "使用できない文字",
            ),
            (
                vec![("email", "' OR '1'='1' --"), ("password", "x")],
                "形式が正しくありません",
            ),
            (
                vec![
                    ("email", "x@example.jp'; DROP TABLE logins; --"),
                    ("password", "x"),
                ],
                "形式が正しくありません",
            ),
            (
                vec![("email", "hansha@example.jp")],
                "入力内容を読み取れませんでした",
            ),
        ];
        let before = (
            app.count(sessions::Entity).await,
            app.count(limit_events::Entity).await,
            app.count(audit_log::Entity).await,
            app.count(logins::Entity).await,
            app.count(customers::Entity).await,
        );
        for (form, expected) in &cases {
            let res = app.post_form("/api/auth/login", form, None).await;
            let status = res.status();
            let body = res.text().await.unwrap();
            assert!(status.is_client_error(), "{form:?} gave {status}");
            let msg: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|_| panic!("json: {body}"));
            let text = msg["InvalidInput"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"));
            assert!(text.contains(expected), "{form:?}: {text}");
        }
        let after = (
            app.count(sessions::Entity).await,
            app.count(limit_events::Entity).await,
            app.count(audit_log::Entity).await,
            app.count(logins::Entity).await,
            app.count(customers::Entity).await,
        );
        assert_eq!(before, after, "bad input wrote nothing");
        // A SQL-looking password is just a wrong password; every table is still there.
        let res = app
            .login("hansha@example.jp", "' OR '1'='1'; DROP TABLE logins; --")
            .await;
        assert_eq!(res.status(), 401);
        assert_eq!(app.count(logins::Entity).await, before.3);
        app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused_and_headers_are_safe() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app
        .http
        .post(app.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", "hansha@example.jp"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app.get("/login", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    assert!(html.contains("ログイン") && html.contains("lang=\"ja\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_records_logins_and_detects_tampering() {
    use app::server::audit::{verify, Verdict};
    for_each_backend(|app| async move {
        let t = app.login_token("super@example.jp", DEMO_PASSWORD).await;
        app.login("super@example.jp", "wrong-password").await;
        app.post_form("/api/auth/logout", &[], Some(&t)).await;
        assert_eq!(
            verify(&app.db).await.unwrap(),
            Verdict::Intact { entries: 3 }
        );
        let rows = audit_log::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
            ["login", "login_failed", "logout"]
        );
        assert!(rows
            .iter()
            .all(|r| !r.detail.contains(DEMO_PASSWORD) && !r.detail.contains("wrong-password")));
        app.db
            .execute_unprepared(
                "UPDATE audit_log SET action = 'logout' WHERE action = 'login_failed'",
            )
            .await
            .unwrap();
        assert!(matches!(
            verify(&app.db).await.unwrap(),
            Verdict::Broken { .. }
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_share_sessions_through_postgresql() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = TestApp::attach(&a).await;
    let token = a.login_token("super@example.jp", DEMO_PASSWORD).await;
    let me: serde_json::Value = b
        .get("/api/auth/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["customer_code"], "10000020");
    // Logging out through one ends the session for the other.
    b.post_form("/api/auth/logout", &[], Some(&token)).await;
    let me: serde_json::Value = a
        .get("/api/auth/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null());
    // The failed-login limit is shared too: the rows live in the database.
    for _ in 0..3 {
        a.login("aoba@example.jp", "wrong-password").await;
        b.login("aoba@example.jp", "wrong-password").await;
    }
    assert_eq!(a.count(limit_events::Entity).await, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_refuses_a_database_with_customers_and_housekeeping_prunes() {
    use app::server::{demo, housekeeping, password::Passwords};
    let app = TestApp::spawn(Backend::Sqlite).await;
    let before = app.count(customers::Entity).await;
    let err = demo::load(&app.db, &Passwords::new(1).unwrap(), chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, demo::DemoError::NotEmpty(n) if n == before));
    assert!(err.to_string().contains("すでにお客様が登録されています"));
    assert_eq!(app.count(customers::Entity).await, before);

    app.login_token("ultra@example.jp", DEMO_PASSWORD).await;
    app.login("ultra@example.jp", "wrong-password").await;
    // Limit events are kept for the longest window (24 h), sessions for their lifetime.
    app.advance(25 * 3600);
    let (sessions_removed, failures_removed) = housekeeping::run_once(&app.state()).await.unwrap();
    assert_eq!((sessions_removed, failures_removed), (1, 1));
}
