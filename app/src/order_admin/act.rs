//! The status changes (出荷・取消・返品) as form posts. Each carries the version its screen
//! showed; the server answers 409 when the order changed meanwhile.
use super::ActionDone;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
fn version(raw: &str) -> Result<i32, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::InvalidInput("画面を読み込み直してから操作してください。".into()))
}

/// `POST /api/staff/orders/ship`: 受付 → 出荷済.
#[server(prefix = "/api", endpoint = "staff/orders/ship")]
pub async fn ship_order(
    number: String,
    version: String,
    #[server(default)] shipped_on: String,
    #[server(default)] tracking_number: String,
) -> Result<ActionDone, AppError> {
    use crate::server::{boundary, order_admin, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    let detail = serde_json::json!({ "order_number": number.chars().take(40).collect::<String>() });
    let me = signed_in::staff(&st, token.as_deref(), "forbidden_order_ship", detail).await?;
    let v = self::version(&version)?;
    order_admin::change::ship(&st, &me, &number, v, &shipped_on, &tracking_number).await
}

/// `POST /api/staff/orders/cancel`: 受付 → 取消 (reason required).
#[server(prefix = "/api", endpoint = "staff/orders/cancel")]
pub async fn cancel_order(
    number: String,
    version: String,
    #[server(default)] reason: String,
) -> Result<ActionDone, AppError> {
    use crate::server::{boundary, order_admin, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    let detail = serde_json::json!({ "order_number": number.chars().take(40).collect::<String>() });
    let me = signed_in::staff(&st, token.as_deref(), "forbidden_order_cancel", detail).await?;
    let v = self::version(&version)?;
    order_admin::change::cancel(&st, &me, &number, v, &reason).await
}

/// `POST /api/staff/orders/return`: a 返品 of `qty[<line no>]` units per line.
#[server(prefix = "/api", endpoint = "staff/orders/return")]
pub async fn return_order(
    number: String,
    #[server(default)] version: String,
    #[server(default)] qty: HashMap<String, String>,
    #[server(default)] reason: String,
) -> Result<ActionDone, AppError> {
    use crate::server::{boundary, order_admin, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    let detail = serde_json::json!({ "order_number": number.chars().take(40).collect::<String>() });
    let me = signed_in::staff(&st, token.as_deref(), "forbidden_order_return", detail).await?;
    let v = match version.trim() {
        "" => None,
        raw => Some(self::version(raw)?),
    };
    order_admin::returns::record(&st, &me, &number, v, &qty, &reason).await
}
