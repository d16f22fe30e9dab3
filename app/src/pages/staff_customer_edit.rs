use crate::customers::{
    staff_customer, staff_divisions, StaffUpdateCustomer, StaffUpdateCustomerDetails,
};
use crate::model::{CurrentUser, Rank};
use crate::shell::breadcrumbs::Breadcrumbs;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// 全国販社: one customer — rank, upline, division and 会員登録あり can be changed here (the
/// downline moves along with the customer); a login reset is started from /staff/reset with
/// the お客様ID filled in. Staff never see the e-mail address or a password.
#[component]
pub fn StaffCustomerEditPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="お客様情報の変更（全国販社）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let update = ServerAction::<StaffUpdateCustomer>::new();
    let details = ServerAction::<StaffUpdateCustomerDetails>::new();
    // Reload after every successful change.
    let customer = Resource::new(
        move || (code(), update.version().get(), details.version().get()),
        |(c, _, _)| staff_customer(c),
    );
    let divisions = Resource::new(|| (), |_| staff_divisions());
    view! {
        <Title text="お客様情報の変更（全国販社） | 業務代行クラウドシステム"/>
        <section class="page staff-customer-edit">
            <Breadcrumbs trail=vec![
                ("マスタメンテ", None),
                ("お客様", None),
                ("お客様情報の変更（全国販社）", None),
            ]/>
            <h1>"お客様情報の変更（全国販社）"</h1>
            <FindCustomer/>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let c = match customer.await {
                        Ok(c) => c,
                        Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                    };
                    let divs = divisions.await.unwrap_or_default();
                    let reset_href = format!("/staff/reset?code={}", c.customer_code);
                    let current_division = c.division_id;
                    view! {
                        <dl class="customer-detail" data-testid="customer-detail">
                            <dt>"お客様ID"</dt><dd data-testid="detail-code">{c.customer_code.clone()}</dd>
                            <dt>"代理店名"</dt><dd>{c.name.clone()}</dd>
                            <dt>"カナ"</dt><dd>{c.kana.clone()}</dd>
                            <dt>"電話番号"</dt><dd>{c.phone.clone().unwrap_or_default()}</dd>
                            <dt>"住所"</dt>
                            <dd>{format!("〒{} {}", c.postal_code.clone().unwrap_or_default(), c.address.clone().unwrap_or_default())}</dd>
                            <dt>"ランク"</dt><dd data-testid="detail-rank">{c.rank.label()}</dd>
                            <dt>"会員登録"</dt><dd>{if c.can_register { "あり" } else { "なし" }}</dd>
                            <dt>"画面"</dt><dd data-testid="detail-screen">{c.screen_label.clone()}</dd>
                            <dt>"上位店"</dt>
                            <dd data-testid="detail-upline">
                                {match (c.upline_code.clone(), c.upline_name.clone()) {
                                    (Some(code), Some(name)) => format!("{code} {name}"),
                                    _ => "なし".to_string(),
                                }}
                            </dd>
                            <dt>"販売事業部"</dt><dd data-testid="detail-division">{c.division_name.clone().unwrap_or_else(|| "所属なし".into())}</dd>
                            <dt>"下位のお客様"</dt><dd>{format!("{}件", c.downline_count)}</dd>
                            <dt>"ログイン情報"</dt>
                            <dd>{if c.has_login { "登録済み" } else { "未登録" }}</dd>
                        </dl>
                        <p class="reset-link">
                            <a href=reset_href data-testid="start-reset">"ログイン情報のリセットを開始する"</a>
                            <span class="hint">"（PINコードはお客様に届きます。職員には表示されません）"</span>
                        </p>
                        <super::staff_customer_details::StaffCustomerDetailsForm customer=c.clone() action=details/>
                        <h2>"ランク・上位店・販売事業部の変更"</h2>
                        <ActionForm action=update attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="code" value=c.customer_code.clone()/>
                            <label for="ed_rank">"ランク"</label>
                            <select id="ed_rank" name="rank">
                                {Rank::ALL
                                    .into_iter()
                                    .filter(|r| *r != Rank::National)
                                    .map(|r| view! { <option value=r.code() selected=r == c.rank>{r.label()}</option> })
                                    .collect_view()}
                            </select>
                            <label class="checkbox">
                                <input type="checkbox" name="can_register" value="true" checked=c.can_register/>
                                "会員登録あり（ウルトラ販社・スーパー販社・販社のみ。画面1になります）"
                            </label>
                            <label for="ed_upline">"上位店のお客様ID（空欄 = 上位店なし）"</label>
                            <input id="ed_upline" name="upline_code" inputmode="numeric" maxlength="16"
                                value=c.upline_code.clone().unwrap_or_default()/>
                            <p class="hint">"上位店を変更すると、このお客様の下位のお客様もまとめて移動します。"</p>
                            <label for="ed_division">"販売事業部"</label>
                            <select id="ed_division" name="division_id">
                                <option value="" selected=current_division.is_none()>"所属なし"</option>
                                {divs
                                    .into_iter()
                                    .map(|d| {
                                        view! {
                                            <option value=d.id.to_string() selected=Some(d.id) == current_division>
                                                {format!("{}（所有者 {}）", d.name, d.owner_code)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            {move || match update.value().get() {
                                Some(Ok(())) => view! { <p class="success" role="status">"変更しました。"</p> }.into_any(),
                                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                                None => ().into_any(),
                            }}
                            <button type="submit" class="primary" disabled=move || update.pending().get()>
                                "変更する"
                            </button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

/// Opens a customer's edit page by お客様ID (the customer search links here too, later).
#[component]
pub fn FindCustomer() -> impl IntoView {
    let find = RwSignal::new(String::new());
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        <form class="form find-customer" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let c: String = find.get_untracked().chars().filter(|c| !c.is_whitespace()).collect();
            if !c.is_empty() {
                navigate(&format!("/staff/customers/{c}"), Default::default());
            }
        }>
            <label for="find_code">"お客様IDでお客様情報を開く"</label>
            <div class="inline">
                <input id="find_code" name="code" inputmode="numeric" maxlength="16" placeholder="10000050" bind:value=find/>
                <button type="submit">"開く"</button>
            </div>
        </form>
    }
}
