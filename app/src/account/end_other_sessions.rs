use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/account/sessions/end-others`: 他の端末をすべてログアウト. Returns how many ended.
#[server(prefix = "/api", endpoint = "account/sessions/end-others")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use crate::server::{boundary, session};
    let st = boundary::state()?;
    let token = boundary::session_token();
    session::end_my_others(&st, token.as_deref()).await
}
