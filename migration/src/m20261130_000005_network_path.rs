//! The network as a materialised path (#4): every customer carries `path`, the chain of ids
//! from the root down to itself (`/1/10/20/`). "Everyone in X's downline" is then one B-tree
//! range scan (`path > '/1/10/' AND path < '/1/100'`) instead of a recursive walk, at any size.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // PostgreSQL compares text by the database collation; the range scan needs byte order.
        let add = match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                r#"ALTER TABLE customers ADD COLUMN path TEXT COLLATE "C" NOT NULL DEFAULT ''"#
            }
            _ => "ALTER TABLE customers ADD COLUMN path TEXT NOT NULL DEFAULT ''",
        };
        db.execute_unprepared(add).await?;
        // Existing rows: walk the tree once, here, in SQL.
        db.execute_unprepared(
            "WITH RECURSIVE t(id, path) AS ( \
               SELECT id, '/' || CAST(id AS TEXT) || '/' FROM customers WHERE upline_id IS NULL \
               UNION ALL \
               SELECT c.id, t.path || CAST(c.id AS TEXT) || '/' FROM customers c JOIN t ON c.upline_id = t.id \
             ) \
             UPDATE customers SET path = COALESCE((SELECT t.path FROM t WHERE t.id = customers.id), '')",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_customers_path ON customers (path)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_customers_upline")
            .await?;
        db.execute_unprepared("DROP INDEX idx_customers_path")
            .await?;
        db.execute_unprepared("ALTER TABLE customers DROP COLUMN path")
            .await?;
        Ok(())
    }
}
