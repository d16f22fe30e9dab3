//! 注文履歴 (/orders): the customer's own orders with status, lines, totals and the 納品書.
use crate::domain::yen;
use crate::orders::order_history;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrderHistoryPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| order_history());
    view! {
        <Title text="注文履歴 | 業務代行クラウドシステム"/>
        <h1>"注文履歴"</h1>
        <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(orders) if orders.is_empty() => {
                        view! {
                            <p data-testid="no-orders">"ご注文はまだありません。" <a href="/order">"発注する"</a></p>
                        }
                            .into_any()
                    }
                    Ok(orders) => {
                        orders
                            .into_iter()
                            .map(|o| {
                                let pdf = format!("/documents/delivery-note/{}.pdf", o.order_number);
                                view! {
                                    <section class="card order" data-order-number=o.order_number.clone()>
                                        <div class="order-head">
                                            <h2>{format!("注文番号 {}", o.order_number)}</h2>
                                            <span class=format!("status status-{}", o.status)>{o.status_label.clone()}</span>
                                        </div>
                                        <p class="hint">{format!("注文日時 {}", o.ordered_at)}</p>
                                        {o.shipped_on.clone().map(|d| view! {
                                            <p class="shipment" data-testid="shipment">
                                                {format!("出荷日 {d}・送り状番号 {}", o.tracking_number.clone().unwrap_or_default())}
                                            </p>
                                        })}
                                        {o.returns.iter().map(|r| view! { <p class="order-return" data-testid="order-return">{r.clone()}</p> }).collect_view()}
                                        <ul class="order-lines">
                                            {o
                                                .lines
                                                .into_iter()
                                                .map(|l| {
                                                    view! {
                                                        <li>
                                                            {format!(
                                                                "{} {} × {}（{}・税{}%）",
                                                                l.product_code,
                                                                l.product_name,
                                                                l.quantity,
                                                                yen(l.amount_yen),
                                                                l.tax_rate_percent,
                                                            )}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                        <p class="order-total">
                                            {format!(
                                                "合計（税込） {}（10%対象 {}・消費税 {} / 8%対象 {}・消費税 {}）",
                                                yen(o.total_yen),
                                                yen(o.subtotal_10_yen),
                                                yen(o.tax_10_yen),
                                                yen(o.subtotal_8_yen),
                                                yen(o.tax_8_yen),
                                            )}
                                        </p>
                                        <a class="delivery-note-link" data-testid="delivery-note-link" href=pdf rel="external">
                                            "納品書（PDF）"
                                        </a>
                                    </section>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
