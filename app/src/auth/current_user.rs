use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/auth/me`: the signed-in customer (お客様ID, name, rank, screen), or `null`.
#[server(name = CurrentUserFn, prefix = "/api", endpoint = "auth/me", input = GetUrl)]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::boundary;
    let st = boundary::state()?;
    match boundary::session_token() {
        Some(t) => crate::server::auth::current_user(&st, &t).await,
        None => Ok(None),
    }
}
