//! Login sessions, stored in the database so that several server processes share them.
//! The cookie holds a random token; the database holds only its SHA-256.
use super::entities::sessions;
use super::sha256_hex;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use std::time::Duration;

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
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_ne!(session_id(&a), a);
    }
}
