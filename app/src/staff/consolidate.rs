use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/consolidate`: keep `keep_email` as the customer's one login, retire the
/// others; every affected address is mailed (staff only). Same as `daiko logins consolidate`.
#[server(prefix = "/api", endpoint = "staff/consolidate")]
pub async fn staff_consolidate(customer_code: String, keep_email: String) -> Result<(), AppError> {
    use crate::server::import::{consolidate, ConsolidateError};
    use crate::server::{boundary, staff_reset};
    let st = boundary::state()?;
    staff_reset::staff_id(&st, boundary::session_token().as_deref()).await?;
    match consolidate(
        &st.db,
        &st.seal_key(),
        &customer_code,
        &keep_email,
        st.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(ConsolidateError::Db(e)) => Err(e.into()),
        Err(e) => Err(AppError::InvalidInput(e.to_string())),
    }
}
