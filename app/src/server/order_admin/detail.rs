//! One order as the 受注管理 detail shows it: lines with what was returned of each, the
//! returns (newest last), and which actions its status allows.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::find_order;
use super::returns::returned_per_line;
use super::rules::Action;
use crate::domain::time::jst;
use crate::error::AppError;
use crate::order_admin::{DetailLine, OrderDetail, ReturnView};
use crate::server::entities::{customers, order_lines, order_return_lines, order_returns};
use crate::server::state::AppState;

fn minute(t: chrono::DateTime<chrono::Utc>) -> String {
    jst(t).format("%Y/%m/%d %H:%M").to_string()
}

pub async fn load(st: &AppState, number: &str) -> Result<OrderDetail, AppError> {
    let db = &st.db;
    let o = find_order(db, number).await?;
    let c = customers::Entity::find_by_id(o.customer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(o.id))
        .order_by_asc(order_lines::Column::LineNo)
        .all(db)
        .await?;
    let done = returned_per_line(db, o.id).await?;
    let rets = order_returns::Entity::find()
        .filter(order_returns::Column::OrderId.eq(o.id))
        .order_by_asc(order_returns::Column::Id)
        .all(db)
        .await?;
    let ret_lines = if rets.is_empty() {
        Vec::new()
    } else {
        order_return_lines::Entity::find()
            .filter(order_return_lines::Column::ReturnId.is_in(rets.iter().map(|r| r.id)))
            .order_by_asc(order_return_lines::Column::Id)
            .all(db)
            .await?
    };
    let returns = rets
        .into_iter()
        .map(|r| ReturnView {
            recorded_at: minute(r.recorded_at),
            total_yen: r.total_yen,
            lines: ret_lines
                .iter()
                .filter(|l| l.return_id == r.id)
                .map(|l| {
                    let name = lines
                        .iter()
                        .find(|x| x.id == l.order_line_id)
                        .map(|x| x.product_name.as_str())
                        .unwrap_or("?");
                    format!("{name} × {}", l.quantity)
                })
                .collect(),
            reason: r.reason,
        })
        .collect();
    let any_left = lines
        .iter()
        .any(|l| done.get(&l.id).copied().unwrap_or(0) < l.quantity);
    Ok(OrderDetail {
        version: o.version,
        status_label: o.status.label().into(),
        can_ship: o.status.allows(Action::Ship),
        can_cancel: o.status.allows(Action::Cancel),
        can_return: o.status.allows(Action::Return) && any_left,
        ordered_at: minute(o.ordered_at),
        customer_code: c.customer_code,
        customer_name: c.name,
        shipped_on: o.shipped_on.map(|d| d.format("%Y/%m/%d").to_string()),
        tracking_number: o.tracking_number,
        cancel_reason: o.cancel_reason,
        status_changed_at: o.status_changed_at.map(minute),
        subtotal_10_yen: o.subtotal_10_yen,
        tax_10_yen: o.tax_10_yen,
        subtotal_8_yen: o.subtotal_8_yen,
        tax_8_yen: o.tax_8_yen,
        total_yen: o.total_yen,
        lines: lines
            .into_iter()
            .map(|l| DetailLine {
                returned: done.get(&l.id).copied().unwrap_or(0),
                line_no: l.line_no,
                product_code: l.product_code,
                product_name: l.product_name,
                unit_price_yen: l.unit_price_yen,
                tax_rate_percent: l.tax_rate_percent,
                quantity: l.quantity,
                amount_yen: l.amount_yen,
            })
            .collect(),
        returns,
        today: jst(st.clock.now()).format("%Y-%m-%d").to_string(),
        order_number: o.order_number,
        status: o.status.code().into(),
    })
}
