//! Verification links: a random token mailed to an address, its SHA-256 stored, valid for
//! [`LINK_TTL_HOURS`], consumed once; [`offer`] sends a taken address a notice instead.
use super::{Purpose, LINKS_PER_CUSTOMER_PER_DAY, LINK_TTL_HOURS};
use crate::error::AppError;
use crate::server::entities::{customers, email_verifications as ev, logins};
use crate::server::queue::{self, NewMessage};
use crate::server::{audit, limits, notices, sha256_hex, state::AppState};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;

pub(super) fn random_hex() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub(super) fn token_hash(token: &str) -> String {
    sha256_hex(&[b"email-verification", token.as_bytes()])
}

/// Shown to whoever opens a link whose address became someone else's login meanwhile (they
/// hold the address, so it tells them nothing new).
pub(super) fn email_taken() -> AppError {
    AppError::InvalidInput(
        "このメールアドレスは、すでに別のお客様のログイン用メールアドレスとして登録されています。別のメールアドレスを入力してください。"
            .into(),
    )
}

pub(super) fn mail(to: String, m: crate::server::messages::Mail) -> NewMessage {
    NewMessage {
        channel: crate::model::ResetChannel::Mail,
        recipient: to,
        subject: m.subject,
        body: m.body,
        challenge_id: None,
    }
}

/// Whether `email` is the login e-mail of a customer other than `customer_id`.
pub(super) async fn taken_by_other(
    db: &impl ConnectionTrait,
    email: &str,
    customer_id: i64,
) -> Result<bool, AppError> {
    Ok(logins::Entity::find()
        .filter(logins::Column::Email.eq(email))
        .filter(logins::Column::CustomerId.ne(customer_id))
        .count(db)
        .await?
        > 0)
}

/// Links a customer may be sent per day (a taken address's void link counts too).
pub(super) fn links_window() -> limits::Window {
    limits::Window {
        bucket: "verification-links",
        max: LINKS_PER_CUSTOMER_PER_DAY as u32,
        period: Duration::hours(24),
    }
}

/// Takes one link from the customer's daily allowance; the transaction's first statement (it
/// takes the lock), so concurrent requests cannot pass the limit together.
pub async fn take_link(
    st: &AppState,
    txn: &impl ConnectionTrait,
    customer_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = limits::key(
        &st.config.secret,
        "verification-links",
        &customer_id.to_string(),
    );
    limits::lock(txn, &key).await?;
    if limits::take(txn, &links_window(), &key, now).await? {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// The message shown when a customer already has a verified login. It says that much (the
/// upline may know it of their own downline customer), never the address.
pub(super) fn already_registered() -> AppError {
    AppError::InvalidInput(
        "このお客様はすでにログイン情報を登録済みです。変更や再設定は、お客様ご本人がお問い合わせ画面から行えます。"
            .into(),
    )
}

/// What [`offer`] sent. Never shown to the one who asked: their answer is the same for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// The link went to the address.
    Link,
    /// The address is another customer's login: its owner was sent a notice and no link.
    AddressTaken,
}

/// Sends `email` a `purpose` link for `customer_id` — unless the address is already another
/// customer's login, in which case the address gets a short notice instead and nothing else
/// happens. Both paths do the same work inside `txn`: one `email_verifications` row (for a
/// taken address void from the start, `used_at = created_at`, its token never sent anywhere,
/// so it still counts toward [`LINKS_PER_CUSTOMER_PER_DAY`] — otherwise the limit would tell
/// the two apart), one queued mail and one audit entry.
pub async fn offer<C: ConnectionTrait + TransactionTrait>(
    txn: &C,
    st: &AppState,
    customer_id: i64,
    email: &str,
    purpose: Purpose,
    requested_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Offered, AppError> {
    let customer = customers::Entity::find_by_id(customer_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let taken = taken_by_other(txn, email, customer_id).await?;
    let token = random_hex();
    let expires = now + Duration::hours(LINK_TTL_HOURS);
    let row = ev::ActiveModel {
        token_hash: Set(token_hash(&token)),
        customer_id: Set(customer_id),
        email: Set(email.to_owned()),
        purpose: Set(purpose.code().into()),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(taken.then_some(now)),
        requested_by: Set(requested_by),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let link = format!(
        "{}/verify/{token}",
        st.config.public_url.trim_end_matches('/')
    );
    let code = &customer.customer_code;
    let (m, action) = match (purpose, taken) {
        (Purpose::SetLogin, false) => (
            notices::set_login_link(code, &link, expires),
            "verification_link_sent",
        ),
        (Purpose::ChangeEmail, false) => (
            notices::change_email_link(code, &link, expires),
            "verification_link_sent",
        ),
        (Purpose::SetLogin, true) => (
            notices::address_in_use_register(now),
            "verification_address_taken",
        ),
        (Purpose::ChangeEmail, true) => (
            notices::address_in_use_change(now),
            "verification_address_taken",
        ),
    };
    queue::enqueue(txn, &st.seal_key(), mail(email.to_owned(), m), now).await?;
    let mut entry = audit::Entry::new(action)
        .subject(Some(customer_id))
        .detail(json!({ "purpose": purpose.code(), "verification": row.id }));
    if let Some(by) = requested_by {
        entry = entry.actor(by);
    }
    audit::append(txn, now, entry).await?;
    Ok(if taken {
        Offered::AddressTaken
    } else {
        Offered::Link
    })
}

/// A link that can still be used, for the page it opens.
pub async fn find_usable(st: &AppState, token: &str) -> Result<ev::Model, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::ResetExpired);
    }
    let now = st.clock.now();
    let v = ev::Entity::find()
        .filter(ev::Column::TokenHash.eq(token_hash(token)))
        .one(&st.db)
        .await?
        .ok_or(AppError::ResetExpired)?;
    // Used says so, even after the 24 hours: "expired" would send the customer to start a
    // procedure that is already complete.
    if v.used_at.is_some() {
        return Err(AppError::LinkUsed);
    }
    if v.expires_at <= now {
        return Err(AppError::ResetExpired);
    }
    Ok(v)
}

/// Marks the link used, once, even under concurrent submissions, and voids its siblings.
pub(super) async fn consume(
    txn: &impl ConnectionTrait,
    v: &ev::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let won = ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::Id.eq(v.id))
        .filter(ev::Column::UsedAt.is_null())
        .filter(ev::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?
        .rows_affected;
    if won != 1 {
        return Err(AppError::ResetExpired);
    }
    // Other links of the same kind for this customer are void once one has been used.
    ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::CustomerId.eq(v.customer_id))
        .filter(ev::Column::Purpose.eq(&v.purpose))
        .filter(ev::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// A unique-key violation on `logins` (a race past the check) is the "address taken" answer.
pub(super) fn unique_to_taken(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => email_taken(),
        _ => e.into(),
    }
}
