//! Who is asking: the signed-in customer behind a session token, and the 全国販社 check that
//! every staff-only action shares (a refusal is 403 plus an audit entry naming what was tried).
use super::entities::customers;
use super::{audit, session, state::AppState};
use crate::error::AppError;
use crate::model::Rank;
use sea_orm::EntityTrait;

/// The signed-in customer, or 401.
pub async fn customer(st: &AppState, token: Option<&str>) -> Result<customers::Model, AppError> {
    let Some(t) = token else {
        return Err(AppError::Unauthorized);
    };
    let s = session::find(&st.db, t, st.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    customers::Entity::find_by_id(s.customer_id)
        .one(&st.db)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// 全国販社: the operator's staff.
pub fn is_staff(c: &customers::Model) -> bool {
    c.rank == Rank::National
}

/// The signed-in customer if they are staff; anyone else gets 403 and an audit entry of
/// `kind` with `detail`.
pub async fn staff(
    st: &AppState,
    token: Option<&str>,
    kind: &'static str,
    detail: serde_json::Value,
) -> Result<customers::Model, AppError> {
    let c = customer(st, token).await?;
    if !is_staff(&c) {
        let mut entry = audit::Entry::new(kind).actor(c.id);
        if !detail.is_null() {
            entry = entry.detail(detail);
        }
        audit::append(&st.db, st.clock.now(), entry).await?;
        return Err(AppError::Forbidden);
    }
    Ok(c)
}
