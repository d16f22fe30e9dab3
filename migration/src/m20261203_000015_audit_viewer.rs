//! The 監査ログ viewer (#11.3) filters by お客様ID as actor or subject, newest first: one
//! (customer, id) index per role, so either side is a backwards index range.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for stmt in [
            "CREATE INDEX idx_audit_log_actor_id ON audit_log (actor_customer_id, id)",
            "CREATE INDEX idx_audit_log_subject_id ON audit_log (subject_customer_id, id)",
        ] {
            db.execute_unprepared(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for stmt in [
            "DROP INDEX idx_audit_log_subject_id",
            "DROP INDEX idx_audit_log_actor_id",
        ] {
            db.execute_unprepared(stmt).await?;
        }
        Ok(())
    }
}
