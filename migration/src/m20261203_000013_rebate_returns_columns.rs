//! Migration 000011 created `order_returns`' amount columns without the underscore before the
//! tax rate (`subtotal10_yen`, its `DeriveIden` default), while the entity and `orders` use
//! `subtotal_10_yen`. Renames them to match. Each rename runs only if the old name is still
//! there, so another branch's identical fix, applied first, leaves nothing to do.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const RENAMES: [(&str, &str); 4] = [
    ("subtotal10_yen", "subtotal_10_yen"),
    ("tax10_yen", "tax_10_yen"),
    ("subtotal8_yen", "subtotal_8_yen"),
    ("tax8_yen", "tax_8_yen"),
];

async fn rename(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    if manager.has_column("order_returns", from).await?
        && !manager.has_column("order_returns", to).await?
    {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "ALTER TABLE order_returns RENAME COLUMN {from} TO {to}"
            ))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (from, to) in RENAMES {
            rename(manager, from, to).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (from, to) in RENAMES {
            rename(manager, to, from).await?;
        }
        Ok(())
    }
}
