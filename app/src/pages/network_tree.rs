use super::network_node::{on_tree_key, Children};
use crate::customers::{may_search, network_children};
use crate::model::{CurrentUser, Rank};
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// マスタメンテ → ネットワーク (#11.4): the downline as a tree that opens one level at a time.
/// Staff start at the top of the network, 画面1 users at their direct children (the server
/// decides the scope). The first level is rendered on the server, so its links work before
/// the WASM arrives.
#[component]
pub fn NetworkTreePage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if !may_search(user.rank, user.can_register) {
        return view! {
            <crate::shell::refusal::Refusal
                title="ネットワーク"
                hint="ネットワークは、全国販社の職員と、会員登録ありのウルトラ販社・スーパー販社・販社の方が利用できます。"
            />
        }
        .into_any();
    }
    let staff = user.rank == Rank::National;
    let roots = Resource::new(|| (), |_| network_children(None, None));
    view! {
        <Title text="ネットワーク | 業務代行クラウドシステム"/>
        <section class="page network-tree">
            <Breadcrumbs trail=vec![("マスタメンテ", None), ("ネットワーク", None)]/>
            <h1>"ネットワーク"</h1>
            <p class="hint" data-testid="network-scope">
                {if staff {
                    "全国販社の職員は、ネットワーク全体を表示できます。"
                } else {
                    "表示できるのは、ご自身の下位のお客様（ダウンライン）だけです。"
                }}
            </p>
            <p class="hint">
                "「▶」で1段下を開きます。お客様IDを押すとお客様情報を表示します。キーボードでは ↑↓ で移動、Enter・スペースで開閉、→ で開く、← で閉じる・上位へ移動します。"
            </p>
            <Suspense fallback=|| view! { <p class="loading" role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match roots.await {
                        Ok(page) if page.nodes.is_empty() => {
                            view! { <p data-testid="network-empty">"下位のお客様はいません。"</p> }.into_any()
                        }
                        Ok(page) => view! {
                            <div class="tree-wrap" on:keydown=on_tree_key>
                                <Children parent=None first=page level=1 staff=staff/>
                            </div>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
