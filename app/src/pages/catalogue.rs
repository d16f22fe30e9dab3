//! 画面2's picture catalogue: a grid of products with their pictures; each card adds to the
//! shared cart of the 発注 page.
use super::order_cart::Cart;
use crate::domain::yen;
use crate::orders::{catalogue, parse_quantity, ProductView};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;

#[component]
pub fn CataloguePicker() -> impl IntoView {
    let list = Resource::new(|| (), |_| catalogue());
    view! {
        <section class="card catalogue">
            <h2>"商品カタログ"</h2>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) => {
                            view! {
                                <ul class="product-grid">
                                    {items.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProductCard(product: ProductView) -> impl IntoView {
    let cart = expect_context::<Cart>();
    let quantity = RwSignal::new("1".to_string());
    let message = RwSignal::new(None::<String>);
    let added = RwSignal::new(false);
    let p = product.clone();
    let add = move |_| match parse_quantity(&quantity.get_untracked())
        .and_then(|q| cart.add(p.clone(), q))
    {
        Ok(()) => {
            message.set(None);
            added.set(true);
            quantity.set("1".into());
        }
        Err(e) => {
            added.set(false);
            message.set(Some(e));
        }
    };
    let picture = product
        .picture
        .clone()
        .unwrap_or_else(|| "/products/none.svg".into());
    view! {
        <li class="product-card" data-code=product.code.clone()>
            <img src=picture alt=product.name.clone() width="120" height="90" loading="lazy"/>
            <div class="product-name">{product.name.clone()}</div>
            <div class="hint">{product.code.clone()}</div>
            <div class="product-price">
                {yen(product.price_yen)} <span class="hint">{format!("（税抜・税{}%）", product.tax_rate_percent)}</span>
            </div>
            <div class="card-add">
                <input
                    type="text"
                    inputmode="numeric"
                    maxlength="6"
                    aria-label="数量"
                    class="card-quantity"
                    prop:value=move || quantity.get()
                    on:input=move |ev| {
                        added.set(false);
                        message.set(None);
                        quantity.set(event_target_value(&ev))
                    }
                />
                <button
                    type="button"
                    class="primary add-to-cart"
                    disabled=move || !cart.editable()
                    on:click=add
                >
                    "カートに入れる"
                </button>
            </div>
            {move || added.get().then(|| view! { <p class="ok">"カートに入れました"</p> })}
            {move || message.get().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
        </li>
    }
}
