//! The checks of one row that need no database: shapes, required cells, known labels.
//! Reasons are in Japanese for the staff who fix the file; the column is reported apart.
//! The customer fields follow the same rules as the registration forms ([`crate::domain`]),
//! so a row stores what the form would have stored for the same text.
use super::{CsvFile, RowProblem};
use crate::domain::{self, FieldError};
use crate::model::Rank;
use crate::validation;

pub const COL_CODE: &str = "お客様ID";
pub const COL_NAME: &str = "代理店名";
pub const COL_KANA: &str = "カナ";
pub const COL_PHONE: &str = "電話番号";
pub const COL_RANK: &str = "ランク";
pub const COL_UPLINE: &str = "上位店お客様ID";
pub const COL_DIVISION: &str = "販売事業部";
pub const COL_CAN_REGISTER: &str = "会員登録";
pub const COL_POSTAL: &str = "郵便番号";
pub const COL_ADDRESS: &str = "住所";
/// Optional column: who owns a 販売事業部 that the import creates (see `plan`).
pub const COL_DIVISION_OWNER: &str = "販売事業部オーナーお客様ID";
pub const COL_EMAIL: &str = "メールアドレス";
/// A problem with the row as a whole (wrong number of cells).
pub const COL_ROW: &str = "（行全体）";

pub const CUSTOMER_COLUMNS: [&str; 10] = [
    COL_CODE,
    COL_NAME,
    COL_KANA,
    COL_PHONE,
    COL_RANK,
    COL_UPLINE,
    COL_DIVISION,
    COL_CAN_REGISTER,
    COL_POSTAL,
    COL_ADDRESS,
];
pub const LOGIN_COLUMNS: [&str; 2] = [COL_CODE, COL_EMAIL];

/// Column width of `sales_divisions.name`.
const DIVISION_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub kana: String,
    /// As [`domain::phone`] stores it ("03-1234-5678" stays so).
    pub phone: Option<String>,
    pub rank: Rank,
    pub upline: Option<String>,
    pub division: Option<String>,
    pub division_owner: Option<String>,
    pub can_register: bool,
    pub postal_code: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginRow {
    pub line: u64,
    pub code: String,
    /// Trimmed and lower-cased, as `logins.email`.
    pub email: String,
}

/// Long cells are cut when quoted back in a reason; control characters are blanked so a
/// quoted cell cannot break the report's lines.
fn shown(raw: &str) -> String {
    const MAX: usize = 30;
    let visible = |c: char| if c.is_control() { '\u{FFFD}' } else { c };
    let mut out: String = raw.chars().take(MAX).map(visible).collect();
    if raw.chars().count() > MAX {
        out.push('…');
    }
    out
}

/// A field rule's reason in the import's words: an empty cell "…がありません", otherwise the
/// rule's own message with the cell quoted, so staff can find it in the file.
fn reason(e: FieldError, raw: &str) -> String {
    match e {
        FieldError::Missing(field) => format!("{field}がありません"),
        FieldError::ControlChar(field) => format!("{field}に改行や制御文字は使えません"),
        e => format!(
            "{}（「{}」）",
            e.to_string().trim_end_matches('。'),
            shown(raw)
        ),
    }
}

/// A required customer field: the domain rule, with the cell's context.
fn required(rule: fn(&str) -> Result<String, FieldError>, raw: &str) -> Result<String, String> {
    rule(raw).map_err(|e| reason(e, raw))
}

/// A customer field the old data may leave empty: empty is `None`, anything else must pass
/// the same rule as the form.
fn optional_field(
    rule: fn(&str) -> Result<String, FieldError>,
    raw: &str,
) -> Result<Option<String>, String> {
    optional(raw).map(|s| required(rule, s)).transpose()
}

fn optional(raw: &str) -> Option<&str> {
    (!raw.is_empty()).then_some(raw)
}

pub fn code(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("お客様IDがありません".into());
    }
    validation::customer_code(raw)
        .map_err(|_| format!("お客様IDは8桁の数字にしてください（「{}」）", shown(raw)))
}

/// 販売事業部 (a name, not a customer field): optional, bounded, no control characters.
fn division(raw: &str) -> Result<Option<String>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.chars().count() > DIVISION_MAX {
        return Err(format!("販売事業部は{DIVISION_MAX}文字以内にしてください"));
    }
    if raw.chars().any(char::is_control) {
        return Err("販売事業部に改行や制御文字は使えません".into());
    }
    Ok(Some(raw.to_owned()))
}

/// カナ as the form stores it: hiragana and half-width katakana become full-width.
pub fn kana(raw: &str) -> Result<String, String> {
    required(domain::kana, raw)
}

/// 電話番号 (optional) as the form stores it: hyphens as typed.
pub fn phone_number(raw: &str) -> Result<Option<String>, String> {
    optional_field(domain::phone, raw)
}

/// The Japanese label as printed on screen (販社, 総代理店 …).
pub fn rank(raw: &str) -> Result<Rank, String> {
    if raw.is_empty() {
        return Err("ランクがありません".into());
    }
    Rank::ALL
        .into_iter()
        .find(|r| r.label() == raw)
        .ok_or_else(|| {
            let labels: Vec<&str> = Rank::ALL.iter().map(|r| r.label()).collect();
            format!(
                "ランク「{}」はありません（{}のいずれか）",
                shown(raw),
                labels.join("・")
            )
        })
}

pub fn can_register(raw: &str) -> Result<bool, String> {
    match raw {
        "あり" => Ok(true),
        "なし" => Ok(false),
        "" => Err("会員登録がありません（「あり」か「なし」）".into()),
        _ => Err(format!(
            "会員登録は「あり」か「なし」にしてください（「{}」）",
            shown(raw)
        )),
    }
}

/// 郵便番号 (optional) as the form stores it: `123-4567`, also from `1234567`.
pub fn postal_code(raw: &str) -> Result<Option<String>, String> {
    optional_field(domain::postal_code, raw)
}

/// Records the reason of a failed check and turns the result into an option.
fn take<T>(
    problems: &mut Vec<RowProblem>,
    file: CsvFile,
    line: u64,
    column: &'static str,
    r: Result<T, String>,
) -> Option<T> {
    r.map_err(|reason| {
        problems.push(RowProblem {
            file,
            line,
            column,
            reason,
        })
    })
    .ok()
}

/// One row of the customers file. Returns the お客様ID whenever that cell alone is valid,
/// so that other rows and the logins file can refer to a customer whose row has another
/// problem without getting a second, misleading "unknown customer" reason.
pub fn customer_row<'a>(
    line: u64,
    cell: impl Fn(&'static str) -> &'a str,
) -> (Option<String>, Result<CustomerRow, Vec<RowProblem>>) {
    let mut p = Vec::new();
    let f = CsvFile::Customers;
    let code_v = take(&mut p, f, line, COL_CODE, code(cell(COL_CODE)));
    let name = take(
        &mut p,
        f,
        line,
        COL_NAME,
        required(domain::name, cell(COL_NAME)),
    );
    let kana_v = take(&mut p, f, line, COL_KANA, kana(cell(COL_KANA)));
    let phone_v = take(&mut p, f, line, COL_PHONE, phone_number(cell(COL_PHONE)));
    let rank_v = take(&mut p, f, line, COL_RANK, rank(cell(COL_RANK)));
    let upline = take(
        &mut p,
        f,
        line,
        COL_UPLINE,
        optional(cell(COL_UPLINE)).map(code).transpose(),
    );
    let division = take(&mut p, f, line, COL_DIVISION, division(cell(COL_DIVISION)));
    let owner = take(
        &mut p,
        f,
        line,
        COL_DIVISION_OWNER,
        optional(cell(COL_DIVISION_OWNER)).map(code).transpose(),
    );
    let can_register_v = take(
        &mut p,
        f,
        line,
        COL_CAN_REGISTER,
        can_register(cell(COL_CAN_REGISTER)),
    );
    let postal = take(&mut p, f, line, COL_POSTAL, postal_code(cell(COL_POSTAL)));
    let address = take(
        &mut p,
        f,
        line,
        COL_ADDRESS,
        optional_field(domain::address, cell(COL_ADDRESS)),
    );
    if code_v.is_some() && code_v == upline.clone().flatten() {
        take::<()>(
            &mut p,
            f,
            line,
            COL_UPLINE,
            Err("上位店に自分自身は指定できません".into()),
        );
    }
    if matches!(division, Some(None)) && matches!(owner, Some(Some(_))) {
        take::<()>(
            &mut p,
            f,
            line,
            COL_DIVISION_OWNER,
            Err("販売事業部が空欄の行にはオーナーを指定できません".into()),
        );
    }
    let row = || {
        Some(CustomerRow {
            line,
            code: code_v.clone()?,
            name: name?,
            kana: kana_v?,
            phone: phone_v?,
            rank: rank_v?,
            upline: upline?,
            division: division?,
            division_owner: owner?,
            can_register: can_register_v?,
            postal_code: postal?,
            address: address?,
        })
    };
    let row = match row() {
        Some(r) if p.is_empty() => Ok(r),
        _ => Err(p),
    };
    (code_v, row)
}

/// One row of the logins file.
pub fn login_row<'a>(
    line: u64,
    cell: impl Fn(&'static str) -> &'a str,
) -> Result<LoginRow, Vec<RowProblem>> {
    let problem = |column, reason| RowProblem {
        file: CsvFile::Logins,
        line,
        column,
        reason,
    };
    let code_v = code(cell(COL_CODE)).map_err(|r| problem(COL_CODE, r));
    let raw_email = cell(COL_EMAIL);
    let email = if raw_email.is_empty() {
        Err(problem(COL_EMAIL, "メールアドレスがありません".into()))
    } else {
        validation::login_email(raw_email).map_err(|e| {
            problem(
                COL_EMAIL,
                format!(
                    "{}（「{}」）",
                    e.to_string().trim_end_matches('。'),
                    shown(raw_email)
                ),
            )
        })
    };
    match (code_v, email) {
        (Ok(code), Ok(email)) => Ok(LoginRow { line, code, email }),
        (a, b) => Err(a.err().into_iter().chain(b.err()).collect()),
    }
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
