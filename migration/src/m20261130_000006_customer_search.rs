//! Customer search keys (R4, #4). Each customer carries its keys in canonical form
//! (`server::search_key`): `name_key`, `kana_key`, `phone_key` (national digits) and
//! `phone_rev` (the same digits reversed, so "last 4 digits" is a B-tree prefix range).
//! `customer_grams` holds every 1- and 2-character substring of `name_key` and `kana_key`
//! once per customer: trigram indexes cannot serve one- and two-character queries, a B-tree
//! on (gram, customer_id) serves them with results already in お客様 order.
//!
//! Existing rows are filled by the application right after migrating
//! (`customer_keys::backfill`, which finds them by `keys_version = 0`): the normalisation is
//! Rust code (NFKC + kana folding) that SQL cannot repeat.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Byte order on PostgreSQL too: prefix ranges over keys must not depend on a locale.
        let (collate, without_rowid) = match manager.get_database_backend() {
            DatabaseBackend::Postgres => (r#" COLLATE "C""#, ""),
            _ => ("", " WITHOUT ROWID"),
        };
        for col in ["name_key", "kana_key", "phone_key", "phone_rev"] {
            db.execute_unprepared(&format!(
                "ALTER TABLE customers ADD COLUMN {col} TEXT{collate} NOT NULL DEFAULT ''"
            ))
            .await?;
        }
        db.execute_unprepared(
            "ALTER TABLE customers ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0",
        )
        .await?;
        db.execute_unprepared(&format!(
            "CREATE TABLE customer_grams ( \
               gram TEXT{collate} NOT NULL, \
               customer_id BIGINT NOT NULL, \
               PRIMARY KEY (gram, customer_id) \
             ){without_rowid}"
        ))
        .await?;
        db.execute_unprepared("CREATE INDEX idx_customers_phone_key ON customers (phone_key, id)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_customers_phone_rev ON customers (phone_rev, id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_customers_phone_rev")
            .await?;
        db.execute_unprepared("DROP INDEX idx_customers_phone_key")
            .await?;
        db.execute_unprepared("DROP TABLE customer_grams").await?;
        for col in [
            "keys_version",
            "phone_rev",
            "phone_key",
            "kana_key",
            "name_key",
        ] {
            db.execute_unprepared(&format!("ALTER TABLE customers DROP COLUMN {col}"))
                .await?;
        }
        Ok(())
    }
}
