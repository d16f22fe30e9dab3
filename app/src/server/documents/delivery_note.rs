//! 納品書 (R8): one order's figures, for its customer or 全国販社 staff, as a PDF.
use super::access::viewer;
use super::http::{error_response, pdf_response, render};
use crate::domain::time::jst_date;
use crate::error::AppError;
use crate::server::entities::{customers, order_lines, orders};
use crate::server::network::issuer;
use crate::server::pdf::delivery_note::{self, DeliveryNote, Line, Party};
use crate::server::signed_in::is_staff;
use crate::server::{audit, state::AppState};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

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
