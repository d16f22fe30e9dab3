use crate::documents::{rebate_close_page, CloseRebateMonth, ReissueRebateStatement};
use crate::domain::yen;
use crate::model::{CurrentUser, Rank};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// 全国販社 staff: 締め of an ended JST month (once; its statements are then fixed) and the
/// 再発行 of one customer's statement of a closed month (a new version with a reason).
#[component]
pub fn StaffRebateClosePage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="還元額の締め（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let close = ServerAction::<CloseRebateMonth>::new();
    let reissue = ServerAction::<ReissueRebateStatement>::new();
    let page = Resource::new(
        move || (close.version().get(), reissue.version().get()),
        |_| rebate_close_page(),
    );
    let outcome = |r: Option<Result<String, crate::error::AppError>>| {
        r.map(|r| match r {
            Ok(m) => view! { <p class="ok" role="status">{m}</p> }.into_any(),
            Err(e) => view! { <ErrorView error=e/> }.into_any(),
        })
    };
    view! {
        <Title text="還元額の締め | 業務代行クラウドシステム"/>
        <h1>"還元額の締め（職員）"</h1>
        <p class="hint">
            "締めると、その月（日本時間）の還元額計算書が確定し保存されます。後から注文・返品・還元率が変わっても、確定した計算書は変わりません。"
            "訂正が必要なときは、お客様ごとに理由を添えて再発行します（第2版、第3版…。前の版も残ります）。"
        </p>
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let open: Vec<(String, String)> = p
                            .months
                            .iter()
                            .filter(|m| m.closed_at.is_none())
                            .map(|m| (m.code.clone(), m.label.clone()))
                            .collect();
                        let closed: Vec<(String, String)> = p
                            .months
                            .iter()
                            .filter(|m| m.closed_at.is_some())
                            .map(|m| (m.code.clone(), m.label.clone()))
                            .collect();
                        view! {
                            <section class="card">
                                <h2>"月を締める"</h2>
                                <ActionForm action=close attr:class="form close-form" attr:novalidate=true>
                                    <label for="close_month">"締める月"</label>
                                    <select id="close_month" name="month">
                                        {open
                                            .into_iter()
                                            .map(|(c, l)| view! { <option value=c>{l}</option> })
                                            .collect_view()}
                                    </select>
                                    {move || outcome(close.value().get())}
                                    <button type="submit" class="primary" disabled=move || close.pending().get()>
                                        "締める"
                                    </button>
                                </ActionForm>
                            </section>
                            <section class="card">
                                <h2>"計算書の再発行"</h2>
                                <ActionForm action=reissue attr:class="form reissue-form" attr:novalidate=true>
                                    <label for="reissue_month">"月（締め済み）"</label>
                                    <select id="reissue_month" name="month">
                                        {closed
                                            .into_iter()
                                            .map(|(c, l)| view! { <option value=c>{l}</option> })
                                            .collect_view()}
                                    </select>
                                    <label for="reissue_customer">"お客様ID"</label>
                                    <input id="reissue_customer" name="customer" inputmode="numeric" maxlength="16"/>
                                    <label for="reissue_reason">"再発行の理由（必須）"</label>
                                    <input id="reissue_reason" name="reason" maxlength="200"/>
                                    {move || outcome(reissue.value().get())}
                                    <button type="submit" class="primary" disabled=move || reissue.pending().get()>
                                        "再発行する"
                                    </button>
                                </ActionForm>
                            </section>
                            <section class="card">
                                <h2>"締めの状況"</h2>
                                <ul class="close-months" data-testid="close-months">
                                    {p
                                        .months
                                        .into_iter()
                                        .map(|m| {
                                            let state = match &m.closed_at {
                                                Some(at) => format!("締め済み（{at}）・計算書 {}件・{}・再発行 {}件", m.statements, yen(m.amount_yen), m.reissues),
                                                None => "未締め".to_owned(),
                                            };
                                            view! {
                                                <li class="close-month" data-month=m.code.clone() class:closed=m.closed_at.is_some()>
                                                    <span class="month">{m.label}</span>
                                                    <span class="state">{state}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}
