//! 納品書 and 還元額計算書 downloads (R8): who may fetch what, the queries that gather a
//! document's figures, and the axum handlers that return the PDF bytes. Handlers, not server
//! functions, because they answer with a file. Rendering runs on a blocking thread.
use super::entities::{customers, order_lines, orders, rebate_rates};
use super::pdf::delivery_note::{self, DeliveryNote, Line, Party};
use super::pdf::rebate_statement::{self, RebateStatement};
use super::rebate::{self, jst_date, Month, Rate};
use super::{audit, network, session, state::AppState};
use crate::error::AppError;
use crate::model::Rank;
use crate::validation;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

/// The signed-in customer for a request's cookie.
pub async fn viewer(st: &AppState, headers: &HeaderMap) -> Result<customers::Model, AppError> {
    let token = session::token_from_headers(headers);
    super::signed_in::customer(st, token.as_deref()).await
}

pub use super::signed_in::is_staff;

/// The operator printed as the issuer: the first 全国販社 customer.
pub async fn issuer<C: ConnectionTrait>(db: &C) -> Result<Option<customers::Model>, AppError> {
    Ok(customers::Entity::find()
        .filter(customers::Column::Rank.eq(Rank::National.code()))
        .order_by_asc(customers::Column::Id)
        .one(db)
        .await?)
}

fn party(c: &customers::Model) -> Party {
    Party {
        customer_code: c.customer_code.clone(),
        name: c.name.clone(),
        postal_code: c.postal_code.clone(),
        address: c.address.clone(),
    }
}

/// The figures of one order's 納品書. The customer's own orders only; 全国販社 staff may
/// fetch any. Anyone else gets the same 404 as for an order that does not exist (and the
/// attempt is audited).
pub async fn delivery_note_data(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    viewer: &customers::Model,
    order_number: &str,
) -> Result<DeliveryNote, AppError> {
    let order = orders::Entity::find()
        .filter(orders::Column::OrderNumber.eq(order_number))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if order.customer_id != viewer.id && !is_staff(viewer) {
        audit::append(
            db,
            now,
            audit::Entry::new("forbidden_delivery_note")
                .actor(viewer.id)
                .subject(Some(order.customer_id))
                .detail(json!({ "order_number": order.order_number })),
        )
        .await?;
        return Err(AppError::NotFound);
    }
    let customer = customers::Entity::find_by_id(order.customer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .order_by_asc(order_lines::Column::LineNo)
        .all(db)
        .await?;
    Ok(DeliveryNote {
        order_number: order.order_number.clone(),
        ordered_on: jst_date(order.ordered_at),
        issued_on: jst_date(now),
        customer: party(&customer),
        issuer: issuer(db).await?.map(|i| party(&i)),
        lines: lines
            .into_iter()
            .map(|l| Line {
                line_no: i64::from(l.line_no),
                product_code: l.product_code,
                product_name: l.product_name,
                unit_price_yen: l.unit_price_yen,
                quantity: i64::from(l.quantity),
                tax_rate_percent: i64::from(l.tax_rate_percent),
                amount_yen: l.amount_yen,
            })
            .collect(),
        subtotal_10_yen: order.subtotal_10_yen,
        tax_10_yen: order.tax_10_yen,
        subtotal_8_yen: order.subtotal_8_yen,
        tax_8_yen: order.tax_8_yen,
        total_yen: order.total_yen,
    })
}

/// Whose statement a request asks for: the viewer's own, or (全国販社 staff only) the
/// customer named by `?customer=お客様ID`. Others asking for someone else: 403, audited.
pub async fn statement_subject(
    st: &AppState,
    viewer: &customers::Model,
    customer: Option<&str>,
) -> Result<customers::Model, AppError> {
    let Some(raw) = customer.filter(|c| !c.trim().is_empty()) else {
        return Ok(viewer.clone());
    };
    let code = validation::customer_code(raw)?;
    if code == viewer.customer_code {
        return Ok(viewer.clone());
    }
    if !is_staff(viewer) {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("forbidden_rebate_statement")
                .actor(viewer.id)
                .detail(json!({ "customer": code })),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&st.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every rate row for `rank`, as the rebate rules take them.
pub async fn rates_for<C: ConnectionTrait>(db: &C, rank: &str) -> Result<Vec<Rate>, AppError> {
    Ok(rebate_rates::Entity::find()
        .filter(rebate_rates::Column::Rank.eq(rank))
        .all(db)
        .await?
        .into_iter()
        .map(|r| Rate {
            id: r.id,
            rank: r.rank,
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
    let q = super::month_rows::counted_orders(start, end, None)
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

/// Everything a 還元額計算書 shows, computed by `server::rebate` from the live database
/// (仮計算; a closed month's stored figures are read by `rebate_figures::statement`).
pub async fn rebate_statement_data<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
) -> Result<RebateStatement, AppError> {
    super::rebate_figures::live(db, now, subject, month).await
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

// ---------------------------------------------------------------------------------------
// HTTP

/// An error as the document routes answer it: status and the Japanese message as text.
pub fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        e.message(),
    )
        .into_response()
}

/// RFC 5987 `attr-char` percent-encoding for `filename*=UTF-8''…`.
pub fn rfc5987(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `attachment; filename="ascii.pdf"; filename*=UTF-8''日本語.pdf` (RFC 6266 / 5987).
pub fn content_disposition(ascii: &str, utf8: &str) -> String {
    let ascii: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc5987(utf8)
    )
}

fn pdf_response(bytes: Vec<u8>, ascii: &str, utf8: &str) -> Response {
    let cd = HeaderValue::from_str(&content_disposition(ascii, utf8))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, cd),
        ],
        bytes,
    )
        .into_response()
}

/// Renders on a blocking thread: PDF layout and font subsetting are CPU work.
async fn render<T: Send + 'static>(
    data: T,
    f: fn(&T) -> Result<Vec<u8>, super::pdf::PdfError>,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || f(&data))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "PDF task failed");
            AppError::Internal
        })?
        .map_err(AppError::from)
}

/// `GET /documents/delivery-note/{order_number}.pdf`
pub async fn delivery_note_pdf(
    State(st): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    match delivery_note_inner(&st, &file, &headers).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

async fn delivery_note_inner(
    st: &AppState,
    file: &str,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let viewer = viewer(st, headers).await?;
    let number = file
        .strip_suffix(".pdf")
        .filter(|n| !n.is_empty() && n.len() <= 64)
        .ok_or(AppError::NotFound)?;
    let data = delivery_note_data(&st.db, st.clock.now(), &viewer, number).await?;
    let number = data.order_number.clone();
    let bytes = render(data, delivery_note::render).await?;
    Ok(pdf_response(
        bytes,
        &format!("delivery-note-{number}.pdf"),
        &format!("納品書_{number}.pdf"),
    ))
}

#[derive(Debug, Deserialize)]
pub struct RebateParams {
    pub customer: Option<String>,
    /// A closed month's stored version (`?version=1`); the latest when absent.
    pub version: Option<String>,
    /// CSV only: `sjis` for Shift_JIS.
    pub encoding: Option<String>,
}

/// `GET /documents/rebate/{YYYY-MM}.pdf[?customer=お客様ID][&version=N]`, and the month's
/// breakdown as `{YYYY-MM}.csv` (`server::rebate_csv`).
pub async fn rebate_pdf(
    State(st): State<AppState>,
    Path(file): Path<String>,
    Query(params): Query<RebateParams>,
    headers: HeaderMap,
) -> Response {
    if let Some(month) = file.strip_suffix(".csv") {
        return super::rebate_csv::rebate_csv(st, month, params, &headers).await;
    }
    match rebate_inner(&st, &file, &params, &headers).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

async fn rebate_inner(
    st: &AppState,
    file: &str,
    params: &RebateParams,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    use super::rebate_figures;
    let viewer = viewer(st, headers).await?;
    let month = file
        .strip_suffix(".pdf")
        .and_then(Month::parse)
        .ok_or(AppError::NotFound)?;
    let now = st.clock.now();
    let month = rebate_figures::parse_month(&month.code(), now)?;
    let version = rebate_figures::parse_version(params.version.as_deref())?;
    let subject = statement_subject(st, &viewer, params.customer.as_deref()).await?;
    let data = rebate_figures::statement(&st.db, now, &subject, month, version).await?;
    let code = subject.customer_code.clone();
    let suffix = match data.version {
        Some(n) if n > 1 => format!("-v{n}"),
        _ => String::new(),
    };
    let label = match data.version {
        Some(n) if n > 1 => format!("_第{n}版"),
        _ => String::new(),
    };
    let bytes = render(data, rebate_statement::render).await?;
    Ok(pdf_response(
        bytes,
        &format!("rebate-{code}-{}{suffix}.pdf", month.code()),
        &format!("還元額計算書_{}_{code}{label}.pdf", month.code()),
    ))
}

// ---------------------------------------------------------------------------------------
// 還元率 (staff)

/// The signed-in 全国販社 staff member's id; anyone else gets 403 and an audit entry.
pub async fn staff(st: &AppState, token: Option<&str>, what: &str) -> Result<i64, AppError> {
    let detail = json!({ "action": what });
    let c = super::signed_in::staff(st, token, "forbidden_staff_rebate_rates", detail).await?;
    Ok(c.id)
}

/// Every rate ever set, ranks in their order, newest first within a rank, each marked as
/// in force today, scheduled, or past.
pub async fn rates_page(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<crate::documents::RebateRatesPage, AppError> {
    use crate::documents::{RebateRateRow, RebateRatesPage};
    let today = jst_date(now);
    let all = rebate_rates::Entity::find()
        .order_by_desc(rebate_rates::Column::EffectiveFrom)
        .order_by_desc(rebate_rates::Column::Id)
        .all(db)
        .await?;
    let staff_ids: Vec<i64> = all.iter().filter_map(|r| r.created_by).collect();
    let codes: BTreeMap<i64, String> = if staff_ids.is_empty() {
        BTreeMap::new()
    } else {
        customers::Entity::find()
            .filter(customers::Column::Id.is_in(staff_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.customer_code))
            .collect()
    };
    let mut rows = Vec::with_capacity(all.len());
    for rank in Rank::ALL {
        let mine: Vec<&rebate_rates::Model> =
            all.iter().filter(|r| r.rank == rank.code()).collect();
        // In force today: the latest start on or before today (then the highest id).
        let current = mine
            .iter()
            .filter(|r| r.effective_from <= today)
            .max_by_key(|r| (r.effective_from, r.id))
            .map(|r| r.id);
        for r in mine {
            let state = if Some(r.id) == current {
                "current"
            } else if r.effective_from > today {
                "scheduled"
            } else {
                "past"
            };
            rows.push(RebateRateRow {
                id: r.id,
                rank_code: r.rank.clone(),
                rank_label: rank.label().to_owned(),
                percent: rebate::percent_label(r.rate_basis_points),
                effective_from: r.effective_from.format("%Y-%m-%d").to_string(),
                created_at: r
                    .created_at
                    .with_timezone(&rebate::jst())
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                created_by: r.created_by.and_then(|id| codes.get(&id).cloned()),
                state: state.to_owned(),
            });
        }
    }
    Ok(RebateRatesPage {
        today: today.format("%Y-%m-%d").to_string(),
        ranks: Rank::ALL
            .iter()
            .map(|r| (r.code().to_owned(), r.label().to_owned()))
            .collect(),
        rows,
    })
}

/// Checks and stores a new rate. Rates start today (JST) or later, so a statement already
/// issued for a past month never changes; a mistake is corrected by adding a rate for the
/// same date (the later row wins).
pub async fn add_rate(
    st: &AppState,
    staff: i64,
    rank: &str,
    percent: &str,
    effective_from: &str,
) -> Result<(), AppError> {
    let invalid = |m: &str| AppError::InvalidInput(m.to_owned());
    let rank = Rank::from_code(rank).ok_or_else(|| invalid("ランクを選んでください。"))?;
    let bp = rebate::parse_percent(percent).ok_or_else(|| {
        invalid("還元率は0〜100の数字で、小数点以下2桁まで入力してください（例: 5 または 5.25）。")
    })?;
    let from = crate::validation::iso_date(effective_from, "適用開始日")?;
    let now = st.clock.now();
    if from < jst_date(now) {
        return Err(invalid(
            "適用開始日は今日以降の日付にしてください。発行済みの計算書は変わりません。",
        ));
    }
    if from > jst_date(now) + chrono::Duration::days(366 * 5) {
        return Err(invalid(
            "適用開始日が先すぎます。5年以内の日付にしてください。",
        ));
    }
    let row = rebate_rates::ActiveModel {
        rank: sea_orm::Set(rank.code().to_owned()),
        rate_basis_points: sea_orm::Set(bp),
        effective_from: sea_orm::Set(from),
        created_at: sea_orm::Set(now),
        created_by: sea_orm::Set(Some(staff)),
        ..Default::default()
    };
    sea_orm::ActiveModelTrait::insert(row, &st.db).await?;
    audit::append(
        &st.db,
        now,
        audit::Entry::new("rebate_rate_added")
            .actor(staff)
            .detail(json!({
                "rank": rank.code(),
                "basis_points": bp,
                "effective_from": from.to_string(),
            })),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_rfc5987_encoded() {
        assert_eq!(rfc5987("納品書.pdf"), "%E7%B4%8D%E5%93%81%E6%9B%B8.pdf");
        assert_eq!(rfc5987("a b"), "a%20b");
        assert_eq!(
            content_disposition("delivery-note-O-1.pdf", "納品書_O-1.pdf"),
            "attachment; filename=\"delivery-note-O-1.pdf\"; filename*=UTF-8''%E7%B4%8D%E5%93%81%E6%9B%B8_O-1.pdf"
        );
        // Quotes and separators never reach the header unescaped.
        assert_eq!(
            content_disposition("a\"b;c.pdf", "x"),
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''x"
        );
    }
}
