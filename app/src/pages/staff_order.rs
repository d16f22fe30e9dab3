//! 受注管理 → one order (/staff/orders/:number): lines, totals, returns, history, and the
//! forms its status allows (出荷・取消・返品). The order is read again only after a change
//! succeeds, so a refused form keeps what was typed.
use crate::domain::order_status::OrderStatus;
use crate::domain::yen;
use crate::model::{CurrentUser, Rank};
use crate::order_admin::{staff_order, OrderDetail};
use crate::pages::staff_order_actions::{OrderActions, OrderForms};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffOrderPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="受注管理（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    // Bumped after a successful change: the order is read again.
    let reload = RwSignal::new(0u32);
    let order = Resource::new(move || (number(), reload.get()), |(n, _)| staff_order(n));
    let forms = OrderForms::new(reload);
    view! {
        <Title text="受注管理 注文詳細 | 業務代行クラウドシステム"/>
        <p><a href="/staff/orders">"← 受注管理（一覧）へ戻る"</a></p>
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <Detail o=o forms=forms/> }.into_any(),
                    Err(e) => view! { <h1>"注文詳細"</h1> <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Detail(o: OrderDetail, forms: OrderForms) -> impl IntoView {
    let mut history = vec![format!("{} 注文（受付）", o.ordered_at)];
    if let Some(at) = &o.status_changed_at {
        history.push(match OrderStatus::from_code(&o.status) {
            Some(OrderStatus::Cancelled) => format!(
                "{at} 取消（理由: {}）",
                o.cancel_reason.clone().unwrap_or_default()
            ),
            _ => format!(
                "{at} 出荷登録（出荷日 {}・送り状番号 {}）",
                o.shipped_on.clone().unwrap_or_default(),
                o.tracking_number.clone().unwrap_or_default()
            ),
        });
    }
    for r in &o.returns {
        history.push(format!(
            "{} 返品 {}（{}）理由: {}",
            r.recorded_at,
            yen(r.total_yen),
            r.lines.join("、"),
            r.reason
        ));
    }
    view! {
        <h1>{format!("注文詳細 {}", o.order_number)}</h1>
        <section class="card order-detail" data-testid="order-detail" data-status=o.status.clone()>
            <dl class="order-facts">
                <dt>"状態"</dt>
                <dd><span class=format!("status status-{}", o.status) data-testid="order-status">{o.status_label.clone()}</span></dd>
                <dt>"お客様"</dt>
                <dd>{format!("{}（お客様ID {}）", o.customer_name, o.customer_code)}</dd>
                <dt>"注文日時"</dt>
                <dd>{o.ordered_at.clone()}</dd>
                <dt>"出荷日"</dt>
                <dd>{o.shipped_on.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"送り状番号"</dt>
                <dd>{o.tracking_number.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
            <table class="order-lines-table">
                <thead>
                    <tr>
                        <th>"No."</th>
                        <th>"商品"</th>
                        <th class="num">"単価（税抜）"</th>
                        <th class="num">"数量"</th>
                        <th class="num">"返品済"</th>
                        <th class="num">"金額（税抜）"</th>
                    </tr>
                </thead>
                <tbody>
                    {o.lines
                        .iter()
                        .map(|l| {
                            view! {
                                <tr>
                                    <td data-label="No.">{l.line_no}</td>
                                    <td data-label="商品">{format!("{} {}（税{}%）", l.product_code, l.product_name, l.tax_rate_percent)}</td>
                                    <td data-label="単価" class="num">{yen(l.unit_price_yen)}</td>
                                    <td data-label="数量" class="num">{l.quantity}</td>
                                    <td data-label="返品済" class="num">{l.returned}</td>
                                    <td data-label="金額" class="num">{yen(l.amount_yen)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
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
            <h2>"履歴"</h2>
            <ul class="order-history-log" data-testid="order-history-log">
                {history.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}
            </ul>
        </section>
        <OrderActions o=o forms=forms/>
    }
}
