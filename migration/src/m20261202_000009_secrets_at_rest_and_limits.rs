//! #9: no PIN or link token in plain text at rest, and one table for every rate limit.
//! - `outgoing_messages.body` now holds a sealed (encrypted) body while queued and nothing once
//!   delivered or failed; bodies of rows already handed over are wiped here. `decoy` marks the
//!   stand-in a mismatched PIN request queues, so its PIN page changes state like a real one.
//! - `pin_challenges.pin_sealed`: the PIN, sealed, so a resend can rebuild the message without
//!   reading it back from the queue; cleared when the challenge ends. `subject_key`: keyed hash
//!   of the typed お客様ID, so the per-customer failure limit applies to decoys as well.
//!   `origin`: `self` (お問い合わせ, entered by link) or `staff` (entered with the お客様ID).
//! - `limit_events`: one row per counted event (bucket, keyed key, time), the only thing every
//!   limit counts. It replaces `login_failures` (unkeyed SHA-256 of e-mails), dropped here.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PinChallenges {
    Table,
    PinSealed,
    SubjectKey,
    Origin,
}

#[derive(DeriveIden)]
enum OutgoingMessages {
    Table,
    Decoy,
    Body,
    Status,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    AccountKey,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum LimitEvents {
    Table,
    Id,
    Bucket,
    Key,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(PinChallenges::PinSealed)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(PinChallenges::SubjectKey)
                .string_len(64)
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(PinChallenges::Origin)
                .string_len(8)
                .not_null()
                .default("self")
                .to_owned(),
        ];
        for mut col in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(PinChallenges::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OutgoingMessages::Table)
                    .add_column(
                        ColumnDef::new(OutgoingMessages::Decoy)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        // Bodies of messages already handed over held PINs and link tokens in plain text.
        manager
            .exec_stmt(
                Query::update()
                    .table(OutgoingMessages::Table)
                    .value(OutgoingMessages::Body, "")
                    .and_where(Expr::col(OutgoingMessages::Status).ne("queued"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LimitEvents::Table)
                    .col(
                        ColumnDef::new(LimitEvents::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LimitEvents::Bucket)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LimitEvents::Key).string_len(64).not_null())
                    .col(
                        ColumnDef::new(LimitEvents::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_limit_events_bucket_key_at")
                    .table(LimitEvents::Table)
                    .col(LimitEvents::Bucket)
                    .col(LimitEvents::Key)
                    .col(LimitEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_limit_events_at")
                    .table(LimitEvents::Table)
                    .col(LimitEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LoginFailures::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(
                        ColumnDef::new(LoginFailures::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LoginFailures::AccountKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginFailures::AttemptedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LimitEvents::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutgoingMessages::Table)
                    .drop_column(OutgoingMessages::Decoy)
                    .to_owned(),
            )
            .await?;
        for c in [
            PinChallenges::PinSealed,
            PinChallenges::SubjectKey,
            PinChallenges::Origin,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PinChallenges::Table)
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
