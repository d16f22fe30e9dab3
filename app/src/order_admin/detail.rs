use super::OrderDetail;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/orders/detail?number=O-…`: one order with its lines, returns and the
/// version the action forms send back. 全国販社 staff only.
#[server(name = StaffOrderFn, prefix = "/api", endpoint = "staff/orders/detail", input = GetUrl)]
pub async fn staff_order(number: String) -> Result<OrderDetail, AppError> {
    use crate::server::{boundary, order_admin, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    signed_in::staff(
        &st,
        token.as_deref(),
        "forbidden_order_view",
        serde_json::Value::Null,
    )
    .await?;
    order_admin::detail::load(&st, &number).await
}
