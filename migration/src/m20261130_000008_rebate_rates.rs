//! 還元率 as data (#5, SPEC R8): staff add a rate for a rank effective from a date; rows are
//! never updated or deleted, so every past statement can be recomputed from the history.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RebateRates {
    Table,
    Id,
    Rank,
    RateBasisPoints,
    EffectiveFrom,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RebateRates::Table)
                    .col(
                        ColumnDef::new(RebateRates::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RebateRates::Rank).string_len(32).not_null())
                    // 1 bp = 0.01 %; 500 = 5 %.
                    .col(
                        ColumnDef::new(RebateRates::RateBasisPoints)
                            .integer()
                            .not_null()
                            .check(Expr::col(RebateRates::RateBasisPoints).between(0, 10_000)),
                    )
                    .col(ColumnDef::new(RebateRates::EffectiveFrom).date().not_null())
                    .col(
                        ColumnDef::new(RebateRates::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // The staff member's customer id; NULL for demo data and the CLI.
                    .col(ColumnDef::new(RebateRates::CreatedBy).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rebate_rates_rank_from")
                    .table(RebateRates::Table)
                    .col(RebateRates::Rank)
                    .col(RebateRates::EffectiveFrom)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RebateRates::Table).to_owned())
            .await
    }
}
