//! 顧客検索 results as CSV (#11.5): the same query, scope (staff everyone, 画面1 users their
//! downline) and order as the search page, every page of it streamed in batches. No e-mail
//! column, as on the page (R4).
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::csv_export::{self, Cell, CsvEncoding};
use super::customer_search::{self, Cursor};
use super::{audit, documents, state::AppState};
use crate::error::AppError;

pub const HEADER: &[&str] = &[
    "お客様ID",
    "代理店名",
    "カナ",
    "電話番号",
    "ランク",
    "販売事業部",
    "上位店お客様ID",
    "上位店名",
];

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub q: Option<String>,
    pub encoding: Option<String>,
}

/// `GET /documents/customers.csv?q=…&encoding=sjis`.
pub async fn customers_csv(
    State(st): State<AppState>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    match export(st, p, &headers).await {
        Ok(r) => r,
        Err(e) => documents::error_response(e),
    }
}

async fn export(st: AppState, p: Params, headers: &HeaderMap) -> Result<Response, AppError> {
    let me = documents::viewer(&st, headers).await?;
    let now = st.clock.now();
    let Some(scope) = customer_search::scope_for(&me) else {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("forbidden_customer_export").actor(me.id),
        )
        .await?;
        return Err(AppError::Forbidden);
    };
    let query = customer_search::parse(p.q.as_deref().unwrap_or_default());
    // Who took a copy of the customer list, never what they typed (it may be a phone number).
    audit::append(
        &st.db,
        now,
        audit::Entry::new("customers_exported").actor(me.id),
    )
    .await?;
    let encoding = CsvEncoding::from_param(p.encoding.as_deref());
    let db = st.db.clone();
    let rows = csv_export::paged(None::<Cursor>, move |after: Option<Cursor>| {
        let db = db.clone();
        let query = query.clone();
        let scope = scope.clone();
        async move {
            let found = customer_search::search(&db, &query, &scope, after.as_ref()).await?;
            let rows = customer_search::hits(&db, &found.ids)
                .await?
                .into_iter()
                .map(|h| {
                    vec![
                        Cell::from(h.customer_code),
                        Cell::from(h.name),
                        Cell::from(h.kana),
                        Cell::from(h.phone),
                        Cell::from(h.rank),
                        Cell::from(h.division),
                        Cell::from(h.upline_code),
                        Cell::from(h.upline_name),
                    ]
                })
                .collect();
            // The search's own cursor: `None` after its last page ends the export.
            Ok((rows, found.next.map(Some)))
        }
    });
    Ok(csv_export::response(
        "customers.csv",
        encoding,
        HEADER,
        rows,
    ))
}
