use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

/// `GET /api/dev/outbox`: the latest 50 messages. Only with `DAIKO_DEV_OUTBOX=1` (development);
/// otherwise 404.
#[server(name = DevOutbox, prefix = "/api", endpoint = "dev/outbox", input = GetUrl)]
pub async fn dev_outbox() -> Result<Vec<OutboxItem>, AppError> {
    let st = crate::server::boundary::state()?;
    crate::server::queue::latest_for_outbox(&st).await
}
