//! 発注 (/order). 画面1 (brown): choose a product by typing its name, kana or code
//! (type-ahead). 画面2 (green): the picture catalogue ([`super::catalogue`]). Both share the
//! cart and the confirmation below. The cart lives in the page; the server re-checks every
//! line (price, tax rate, 取扱停止, quantity) when the order is placed.
use crate::model::{CurrentUser, ScreenVariant};
use crate::orders::{parse_quantity, search_products, tax, yen, CartLine, PlaceOrder, ProductView};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

/// One cart line in the browser: the product as shown and the quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct CartItem {
    pub product: ProductView,
    pub quantity: i64,
}

/// The cart shared by both ordering screens.
#[derive(Clone, Copy)]
pub struct Cart(pub RwSignal<Vec<CartItem>>);

impl Cart {
    /// Adds `quantity` of `product`, merging with a line already in the cart.
    pub fn add(&self, product: ProductView, quantity: i64) -> Result<(), String> {
        let mut err = None;
        self.0.update(|items| {
            if let Some(i) = items.iter_mut().find(|i| i.product.code == product.code) {
                let q = i.quantity + quantity;
                match parse_quantity(&q.to_string()) {
                    Ok(q) => i.quantity = q,
                    Err(e) => err = Some(e),
                }
            } else {
                items.push(CartItem { product, quantity });
            }
        });
        err.map_or(Ok(()), Err)
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let cart = Cart(RwSignal::new(Vec::new()));
    provide_context(cart);
    let picker = match user.screen {
        ScreenVariant::Primary => view! { <ProductTypeAhead/> }.into_any(),
        ScreenVariant::Secondary => view! { <super::catalogue::CataloguePicker/> }.into_any(),
    };
    view! {
        <Title text="発注 | 業務代行クラウドシステム"/>
        <h1>"発注"</h1>
        <div class="order-page" data-order-screen=user.screen.code()>
            {picker}
            <CartPanel/>
        </div>
    }
}

/// 画面1: type a product name (kanji or kana) or code; suggestions follow as you type.
#[component]
fn ProductTypeAhead() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    let selected = RwSignal::new(None::<ProductView>);
    let quantity = RwSignal::new("1".to_string());
    let message = RwSignal::new(None::<String>);
    let hits = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search_products(q).await
            }
        },
    );
    // Debounced: ask the server only once typing pauses for 200 ms.
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        typed.set(v.clone());
        selected.set(None);
        let g = generation.get_value() + 1;
        generation.set_value(g);
        set_timeout(
            move || {
                if generation.get_value() == g {
                    query.set(v);
                }
            },
            Duration::from_millis(200),
        );
    };
    let choose = move |p: ProductView| {
        typed.set(format!("{} {}", p.code, p.name));
        selected.set(Some(p));
        query.set(String::new());
        message.set(None);
    };
    let add = move || {
        let Some(p) = selected.get_untracked() else {
            message.set(Some("商品を候補から選んでください。".into()));
            return;
        };
        match parse_quantity(&quantity.get_untracked()) {
            Ok(q) => match cart.add(p, q) {
                Ok(()) => {
                    selected.set(None);
                    typed.set(String::new());
                    quantity.set("1".into());
                    message.set(None);
                }
                Err(e) => message.set(Some(e)),
            },
            Err(e) => message.set(Some(e)),
        }
    };
    view! {
        <section class="card order-typeahead">
            <h2>"商品を選ぶ"</h2>
            <p class="hint">"商品名（漢字・かな・カナ）または商品コードを入力すると候補が表示されます。"</p>
            <div class="typeahead-row">
                <label class="typeahead-field">
                    <span>"商品名・商品コード"</span>
                    <input
                        id="product-query"
                        type="text"
                        autocomplete="off"
                        placeholder="例: じょうすい / A-1001"
                        prop:value=move || typed.get()
                        on:input=on_input
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                let first = hits
                                    .get()
                                    .and_then(|r| r.ok())
                                    .and_then(|v| v.into_iter().next());
                                if let Some(p) = first {
                                    choose(p);
                                }
                            }
                        }
                    />
                </label>
                <label class="quantity-field">
                    <span>"数量"</span>
                    <input
                        id="quantity"
                        type="text"
                        inputmode="numeric"
                        maxlength="6"
                        prop:value=move || quantity.get()
                        on:input=move |ev| quantity.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                add();
                            }
                        }
                    />
                </label>
                <button type="button" class="primary add-to-cart" on:click=move |_| add()>
                    "カートに入れる"
                </button>
            </div>
            {move || {
                selected
                    .get()
                    .map(|p| {
                        view! {
                            <p class="selected-product" data-testid="selected-product">
                                {format!(
                                    "選択中: {} {}（{} 税{}%）",
                                    p.code,
                                    p.name,
                                    yen(p.price_yen),
                                    p.tax_rate_percent,
                                )}
                            </p>
                        }
                    })
            }}
            {move || message.get().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let found = hits.await;
                    if query.get_untracked().trim().is_empty() {
                        return ().into_any();
                    }
                    match found {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="hint" data-testid="no-hits">"該当する商品はありません。"</p> }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="suggestions" role="listbox">
                                    {list
                                        .into_iter()
                                        .map(|p| {
                                            let code = p.code.clone();
                                            let label = format!("{} {}", p.code, p.name);
                                            let detail = format!(
                                                "{} {}（税{}%）",
                                                p.kana,
                                                yen(p.price_yen),
                                                p.tax_rate_percent,
                                            );
                                            view! {
                                                <li role="option">
                                                    <button
                                                        type="button"
                                                        class="suggestion"
                                                        data-code=code
                                                        on:click=move |_| choose(p.clone())
                                                    >
                                                        <strong>{label}</strong>
                                                        <span class="hint">{detail}</span>
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The cart, its confirmation and the order number once placed.
#[component]
pub fn CartPanel() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let items = cart.0;
    let confirming = RwSignal::new(false);
    let place = ServerAction::<PlaceOrder>::new();
    let placed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(o)) = place.value().get() {
            placed.set(Some(o.order_number));
            items.set(Vec::new());
            confirming.set(false);
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
        <section class="card cart" data-testid="cart">
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
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|i| {
                                    let code = i.product.code.clone();
                                    let code_rm = code.clone();
                                    view! {
                                        <tr class="cart-line" data-code=code.clone()>
                                            <td data-label="商品コード">{code.clone()}</td>
                                            <td data-label="商品名">{i.product.name.clone()}</td>
                                            <td class="num" data-label="単価">{yen(i.product.price_yen)}</td>
                                            <td class="num" data-label="税率">
                                                {format!(
                                                    "{}%{}",
                                                    i.product.tax_rate_percent,
                                                    if i.product.tax_rate_percent == 8 { "※" } else { "" },
                                                )}
                                            </td>
                                            <td class="num" data-label="数量">{i.quantity}</td>
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
                                                                    items.update(|v| v.retain(|x| x.product.code != code_rm))
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
