use super::OrderView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/orders/history`: the signed-in customer's own orders, newest first.
#[server(name = OrderHistoryFn, prefix = "/api", endpoint = "orders/history", input = GetUrl)]
pub async fn order_history() -> Result<Vec<OrderView>, AppError> {
    use crate::server::{boundary, ordering};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    ordering::history(&st.db, me.id).await
}
