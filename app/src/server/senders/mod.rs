//! Delivery of messages to customers. Each provider gets its own typed client here; the
//! choice between them (and the development outbox) belongs to the PIN flow, not to the
//! clients.
pub mod outbox;
pub mod queue_adapters;
pub mod smtp;
pub mod twilio;

use crate::server::entities::outgoing_messages::{self as om, Channel};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use outbox::{Delivered, Outbox, OutboxStore};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// Delivers one message (its body already opened); returns the provider's id for it, if any.
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a>;

    /// Can this channel send at all? A channel without settings fails every message at once,
    /// decoys included, so its PIN pages look alike.
    fn ready(&self) -> Result<(), SendError> {
        Ok(())
    }
}

/// One sender per channel.
#[derive(Clone)]
pub struct Senders {
    pub mail: Arc<dyn Sender>,
    pub sms: Arc<dyn Sender>,
    pub voice: Arc<dyn Sender>,
    /// The development outbox's mailbox, when the outbox is the sender.
    pub outbox: Option<Arc<OutboxStore>>,
}

impl Senders {
    pub fn outbox() -> Self {
        let store = Arc::new(OutboxStore::default());
        let s: Arc<dyn Sender> = Arc::new(Outbox(store.clone()));
        Senders {
            mail: s.clone(),
            sms: s.clone(),
            voice: s,
            outbox: Some(store),
        }
    }

    pub(crate) fn for_channel(&self, channel: Channel) -> &Arc<dyn Sender> {
        match channel {
            Channel::Mail => &self.mail,
            Channel::Sms => &self.sms,
            Channel::Voice => &self.voice,
        }
    }
}
