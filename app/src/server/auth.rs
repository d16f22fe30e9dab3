//! Login, logout and "who is signed in". Unknown e-mail and wrong password are one answer,
//! costing the same time; failed logins per account are limited per hour.
use super::entities::{customers, logins, sales_divisions};
use super::{audit, limits, password::PasswordHash, session, state::AppState};
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::validation;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// Failed logins per typed address per hour (ASVS 2.2.1).
pub fn failure_window(st: &AppState) -> limits::Window {
    limits::Window {
        bucket: "login-failure",
        max: u32::try_from(st.config.login_failure_limit).unwrap_or(u32::MAX),
        period: chrono::Duration::hours(1),
    }
}

/// The key under which failures are counted: a keyed hash of the typed address, so the table
/// holds no e-mail addresses (nor anything a list of candidates could be hashed against) and
/// unknown addresses are limited exactly like known ones.
pub fn account_key(st: &AppState, email: &str) -> String {
    limits::key(&st.config.secret, "login-failure", email)
}

/// Checks the credentials and opens a new session; returns its cookie token.
/// `presented` is the session token the browser already had: it is ended (rotation).
pub async fn login(
    st: &AppState,
    email: &str,
    password: &str,
    presented: Option<&str>,
) -> Result<String, AppError> {
    let email = validation::login_email(email)?;
    let password = validation::login_password(password)?;
    let now = st.clock.now();
    let key = account_key(st, &email);
    let window = failure_window(st);

    // Counted before checking (and taken back on success), so concurrent guesses cannot slip
    // past the limit.
    let allowed = limits::take_alone(&st.db, &window, &key, now).await?;

    let login = logins::Entity::find()
        .filter(logins::Column::Email.eq(&email))
        .one(&st.db)
        .await?;
    let subject = login.as_ref().map(|l| l.customer_id);

    if !allowed {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("login_refused_limit")
                .subject(subject)
                .detail(json!({ "account_key": key })),
        )
        .await?;
        return Err(AppError::TooManyAttempts);
    }

    // Only a verified address with a password chosen by the customer can log in (R1).
    let stored = login
        .as_ref()
        .filter(|l| l.email_verified_at.is_some())
        .and_then(|l| l.password_hash.clone())
        .map(PasswordHash::from_stored);
    let ok = st.passwords.verify(password, stored.as_ref()).await?;

    match (ok, login) {
        (true, Some(l)) => {
            limits::forget_one(&st.db, &window, &key, now).await?;
            if let Some(t) = presented {
                session::delete(&st.db, t).await?;
            }
            let token =
                session::create(&st.db, l.id, l.customer_id, now, st.config.session_ttl).await?;
            audit::append(
                &st.db,
                now,
                audit::Entry::new("login")
                    .actor(l.customer_id)
                    .subject(Some(l.customer_id)),
            )
            .await?;
            Ok(token)
        }
        _ => {
            audit::append(
                &st.db,
                now,
                audit::Entry::new("login_failed")
                    .subject(subject)
                    .detail(json!({ "account_key": key })),
            )
            .await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

pub async fn logout(st: &AppState, token: &str) -> Result<(), AppError> {
    let now = st.clock.now();
    if let Some(s) = session::find(&st.db, token, now).await? {
        session::delete(&st.db, token).await?;
        audit::append(
            &st.db,
            now,
            audit::Entry::new("logout")
                .actor(s.customer_id)
                .subject(Some(s.customer_id)),
        )
        .await?;
    }
    Ok(())
}

/// The signed-in customer for a session token, or `None`.
pub async fn current_user(st: &AppState, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let Some(s) = session::find(&st.db, token, st.clock.now()).await? else {
        return Ok(None);
    };
    let Some(c) = customers::Entity::find_by_id(s.customer_id)
        .one(&st.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(to_current_user(&st.db, c).await?))
}

pub async fn to_current_user(
    db: &impl ConnectionTrait,
    c: customers::Model,
) -> Result<CurrentUser, AppError> {
    let division_name = match c.division_id {
        Some(id) => sales_divisions::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|d| d.name),
        None => None,
    };
    let upline = match c.upline_id {
        Some(id) => customers::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let rank = c.rank;
    let screen = c.screen_variant;
    Ok(CurrentUser {
        customer_code: c.customer_code,
        name: c.name,
        kana: c.kana,
        rank,
        screen,
        can_register: c.can_register,
        division_name,
        upline_code: upline.as_ref().map(|u| u.customer_code.clone()),
        upline_name: upline.map(|u| u.name),
    })
}
