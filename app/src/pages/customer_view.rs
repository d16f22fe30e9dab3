use crate::customers::{downline_customer, may_search};
use crate::model::CurrentUser;
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// 顧客検索 → one customer, read-only (画面1 users: their downline only; the server decides,
/// and anyone else is "not found"). No e-mail: R4 keeps it out of search altogether.
#[component]
pub fn CustomerViewPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if !may_search(user.rank, user.can_register) {
        return view! {
            <crate::shell::refusal::Refusal
                title="お客様情報"
                hint="顧客検索は、全国販社の職員と、会員登録ありのウルトラ販社・スーパー販社・販社の方が利用できます。"
            />
        }
        .into_any();
    }
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let customer = Resource::new(code, downline_customer);
    view! {
        <Title text="お客様情報 | 業務代行クラウドシステム"/>
        <section class="page customer-view">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("顧客検索", Some("/master/customers")),
                ("お客様情報", None),
            ]/>
            <h1>"お客様情報"</h1>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match customer.await {
                        Ok(c) => view! {
                            <dl class="customer-detail" data-testid="customer-card">
                                <dt>"お客様ID"</dt><dd data-testid="card-code">{c.customer_code}</dd>
                                <dt>"代理店名"</dt><dd>{c.name}</dd>
                                <dt>"カナ"</dt><dd>{c.kana}</dd>
                                <dt>"電話番号"</dt>
                                <dd data-testid="card-phone">
                                    {match c.phone {
                                        Some(p) => {
                                            let tel = format!("tel:{}", p.replace('-', ""));
                                            view! { <a href=tel rel="external">{p}</a> }.into_any()
                                        }
                                        None => "—".into_any(),
                                    }}
                                </dd>
                                <dt>"住所"</dt>
                                <dd>
                                    {match (c.postal_code, c.address) {
                                        (Some(p), Some(a)) => format!("〒{p} {a}"),
                                        (None, Some(a)) => a,
                                        _ => "—".into(),
                                    }}
                                </dd>
                                <dt>"ランク"</dt><dd>{c.rank}</dd>
                                <dt>"販売事業部"</dt><dd>{c.division.unwrap_or_else(|| "所属なし".into())}</dd>
                                <dt>"上位店"</dt>
                                <dd>
                                    {match (c.upline_code, c.upline_name) {
                                        (Some(code), Some(name)) => format!("{name}（{code}）"),
                                        _ => "なし".into(),
                                    }}
                                </dd>
                            </dl>
                            <p><a href="/master/customers">"顧客検索へ戻る"</a></p>
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
