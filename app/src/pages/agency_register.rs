use crate::customers::register_fields::AGENCY_RANKS;
use crate::customers::register_form::{CustomerFieldInputs, RegisterOutcome};
use crate::customers::{register_divisions, RegisterCustomer};
use crate::model::CurrentUser;
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// 販売事業部新規顧客登録 (R5): 【ウルトラ販社～販社】(会員登録あり) users register customers into
/// their own division or one owned by their downline, with their ordinary login.
#[component]
pub fn AgencyRegisterPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let register = ServerAction::<RegisterCustomer>::new();
    let result = Signal::derive(move || register.value().get());
    let divisions = Resource::new(|| (), |_| register_divisions());
    let registrar = crate::customers::may_register_agency(user.rank, user.can_register);
    view! {
        <Title text="販売事業部新規顧客登録 | 業務代行クラウドシステム"/>
        <section class="page agency-register">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("代理店", None),
                ("販売事業部新規顧客登録", None),
            ]/>
            <h1>"販売事業部新規顧客登録"</h1>
            {(!registrar).then(|| view! {
                <p class="error-box" role="alert">
                    "この画面は、会員登録ありのウルトラ販社・スーパー販社・販社の方のみ利用できます。販売事業部に所属しないお客様の登録は、上位店を通じて全国販社へご依頼ください。"
                </p>
            })}
            <p class="hint">
                "ご自身の販売事業部に加え、下位のお客様の販売事業部へも登録できます。登録したお客様の上位店は、その販売事業部の所有者になります。"
            </p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match divisions.await {
                        Ok(list) => view! {
                            <ActionForm action=register attr:class="form register-form" attr:novalidate=true>
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
                                <label for="reg_rank">"ランク"</label>
                                <select id="reg_rank" name="rank">
                                    {AGENCY_RANKS
                                        .into_iter()
                                        .map(|r| view! { <option value=r.code()>{r.label()}</option> })
                                        .collect_view()}
                                </select>
                                <CustomerFieldInputs/>
                                <RegisterOutcome result/>
                                <button type="submit" class="primary" disabled=move || register.pending().get()>
                                    "登録する"
                                </button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
