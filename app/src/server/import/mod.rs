//! Import of the old system's customers and logins (R2), and the consolidation of customers
//! who arrive with more than one login.
//!
//! The import is all-or-nothing in one transaction: a file with any bad row writes nothing,
//! and the report lists every bad row with its line (the header is line 1), column and a
//! Japanese reason. Customers are upserted by お客様ID, so re-running an import is a no-op.
//! Passwords are never imported: the old system's were known to staff (the notice ends
//! that), so imported logins have no password and an unverified address.
//!
//! A customer with exactly one address in the logins file gets a `logins` row. One with
//! several gets `legacy_logins` rows (`pending`) and no `logins` row, until staff keep one
//! with [`consolidate`]; the unique keys of `logins` are never relaxed.
mod apply;
mod consolidate;
mod csv_file;
mod plan;
pub mod rows;

pub use consolidate::{
    consolidate, kept_mail, pending_consolidations, retired_mail, ConsolidateError, Consolidation,
    PendingConsolidation,
};
pub use csv_file::{decode, TextEncoding};

use super::audit;
use chrono::{DateTime, Utc};
use csv_file::Table;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use serde_json::json;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CsvFile {
    Customers,
    Logins,
}

impl fmt::Display for CsvFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CsvFile::Customers => "お客様ファイル",
            CsvFile::Logins => "ログインファイル",
        })
    }
}

/// A bad row: where it is and why, in Japanese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub file: CsvFile,
    /// 1-based; the header row is line 1.
    pub line: u64,
    /// The header of the column at fault, or [`rows::COL_ROW`].
    pub column: &'static str,
    pub reason: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}行目 {}: {}",
            self.file, self.line, self.column, self.reason
        )
    }
}

/// Errors that stop the import before any row is looked at.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}の文字コードを判別できません。Excel で「CSV UTF-8」または「CSV（コンマ区切り）」として保存してください。")]
    Encoding { file: CsvFile },
    #[error("{file}をCSVとして読めません: {source}")]
    Csv {
        file: CsvFile,
        #[source]
        source: csv::Error,
    },
    #[error("{file}が空です（見出し行がありません）。")]
    Empty { file: CsvFile },
    #[error("{file}の見出し行に必要な列がありません: {}", .missing.join("、"))]
    MissingColumns {
        file: CsvFile,
        missing: Vec<&'static str>,
    },
    #[error("データベースエラー: {0}")]
    Db(#[from] DbErr),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdatedCustomer {
    pub customer_code: String,
    /// Headers of the columns whose value changed.
    pub columns: Vec<&'static str>,
}

/// 要統合: a customer of this import whose logins wait in `legacy_logins`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedsConsolidation {
    pub customer_code: String,
    pub name: String,
    pub emails: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub dry_run: bool,
    /// True when the rows were written: not a dry run and no bad row.
    pub written: bool,
    pub customers_encoding: TextEncoding,
    pub logins_encoding: TextEncoding,
    /// Every bad row, by file and line. Non-empty means nothing was written.
    pub problems: Vec<RowProblem>,
    pub customers: Counts,
    pub updated_customers: Vec<UpdatedCustomer>,
    pub divisions_created: Vec<String>,
    /// `logins` rows (customers with exactly one address).
    pub logins: Counts,
    /// `legacy_logins` rows (customers with several addresses).
    pub legacy_logins: Counts,
    pub needs_consolidation: Vec<NeedsConsolidation>,
}

impl ImportReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    fn changes(&self) -> usize {
        self.customers.created
            + self.customers.updated
            + self.divisions_created.len()
            + self.logins.created
            + self.legacy_logins.created
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "文字コード: お客様ファイル {} / ログインファイル {}",
            self.customers_encoding, self.logins_encoding
        )?;
        if !self.problems.is_empty() {
            writeln!(
                f,
                "不正な行が{}件あります。何も取り込んでいません。",
                self.problems.len()
            )?;
            for p in &self.problems {
                writeln!(f, "  {p}")?;
            }
            return Ok(());
        }
        if self.dry_run {
            writeln!(
                f,
                "確認のみ（--dry-run）: 何も書き込んでいません。取り込むと次のとおりになります。"
            )?;
        } else if self.changes() == 0 {
            writeln!(f, "取り込み済みです。変更はありませんでした。")?;
        } else {
            writeln!(f, "取り込みました。")?;
        }
        let c = &self.customers;
        writeln!(
            f,
            "お客様: 新規 {}件 / 更新 {}件 / 変更なし {}件",
            c.created, c.updated, c.unchanged
        )?;
        for u in &self.updated_customers {
            writeln!(
                f,
                "  更新: お客様ID {}（{}）",
                u.customer_code,
                u.columns.join("、")
            )?;
        }
        if !self.divisions_created.is_empty() {
            writeln!(
                f,
                "販売事業部: 新規 {}件（{}）",
                self.divisions_created.len(),
                self.divisions_created.join("、")
            )?;
        }
        writeln!(
            f,
            "ログイン: 新規 {}件 / 変更なし {}件（パスワード未設定・メールアドレス未確認）",
            self.logins.created, self.logins.unchanged
        )?;
        writeln!(
            f,
            "統合待ちログイン: 新規 {}件 / 変更なし {}件",
            self.legacy_logins.created, self.legacy_logins.unchanged
        )?;
        if !self.needs_consolidation.is_empty() {
            writeln!(
                f,
                "要統合（ログインが複数あるお客様）: {}件",
                self.needs_consolidation.len()
            )?;
            for n in &self.needs_consolidation {
                writeln!(
                    f,
                    "  お客様ID {} {}: {}",
                    n.customer_code,
                    n.name,
                    n.emails.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// Imports the two files (see the module docs). With `dry_run` the same checks and counts
/// are made inside a transaction that is rolled back.
pub async fn import(
    db: &DatabaseConnection,
    customers_csv: &[u8],
    logins_csv: &[u8],
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let customers = Table::read(CsvFile::Customers, customers_csv, &rows::CUSTOMER_COLUMNS)?;
    let logins = Table::read(CsvFile::Logins, logins_csv, &rows::LOGIN_COLUMNS)?;
    let parsed = plan::Parsed::new(&customers, &logins);

    // Reads and writes share one transaction so that the checks hold for what is written.
    let txn = db.begin().await?;
    let plan = plan::plan(&txn, parsed).await?;
    let mut report = ImportReport {
        dry_run,
        written: false,
        customers_encoding: customers.encoding,
        logins_encoding: logins.encoding,
        problems: plan.problems.clone(),
        customers: plan.customer_counts(),
        updated_customers: plan.updated_customers(),
        divisions_created: plan.new_divisions.iter().map(|d| d.name.clone()).collect(),
        logins: plan.login_counts(),
        legacy_logins: plan.legacy_counts(),
        needs_consolidation: plan.needs_consolidation(),
    };
    if dry_run || !report.is_clean() {
        txn.rollback().await?;
        return Ok(report);
    }
    apply::apply(&txn, &plan, now).await?;
    // An import that changed nothing leaves no trace, not even in the audit log.
    if report.changes() > 0 {
        audit::append(
            &txn,
            now,
            audit::Entry::new("legacy_import").detail(json!({
                "customers_created": report.customers.created,
                "customers_updated": report.customers.updated,
                "divisions_created": report.divisions_created.len(),
                "logins_created": report.logins.created,
                "legacy_logins_created": report.legacy_logins.created,
                "needs_consolidation": report.needs_consolidation.len(),
            })),
        )
        .await?;
    }
    txn.commit().await?;
    report.written = true;
    Ok(report)
}
