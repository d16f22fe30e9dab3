use sea_orm::entity::prelude::*;

/// 注文明細: the product as it was when ordered (code, name, price, tax rate).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub unit_price_yen: i64,
    pub tax_rate_percent: i32,
    pub quantity: i32,
    /// unit_price_yen × quantity, excluding tax.
    pub amount_yen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
