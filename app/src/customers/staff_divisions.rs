use super::DivisionOption;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/divisions`: every sales division, for the 全国販社 edit page. Staff only.
#[server(name = StaffDivisionsFn, prefix = "/api", endpoint = "staff/divisions", input = GetUrl)]
pub async fn staff_divisions() -> Result<Vec<DivisionOption>, AppError> {
    use crate::server::{boundary, customer_admin};
    let st = boundary::state()?;
    customer_admin::staff(&st, boundary::session_token().as_deref(), "staff_divisions").await?;
    Ok(customer_admin::all_divisions(&st.db)
        .await?
        .into_iter()
        .map(|(d, owner_code)| DivisionOption {
            id: d.id,
            name: d.name,
            owner_code,
            owner_name: String::new(),
            own: false,
        })
        .collect())
}
