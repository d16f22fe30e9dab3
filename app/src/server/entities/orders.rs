pub use crate::domain::order_status::OrderStatus;
use sea_orm::entity::prelude::*;

/// 注文. Totals are computed once, at ordering, by `domain::tax::totals` and stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 注文番号, e.g. `O-20261130-000123` (JST date and the row id).
    #[sea_orm(unique)]
    pub order_number: String,
    pub customer_id: i64,
    /// 受付 / 出荷済 / 納品済 / 取消, stored as the code (`received` …).
    pub status: OrderStatus,
    /// Optimistic version: every status change writes `version + 1` where the version is
    /// still the one the screen showed, so a stale screen gets a conflict, not an overwrite.
    pub version: i32,
    /// 出荷日 (JST date entered by staff).
    pub shipped_on: Option<Date>,
    /// 送り状番号.
    pub tracking_number: Option<String>,
    /// 取消理由 (required to cancel).
    pub cancel_reason: Option<String>,
    pub status_changed_at: Option<DateTimeUtc>,
    pub ordered_at: DateTimeUtc,
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
