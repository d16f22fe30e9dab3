use sea_orm::entity::prelude::*;

/// Where a legacy login stands in the R2 consolidation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum Status {
    /// Imported; the customer still has several and none is the login yet.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Chosen as the customer's one login (a `logins` row was created from it).
    #[sea_orm(string_value = "kept")]
    Kept,
    /// No longer a login; its holder was told by mail.
    #[sea_orm(string_value = "retired")]
    Retired,
}

/// A login of the old system, for customers that had more than one (R2). Holds no password:
/// the old system's passwords are never imported.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legacy_logins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    /// Lower-cased, as in `logins`.
    pub email: String,
    pub imported_at: DateTimeUtc,
    pub status: Status,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
