use sea_orm::entity::prelude::*;

/// The stored 還元額 of a closed month for one customer. Version 1 is written by the close,
/// each reissue (第2版, …) adds a row; rows are never updated, so every version stays
/// reproducible from its own figures.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rebate_statements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub version: i32,
    pub base_yen: i64,
    pub amount_yen: i64,
    /// JSON of the month's figures as computed (segments: rate, base, amount).
    pub figures: String,
    pub issued_at: DateTimeUtc,
    pub issued_by: Option<i64>,
    /// Why a reissue was made (NULL for version 1).
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
