use crate::documents::{rebate_rates, AddRebateRate};
use crate::model::{CurrentUser, Rank};
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// 全国販社 staff: 還元率 per rank. A new rate applies from a date (today or later); every
/// rate ever set stays listed, so past statements can always be explained.
#[component]
pub fn StaffRebateRatesPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    if user.rank != Rank::National {
        return view! { <crate::shell::refusal::Refusal title="還元率の設定（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let add = ServerAction::<AddRebateRate>::new();
    let page = Resource::new(move || add.version().get(), |_| rebate_rates());
    let result = move || add.value().get();
    view! {
        <Title text="還元率の設定 | 業務代行クラウドシステム"/>
        <h1>"還元率の設定（職員）"</h1>
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let today = p.today.clone();
                        view! {
                            <section class="card">
                                <h2>"新しい還元率を追加"</h2>
                                <p class="hint">
                                    "適用開始日から、そのランクのお客様の還元額計算に使われます。開始日は今日以降です（発行済みの計算書は変わりません）。"
                                    "同じ日付で追加し直すと、後から追加したものが使われます。"
                                </p>
                                <ActionForm action=add attr:class="form rate-form" attr:novalidate=true>
                                    <label for="rank">"ランク"</label>
                                    <select id="rank" name="rank">
                                        {p
                                            .ranks
                                            .iter()
                                            .map(|(code, label)| {
                                                view! { <option value=code.clone()>{label.clone()}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                    <label for="percent">"還元率（%）"</label>
                                    <input id="percent" name="percent" inputmode="decimal" placeholder="5.00" maxlength="8"/>
                                    <label for="effective_from">"適用開始日"</label>
                                    // Text, not type=date: the browser's date picker follows its own language.
                                    <input
                                        id="effective_from"
                                        name="effective_from"
                                        type="text"
                                        inputmode="numeric"
                                        lang="ja"
                                        maxlength="10"
                                        placeholder="YYYY-MM-DD"
                                        aria-describedby="effective_from_hint"
                                        value=today
                                    />
                                    <p class="hint" id="effective_from_hint">"年-月-日の順に、例: 2026-12-01（今日以降）"</p>
                                    {move || {
                                        result()
                                            .map(|r| match r {
                                                Ok(()) => view! { <p class="ok" role="status">"還元率を追加しました。"</p> }.into_any(),
                                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                                            })
                                    }}
                                    <button type="submit" class="primary" disabled=move || add.pending().get()>
                                        "追加する"
                                    </button>
                                </ActionForm>
                            </section>
                            <section class="card">
                                <h2>"還元率の履歴"</h2>
                                <div class="table-scroll">
                                    <table class="rates" data-testid="rebate-rates">
                                        <thead>
                                            <tr>
                                                <th>"ランク"</th>
                                                <th>"還元率"</th>
                                                <th>"適用開始日"</th>
                                                <th>"状態"</th>
                                                <th>"登録日時"</th>
                                                <th>"登録者"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p
                                                .rows
                                                .into_iter()
                                                .map(|r| {
                                                    let state = match r.state.as_str() {
                                                        "current" => "適用中",
                                                        "scheduled" => "予定",
                                                        _ => "過去",
                                                    };
                                                    view! {
                                                        <tr class=format!("rate-{}", r.state)>
                                                            <td data-label="ランク">{r.rank_label}</td>
                                                            <td class="num" data-label="還元率">{r.percent}</td>
                                                            <td data-label="適用開始日">{r.effective_from}</td>
                                                            <td data-label="状態">{state}</td>
                                                            <td data-label="登録日時">{r.created_at}</td>
                                                            <td data-label="登録者">{r.created_by.unwrap_or_else(|| "初期設定".into())}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
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
