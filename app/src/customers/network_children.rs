use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One customer in the network view. No phone or e-mail: the tree shows who is where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkNode {
    pub customer_code: String,
    pub name: String,
    /// The rank's Japanese label.
    pub rank: String,
    pub division: Option<String>,
    /// Customers strictly below this one.
    pub downline_count: i64,
    pub has_children: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkPage {
    pub nodes: Vec<NetworkNode>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// `GET /api/network/children?of=…&after=…`: one level of the network, 100 per page in
/// お客様ID order. Without `of`: 全国販社 staff get the top of the network, 画面1 users their
/// direct children. A node outside the caller's downline is the same 404 as an unknown
/// お客様ID; callers without 顧客検索 get 403.
#[server(name = NetworkChildrenFn, prefix = "/api", endpoint = "network/children", input = GetUrl)]
pub async fn network_children(
    of: Option<String>,
    after: Option<String>,
) -> Result<NetworkPage, AppError> {
    use crate::server::customer_search::{self, Scope};
    use crate::server::network_tree::{self, Parent};
    use crate::server::{audit, boundary};
    let st = boundary::state()?;
    let me = crate::server::signed_in::customer(&st, boundary::session_token().as_deref()).await?;
    let Some(scope) = customer_search::scope_for(&me) else {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("forbidden_network_tree").actor(me.id),
        )
        .await?;
        return Err(AppError::Forbidden);
    };
    let of = network_tree::parse_of(of.as_deref())?;
    let after = network_tree::parse_after(after.as_deref())?;
    let parent = match of {
        None => network_tree::start(&scope, me.id),
        Some(code) => match network_tree::find(&st.db, &code).await? {
            Some(n) if network_tree::may_expand(&scope, &n.path) => Parent::Of(n.id),
            // Unknown and out of scope alike: a 画面1 user probing the network is recorded,
            // with the same answer either way.
            _ => {
                if matches!(scope, Scope::DownlineOf { .. }) {
                    audit::append(
                        &st.db,
                        st.clock.now(),
                        audit::Entry::new("network_tree_not_found")
                            .actor(me.id)
                            .detail(serde_json::json!({ "of": code })),
                    )
                    .await?;
                }
                return Err(AppError::NotFound);
            }
        },
    };
    Ok(network_tree::children(&st.db, parent, after.as_deref()).await?)
}
