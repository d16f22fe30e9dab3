use crate::customers::rank_select::RankSelect;
use crate::customers::register_fields::rank_chosen;
use crate::customers::register_form::{customer_fields, CustomerFieldInputs, RegisterOutcome};
use crate::customers::{RegisterResult, StaffRegisterCustomer};
use crate::model::{CurrentUser, Rank};
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::field_errors::{FieldError, FieldErrors, FormValues};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// 全国販社: register a customer who belongs to no division (the notice's unchanged path: the
/// upline asks, 全国販社 registers). The customer receives the R1 mail.
#[component]
pub fn StaffCustomerNewPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! {
            <crate::shell::refusal::Refusal
                title="お客様の新規登録（全国販社）"
                hint=crate::shell::refusal::STAFF_ONLY
            />
        }
        .into_any();
    }
    let register = ServerAction::<StaffRegisterCustomer>::new();
    let result = Signal::derive(move || register.value().get());
    let errors = FieldErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(RegisterResult::Registered { .. })) = register.value().get() {
            if let Some(f) = form_ref.get_untracked() {
                f.reset();
            }
            errors.clear();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((form, v)) = FormValues::of(&ev) else {
            return;
        };
        let mut problems = Vec::new();
        if let Err(e) = rank_chosen(&v.get("rank")) {
            problems.push(("rank", e.message()));
        }
        if let Err(e) = crate::validation::customer_code(&v.get("upline_code")) {
            problems.push((
                "upline_code",
                e.message().replace("お客様ID", "上位店のお客様ID"),
            ));
        }
        problems.extend(customer_fields(&v).problems());
        if errors.show(&form, problems) {
            register.dispatch(StaffRegisterCustomer {
                rank: v.get("rank"),
                upline_code: v.get("upline_code"),
                can_register: v.opt("can_register"),
                name: v.get("name"),
                kana: v.get("kana"),
                phone: v.get("phone"),
                email: v.get("email"),
                postal_code: v.get("postal_code"),
                address: v.get("address"),
                confirmed: v.opt("confirmed"),
            });
        }
    };
    let ranks: Vec<Rank> = Rank::ALL
        .into_iter()
        .filter(|r| *r != Rank::National)
        .collect();
    view! {
        <Title text="お客様の新規登録（全国販社） | 業務代行クラウドシステム"/>
        <section class="page staff-customer-new">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("お客様", None),
                ("お客様の新規登録（全国販社）", None),
            ]/>
            <h1>"お客様の新規登録（全国販社）"</h1>
            <super::staff_customer_edit::FindCustomer/>
            <h2>"販売事業部に所属しないお客様の登録"</h2>
            <p class="hint">
                "販売事業部に所属しないお客様を、上位店からの依頼に基づいて登録します。販売事業部への登録は、各販社の「販売事業部新規顧客登録」から行います。"
            </p>
            <form
                node_ref=form_ref
                class="form register-form"
                method="post"
                action=StaffRegisterCustomer::url()
                novalidate
                on:submit=on_submit
            >
                <RankSelect ranks errors/>
                <label class="checkbox">
                    <input type="checkbox" name="can_register" value="true"/>
                    "会員登録あり（ウルトラ販社・スーパー販社・販社のみ）"
                </label>
                <label for="reg_upline">"上位店のお客様ID（8桁）"</label>
                <input
                    id="reg_upline"
                    name="upline_code"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="16"
                    required
                    aria-invalid=move || errors.invalid("upline_code")
                    aria-describedby=move || errors.described_by("upline_code", None)
                />
                <FieldError errors field="upline_code"/>
                <CustomerFieldInputs errors/>
                <RegisterOutcome result staff=true/>
                <button type="submit" class="primary" disabled=move || register.pending().get()>
                    "登録する"
                </button>
            </form>
        </section>
    }
    .into_any()
}
