#[cfg(feature = "ssr")]
use super::OrderFilter;
use super::OrderListPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/orders?status=…&from=…&to=…&q=…&cursor=…`: 50 orders per page, newest
/// first. 全国販社 staff only; anyone else 403 (audited).
#[server(name = StaffOrdersFn, prefix = "/api", endpoint = "staff/orders", input = GetUrl)]
pub async fn staff_orders(
    #[server(default)] status: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] q: String,
    #[server(default)] cursor: String,
) -> Result<OrderListPage, AppError> {
    use crate::server::order_admin::list::{self, Cursor};
    use crate::server::{boundary, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    signed_in::staff(
        &st,
        token.as_deref(),
        "forbidden_order_list",
        serde_json::Value::Null,
    )
    .await?;
    let filter = list::parse(&OrderFilter {
        status,
        from,
        to,
        q,
    })?;
    let after = match cursor.trim() {
        "" => None,
        c => Some(
            Cursor::decode(c)
                .ok_or_else(|| AppError::InvalidInput("ページの指定が正しくありません。".into()))?,
        ),
    };
    let (rows, next) = list::page(&st.db, &filter, after).await?;
    Ok(OrderListPage {
        rows: rows.into_iter().map(|l| l.row).collect(),
        next: next.map(|c| c.encode()),
    })
}
