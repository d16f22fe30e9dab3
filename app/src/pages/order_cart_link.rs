//! 画面2: the cart's count and total above the pictures, linking down to the cart.
use super::order_cart::Cart;
use crate::domain::{tax, yen};
use leptos::prelude::*;

#[component]
pub fn CartLink() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let summary = move || {
        let (lines, pieces) = cart.count();
        if lines == 0 {
            return "カートは空です".to_string();
        }
        let total = cart
            .items
            .with(|v| {
                tax::totals(
                    v.iter()
                        .map(|i| (i.product.tax_rate_percent, i.product.price_yen * i.quantity)),
                )
            })
            .map(|t| yen(t.total_yen))
            .unwrap_or_default();
        format!("カート: {lines}品目・{pieces}点 {total}")
    };
    view! {
        // rel=external: the browser scrolls to the fragment; the router stays out of it.
        <a class="cart-link" href="#cart" rel="external" data-testid="cart-link">
            <span data-testid="cart-count">{summary}</span>
            <span class="cart-link-go">"カートを見る ↓"</span>
        </a>
    }
}
