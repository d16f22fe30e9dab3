//! The persistent outgoing-message queue. A message is a database row written in the same
//! transaction as what caused it; workers in any server process claim due rows with a lease
//! (`locked_until`), deliver them through a [`Sender`], and record each attempt. A worker
//! killed mid-delivery leaves the row queued; it is retried when the lease runs out.
use super::clock::Clock;
use super::entities::outgoing_messages as om;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub const MAX_ATTEMPTS: i32 = 8;
const LEASE: i64 = 60;

#[derive(Clone, Debug)]
pub struct NewMessage {
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub challenge_id: Option<i64>,
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    m: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let row = om::ActiveModel {
        channel: Set(m.channel),
        recipient: Set(m.recipient),
        subject: Set(m.subject),
        body: Set(m.body),
        challenge_id: Set(m.challenge_id),
        status: Set("queued".into()),
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

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// Delivers one message; returns the provider's id for it, if any.
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a>;
}

/// Development sender: the message stays in the table (shown at /dev/outbox) and is logged.
pub struct Outbox;

impl Sender for Outbox {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(id = m.id, channel = %m.channel, to = %m.recipient, subject = %m.subject, "outbox:\n{}", m.body);
            Ok(None)
        })
    }
}

/// One sender per channel.
#[derive(Clone)]
pub struct Senders {
    pub mail: Arc<dyn Sender>,
    pub sms: Arc<dyn Sender>,
    pub voice: Arc<dyn Sender>,
}

impl Senders {
    pub fn outbox() -> Self {
        Senders {
            mail: Arc::new(Outbox),
            sms: Arc::new(Outbox),
            voice: Arc::new(Outbox),
        }
    }

    fn for_channel(&self, channel: &str) -> Option<&Arc<dyn Sender>> {
        match channel {
            "mail" => Some(&self.mail),
            "sms" => Some(&self.sms),
            "voice" => Some(&self.voice),
            _ => None,
        }
    }
}

/// Claims and delivers up to `batch` due messages; returns how many were attempted.
pub async fn deliver_due(
    db: &DatabaseConnection,
    senders: &Senders,
    clock: &Clock,
    batch: u64,
) -> Result<usize, DbErr> {
    let now = clock.now();
    let due = om::Entity::find()
        .filter(om::Column::Status.eq("queued"))
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
            .filter(om::Column::Status.eq("queued"))
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
        let result = match senders.for_channel(&m.channel) {
            Some(s) => s.send(&m).await,
            None => Err(SendError(format!("unknown channel {}", m.channel))),
        };
        let done = clock.now();
        let mut row: om::ActiveModel = om::ActiveModel {
            id: Set(m.id),
            ..Default::default()
        };
        row.locked_until = Set(None);
        row.updated_at = Set(done);
        let action = match (&result, attempts >= MAX_ATTEMPTS) {
            (Ok(_), _) => "message_sent",
            (Err(_), true) => "message_failed",
            (Err(_), false) => "message_retry",
        };
        match result {
            Ok(provider_id) => {
                row.status = Set("sent".into());
                row.sent_at = Set(Some(done));
                row.provider_id = Set(provider_id);
                row.last_error = Set(None);
            }
            Err(e) => {
                tracing::warn!(id = m.id, channel = %m.channel, attempts, error = %e, "delivery failed");
                let msg: String = e.0.chars().take(500).collect();
                row.last_error = Set(Some(msg));
                if attempts >= MAX_ATTEMPTS {
                    row.status = Set("failed".into());
                } else {
                    row.next_attempt_at = Set(done + backoff(attempts));
                }
            }
        }
        row.update(db).await?;
        // Every delivery attempt's outcome is in the audit log, without the message itself.
        let detail = serde_json::json!({ "message": m.id, "channel": m.channel, "attempt": attempts, "challenge": m.challenge_id });
        super::audit::append(db, done, super::audit::Entry::new(action).detail(detail)).await?;
    }
    Ok(attempted)
}

/// The development outbox page: only when `DAIKO_DEV_OUTBOX` is on.
pub async fn latest_for_outbox(
    st: &super::state::AppState,
) -> Result<Vec<crate::recovery::OutboxItem>, crate::error::AppError> {
    if !st.config.dev_outbox {
        return Err(crate::error::AppError::NotFound);
    }
    let rows = om::Entity::find()
        .order_by_desc(om::Column::Id)
        .limit(50)
        .all(&st.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| crate::recovery::OutboxItem {
            id: m.id,
            channel: m.channel,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            status: m.status,
            created_at: m
                .created_at
                .with_timezone(&super::pin::jst())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        })
        .collect())
}

pub fn spawn_worker(
    db: DatabaseConnection,
    senders: Senders,
    clock: Clock,
    every: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&db, &senders, &clock, 20).await {
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
