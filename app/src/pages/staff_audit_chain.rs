use crate::staff::audit_log::AuditVerifyFn;
use crate::staff::ChainStatus;
use leptos::prelude::*;

/// Whether the audit log's hash chain verifies, as the last background check found it.
#[component]
pub fn ChainBox(status: ChainStatus, verify: ServerAction<AuditVerifyFn>) -> impl IntoView {
    let running = status.running();
    let (class, text) = match &status {
        ChainStatus::NotChecked { .. } => (
            "chain-status pending",
            "改ざんの検証はまだ終わっていません。".to_owned(),
        ),
        ChainStatus::Intact {
            entries,
            checked_at,
            ..
        } => (
            "chain-status ok",
            format!("改ざんはありません（{entries}件を検証、{checked_at}）。"),
        ),
        ChainStatus::Broken {
            at_id,
            reason,
            checked_at,
            ..
        } => (
            "chain-status broken",
            match at_id {
                Some(id) => format!(
                    "改ざんを検出しました: 記録番号 {id} — {reason}（{checked_at}に検証）。"
                ),
                None => format!("改ざんを検出しました: {reason}（{checked_at}に検証）。"),
            },
        ),
        ChainStatus::Failed { checked_at, .. } => (
            "chain-status broken",
            format!(
                "検証を完了できませんでした（{checked_at}）。しばらくしてから再度お試しください。"
            ),
        ),
    };
    let err = move || verify.value().get().and_then(|r| r.err());
    view! {
        <section class=format!("card {class}") aria-live="polite" data-testid="chain-status">
            <h2>"ハッシュチェーンの検証"</h2>
            <p data-testid="chain-text">{text}</p>
            {running.then(|| view! { <p class="searching" data-testid="chain-running">"検証中…"</p> })}
            <ActionForm action=verify attr:class="inline-form">
                <button type="submit" class="secondary" disabled=running data-testid="chain-verify">"今すぐ検証する"</button>
            </ActionForm>
            {move || err().map(|e| view! { <crate::shell::error_view::ErrorView error=e/> })}
        </section>
    }
}
