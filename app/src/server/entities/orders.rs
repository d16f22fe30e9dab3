use sea_orm::entity::prelude::*;

/// 注文. Totals are computed once, at ordering, by `server::tax::totals` and stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 注文番号, e.g. `O-20261130-000123` (JST date and the row id).
    #[sea_orm(unique)]
    pub order_number: String,
    pub customer_id: i64,
    /// `received` 受付, `shipped` 出荷済, `delivered` 納品済, `cancelled` 取消.
    pub status: String,
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
