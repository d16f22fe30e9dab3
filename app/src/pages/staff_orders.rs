//! 受注管理 (/staff/orders), 全国販社 staff only: every order filtered by status, JST dates and
//! customer. The filters are a plain GET form, so the URL can be shared and it works before
//! the page is hydrated; the CSV link takes the same filters.
use crate::domain::order_status::OrderStatus;
use crate::model::{CurrentUser, Rank};
use crate::order_admin::{staff_orders, OrderFilter};
use crate::pages::staff_orders_table::OrdersTable;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffOrdersPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="受注管理（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| OrderFilter {
            status: q.get("status").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
        })
    });
    let cursor = Memo::new(move |_| query.with(|q| q.get("cursor").unwrap_or_default()));
    let list = Resource::new(
        move || (filter.get(), cursor.get()),
        |(f, c)| staff_orders(f.status, f.from, f.to, f.q, c),
    );
    let f = filter.get_untracked();
    view! {
        <Title text="受注管理 | 業務代行クラウドシステム"/>
        <h1>"受注管理（職員）"</h1>
        <section class="card order-admin">
            <form class="order-filters" method="get" action="/staff/orders" role="search">
                <div class="filter-field">
                    <label for="of-status">"状態"</label>
                    <select id="of-status" name="status">
                        <option value="" selected=f.status.is_empty()>"すべて"</option>
                        {OrderStatus::ALL
                            .into_iter()
                            .map(|s| {
                                view! { <option value=s.code() selected=f.status == s.code()>{s.label()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="filter-field">
                    <label for="of-from">"注文日（から）"</label>
                    <input id="of-from" name="from" type="text" lang="ja" inputmode="numeric" placeholder="例: 2026-12-01" maxlength="10" value=f.from.clone()/>
                </div>
                <div class="filter-field">
                    <label for="of-to">"注文日（まで）"</label>
                    <input id="of-to" name="to" type="text" lang="ja" inputmode="numeric" placeholder="例: 2026-12-31" maxlength="10" value=f.to.clone()/>
                </div>
                <div class="filter-field filter-q">
                    <label for="of-q">"お客様（お客様ID・代理店名・カナ・電話番号）"</label>
                    <input id="of-q" name="q" type="search" maxlength="100" autocomplete="off" value=f.q.clone() placeholder="例: 10000030／やまだ"/>
                </div>
                <div class="filter-buttons">
                    <button type="submit" class="primary" data-testid="orders-filter">"絞り込む"</button>
                    <a href="/staff/orders" class="secondary-link">"条件をクリア"</a>
                </div>
            </form>
            <form class="csv-export" method="get" action="/documents/orders.csv">
                <input type="hidden" name="status" value=f.status.clone()/>
                <input type="hidden" name="from" value=f.from.clone()/>
                <input type="hidden" name="to" value=f.to.clone()/>
                <input type="hidden" name="q" value=f.q.clone()/>
                <label for="orders-csv-encoding">"CSVの文字コード"</label>
                <select id="orders-csv-encoding" name="encoding">
                    <option value="utf8">"UTF-8（BOM付き・Excel対応）"</option>
                    <option value="sjis">"Shift_JIS（古いExcel）"</option>
                </select>
                <button type="submit" data-testid="orders-csv">"この条件の注文をCSVで保存"</button>
            </form>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) if page.rows.is_empty() => {
                            view! { <p data-testid="orders-status" role="status">"条件に合う注文はありません。"</p> }.into_any()
                        }
                        Ok(page) => {
                            let first = cursor.get_untracked().is_empty();
                            view! { <OrdersTable page=page filter=filter.get_untracked() first=first/> }.into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
