//! The hash chain checked in the background (the same check as `daiko audit verify`): a large
//! log takes seconds to read, so the 監査ログ screen shows the last result instead of waiting.
//! At most one check runs per process; the server starts one at boot and then periodically.
use super::audit::{self, Verdict};
use super::clock::Clock;
use crate::domain::time::offset;
use crate::staff::audit_log::ChainStatus;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
enum Finished {
    Intact(u64),
    Broken { at_id: Option<i64>, reason: String },
    Failed,
}

#[derive(Default)]
struct Inner {
    last: Option<(Finished, DateTime<Utc>)>,
    running: bool,
}

#[derive(Default)]
pub struct AuditCheck {
    inner: Mutex<Inner>,
}

impl AuditCheck {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock leaves plain data behind: keep using it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn status(&self) -> ChainStatus {
        let g = self.lock();
        let running = g.running;
        match &g.last {
            None => ChainStatus::NotChecked { running },
            Some((f, at)) => {
                let checked_at = at
                    .with_timezone(&offset())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
                match f.clone() {
                    Finished::Intact(entries) => ChainStatus::Intact {
                        entries,
                        checked_at,
                        running,
                    },
                    Finished::Broken { at_id, reason } => ChainStatus::Broken {
                        at_id,
                        reason,
                        checked_at,
                        running,
                    },
                    Finished::Failed => ChainStatus::Failed {
                        checked_at,
                        running,
                    },
                }
            }
        }
    }

    /// Starts a check unless one is running; returns whether this call started it.
    pub fn start(self: &Arc<Self>, db: DatabaseConnection, clock: Clock) -> bool {
        {
            let mut g = self.lock();
            if g.running {
                return false;
            }
            g.running = true;
        }
        let me = Arc::clone(self);
        tokio::spawn(async move {
            let result = match audit::verify(&db).await {
                Ok(Verdict::Intact { entries }) => Finished::Intact(entries),
                Ok(Verdict::Broken { at_id, reason }) => {
                    tracing::error!(at_id, reason, "audit chain broken");
                    Finished::Broken {
                        at_id: (at_id > 0).then_some(at_id),
                        reason: reason.to_owned(),
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "audit chain check failed");
                    Finished::Failed
                }
            };
            let mut g = me.lock();
            g.last = Some((result, clock.now()));
            g.running = false;
        });
        true
    }

    /// A check now and then every `every`.
    pub fn spawn_periodic(
        self: &Arc<Self>,
        db: DatabaseConnection,
        clock: Clock,
        every: std::time::Duration,
    ) {
        let me = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                me.start(db.clone(), clock.clone());
            }
        });
    }
}
