//! The logins file: one address per customer becomes a login; several (or a customer already
//! being consolidated) are kept as legacy logins until the customer chooses one.
use super::{not_found, problem, Known, LoginKind, LoginPlan};
use crate::server::entities::{legacy_logins, logins};
use crate::server::import::rows::{LoginRow, COL_CODE, COL_EMAIL};
use crate::server::import::{CsvFile, RowProblem};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect};
use std::collections::{HashMap, HashSet};

pub(super) async fn plan(
    db: &impl ConnectionTrait,
    login_rows: &[LoginRow],
    k: &Known<'_>,
    problems: &mut Vec<RowProblem>,
) -> Result<Vec<LoginPlan>, DbErr> {
    let login = |line, reason| problem(CsvFile::Logins, line, COL_EMAIL, reason);
    let existing: Vec<(i64, String)> = logins::Entity::find()
        .select_only()
        .column(logins::Column::CustomerId)
        .column(logins::Column::Email)
        .into_tuple()
        .all(db)
        .await?;
    let login_of: HashMap<i64, &str> = existing.iter().map(|(c, e)| (*c, e.as_str())).collect();
    let login_owner: HashMap<&str, i64> = existing.iter().map(|(c, e)| (e.as_str(), *c)).collect();
    let legacy = legacy_logins::Entity::find().all(db).await?;
    let mut legacy_of: HashMap<i64, Vec<&legacy_logins::Model>> = HashMap::new();
    let mut legacy_by_email: HashMap<&str, Vec<&legacy_logins::Model>> = HashMap::new();
    for l in &legacy {
        legacy_of.entry(l.customer_id).or_default().push(l);
        legacy_by_email.entry(&l.email).or_default().push(l);
    }

    let mut bad_lines = HashSet::new();
    let mut codes_of_email: HashMap<&str, Vec<&LoginRow>> = HashMap::new();
    for l in login_rows {
        codes_of_email.entry(&l.email).or_default().push(l);
    }
    for l in login_rows {
        if !k.known(&l.code) {
            problems.push(problem(
                CsvFile::Logins,
                l.line,
                COL_CODE,
                not_found(&l.code),
            ));
            bad_lines.insert(l.line);
            continue;
        }
        let own = k.id_of(&l.code);
        let others: Vec<String> = codes_of_email
            .get(l.email.as_str())
            .into_iter()
            .flatten()
            .filter(|o| o.code != l.code)
            .map(|o| format!("お客様ID {}・{}行目", o.code, o.line))
            .collect();
        let taken = login_owner
            .get(l.email.as_str())
            .filter(|o| Some(**o) != own);
        let pending_elsewhere = legacy_by_email
            .get(l.email.as_str())
            .into_iter()
            .flatten()
            .find(|g| g.status != legacy_logins::Status::Retired && Some(g.customer_id) != own);
        let code = |id: &i64| k.code_of_id.get(id).copied().unwrap_or("?");
        let reason = if !others.is_empty() {
            Some(format!(
                "メールアドレス {} は別のお客様の行にもあります（{}）。1つのメールアドレスは1人のお客様にしか使えません",
                l.email,
                others.join("、")
            ))
        } else if let Some(owner) = taken {
            Some(format!(
                "メールアドレス {} はすでに別のお客様（お客様ID {}）のログインです",
                l.email,
                code(owner)
            ))
        } else {
            pending_elsewhere.map(|g| {
                format!(
                    "メールアドレス {} はすでに別のお客様（お客様ID {}）の統合待ちログインです",
                    l.email,
                    code(&g.customer_id)
                )
            })
        };
        if let Some(reason) = reason {
            problems.push(login(l.line, reason));
            bad_lines.insert(l.line);
        }
    }

    // One plan per customer, in order of first appearance; a repeated identical line is
    // harmless and counted once.
    let mut groups: Vec<(&str, Vec<(&str, u64)>)> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for l in login_rows.iter().filter(|l| !bad_lines.contains(&l.line)) {
        let i = *group_of.entry(&l.code).or_insert_with(|| {
            groups.push((&l.code, Vec::new()));
            groups.len() - 1
        });
        let entry = &mut groups[i].1;
        if !entry.iter().any(|(e, _)| *e == l.email) {
            entry.push((&l.email, l.line));
        }
    }
    let mut login_plans = Vec::new();
    for (code, emails) in groups {
        let cid = k.id_of(code);
        let current = cid.and_then(|id| login_of.get(&id).copied());
        let old: &[&legacy_logins::Model] = cid
            .and_then(|id| legacy_of.get(&id))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let kind = if old.is_empty() {
            match (&emails[..], current) {
                ([(email, _)], None) => Some(LoginKind::Single {
                    email: (*email).to_owned(),
                    create: true,
                }),
                ([(email, _)], Some(cur)) if cur == *email => Some(LoginKind::Single {
                    email: (*email).to_owned(),
                    create: false,
                }),
                ([(_, line)], Some(_)) => {
                    problems.push(login(*line, "このお客様のログインはすでに別のメールアドレスです。取り込みでは変更しません（変更はお客様がお問い合わせ画面から行います）".into()));
                    None
                }
                (_, Some(_)) => {
                    problems.push(login(emails[0].1, "このお客様にはすでにログインがあるため、複数のメールアドレスは取り込めません".into()));
                    None
                }
                (_, None) => {
                    let all: Vec<String> = emails.iter().map(|(e, _)| (*e).to_owned()).collect();
                    Some(LoginKind::Legacy {
                        new: all.clone(),
                        unchanged: 0,
                        pending_after: all,
                    })
                }
            }
        } else {
            let new: Vec<(&str, u64)> = emails
                .iter()
                .copied()
                .filter(|(e, _)| !old.iter().any(|o| o.email == *e))
                .collect();
            let still_pending = current.is_none()
                && old
                    .iter()
                    .any(|o| o.status == legacy_logins::Status::Pending);
            if !new.is_empty() && !still_pending {
                problems.push(login(
                    new[0].1,
                    "このお客様のログインは統合済みです。新しいメールアドレスは取り込みません"
                        .into(),
                ));
                None
            } else {
                let mut pending_after: Vec<String> = old
                    .iter()
                    .filter(|o| o.status == legacy_logins::Status::Pending)
                    .map(|o| o.email.clone())
                    .collect();
                pending_after.extend(new.iter().map(|(e, _)| (*e).to_owned()));
                Some(LoginKind::Legacy {
                    new: new.iter().map(|(e, _)| (*e).to_owned()).collect(),
                    unchanged: emails.len() - new.len(),
                    pending_after,
                })
            }
        };
        if let Some(kind) = kind {
            login_plans.push(LoginPlan {
                customer_code: code.to_owned(),
                name: k.name_of(code),
                kind,
            });
        }
    }

    Ok(login_plans)
}
