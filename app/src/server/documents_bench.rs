//! `daiko bench-documents`: times the two PDFs on a database it fills itself — a 100-line
//! 納品書 (query + render) and a 還元額計算書 over 10,000 downline orders in one month
//! (query + rebate + render). Targets (issue #5): ≤ 200 ms and ≤ 500 ms.
use super::catalogue_demo;
use super::documents::{delivery_note_data, rebate_statement_data};
use super::entities::{customers, orders, products};
use super::pdf::{delivery_note, rebate_statement};
use super::{customer_keys, network, ordering};
use crate::domain::time::{jst_midnight, Month};
use crate::error::AppError;
use crate::orders::CartLine;
use crate::server::entities::orders::OrderStatus;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::time::Instant;

pub struct Timing {
    pub what: &'static str,
    pub runs: Vec<f64>,
    pub bytes: usize,
    pub target_ms: f64,
}

impl Timing {
    pub fn median(&self) -> f64 {
        let mut v = self.runs.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }
    pub fn max(&self) -> f64 {
        self.runs.iter().copied().fold(0.0, f64::max)
    }
}

pub struct BenchOutput {
    pub timings: Vec<Timing>,
    pub delivery_pdf: Vec<u8>,
    pub rebate_pdf: Vec<u8>,
}

async fn customer(db: &DatabaseConnection, code: &str) -> Result<customers::Model, AppError> {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Fills a database that holds the demo data (`daiko demo-data`): 200 more customers under
/// 販社 10000030's downline, 10,000 orders of theirs in `month`, and one 100-line order.
pub async fn seed(
    db: &DatabaseConnection,
    month: Month,
    downline_orders: usize,
) -> Result<String, AppError> {
    let now = Utc::now();
    let hansha = customer(db, "10000030").await?;
    let under = customer(db, "10000040").await?;
    let mut ids = Vec::new();
    for i in 0..200 {
        let c = customers::ActiveModel {
            customer_code: Set(format!("{:08}", 30_000_001 + i)),
            name: Set(format!("ベンチ商店 第{}号店", i + 1)),
            kana: Set(format!("ベンチショウテン ダイ{}ゴウテン", i + 1)),
            phone: Set(None),
            rank: Set(crate::model::Rank::Shop),
            upline_id: Set(Some(under.id)),
            division_id: Set(None),
            can_register: Set(false),
            screen_variant: Set(crate::model::ScreenVariant::Secondary),
            postal_code: Set(None),
            address: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        network::assign_path(db, c.id, Some(under.id))
            .await
            .map_err(|_| AppError::Internal)?;
        customer_keys::refresh(db, c.id).await?;
        ids.push(c.id);
    }
    let start = jst_midnight(month.first_day());
    let span = (jst_midnight(month.next().first_day()) - start).num_seconds();
    let mut batch = Vec::with_capacity(500);
    for i in 0..downline_orders {
        let at = start + Duration::seconds((i as i64 * 7_919) % span);
        let s10 = 1_000 + (i as i64 * 131) % 20_000;
        let s8 = (i as i64 * 17) % 3_000;
        batch.push(orders::ActiveModel {
            order_number: Set(format!("B-{i:08}")),
            customer_id: Set(ids[i % ids.len()]),
            status: Set(if i % 50 == 0 {
                OrderStatus::Cancelled
            } else {
                OrderStatus::Delivered
            }),
            ordered_at: Set(at),
            subtotal_10_yen: Set(s10),
            tax_10_yen: Set(s10 / 10),
            subtotal_8_yen: Set(s8),
            tax_8_yen: Set(s8 * 8 / 100),
            total_yen: Set(s10 + s10 / 10 + s8 + s8 * 8 / 100),
            created_at: Set(at),
            ..Default::default()
        });
        if batch.len() == 500 || i + 1 == downline_orders {
            orders::Entity::insert_many(std::mem::take(&mut batch))
                .exec(db)
                .await?;
        }
    }
    // A 100-line order of 販社 itself.
    catalogue_demo::generate(db, 100, now).await?;
    let items = products::Entity::find()
        .filter(products::Column::Code.starts_with("S-"))
        .order_by_asc(products::Column::Code)
        .limit(100)
        .all(db)
        .await?;
    let lines: Vec<CartLine> = items
        .iter()
        .enumerate()
        .map(|(i, p)| CartLine {
            product_code: p.code.clone(),
            quantity: (1 + i % 12).to_string(),
            unit_price_yen: p.price_yen,
            tax_rate_percent: p.tax_rate_percent,
        })
        .collect();
    let placed = ordering::place(db, hansha.id, &lines, start + Duration::days(3)).await?;
    Ok(placed.order_number)
}

/// Times `runs` renders of each document (after one warm-up that loads the font).
pub async fn run(
    db: &DatabaseConnection,
    month: Month,
    order_number: &str,
    runs: usize,
) -> Result<BenchOutput, AppError> {
    let hansha = customer(db, "10000030").await?;
    let now = Utc::now();
    let mut delivery = Timing {
        what: "納品書 100行 (query + PDF)",
        runs: Vec::new(),
        bytes: 0,
        target_ms: 200.0,
    };
    let mut rebate = Timing {
        what: "還元額計算書 10,000件 (query + rebate + PDF)",
        runs: Vec::new(),
        bytes: 0,
        target_ms: 500.0,
    };
    let mut delivery_pdf = Vec::new();
    let mut rebate_pdf = Vec::new();
    for i in 0..=runs {
        let t = Instant::now();
        let data = delivery_note_data(db, now, &hansha, order_number).await?;
        let pdf = tokio::task::spawn_blocking(move || delivery_note::render(&data))
            .await
            .map_err(|_| AppError::Internal)??;
        if i > 0 {
            delivery.runs.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        delivery.bytes = pdf.len();
        delivery_pdf = pdf;

        let t = Instant::now();
        let data = rebate_statement_data(db, now, &hansha, month).await?;
        let pdf = tokio::task::spawn_blocking(move || rebate_statement::render(&data))
            .await
            .map_err(|_| AppError::Internal)??;
        if i > 0 {
            rebate.runs.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        rebate.bytes = pdf.len();
        rebate_pdf = pdf;
    }
    Ok(BenchOutput {
        timings: vec![delivery, rebate],
        delivery_pdf,
        rebate_pdf,
    })
}
