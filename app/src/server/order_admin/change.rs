//! 出荷 and 取消: one conditional UPDATE on (id, version, status = 受付) in a transaction with
//! its audit entry (and, for 出荷, the customer's mail). Zero rows updated means someone
//! changed the order after the screen was shown: 409, nothing written.
use crate::server::entities::orders::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

use super::rules::{self, Action};
use super::{find_order, mail};
use crate::domain::time::jst_date;
use crate::error::AppError;
use crate::order_admin::ActionDone;
use crate::server::entities::{customers, orders};
use crate::server::{audit, state::AppState};

/// The order as the screen showed it: unknown → 404, another version → 409, a status that
/// does not allow `action` → the reason.
pub(super) async fn checked(
    st: &AppState,
    number: &str,
    version: Option<i32>,
    action: Action,
) -> Result<orders::Model, AppError> {
    let o = find_order(&st.db, number).await?;
    if version.is_some_and(|v| v != o.version) {
        return Err(AppError::Conflict);
    }
    if !o.status.allows(action) {
        return Err(rules::refusal(o.status, action));
    }
    Ok(o)
}

/// The UPDATE's guard: still this version and still 受付.
fn guard(o: &orders::Model) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(orders::Column::Id.eq(o.id))
        .add(orders::Column::Version.eq(o.version))
        .add(orders::Column::Status.eq(OrderStatus::Received))
}

/// 受付 → 出荷済 with the 出荷日 and 送り状番号; the customer's verified login e-mail gets a
/// notice in the same transaction.
pub async fn ship(
    st: &AppState,
    staff: &customers::Model,
    number: &str,
    version: i32,
    shipped_on: &str,
    tracking: &str,
) -> Result<ActionDone, AppError> {
    let now: DateTime<Utc> = st.clock.now();
    let o = checked(st, number, Some(version), Action::Ship).await?;
    let date = rules::ship_date(shipped_on, jst_date(o.ordered_at), jst_date(now))?;
    let tracking = rules::tracking_number(tracking)?;
    let txn = st.db.begin().await?;
    // First statement: on SQLite it takes the write lock, on PostgreSQL the row lock.
    let n = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value(OrderStatus::Shipped))
        .col_expr(orders::Column::ShippedOn, Expr::value(date))
        .col_expr(
            orders::Column::TrackingNumber,
            Expr::value(tracking.clone()),
        )
        .col_expr(orders::Column::StatusChangedAt, Expr::value(now))
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .filter(guard(&o))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    mail::queue_shipped(&txn, st, &o, date, &tracking, now).await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("order_shipped")
            .actor(staff.id)
            .subject(Some(o.customer_id))
            .detail(json!({
                "order_number": o.order_number,
                "shipped_on": date.to_string(),
                "tracking_number": tracking,
                "version": o.version + 1,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(ActionDone {
        message: format!(
            "注文番号 {} を出荷済にしました（出荷日 {}・送り状番号 {}）。",
            o.order_number,
            date.format("%Y/%m/%d"),
            tracking
        ),
        version: o.version + 1,
    })
}

/// 受付 → 取消 with the reason.
pub async fn cancel(
    st: &AppState,
    staff: &customers::Model,
    number: &str,
    version: i32,
    reason: &str,
) -> Result<ActionDone, AppError> {
    let now = st.clock.now();
    let o = checked(st, number, Some(version), Action::Cancel).await?;
    let reason = rules::reason(reason, "取消理由")?;
    let txn = st.db.begin().await?;
    let n = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value(OrderStatus::Cancelled))
        .col_expr(orders::Column::CancelReason, Expr::value(reason.clone()))
        .col_expr(orders::Column::StatusChangedAt, Expr::value(now))
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .filter(guard(&o))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("order_cancelled")
            .actor(staff.id)
            .subject(Some(o.customer_id))
            .detail(json!({
                "order_number": o.order_number,
                "reason": reason,
                "version": o.version + 1,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(ActionDone {
        message: format!("注文番号 {} を取り消しました。", o.order_number),
        version: o.version + 1,
    })
}
