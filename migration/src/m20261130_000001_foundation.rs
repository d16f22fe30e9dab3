//! The foundation: customers, sales divisions, logins (one per customer), sessions,
//! failed-login records and the hash-chained audit log.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    CustomerCode,
    Name,
    Kana,
    Phone,
    Rank,
    UplineId,
    DivisionId,
    CanRegister,
    ScreenVariant,
    PostalCode,
    Address,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SalesDivisions {
    Table,
    Id,
    Name,
    OwnerCustomerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Logins {
    Table,
    Id,
    CustomerId,
    Email,
    PasswordHash,
    EmailVerifiedAt,
    PasswordChangedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    LoginId,
    CustomerId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    AccountKey,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    Action,
    ActorCustomerId,
    SubjectCustomerId,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    LastHash,
    Count,
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

fn division_owner_fk() -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name("fk_sales_divisions_owner")
        .from(SalesDivisions::Table, SalesDivisions::OwnerCustomerId)
        .to(Customers::Table, Customers::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sqlite = manager.get_database_backend() == DatabaseBackend::Sqlite;

        // Divisions and customers reference each other. SQLite cannot add a foreign key
        // later but accepts one naming a table created afterwards; PostgreSQL is the reverse.
        let mut divisions = Table::create()
            .table(SalesDivisions::Table)
            .col(
                ColumnDef::new(SalesDivisions::Id)
                    .big_integer()
                    .not_null()
                    .auto_increment()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(SalesDivisions::Name)
                    .string_len(100)
                    .not_null(),
            )
            .col(
                ColumnDef::new(SalesDivisions::OwnerCustomerId)
                    .big_integer()
                    .not_null(),
            )
            .col(ts(SalesDivisions::CreatedAt))
            .to_owned();
        if sqlite {
            divisions.foreign_key(&mut division_owner_fk());
        }
        manager.create_table(divisions).await?;

        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(
                        ColumnDef::new(Customers::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Customers::CustomerCode)
                            .string_len(8)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Customers::Name).string_len(100).not_null())
                    .col(ColumnDef::new(Customers::Kana).string_len(100).not_null())
                    .col(ColumnDef::new(Customers::Phone).string_len(20).null())
                    .col(ColumnDef::new(Customers::Rank).string_len(20).not_null())
                    .col(ColumnDef::new(Customers::UplineId).big_integer().null())
                    .col(ColumnDef::new(Customers::DivisionId).big_integer().null())
                    .col(
                        ColumnDef::new(Customers::CanRegister)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Customers::ScreenVariant)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Customers::PostalCode).string_len(8).null())
                    .col(ColumnDef::new(Customers::Address).string_len(200).null())
                    .col(ts(Customers::CreatedAt))
                    .col(ts(Customers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_upline")
                            .from(Customers::Table, Customers::UplineId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customers_division")
                            .from(Customers::Table, Customers::DivisionId)
                            .to(SalesDivisions::Table, SalesDivisions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        if !sqlite {
            manager.create_foreign_key(division_owner_fk()).await?;
        }
        for (name, col) in [
            ("idx_customers_upline", Customers::UplineId),
            ("idx_customers_division", Customers::DivisionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Customers::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_sales_divisions_owner")
                    .table(SalesDivisions::Table)
                    .col(SalesDivisions::OwnerCustomerId)
                    .to_owned(),
            )
            .await?;

        // R2: one login per customer and one customer per e-mail, enforced by unique keys.
        manager
            .create_table(
                Table::create()
                    .table(Logins::Table)
                    .col(
                        ColumnDef::new(Logins::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Logins::CustomerId).big_integer().not_null())
                    .col(ColumnDef::new(Logins::Email).string_len(254).not_null())
                    .col(ColumnDef::new(Logins::PasswordHash).string_len(200).null())
                    .col(ts_null(Logins::EmailVerifiedAt))
                    .col(ts_null(Logins::PasswordChangedAt))
                    .col(ts(Logins::CreatedAt))
                    .col(ts(Logins::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_logins_customer")
                            .from(Logins::Table, Logins::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_logins_customer")
                    .table(Logins::Table)
                    .col(Logins::CustomerId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_logins_email")
                    .table(Logins::Table)
                    .col(Logins::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Sessions live in the database so that several server processes share them.
        // The id is the SHA-256 of the cookie token: a database leak yields no usable cookie.
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(
                        ColumnDef::new(Sessions::Id)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Sessions::LoginId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Sessions::CustomerId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ts(Sessions::CreatedAt))
                    .col(ts(Sessions::LastSeenAt))
                    .col(ts(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_login")
                            .from(Sessions::Table, Sessions::LoginId)
                            .to(Logins::Table, Logins::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_login")
                    .table(Sessions::Table)
                    .col(Sessions::LoginId)
                    .to_owned(),
            )
            .await?;

        // Failed logins keyed by a hash of the typed e-mail, known or not, so that the
        // limit behaves the same for unknown addresses (no enumeration).
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
                    .col(ts(LoginFailures::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failures_key_at")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::AccountKey)
                    .col(LoginFailures::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        // Audit log: each entry carries the hash of the previous one. The single head row is
        // updated in the same transaction and serialises writers on both databases.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ts(AuditLog::At))
                    .col(ColumnDef::new(AuditLog::Action).string_len(40).not_null())
                    .col(
                        ColumnDef::new(AuditLog::ActorCustomerId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuditLog::SubjectCustomerId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(AuditLog::Detail).text().not_null())
                    .col(ColumnDef::new(AuditLog::PrevHash).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Hash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_subject")
                    .table(AuditLog::Table)
                    .col(AuditLog::SubjectCustomerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(
                        ColumnDef::new(AuditHead::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditHead::LastHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditHead::Count).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::LastHash, AuditHead::Count])
                    .values_panic([1.into(), "0".repeat(64).into(), 0i64.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Logins::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name("fk_sales_divisions_owner")
                        .table(SalesDivisions::Table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Customers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SalesDivisions::Table).to_owned())
            .await?;
        Ok(())
    }
}
