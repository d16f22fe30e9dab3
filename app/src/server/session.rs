//! Login sessions, stored in the database so that several server processes share them.
//! The cookie holds a random token; the database holds only its SHA-256.
//!
//! A session ends at the sooner of its absolute limit (`DAIKO_SESSION_HOURS` after login) and
//! its idle limit (`DAIKO_SESSION_IDLE_MINUTES` after the last request). Both are folded into
//! `expires_at`, which every request through the router guard moves on (at most once a
//! minute), so every lookup only compares `expires_at` with the clock.
use super::entities::sessions;
use super::state::AppState;
use super::{audit, keyed, sha256_hex};
use crate::account::SessionInfo;
use crate::error::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use std::time::Duration;

/// `last_seen_at` is written at most this often, so a burst of requests costs one write.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// Domain of the keyed hash that names a session in a listing (never the session id).
const HANDLE_DOMAIN: &str = "session-handle";

pub const COOKIE_NAME: &str = "daiko_session";

pub fn session_id(token: &str) -> String {
    sha256_hex(&[token.as_bytes()])
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a session and returns the token for the cookie.
pub async fn create(
    db: &impl ConnectionTrait,
    login_id: i64,
    customer_id: i64,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<String, DbErr> {
    let token = new_token();
    let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(12));
    sessions::ActiveModel {
        id: Set(session_id(&token)),
        login_id: Set(login_id),
        customer_id: Set(customer_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ttl),
        user_agent: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session for a cookie token, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<sessions::Model>, DbErr> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(sessions::Entity::find_by_id(session_id(token))
        .one(db)
        .await?
        .filter(|s| s.expires_at > now))
}

pub async fn delete(db: &impl ConnectionTrait, token: &str) -> Result<(), DbErr> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::Id.eq(session_id(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a login except, optionally, the one in use (R2, R3).
pub async fn delete_others(
    db: &impl ConnectionTrait,
    login_id: i64,
    keep_token: Option<&str>,
) -> Result<u64, DbErr> {
    let mut q = sessions::Entity::delete_many().filter(sessions::Column::LoginId.eq(login_id));
    if let Some(t) = keep_token {
        q = q.filter(sessions::Column::Id.ne(session_id(t)));
    }
    Ok(q.exec(db).await?.rows_affected)
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::hours(12))
}

/// When a session used at `now` ends: the idle limit, capped by the absolute one.
pub fn expiry(
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    absolute: Duration,
    idle: Duration,
) -> DateTime<Utc> {
    (created_at + chrono_duration(absolute)).min(now + chrono_duration(idle))
}

/// Completes a session made by a login: the browser description and the idle limit (a
/// session that is never used again ends after `DAIKO_SESSION_IDLE_MINUTES`).
pub async fn record_login(
    st: &AppState,
    token: &str,
    user_agent: Option<&str>,
) -> Result<(), DbErr> {
    let now = st.clock.now();
    let Some(s) = find(&st.db, token, now).await? else {
        return Ok(());
    };
    let c = &st.config;
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::UserAgent,
            Expr::value(user_agent.map(describe_browser)),
        )
        .col_expr(
            sessions::Column::ExpiresAt,
            Expr::value(expiry(s.created_at, now, c.session_ttl, c.session_idle)),
        )
        .filter(sessions::Column::Id.eq(s.id))
        .exec(&st.db)
        .await?;
    Ok(())
}

/// Records that a live session was used at `now`: moves `last_seen_at` and the idle limit
/// on, unless that was done less than a minute ago. The condition is in the UPDATE itself, so
/// concurrent requests write once between them. Returns whether this call wrote.
pub async fn touch(
    db: &impl ConnectionTrait,
    s: &sessions::Model,
    now: DateTime<Utc>,
    absolute: Duration,
    idle: Duration,
) -> Result<bool, DbErr> {
    let stale_before = now - chrono::Duration::seconds(TOUCH_INTERVAL_SECS);
    if s.last_seen_at >= stale_before {
        return Ok(false);
    }
    let res = sessions::Entity::update_many()
        .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
        .col_expr(
            sessions::Column::ExpiresAt,
            Expr::value(expiry(s.created_at, now, absolute, idle)),
        )
        .filter(sessions::Column::Id.eq(s.id.as_str()))
        .filter(sessions::Column::LastSeenAt.lt(stale_before))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// The live session for a token, counted as used now (the router guard calls this for every
/// request that carries a session cookie).
pub async fn find_and_touch(st: &AppState, token: &str) -> Result<Option<sessions::Model>, DbErr> {
    let now = st.clock.now();
    let Some(s) = find(&st.db, token, now).await? else {
        return Ok(None);
    };
    touch(
        &st.db,
        &s,
        now,
        st.config.session_ttl,
        st.config.session_idle,
    )
    .await?;
    Ok(Some(s))
}

/// A short description of a browser from its User-Agent header ("Chrome / Windows"): enough
/// for a customer to recognise their own devices. Pure, and bounded: the result is built from
/// a fixed vocabulary, never copied from the header.
pub fn describe_browser(user_agent: &str) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    // Order matters: Edge, Opera and Samsung say "Chrome" too, Chrome says "Safari", and
    // iPhones say "like Mac OS X".
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has(" Line/") {
        Some("LINE")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        Some("Chrome")
    } else if has("Safari/") && (has("Version/") || has("Mobile/")) {
        Some("Safari")
    } else {
        None
    };
    let os = if has("Windows") {
        Some("Windows")
    } else if has("iPhone") {
        Some("iPhone")
    } else if has("iPad") {
        Some("iPad")
    } else if has("Android") {
        Some("Android")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, os) {
        (None, None) => "不明な端末".to_owned(),
        (b, o) => format!(
            "{} / {}",
            b.unwrap_or("不明なブラウザ"),
            o.unwrap_or("不明なOS")
        ),
    }
}

/// The handle that names session `id` in the listing shown to session `viewer`: a keyed hash,
/// so the browser never sees a session id (or its hash), and a handle means nothing to anyone
/// else or under another secret.
fn handle(secret: &str, viewer: &str, id: &str) -> String {
    keyed::keyed_hex(secret, HANDLE_DOMAIN, &[viewer.as_bytes(), id.as_bytes()])
}

/// The signed-in session behind `token`, or 401.
async fn current(st: &AppState, token: Option<&str>) -> Result<sessions::Model, AppError> {
    let Some(t) = token else {
        return Err(AppError::Unauthorized);
    };
    find(&st.db, t, st.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The live sessions of the login behind `me`, newest first.
async fn live_of(
    st: &AppState,
    me: &sessions::Model,
    now: DateTime<Utc>,
) -> Result<Vec<sessions::Model>, DbErr> {
    sessions::Entity::find()
        .filter(sessions::Column::LoginId.eq(me.login_id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(sessions::Column::LastSeenAt)
        .order_by_desc(sessions::Column::CreatedAt)
        .all(&st.db)
        .await
}

/// The signed-in customer's live sessions (their own login's only), the current one first.
pub async fn list_mine(st: &AppState, token: Option<&str>) -> Result<Vec<SessionInfo>, AppError> {
    let me = current(st, token).await?;
    let now = st.clock.now();
    let mut rows = live_of(st, &me, now).await?;
    // The current one first; the rest stay newest first.
    rows.sort_by_key(|s| s.id != me.id);
    Ok(rows
        .into_iter()
        .map(|s| SessionInfo {
            handle: handle(&st.config.secret, &me.id, &s.id),
            browser: s.user_agent.unwrap_or_else(|| "不明な端末".to_owned()),
            started: crate::domain::time::jp_minute(s.created_at),
            last_seen: crate::domain::time::jp_minute(s.last_seen_at),
            current: s.id == me.id,
        })
        .collect())
}

/// Ends one of the signed-in customer's other sessions, named by its listing handle. A handle
/// that names no such session (someone else's, an ended one, the current one, garbage) is
/// answered exactly like a successful end, after the same work, so nothing can be learnt
/// from it.
pub async fn end_mine(
    st: &AppState,
    token: Option<&str>,
    handle_hex: &str,
) -> Result<(), AppError> {
    let me = current(st, token).await?;
    let now = st.clock.now();
    let secret: &str = &st.config.secret;
    let target = live_of(st, &me, now)
        .await?
        .into_iter()
        .filter(|s| s.id != me.id)
        .find(|s| {
            keyed::verify_hex(
                secret,
                HANDLE_DOMAIN,
                &[me.id.as_bytes(), s.id.as_bytes()],
                handle_hex,
            )
        });
    let Some(target) = target else {
        return Ok(());
    };
    let ended = sessions::Entity::delete_many()
        .filter(sessions::Column::Id.eq(target.id.as_str()))
        .filter(sessions::Column::LoginId.eq(me.login_id))
        .exec(&st.db)
        .await?
        .rows_affected;
    if ended > 0 {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("session_ended")
                .actor(me.customer_id)
                .subject(Some(me.customer_id))
                .detail(serde_json::json!({
                    "browser": target.user_agent,
                    "started": target.created_at.to_rfc3339(),
                })),
        )
        .await?;
    }
    Ok(())
}

/// Ends every other session of the signed-in customer's login; returns how many ended.
pub async fn end_my_others(st: &AppState, token: Option<&str>) -> Result<u64, AppError> {
    let me = current(st, token).await?;
    let now = st.clock.now();
    let ended = sessions::Entity::delete_many()
        .filter(sessions::Column::LoginId.eq(me.login_id))
        .filter(sessions::Column::Id.ne(me.id.as_str()))
        .exec(&st.db)
        .await?
        .rows_affected;
    if ended > 0 {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("sessions_ended_others")
                .actor(me.customer_id)
                .subject(Some(me.customer_id))
                .detail(serde_json::json!({ "count": ended })),
        )
        .await?;
    }
    Ok(ended)
}

pub fn set_cookie(token: &str, ttl: Duration, secure: bool) -> String {
    let mut c = cookie::Cookie::build((COOKIE_NAME, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(ttl.as_secs() as i64))
        .secure(secure)
        .build();
    if !secure {
        c.set_secure(None);
    }
    c.to_string()
}

pub fn clear_cookie(secure: bool) -> String {
    let mut c = cookie::Cookie::build((COOKIE_NAME, ""))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::ZERO)
        .secure(secure)
        .build();
    if !secure {
        c.set_secure(None);
    }
    c.to_string()
}

/// The session token from a request's `Cookie` headers.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie_from_headers(headers, COOKIE_NAME)
}

pub fn cookie_from_headers(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_flags() {
        let c = set_cookie("abc", Duration::from_secs(3600), false);
        assert!(c.contains("HttpOnly"));
        assert!(c.contains("SameSite=Lax"));
        assert!(!c.contains("Secure"));
        assert!(set_cookie("abc", Duration::from_secs(3600), true).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn token_is_read_among_other_cookies() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(
            axum::http::header::COOKIE,
            "a=1; daiko_session=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(token_from_headers(&h).as_deref(), Some("xyz"));
    }

    #[test]
    fn browsers_are_described_briefly() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome / Windows"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge / Windows"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari / iPhone"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1", "Chrome / iPhone"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari / macOS"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox / Linux"),
            ("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet / Android"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome / Android"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome / Linux"),
            ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari / iPad"),
            ("curl/8.5.0", "不明な端末"),
            ("", "不明な端末"),
            ("Mozilla/5.0 (Windows NT 10.0) SomethingNew/1.0", "不明なブラウザ / Windows"),
        ];
        for (ua, want) in cases {
            assert_eq!(describe_browser(ua), want, "{ua}");
        }
        // Never the header itself, however long or hostile it is.
        let hostile = format!("Chrome/1 <script>{}</script>", "x".repeat(10_000));
        let d = describe_browser(&hostile);
        assert_eq!(d, "Chrome / 不明なOS");
        assert!(d.chars().count() <= 100);
    }

    #[test]
    fn expiry_is_the_idle_limit_capped_by_the_absolute_one() {
        let t0 = DateTime::parse_from_rfc3339("2026-12-02T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let abs = Duration::from_secs(12 * 3600);
        let idle = Duration::from_secs(120 * 60);
        assert_eq!(
            expiry(t0, t0, abs, idle),
            t0 + chrono::Duration::minutes(120)
        );
        let late = t0 + chrono::Duration::hours(11);
        assert_eq!(
            expiry(t0, late, abs, idle),
            t0 + chrono::Duration::hours(12)
        );
    }

    #[test]
    fn handles_depend_on_viewer_and_secret() {
        let h = handle("s", "viewer", "target");
        assert_eq!(h.len(), 64);
        assert_ne!(h, "target");
        assert_ne!(h, handle("s", "other-viewer", "target"));
        assert_ne!(h, handle("t", "viewer", "target"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_ne!(session_id(&a), a);
    }
}
