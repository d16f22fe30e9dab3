use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/account/sessions/end`: ends one other session of the signed-in customer, named by
/// its handle from the listing. An unknown handle gets the same answer (nothing to end).
#[server(prefix = "/api", endpoint = "account/sessions/end")]
pub async fn end_session(handle: String) -> Result<(), AppError> {
    use crate::server::{boundary, session};
    let st = boundary::state()?;
    let token = boundary::session_token();
    session::end_mine(&st, token.as_deref(), &handle).await
}
