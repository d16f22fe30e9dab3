use crate::error::AppError;
use crate::model::Rank;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A customer as the 全国販社 edit page shows it: no e-mail address, no password, only
/// whether a login exists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffCustomer {
    pub customer_code: String,
    pub name: String,
    pub kana: String,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub rank: Rank,
    pub can_register: bool,
    pub screen_label: String,
    pub upline_code: Option<String>,
    pub upline_name: Option<String>,
    pub division_id: Option<i64>,
    pub division_name: Option<String>,
    pub has_login: bool,
    pub downline_count: u64,
}

/// `GET /api/staff/customers/get?code=…`: one customer for the 全国販社 edit page. Staff only.
#[server(name = StaffCustomerFn, prefix = "/api", endpoint = "staff/customers/get", input = GetUrl)]
pub async fn staff_customer(code: String) -> Result<StaffCustomer, AppError> {
    use crate::server::{boundary, customer_admin};
    let st = boundary::state()?;
    customer_admin::staff(&st, boundary::session_token().as_deref(), "staff_customer").await?;
    let d = customer_admin::detail(&st, &code).await?;
    let c = d.customer;
    Ok(StaffCustomer {
        customer_code: c.customer_code,
        name: c.name,
        kana: c.kana,
        phone: c.phone,
        postal_code: c.postal_code,
        address: c.address,
        rank: c.rank,
        can_register: c.can_register,
        screen_label: c.screen_variant.label().to_string(),
        upline_code: d.upline.as_ref().map(|u| u.customer_code.clone()),
        upline_name: d.upline.map(|u| u.name),
        division_id: d.division.as_ref().map(|x| x.id),
        division_name: d.division.map(|x| x.name),
        has_login: d.has_login,
        downline_count: d.downline_count,
    })
}
