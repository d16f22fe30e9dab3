use sea_orm::entity::prelude::*;

/// One returned order line: how many of it, and their tax-excluded amount.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_return_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub return_id: i64,
    pub order_line_id: i64,
    pub quantity: i32,
    /// unit_price_yen × quantity, excluding tax.
    pub amount_yen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
