// The form has one field per customer detail; the generated client stub takes them all.
#![allow(clippy::too_many_arguments)]

use super::RegisterResult;
use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/customers/register`: 全国販社 registers a customer who belongs to no
/// division, under the upline `upline_code` (the notice's unchanged path). Staff only (403 and
/// an audit entry otherwise). Same fields and duplicate question as the R5 registration.
#[server(prefix = "/api", endpoint = "staff/customers/register")]
pub async fn staff_register_customer(
    rank: String,
    upline_code: String,
    can_register: Option<String>,
    name: String,
    kana: String,
    phone: String,
    email: String,
    postal_code: String,
    address: String,
    confirmed: Option<String>,
) -> Result<RegisterResult, AppError> {
    use super::register_fields::CustomerFields;
    use crate::server::{boundary, customer_admin};
    let st = boundary::state()?;
    let staff = customer_admin::staff(
        &st,
        boundary::session_token().as_deref(),
        "staff_register_customer",
    )
    .await?;
    let fields = CustomerFields {
        name,
        kana,
        phone,
        email,
        postal_code,
        address,
    }
    .check()?;
    customer_admin::staff_register(
        &st,
        &staff,
        &rank,
        &upline_code,
        super::checked(&can_register),
        &fields,
        super::checked(&confirmed),
    )
    .await
    .map(Into::into)
}
