use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One live session of the signed-in customer's login, as /account shows it. `handle` names it
/// for [`end_session`](super::end_session) and means nothing elsewhere (it is not the session
/// id nor its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub handle: String,
    /// "Chrome / Windows"
    pub browser: String,
    /// JST, e.g. "2026年12月02日 09:15"
    pub started: String,
    pub last_seen: String,
    /// The session this request came with (この端末).
    pub current: bool,
}

/// `GET /api/account/sessions`: the signed-in customer's live sessions, the current one first.
#[server(name = ListSessionsFn, prefix = "/api", endpoint = "account/sessions", input = GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::server::{boundary, session};
    let st = boundary::state()?;
    let token = boundary::session_token();
    session::list_mine(&st, token.as_deref()).await
}
