//! Placing an order and reading the order history (R6, R8). Everything the browser sends is
//! checked again here; an order is written in one transaction or not at all.
use super::entities::{order_lines, order_returns, orders, products};
use super::sha256_hex;
use crate::domain::tax;
use crate::domain::time::jst;
use crate::domain::yen;
use crate::error::AppError;
use crate::orders::{
    normalise_code, parse_quantity, CartLine, OrderLineView, OrderView, PlacedOrder, LINES_MAX,
};
use crate::server::entities::orders::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

/// How many orders the history shows.
pub const HISTORY_LIMIT: u64 = 100;

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

/// `O-20261130-000123`: the JST date and the row id.
pub fn order_number(ordered_at: DateTime<Utc>, id: i64) -> String {
    format!("O-{}-{:06}", jst(ordered_at).format("%Y%m%d"), id)
}

/// A cart line checked for shape (no database yet).
#[derive(Debug, PartialEq, Eq)]
pub struct CheckedLine {
    pub code: String,
    pub quantity: i64,
    pub shown_price: i64,
    pub shown_rate: i32,
}

/// Shape checks of the cart: codes, quantities, no duplicates, not empty, not too long.
pub fn check_cart(lines: &[CartLine]) -> Result<Vec<CheckedLine>, AppError> {
    if lines.is_empty() {
        return Err(invalid("カートに商品がありません。"));
    }
    if lines.len() > LINES_MAX {
        return Err(invalid(format!("1回の注文は{LINES_MAX}品目までです。")));
    }
    let mut out: Vec<CheckedLine> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        let code = normalise_code(&l.product_code).ok_or_else(|| {
            let shown: String = l.product_code.chars().take(20).collect();
            invalid(format!(
                "{n}行目: 商品コード「{shown}」の商品はありません。"
            ))
        })?;
        let quantity =
            parse_quantity(&l.quantity).map_err(|m| invalid(format!("{n}行目（{code}）: {m}")))?;
        if out.iter().any(|o| o.code == code) {
            return Err(invalid(format!(
                "商品コード {code} が2行あります。1行にまとめてください。"
            )));
        }
        out.push(CheckedLine {
            code,
            quantity,
            shown_price: l.unit_price_yen,
            shown_rate: l.tax_rate_percent,
        });
    }
    Ok(out)
}

/// Places the order for `customer_id`. The products are read inside the transaction, so a
/// price change or 取扱停止 committed before it is seen and refused.
pub async fn place(
    db: &DatabaseConnection,
    customer_id: i64,
    lines: &[CartLine],
    now: DateTime<Utc>,
) -> Result<PlacedOrder, AppError> {
    let checked = check_cart(lines)?;
    let txn = db.begin().await?;
    let codes: Vec<String> = checked.iter().map(|c| c.code.clone()).collect();
    let found = products::Entity::find()
        .filter(products::Column::Code.is_in(codes))
        .all(&txn)
        .await?;
    let mut rows = Vec::with_capacity(checked.len());
    for c in &checked {
        let p = found
            .iter()
            .find(|p| p.code == c.code)
            .ok_or_else(|| invalid(format!("商品コード「{}」の商品はありません。", c.code)))?;
        if !p.active {
            return Err(invalid(format!(
                "「{}」（{}）は現在お取り扱いしていません。カートから削除してください。",
                p.name, p.code
            )));
        }
        if p.price_yen != c.shown_price || p.tax_rate_percent != c.shown_rate {
            return Err(invalid(format!(
                "「{}」（{}）の価格が変更されました（表示 {}・税{}% → 現在 {}・税{}%）。カートを確認してからもう一度ご注文ください。",
                p.name,
                p.code,
                yen(c.shown_price),
                c.shown_rate,
                yen(p.price_yen),
                p.tax_rate_percent
            )));
        }
        let amount = p
            .price_yen
            .checked_mul(c.quantity)
            .ok_or_else(|| invalid("金額が大きすぎます。"))?;
        rows.push((p, c.quantity, amount));
    }
    let t = tax::totals(rows.iter().map(|(p, _, a)| (p.tax_rate_percent, *a)))
        .map_err(|e| invalid(e.to_string()))?;
    // A unique placeholder until the id is known; replaced before commit.
    let placeholder = format!(
        "tmp-{}",
        &sha256_hex(&[
            &customer_id.to_be_bytes(),
            &now.timestamp_nanos_opt().unwrap_or_default().to_be_bytes(),
        ])[..24]
    );
    let order = orders::ActiveModel {
        order_number: Set(placeholder),
        customer_id: Set(customer_id),
        status: Set(OrderStatus::Received),
        ordered_at: Set(now),
        subtotal_10_yen: Set(t.subtotal_10_yen),
        tax_10_yen: Set(t.tax_10_yen),
        subtotal_8_yen: Set(t.subtotal_8_yen),
        tax_8_yen: Set(t.tax_8_yen),
        total_yen: Set(t.total_yen),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = order.id;
    let number = order_number(now, id);
    let mut am: orders::ActiveModel = order.into();
    am.order_number = Set(number.clone());
    am.update(&txn).await?;
    let new_lines: Vec<order_lines::ActiveModel> = rows
        .iter()
        .enumerate()
        .map(|(i, (p, q, amount))| order_lines::ActiveModel {
            order_id: Set(id),
            line_no: Set(i as i32 + 1),
            product_id: Set(p.id),
            product_code: Set(p.code.clone()),
            product_name: Set(p.name.clone()),
            unit_price_yen: Set(p.price_yen),
            tax_rate_percent: Set(p.tax_rate_percent),
            quantity: Set(*q as i32),
            amount_yen: Set(*amount),
            ..Default::default()
        })
        .collect();
    order_lines::Entity::insert_many(new_lines)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(PlacedOrder {
        order_number: number,
        total_yen: t.total_yen,
    })
}

/// The customer's own orders, newest first, with their lines.
pub async fn history(
    db: &DatabaseConnection,
    customer_id: i64,
) -> Result<Vec<OrderView>, AppError> {
    let list = orders::Entity::find()
        .filter(orders::Column::CustomerId.eq(customer_id))
        .order_by_desc(orders::Column::OrderedAt)
        .order_by_desc(orders::Column::Id)
        .limit(HISTORY_LIMIT)
        .all(db)
        .await?;
    let ids: Vec<i64> = list.iter().map(|o| o.id).collect();
    let lines = if ids.is_empty() {
        Vec::new()
    } else {
        order_lines::Entity::find()
            .filter(order_lines::Column::OrderId.is_in(ids.clone()))
            .order_by_asc(order_lines::Column::OrderId)
            .order_by_asc(order_lines::Column::LineNo)
            .all(db)
            .await?
    };
    let returns = if ids.is_empty() {
        Vec::new()
    } else {
        order_returns::Entity::find()
            .filter(order_returns::Column::OrderId.is_in(ids.clone()))
            .order_by_asc(order_returns::Column::Id)
            .all(db)
            .await?
    };
    Ok(list
        .into_iter()
        .map(|o| OrderView {
            shipped_on: o.shipped_on.map(|d| d.format("%Y/%m/%d").to_string()),
            tracking_number: o.tracking_number.clone(),
            returns: returns
                .iter()
                .filter(|r| r.order_id == o.id)
                .map(|r| {
                    format!(
                        "{} 返品 {}",
                        jst(r.recorded_at).format("%Y/%m/%d"),
                        yen(r.total_yen)
                    )
                })
                .collect(),
            lines: lines
                .iter()
                .filter(|l| l.order_id == o.id)
                .map(|l| OrderLineView {
                    product_code: l.product_code.clone(),
                    product_name: l.product_name.clone(),
                    unit_price_yen: l.unit_price_yen,
                    tax_rate_percent: l.tax_rate_percent,
                    quantity: l.quantity,
                    amount_yen: l.amount_yen,
                })
                .collect(),
            status_label: o.status.label().into(),
            ordered_at: jst(o.ordered_at).format("%Y/%m/%d %H:%M").to_string(),
            order_number: o.order_number,
            status: o.status.code().into(),
            subtotal_10_yen: o.subtotal_10_yen,
            tax_10_yen: o.tax_10_yen,
            subtotal_8_yen: o.subtotal_8_yen,
            tax_8_yen: o.tax_8_yen,
            total_yen: o.total_yen,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, q: &str) -> CartLine {
        CartLine {
            product_code: code.into(),
            quantity: q.into(),
            unit_price_yen: 100,
            tax_rate_percent: 10,
        }
    }

    #[test]
    fn order_numbers_use_the_jst_date() {
        let t = DateTime::parse_from_rfc3339("2026-11-30T16:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(order_number(t, 123), "O-20261201-000123");
    }

    #[test]
    fn cart_shape() {
        assert!(check_cart(&[]).is_err());
        assert_eq!(
            check_cart(&[line("a-1001", "2")]).unwrap()[0].code,
            "A-1001"
        );
        let e = check_cart(&[line("A-1", "1"), line("A-1", "1")]).unwrap_err();
        assert!(e.message().contains("2行"));
        let e = check_cart(&[line("浄水", "1")]).unwrap_err();
        assert!(e.message().contains("ありません"));
        let e = check_cart(&[line("A-1", "0")]).unwrap_err();
        assert!(e.message().contains("1行目"));
        let many: Vec<_> = (0..101).map(|i| line(&format!("A-{i}"), "1")).collect();
        assert!(check_cart(&many).is_err());
    }
}
