//! Self-service reset (R3): PIN challenges and the persistent outgoing-message queue.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PinChallenges {
    Table,
    Id,
    PublicId,
    CustomerId,
    Channel,
    DestinationKey,
    PinHash,
    ClientKey,
    CreatedAt,
    ExpiresAt,
    WrongCount,
    SendCount,
    LastSentAt,
    ConsumedAt,
    GrantHash,
    GrantExpiresAt,
    GrantUsedAt,
}

#[derive(DeriveIden)]
enum OutgoingMessages {
    Table,
    Id,
    Channel,
    Recipient,
    Subject,
    Body,
    ChallengeId,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    ProviderId,
    CreatedAt,
    UpdatedAt,
    SentAt,
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

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A request whose お客様ID and destination do not match still gets a challenge row
        // (customer_id NULL, no message): the answer and its timing are the same either way.
        manager
            .create_table(
                Table::create()
                    .table(PinChallenges::Table)
                    .col(
                        ColumnDef::new(PinChallenges::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::PublicId)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::CustomerId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::Channel)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::DestinationKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::PinHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::ClientKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ts(PinChallenges::CreatedAt))
                    .col(ts(PinChallenges::ExpiresAt))
                    .col(
                        ColumnDef::new(PinChallenges::WrongCount)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(PinChallenges::SendCount)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ts(PinChallenges::LastSentAt))
                    .col(ts_null(PinChallenges::ConsumedAt))
                    .col(
                        ColumnDef::new(PinChallenges::GrantHash)
                            .string_len(64)
                            .null(),
                    )
                    .col(ts_null(PinChallenges::GrantExpiresAt))
                    .col(ts_null(PinChallenges::GrantUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pin_challenges_customer")
                            .from(PinChallenges::Table, PinChallenges::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_pin_challenges_customer_at",
                vec![PinChallenges::CustomerId, PinChallenges::CreatedAt],
            ),
            (
                "idx_pin_challenges_dest_at",
                vec![PinChallenges::DestinationKey, PinChallenges::CreatedAt],
            ),
            (
                "idx_pin_challenges_client_at",
                vec![PinChallenges::ClientKey, PinChallenges::CreatedAt],
            ),
        ] {
            let mut idx = Index::create()
                .name(name)
                .table(PinChallenges::Table)
                .to_owned();
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_pin_challenges_grant")
                    .table(PinChallenges::Table)
                    .col(PinChallenges::GrantHash)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // The queue: a row per message, written in the same transaction as whatever caused
        // it, delivered by workers in any server process (locked_until is the lease).
        manager
            .create_table(
                Table::create()
                    .table(OutgoingMessages::Table)
                    .col(
                        ColumnDef::new(OutgoingMessages::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::Channel)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::Recipient)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::Subject)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OutgoingMessages::Body).text().not_null())
                    .col(
                        ColumnDef::new(OutgoingMessages::ChallengeId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::Status)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ts(OutgoingMessages::NextAttemptAt))
                    .col(ts_null(OutgoingMessages::LockedUntil))
                    .col(
                        ColumnDef::new(OutgoingMessages::LastError)
                            .string_len(500)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(OutgoingMessages::ProviderId)
                            .string_len(64)
                            .null(),
                    )
                    .col(ts(OutgoingMessages::CreatedAt))
                    .col(ts(OutgoingMessages::UpdatedAt))
                    .col(ts_null(OutgoingMessages::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outgoing_messages_challenge")
                            .from(OutgoingMessages::Table, OutgoingMessages::ChallengeId)
                            .to(PinChallenges::Table, PinChallenges::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outgoing_messages_due")
                    .table(OutgoingMessages::Table)
                    .col(OutgoingMessages::Status)
                    .col(OutgoingMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outgoing_messages_challenge")
                    .table(OutgoingMessages::Table)
                    .col(OutgoingMessages::ChallengeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutgoingMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PinChallenges::Table).to_owned())
            .await
    }
}
