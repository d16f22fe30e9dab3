//! 返品: its own row (counted in the JST month it is recorded), whole or per line. The order
//! row is locked first (PostgreSQL: its row lock; SQLite: the database's write lock, the
//! transaction's first statement) and the quantities already returned are read under that
//! lock, so concurrent returns can never exceed what was shipped.
use crate::server::entities::orders::OrderStatus;
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::change::checked;
use super::rules::{self, Action, ReturnableLine};
use crate::domain::yen;
use crate::error::AppError;
use crate::order_admin::ActionDone;
use crate::server::entities::{customers, order_lines, order_return_lines, order_returns, orders};
use crate::server::{audit, state::AppState};

/// Quantities already returned per order line.
pub async fn returned_per_line<C: sea_orm::ConnectionTrait>(
    db: &C,
    order_id: i64,
) -> Result<HashMap<i64, i32>, AppError> {
    let ids: Vec<i64> = order_returns::Entity::find()
        .filter(order_returns::Column::OrderId.eq(order_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for l in order_return_lines::Entity::find()
        .filter(order_return_lines::Column::ReturnId.is_in(ids))
        .all(db)
        .await?
    {
        *out.entry(l.order_line_id).or_insert(0) += l.quantity;
    }
    Ok(out)
}

/// Records a return of `typed` quantities (line number → quantity as typed). `version` is
/// the one the screen showed: a return entered on a stale screen (someone recorded one
/// meanwhile) is refused rather than entered twice. Without it (API callers) the
/// remaining-quantity check under the lock is the only guard.
pub async fn record(
    st: &AppState,
    staff: &customers::Model,
    number: &str,
    version: Option<i32>,
    typed: &HashMap<String, String>,
    reason: &str,
) -> Result<ActionDone, AppError> {
    let now = st.clock.now();
    let o = checked(st, number, version, Action::Return).await?;
    let reason = rules::reason(reason, "返品理由")?;
    let txn = st.db.begin().await?;
    let mut guard = sea_orm::Condition::all()
        .add(orders::Column::Id.eq(o.id))
        .add(orders::Column::Status.is_in([OrderStatus::Shipped, OrderStatus::Delivered]));
    if let Some(v) = version {
        guard = guard.add(orders::Column::Version.eq(v));
    }
    let n = orders::Entity::update_many()
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .filter(guard)
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    let new_version = orders::Entity::find_by_id(o.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .version;
    let done = returned_per_line(&txn, o.id).await?;
    let lines: Vec<ReturnableLine> = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(o.id))
        .order_by_asc(order_lines::Column::LineNo)
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| ReturnableLine {
            returned: done.get(&l.id).copied().unwrap_or(0),
            line_id: l.id,
            line_no: l.line_no,
            product_name: l.product_name,
            unit_price_yen: l.unit_price_yen,
            tax_rate_percent: l.tax_rate_percent,
            ordered: l.quantity,
        })
        .collect();
    // Dropping `txn` on an error rolls the version bump back: nothing is written.
    let (returned, t) = rules::return_lines(typed, &lines)?;
    let r = order_returns::ActiveModel {
        order_id: Set(o.id),
        recorded_at: Set(now),
        reason: Set(reason.clone()),
        subtotal_10_yen: Set(t.subtotal_10_yen),
        tax_10_yen: Set(t.tax_10_yen),
        subtotal_8_yen: Set(t.subtotal_8_yen),
        tax_8_yen: Set(t.tax_8_yen),
        total_yen: Set(t.total_yen),
        created_by: Set(Some(staff.id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    order_return_lines::Entity::insert_many(returned.iter().map(|l| {
        order_return_lines::ActiveModel {
            return_id: Set(r.id),
            order_line_id: Set(l.line_id),
            quantity: Set(l.quantity),
            amount_yen: Set(l.amount_yen),
            ..Default::default()
        }
    }))
    .exec(&txn)
    .await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("order_returned")
            .actor(staff.id)
            .subject(Some(o.customer_id))
            .detail(json!({
                "order_number": o.order_number,
                "return_id": r.id,
                "lines": returned.iter().map(|l| json!({"order_line_id": l.line_id, "quantity": l.quantity})).collect::<Vec<_>>(),
                "total_yen": t.total_yen,
                "version": new_version,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(ActionDone {
        message: format!(
            "注文番号 {} の返品（{}）を登録しました。",
            o.order_number,
            yen(t.total_yen)
        ),
        version: new_version,
    })
}
