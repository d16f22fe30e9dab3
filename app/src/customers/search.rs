use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One search result. There is deliberately no e-mail field (R4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerHit {
    pub customer_code: String,
    pub name: String,
    pub kana: String,
    /// As registered (with its hyphens): 画面1 users call their downline from the results.
    pub phone: Option<String>,
    /// The rank's Japanese label.
    pub rank: String,
    pub division: Option<String>,
    pub upline_code: Option<String>,
    pub upline_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<CustomerHit>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// `GET /api/customers/search?q=…&cursor=…`: customers whose 代理店名 or カナ contains `q`, or
/// whose phone starts (or, for 4 digits, ends) with it; 50 per page. 全国販社 staff search
/// everyone, 画面1 users (会員登録あり 販社 and above) their own downline; anyone else: 403.
#[server(prefix = "/api", endpoint = "customers/search", input = GetUrl)]
pub async fn search_customers(q: String, cursor: Option<String>) -> Result<SearchPage, AppError> {
    use crate::server::customer_search::{self, Cursor};
    use crate::server::{audit, boundary, entities::customers, session};
    use sea_orm::EntityTrait;
    let st = boundary::state()?;
    let token = boundary::session_token().ok_or(AppError::Unauthorized)?;
    let s = session::find(&st.db, &token, st.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    let me = customers::Entity::find_by_id(s.customer_id)
        .one(&st.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let Some(scope) = customer_search::scope_for(&me) else {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("forbidden_customer_search").actor(me.id),
        )
        .await?;
        return Err(AppError::Forbidden);
    };
    let after = match cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(
            Cursor::decode(c)
                .ok_or_else(|| AppError::InvalidInput("ページの指定が正しくありません。".into()))?,
        ),
        None => None,
    };
    let query = customer_search::parse(&q);
    let found = customer_search::search(&st.db, &query, &scope, after.as_ref()).await?;
    Ok(SearchPage {
        hits: customer_search::hits(&st.db, &found.ids).await?,
        next: found.next.map(|c| c.encode()),
    })
}
