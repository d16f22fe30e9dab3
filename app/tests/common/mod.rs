//! Test harness: a real Daiko server on a loopback port, over a fresh SQLite file or a fresh
//! PostgreSQL database, with the demo data loaded and a clock the test can move.
#![allow(dead_code)]
use app::server::entities::outgoing_messages as om;
use app::server::{
    clock::Clock, config::Config, db, demo, password::Passwords, queue, router, state::AppState,
};
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

pub struct TestApp {
    pub backend: Backend,
    pub base: String,
    pub db: DatabaseConnection,
    pub database_url: String,
    state: AppState,
    pub http: reqwest::Client,
    offset_secs: Arc<AtomicI64>,
    _dir: Option<TempDir>,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn pg_admin_url() -> String {
    std::env::var("DAIKO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Creates an empty database and returns its URL (and, for SQLite, the folder holding it).
pub async fn fresh_database(backend: Backend) -> (String, Option<TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique("daiko_test"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}/daiko.sqlite?mode=rwc", dir.display());
            (url, Some(TempDir(dir)))
        }
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let admin = sea_orm::Database::connect(&admin_url)
                .await
                .unwrap_or_else(|e| {
                    panic!("PostgreSQL must be running for the tests ({admin_url}): {e}")
                });
            let name = unique("daiko_test");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            admin.close().await.ok();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin_url);
            (format!("{base}/{name}"), None)
        }
    }
}

pub fn test_config(database_url: &str) -> Config {
    let url = database_url.to_string();
    Config::from_lookup(move |k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "DAIKO_DB_MAX_CONNECTIONS" => Some("8".into()),
        _ => None,
    })
    .expect("test config")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, app::server::senders::Senders::outbox(), None).await
    }

    /// With the test configuration changed by `adjust` (e.g. a higher PIN request limit).
    pub async fn spawn_with_config(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_full(
            backend,
            app::server::senders::Senders::outbox(),
            None,
            adjust,
        )
        .await
    }

    /// With the given senders (e.g. Twilio against the fake) and Twilio auth token.
    pub async fn spawn_with(
        backend: Backend,
        senders: app::server::senders::Senders,
        twilio_token: Option<Arc<str>>,
    ) -> TestApp {
        Self::spawn_full(backend, senders, twilio_token, |_| {}).await
    }

    /// With the given senders, Twilio auth token and configuration change.
    pub async fn spawn_custom(
        backend: Backend,
        senders: app::server::senders::Senders,
        twilio_token: Option<Arc<str>>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        Self::spawn_full(backend, senders, twilio_token, adjust).await
    }

    async fn spawn_full(
        backend: Backend,
        senders: app::server::senders::Senders,
        twilio_token: Option<Arc<str>>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let leptos = LeptosOptions::builder().output_name("daiko").build();
        Self::spawn_site(backend, senders, twilio_token, adjust, leptos).await
    }

    /// Serving built assets from `site_root` (its `pkg/` directory).
    pub async fn spawn_with_site_root(backend: Backend, site_root: &str) -> TestApp {
        let leptos = LeptosOptions::builder()
            .output_name("daiko")
            .site_root(site_root)
            .build();
        Self::spawn_site(
            backend,
            app::server::senders::Senders::outbox(),
            None,
            |_| {},
            leptos,
        )
        .await
    }

    async fn spawn_site(
        backend: Backend,
        senders: app::server::senders::Senders,
        twilio_token: Option<Arc<str>>,
        adjust: impl FnOnce(&mut Config),
        leptos_options: LeptosOptions,
    ) -> TestApp {
        let (url, dir) = fresh_database(backend).await;
        let mut config = test_config(&url);
        adjust(&mut config);
        let conn = db::connect(&config.database_url, config.db_max_connections)
            .await
            .expect("connect");
        db::migrate(&conn).await.expect("migrate");
        let passwords = Passwords::new(2).expect("passwords");
        let offset_secs = Arc::new(AtomicI64::new(0));
        let clock = {
            let o = offset_secs.clone();
            Clock::from_fn(move || {
                chrono::Utc::now() + chrono::Duration::seconds(o.load(Ordering::SeqCst))
            })
        };
        demo::load(&conn, &passwords, clock.now())
            .await
            .expect("demo data");
        Self::serve(
            backend,
            url,
            config,
            conn,
            passwords,
            clock,
            offset_secs,
            dir,
            senders,
            twilio_token,
            leptos_options,
        )
        .await
    }

    /// A second server process on the same database (its own pool, hasher and port) and
    /// with the same configuration.
    pub async fn attach(other: &TestApp) -> TestApp {
        let config = other.state.config.clone();
        let conn = db::connect(&config.database_url, config.db_max_connections)
            .await
            .expect("connect");
        let passwords = Passwords::new(2).expect("passwords");
        let clock = other.state.clock.clone();
        let url = other.database_url.clone();
        Self::serve(
            other.backend,
            url,
            config,
            conn,
            passwords,
            clock,
            other.offset_secs.clone(),
            None,
            other.state.senders.clone(),
            other.state.twilio_token.clone(),
            other.state.leptos_options.clone(),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn serve(
        backend: Backend,
        url: String,
        config: Config,
        conn: DatabaseConnection,
        passwords: Passwords,
        clock: Clock,
        offset_secs: Arc<AtomicI64>,
        dir: Option<TempDir>,
        senders: app::server::senders::Senders,
        twilio_token: Option<Arc<str>>,
        leptos_options: LeptosOptions,
    ) -> TestApp {
        let state = AppState {
            db: conn.clone(),
            config,
            passwords,
            clock,
            senders,
            twilio_token,
            leptos_options,
            audit_check: app::server::audit_check::AuditCheck::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = router::build(state.clone());
        tokio::spawn(async move {
            let svc = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, svc).await.expect("serve");
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            backend,
            base: format!("http://{addr}"),
            db: conn,
            database_url: url,
            state,
            http,
            offset_secs,
            _dir: dir,
        }
    }

    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::SeqCst);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self.http.post(self.url(path)).form(form);
        if let Some(c) = cookie {
            req = req.header("cookie", format!("daiko_session={c}"));
        }
        req.send().await.expect("request")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/auth/login",
            &[("email", email), ("password", password)],
            None,
        )
        .await
    }

    /// Logs in and returns the session token from the cookie.
    pub async fn login_token(&self, email: &str, password: &str) -> String {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), 200, "login failed for {email}");
        session_cookie(&res).expect("session cookie")
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(self.url(path));
        if let Some(c) = cookie {
            req = req.header("cookie", format!("daiko_session={c}"));
        }
        req.send().await.expect("request")
    }

    pub async fn count<E: EntityTrait>(&self, _e: E) -> u64
    where
        E::Model: Sync,
    {
        E::find().count(&self.db).await.expect("count")
    }

    /// Sends `n` identical form POSTs at once (each on its own task) and returns every
    /// (status, body), in completion order.
    pub async fn post_many(
        &self,
        n: usize,
        path: &str,
        form: &[(&str, &str)],
        session: Option<&str>,
    ) -> Vec<(u16, String)> {
        let cookie = session.map(|c| format!("daiko_session={c}"));
        let form: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let barrier = Arc::new(tokio::sync::Barrier::new(n));
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (http, url, form, barrier, cookie) = (
                self.http.clone(),
                self.url(path),
                form.clone(),
                barrier.clone(),
                cookie.clone(),
            );
            set.spawn(async move {
                barrier.wait().await;
                let mut req = http.post(url).form(&form);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                let res = req.send().await.expect("request");
                let status = res.status().as_u16();
                (status, res.text().await.unwrap_or_default())
            });
        }
        let mut out = Vec::with_capacity(n);
        while let Some(r) = set.join_next().await {
            out.push(r.expect("task"));
        }
        out
    }

    /// A delivered message as its recipient got it: the row (whose body is wiped once handed
    /// over) with the body the development outbox received.
    pub fn opened(&self, m: om::Model) -> om::Model {
        assert!(m.body.is_empty(), "a handed-over row keeps no body");
        let d = self
            .state
            .senders
            .outbox
            .as_ref()
            .expect("the outbox is the sender")
            .latest(usize::MAX)
            .into_iter()
            .find(|d| d.id == m.id)
            .unwrap_or_else(|| panic!("message {} reached the outbox", m.id));
        om::Model { body: d.body, ..m }
    }

    /// Messages meant for someone (decoys reach no one and are left out).
    pub async fn real_messages(&self) -> Vec<om::Model> {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        om::Entity::find()
            .filter(om::Column::Decoy.eq(false))
            .order_by_asc(om::Column::Id)
            .all(&self.db)
            .await
            .expect("messages")
    }
}

/// A server whose SMS and voice go to a Twilio-compatible server at `base_url`, mail to the
/// outbox; `adjust` changes the configuration.
pub async fn with_twilio(
    backend: Backend,
    base_url: &str,
    account_sid: &str,
    auth_token: &str,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    use app::server::senders::queue_adapters::{senders_from_parts, status_callback_url};
    use app::server::senders::twilio::{AuthToken, TwilioClient, TwilioConfig};
    let mut cfg = TwilioConfig::new(account_sid, AuthToken::new(auth_token), "+815031234567");
    cfg.base_url = base_url.to_string();
    cfg.status_callback = Some(status_callback_url(TWILIO_PUBLIC_URL));
    let client = Arc::new(TwilioClient::new(cfg).expect("twilio config"));
    let mut senders = senders_from_parts(None, Some(client));
    let outbox = app::server::senders::Senders::outbox();
    senders.mail = outbox.mail;
    senders.outbox = outbox.outbox;
    TestApp::spawn_custom(backend, senders, Some(Arc::from(auth_token)), adjust).await
}

/// The public URL Twilio's reports are signed for (the configuration's default).
const TWILIO_PUBLIC_URL: &str = "http://127.0.0.1:3000";

/// A delivery report as Twilio sends it: signed with `token` for the status callback URL.
pub async fn twilio_report(
    app: &TestApp,
    params: &[(&str, &str)],
    token: &str,
) -> reqwest::StatusCode {
    use app::server::senders::queue_adapters::status_callback_url;
    let map: std::collections::BTreeMap<String, String> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let url = status_callback_url(TWILIO_PUBLIC_URL);
    let sig = app::server::twilio_status::signature(token, &url, &map);
    app.http
        .post(app.url("/api/twilio/status"))
        .header("x-twilio-signature", sig)
        .form(params)
        .send()
        .await
        .expect("request")
        .status()
}

/// A queued message with its sealed body opened (as the worker would), under the tests'
/// `DAIKO_SECRET`; panics if the body was stored in plain text.
pub fn unsealed(m: om::Model) -> om::Model {
    let key = app::server::seal::SealKey::from_secret(app::server::config::DEV_SECRET);
    let body = queue::open_body(&key, &m).expect("a sealed body");
    om::Model { body, ..m }
}

/// The value of the `daiko_session` cookie set by a response, if any.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix("daiko_session=")
                .map(|r| r.split(';').next().unwrap_or("").to_string())
        })
        .filter(|v| !v.is_empty())
}

pub const DEMO_PASSWORD: &str = demo::DEMO_PASSWORD;

/// `POST /api/recovery/request` for お客様ID `code`, `channel` and `dest`.
pub async fn request_pin(
    app: &TestApp,
    code: &str,
    channel: &str,
    dest: &str,
) -> reqwest::Response {
    app.post_form(
        "/api/recovery/request",
        &[
            ("customer_code", code),
            ("channel", channel),
            ("destination", dest),
        ],
        None,
    )
    .await
}

/// Requests a PIN and returns the challenge id from the redirect to its PIN page.
pub async fn challenge(app: &TestApp, code: &str, channel: &str, dest: &str) -> String {
    let res = request_pin(app, code, channel, dest).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    loc.strip_prefix("/contact/pin/")
        .expect("PIN page")
        .to_string()
}
