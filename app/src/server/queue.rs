//! The persistent outgoing-message queue. A message is a database row written in the same
//! transaction as what caused it; workers in any server process claim due rows with a lease
//! (`locked_until`), deliver them through a [`Sender`], and record each attempt. A worker
//! killed mid-delivery leaves the row queued; it is retried when the lease runs out.
//!
//! Bodies hold PINs and link tokens: a row holds its body sealed (`server::seal`) while it
//! waits and nothing once it has been handed over or has failed; the worker opens it only for
//! the moment of sending. Nothing here logs a body or a recipient.
use super::clock::Clock;
use super::entities::outgoing_messages::{self as om, Channel, Status};
use super::seal::{self, SealKey};
use super::senders::{SendError, Senders};
use super::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub const MAX_ATTEMPTS: i32 = 8;
const LEASE: i64 = 60;

#[derive(Clone, Debug)]
pub struct NewMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub challenge_id: Option<i64>,
}

/// What a sealed body is bound to: it opens only on a row with the same channel and recipient.
fn body_aad(channel: Channel, recipient: &str) -> Vec<u8> {
    format!("outgoing|{}|{recipient}", channel.code()).into_bytes()
}

/// The plain body of a queued row (what the worker hands to the sender).
pub fn open_body(key: &SealKey, m: &om::Model) -> Result<String, seal::SealError> {
    key.open(&body_aad(m.channel, &m.recipient), &m.body)
}

/// Queues a message; its body is sealed before it reaches the database.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    key: &SealKey,
    m: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let body = key.seal(&body_aad(m.channel, &m.recipient), &m.body);
    insert(db, m, body, false, now).await
}

/// Queues the stand-in for a PIN request that matched nobody: the worker treats it like a
/// message on its channel (so the PIN page changes state the same way) but sends nothing.
/// `m` is sealed like a real body (the same work; its PIN can never be entered).
pub async fn enqueue_decoy(
    db: &impl ConnectionTrait,
    key: &SealKey,
    m: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let m = NewMessage {
        recipient: String::new(),
        ..m
    };
    let body = key.seal(&body_aad(m.channel, &m.recipient), &m.body);
    insert(db, m, body, true, now).await
}

async fn insert(
    db: &impl ConnectionTrait,
    m: NewMessage,
    body: String,
    decoy: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let row = om::ActiveModel {
        channel: Set(m.channel),
        recipient: Set(m.recipient),
        subject: Set(m.subject),
        body: Set(body),
        challenge_id: Set(m.challenge_id),
        decoy: Set(decoy),
        status: Set(Status::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        provider_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Wait before the next attempt: 10 s, 20 s, 40 s … capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 12) - 1;
    Duration::seconds(Ord::min(10i64 << exp, 3600))
}

/// Claims and delivers up to `batch` due messages; returns how many were attempted.
pub async fn deliver_due(st: &AppState, batch: u64) -> Result<usize, DbErr> {
    deliver_with(&st.db, &st.senders, &st.clock, &st.seal_key(), batch).await
}

async fn deliver_with(
    db: &DatabaseConnection,
    senders: &Senders,
    clock: &Clock,
    key: &SealKey,
    batch: u64,
) -> Result<usize, DbErr> {
    let now = clock.now();
    let due = om::Entity::find()
        .filter(om::Column::Status.eq(Status::Queued))
        .filter(om::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(om::Column::LockedUntil.is_null())
                .add(om::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(om::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut attempted = 0;
    for m in due {
        // The lease: only the process whose UPDATE matched delivers this row.
        let claimed = om::Entity::update_many()
            .col_expr(
                om::Column::LockedUntil,
                Expr::value(now + Duration::seconds(LEASE)),
            )
            .col_expr(om::Column::Attempts, Expr::col(om::Column::Attempts).add(1))
            .filter(om::Column::Id.eq(m.id))
            .filter(om::Column::Status.eq(Status::Queued))
            .filter(
                Condition::any()
                    .add(om::Column::LockedUntil.is_null())
                    .add(om::Column::LockedUntil.lt(now)),
            )
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue;
        }
        attempted += 1;
        let attempts = m.attempts + 1;
        let (result, permanent) = attempt(senders, key, &m).await;
        let done = clock.now();
        let mut row: om::ActiveModel = om::ActiveModel {
            id: Set(m.id),
            ..Default::default()
        };
        row.locked_until = Set(None);
        row.updated_at = Set(done);
        let give_up = permanent || attempts >= MAX_ATTEMPTS;
        let action = match (&result, give_up) {
            (Ok(_), _) => "message_sent",
            (Err(_), true) => "message_failed",
            (Err(_), false) => "message_retry",
        };
        match result {
            Ok(provider_id) => {
                row.status = Set(Status::Sent);
                row.sent_at = Set(Some(done));
                row.provider_id = Set(provider_id);
                row.last_error = Set(None);
                row.body = Set(String::new());
            }
            Err(e) => {
                tracing::warn!(id = m.id, channel = m.channel.code(), attempts, error = %e, "delivery failed");
                let msg: String = e.0.chars().take(500).collect();
                row.last_error = Set(Some(msg));
                if give_up {
                    row.status = Set(Status::Failed);
                    row.body = Set(String::new());
                } else {
                    row.next_attempt_at = Set(done + backoff(attempts));
                }
            }
        }
        row.update(db).await?;
        // Every delivery attempt's outcome is in the audit log, without the message itself.
        let detail = serde_json::json!({ "message": m.id, "channel": m.channel.code(), "attempt": attempts, "challenge": m.challenge_id });
        super::audit::append(db, done, super::audit::Entry::new(action).detail(detail)).await?;
    }
    Ok(attempted)
}

/// One delivery attempt: the outcome, and whether a failure is final (the channel cannot send).
async fn attempt(
    senders: &Senders,
    key: &SealKey,
    m: &om::Model,
) -> (Result<Option<String>, SendError>, bool) {
    let sender = senders.for_channel(m.channel);
    if let Err(e) = sender.ready() {
        return (Err(e), true);
    }
    if m.decoy {
        return (Ok(None), false);
    }
    // Rows queued before bodies were sealed (migration 000009) hold plain text.
    let body = if seal::is_sealed(&m.body) {
        match open_body(key, m) {
            Ok(b) => b,
            Err(e) => return (Err(SendError(e.to_string())), true),
        }
    } else {
        m.body.clone()
    };
    let open = om::Model { body, ..m.clone() };
    (sender.send(&open).await, false)
}

/// The development outbox page: only when `DAIKO_DEV_OUTBOX` is on.
pub async fn latest_for_outbox(
    st: &AppState,
) -> Result<Vec<crate::recovery::OutboxItem>, crate::error::AppError> {
    let Some(store) = st.senders.outbox.as_ref().filter(|_| st.config.dev_outbox) else {
        return Err(crate::error::AppError::NotFound);
    };
    Ok(store
        .latest(50)
        .into_iter()
        .map(|m| crate::recovery::OutboxItem {
            id: m.id,
            channel: m.channel.code().into(),
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            status: "sent".into(),
            created_at: m
                .at
                .with_timezone(&crate::domain::time::offset())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        })
        .collect())
}

pub fn spawn_worker(st: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&st, 20).await {
                tracing::warn!(error = %e, "queue worker");
            }
        }
    });
}
#[cfg(test)]
mod tests {
    use super::backoff;
    use chrono::Duration;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::seconds(10));
        assert_eq!(backoff(2), Duration::seconds(20));
        assert_eq!(backoff(4), Duration::seconds(80));
        assert_eq!(backoff(12), Duration::seconds(3600));
    }
}
