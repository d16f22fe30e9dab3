use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/start-reset`: 全国販社 staff send a reset PIN to a customer's registered
/// phone or e-mail (`channel`: voice / sms / mail). Staff see neither; 403 for anyone else.
#[server(prefix = "/api", endpoint = "staff/start-reset")]
pub async fn staff_start_reset(customer_code: String, channel: String) -> Result<(), AppError> {
    use crate::server::{boundary, staff_reset};
    let st = boundary::state()?;
    let staff = staff_reset::staff_id(&st, boundary::session_token().as_deref()).await?;
    staff_reset::start(&st, staff, &customer_code, &channel).await
}
