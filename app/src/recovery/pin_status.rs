use crate::error::AppError;
use crate::model::PinStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/recovery/status?id=…`: deadline (JST), delivery state and resend cooldown.
#[server(name = PinStatusFn, prefix = "/api", endpoint = "recovery/status", input = GetUrl)]
pub async fn pin_status(id: String) -> Result<PinStatus, AppError> {
    let st = crate::server::boundary::state()?;
    crate::server::recovery::status(&st, &id).await
}
