use crate::customers::register_form::{CustomerFieldInputs, RegisterOutcome};
use crate::customers::StaffRegisterCustomer;
use crate::model::{CurrentUser, Rank};
use crate::shell::breadcrumbs::Breadcrumbs;
use leptos::prelude::*;
use leptos_meta::Title;

/// 全国販社: register a customer who belongs to no division (the notice's unchanged path: the
/// upline asks, 全国販社 registers). The customer receives the R1 mail.
#[component]
pub fn StaffCustomerNewPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let register = ServerAction::<StaffRegisterCustomer>::new();
    let result = Signal::derive(move || register.value().get());
    view! {
        <Title text="お客様の新規登録（全国販社） | 業務代行クラウドシステム"/>
        <section class="page staff-customer-new">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("お客様", None),
                ("お客様の新規登録（全国販社）", None),
            ]/>
            <h1>"お客様の新規登録（全国販社）"</h1>
            {(user.rank != Rank::National)
                .then(|| view! { <p class="error-box" role="alert">"この画面は全国販社の職員のみ利用できます。"</p> })}
            <super::staff_customer_edit::FindCustomer/>
            <h2>"販売事業部に所属しないお客様の登録"</h2>
            <p class="hint">
                "販売事業部に所属しないお客様を、上位店からの依頼に基づいて登録します。販売事業部への登録は、各販社の「販売事業部新規顧客登録」から行います。"
            </p>
            <ActionForm action=register attr:class="form register-form" attr:novalidate=true>
                <label for="reg_rank">"ランク"</label>
                <select id="reg_rank" name="rank">
                    {Rank::ALL
                        .into_iter()
                        .filter(|r| *r != Rank::National)
                        .map(|r| view! { <option value=r.code() selected=r == Rank::General>{r.label()}</option> })
                        .collect_view()}
                </select>
                <label class="checkbox">
                    <input type="checkbox" name="can_register" value="true"/>
                    "会員登録あり（ウルトラ販社・スーパー販社・販社のみ）"
                </label>
                <label for="reg_upline">"上位店のお客様ID（8桁）"</label>
                <input id="reg_upline" name="upline_code" inputmode="numeric" autocomplete="off" maxlength="16" required/>
                <CustomerFieldInputs/>
                <RegisterOutcome result/>
                <button type="submit" class="primary" disabled=move || register.pending().get()>
                    "登録する"
                </button>
            </ActionForm>
        </section>
    }
}
