use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// お客様ID: public, printed on paper, never a secret.
    #[sea_orm(unique)]
    pub customer_code: String,
    pub name: String,
    pub kana: String,
    pub phone: Option<String>,
    pub rank: crate::domain::rank::Rank,
    pub upline_id: Option<i64>,
    pub division_id: Option<i64>,
    pub can_register: bool,
    pub screen_variant: crate::domain::rank::ScreenVariant,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    /// Ids from the root down to this customer, `/1/10/20/` (see `server::network`).
    pub path: String,
    /// Customers strictly below this one; kept by `network` on every insert and move.
    pub downline_count: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
