use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/products/active`: 取扱停止 (`active=false`) or 再開. Staff only; audited.
#[server(prefix = "/api", endpoint = "staff/products/active")]
pub async fn set_product_active(code: String, active: bool) -> Result<(), AppError> {
    use crate::server::{boundary, catalogue};
    let st = boundary::state()?;
    let staff = catalogue::staff(&st, boundary::session_token().as_deref(), "set_active").await?;
    catalogue::set_active(&st, staff, &code, active).await
}
