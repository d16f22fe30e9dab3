//! The 監査ログ viewer's query: filters checked here, entries newest first by keyset on `id`,
//! details shown with secrets and addresses hidden (entries should hold none; this is the
//! second wall, in case one ever does).
use super::entities::{audit_log, customers};
use crate::domain::time::{jst_midnight, offset};
use crate::error::AppError;
use crate::staff::audit_kinds;
use crate::staff::audit_log::{AuditFilter, AuditParty, AuditRow};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

pub const PAGE: u64 = 50;

/// A checked filter.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub customer_code: Option<String>,
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    pub before: Option<i64>,
}

pub fn parse(f: &AuditFilter) -> Result<Query, AppError> {
    let bad = |m: &str| AppError::InvalidInput(m.into());
    let customer_code = if f.customer.trim().is_empty() {
        None
    } else {
        Some(crate::validation::customer_code(&f.customer)?)
    };
    let kind = match f.kind.trim() {
        "" => None,
        k if audit_kinds::is_code_shaped(k) => Some(k.to_owned()),
        _ => {
            return Err(bad(
                "種類の指定が正しくありません。一覧から選んでください。",
            ))
        }
    };
    let date = |raw: &str, field: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else if raw.chars().count() > 20 {
            Err(bad(&format!(
                "{field}は「年-月-日」の形で入力してください（例: 2026-12-01）。"
            )))
        } else {
            crate::validation::iso_date(raw, field).map(Some)
        }
    };
    let from_day = date(&f.from, "開始日")?;
    let to_day = date(&f.to, "終了日")?;
    if let (Some(a), Some(b)) = (from_day, to_day) {
        if a > b {
            return Err(bad("開始日は終了日より前の日付にしてください。"));
        }
    }
    let before = match f.before {
        Some(b) if b <= 0 => return Err(bad("ページの指定が正しくありません。")),
        b => b,
    };
    Ok(Query {
        customer_code,
        kind,
        from: from_day.map(jst_midnight),
        until: to_day.and_then(|d| d.succ_opt()).map(jst_midnight),
        before,
    })
}

/// One page of entries and the cursor of the next.
pub async fn list(
    db: &DatabaseConnection,
    q: &Query,
) -> Result<(Vec<AuditRow>, Option<i64>), AppError> {
    let mut cond = Condition::all();
    if let Some(code) = &q.customer_code {
        let Some(c) = customers::Entity::find()
            .filter(customers::Column::CustomerCode.eq(code.as_str()))
            .one(db)
            .await?
        else {
            return Ok((Vec::new(), None));
        };
        cond = cond.add(
            Condition::any()
                .add(audit_log::Column::ActorCustomerId.eq(c.id))
                .add(audit_log::Column::SubjectCustomerId.eq(c.id)),
        );
    }
    if let Some(k) = &q.kind {
        cond = cond.add(audit_log::Column::Action.eq(k.as_str()));
    }
    if let Some(t) = q.from {
        cond = cond.add(audit_log::Column::At.gte(t));
    }
    if let Some(t) = q.until {
        cond = cond.add(audit_log::Column::At.lt(t));
    }
    if let Some(b) = q.before {
        cond = cond.add(audit_log::Column::Id.lt(b));
    }
    let mut rows = audit_log::Entity::find()
        .filter(cond)
        .order_by_desc(audit_log::Column::Id)
        .limit(PAGE + 1)
        .all(db)
        .await?;
    let next = if rows.len() as u64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.actor_customer_id, r.subject_customer_id])
        .flatten()
        .collect();
    let parties: HashMap<i64, AuditParty> = if ids.is_empty() {
        HashMap::new()
    } else {
        customers::Entity::find()
            .filter(customers::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| {
                (
                    c.id,
                    AuditParty {
                        customer_code: c.customer_code,
                        name: c.name,
                    },
                )
            })
            .collect()
    };
    let party = |id: Option<i64>| id.and_then(|i| parties.get(&i).cloned());
    let rows = rows
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: r
                .at
                .with_timezone(&offset())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            label: audit_kinds::label(&r.action)
                .map(str::to_owned)
                .unwrap_or_else(|| r.action.clone()),
            actor: party(r.actor_customer_id),
            subject: party(r.subject_customer_id),
            detail: shown_detail(&r.detail),
            kind: r.action,
        })
        .collect();
    Ok((rows, next))
}

/// Shown in place of anything that must not reach a screen.
pub const HIDDEN: &str = "（非表示）";

/// Key fragments whose values are never shown: credentials, keys derived from them, and
/// addresses (staff never see a login e-mail).
const SECRET_KEYS: &[&str] = &[
    "pass",
    "pin",
    "token",
    "secret",
    "hash",
    "key",
    "mail",
    "otp",
    "code_sent",
];

fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    // `pin` as a word part, not inside e.g. `shipping`.
    SECRET_KEYS.iter().any(|s| {
        if *s == "pin" {
            k == "pin" || k.starts_with("pin_") || k.ends_with("_pin") || k.contains("_pin_")
        } else {
            k.contains(s)
        }
    })
}

/// A value that looks like an address or a long opaque token is hidden whatever its key.
fn secret_value(v: &str) -> bool {
    v.contains('@')
        || (v.len() >= 24
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=+/".contains(&b)))
}

fn render(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "はい".into(),
        Value::Bool(false) => "いいえ".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if secret_value(s) => HIDDEN.into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join("、"),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let shown = if secret_key(k) {
                    HIDDEN.into()
                } else {
                    render(v)
                };
                format!("{k}: {shown}")
            })
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// The stored detail JSON as (key, value) pairs for the screen.
pub fn shown_detail(detail: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                let shown = if secret_key(k) {
                    HIDDEN.into()
                } else {
                    render(v)
                };
                (k.clone(), shown)
            })
            .collect(),
        Ok(serde_json::Value::Null) => Vec::new(),
        Ok(other) => vec![("内容".into(), render(&other))],
        Err(_) => vec![("内容".into(), HIDDEN.into())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(customer: &str, kind: &str, from: &str, to: &str) -> AuditFilter {
        AuditFilter {
            customer: customer.into(),
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
            before: None,
        }
    }

    #[test]
    fn filters_are_checked_with_japanese_messages() {
        let q = parse(&filter(
            " １０００００３０ ",
            "login",
            "2026-12-01",
            "2026-12-01",
        ))
        .unwrap();
        assert_eq!(q.customer_code.as_deref(), Some("10000030"));
        assert_eq!(q.kind.as_deref(), Some("login"));
        // One JST day: 2026-11-30T15:00Z .. 2026-12-01T15:00Z.
        assert_eq!(q.from.unwrap().to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(q.until.unwrap().to_rfc3339(), "2026-12-01T15:00:00+00:00");
        for (f, msg) in [
            (filter("1234", "", "", ""), "お客様IDは8桁"),
            (filter(&"9".repeat(5000), "", "", ""), "お客様IDは8桁"),
            (filter("", "x'; drop", "", ""), "種類の指定"),
            (filter("", "", "2026-02-30", ""), "開始日"),
            (filter("", "", "", &"2".repeat(5000)), "終了日"),
            (
                filter("", "", "2026-12-02", "2026-12-01"),
                "開始日は終了日より前",
            ),
        ] {
            match parse(&f) {
                Err(AppError::InvalidInput(m)) => assert!(m.contains(msg), "{m}"),
                other => panic!("{f:?}: {other:?}"),
            }
        }
        let mut f = filter("", "", "", "");
        f.before = Some(0);
        assert!(parse(&f).is_err());
        assert_eq!(parse(&filter("", "", "", "")).unwrap(), Query::default());
    }

    #[test]
    fn secrets_and_addresses_never_show() {
        let d = shown_detail(
            r#"{"password":"x","new_pin":"123456","pin":"1","session_token":"t","account_key":"abc",
                "email":"a@b.jp","to":"someone@example.jp","challenge":7,"channel":"sms",
                "shipping":"送料","nested":{"password_hash":"h","count":2},
                "blob":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
        );
        let get = |k: &str| d.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        for k in [
            "password",
            "new_pin",
            "pin",
            "session_token",
            "account_key",
            "email",
            "to",
            "blob",
        ] {
            assert_eq!(get(k), Some(HIDDEN), "{k}");
        }
        assert_eq!(get("challenge"), Some("7"));
        assert_eq!(get("channel"), Some("sms"));
        assert_eq!(get("shipping"), Some("送料"));
        assert_eq!(get("nested"), Some("count: 2、password_hash: （非表示）"));
        assert!(shown_detail("null").is_empty());
        assert_eq!(
            shown_detail("not json"),
            vec![("内容".into(), HIDDEN.into())]
        );
    }
}
