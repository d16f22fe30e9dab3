use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The 監査ログ filter as typed (all optional; dates JST `YYYY-MM-DD`, both inclusive).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// お客様ID of the actor or the subject.
    pub customer: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    /// Show entries older than this id (the next page's cursor).
    pub before: Option<i64>,
}

/// A customer named in an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditParty {
    pub customer_code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// JST, `2026-12-03 14:05:09`.
    pub at: String,
    pub kind: String,
    /// The kind's Japanese label, or the code itself for a kind without one.
    pub label: String,
    pub actor: Option<AuditParty>,
    pub subject: Option<AuditParty>,
    /// The entry's details as (key, value), secrets and addresses already hidden.
    pub detail: Vec<(String, String)>,
}

/// What the last background check of the hash chain found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainStatus {
    /// No check has finished since the server started.
    NotChecked { running: bool },
    Intact {
        entries: u64,
        checked_at: String,
        running: bool,
    },
    Broken {
        at_id: Option<i64>,
        reason: String,
        checked_at: String,
        running: bool,
    },
    /// The check itself failed (database error); it is retried.
    Failed { checked_at: String, running: bool },
}

impl ChainStatus {
    pub fn running(&self) -> bool {
        match self {
            ChainStatus::NotChecked { running }
            | ChainStatus::Intact { running, .. }
            | ChainStatus::Broken { running, .. }
            | ChainStatus::Failed { running, .. } => *running,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// `before` for the next (older) page; `None` on the last page.
    pub next: Option<i64>,
    pub chain: ChainStatus,
}

/// `GET /api/staff/audit`: 監査ログ entries matching the filter, newest first, 50 per page,
/// with the background chain check's result. 全国販社 staff only.
#[server(name = AuditLogFn, prefix = "/api", endpoint = "staff/audit", input = GetUrl)]
pub async fn audit_log(
    customer: String,
    kind: String,
    from: String,
    to: String,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::server::{audit_view, boundary, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    signed_in::staff(
        &st,
        token.as_deref(),
        "forbidden_staff_audit",
        serde_json::Value::Null,
    )
    .await?;
    let query = audit_view::parse(&AuditFilter {
        customer,
        kind,
        from,
        to,
        before,
    })?;
    let (rows, next) = audit_view::list(&st.db, &query).await?;
    Ok(AuditPage {
        rows,
        next,
        chain: st.audit_check.status(),
    })
}

/// `POST /api/staff/audit/verify`: starts a check of the whole chain in the background
/// (at most one runs at a time); the page shows its result when it ends.
#[server(name = AuditVerifyFn, prefix = "/api", endpoint = "staff/audit/verify")]
pub async fn verify_audit_chain() -> Result<ChainStatus, AppError> {
    use crate::server::{boundary, signed_in};
    let st = boundary::state()?;
    let token = boundary::session_token();
    signed_in::staff(
        &st,
        token.as_deref(),
        "forbidden_staff_audit",
        serde_json::Value::Null,
    )
    .await?;
    st.audit_check.start(st.db.clone(), st.clock.clone());
    Ok(st.audit_check.status())
}
