//! 受注管理 as CSV (#11.5): the list's filters and order (newest first), every page streamed
//! in keyset batches, UTF-8 with BOM or Shift_JIS, formulas neutralised. Staff only.
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::list::{self, Cursor};
use crate::error::AppError;
use crate::order_admin::OrderFilter;
use crate::server::csv_export::{self, Cell, CsvEncoding};
use crate::server::{audit, documents, signed_in, state::AppState};

pub const HEADER: &[&str] = &[
    "注文番号",
    "注文日",
    "お客様ID",
    "代理店名",
    "状態",
    "出荷日",
    "送り状番号",
    "小計",
    "消費税",
    "合計",
    "返品額",
];

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub q: String,
    pub encoding: Option<String>,
}

/// `GET /documents/orders.csv?status=…&from=…&to=…&q=…&encoding=sjis`.
pub async fn orders_csv(
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
    if !signed_in::is_staff(&me) {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("forbidden_orders_export").actor(me.id),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    let f = OrderFilter {
        status: p.status,
        from: p.from,
        to: p.to,
        q: p.q,
    };
    let filter = list::parse(&f)?;
    // The filters, but never the customer query (it may be a phone number).
    audit::append(
        &st.db,
        now,
        audit::Entry::new("orders_exported").actor(me.id).detail(json!({
            "status": f.status, "from": f.from, "to": f.to, "by_customer": !f.q.trim().is_empty(),
        })),
    )
    .await?;
    let encoding = CsvEncoding::from_param(p.encoding.as_deref());
    let db = st.db.clone();
    let rows = csv_export::paged(None::<Cursor>, move |after: Option<Cursor>| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            let (page, next) = list::page(&db, &filter, after).await?;
            let rows = page
                .into_iter()
                .map(|l| {
                    let r = l.row;
                    vec![
                        Cell::from(r.order_number),
                        Cell::from(r.ordered_at),
                        Cell::from(r.customer_code),
                        Cell::from(r.customer_name),
                        Cell::from(r.status_label),
                        Cell::from(r.shipped_on),
                        Cell::from(r.tracking_number),
                        Cell::from(r.subtotal_yen),
                        Cell::from(r.tax_yen),
                        Cell::from(r.total_yen),
                        Cell::from(r.returned_yen),
                    ]
                })
                .collect();
            Ok((rows, next.map(Some)))
        }
    });
    Ok(csv_export::response("orders.csv", encoding, HEADER, rows))
}
