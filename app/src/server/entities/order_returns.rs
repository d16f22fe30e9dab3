use sea_orm::entity::prelude::*;

/// 返品: its own row, counted in the JST month of `recorded_at` (not the order's month).
/// Amounts are the returned lines' share of the order, computed by `domain::tax::totals`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_returns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub recorded_at: DateTimeUtc,
    pub reason: String,
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
    /// The staff member's customer id.
    pub created_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
