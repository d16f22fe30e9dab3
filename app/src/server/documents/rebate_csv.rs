//! A month's 還元額 breakdown as CSV (#11.5): `GET /documents/rebate/{YYYY-MM}.csv` lists the
//! downline orders and returns that make the month's base, one row each, then one 小計 row
//! per rate segment and the 合計, whose figures are the statement's (the stored version of a
//! closed month). Scope as the PDF: one's own statement, staff anyone's (`?customer=`).
//! Orders and returns are read in keyset pages and streamed.
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;

use super::{access as documents, http, RebateParams};
use crate::domain::time::{jst_date, Month};
use crate::error::AppError;
use crate::server::csv_export::{self, Cell, CsvEncoding};
use crate::server::entities::{customers, order_returns, orders};
use crate::server::pdf::rebate_statement::{RebateStatement, ReturnLine};
use crate::server::rebate::figures as rebate_figures;
use crate::server::rebate::{percent_label, Segment};
use crate::server::{audit, network, state::AppState};

pub const HEADER: &[&str] = &[
    "注文番号",
    "日付",
    "お客様ID",
    "代理店名",
    "区分",
    "対象額（税抜）",
    "還元率",
    "還元額",
];

/// Rows per query.
const PAGE: u64 = 500;

pub async fn rebate_csv(
    st: AppState,
    month: &str,
    params: RebateParams,
    headers: &HeaderMap,
) -> Response {
    match export(st, month, params, headers).await {
        Ok(r) => r,
        Err(e) => http::error_response(e),
    }
}

async fn export(
    st: AppState,
    month: &str,
    p: RebateParams,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let viewer = documents::viewer(&st, headers).await?;
    let month = Month::parse(month).ok_or(AppError::NotFound)?;
    let now = st.clock.now();
    let month = rebate_figures::parse_month(&month.code(), now)?;
    let version = rebate_figures::parse_version(p.version.as_deref())?;
    let subject = documents::statement_subject(&st, &viewer, p.customer.as_deref()).await?;
    let (statement, fixed_at) =
        rebate_figures::statement_fixed(&st.db, now, &subject, month, version).await?;
    audit::append(
        &st.db,
        now,
        audit::Entry::new("rebate_csv_exported")
            .actor(viewer.id)
            .subject(Some(subject.id))
            .detail(json!({ "month": month.code(), "version": statement.version })),
    )
    .await?;
    let encoding = CsvEncoding::from_param(p.encoding.as_deref());
    let db = st.db.clone();
    let path = subject.path.clone();
    let rows = csv_export::paged(Cursor::Orders(0), move |c: Cursor| {
        let (db, path, statement) = (db.clone(), path.clone(), statement.clone());
        async move { fetch(&db, &path, &statement, fixed_at, c).await }
    });
    let file = format!("rebate-{}-{}.csv", subject.customer_code, month.code());
    Ok(csv_export::response(&file, encoding, HEADER, rows))
}

/// Where the export is: orders after an id, returns after an id, then the totals.
#[derive(Clone, Copy, Debug)]
enum Cursor {
    Orders(i64),
    Returns(i64),
    Totals,
}

fn rate_on(segments: &[Segment], date: NaiveDate) -> String {
    segments
        .iter()
        .find(|s| s.from <= date && date <= s.to)
        .map(|s| percent_label(s.basis_points))
        .unwrap_or_default()
}

async fn fetch(
    db: &DatabaseConnection,
    path: &str,
    s: &RebateStatement,
    fixed_at: Option<DateTime<Utc>>,
    cursor: Cursor,
) -> Result<(Vec<Vec<Cell>>, Option<Cursor>), AppError> {
    let segments = &s.rebate.segments;
    match cursor {
        Cursor::Orders(after) => {
            let page = order_page(db, path, s.rebate.month, fixed_at, after).await?;
            let next = match page.last() {
                Some(last) if page.len() as u64 == PAGE => Cursor::Orders(last.id),
                _ => Cursor::Returns(0),
            };
            let rows = page
                .into_iter()
                .map(|l| line(l, "注文", 1, segments))
                .collect();
            Ok((rows, Some(next)))
        }
        // A stored version keeps its returns: list those, not today's.
        Cursor::Returns(_) if fixed_at.is_some() => {
            let rows = s
                .returns
                .iter()
                .map(|r| stored_return(r, segments))
                .collect();
            Ok((rows, Some(Cursor::Totals)))
        }
        Cursor::Returns(after) => {
            let page = return_page(db, path, s.rebate.month, after).await?;
            let next = match page.last() {
                Some(last) if page.len() as u64 == PAGE => Cursor::Returns(last.id),
                _ => Cursor::Totals,
            };
            let rows = page
                .into_iter()
                .map(|l| line(l, "返品", -1, segments))
                .collect();
            Ok((rows, Some(next)))
        }
        Cursor::Totals => Ok((totals(s), None)),
    }
}

/// One order or return of the base (the amount of a return is negative).
struct Line {
    id: i64,
    order_number: String,
    /// JST date of the order or the return.
    on: NaiveDate,
    customer_code: String,
    name: String,
    amount_yen: i64,
}

fn line(l: Line, kind: &str, sign: i64, segments: &[Segment]) -> Vec<Cell> {
    let date = l.on;
    vec![
        Cell::from(l.order_number),
        Cell::from(date.format("%Y-%m-%d").to_string()),
        Cell::from(l.customer_code),
        Cell::from(l.name),
        Cell::from(kind),
        Cell::Number(sign * l.amount_yen),
        Cell::from(rate_on(segments, date)),
        // Rounding is per segment (小計), never per order.
        Cell::from(""),
    ]
}

/// A return kept in a stored version's figures, as a line of the base.
fn stored_return(r: &ReturnLine, segments: &[Segment]) -> Vec<Cell> {
    let l = Line {
        // Listed from memory, not paged.
        id: 0,
        order_number: r.order_number.clone(),
        on: r.recorded_on,
        customer_code: r.customer_code.clone(),
        name: r.name.clone(),
        amount_yen: r.amount_yen,
    };
    line(l, "返品", -1, segments)
}

fn totals(s: &RebateStatement) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = s
        .rebate
        .segments
        .iter()
        .map(|g| {
            vec![
                Cell::from(""),
                // ASCII between the dates: every Shift_JIS table holds it.
                Cell::from(format!(
                    "{} - {}",
                    g.from.format("%Y-%m-%d"),
                    g.to.format("%Y-%m-%d")
                )),
                Cell::from(""),
                Cell::from(""),
                Cell::from("小計"),
                Cell::Number(g.base_yen),
                Cell::from(percent_label(g.basis_points)),
                Cell::Number(g.rebate_yen),
            ]
        })
        .collect();
    let status = crate::server::pdf::rebate_statement::status_label(s.version);
    rows.push(vec![
        Cell::from(""),
        Cell::from(s.rebate.month.label()),
        Cell::from(s.customer_code.clone()),
        Cell::from(s.name.clone()),
        Cell::from(format!("合計（{status}）")),
        Cell::Number(s.rebate.base_yen),
        Cell::from(""),
        Cell::Number(s.rebate.rebate_yen),
    ]);
    rows
}

fn read_lines(rows: Vec<sea_orm::QueryResult>, at: &str) -> Result<Vec<Line>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let s10: i64 = r.try_get("", "subtotal_10_yen")?;
        let s8: i64 = r.try_get("", "subtotal_8_yen")?;
        out.push(Line {
            id: r.try_get("", "id")?,
            order_number: r.try_get("", "order_number")?,
            on: jst_date(r.try_get::<DateTime<Utc>>("", at)?),
            customer_code: r.try_get("", "customer_code")?,
            name: r.try_get("", "name")?,
            amount_yen: s10 + s8,
        });
    }
    Ok(out)
}

/// The month's downline orders that count (as of `fixed_at` for a stored version; see
/// `month_rows::counted_orders`) after `after`, by id.
async fn order_page(
    db: &DatabaseConnection,
    path: &str,
    month: Month,
    fixed_at: Option<DateTime<Utc>>,
    after: i64,
) -> Result<Vec<Line>, AppError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let (start, end) = month.utc_range();
    let q = crate::server::rebate::month_rows::counted_orders(start, end, fixed_at)
        .column((orders::Entity, orders::Column::Id))
        .column((orders::Entity, orders::Column::OrderNumber))
        .column((orders::Entity, orders::Column::OrderedAt))
        .column((orders::Entity, orders::Column::Subtotal10Yen))
        .column((orders::Entity, orders::Column::Subtotal8Yen))
        .column((customers::Entity, customers::Column::CustomerCode))
        .column((customers::Entity, customers::Column::Name))
        .cond_where(network::downline_condition(path))
        .and_where(Expr::col((orders::Entity, orders::Column::Id)).gt(after))
        .order_by((orders::Entity, orders::Column::Id), sea_orm::Order::Asc)
        .limit(PAGE)
        .to_owned();
    read_lines(db.query_all(&q).await?, "ordered_at")
}

/// The downline's returns recorded in the month after `after`, by id.
async fn return_page(
    db: &DatabaseConnection,
    path: &str,
    month: Month,
    after: i64,
) -> Result<Vec<Line>, AppError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let (start, end) = month.utc_range();
    let q = crate::server::rebate::month_rows::recorded_returns(start, end)
        .column((order_returns::Entity, order_returns::Column::Id))
        .column((orders::Entity, orders::Column::OrderNumber))
        .column((order_returns::Entity, order_returns::Column::RecordedAt))
        .column((order_returns::Entity, order_returns::Column::Subtotal10Yen))
        .column((order_returns::Entity, order_returns::Column::Subtotal8Yen))
        .column((customers::Entity, customers::Column::CustomerCode))
        .column((customers::Entity, customers::Column::Name))
        .cond_where(network::downline_condition(path))
        .and_where(Expr::col((order_returns::Entity, order_returns::Column::Id)).gt(after))
        .order_by(
            (order_returns::Entity, order_returns::Column::Id),
            sea_orm::Order::Asc,
        )
        .limit(PAGE)
        .to_owned();
    read_lines(db.query_all(&q).await?, "recorded_at")
}
