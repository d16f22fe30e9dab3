//! The back office (#11): order status with an optimistic version, returns as their own rows
//! (they reduce the 還元額 base of the month they are recorded in), closed 還元額 months with
//! versioned statements, the downline count per customer for the network tree, and indexes
//! for the 受注管理 and 監査ログ filters.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Status,
    OrderedAt,
    Version,
    ShippedOn,
    TrackingNumber,
    CancelReason,
    StatusChangedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrderReturns {
    Table,
    Id,
    OrderId,
    RecordedAt,
    Reason,
    Subtotal10Yen,
    Tax10Yen,
    Subtotal8Yen,
    Tax8Yen,
    TotalYen,
    CreatedBy,
}

#[derive(DeriveIden)]
enum OrderReturnLines {
    Table,
    Id,
    ReturnId,
    OrderLineId,
    Quantity,
    AmountYen,
}

#[derive(DeriveIden)]
enum RebateCloses {
    Table,
    Month,
    ClosedAt,
    ClosedBy,
}

#[derive(DeriveIden)]
enum RebateStatements {
    Table,
    Id,
    CustomerId,
    Month,
    Version,
    BaseYen,
    AmountYen,
    Figures,
    IssuedAt,
    IssuedBy,
    Reason,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    DownlineCount,
}

fn ts<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn id<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            ColumnDef::new(Orders::Version)
                .integer()
                .not_null()
                .default(1)
                .to_owned(),
            // 出荷日 as the JST calendar date the staff member entered.
            ColumnDef::new(Orders::ShippedOn).date().null().to_owned(),
            ColumnDef::new(Orders::TrackingNumber)
                .string_len(40)
                .null()
                .to_owned(),
            ColumnDef::new(Orders::CancelReason)
                .string_len(200)
                .null()
                .to_owned(),
            ColumnDef::new(Orders::StatusChangedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_status_ordered")
                    .table(Orders::Table)
                    .col(Orders::Status)
                    .col(Orders::OrderedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderReturns::Table)
                    .col(id(OrderReturns::Id))
                    .col(
                        ColumnDef::new(OrderReturns::OrderId)
                            .big_integer()
                            .not_null(),
                    )
                    // The return counts in the JST month of this instant, not the order's.
                    .col(ts(OrderReturns::RecordedAt))
                    .col(
                        ColumnDef::new(OrderReturns::Reason)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturns::Subtotal10Yen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturns::Tax10Yen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturns::Subtotal8Yen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturns::Tax8Yen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturns::TotalYen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrderReturns::CreatedBy).big_integer().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_returns_order")
                            .from(OrderReturns::Table, OrderReturns::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_returns_order")
                    .table(OrderReturns::Table)
                    .col(OrderReturns::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_returns_recorded")
                    .table(OrderReturns::Table)
                    .col(OrderReturns::RecordedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderReturnLines::Table)
                    .col(id(OrderReturnLines::Id))
                    .col(
                        ColumnDef::new(OrderReturnLines::ReturnId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturnLines::OrderLineId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderReturnLines::Quantity)
                            .integer()
                            .not_null()
                            .check(Expr::col(OrderReturnLines::Quantity).gt(0)),
                    )
                    // unit price × quantity, excluding tax (as order_lines.amount_yen).
                    .col(
                        ColumnDef::new(OrderReturnLines::AmountYen)
                            .big_integer()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_return_lines_return")
                            .from(OrderReturnLines::Table, OrderReturnLines::ReturnId)
                            .to(OrderReturns::Table, OrderReturns::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_return_lines_line")
                            .from(OrderReturnLines::Table, OrderReturnLines::OrderLineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_return_lines_line")
                    .table(OrderReturnLines::Table)
                    .col(OrderReturnLines::OrderLineId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_return_lines_return")
                    .table(OrderReturnLines::Table)
                    .col(OrderReturnLines::ReturnId)
                    .to_owned(),
            )
            .await?;

        // One row per closed JST month (締め); closing is once, corrections are reissues.
        manager
            .create_table(
                Table::create()
                    .table(RebateCloses::Table)
                    .col(
                        ColumnDef::new(RebateCloses::Month)
                            .string_len(7)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ts(RebateCloses::ClosedAt))
                    .col(ColumnDef::new(RebateCloses::ClosedBy).big_integer().null())
                    .to_owned(),
            )
            .await?;
        // The stored figures of a closed month, one row per customer and version; version 1
        // is written by the close, later versions by a reissue; no row is ever updated.
        manager
            .create_table(
                Table::create()
                    .table(RebateStatements::Table)
                    .col(id(RebateStatements::Id))
                    .col(
                        ColumnDef::new(RebateStatements::CustomerId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RebateStatements::Month)
                            .string_len(7)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RebateStatements::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RebateStatements::BaseYen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RebateStatements::AmountYen)
                            .big_integer()
                            .not_null(),
                    )
                    // JSON of the month's segments (rate, base, amount) as computed.
                    .col(ColumnDef::new(RebateStatements::Figures).text().not_null())
                    .col(ts(RebateStatements::IssuedAt))
                    .col(
                        ColumnDef::new(RebateStatements::IssuedBy)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RebateStatements::Reason)
                            .string_len(200)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rebate_statements_customer_month_version")
                    .table(RebateStatements::Table)
                    .col(RebateStatements::CustomerId)
                    .col(RebateStatements::Month)
                    .col(RebateStatements::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Customers strictly below each customer, kept by every insert and move, so the tree
        // shows it without counting a subtree (a root's subtree is the whole network).
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .add_column(
                        ColumnDef::new(Customers::DownlineCount)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE customers SET downline_count = (SELECT COUNT(*) FROM customers d \
             WHERE d.path > customers.path \
             AND d.path < substr(customers.path, 1, length(customers.path) - 1) || '0')",
        )
        .await?;
        // Children of a node in お客様ID order (the path index serves subtrees, not levels).
        db.execute_unprepared(
            "CREATE INDEX idx_customers_upline_code ON customers (upline_id, customer_code)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_audit_log_action_id ON audit_log (action, id)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_audit_log_at ON audit_log (at)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for stmt in [
            "DROP INDEX idx_audit_log_at",
            "DROP INDEX idx_audit_log_action_id",
            "DROP INDEX idx_customers_upline_code",
        ] {
            db.execute_unprepared(stmt).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Customers::Table)
                    .drop_column(Customers::DownlineCount)
                    .to_owned(),
            )
            .await?;
        for t in [
            RebateStatements::Table.into_iden(),
            RebateCloses::Table.into_iden(),
            OrderReturnLines::Table.into_iden(),
            OrderReturns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_orders_status_ordered")
                    .table(Orders::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            Orders::StatusChangedAt,
            Orders::CancelReason,
            Orders::TrackingNumber,
            Orders::ShippedOn,
            Orders::Version,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
