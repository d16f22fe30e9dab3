use crate::staff::audit_log::{AuditParty, AuditRow};
use leptos::prelude::*;

fn party(p: Option<AuditParty>) -> impl IntoView {
    match p {
        Some(p) => {
            let href = format!("/staff/customers/{}", p.customer_code);
            view! { <a href=href>{p.customer_code}</a>" "<span class="party-name">{p.name}</span> }
                .into_any()
        }
        None => view! { "—" }.into_any(),
    }
}

/// One 監査ログ entry: a table row on a PC, a labelled card on a phone.
#[component]
pub fn AuditEntryRow(row: AuditRow) -> impl IntoView {
    let kind_title = row.kind.clone();
    view! {
        <tr data-testid="audit-entry" data-kind=row.kind.clone() data-id=row.id.to_string()>
            <td data-label="日時" class="code">{row.at}</td>
            <td data-label="種類" title=kind_title>{row.label}</td>
            <td data-label="操作した人">{party(row.actor)}</td>
            <td data-label="対象">{party(row.subject)}</td>
            <td data-label="内容" class="audit-detail">
                {if row.detail.is_empty() {
                    view! { "—" }.into_any()
                } else {
                    view! {
                        <dl>
                            {row
                                .detail
                                .into_iter()
                                .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                                .collect_view()}
                        </dl>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}
