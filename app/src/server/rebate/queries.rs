//! The database reads every 還元額 needs: a rank's rates, a downline's orders in a range, and
//! the months a customer's statement list offers.
use super::Rate;
use crate::domain::rank::Rank;
use crate::domain::time::{jst_date, Month};
use crate::error::AppError;
use crate::server::entities::{customers, orders, rebate_rates};
use crate::server::network;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Every rate row for `rank`, as the rebate rules take them.
pub async fn rates_for<C: ConnectionTrait>(db: &C, rank: Rank) -> Result<Vec<Rate>, AppError> {
    Ok(rebate_rates::Entity::find()
        .filter(rebate_rates::Column::Rank.eq(rank))
        .all(db)
        .await?
        .into_iter()
        .map(|r| Rate {
            id: r.id,
            rank: r.rank.code().into(),
            basis_points: r.rate_basis_points,
            effective_from: r.effective_from,
        })
        .collect())
}

/// One downline order in the month: who placed it, when, and its tax-excluded amount.
pub struct DownlineOrder {
    pub customer_code: String,
    pub name: String,
    pub ordered_at: DateTime<Utc>,
    pub amount_yen: i64,
}

/// The month's orders (not cancelled) of `path`'s strict downline: one join, the customers
/// by their path range and the orders by `(customer_id, ordered_at)`.
pub async fn downline_orders<C: ConnectionTrait>(
    db: &C,
    path: &str,
    month: Month,
) -> Result<Vec<DownlineOrder>, AppError> {
    let (start, end) = month.utc_range();
    downline_orders_between(db, path, start, end).await
}

/// [`downline_orders`] for any range `[start, end)`: the statement list reads all its months
/// with one query.
pub async fn downline_orders_between<C: ConnectionTrait>(
    db: &C,
    path: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<DownlineOrder>, AppError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let q = crate::server::rebate::month_rows::counted_orders(start, end, None)
        .column((customers::Entity, customers::Column::CustomerCode))
        .column((customers::Entity, customers::Column::Name))
        .column((orders::Entity, orders::Column::OrderedAt))
        .column((orders::Entity, orders::Column::Subtotal10Yen))
        .column((orders::Entity, orders::Column::Subtotal8Yen))
        .cond_where(network::downline_condition(path))
        .to_owned();
    let rows = db.query_all(&q).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let s10: i64 = r.try_get("", "subtotal_10_yen")?;
        let s8: i64 = r.try_get("", "subtotal_8_yen")?;
        out.push(DownlineOrder {
            customer_code: r.try_get("", "customer_code")?,
            name: r.try_get("", "name")?,
            ordered_at: r.try_get("", "ordered_at")?,
            amount_yen: s10 + s8,
        });
    }
    Ok(out)
}

/// The months a customer's statement list offers, newest first: from the earlier of the
/// month they were registered and the month of their downline's first order (at most three
/// years back), to the current JST month.
pub async fn statement_months<C: ConnectionTrait>(
    db: &C,
    subject: &customers::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Month>, AppError> {
    let current = Month::of(jst_date(now));
    let mut first = Month::of(jst_date(subject.created_at)).min(current.prev());
    if !subject.path.is_empty() {
        let q = SqlQuery::select()
            .expr(Expr::col((orders::Entity, orders::Column::OrderedAt)).min())
            .from(orders::Entity)
            .inner_join(
                customers::Entity,
                Expr::col((customers::Entity, customers::Column::Id))
                    .equals((orders::Entity, orders::Column::CustomerId)),
            )
            .cond_where(network::downline_condition(&subject.path))
            .to_owned();
        if let Some(row) = db.query_one(&q).await? {
            if let Ok(Some(t)) = row.try_get_by_index::<Option<DateTime<Utc>>>(0) {
                first = first.min(Month::of(jst_date(t)));
            }
        }
    }
    let mut out = Vec::new();
    let mut m = current;
    while m >= first && out.len() < 36 {
        out.push(m);
        m = m.prev();
    }
    Ok(out)
}
