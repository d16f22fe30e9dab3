// The form has one field per customer detail; the generated client stub takes them all.
#![allow(clippy::too_many_arguments)]

use super::RegisterResult;
use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/customers/register`: 販売事業部新規顧客登録 (R5). The signed-in 【ウルトラ販社～
/// 販社】(会員登録あり) user registers a customer of rank `rank` (so_dairiten, dairiten,
/// division_waiting, shop, general) into division `division_id` (their own or one owned by
/// their downline). The new customer receives the R1 mail and sets the password. A likely
/// duplicate answers `NeedsConfirmation` until the form is sent again with `confirmed=true`.
#[server(prefix = "/api", endpoint = "customers/register")]
pub async fn register_customer(
    division_id: String,
    rank: String,
    name: String,
    kana: String,
    phone: String,
    email: String,
    postal_code: String,
    address: String,
    confirmed: Option<String>,
) -> Result<RegisterResult, AppError> {
    use super::register_fields::CustomerFields;
    use crate::server::{boundary, registration};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    let fields = CustomerFields {
        name,
        kana,
        phone,
        email,
        postal_code,
        address,
    };
    // A division id that is not a number is a forged form: the same 403 as someone else's.
    let division_id = division_id.trim().parse::<i64>().unwrap_or(-1);
    registration::agency_register(
        &st,
        &me,
        division_id,
        &rank,
        &fields,
        super::checked(&confirmed),
    )
    .await
    .map(Into::into)
}
