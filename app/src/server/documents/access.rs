//! Who may fetch which document: the signed-in viewer, whose statement a request names, and
//! the staff check of the 還元率 screen. Refusals are audited.
use crate::error::AppError;
use crate::server::entities::customers;
use crate::server::signed_in::is_staff;
use crate::server::{audit, session, state::AppState};
use crate::validation;
use axum::http::HeaderMap;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::json;

/// The signed-in customer for a request's cookie.
pub async fn viewer(st: &AppState, headers: &HeaderMap) -> Result<customers::Model, AppError> {
    let token = session::token_from_headers(headers);
    crate::server::signed_in::customer(st, token.as_deref()).await
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

#[derive(Debug, Deserialize)]
pub struct RebateParams {
    pub customer: Option<String>,
    /// A closed month's stored version (`?version=1`); the latest when absent.
    pub version: Option<String>,
    /// CSV only: `sjis` for Shift_JIS.
    pub encoding: Option<String>,
}

/// The signed-in 全国販社 staff member's id; anyone else gets 403 and an audit entry.
pub async fn staff(st: &AppState, token: Option<&str>, what: &str) -> Result<i64, AppError> {
    let detail = json!({ "action": what });
    let c =
        crate::server::signed_in::staff(st, token, "forbidden_staff_rebate_rates", detail).await?;
    Ok(c.id)
}
