use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A division the signed-in user may register into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DivisionOption {
    pub id: i64,
    pub name: String,
    pub owner_code: String,
    pub owner_name: String,
    /// The user's own division.
    pub own: bool,
}

/// `GET /api/customers/register/divisions`: the divisions the signed-in 【ウルトラ販社～販社】
/// (会員登録あり) user may register into (their own, then those owned by their downline).
/// 403 and an audit entry for anyone else.
#[server(name = RegisterDivisionsFn, prefix = "/api", endpoint = "customers/register/divisions", input = GetUrl)]
pub async fn register_divisions() -> Result<Vec<DivisionOption>, AppError> {
    use crate::server::{audit, boundary, registration};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    if !registration::is_registrar(&me) {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("customer_register_refused")
                .actor(me.id)
                .detail(serde_json::json!({ "reason": "not_registrar", "screen": true })),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    Ok(registration::divisions_for(&st.db, &me)
        .await?
        .into_iter()
        .map(|d| DivisionOption {
            id: d.id,
            name: d.name,
            owner_code: d.owner_code,
            owner_name: d.owner_name,
            own: d.own,
        })
        .collect())
}
