//! E-mail verification links (R1, R2): an address becomes a login e-mail only after the
//! customer opens the link sent to it. The table holds the token's SHA-256, never the token.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    Id,
    TokenHash,
    CustomerId,
    Email,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RequestedBy,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(
                        ColumnDef::new(EmailVerifications::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::CustomerId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ts(EmailVerifications::CreatedAt))
                    .col(ts(EmailVerifications::ExpiresAt))
                    .col(
                        ColumnDef::new(EmailVerifications::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::RequestedBy)
                            .big_integer()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_verifications_customer")
                            .from(EmailVerifications::Table, EmailVerifications::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_verifications_requested_by")
                            .from(EmailVerifications::Table, EmailVerifications::RequestedBy)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_verifications_customer_at")
                    .table(EmailVerifications::Table)
                    .col(EmailVerifications::CustomerId)
                    .col(EmailVerifications::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailVerifications::Table).to_owned())
            .await
    }
}
