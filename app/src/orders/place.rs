use super::{CartLine, PlacedOrder};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// `POST /api/orders/place` (JSON `{"lines":[…]}`): places the signed-in customer's order.
/// Each line carries the price and tax rate the customer saw; a changed or withdrawn product
/// refuses the whole order (nothing is written).
#[server(prefix = "/api", endpoint = "orders/place", input = Json)]
pub async fn place_order(lines: Vec<CartLine>) -> Result<PlacedOrder, AppError> {
    use crate::server::{boundary, ordering};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    ordering::place(&st.db, me.id, &lines, st.clock.now()).await
}
