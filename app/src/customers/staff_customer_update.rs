use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/customers/update`: 全国販社 changes a customer's rank, upline (お客様ID,
/// blank = none; the whole downline moves along, cycles refused), division (id, blank = none)
/// and 会員登録あり. The screen variant follows. Staff only.
#[server(prefix = "/api", endpoint = "staff/customers/update")]
pub async fn staff_update_customer(
    code: String,
    rank: String,
    upline_code: String,
    division_id: String,
    can_register: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{boundary, customer_admin};
    let st = boundary::state()?;
    let staff = customer_admin::staff(
        &st,
        boundary::session_token().as_deref(),
        "staff_update_customer",
    )
    .await?;
    let division_id = match division_id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            AppError::InvalidInput("販売事業部が見つかりません。選び直してください。".into())
        })?),
    };
    customer_admin::update(
        &st,
        &staff,
        &code,
        &rank,
        &upline_code,
        division_id,
        super::checked(&can_register),
    )
    .await
}
