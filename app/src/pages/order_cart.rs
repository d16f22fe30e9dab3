//! The cart shared by both ordering screens (画面1 type-ahead, 画面2 pictures). It lives in
//! the page; while the confirmation is shown it is frozen, so what is confirmed is what is sent.
use crate::orders::{parse_quantity, ProductView};
use leptos::prelude::*;

/// One cart line in the browser: the product as shown and the quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct CartItem {
    pub product: ProductView,
    pub quantity: i64,
}

/// The refusal while the confirmation is on screen.
pub const CART_LOCKED: &str =
    "ご注文内容の確認中はカートを変更できません。「戻って修正する」を押してください。";

#[derive(Clone, Copy)]
pub struct Cart {
    pub items: RwSignal<Vec<CartItem>>,
    /// True while 「ご注文内容の確認」 is shown.
    pub confirming: RwSignal<bool>,
}

impl Cart {
    pub fn new() -> Self {
        Cart {
            items: RwSignal::new(Vec::new()),
            confirming: RwSignal::new(false),
        }
    }

    /// Whether lines may be added, removed or changed now (reactive).
    pub fn editable(&self) -> bool {
        !self.confirming.get()
    }

    /// Adds `quantity` of `product`, merging with a line already in the cart.
    pub fn add(&self, product: ProductView, quantity: i64) -> Result<(), String> {
        if self.confirming.get_untracked() {
            return Err(CART_LOCKED.into());
        }
        let mut err = None;
        self.items.update(|items| {
            if let Some(i) = items.iter_mut().find(|i| i.product.code == product.code) {
                match parse_quantity(&(i.quantity + quantity).to_string()) {
                    Ok(q) => i.quantity = q,
                    Err(e) => err = Some(e),
                }
            } else {
                items.push(CartItem { product, quantity });
            }
        });
        err.map_or(Ok(()), Err)
    }

    /// Sets one line's quantity as typed in the cart.
    pub fn set_quantity(&self, code: &str, raw: &str) -> Result<(), String> {
        if self.confirming.get_untracked() {
            return Err(CART_LOCKED.into());
        }
        let q = parse_quantity(raw)?;
        self.items.update(|items| {
            if let Some(i) = items.iter_mut().find(|i| i.product.code == code) {
                i.quantity = q;
            }
        });
        Ok(())
    }

    pub fn remove(&self, code: &str) {
        if !self.confirming.get_untracked() {
            self.items.update(|v| v.retain(|x| x.product.code != code));
        }
    }

    /// Lines and pieces, for the count at the top of the page.
    pub fn count(&self) -> (usize, i64) {
        self.items
            .with(|v| (v.len(), v.iter().map(|i| i.quantity).sum()))
    }
}

impl Default for Cart {
    fn default() -> Self {
        Self::new()
    }
}
