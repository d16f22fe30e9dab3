//! Hash-chained audit log. Each entry's hash covers the previous entry's hash, so a changed
//! or deleted entry breaks the chain; the head row (count + last hash) catches a cut tail.
//! Entries never contain a password, a PIN or a session token.
use super::entities::audit_log::{self, head};
use super::sha256_hex;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionSession, TransactionTrait,
};

#[derive(Clone, Debug)]
pub struct Entry {
    pub action: &'static str,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub detail: serde_json::Value,
}

impl Entry {
    pub fn new(action: &'static str) -> Self {
        Entry {
            action,
            actor: None,
            subject: None,
            detail: serde_json::Value::Null,
        }
    }
    pub fn actor(mut self, id: i64) -> Self {
        self.actor = Some(id);
        self
    }
    pub fn subject(mut self, id: Option<i64>) -> Self {
        self.subject = id;
        self
    }
    pub fn detail(mut self, v: serde_json::Value) -> Self {
        self.detail = v;
        self
    }
}

fn entry_hash(
    prev: &str,
    at: &DateTime<Utc>,
    action: &str,
    actor: Option<i64>,
    subject: Option<i64>,
    detail: &str,
) -> String {
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let actor = actor.map(|v| v.to_string()).unwrap_or_default();
    let subject = subject.map(|v| v.to_string()).unwrap_or_default();
    sha256_hex(&[
        prev.as_bytes(),
        at.as_bytes(),
        action.as_bytes(),
        actor.as_bytes(),
        subject.as_bytes(),
        detail.as_bytes(),
    ])
}

/// Appends an entry inside `conn`'s transaction (or a new one). The first statement
/// updates the head row, which takes the write lock before anything is read.
pub async fn append<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    e: Entry,
) -> Result<(), DbErr> {
    let txn = conn.begin().await?;
    head::Entity::update_many()
        .col_expr(head::Column::Count, Expr::col(head::Column::Count).add(1))
        .filter(head::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    let h = head::Entity::find_by_id(1)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    // Stored at microsecond precision so the hash can be recomputed from what was stored.
    let at = DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
    let detail = e.detail.to_string();
    let hash = entry_hash(&h.last_hash, &at, e.action, e.actor, e.subject, &detail);
    audit_log::ActiveModel {
        at: Set(at),
        action: Set(e.action.to_owned()),
        actor_customer_id: Set(e.actor),
        subject_customer_id: Set(e.subject),
        detail: Set(detail),
        prev_hash: Set(h.last_hash.clone()),
        hash: Set(hash.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    head::ActiveModel {
        id: Set(1),
        last_hash: Set(hash),
        count: Set(h.count),
    }
    .update(&txn)
    .await?;
    txn.commit().await
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { entries: u64 },
    Broken { at_id: i64, reason: &'static str },
}

/// Recomputes the chain from the first entry.
pub async fn verify(db: &DatabaseConnection) -> Result<Verdict, DbErr> {
    use sea_orm::PaginatorTrait;
    let mut prev = "0".repeat(64);
    let mut n: u64 = 0;
    let mut pages = audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .paginate(db, 1000);
    while let Some(rows) = pages.fetch_and_next().await? {
        for r in rows {
            if r.prev_hash != prev {
                return Ok(Verdict::Broken {
                    at_id: r.id,
                    reason: "前のエントリとつながっていません（削除または挿入）",
                });
            }
            let h = entry_hash(
                &r.prev_hash,
                &r.at,
                &r.action,
                r.actor_customer_id,
                r.subject_customer_id,
                &r.detail,
            );
            if h != r.hash {
                return Ok(Verdict::Broken {
                    at_id: r.id,
                    reason: "内容が書き換えられています",
                });
            }
            prev = r.hash;
            n += 1;
        }
    }
    let h = head::Entity::find_by_id(1).one(db).await?;
    match h {
        Some(h) if h.last_hash == prev && h.count as u64 == n => Ok(Verdict::Intact { entries: n }),
        _ => Ok(Verdict::Broken {
            at_id: -1,
            reason: "末尾のエントリが削除されています",
        }),
    }
}
