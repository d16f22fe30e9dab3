use crate::documents::rebate_months;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// 還元額計算書: the months to download, newest first. 全国販社 staff may look up any
/// customer by お客様ID (`?customer=`).
#[component]
pub fn RebateStatementsPage() -> impl IntoView {
    let query = use_query_map();
    let customer = move || query.read().get("customer").unwrap_or_default();
    let list = Resource::new(customer, rebate_months);
    view! {
        <Title text="還元額計算書 | 業務代行クラウドシステム"/>
        <h1>"還元額計算書"</h1>
        <p class="hint">
            "下位のお客様が各月（日本時間）にご注文された金額（税抜・取消を除く）に、ランクごとの還元率をかけた還元額の計算書です。"
            "月ごとの還元額と内訳をこの画面で確認でき、計算書はPDFでダウンロードできます。"
        </p>
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(m) => {
                        let staff_form = m
                            .staff
                            .then(|| {
                                view! {
                                    <form method="get" action="/documents/rebate" class="form inline-form documents-lookup" novalidate>
                                        <label for="customer">"お客様ID（職員用）"</label>
                                        <input id="customer" name="customer" inputmode="numeric" maxlength="16" value=m.customer_code.clone()/>
                                        <button type="submit">"表示"</button>
                                    </form>
                                }
                            });
                        view! {
                            {staff_form}
                            <section class="card">
                                <h2 data-testid="statement-owner">
                                    {format!("{} 様（お客様ID {}）", m.name, m.customer_code)}
                                </h2>
                                <ul class="document-list" data-testid="rebate-months">
                                    {m
                                        .months
                                        .into_iter()
                                        .map(|l| view! { <super::rebate_month::RebateMonthRow month=l/> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
