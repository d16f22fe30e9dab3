//! The development outbox (`DAIKO_DEV_OUTBOX`): messages are kept in memory for `/dev/outbox`
//! and the tests instead of being sent.
use super::{SendFuture, Sender};
use crate::server::entities::outgoing_messages::{self as om, Channel};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A message as the development outbox received it (the body in plain text, in memory only).
#[derive(Clone, Debug)]
pub struct Delivered {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// The development outbox's mailbox: the last messages "sent", kept in this process's memory
/// (never in the database) for `/dev/outbox` and the tests.
#[derive(Default)]
pub struct OutboxStore(Mutex<VecDeque<Delivered>>);

const OUTBOX_KEEP: usize = 500;

impl OutboxStore {
    pub fn latest(&self, n: usize) -> Vec<Delivered> {
        let q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        q.iter().rev().take(n).cloned().collect()
    }

    pub(super) fn push(&self, d: Delivered) {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if q.len() >= OUTBOX_KEEP {
            q.pop_front();
        }
        q.push_back(d);
    }
}

/// Development sender: keeps the message in the [`OutboxStore`]; logs only that it did.
pub struct Outbox(pub Arc<OutboxStore>);

impl Sender for Outbox {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move {
            self.0.push(Delivered {
                id: m.id,
                channel: m.channel,
                recipient: m.recipient.clone(),
                subject: m.subject.clone(),
                body: m.body.clone(),
                at: Utc::now(),
            });
            tracing::info!(
                id = m.id,
                channel = m.channel.code(),
                "outbox: message kept for /dev/outbox"
            );
            Ok(None)
        })
    }
}
