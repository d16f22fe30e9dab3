use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A customer who arrived from the old system with several logins (R2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingLogin {
    pub customer_code: String,
    pub name: String,
    pub emails: Vec<String>,
}

/// `GET /api/staff/pending-logins`: customers waiting for consolidation (staff only).
#[server(name = PendingLoginsFn, prefix = "/api", endpoint = "staff/pending-logins", input = GetUrl)]
pub async fn pending_logins() -> Result<Vec<PendingLogin>, AppError> {
    use crate::server::{boundary, import, staff_reset};
    let st = boundary::state()?;
    staff_reset::staff_id(&st, boundary::session_token().as_deref()).await?;
    Ok(import::pending_consolidations(&st.db)
        .await?
        .into_iter()
        .map(|p| PendingLogin {
            customer_code: p.customer_code,
            name: p.name,
            emails: p.emails,
        })
        .collect())
}
