//! The 受注管理 list: a table on a PC, one card per order on a phone (CSS), and a pager of
//! links (keyset paging: "older" carries the cursor; "newest" starts over).
use crate::domain::yen;
use crate::order_admin::{encode, OrderFilter, OrderListPage};
use leptos::prelude::*;

#[component]
pub fn OrdersTable(page: OrderListPage, filter: OrderFilter, first: bool) -> impl IntoView {
    let n = page.rows.len();
    let base = filter.query();
    let join = |extra: String| {
        let q = [base.clone(), extra]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if q.is_empty() {
            "/staff/orders".to_string()
        } else {
            format!("/staff/orders?{q}")
        }
    };
    let older = page
        .next
        .clone()
        .map(|c| join(format!("cursor={}", encode(&c))));
    let newest = join(String::new());
    let hide_pager = first && older.is_none();
    view! {
        <p data-testid="orders-status" role="status">
            {format!("{n}件を表示しています（新しい順）。")}
        </p>
        <table class="order-list" data-testid="order-list">
            <thead>
                <tr>
                    <th>"注文番号"</th>
                    <th>"注文日時"</th>
                    <th>"お客様"</th>
                    <th>"状態"</th>
                    <th>"出荷日・送り状番号"</th>
                    <th class="num">"合計（税込）"</th>
                    <th class="num">"返品額"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .rows
                    .into_iter()
                    .map(|r| {
                        let href = format!("/staff/orders/{}", r.order_number);
                        let shipped = match (&r.shipped_on, &r.tracking_number) {
                            (Some(d), Some(t)) => format!("{d}・{t}"),
                            (Some(d), None) => d.clone(),
                            _ => "—".into(),
                        };
                        view! {
                            <tr data-testid="order-row" data-order-number=r.order_number.clone()>
                                <td data-label="注文番号" class="code">
                                    <a href=href data-testid="order-open">{r.order_number.clone()}</a>
                                </td>
                                <td data-label="注文日時">{r.ordered_at}</td>
                                <td data-label="お客様">{format!("{}（{}）", r.customer_name, r.customer_code)}</td>
                                <td data-label="状態">
                                    <span class=format!("status status-{}", r.status)>{r.status_label}</span>
                                </td>
                                <td data-label="出荷">{shipped}</td>
                                <td data-label="合計" class="num">{yen(r.total_yen)}</td>
                                <td data-label="返品額" class="num">
                                    {if r.returned_yen > 0 { yen(r.returned_yen) } else { "—".into() }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label="ページ" hidden=hide_pager>
            {(!first).then(|| view! { <a href=newest.clone() class="secondary-link">"最新の注文に戻る"</a> })}
            {older.map(|h| view! { <a href=h class="secondary-link" data-testid="orders-older">"さらに古い50件"</a> })}
        </nav>
    }
}
