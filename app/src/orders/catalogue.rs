use super::ProductView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/orders/catalogue`: every active product with its picture (画面2).
#[server(name = CatalogueFn, prefix = "/api", endpoint = "orders/catalogue", input = GetUrl)]
pub async fn catalogue() -> Result<Vec<ProductView>, AppError> {
    use crate::server::{boundary, catalogue};
    let st = boundary::state()?;
    crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    Ok(catalogue::active(&st.db)
        .await?
        .into_iter()
        .map(catalogue::view)
        .collect())
}
