use super::ProductView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/orders/products?q=…`: type-ahead — active products whose code starts with `q`
/// or whose name or kana contains it (kanji, hiragana, katakana, half-width alike). Up to 20.
#[server(name = SearchProductsFn, prefix = "/api", endpoint = "orders/products", input = GetUrl)]
pub async fn search_products(q: String) -> Result<Vec<ProductView>, AppError> {
    use crate::server::{boundary, catalogue};
    let st = boundary::state()?;
    crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    Ok(
        catalogue::search(&st.db, &q, false, catalogue::SEARCH_LIMIT)
            .await?
            .into_iter()
            .map(catalogue::view)
            .collect(),
    )
}
