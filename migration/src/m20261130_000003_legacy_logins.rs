//! R2 consolidation: the old system's logins of customers that arrived with more than one.
//! They wait here (`pending`) until one is kept and the rest retired, so the unique keys on
//! `logins` never have to be relaxed for the import.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LegacyLogins {
    Table,
    Id,
    CustomerId,
    Email,
    ImportedAt,
    Status,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LegacyLogins::Table)
                    .col(
                        ColumnDef::new(LegacyLogins::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LegacyLogins::CustomerId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LegacyLogins::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LegacyLogins::ImportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // The database, not only the code, refuses any other state.
                    .col(
                        ColumnDef::new(LegacyLogins::Status)
                            .string_len(10)
                            .not_null()
                            .check(
                                Expr::col(LegacyLogins::Status)
                                    .is_in(["pending", "kept", "retired"]),
                            ),
                    )
                    .col(
                        ColumnDef::new(LegacyLogins::ResolvedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_legacy_logins_customer")
                            .from(LegacyLogins::Table, LegacyLogins::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One row per (customer, address): what makes re-running an import a no-op.
        manager
            .create_index(
                Index::create()
                    .name("uq_legacy_logins_customer_email")
                    .table(LegacyLogins::Table)
                    .col(LegacyLogins::CustomerId)
                    .col(LegacyLogins::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Conflict checks look addresses up across customers.
        manager
            .create_index(
                Index::create()
                    .name("idx_legacy_logins_email")
                    .table(LegacyLogins::Table)
                    .col(LegacyLogins::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_legacy_logins_status")
                    .table(LegacyLogins::Table)
                    .col(LegacyLogins::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LegacyLogins::Table).to_owned())
            .await
    }
}
