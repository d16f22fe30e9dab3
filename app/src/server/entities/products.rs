use sea_orm::entity::prelude::*;

/// 商品. `price_yen` excludes consumption tax; `tax_rate_percent` is 10 or 8 (軽減税率).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 商品コード, e.g. `A-1001`.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kana: String,
    /// `search_key::text_key` of the name and of the kana, joined by a space.
    pub name_key: String,
    pub price_yen: i64,
    pub tax_rate_percent: i32,
    /// URL path under the site, e.g. `/products/a-1001.svg`.
    pub picture: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
