use crate::customers::rank_select::RankSelect;
use crate::customers::register_fields::{rank_chosen, AGENCY_RANKS};
use crate::customers::register_form::{customer_fields, CustomerFieldInputs, RegisterOutcome};
use crate::customers::{register_divisions, RegisterCustomer, RegisterResult};
use crate::model::CurrentUser;
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::error_view::ErrorView;
use crate::shell::field_errors::{FieldErrors, FormValues};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// 販売事業部新規顧客登録 (R5): 【ウルトラ販社～販社】(会員登録あり) users register customers into
/// their own division or one owned by their downline, with their ordinary login.
#[component]
pub fn AgencyRegisterPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if !crate::domain::rank::ultra_to_hansha_registered(user.rank, user.can_register) {
        return view! {
            <crate::shell::refusal::Refusal
                title="販売事業部新規顧客登録"
                hint="この画面は、会員登録ありのウルトラ販社・スーパー販社・販社の方のみ利用できます。販売事業部に所属しないお客様の登録は、上位店を通じて全国販社へご依頼ください。"
            />
        }
        .into_any();
    }
    let register = ServerAction::<RegisterCustomer>::new();
    let result = Signal::derive(move || register.value().get());
    let divisions = Resource::new(|| (), |_| register_divisions());
    let errors = FieldErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // A registered customer leaves an empty form for the next one (the new ID stays shown).
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
        problems.extend(customer_fields(&v).problems());
        if errors.show(&form, problems) {
            register.dispatch(RegisterCustomer {
                division_id: v.get("division_id"),
                rank: v.get("rank"),
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
    view! {
        <Title text="販売事業部新規顧客登録 | 業務代行クラウドシステム"/>
        <section class="page agency-register">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("代理店", None),
                ("販売事業部新規顧客登録", None),
            ]/>
            <h1>"販売事業部新規顧客登録"</h1>
            <p class="hint">
                "ご自身の販売事業部に加え、下位のお客様の販売事業部へも登録できます。登録したお客様の上位店は、その販売事業部の所有者になります。"
            </p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match divisions.await {
                        Ok(list) => view! {
                            // Without the WASM the browser posts the form to the server function.
                            <form
                                node_ref=form_ref
                                class="form register-form"
                                method="post"
                                action=RegisterCustomer::url()
                                novalidate
                                on:submit=on_submit
                            >
                                <label for="reg_division">"販売事業部"</label>
                                <select id="reg_division" name="division_id">
                                    {list
                                        .into_iter()
                                        .map(|d| {
                                            let label = if d.own {
                                                format!("{}（ご自身）", d.name)
                                            } else {
                                                format!("{}（{} {}）", d.name, d.owner_code, d.owner_name)
                                            };
                                            view! { <option value=d.id.to_string()>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                                <RankSelect ranks=AGENCY_RANKS.to_vec() errors/>
                                <CustomerFieldInputs errors/>
                                <RegisterOutcome result/>
                                <button type="submit" class="primary" disabled=move || register.pending().get()>
                                    "登録する"
                                </button>
                            </form>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
