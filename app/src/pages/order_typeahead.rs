//! 画面1's product picker: type a product name (kanji or kana) or code; suggestions follow as
//! you type, directly under the field. An ARIA combobox: ↑/↓ move through the suggestions,
//! Enter or Tab takes the highlighted one (or the product whose code was typed exactly),
//! Esc closes the list.
use super::order_cart::Cart;
use crate::domain::yen;
use crate::error::AppError;
use crate::orders::{normalise_code, parse_quantity, search_products, ProductView};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

const LIST_ID: &str = "product-suggestions";

fn option_id(i: usize) -> String {
    format!("product-option-{i}")
}

/// The product whose code is exactly what was typed (`a-1001` finds A-1001).
fn exact_code(list: &[ProductView], typed: &str) -> Option<ProductView> {
    let code = normalise_code(typed)?;
    list.iter().find(|p| p.code == code).cloned()
}

#[component]
pub fn ProductTypeAhead() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let typed = RwSignal::new(String::new());
    // What the list shows: None = closed; answers to older keystrokes are dropped.
    let found = RwSignal::new(None::<Result<Vec<ProductView>, AppError>>);
    let generation = StoredValue::new(0u64);
    let active = RwSignal::new(None::<usize>);
    let selected = RwSignal::new(None::<ProductView>);
    let quantity = RwSignal::new("1".to_string());
    let message = RwSignal::new(None::<String>);
    let quantity_ref = NodeRef::<leptos::html::Input>::new();
    let list_ref = NodeRef::<leptos::html::Ul>::new();
    // Keep the highlighted suggestion inside the list's scroll area.
    Effect::new(move |_| {
        use leptos::wasm_bindgen::JsCast;
        let (Some(i), Some(ul)) = (active.get(), list_ref.get()) else {
            return;
        };
        let Some(li) = ul
            .children()
            .item(u32::try_from(i).unwrap_or(u32::MAX))
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let (top, bottom) = (li.offset_top(), li.offset_top() + li.offset_height());
        if top < ul.scroll_top() {
            ul.set_scroll_top(top);
        } else if bottom > ul.scroll_top() + ul.client_height() {
            ul.set_scroll_top(bottom - ul.client_height());
        }
    });

    let hits = move || found.get().and_then(|r| r.ok()).unwrap_or_default();
    // Event handlers read without subscribing.
    let hits_now = move || {
        found.with_untracked(|f| match f {
            Some(Ok(v)) => v.clone(),
            _ => Vec::new(),
        })
    };
    let open = move || matches!(found.get(), Some(Ok(ref v)) if !v.is_empty());
    let search_now = move |q: String, g: u64| {
        spawn_local(async move {
            let r = if q.trim().is_empty() {
                None
            } else {
                Some(search_products(q).await)
            };
            if generation.get_value() == g {
                active.set(None);
                found.set(r);
            }
        });
    };
    let choose = move |p: ProductView| {
        // Cancels searches still under way for earlier keystrokes.
        generation.update_value(|g| *g += 1);
        typed.set(format!("{} {}", p.code, p.name));
        selected.set(Some(p));
        found.set(None);
        active.set(None);
        message.set(None);
    };
    // Tab or Enter with nothing highlighted: an exact product code is taken even before the
    // suggestions for it have arrived.
    let take_exact = move |then_focus: bool| {
        let t = typed.get_untracked();
        if selected.get_untracked().is_some() || normalise_code(&t).is_none() {
            return false;
        }
        if let Some(p) = exact_code(&hits_now(), &t) {
            choose(p);
            return true;
        }
        let g = generation.get_value();
        spawn_local(async move {
            if let Ok(list) = search_products(t.clone()).await {
                if generation.get_value() == g && typed.get_untracked() == t {
                    if let Some(p) = exact_code(&list, &t) {
                        choose(p);
                        if then_focus {
                            if let Some(q) = quantity_ref.get_untracked() {
                                let _ = q.focus();
                            }
                        }
                    }
                }
            }
        });
        false
    };
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        typed.set(v.clone());
        selected.set(None);
        message.set(None);
        let g = generation.get_value() + 1;
        generation.set_value(g);
        if v.trim().is_empty() {
            found.set(None);
            return;
        }
        // Debounced: ask the server only once typing pauses for 200 ms.
        set_timeout(
            move || {
                if generation.get_value() == g {
                    search_now(v, g);
                }
            },
            Duration::from_millis(200),
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let list = hits_now();
        let n = list.len();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Escape" => {
                found.set(None);
                active.set(None);
            }
            "Enter" => {
                ev.prevent_default();
                let pick = active
                    .get_untracked()
                    .and_then(|i| list.get(i).cloned())
                    .or_else(|| exact_code(&list, &typed.get_untracked()))
                    .or_else(|| (n == 1).then(|| list[0].clone()));
                match pick {
                    Some(p) => {
                        choose(p);
                        if let Some(q) = quantity_ref.get_untracked() {
                            let _ = q.focus();
                        }
                    }
                    None => {
                        take_exact(true);
                    }
                }
            }
            // Tab keeps its default (focus moves on to 数量).
            "Tab" if !ev.shift_key() => {
                match active.get_untracked().and_then(|i| list.get(i).cloned()) {
                    Some(p) => choose(p),
                    None => {
                        take_exact(false);
                    }
                }
            }
            _ => {}
        }
    };
    let add = move || {
        let Some(p) = selected.get_untracked() else {
            message.set(Some("商品を候補から選んでください。".into()));
            return;
        };
        match parse_quantity(&quantity.get_untracked()).and_then(|q| cart.add(p, q)) {
            Ok(()) => {
                selected.set(None);
                typed.set(String::new());
                quantity.set("1".into());
                message.set(None);
            }
            Err(e) => message.set(Some(e)),
        }
    };
    view! {
        <section class="card order-typeahead">
            <h2>"商品を選ぶ"</h2>
            <p class="hint" id="product-query-hint">
                "商品名（漢字・かな・カナ）または商品コードを入力すると候補が表示されます。↑↓で候補を選び、Enterで決定します。"
            </p>
            <div class="typeahead-row">
                <div class="typeahead-field">
                    <label for="product-query">"商品名・商品コード"</label>
                    <input
                        id="product-query"
                        type="text"
                        role="combobox"
                        aria-autocomplete="list"
                        aria-controls=LIST_ID
                        aria-describedby="product-query-hint"
                        aria-expanded=move || open().to_string()
                        aria-activedescendant=move || active.get().filter(|_| open()).map(option_id)
                        autocomplete="off"
                        placeholder="例: じょうすい / A-1001"
                        prop:value=move || typed.get()
                        on:input=on_input
                        on:keydown=on_keydown
                    />
                    // Directly under the field (positioned against it), above what follows.
                    <ul id=LIST_ID node_ref=list_ref class="suggestions" role="listbox" aria-label="商品の候補" hidden=move || !open()>
                        {move || {
                            hits()
                                .into_iter()
                                .enumerate()
                                .map(|(i, p)| {
                                    let label = format!("{} {}", p.code, p.name);
                                    let detail = format!(
                                        "{} {}（税{}%）",
                                        p.kana,
                                        yen(p.price_yen),
                                        p.tax_rate_percent,
                                    );
                                    let code = p.code.clone();
                                    view! {
                                        <li
                                            id=option_id(i)
                                            role="option"
                                            class="suggestion"
                                            class:active=move || active.get() == Some(i)
                                            aria-selected=move || (active.get() == Some(i)).to_string()
                                            data-code=code
                                            // Keep focus in the field; the click chooses.
                                            on:mousedown=|ev| ev.prevent_default()
                                            on:click=move |_| {
                                                choose(p.clone());
                                                if let Some(q) = quantity_ref.get_untracked() {
                                                    let _ = q.focus();
                                                }
                                            }
                                        >
                                            <strong>{label}</strong>
                                            <span class="hint">{detail}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    {move || match found.get() {
                        Some(Ok(v)) if v.is_empty() => Some(
                            view! { <p class="hint typeahead-status" data-testid="no-hits" role="status">"該当する商品はありません。"</p> }
                                .into_any(),
                        ),
                        Some(Err(e)) => Some(view! { <div class="typeahead-status"><ErrorView error=e/></div> }.into_any()),
                        _ => None,
                    }}
                </div>
                <div class="quantity-field">
                    <label for="quantity">"数量"</label>
                    <input
                        id="quantity"
                        node_ref=quantity_ref
                        type="text"
                        inputmode="numeric"
                        maxlength="6"
                        prop:value=move || quantity.get()
                        on:input=move |ev| {
                            message.set(None);
                            quantity.set(event_target_value(&ev))
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                add();
                            }
                        }
                    />
                </div>
                <button
                    type="button"
                    class="primary add-to-cart"
                    disabled=move || !cart.editable()
                    on:click=move |_| add()
                >
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
            {move || (!cart.editable()).then(|| view! { <p class="hint" data-testid="cart-locked">{super::order_cart::CART_LOCKED}</p> })}
            {move || message.get().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
        </section>
    }
}
