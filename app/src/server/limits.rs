//! Rate limits, one counting rule for all of them: a limit is a [`Window`] (a bucket, a
//! maximum and a period); an event is a row in `limit_events` under a keyed hash of what is
//! limited (a client address, a phone number, a typed お客様ID or e-mail). Counting and
//! recording happen in the caller's transaction after [`lock`], so concurrent requests for
//! the same key are serialised and a limit of N lets exactly N through.
use super::entities::limit_events as le;
use super::keyed;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Set, Statement, TransactionTrait,
};

/// One limit: at most `max` events per `period` for one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub bucket: &'static str,
    pub max: u32,
    pub period: Duration,
}

/// The longest period of any window: older events are pruned.
pub const LONGEST: Duration = Duration::hours(24);

/// The stored key of a subject in a bucket (HMAC under `DAIKO_SECRET`, never the value itself).
pub fn key(secret: &str, bucket: &str, subject: &str) -> String {
    keyed::keyed_hex(secret, &format!("limit|{bucket}"), &[subject.as_bytes()])
}

/// Serialises everyone counting `key`. Must be the transaction's FIRST statement on SQLite:
/// there it takes the database's write lock (a transaction that has read first cannot wait
/// for the lock later: SQLITE_BUSY at once). PostgreSQL takes an advisory lock on the key,
/// held until commit or rollback. Several keys in one transaction: always lock in the same
/// order (callers lock client before phone before customer).
pub async fn lock(txn: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    match txn.get_database_backend() {
        DbBackend::Sqlite => {
            txn.execute_unprepared("UPDATE limit_events SET id = id WHERE id = -1")
                .await?;
        }
        DbBackend::Postgres => {
            let id = i64::from_str_radix(&key[..15.min(key.len())], 16).unwrap_or(0);
            txn.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [id.into()],
            ))
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Events of `key` inside the window ending now.
pub async fn used(
    txn: &impl ConnectionTrait,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    le::Entity::find()
        .filter(le::Column::Bucket.eq(w.bucket))
        .filter(le::Column::Key.eq(key))
        .filter(le::Column::At.gt(now - w.period))
        .count(txn)
        .await
}

pub async fn record(
    txn: &impl ConnectionTrait,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    le::ActiveModel {
        bucket: Set(w.bucket.into()),
        key: Set(key.into()),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Is the window full? (Caller holds the lock.)
pub async fn exhausted(
    txn: &impl ConnectionTrait,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(used(txn, w, key, now).await? >= u64::from(w.max))
}

/// The rule: under the limit, record one event and allow; at the limit, refuse and record
/// nothing. (Caller holds the lock.)
pub async fn take(
    txn: &impl ConnectionTrait,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if exhausted(txn, w, key, now).await? {
        return Ok(false);
    }
    record(txn, w, key, now).await?;
    Ok(true)
}

/// [`take`] in a transaction of its own (lock, count, record, commit), for a check that
/// writes nothing else.
pub async fn take_alone(
    db: &DatabaseConnection,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    lock(&txn, key).await?;
    let allowed = take(&txn, w, key, now).await?;
    txn.commit().await?;
    Ok(allowed)
}

/// Takes back the event just recorded at `now` (e.g. a login attempt that succeeded).
pub async fn forget_one(
    db: &impl ConnectionTrait,
    w: &Window,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    le::Entity::delete_many()
        .filter(le::Column::Bucket.eq(w.bucket))
        .filter(le::Column::Key.eq(key))
        .filter(le::Column::At.eq(now))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a key's events in a bucket (e.g. a successful login clears its failures).
pub async fn clear(txn: &impl ConnectionTrait, w: &Window, key: &str) -> Result<(), DbErr> {
    le::Entity::delete_many()
        .filter(le::Column::Bucket.eq(w.bucket))
        .filter(le::Column::Key.eq(key))
        .exec(txn)
        .await?;
    Ok(())
}

/// Housekeeping: events older than every window.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(le::Entity::delete_many()
        .filter(le::Column::At.lt(now - LONGEST))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_keyed_per_bucket() {
        let a = key("s", "pin-client", "127.0.0.1");
        assert_eq!(a.len(), 64);
        assert_ne!(a, key("s", "pin-phone", "127.0.0.1"));
        assert_ne!(a, key("t", "pin-client", "127.0.0.1"));
        assert!(!a.contains("127"));
    }
}
