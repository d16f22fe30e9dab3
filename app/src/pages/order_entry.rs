//! 発注 (/order). 画面1 (brown): choose a product by typing its name, kana or code
//! ([`super::order_typeahead`]). 画面2 (green): the picture catalogue ([`super::catalogue`]),
//! with the cart's count at the top (on a phone the cart is far below the pictures). Both
//! share the cart and the confirmation ([`super::order_cart_panel`]). The server re-checks
//! every line (price, tax rate, 取扱停止, quantity) when the order is placed.
use super::order_cart::Cart;
use super::order_cart_panel::CartPanel;
use crate::model::{CurrentUser, ScreenVariant};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrderPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let cart = Cart::new();
    provide_context(cart);
    let picker = match user.screen {
        ScreenVariant::Primary => view! { <super::order_typeahead::ProductTypeAhead/> }.into_any(),
        ScreenVariant::Secondary => view! {
            <super::order_cart_link::CartLink/>
            <super::catalogue::CataloguePicker/>
        }
        .into_any(),
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
