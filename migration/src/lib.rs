//! Database migrations. Each migration is one file and runs the same on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m20261130_000001_foundation;
mod m20261130_000002_pin_and_queue;
mod m20261130_000003_legacy_logins;
mod m20261130_000004_email_verifications;
mod m20261130_000005_network_path;
mod m20261130_000006_customer_search;
mod m20261130_000007_products_orders;
mod m20261130_000008_rebate_rates;
mod m20261202_000009_secrets_at_rest_and_limits;
mod m20261202_000010_session_activity;
mod m20261202_000011_back_office;
mod m20261203_000013_rebate_returns_columns;
mod m20261203_000015_audit_viewer;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_foundation::Migration),
            Box::new(m20261130_000002_pin_and_queue::Migration),
            Box::new(m20261130_000003_legacy_logins::Migration),
            Box::new(m20261130_000004_email_verifications::Migration),
            Box::new(m20261130_000005_network_path::Migration),
            Box::new(m20261130_000006_customer_search::Migration),
            Box::new(m20261130_000007_products_orders::Migration),
            Box::new(m20261130_000008_rebate_rates::Migration),
            Box::new(m20261202_000009_secrets_at_rest_and_limits::Migration),
            Box::new(m20261202_000010_session_activity::Migration),
            Box::new(m20261202_000011_back_office::Migration),
            Box::new(m20261203_000013_rebate_returns_columns::Migration),
            Box::new(m20261203_000015_audit_viewer::Migration),
        ]
    }
}
