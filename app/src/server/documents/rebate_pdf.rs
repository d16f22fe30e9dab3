//! 還元額計算書 (R8): a month's statement as a PDF, and the dispatch of the same address's
//! `.csv` to [`super::rebate_csv`].
use super::access::{statement_subject, viewer, RebateParams};
use super::http::{error_response, pdf_response, render};
use crate::domain::time::Month;
use crate::error::AppError;
use crate::server::entities::customers;
use crate::server::pdf::rebate_statement::{self, RebateStatement};
use crate::server::rebate::figures;
use crate::server::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

/// Everything a 還元額計算書 shows, computed by `server::rebate` from the live database
/// (仮計算; a closed month's stored figures are read by `rebate::figures::statement`).
pub async fn rebate_statement_data<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
) -> Result<RebateStatement, AppError> {
    figures::live(db, now, subject, month).await
}

/// `GET /documents/rebate/{YYYY-MM}.pdf[?customer=お客様ID][&version=N]`, and the month's
/// breakdown as `{YYYY-MM}.csv` (`rebate_csv`).
pub async fn rebate_file(
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
    let viewer = viewer(st, headers).await?;
    let month = file
        .strip_suffix(".pdf")
        .and_then(Month::parse)
        .ok_or(AppError::NotFound)?;
    let now = st.clock.now();
    let month = figures::parse_month(&month.code(), now)?;
    let version = figures::parse_version(params.version.as_deref())?;
    let subject = statement_subject(st, &viewer, params.customer.as_deref()).await?;
    let data = figures::statement(&st.db, now, &subject, month, version).await?;
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
