//! Products, orders and order lines (R6, R8). Yen amounts are whole yen in BIGINT; an order
//! keeps a snapshot of each line's code, name, price and tax rate, so later product edits
//! never change a delivered 納品書. Also moves existing 会員登録あり 販社-and-above customers
//! to 画面1 (R6), as `server::demo::screen_for` decides for new ones.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Code,
    Name,
    Kana,
    NameKey,
    PriceYen,
    TaxRatePercent,
    Picture,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    OrderNumber,
    CustomerId,
    Status,
    OrderedAt,
    #[sea_orm(iden = "subtotal_10_yen")]
    Subtotal10Yen,
    #[sea_orm(iden = "tax_10_yen")]
    Tax10Yen,
    #[sea_orm(iden = "subtotal_8_yen")]
    Subtotal8Yen,
    #[sea_orm(iden = "tax_8_yen")]
    Tax8Yen,
    TotalYen,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    LineNo,
    ProductId,
    ProductCode,
    ProductName,
    UnitPriceYen,
    TaxRatePercent,
    Quantity,
    AmountYen,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn yen(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let pg = manager.get_database_backend() == DatabaseBackend::Postgres;
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(id(Products::Id))
                    .col(
                        ColumnDef::new(Products::Code)
                            .text()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Products::Name).text().not_null())
                    .col(ColumnDef::new(Products::Kana).text().not_null())
                    .col(ColumnDef::new(Products::NameKey).text().not_null())
                    .col(yen(Products::PriceYen))
                    .col(
                        ColumnDef::new(Products::TaxRatePercent)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Products::Picture).text().null())
                    .col(
                        ColumnDef::new(Products::Active)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(ts(Products::CreatedAt))
                    .col(ts(Products::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Prefix searches (`code LIKE 'A-1%'`) can use a B-tree only in byte order; on
        // PostgreSQL that needs the C collation (SQLite compares bytes already).
        let db = manager.get_connection();
        if pg {
            db.execute_unprepared(
                r#"CREATE INDEX idx_products_code_prefix ON products (code COLLATE "C")"#,
            )
            .await?;
            db.execute_unprepared(
                r#"CREATE INDEX idx_products_name_key ON products (name_key COLLATE "C")"#,
            )
            .await?;
        } else {
            db.execute_unprepared("CREATE INDEX idx_products_code_prefix ON products (code)")
                .await?;
            db.execute_unprepared("CREATE INDEX idx_products_name_key ON products (name_key)")
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(id(Orders::Id))
                    .col(
                        ColumnDef::new(Orders::OrderNumber)
                            .text()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Orders::CustomerId).big_integer().not_null())
                    .col(ColumnDef::new(Orders::Status).text().not_null())
                    .col(ts(Orders::OrderedAt))
                    .col(yen(Orders::Subtotal10Yen))
                    .col(yen(Orders::Tax10Yen))
                    .col(yen(Orders::Subtotal8Yen))
                    .col(yen(Orders::Tax8Yen))
                    .col(yen(Orders::TotalYen))
                    .col(ts(Orders::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_orders_customer")
                            .from(Orders::Table, Orders::CustomerId)
                            .to(Customers::Table, Customers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_customer_ordered")
                    .table(Orders::Table)
                    .col(Orders::CustomerId)
                    .col(Orders::OrderedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_ordered")
                    .table(Orders::Table)
                    .col(Orders::OrderedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .col(id(OrderLines::Id))
                    .col(ColumnDef::new(OrderLines::OrderId).big_integer().not_null())
                    .col(ColumnDef::new(OrderLines::LineNo).integer().not_null())
                    .col(
                        ColumnDef::new(OrderLines::ProductId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrderLines::ProductCode).text().not_null())
                    .col(ColumnDef::new(OrderLines::ProductName).text().not_null())
                    .col(yen(OrderLines::UnitPriceYen))
                    .col(
                        ColumnDef::new(OrderLines::TaxRatePercent)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrderLines::Quantity).integer().not_null())
                    .col(yen(OrderLines::AmountYen))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_order")
                            .from(OrderLines::Table, OrderLines::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_product")
                            .from(OrderLines::Table, OrderLines::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_lines_order")
                    .table(OrderLines::Table)
                    .col(OrderLines::OrderId)
                    .to_owned(),
            )
            .await?;

        // R6: 会員登録あり customers of 販社 and above (and 全国販社) work on 画面1, everyone
        // else on 画面2 — the same rule as `server::demo::screen_for`.
        db.execute_unprepared(
            "UPDATE customers SET screen_variant = CASE \
               WHEN rank = 'national' OR (can_register AND rank IN ('ultra', 'super', 'hansha')) \
               THEN 'screen1' ELSE 'screen2' END",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrderLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Orders::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Products::Table).to_owned())
            .await?;
        Ok(())
    }
}
