use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkPurpose {
    SetLogin,
    ChangeEmail,
}

/// What the page behind a verification link needs to know (never the token's owner's data
/// beyond the address the link was sent to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub purpose: LinkPurpose,
    pub email: String,
}

/// `GET /api/verify/info?token=…`: the purpose of a usable link; 400 when it is unknown,
/// used or expired.
#[server(name = VerificationLinkFn, prefix = "/api", endpoint = "verify/info", input = GetUrl)]
pub async fn verification_link(token: String) -> Result<LinkInfo, AppError> {
    use crate::server::{boundary, verification};
    let st = boundary::state()?;
    let v = verification::find_usable(&st, &token).await?;
    let purpose = match verification::Purpose::from_code(&v.purpose) {
        Some(verification::Purpose::SetLogin) => LinkPurpose::SetLogin,
        Some(verification::Purpose::ChangeEmail) => LinkPurpose::ChangeEmail,
        None => return Err(AppError::ResetExpired),
    };
    Ok(LinkInfo {
        purpose,
        email: v.email,
    })
}
