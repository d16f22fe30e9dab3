//! Sessions (#9) over HTTP against SQLite and PostgreSQL: the idle limit beside the absolute
//! one, `last_seen_at` written at most once a minute, and a customer's own list of sessions
//! with ending the others. Time moves with the harness clock, never by sleeping.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{audit_log, sessions};
use app::server::session::session_id;
use common::{session_cookie, Backend, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

const HANSHA: &str = "hansha@example.jp";
const SHOP: &str = "shop@example.jp";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async fn login_as(app: &TestApp, email: &str, user_agent: &str) -> String {
    let res = app
        .http
        .post(app.url("/api/auth/login"))
        .header("user-agent", user_agent)
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login {email}");
    session_cookie(&res).expect("session cookie")
}

/// A page with the session: true when it renders, false when sent to /login.
async fn alive(app: &TestApp, token: &str) -> bool {
    let res = app.get("/", Some(token)).await;
    match res.status().as_u16() {
        200 => true,
        303 | 302 | 307 => {
            assert_eq!(res.headers()["location"], "/login");
            false
        }
        s => panic!("unexpected status {s}"),
    }
}

async fn list(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    let res = app.get("/api/account/sessions", Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn end(app: &TestApp, token: &str, handle: &str) -> (u16, String) {
    let res = app
        .post_form(
            "/api/account/sessions/end",
            &[("handle", handle)],
            Some(token),
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn session_row(app: &TestApp, token: &str) -> Option<sessions::Model> {
    sessions::Entity::find_by_id(session_id(token))
        .one(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_ends_and_a_used_one_lives_until_the_absolute_limit() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;

        // Unused for 121 minutes (the default idle limit is 120): gone, for pages and the API.
        let idle = app.login_token(HANSHA, DEMO_PASSWORD).await;
        app.advance(121 * 60);
        assert!(!alive(&app, &idle).await, "{backend:?}: idle session");
        let res = app.get("/api/account/sessions", Some(&idle)).await;
        assert_eq!(res.status(), 401, "{backend:?}");

        // Used every 30 minutes: alive for 11 h 30 min, ended at the 12-hour limit.
        let used = app.login_token(HANSHA, DEMO_PASSWORD).await;
        for step in 1..=23 {
            app.advance(30 * 60);
            assert!(
                alive(&app, &used).await,
                "{backend:?}: after {step} × 30 min"
            );
        }
        app.advance(30 * 60);
        assert!(!alive(&app, &used).await, "{backend:?}: the absolute limit");
        let res = app.get("/api/account/sessions", Some(&used)).await;
        assert_eq!(res.status(), 401, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_pause_does_not_end_a_session() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let token = app.login_token(HANSHA, DEMO_PASSWORD).await;
        app.advance(119 * 60);
        assert!(alive(&app, &token).await, "{backend:?}: 119 minutes");
        // That request moved the idle limit: another 119 minutes later it is still alive.
        app.advance(119 * 60);
        assert!(
            alive(&app, &token).await,
            "{backend:?}: 238 minutes, used midway"
        );
    }
}

/// Counts the writes of `sessions.last_seen_at` with a trigger, so the test sees every UPDATE
/// the server makes, whichever connection it uses.
async fn count_touches(app: &TestApp) {
    let stmts: &[&str] = match app.backend {
        Backend::Sqlite => &[
            "CREATE TABLE touch_count (n INTEGER NOT NULL)",
            "INSERT INTO touch_count VALUES (0)",
            "CREATE TRIGGER count_touch AFTER UPDATE OF last_seen_at ON sessions \
             BEGIN UPDATE touch_count SET n = n + 1; END",
        ],
        Backend::Postgres => &[
            "CREATE TABLE touch_count (n INTEGER NOT NULL)",
            "INSERT INTO touch_count VALUES (0)",
            "CREATE FUNCTION count_touch() RETURNS trigger AS $$ \
             BEGIN UPDATE touch_count SET n = n + 1; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER count_touch AFTER UPDATE OF last_seen_at ON sessions \
             FOR EACH ROW EXECUTE FUNCTION count_touch()",
        ],
    };
    for s in stmts {
        app.db.execute_unprepared(s).await.expect(s);
    }
}

async fn touches(app: &TestApp) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT n FROM touch_count",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0)
        .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
        .unwrap()
}

async fn burst(app: &TestApp, token: &str, n: usize) {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let http = app.http.clone();
        let url = app.url("/api/account/sessions");
        let cookie = format!("daiko_session={token}");
        tasks.push(tokio::spawn(async move {
            http.get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_seen_is_written_at_most_once_a_minute() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let token = app.login_token(HANSHA, DEMO_PASSWORD).await;
        count_touches(&app).await;
        let logged_in = session_row(&app, &token).await.unwrap();

        // Within the first minute nothing is written at all.
        burst(&app, &token, 50).await;
        assert_eq!(touches(&app).await, 0, "{backend:?}");

        // A minute later, 50 requests at once write once.
        app.advance(61);
        burst(&app, &token, 50).await;
        assert_eq!(
            touches(&app).await,
            1,
            "{backend:?}: 50 concurrent requests"
        );
        let after = session_row(&app, &token).await.unwrap();
        assert!(
            after.last_seen_at >= logged_in.last_seen_at + chrono::Duration::seconds(61),
            "{backend:?}: last_seen_at moved with the clock"
        );
        assert!(after.expires_at > logged_in.expires_at, "{backend:?}");

        // And again only after another minute.
        app.advance(30);
        burst(&app, &token, 10).await;
        assert_eq!(touches(&app).await, 1, "{backend:?}: 30 s later");
        app.advance(31);
        burst(&app, &token, 10).await;
        assert_eq!(touches(&app).await, 2, "{backend:?}: 61 s later");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_lists_their_sessions_and_ends_the_other_one() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let pc = login_as(&app, HANSHA, CHROME_WINDOWS).await;
        let phone = login_as(&app, HANSHA, SAFARI_IPHONE).await;
        let stranger = login_as(&app, SHOP, CHROME_WINDOWS).await;

        let mine = list(&app, &pc).await;
        assert_eq!(
            mine.len(),
            2,
            "{backend:?}: only hansha's own sessions: {mine:?}"
        );
        assert_eq!(mine[0]["current"], true);
        assert_eq!(mine[0]["browser"], "Chrome / Windows");
        assert_eq!(mine[1]["current"], false);
        assert_eq!(mine[1]["browser"], "Safari / iPhone");
        // JST, Japanese format.
        let started = mine[0]["started"].as_str().unwrap();
        assert!(
            started.contains('年') && started.contains('月') && started.contains('日'),
            "{started}"
        );
        let expected = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
            .format("%Y年%m月%d日")
            .to_string();
        assert!(started.starts_with(&expected), "{started} is today in JST");
        // Neither a token nor a session id (the hash) reaches the browser.
        let body = serde_json::to_string(&mine).unwrap();
        for t in [&pc, &phone] {
            assert!(!body.contains(t.as_str()));
            assert!(!body.contains(&session_id(t)));
        }
        let phone_handle = mine[1]["handle"].as_str().unwrap().to_string();

        // A stranger cannot end it: with the handle, the session id, or garbage, the answer
        // is the one for a session that does not exist, and hansha's phone lives on.
        let unknown = end(&app, &stranger, &"0".repeat(64)).await;
        assert_eq!(unknown.0, 200, "{backend:?}: {unknown:?}");
        assert_eq!(end(&app, &stranger, &phone_handle).await, unknown);
        assert_eq!(end(&app, &stranger, &session_id(&phone)).await, unknown);
        assert_eq!(end(&app, &stranger, "x").await, unknown);
        assert!(alive(&app, &phone).await, "{backend:?}");
        // hansha's own current session cannot be ended through it either.
        let current_handle = mine[0]["handle"].as_str().unwrap();
        assert_eq!(end(&app, &pc, current_handle).await, unknown);
        assert!(alive(&app, &pc).await);
        let ended_entries = || async {
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq("session_ended"))
                .all(&app.db)
                .await
                .unwrap()
        };
        assert!(
            ended_entries().await.is_empty(),
            "nothing ended, nothing audited"
        );

        // The owner ends it: that cookie is dead, the current one is not.
        assert_eq!(end(&app, &pc, &phone_handle).await, unknown);
        assert!(!alive(&app, &phone).await, "{backend:?}: ended");
        let res = app.get("/api/account/sessions", Some(&phone)).await;
        assert_eq!(res.status(), 401);
        assert!(alive(&app, &pc).await);
        assert!(alive(&app, &stranger).await);
        let mine = list(&app, &pc).await;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["current"], true);
        let entries = ended_entries().await;
        assert_eq!(entries.len(), 1, "{backend:?}");
        assert_eq!(entries[0].actor_customer_id, entries[0].subject_customer_id);
        assert!(
            entries[0].detail.contains("Safari / iPhone"),
            "{}",
            entries[0].detail
        );
        assert!(!entries[0].detail.contains(&session_id(&phone)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_all_other_sessions_keeps_the_current_one_and_other_customers() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let here = login_as(&app, HANSHA, CHROME_WINDOWS).await;
        let a = login_as(&app, HANSHA, SAFARI_IPHONE).await;
        let b = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let stranger = login_as(&app, SHOP, SAFARI_IPHONE).await;
        assert_eq!(list(&app, &b).await[0]["browser"], "不明な端末");

        let res = app
            .post_form("/api/account/sessions/end-others", &[], Some(&here))
            .await;
        assert_eq!(res.status(), 200, "{backend:?}");
        assert_eq!(res.text().await.unwrap(), "2");
        assert!(alive(&app, &here).await);
        assert!(
            !alive(&app, &a).await && !alive(&app, &b).await,
            "{backend:?}"
        );
        assert!(
            alive(&app, &stranger).await,
            "{backend:?}: another customer's session"
        );
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("sessions_ended_others"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("audited");
        assert!(entry.detail.contains("\"count\":2"), "{}", entry.detail);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_list_needs_a_login() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/account/sessions", None).await;
    assert_eq!(res.status(), 401);
    let res = app
        .post_form("/api/account/sessions/end-others", &[], None)
        .await;
    assert_eq!(res.status(), 401);
}
