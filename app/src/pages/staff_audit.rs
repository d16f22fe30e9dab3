//! 監査ログ (/staff/audit), 全国販社 staff only: filter by お客様ID, kind and JST dates, newest
//! first, 50 per page; and whether the hash chain verifies (checked in the background).
use crate::shell::error_view::ErrorView;
use crate::staff::audit_kinds;
use crate::staff::{audit_log, AuditFilter, AuditPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let user = expect_context::<crate::model::CurrentUser>();
    if user.rank != crate::model::Rank::National {
        return view! { <crate::shell::refusal::Refusal title="監査ログ（職員）" hint=crate::shell::refusal::STAFF_ONLY/> }.into_any();
    }
    let query = use_query_map();
    // The filter lives in the URL: a plain GET form sets it, links page through it.
    let filter = Memo::new(move |_| {
        query.with(|q| AuditFilter {
            customer: q.get("customer").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            before: q.get("before").and_then(|b| b.parse().ok()),
        })
    });
    let verify = ServerAction::<crate::staff::audit_log::AuditVerifyFn>::new();
    // While a check runs, the page asks again every 2 seconds.
    let tick = RwSignal::new(0u32);
    let entries = Resource::new(
        move || (filter.get(), verify.version().get(), tick.get()),
        |(f, _, _)| audit_log(f.customer, f.kind, f.from, f.to, f.before),
    );
    Effect::new(move |_| {
        let running = entries
            .get()
            .and_then(|r| r.ok())
            .is_some_and(|p| p.chain.running());
        if running {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    let f = filter.get_untracked();
    view! {
        <Title text="監査ログ | 業務代行クラウドシステム"/>
        <h1>"監査ログ（職員）"</h1>
        <p class="hint">
            "ログイン・再設定・お客様の変更・注文などの記録です。新しい順に50件ずつ表示します。"
            "パスワード・PINコード・メールアドレスなどは表示されません。"
        </p>
        <section class="card">
            <form method="get" action="/staff/audit" class="audit-filter" novalidate>
                <div class="field">
                    <label for="audit-customer">"お客様ID"</label>
                    <input id="audit-customer" name="customer" inputmode="numeric" maxlength="16" autocomplete="off" value=f.customer prop:value=move || filter.get().customer/>
                </div>
                <div class="field">
                    <label for="audit-kind">"種類"</label>
                    <select id="audit-kind" name="kind" prop:value=move || filter.get().kind>
                        <option value="" selected=f.kind.is_empty()>"すべて"</option>
                        {audit_kinds::GROUPS
                            .iter()
                            .map(|(group, kinds)| {
                                let chosen = f.kind.clone();
                                view! {
                                    <optgroup label=*group>
                                        {kinds
                                            .iter()
                                            .map(|(code, label)| {
                                                view! { <option value=*code selected=chosen == *code>{*label}</option> }
                                            })
                                            .collect_view()}
                                    </optgroup>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-from">"開始日"</label>
                    <input id="audit-from" name="from" type="text" lang="ja" inputmode="numeric" maxlength="10" placeholder="2026-12-01" value=f.from prop:value=move || filter.get().from/>
                </div>
                <div class="field">
                    <label for="audit-to">"終了日"</label>
                    <input id="audit-to" name="to" type="text" lang="ja" inputmode="numeric" maxlength="10" placeholder="2026-12-31" value=f.to prop:value=move || filter.get().to/>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"絞り込む"</button>
                    <a href="/staff/audit" class="secondary-link">"条件を消す"</a>
                </div>
            </form>
        </section>
        <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(page) => view! { <Entries page=page filter=filter.get_untracked() verify=verify/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Entries(
    page: AuditPage,
    filter: AuditFilter,
    verify: ServerAction<crate::staff::audit_log::AuditVerifyFn>,
) -> impl IntoView {
    let n = page.rows.len();
    let newer = filter.before.is_some();
    let link = move |before: Option<i64>| {
        let mut parts = Vec::new();
        for (k, v) in [
            ("customer", &filter.customer),
            ("kind", &filter.kind),
            ("from", &filter.from),
            ("to", &filter.to),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", urlencoding(v)));
            }
        }
        if let Some(b) = before {
            parts.push(format!("before={b}"));
        }
        if parts.is_empty() {
            "/staff/audit".to_owned()
        } else {
            format!("/staff/audit?{}", parts.join("&"))
        }
    };
    let older = page.next.map(|b| link(Some(b)));
    let latest = link(None);
    let no_pager = !newer && older.is_none();
    view! {
        <super::staff_audit_chain::ChainBox status=page.chain verify=verify/>
        {if n == 0 {
            view! { <p data-testid="audit-status">"条件に合う記録はありません。"</p> }.into_any()
        } else {
            view! {
                <p data-testid="audit-status">{format!("{n}件を表示しています（新しい順）。")}</p>
                <table class="search-results audit-log">
                    <thead>
                        <tr>
                            <th>"日時（日本時間）"</th>
                            <th>"種類"</th>
                            <th>"操作した人"</th>
                            <th>"対象のお客様"</th>
                            <th>"内容"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| view! { <super::staff_audit_row::AuditEntryRow row=r/> }).collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <nav class="pager" aria-label="ページ" hidden=no_pager>
            {newer.then(|| view! { <a href=latest.clone() class="button secondary">"最新の記録へ"</a> })}
            {older.map(|href| view! { <a href=href class="button secondary" data-testid="audit-older">"次の50件（古い記録）"</a> })}
        </nav>
    }
}

/// Query-string encoding for the pager's links (UTF-8, percent-encoded).
fn urlencoding(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
