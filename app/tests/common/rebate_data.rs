//! October 2026 test data for the 還元額 close and CSV tests: orders through the real
//! ordering code, returns and rates inserted as the other screens would store them.
#![allow(dead_code)]
use super::common::TestApp;
use app::orders::CartLine;
use app::server::entities::{customers, order_returns, orders, rebate_rates};
use app::server::ordering;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

pub const OCT: &str = "2026-10";

pub fn jst(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn line(code: &str, qty: u32, price: i64, rate: i32) -> CartLine {
    CartLine {
        product_code: code.into(),
        quantity: qty.to_string(),
        unit_price_yen: price,
        tax_rate_percent: rate,
    }
}

pub async fn customer(app: &TestApp, code: &str) -> customers::Model {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .expect("customer")
}

pub async fn place(app: &TestApp, code: &str, lines: &[CartLine], at: DateTime<Utc>) -> i64 {
    let id = customer(app, code).await.id;
    let number = ordering::place(&app.db, id, lines, at)
        .await
        .expect("order placed")
        .order_number;
    orders::Entity::find()
        .filter(orders::Column::OrderNumber.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A return row as the returns screen would record it (tax-excluded 10 % / 8 % parts).
pub async fn record_return(app: &TestApp, order_id: i64, s10: i64, s8: i64, at: DateTime<Utc>) {
    order_returns::ActiveModel {
        order_id: Set(order_id),
        recorded_at: Set(at),
        reason: Set("破損".into()),
        subtotal_10_yen: Set(s10),
        tax_10_yen: Set(s10 / 10),
        subtotal_8_yen: Set(s8),
        tax_8_yen: Set(s8 * 8 / 100),
        total_yen: Set(s10 + s10 / 10 + s8 + s8 * 8 / 100),
        created_by: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

pub async fn add_rate(app: &TestApp, rank: &str, bp: i32, from: NaiveDate) {
    rebate_rates::ActiveModel {
        rank: Set(app::model::Rank::from_code(rank).expect("a rank code")),
        rate_basis_points: Set(bp),
        effective_from: Set(from),
        created_at: Set(Utc::now()),
        created_by: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// October 2026 for 販社 10000030 (5 %): 10,840 (10000080, 5 Oct) + 19,800 (10000050,
/// 20 Oct) in orders; returns recorded in October of 1,080 (of the 5 Oct order) and 3,800 (of
/// a September order): base 25,760, 還元額 1,288. Returns the 5 Oct order's id.
pub async fn october(app: &TestApp) -> i64 {
    let a = place(
        app,
        "10000080",
        &[line("A-1001", 2, 3_800, 10), line("B-2001", 3, 1_080, 8)],
        jst(2026, 10, 5, 10),
    )
    .await;
    place(
        app,
        "10000050",
        &[line("C-3001", 1, 19_800, 10)],
        jst(2026, 10, 20, 10),
    )
    .await;
    let sep = place(
        app,
        "10000080",
        &[line("A-1001", 1, 3_800, 10)],
        jst(2026, 9, 15, 10),
    )
    .await;
    record_return(app, a, 0, 1_080, jst(2026, 10, 25, 10)).await;
    record_return(app, sep, 3_800, 0, jst(2026, 10, 2, 10)).await;
    // Recorded in November: not October's.
    record_return(app, a, 7_600, 0, jst(2026, 11, 1, 0)).await;
    a
}

pub async fn close(app: &TestApp, token: &str, month: &str) -> reqwest::Response {
    app.post_form(
        "/api/staff/rebate-close-month",
        &[("month", month)],
        Some(token),
    )
    .await
}
