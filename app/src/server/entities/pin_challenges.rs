use sea_orm::entity::prelude::*;

/// A PIN challenge. Holds hashes only; never `Serialize`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pin_challenges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Random id in the PIN page's URL; says nothing about the customer.
    #[sea_orm(unique)]
    pub public_id: String,
    /// `None` for a request that matched no customer: it can never be verified.
    pub customer_id: Option<i64>,
    pub channel: crate::model::ResetChannel,
    pub destination_key: String,
    pub pin_hash: String,
    pub client_key: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub wrong_count: i32,
    pub send_count: i32,
    pub last_sent_at: DateTimeUtc,
    pub consumed_at: Option<DateTimeUtc>,
    pub grant_hash: Option<String>,
    pub grant_expires_at: Option<DateTimeUtc>,
    pub grant_used_at: Option<DateTimeUtc>,
    /// The PIN sealed under `DAIKO_SECRET` (for resends); `None` once the challenge ends.
    pub pin_sealed: Option<String>,
    /// Keyed hash of the typed お客様ID: the per-customer failure limit's key, decoys included.
    pub subject_key: String,
    /// `self` (お問い合わせ, entered by its link) or `staff` (entered with the お客様ID).
    pub origin: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
