use crate::error::AppError;
use crate::orders::ProductView;
use leptos::prelude::*;

/// `POST /api/staff/products/save`: adds a product (`original_code` empty) or changes the
/// product `original_code`. Staff only; audited.
#[server(prefix = "/api", endpoint = "staff/products/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_product(
    original_code: String,
    code: String,
    name: String,
    kana: String,
    price_yen: String,
    tax_rate_percent: String,
    #[server(default)] picture: String,
    #[server(default)] active: Option<String>,
) -> Result<ProductView, AppError> {
    use crate::server::boundary;
    use crate::server::catalogue::{self, ProductInput};
    let st = boundary::state()?;
    let staff = catalogue::staff(&st, boundary::session_token().as_deref(), "save").await?;
    let input = ProductInput::parse(
        &code,
        &name,
        &kana,
        &price_yen,
        &tax_rate_percent,
        &picture,
        active.is_some(),
    )?;
    catalogue::save(&st, staff, Some(original_code.as_str()), input).await
}
