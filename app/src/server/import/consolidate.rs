//! One login per customer (R2): staff keep one of a customer's imported logins; the others
//! are retired, and every affected address is told by mail, so nobody loses access silently.
use crate::model::Rank;
use crate::server::audit;
use crate::server::entities::{customers, legacy_logins, logins};
use crate::server::messages::{Mail, SENDER_NAME};
use crate::server::queue::{self, NewMessage};
use crate::validation;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ConsolidateError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("お客様ID {0} のお客様はいません。")]
    UnknownCustomer(String),
    #[error("お客様ID {0} には統合待ちのログインがありません。")]
    NoPending(String),
    #[error("{email} はお客様ID {customer_code} の統合待ちのメールアドレスではありません（候補: {}）。", .candidates.join(", "))]
    NotPending {
        customer_code: String,
        email: String,
        candidates: Vec<String>,
    },
    #[error("お客様ID {0} にはすでにログインがあります。")]
    AlreadyHasLogin(String),
    #[error("{0} はすでに別のお客様のログインです。")]
    EmailTaken(String),
    #[error("データベースエラー: {0}")]
    Db(#[from] DbErr),
}

/// A customer whose imported logins wait for consolidation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingConsolidation {
    pub customer_code: String,
    pub name: String,
    pub rank: Option<Rank>,
    pub emails: Vec<String>,
    pub imported_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consolidation {
    pub customer_code: String,
    pub kept: String,
    pub retired: Vec<String>,
    pub messages_queued: usize,
}

/// Customers with pending legacy logins, by お客様ID.
pub async fn pending_consolidations(
    db: &DatabaseConnection,
) -> Result<Vec<PendingConsolidation>, DbErr> {
    let rows = legacy_logins::Entity::find()
        .filter(legacy_logins::Column::Status.eq(legacy_logins::Status::Pending))
        .order_by_asc(legacy_logins::Column::Id)
        .all(db)
        .await?;
    let mut by_customer: BTreeMap<i64, Vec<legacy_logins::Model>> = BTreeMap::new();
    for r in rows {
        by_customer.entry(r.customer_id).or_default().push(r);
    }
    let customers = customers::Entity::find()
        .filter(customers::Column::Id.is_in(by_customer.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let mut out: Vec<PendingConsolidation> = customers
        .into_iter()
        .filter_map(|c| {
            let rows = by_customer.get(&c.id)?;
            Some(PendingConsolidation {
                rank: Some(c.rank),
                customer_code: c.customer_code,
                name: c.name,
                emails: rows.iter().map(|r| r.email.clone()).collect(),
                imported_at: rows.iter().map(|r| r.imported_at).min()?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.customer_code.cmp(&b.customer_code));
    Ok(out)
}

fn mail_intro(customer_code: &str, name: &str) -> String {
    format!(
        "お客様ID {customer_code}（{name}）様\n\
         \n\
         業務代行クラウドシステムでは、情報漏洩防止のため、お客様ごとのログイン情報\
         （メールアドレスおよびパスワード）を1つにまとめました。\n\
         \n"
    )
}

/// To the address that stays. The old password is not carried over: the customer sets a
/// new one through お問い合わせ, and nobody else ever learns it.
pub fn kept_mail(customer_code: &str, name: &str) -> Mail {
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報を1つにまとめました"),
        body: format!(
            "{intro}\
             このメールアドレスがログイン情報として残りました。パスワードはお問い合わせ画面から設定してください。\n\
             （以前のパスワードは使えません。お問い合わせ画面でお客様IDを入力し、PINコードによる本人確認のうえ\
             新しいパスワードを設定してください。他社サービスで利用しているパスワードは使いまわさないでください。）\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n",
            intro = mail_intro(customer_code, name)
        ),
    }
}

/// To each address that is no longer a login. It does not say which address stayed: the
/// holder may be a former employee.
pub fn retired_mail(customer_code: &str, name: &str) -> Mail {
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報から削除されました"),
        body: format!(
            "{intro}\
             このメールアドレスはログイン情報から削除されました。今後、このメールアドレスではログインできません。\n\
             ログインに使うメールアドレスは、お客様の代表の方にご確認ください。\
             お心当たりがない場合は、上位店へご連絡ください。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n",
            intro = mail_intro(customer_code, name)
        ),
    }
}

/// Keeps `keep_email` as the customer's one login (no password, unverified), retires the
/// other pending addresses, queues a mail to every one of them and writes
/// `logins_consolidated` to the audit log, all in one transaction.
pub async fn consolidate(
    db: &DatabaseConnection,
    key: &crate::server::seal::SealKey,
    customer_code: &str,
    keep_email: &str,
    now: DateTime<Utc>,
) -> Result<Consolidation, ConsolidateError> {
    let code = validation::customer_code(customer_code)
        .map_err(|e| ConsolidateError::InvalidInput(e.to_string()))?;
    let keep = validation::login_email(keep_email)
        .map_err(|e| ConsolidateError::InvalidInput(e.to_string()))?;
    let txn = db.begin().await?;
    let customer = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&txn)
        .await?
        .ok_or_else(|| ConsolidateError::UnknownCustomer(code.clone()))?;
    let pending = legacy_logins::Entity::find()
        .filter(legacy_logins::Column::CustomerId.eq(customer.id))
        .filter(legacy_logins::Column::Status.eq(legacy_logins::Status::Pending))
        .order_by_asc(legacy_logins::Column::Id)
        .all(&txn)
        .await?;
    if pending.is_empty() {
        return Err(ConsolidateError::NoPending(code));
    }
    let Some(kept) = pending.iter().find(|l| l.email == keep) else {
        return Err(ConsolidateError::NotPending {
            customer_code: code,
            email: keep,
            candidates: pending.into_iter().map(|l| l.email).collect(),
        });
    };
    let existing = logins::Entity::find()
        .filter(
            logins::Column::CustomerId
                .eq(customer.id)
                .or(logins::Column::Email.eq(&keep)),
        )
        .all(&txn)
        .await?;
    if existing.iter().any(|l| l.customer_id == customer.id) {
        return Err(ConsolidateError::AlreadyHasLogin(code));
    }
    if !existing.is_empty() {
        return Err(ConsolidateError::EmailTaken(keep));
    }

    let login = logins::ActiveModel {
        customer_id: Set(customer.id),
        email: Set(keep.clone()),
        password_hash: Set(None),
        email_verified_at: Set(None),
        password_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Only rows still pending change: a concurrent consolidation of the same customer
    // fails on the unique customer_id of `logins` above and rolls back.
    for (status, filter) in [
        (
            legacy_logins::Status::Kept,
            legacy_logins::Column::Id.eq(kept.id),
        ),
        (
            legacy_logins::Status::Retired,
            legacy_logins::Column::Id.ne(kept.id),
        ),
    ] {
        legacy_logins::Entity::update_many()
            .col_expr(legacy_logins::Column::Status, Expr::value(status))
            .col_expr(legacy_logins::Column::ResolvedAt, Expr::value(now))
            .filter(legacy_logins::Column::CustomerId.eq(customer.id))
            .filter(legacy_logins::Column::Status.eq(legacy_logins::Status::Pending))
            .filter(filter)
            .exec(&txn)
            .await?;
    }
    let retired: Vec<&legacy_logins::Model> = pending.iter().filter(|l| l.id != kept.id).collect();
    let mut messages = vec![(kept.email.clone(), kept_mail(&code, &customer.name))];
    messages.extend(
        retired
            .iter()
            .map(|l| (l.email.clone(), retired_mail(&code, &customer.name))),
    );
    for (recipient, mail) in &messages {
        queue::enqueue(
            &txn,
            key,
            NewMessage {
                channel: crate::model::ResetChannel::Mail,
                recipient: recipient.clone(),
                subject: mail.subject.clone(),
                body: mail.body.clone(),
                challenge_id: None,
            },
            now,
        )
        .await?;
    }
    // Row ids rather than addresses: the audit log keeps no e-mail addresses.
    audit::append(
        &txn,
        now,
        audit::Entry::new("logins_consolidated")
            .subject(Some(customer.id))
            .detail(json!({
                "login_id": login.id,
                "kept_legacy_id": kept.id,
                "retired_legacy_ids": retired.iter().map(|l| l.id).collect::<Vec<_>>(),
                "mails": messages.len(),
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(Consolidation {
        customer_code: code,
        kept: keep,
        retired: retired.iter().map(|l| l.email.clone()).collect(),
        messages_queued: messages.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_say_what_happened_without_naming_the_kept_address() {
        let k = kept_mail("20000003", "株式会社ふたつ");
        assert!(k.body.contains("このメールアドレスがログイン情報として残りました。パスワードはお問い合わせ画面から設定してください"));
        assert!(k.body.contains("お客様ID 20000003（株式会社ふたつ）様"));
        assert!(k.subject.contains(SENDER_NAME));
        let r = retired_mail("20000003", "株式会社ふたつ");
        assert!(r
            .body
            .contains("このメールアドレスはログイン情報から削除されました"));
        assert!(!r.body.contains('@'));
    }
}
