//! The checks that need other rows or the database, and what the import writes. Planning
//! only reads, so a dry run and a file with bad rows go through exactly the same checks.
use super::csv_file::Table;
use super::rows::{
    self, CustomerRow, LoginRow, COL_ADDRESS, COL_CAN_REGISTER, COL_CODE, COL_DIVISION,
    COL_DIVISION_OWNER, COL_EMAIL, COL_KANA, COL_NAME, COL_PHONE, COL_POSTAL, COL_RANK, COL_ROW,
    COL_UPLINE,
};
use super::{Counts, CsvFile, NeedsConsolidation, RowProblem, UpdatedCustomer};
use crate::domain::rank::{hansha_or_above, screen_for};
use crate::model::Rank;
use crate::server::entities::{customers, legacy_logins, logins, sales_divisions};
use crate::server::{customer_keys, network, phone};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, NotSet, QuerySelect, Set};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Not a file column: the screen follows from ランク and 会員登録 and is reported when an
/// existing customer's stored screen disagrees with them.
const COL_SCREEN: &str = "画面";

/// The rows that passed the single-row checks, and the problems of the others.
#[derive(Debug, Default)]
pub struct Parsed {
    customers: Vec<CustomerRow>,
    /// Every お客様ID of the customers file whose cell is valid, with its first line.
    file_codes: HashMap<String, u64>,
    logins: Vec<LoginRow>,
    problems: Vec<RowProblem>,
}

fn problem(file: CsvFile, line: u64, column: &'static str, reason: String) -> RowProblem {
    RowProblem {
        file,
        line,
        column,
        reason,
    }
}

fn width_problem(t: &Table, r: &super::csv_file::Record) -> Option<RowProblem> {
    (r.cells.len() != t.headers.len()).then(|| {
        problem(
            t.file,
            r.line,
            COL_ROW,
            format!(
                "列の数が見出し行と違います（{}列、見出し行は{}列）。コンマを含むセルは \"…\" で囲んでください",
                r.cells.len(),
                t.headers.len()
            ),
        )
    })
}

impl Parsed {
    pub fn new(customers: &Table, logins: &Table) -> Parsed {
        let mut p = Parsed::default();
        for r in &customers.records {
            let cell = |c| customers.cell(r, c);
            // A shifted row is not parsed further: its cells are in the wrong columns. Its
            // お客様ID (first column, before any stray comma) still counts as present.
            if let Some(w) = width_problem(customers, r) {
                p.problems.push(w);
                if let Ok(code) = rows::code(cell(COL_CODE)) {
                    p.file_codes.entry(code).or_insert(r.line);
                }
                continue;
            }
            let (code, row) = rows::customer_row(r.line, cell);
            if let Some(code) = code {
                if let Some(first) = p.file_codes.get(&code) {
                    p.problems.push(problem(
                        CsvFile::Customers,
                        r.line,
                        COL_CODE,
                        format!("お客様ID {code} が{first}行目と重複しています"),
                    ));
                    continue;
                }
                p.file_codes.insert(code, r.line);
            }
            match row {
                Ok(row) => p.customers.push(row),
                Err(mut e) => p.problems.append(&mut e),
            }
        }
        for r in &logins.records {
            if let Some(w) = width_problem(logins, r) {
                p.problems.push(w);
                continue;
            }
            match rows::login_row(r.line, |c| logins.cell(r, c)) {
                Ok(row) => p.logins.push(row),
                Err(mut e) => p.problems.append(&mut e),
            }
        }
        p
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    Update(Vec<&'static str>),
    Unchanged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum DivisionRef {
    None,
    Existing(i64),
    New(String),
}

#[derive(Clone, Debug)]
pub struct CustomerPlan {
    row: CustomerRow,
    change: Change,
    /// The phone to store: the existing text when it is the same number, so a re-import
    /// does not respell an unchanged number (e.g. an old "0355550100" as "03-5555-0100").
    phone: Option<String>,
    division: DivisionRef,
}

#[derive(Clone, Debug)]
pub struct NewDivision {
    pub name: String,
    owner_code: String,
}

#[derive(Clone, Debug)]
enum LoginKind {
    /// Exactly one address: a `logins` row (`create` false when it is already there).
    Single { email: String, create: bool },
    /// Several addresses, or a customer already on the consolidation path.
    Legacy {
        new: Vec<String>,
        unchanged: usize,
        pending_after: Vec<String>,
    },
}

#[derive(Clone, Debug)]
struct LoginPlan {
    customer_code: String,
    name: String,
    kind: LoginKind,
}

#[derive(Debug)]
pub struct Plan {
    pub problems: Vec<RowProblem>,
    customers: Vec<CustomerPlan>,
    pub new_divisions: Vec<NewDivision>,
    logins: Vec<LoginPlan>,
    /// お客様ID → id of every customer already in the database.
    db_ids: HashMap<String, i64>,
}

impl Plan {
    pub fn customer_counts(&self) -> Counts {
        let mut c = Counts::default();
        for p in &self.customers {
            match p.change {
                Change::Create => c.created += 1,
                Change::Update(_) => c.updated += 1,
                Change::Unchanged => c.unchanged += 1,
            }
        }
        c
    }

    pub fn updated_customers(&self) -> Vec<UpdatedCustomer> {
        self.customers
            .iter()
            .filter_map(|p| match &p.change {
                Change::Update(cols) => Some(UpdatedCustomer {
                    customer_code: p.row.code.clone(),
                    columns: cols.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    pub fn login_counts(&self) -> Counts {
        let mut c = Counts::default();
        for l in &self.logins {
            match l.kind {
                LoginKind::Single { create: true, .. } => c.created += 1,
                LoginKind::Single { create: false, .. } => c.unchanged += 1,
                LoginKind::Legacy { .. } => {}
            }
        }
        c
    }

    pub fn legacy_counts(&self) -> Counts {
        let mut c = Counts::default();
        for l in &self.logins {
            if let LoginKind::Legacy { new, unchanged, .. } = &l.kind {
                c.created += new.len();
                c.unchanged += unchanged;
            }
        }
        c
    }

    pub fn needs_consolidation(&self) -> Vec<NeedsConsolidation> {
        self.logins
            .iter()
            .filter_map(|l| match &l.kind {
                LoginKind::Legacy { pending_after, .. } if !pending_after.is_empty() => {
                    Some(NeedsConsolidation {
                        customer_code: l.customer_code.clone(),
                        name: l.name.clone(),
                        emails: pending_after.clone(),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

fn not_found(code: &str) -> String {
    format!("お客様ID {code} はお客様ファイルにもデータベースにもありません")
}

/// Checks everything against the other rows and the database, and decides what to write.
pub async fn plan(db: &impl ConnectionTrait, parsed: Parsed) -> Result<Plan, DbErr> {
    let Parsed {
        customers: rows,
        file_codes,
        logins: login_rows,
        mut problems,
    } = parsed;
    let db_customers = customers::Entity::find().all(db).await?;
    let by_code: HashMap<&str, &customers::Model> = db_customers
        .iter()
        .map(|m| (m.customer_code.as_str(), m))
        .collect();
    let code_of_id: HashMap<i64, &str> = db_customers
        .iter()
        .map(|m| (m.id, m.customer_code.as_str()))
        .collect();
    let file_rows: HashMap<&str, &CustomerRow> =
        rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let known = |c: &str| file_codes.contains_key(c) || by_code.contains_key(c);
    let rank_of = |c: &str| {
        file_rows
            .get(c)
            .map(|r| r.rank)
            .or_else(|| by_code.get(c).and_then(|m| Rank::from_code(&m.rank)))
    };
    let name_of = |c: &str| {
        file_rows
            .get(c)
            .map(|r| r.name.clone())
            .or_else(|| by_code.get(c).map(|m| m.name.clone()))
            .unwrap_or_default()
    };
    let cust = |line, column, reason| problem(CsvFile::Customers, line, column, reason);

    // Uplines: present, and no chain that leads back to the customer itself.
    for r in &rows {
        if let Some(u) = &r.upline {
            if !known(u) {
                problems.push(cust(r.line, COL_UPLINE, not_found(u)));
            }
        }
    }
    let mut up: HashMap<&str, &str> = db_customers
        .iter()
        .filter_map(|m| {
            let u = code_of_id.get(&m.upline_id?)?;
            Some((m.customer_code.as_str(), *u))
        })
        .collect();
    for r in &rows {
        match &r.upline {
            Some(u) => up.insert(&r.code, u),
            None => up.remove(r.code.as_str()),
        };
    }
    for r in &rows {
        let mut seen = HashSet::new();
        let mut cur = r.code.as_str();
        while let Some(&next) = up.get(cur) {
            if next == r.code {
                problems.push(cust(
                    r.line,
                    COL_UPLINE,
                    "上位店をたどると、このお客様自身に戻ります".into(),
                ));
                break;
            }
            if !seen.insert(next) {
                break; // a loop further up: reported on the rows that form it
            }
            cur = next;
        }
    }

    // Divisions, by name in order of first appearance.
    let mut groups: Vec<(&str, Vec<&CustomerRow>)> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        if let Some(d) = &r.division {
            let i = *group_of.entry(d).or_insert_with(|| {
                groups.push((d, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(r);
        }
    }
    let db_divisions = sales_divisions::Entity::find().all(db).await?;
    let mut divisions_named: HashMap<&str, Vec<&sales_divisions::Model>> = HashMap::new();
    for d in &db_divisions {
        divisions_named.entry(&d.name).or_default().push(d);
    }
    let mut division_refs: HashMap<&str, DivisionRef> = HashMap::new();
    let mut new_divisions = Vec::new();
    for (name, members) in &groups {
        let first = members[0].line;
        let named: Vec<(&str, u64)> = members
            .iter()
            .filter_map(|m| Some((m.division_owner.as_deref()?, m.line)))
            .collect();
        let in_db: &[&sales_divisions::Model] =
            divisions_named.get(name).map(Vec::as_slice).unwrap_or(&[]);
        if in_db.len() > 1 {
            problems.push(cust(
                first,
                COL_DIVISION,
                format!(
                    "販売事業部「{name}」がデータベースに{}件あり、どれか決められません",
                    in_db.len()
                ),
            ));
            continue;
        }
        if let Some(d) = in_db.first() {
            // An existing division keeps its owner; the import never moves it.
            let owner = code_of_id.get(&d.owner_customer_id).copied().unwrap_or("");
            for (o, line) in &named {
                if *o != owner {
                    problems.push(cust(
                        *line,
                        COL_DIVISION_OWNER,
                        format!("販売事業部「{name}」のオーナーはお客様ID {owner} です（取り込みでは変更しません）"),
                    ));
                }
            }
            division_refs.insert(name, DivisionRef::Existing(d.id));
            continue;
        }
        let distinct: BTreeSet<&str> = named.iter().map(|(o, _)| *o).collect();
        let owner = match distinct.len() {
            0 => {
                let candidates: Vec<&str> = members
                    .iter()
                    .filter(|m| hansha_or_above(m.rank))
                    .map(|m| m.code.as_str())
                    .collect();
                if let [only] = candidates[..] {
                    Some(only)
                } else {
                    let why = if candidates.is_empty() {
                        "所属するお客様に販社以上の方がいません".to_string()
                    } else {
                        format!(
                            "所属する販社以上のお客様が{}人います: {}",
                            candidates.len(),
                            candidates.join("、")
                        )
                    };
                    problems.push(cust(
                        first,
                        COL_DIVISION,
                        format!("新しい販売事業部「{name}」のオーナーを決められません（{why}）。{COL_DIVISION_OWNER}列で指定してください"),
                    ));
                    None
                }
            }
            1 => {
                let (o, line) = named[0];
                match rank_of(o) {
                    None => {
                        // A known owner without a rank is a bad row, reported already.
                        if !known(o) {
                            problems.push(cust(line, COL_DIVISION_OWNER, not_found(o)));
                        }
                        None
                    }
                    Some(rank) if !hansha_or_above(rank) => {
                        problems.push(cust(
                            line,
                            COL_DIVISION_OWNER,
                            format!("販売事業部のオーナーは販社以上のお客様にしてください（お客様ID {o} は{}）", rank.label()),
                        ));
                        None
                    }
                    Some(_) => Some(o),
                }
            }
            _ => {
                let all: Vec<&str> = distinct.iter().copied().collect();
                for (_, line) in &named {
                    problems.push(cust(
                        *line,
                        COL_DIVISION_OWNER,
                        format!(
                            "販売事業部「{name}」のオーナーが行によって違います（{}）",
                            all.join("、")
                        ),
                    ));
                }
                None
            }
        };
        if let Some(o) = owner {
            new_divisions.push(NewDivision {
                name: (*name).to_owned(),
                owner_code: o.to_owned(),
            });
            division_refs.insert(name, DivisionRef::New((*name).to_owned()));
        }
    }

    // Customers: new, changed or the same.
    let mut customer_plans = Vec::new();
    for r in &rows {
        let division = r
            .division
            .as_deref()
            .and_then(|d| division_refs.get(d).cloned())
            .unwrap_or(DivisionRef::None);
        let screen = screen_for(r.rank, r.can_register).code();
        let (change, phone) = match by_code.get(r.code.as_str()) {
            None => (Change::Create, r.phone.clone()),
            Some(m) => {
                let same_phone = match (&m.phone, &r.phone) {
                    (None, None) => true,
                    // One number however it is spelt: rows stored before the rules were
                    // shared hold the national form ("0312345678"), newer ones the hyphens.
                    (Some(old), Some(new)) => {
                        old == new
                            || phone::national(old).is_some_and(|o| phone::national(new) == Some(o))
                    }
                    _ => false,
                };
                let same_division = match &division {
                    DivisionRef::None => m.division_id.is_none(),
                    DivisionRef::Existing(id) => m.division_id == Some(*id),
                    DivisionRef::New(_) => false,
                };
                let old_upline = m.upline_id.and_then(|id| code_of_id.get(&id).copied());
                let cols: Vec<&'static str> = [
                    (COL_NAME, m.name == r.name),
                    (COL_KANA, m.kana == r.kana),
                    (COL_PHONE, same_phone),
                    (COL_RANK, m.rank == r.rank.code()),
                    (COL_UPLINE, old_upline == r.upline.as_deref()),
                    (COL_DIVISION, same_division),
                    (COL_CAN_REGISTER, m.can_register == r.can_register),
                    (COL_POSTAL, m.postal_code == r.postal_code),
                    (COL_ADDRESS, m.address == r.address),
                    (COL_SCREEN, m.screen_variant == screen),
                ]
                .into_iter()
                .filter(|(_, same)| !same)
                .map(|(c, _)| c)
                .collect();
                let phone = if same_phone {
                    m.phone.clone()
                } else {
                    r.phone.clone()
                };
                if cols.is_empty() {
                    (Change::Unchanged, phone)
                } else {
                    (Change::Update(cols), phone)
                }
            }
        };
        customer_plans.push(CustomerPlan {
            row: r.clone(),
            change,
            phone,
            division,
        });
    }

    // Logins.
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
    let id_of = |code: &str| by_code.get(code).map(|m| m.id);

    let mut bad_lines = HashSet::new();
    let mut codes_of_email: HashMap<&str, Vec<&LoginRow>> = HashMap::new();
    for l in &login_rows {
        codes_of_email.entry(&l.email).or_default().push(l);
    }
    for l in &login_rows {
        if !known(&l.code) {
            problems.push(problem(
                CsvFile::Logins,
                l.line,
                COL_CODE,
                not_found(&l.code),
            ));
            bad_lines.insert(l.line);
            continue;
        }
        let own = id_of(&l.code);
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
        let code = |id: &i64| code_of_id.get(id).copied().unwrap_or("?");
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
        let cid = id_of(code);
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
                name: name_of(code),
                kind,
            });
        }
    }

    problems.sort_by_key(|p| (p.file, p.line));
    problems.dedup();
    Ok(Plan {
        problems,
        customers: customer_plans,
        new_divisions,
        logins: login_plans,
        db_ids: db_customers
            .iter()
            .map(|m| (m.customer_code.clone(), m.id))
            .collect(),
    })
}

/// Writes a clean plan. New customers are inserted first without upline and division, so
/// that any order of rows in the file works; then divisions, then every changed customer.
pub async fn apply(
    db: &impl ConnectionTrait,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut ids = plan.db_ids.clone();
    for p in plan.customers.iter().filter(|p| p.change == Change::Create) {
        let r = &p.row;
        let m = customers::ActiveModel {
            customer_code: Set(r.code.clone()),
            name: Set(r.name.clone()),
            kana: Set(r.kana.clone()),
            phone: Set(p.phone.clone()),
            rank: Set(r.rank.code().into()),
            upline_id: Set(None),
            division_id: Set(None),
            can_register: Set(r.can_register),
            screen_variant: Set(screen_for(r.rank, r.can_register).code().into()),
            postal_code: Set(r.postal_code.clone()),
            address: Set(r.address.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ids.insert(r.code.clone(), m.id);
    }
    let id_of = |code: &str| {
        ids.get(code)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("import: no id for お客様ID {code}")))
    };
    let mut division_ids = HashMap::new();
    for d in &plan.new_divisions {
        let m = sales_divisions::ActiveModel {
            name: Set(d.name.clone()),
            owner_customer_id: Set(id_of(&d.owner_code)?),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        division_ids.insert(d.name.as_str(), m.id);
    }
    for p in plan
        .customers
        .iter()
        .filter(|p| p.change != Change::Unchanged)
    {
        let r = &p.row;
        let division_id = match &p.division {
            DivisionRef::None => None,
            DivisionRef::Existing(id) => Some(*id),
            DivisionRef::New(name) => Some(
                division_ids
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| DbErr::Custom(format!("import: no id for division {name}")))?,
            ),
        };
        customers::ActiveModel {
            id: Set(id_of(&r.code)?),
            customer_code: NotSet,
            name: Set(r.name.clone()),
            kana: Set(r.kana.clone()),
            phone: Set(p.phone.clone()),
            rank: Set(r.rank.code().into()),
            upline_id: Set(r.upline.as_deref().map(id_of).transpose()?),
            division_id: Set(division_id),
            can_register: Set(r.can_register),
            screen_variant: Set(screen_for(r.rank, r.can_register).code().into()),
            postal_code: Set(r.postal_code.clone()),
            address: Set(r.address.clone()),
            created_at: NotSet,
            updated_at: Set(now),
            path: NotSet,
            downline_count: NotSet,
        }
        .update(db)
        .await?;
        customer_keys::refresh(db, id_of(&r.code)?).await?;
    }
    if plan.customers.iter().any(|p| p.change != Change::Unchanged) {
        network::rebuild_paths(db).await?;
    }
    for l in &plan.logins {
        let customer_id = id_of(&l.customer_code)?;
        match &l.kind {
            LoginKind::Single {
                email,
                create: true,
            } => {
                // No password and an unverified address: the customer sets both through
                // the reset flow; nobody else ever knows the password.
                logins::ActiveModel {
                    customer_id: Set(customer_id),
                    email: Set(email.clone()),
                    password_hash: Set(None),
                    email_verified_at: Set(None),
                    password_changed_at: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
            LoginKind::Single { create: false, .. } => {}
            LoginKind::Legacy { new, .. } => {
                for email in new {
                    legacy_logins::ActiveModel {
                        customer_id: Set(customer_id),
                        email: Set(email.clone()),
                        imported_at: Set(now),
                        status: Set(legacy_logins::Status::Pending),
                        resolved_at: Set(None),
                        ..Default::default()
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
    }
    Ok(())
}
