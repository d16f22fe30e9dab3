use super::RebateRatesPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/rebate-rates`: every 還元率 ever set (history kept), staff only.
#[server(name = RebateRatesFn, prefix = "/api", endpoint = "staff/rebate-rates", input = GetUrl)]
pub async fn rebate_rates() -> Result<RebateRatesPage, AppError> {
    use crate::server::{boundary, documents};
    let st = boundary::state()?;
    documents::staff(&st, boundary::session_token().as_deref(), "list").await?;
    documents::rates_page(&st.db, st.clock.now()).await
}
