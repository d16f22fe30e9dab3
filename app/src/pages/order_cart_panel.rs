//! The cart on the 発注 page, its confirmation and the order number once placed.
use super::order_cart::Cart;
use crate::domain::{tax, yen};
use crate::orders::{CartLine, PlaceOrder};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;

#[component]
pub fn CartPanel() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let items = cart.items;
    let confirming = cart.confirming;
    let place = ServerAction::<PlaceOrder>::new();
    let placed = RwSignal::new(None::<String>);
    // A quantity typed in the cart that was refused.
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(o)) = place.value().get() {
            placed.set(Some(o.order_number));
            confirming.set(false);
            items.set(Vec::new());
        }
    });
    // An error about an earlier attempt is stale once the cart or the step changes.
    Effect::new(move |prev: Option<()>| {
        items.track();
        confirming.track();
        if prev.is_some() && matches!(place.value().get_untracked(), Some(Err(_))) {
            place.value().set(None);
        }
    });
    let totals = move || {
        tax::totals(
            items
                .get()
                .iter()
                .map(|i| (i.product.tax_rate_percent, i.product.price_yen * i.quantity)),
        )
        .ok()
    };
    let confirm = move |_| {
        let lines: Vec<CartLine> = items
            .get_untracked()
            .into_iter()
            .map(|i| CartLine {
                product_code: i.product.code,
                quantity: i.quantity.to_string(),
                unit_price_yen: i.product.price_yen,
                tax_rate_percent: i.product.tax_rate_percent,
            })
            .collect();
        place.dispatch(PlaceOrder { lines });
    };
    view! {
        {move || {
            placed
                .get()
                .map(|n| {
                    view! {
                        <section class="card order-done" role="status">
                            <h2>"ご注文を受け付けました"</h2>
                            <p>
                                "注文番号: " <strong data-testid="order-number">{n}</strong>
                            </p>
                            <p>
                                <a href="/orders">"注文履歴を見る"</a>
                            </p>
                        </section>
                    }
                })
        }}
        <section class="card cart" id="cart" data-testid="cart" tabindex="-1">
            <h2>{move || if confirming.get() { "ご注文内容の確認" } else { "カート" }}</h2>
            {move || {
                let list = items.get();
                if list.is_empty() {
                    return view! { <p class="hint">"カートは空です。"</p> }.into_any();
                }
                let editable = !confirming.get();
                view! {
                    <table class="cart-table">
                        <thead>
                            <tr>
                                <th>"商品コード"</th>
                                <th>"商品名"</th>
                                <th class="num">"単価（税抜）"</th>
                                <th class="num">"税率"</th>
                                <th class="num">"数量"</th>
                                <th class="num">"金額（税抜）"</th>
                                <th><span class="visually-hidden">"操作"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|i| {
                                    let code = i.product.code.clone();
                                    let code_q = code.clone();
                                    let code_rm = code.clone();
                                    let rate = i.product.tax_rate_percent;
                                    view! {
                                        <tr class="cart-line" data-code=code.clone()>
                                            <td data-label="商品コード">{code.clone()}</td>
                                            <td data-label="商品名">{i.product.name.clone()}</td>
                                            <td class="num" data-label="単価">{yen(i.product.price_yen)}</td>
                                            <td class="num" data-label="税率">
                                                {format!("{rate}%{}", if rate == 8 { "※" } else { "" })}
                                            </td>
                                            <td class="num" data-label="数量">
                                                {if editable {
                                                    view! {
                                                        <input
                                                            type="text"
                                                            inputmode="numeric"
                                                            maxlength="6"
                                                            class="cart-quantity"
                                                            aria-label=format!("{}の数量", i.product.name)
                                                            value=i.quantity.to_string()
                                                            on:change=move |ev| {
                                                                let raw = event_target_value(&ev);
                                                                match cart.set_quantity(&code_q, &raw) {
                                                                    Ok(()) => message.set(None),
                                                                    Err(e) => {
                                                                        message.set(Some(e));
                                                                        // Show the quantity kept, not the refused one.
                                                                        let kept = items.with_untracked(|v| {
                                                                            v.iter()
                                                                                .find(|x| x.product.code == code_q)
                                                                                .map(|x| x.quantity.to_string())
                                                                        });
                                                                        if let Some(k) = kept {
                                                                            event_target::<leptos::web_sys::HtmlInputElement>(&ev)
                                                                                .set_value(&k);
                                                                        }
                                                                    }
                                                                }
                                                            }
                                                        />
                                                    }
                                                        .into_any()
                                                } else {
                                                    i.quantity.into_any()
                                                }}
                                            </td>
                                            <td class="num" data-label="金額">
                                                {yen(i.product.price_yen * i.quantity)}
                                            </td>
                                            <td>
                                                {editable
                                                    .then(|| {
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class="secondary remove"
                                                                on:click=move |_| {
                                                                    message.set(None);
                                                                    cart.remove(&code_rm)
                                                                }
                                                            >
                                                                "削除"
                                                            </button>
                                                        }
                                                    })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    {totals()
                        .map(|t| {
                            view! {
                                <dl class="totals">
                                    <dt>"10%対象 小計"</dt>
                                    <dd>{yen(t.subtotal_10_yen)}</dd>
                                    <dt>"消費税（10%）"</dt>
                                    <dd>{yen(t.tax_10_yen)}</dd>
                                    <dt>"8%対象 小計 ※軽減税率"</dt>
                                    <dd>{yen(t.subtotal_8_yen)}</dd>
                                    <dt>"消費税（8%）"</dt>
                                    <dd>{yen(t.tax_8_yen)}</dd>
                                    <dt class="grand">"合計（税込）"</dt>
                                    <dd class="grand" data-testid="cart-total">{yen(t.total_yen)}</dd>
                                </dl>
                            }
                        })}
                }
                    .into_any()
            }}
            {move || message.get().map(|m| view! { <p class="error-box cart-error" role="alert">{m}</p> })}
            {move || {
                place
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| view! { <ErrorView error=e/> })
            }}
            <div class="cart-actions">
                {move || {
                    if items.get().is_empty() {
                        ().into_any()
                    } else if confirming.get() {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                "戻って修正する"
                            </button>
                            <button
                                type="button"
                                class="primary"
                                data-testid="place-order"
                                disabled=move || place.pending().get()
                                on:click=confirm
                            >
                                "注文を確定する"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="primary"
                                data-testid="to-confirm"
                                on:click=move |_| {
                                    placed.set(None);
                                    message.set(None);
                                    confirming.set(true)
                                }
                            >
                                "注文内容を確認する"
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
    }
}
