//! The checks that need other rows or the database, and what the import writes. Planning
//! only reads, so a dry run and a file with bad rows go through exactly the same checks.
//! Each kind of check has its file: [`uplines`], [`divisions`], [`customers`], [`logins`];
//! [`super::apply`] writes a clean plan.
mod customers;
mod divisions;
mod logins;
mod uplines;

use super::csv_file::Table;
use super::rows::{self, CustomerRow, LoginRow, COL_CODE, COL_ROW};
use super::{Counts, CsvFile, NeedsConsolidation, RowProblem, UpdatedCustomer};
use crate::model::Rank;
use crate::server::entities::customers as customer;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::collections::HashMap;

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
pub(super) enum DivisionRef {
    None,
    Existing(i64),
    New(String),
}

#[derive(Clone, Debug)]
pub struct CustomerPlan {
    pub(super) row: CustomerRow,
    pub(super) change: Change,
    /// The phone to store: the existing text when it is the same number, so a re-import
    /// does not respell an unchanged number (e.g. an old "0355550100" as "03-5555-0100").
    pub(super) phone: Option<String>,
    pub(super) division: DivisionRef,
}

#[derive(Clone, Debug)]
pub struct NewDivision {
    pub name: String,
    pub(super) owner_code: String,
}

#[derive(Clone, Debug)]
pub(super) enum LoginKind {
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
pub(super) struct LoginPlan {
    pub(super) customer_code: String,
    pub(super) name: String,
    pub(super) kind: LoginKind,
}

#[derive(Debug)]
pub struct Plan {
    pub problems: Vec<RowProblem>,
    pub(super) customers: Vec<CustomerPlan>,
    pub new_divisions: Vec<NewDivision>,
    pub(super) logins: Vec<LoginPlan>,
    /// お客様ID → id of every customer already in the database.
    pub(super) db_ids: HashMap<String, i64>,
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

/// What is known of every お客様ID, from the file and from the database.
pub(super) struct Known<'a> {
    pub by_code: HashMap<&'a str, &'a customer::Model>,
    pub code_of_id: HashMap<i64, &'a str>,
    file_rows: HashMap<&'a str, &'a CustomerRow>,
    file_codes: &'a HashMap<String, u64>,
}

impl<'a> Known<'a> {
    fn new(
        db_customers: &'a [customer::Model],
        rows: &'a [CustomerRow],
        file_codes: &'a HashMap<String, u64>,
    ) -> Self {
        Known {
            by_code: db_customers
                .iter()
                .map(|m| (m.customer_code.as_str(), m))
                .collect(),
            code_of_id: db_customers
                .iter()
                .map(|m| (m.id, m.customer_code.as_str()))
                .collect(),
            file_rows: rows.iter().map(|r| (r.code.as_str(), r)).collect(),
            file_codes,
        }
    }

    /// In the customers file or in the database.
    pub fn known(&self, c: &str) -> bool {
        self.file_codes.contains_key(c) || self.by_code.contains_key(c)
    }

    /// The rank the customer will have: the file's, else the database's.
    pub fn rank_of(&self, c: &str) -> Option<Rank> {
        self.file_rows
            .get(c)
            .map(|r| r.rank)
            .or_else(|| self.by_code.get(c).map(|m| m.rank))
    }

    pub fn name_of(&self, c: &str) -> String {
        self.file_rows
            .get(c)
            .map(|r| r.name.clone())
            .or_else(|| self.by_code.get(c).map(|m| m.name.clone()))
            .unwrap_or_default()
    }

    /// The database id of a customer already stored.
    pub fn id_of(&self, c: &str) -> Option<i64> {
        self.by_code.get(c).map(|m| m.id)
    }
}

fn cust(line: u64, column: &'static str, reason: String) -> RowProblem {
    problem(CsvFile::Customers, line, column, reason)
}

/// Checks everything against the other rows and the database, and decides what to write.
pub async fn plan(db: &impl ConnectionTrait, parsed: Parsed) -> Result<Plan, DbErr> {
    let Parsed {
        customers: rows,
        file_codes,
        logins: login_rows,
        mut problems,
    } = parsed;
    let db_customers = customer::Entity::find().all(db).await?;
    let k = Known::new(&db_customers, &rows, &file_codes);
    uplines::check(&rows, &db_customers, &k, &mut problems);
    let (division_refs, new_divisions) = divisions::plan(db, &rows, &k, &mut problems).await?;
    let customer_plans = customers::plan(&rows, &k, &division_refs);
    let login_plans = logins::plan(db, &login_rows, &k, &mut problems).await?;
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
