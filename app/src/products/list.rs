use crate::error::AppError;
use crate::orders::ProductView;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/products?q=…`: products incl. 取扱停止, matching `q` (all when empty,
/// first 200 by code). Staff only.
#[server(name = StaffProductsFn, prefix = "/api", endpoint = "staff/products", input = GetUrl)]
pub async fn staff_products(q: String) -> Result<Vec<ProductView>, AppError> {
    use crate::server::entities::products;
    use crate::server::{boundary, catalogue};
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let st = boundary::state()?;
    catalogue::staff(&st, boundary::session_token().as_deref(), "list").await?;
    let found = if q.trim().is_empty() {
        products::Entity::find()
            .order_by_asc(products::Column::Code)
            .limit(200)
            .all(&st.db)
            .await?
    } else {
        catalogue::search(&st.db, &q, true, 200).await?
    };
    Ok(found.into_iter().map(catalogue::view).collect())
}
