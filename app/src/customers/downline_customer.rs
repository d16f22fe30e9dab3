use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One customer as 顧客検索 opens it for a 画面1 user: read-only, and never the e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCard {
    pub customer_code: String,
    pub name: String,
    pub kana: String,
    pub phone: Option<String>,
    /// The rank's Japanese label.
    pub rank: String,
    pub division: Option<String>,
    pub upline_code: Option<String>,
    pub upline_name: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
}

/// `GET /api/customers/view?code=…`: a customer in the caller's 顧客検索 scope (全国販社
/// everyone; 画面1 users their strict downline, decided by `server::network` on the stored
/// path). Anyone else in the network is the same 404 as an unknown お客様ID; callers without
/// 顧客検索 get 403.
#[server(name = DownlineCustomerFn, prefix = "/api", endpoint = "customers/view", input = GetUrl)]
pub async fn downline_customer(code: String) -> Result<CustomerCard, AppError> {
    use crate::server::customer_search::{self, Scope};
    use crate::server::entities::{customers, sales_divisions};
    use crate::server::{audit, boundary, network};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    let Some(scope) = customer_search::scope_for(&me) else {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("forbidden_customer_view").actor(me.id),
        )
        .await?;
        return Err(AppError::Forbidden);
    };
    let code = crate::validation::customer_code(&code).map_err(|_| AppError::NotFound)?;
    let c = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&st.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let visible = match &scope {
        Scope::All => true,
        Scope::DownlineOf { path } => network::is_below(path, &c.path),
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    let division = match c.division_id {
        Some(id) => sales_divisions::Entity::find_by_id(id).one(&st.db).await?,
        None => None,
    };
    let upline = match c.upline_id {
        Some(id) => customers::Entity::find_by_id(id).one(&st.db).await?,
        None => None,
    };
    Ok(CustomerCard {
        customer_code: c.customer_code,
        name: c.name,
        kana: c.kana,
        phone: c.phone,
        rank: c.rank.label().to_owned(),
        division: division.map(|d| d.name),
        upline_code: upline.as_ref().map(|u| u.customer_code.clone()),
        upline_name: upline.map(|u| u.name),
        postal_code: c.postal_code,
        address: c.address,
    })
}
