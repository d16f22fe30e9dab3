use sea_orm::entity::prelude::*;

/// 還元率: one rank's rate from a date on. Rows are only ever added (history kept).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rebate_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `Rank::code()`
    pub rank: crate::domain::rank::Rank,
    /// 1 bp = 0.01 %: 500 = 5 %.
    pub rate_basis_points: i32,
    /// First JST day the rate applies to.
    pub effective_from: Date,
    pub created_at: DateTimeUtc,
    /// The staff member's customer id; NULL for demo data.
    pub created_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
