use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outgoing_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `mail`, `sms` or `voice`.
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    /// Sealed (see `server::seal`) while queued; empty once handed over or failed.
    pub body: String,
    pub challenge_id: Option<i64>,
    /// `queued`, `sent`, `delivered` or `failed`.
    pub status: String,
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
