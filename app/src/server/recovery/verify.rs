//! Entering a PIN: on the PIN page (`verify`) or with the お客様ID after a reset started by
//! staff (`verify_by_id`). Each entry runs in one transaction under the lock of the typed
//! お客様ID, so the 5-wrong rule and the per-customer hourly limit hold under any number of
//! concurrent entries, and a right PIN consumes its challenge exactly once. A decoy challenge
//! (and an unknown お客様ID) goes through the same steps and the same limits.
use super::{find_challenge, pin_matches, refusal, state_of, subject_key};
use crate::error::AppError;
use crate::server::entities::pin_challenges as pc;
use crate::server::{audit, limits, pin, sha256_hex, state::AppState};
use crate::validation;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

/// A hash no PIN matches, checked when there is no challenge, so that path costs the same.
const NO_CHALLENGE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Checks a PIN typed on its PIN page. Right: the challenge is consumed and a grant token
/// for the password form is returned.
pub async fn verify(st: &AppState, public_id: &str, typed: &str) -> Result<String, AppError> {
    let typed = validation::pin(typed)?;
    let found = find_challenge(&st.db, public_id).await?;
    if found.origin == "staff" {
        // Entered with the お客様ID only; its page address is never shown to anyone.
        return Err(AppError::NotFound);
    }
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    limits::lock(&txn, &found.subject_key).await?;
    let c = find_challenge(&txn, public_id).await?;
    pin::may_enter(&st.config.pin, &state_of(&c), now).map_err(refusal)?;
    customer_limit(st, &txn, &c.subject_key, c.customer_id, now).await?;
    let right = pin_matches(&st.config.secret, &c.public_id, &typed, &c.pin_hash)
        && c.customer_id.is_some();
    if right {
        let grant = consume(&txn, &c, now).await?;
        txn.commit().await?;
        return Ok(grant);
    }
    let locked = wrong_entry(st, &txn, &c, now).await?;
    txn.commit().await?;
    Err(if locked {
        AppError::PinLocked
    } else {
        AppError::PinWrong
    })
}

/// お客様ID + PIN after a reset started by staff. Only staff-started challenges are looked
/// at, so nobody can spend a customer's own お問い合わせ PIN this way; wrong entries are
/// counted per お客様ID whether or not such a challenge exists, so the answers (wrong, then
/// locked after five) are the same for a real, a targeted and an unknown お客様ID.
pub async fn verify_by_id(
    st: &AppState,
    customer_code: &str,
    typed: &str,
) -> Result<String, AppError> {
    let code = validation::customer_code(customer_code)?;
    let typed = validation::pin(typed)?;
    let now = st.clock.now();
    let policy = &st.config.pin;
    let key = subject_key(st, &code);
    let txn = st.db.begin().await?;
    limits::lock(&txn, &key).await?;
    if limits::exhausted(&txn, &policy.by_id_window(), &key, now).await? {
        return Err(AppError::PinLocked);
    }
    let live = pc::Entity::find()
        .filter(pc::Column::SubjectKey.eq(&key))
        .filter(pc::Column::Origin.eq("staff"))
        .filter(pc::Column::ConsumedAt.is_null())
        .filter(pc::Column::ExpiresAt.gt(now))
        .filter(pc::Column::WrongCount.lt(policy.max_wrong as i32))
        .order_by_desc(pc::Column::Id)
        .one(&txn)
        .await?;
    let customer_id = live.as_ref().and_then(|c| c.customer_id);
    customer_limit(st, &txn, &key, customer_id, now).await?;
    let right = match &live {
        Some(c) => {
            pin_matches(&st.config.secret, &c.public_id, &typed, &c.pin_hash)
                && c.customer_id.is_some()
        }
        None => pin_matches(&st.config.secret, "", &typed, NO_CHALLENGE),
    };
    if let (true, Some(c)) = (right, &live) {
        let grant = consume(&txn, c, now).await?;
        limits::clear(&txn, &policy.by_id_window(), &key).await?;
        txn.commit().await?;
        return Ok(grant);
    }
    limits::record(&txn, &policy.by_id_window(), &key, now).await?;
    let locked = match &live {
        Some(c) => wrong_entry(st, &txn, c, now).await?,
        None => {
            limits::record(&txn, &policy.customer_failure_window(), &key, now).await?;
            audit::append(
                &txn,
                now,
                audit::Entry::new("pin_wrong").detail(json!({ "by_id": true })),
            )
            .await?;
            false
        }
    };
    let locked = locked || limits::exhausted(&txn, &policy.by_id_window(), &key, now).await?;
    if locked {
        if let Some(c) = &live {
            void(&txn, c.id, policy.max_wrong).await?;
        }
    }
    txn.commit().await?;
    Err(if locked {
        AppError::PinLocked
    } else {
        AppError::PinWrong
    })
}

/// The hourly limit of wrong PINs per typed お客様ID (decoys included).
async fn customer_limit(
    st: &AppState,
    txn: &DatabaseTransaction,
    key: &str,
    customer_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let w = st.config.pin.customer_failure_window();
    if limits::exhausted(txn, &w, key, now).await? {
        audit::append(
            txn,
            now,
            audit::Entry::new("pin_limit_customer").subject(customer_id),
        )
        .await?;
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}

/// Records a wrong entry; returns whether it voided the PIN.
async fn wrong_entry(
    st: &AppState,
    txn: &DatabaseTransaction,
    c: &pc::Model,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let max = st.config.pin.max_wrong as i32;
    let locked = c.wrong_count + 1 >= max;
    let mut q = pc::Entity::update_many()
        .col_expr(
            pc::Column::WrongCount,
            Expr::col(pc::Column::WrongCount).add(1),
        )
        .filter(pc::Column::Id.eq(c.id));
    if locked {
        // A void PIN is never resent: its sealed copy goes.
        q = q.col_expr(pc::Column::PinSealed, Expr::value(Option::<String>::None));
    }
    q.exec(txn).await?;
    let w = st.config.pin.customer_failure_window();
    limits::record(txn, &w, &c.subject_key, now).await?;
    let action = if locked { "pin_locked" } else { "pin_wrong" };
    audit::append(
        txn,
        now,
        audit::Entry::new(action)
            .subject(c.customer_id)
            .detail(json!({ "challenge": c.id })),
    )
    .await?;
    Ok(locked)
}

async fn void(txn: &impl ConnectionTrait, id: i64, max_wrong: u32) -> Result<(), AppError> {
    pc::Entity::update_many()
        .col_expr(pc::Column::WrongCount, Expr::value(max_wrong as i32))
        .col_expr(pc::Column::PinSealed, Expr::value(Option::<String>::None))
        .filter(pc::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Consumes the challenge (under the caller's lock) and returns a fresh grant token.
async fn consume(
    txn: &DatabaseTransaction,
    c: &pc::Model,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let grant = super::random_hex();
    let won = pc::Entity::update_many()
        .col_expr(pc::Column::ConsumedAt, Expr::value(now))
        .col_expr(
            pc::Column::GrantHash,
            Expr::value(sha256_hex(&[grant.as_bytes()])),
        )
        .col_expr(
            pc::Column::GrantExpiresAt,
            Expr::value(now + Duration::minutes(super::GRANT_TTL_MINUTES)),
        )
        .col_expr(pc::Column::PinSealed, Expr::value(Option::<String>::None))
        .filter(pc::Column::Id.eq(c.id))
        .filter(pc::Column::ConsumedAt.is_null())
        .exec(txn)
        .await?
        .rows_affected;
    if won != 1 {
        return Err(AppError::PinUsed);
    }
    audit::append(
        txn,
        now,
        audit::Entry::new("pin_verified")
            .subject(c.customer_id)
            .detail(json!({ "challenge": c.id })),
    )
    .await?;
    Ok(grant)
}
