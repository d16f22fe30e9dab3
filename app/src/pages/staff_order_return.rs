//! The 返品 form: a quantity per line (blank = not returned, at most what remains) and a
//! reason. Recorded as its own row in the month it is entered.
use crate::order_admin::{OrderDetail, ReturnOrder};
use crate::pages::action_outcome::outcome;
use leptos::prelude::*;

#[component]
pub fn ReturnForm(o: OrderDetail, ret: ServerAction<ReturnOrder>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"返品を登録する"</h2>
            <div aria-live="polite" class="action-result">{move || outcome(ret.value().get())}</div>
            <ActionForm action=ret attr:class="form order-return" attr:novalidate=true>
                <input type="hidden" name="number" value=o.order_number.clone()/>
                <input type="hidden" name="version" value=o.version.to_string()/>
                {o.lines
                    .iter()
                    .filter(|l| l.quantity > l.returned)
                    .map(|l| {
                        let id = format!("ret-qty-{}", l.line_no);
                        let left = l.quantity - l.returned;
                        view! {
                            <label for=id.clone()>
                                {format!("{}. {}（返品できる数 {}）", l.line_no, l.product_name, left)}
                            </label>
                            <input id=id name=format!("qty[{}]", l.line_no) type="text" inputmode="numeric" size="5" autocomplete="off"/>
                        }
                    })
                    .collect_view()}
                <label for="return-reason">"返品理由（必須・200文字まで）"</label>
                <textarea id="return-reason" name="reason" maxlength="200" rows="2"></textarea>
                <button type="submit" class="primary" data-testid="return-submit" disabled=move || ret.pending().get()>"返品を登録する"</button>
            </ActionForm>
        </section>
    }
}
