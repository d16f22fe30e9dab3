//! The two row sets a month's 還元額 counts, as query builders shared by the statement
//! (`documents`, `rebate_figures`), the close (`rebate_close`) and the breakdown CSV
//! (`rebate_csv`), so "what counts in a month" is written once: orders that count (not
//! cancelled) placed in a window, and returns recorded in a window, each joined to the
//! customer who ordered. Callers add the columns, the scope (`network::downline_condition`),
//! the order and the paging.
use crate::server::entities::orders::OrderStatus;
use crate::server::entities::{customers, order_returns, orders};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Query, SelectStatement};

/// `orders JOIN customers` (who ordered), `ordered_at` in `[start, end)`, not cancelled; or,
/// for figures fixed at `as_of` (a closed month's stored version), as they counted then:
/// placed by then and not cancelled by then (a 受付 order of a closed month may still be
/// cancelled later; the stored figures keep it, so its breakdown must too).
pub fn counted_orders(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    as_of: Option<DateTime<Utc>>,
) -> SelectStatement {
    let not_cancelled =
        Expr::col((orders::Entity, orders::Column::Status)).ne(OrderStatus::Cancelled);
    let counted = match as_of {
        None => Cond::all().add(not_cancelled),
        Some(t) => Cond::all()
            .add(Expr::col((orders::Entity, orders::Column::OrderedAt)).lte(t))
            .add(
                Cond::any()
                    .add(not_cancelled)
                    .add(Expr::col((orders::Entity, orders::Column::StatusChangedAt)).gt(t)),
            ),
    };
    Query::select()
        .from(orders::Entity)
        .inner_join(
            customers::Entity,
            Expr::col((customers::Entity, customers::Column::Id))
                .equals((orders::Entity, orders::Column::CustomerId)),
        )
        .cond_where(counted)
        .and_where(Expr::col((orders::Entity, orders::Column::OrderedAt)).gte(start))
        .and_where(Expr::col((orders::Entity, orders::Column::OrderedAt)).lt(end))
        .to_owned()
}

/// `order_returns JOIN orders JOIN customers` (who ordered): `recorded_at` in `[start, end)`,
/// the month a return counts in.
pub fn recorded_returns(start: DateTime<Utc>, end: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .from(order_returns::Entity)
        .inner_join(
            orders::Entity,
            Expr::col((orders::Entity, orders::Column::Id))
                .equals((order_returns::Entity, order_returns::Column::OrderId)),
        )
        .inner_join(
            customers::Entity,
            Expr::col((customers::Entity, customers::Column::Id))
                .equals((orders::Entity, orders::Column::CustomerId)),
        )
        .and_where(Expr::col((order_returns::Entity, order_returns::Column::RecordedAt)).gte(start))
        .and_where(Expr::col((order_returns::Entity, order_returns::Column::RecordedAt)).lt(end))
        .to_owned()
}
