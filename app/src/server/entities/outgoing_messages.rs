pub use crate::model::ResetChannel as Channel;
use sea_orm::entity::prelude::*;

/// Where a queued message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
pub enum Status {
    /// Waiting for the worker (or for its next try).
    #[sea_orm(string_value = "queued")]
    Queued,
    /// Handed over to the mail server or Twilio.
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Twilio reported it delivered (or the call completed).
    #[sea_orm(string_value = "delivered")]
    Delivered,
    /// Twilio reported it not delivered (busy, no answer, refused …).
    #[sea_orm(string_value = "undelivered")]
    Undelivered,
    /// Given up after the last try, or the channel cannot send.
    #[sea_orm(string_value = "failed")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outgoing_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    /// Sealed (see `server::seal`) while queued; empty once handed over or failed.
    pub body: String,
    pub challenge_id: Option<i64>,
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The stand-in queued for a PIN request that matched nobody: goes through the worker,
    /// reaches no one.
    pub decoy: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
