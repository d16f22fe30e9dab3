use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/rebate-rate-add`: a new 還元率 for `rank` (e.g. `hansha`) of `percent`
/// (`5`, `5.25`) from `effective_from` (`YYYY-MM-DD`, today in JST or later: past statements
/// never change). Staff only; audited.
#[server(prefix = "/api", endpoint = "staff/rebate-rate-add")]
pub async fn add_rebate_rate(
    rank: String,
    percent: String,
    effective_from: String,
) -> Result<(), AppError> {
    use crate::server::{boundary, documents};
    let st = boundary::state()?;
    let staff = documents::staff(&st, boundary::session_token().as_deref(), "add").await?;
    documents::add_rate(&st, staff, &rank, &percent, &effective_from).await
}
