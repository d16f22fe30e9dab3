use crate::error::AppError;
use leptos::prelude::*;

/// `POST /api/staff/customers/details`: 全国販社 corrects a customer's 代理店名, カナ, 電話番号,
/// 郵便番号 and 住所 (the registration form's rules; search keys refreshed in the same
/// transaction; audited). Never the login e-mail. Staff only.
#[server(prefix = "/api", endpoint = "staff/customers/details")]
pub async fn staff_update_customer_details(
    code: String,
    name: String,
    kana: String,
    phone: String,
    postal_code: String,
    address: String,
) -> Result<(), AppError> {
    use super::register_fields::CustomerDetails;
    use crate::server::{boundary, customer_admin};
    let st = boundary::state()?;
    let staff = customer_admin::staff(
        &st,
        boundary::session_token().as_deref(),
        "staff_update_customer_details",
    )
    .await?;
    let details = CustomerDetails {
        name,
        kana,
        phone,
        postal_code,
        address,
    };
    customer_admin::update_details(&st, &staff, &code, &details).await
}
