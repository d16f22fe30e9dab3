//! The 出荷 and 取消 forms of one order. Each sends the version the screen showed; the
//! answer (done, or why not, in Japanese) is announced in an aria-live region.
use crate::error::AppError;
use crate::order_admin::{ActionDone, CancelOrder, OrderDetail, ReturnOrder, ShipOrder};
use crate::pages::action_outcome::outcome;
use crate::pages::staff_order_return::ReturnForm;
use leptos::prelude::*;

/// Re-reads the order once `action` succeeded.
fn reload_on_success<A>(action: ServerAction<A>, reload: RwSignal<u32>)
where
    A: leptos::server_fn::ServerFn<Output = ActionDone, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    A::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
}

/// The page's three actions. They belong to the page, not to the detail it re-reads after a
/// change: rebuilt with the order, they would lose the answer the screen must still show
/// (「出荷済にしました」) and re-run their reload effect.
#[derive(Clone, Copy)]
pub struct OrderForms {
    pub ship: ServerAction<ShipOrder>,
    pub cancel: ServerAction<CancelOrder>,
    pub ret: ServerAction<ReturnOrder>,
}

impl OrderForms {
    pub fn new(reload: RwSignal<u32>) -> Self {
        let forms = OrderForms {
            ship: ServerAction::new(),
            cancel: ServerAction::new(),
            ret: ServerAction::new(),
        };
        reload_on_success(forms.ship, reload);
        reload_on_success(forms.cancel, reload);
        reload_on_success(forms.ret, reload);
        forms
    }
}

#[component]
pub fn OrderActions(o: OrderDetail, forms: OrderForms) -> impl IntoView {
    let OrderForms { ship, cancel, .. } = forms;
    let version = o.version.to_string();
    let number = o.order_number.clone();
    let nothing = !o.can_ship && !o.can_cancel && !o.can_return;
    let (number2, version2) = (number.clone(), version.clone());
    let today = o.today.clone();
    let (can_ship, can_cancel, can_return) = (o.can_ship, o.can_cancel, o.can_return);
    view! {
        <div aria-live="polite" class="action-result" data-testid="action-result">
            {move || outcome(ship.value().get())}
            {move || outcome(cancel.value().get())}
        </div>
        {can_ship.then(|| view! {
            <section class="card">
                <h2>"出荷を登録する"</h2>
                <ActionForm action=ship attr:class="form order-ship" attr:novalidate=true>
                    <input type="hidden" name="number" value=number/>
                    <input type="hidden" name="version" value=version/>
                    <label for="ship-date">"出荷日（年-月-日・今日から7日後まで）"</label>
                    <input id="ship-date" name="shipped_on" type="text" lang="ja" inputmode="numeric" maxlength="10" value=today required/>
                    <label for="ship-tracking">"送り状番号（数字・ハイフン）"</label>
                    <input id="ship-tracking" name="tracking_number" type="text" inputmode="numeric" maxlength="30" autocomplete="off" required/>
                    <button type="submit" class="primary" data-testid="ship-submit" disabled=move || ship.pending().get()>"出荷済にする"</button>
                </ActionForm>
            </section>
        })}
        {can_cancel.then(|| view! {
            <section class="card">
                <h2>"注文を取り消す"</h2>
                <ActionForm action=cancel attr:class="form order-cancel" attr:novalidate=true>
                    <input type="hidden" name="number" value=number2/>
                    <input type="hidden" name="version" value=version2/>
                    <label for="cancel-reason">"取消理由（必須・200文字まで）"</label>
                    <textarea id="cancel-reason" name="reason" maxlength="200" rows="2"></textarea>
                    <button type="submit" class="danger" data-testid="cancel-submit" disabled=move || cancel.pending().get()>"取り消す"</button>
                </ActionForm>
            </section>
        })}
        {can_return.then(|| view! { <ReturnForm o=o ret=forms.ret/> })}
        {nothing.then(|| view! { <p class="hint" data-testid="no-actions">"この注文の状態では、これ以上の操作はできません。"</p> })}
    }
}
