//! The checks of one row that need no database: shapes, required cells, known labels.
//! Reasons are in Japanese for the staff who fix the file; the column is reported apart.
use super::{CsvFile, RowProblem};
use crate::model::Rank;
use crate::server::phone;
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

/// Column widths of `customers` and `sales_divisions`.
const NAME_MAX: usize = 100;
const ADDRESS_MAX: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub kana: String,
    /// National form ("0312345678").
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

/// Long cells are cut when quoted back in a reason.
fn shown(raw: &str) -> String {
    const MAX: usize = 30;
    if raw.chars().count() > MAX {
        format!("{}…", raw.chars().take(MAX).collect::<String>())
    } else {
        raw.to_owned()
    }
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

fn text(raw: &str, what: &str, max: usize, required: bool) -> Result<Option<String>, String> {
    if raw.is_empty() {
        return if required {
            Err(format!("{what}がありません"))
        } else {
            Ok(None)
        };
    }
    if raw.chars().count() > max {
        return Err(format!("{what}は{max}文字以内にしてください"));
    }
    if raw.chars().any(char::is_control) {
        return Err(format!("{what}に改行や制御文字は使えません"));
    }
    Ok(Some(raw.to_owned()))
}

/// Full-width katakana (including ヴ, ヵ, ヶ), the long-vowel mark ー, the middle dot ・ and
/// spaces. Half-width kana and hiragana get their own reason because they are the usual
/// mistakes in old data.
pub fn kana(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("カナがありません".into());
    }
    if raw.chars().count() > NAME_MAX {
        return Err(format!("カナは{NAME_MAX}文字以内にしてください"));
    }
    for c in raw.chars() {
        match c {
            'ァ'..='ヾ' | ' ' | '　' => {}
            '\u{FF61}'..='\u{FF9F}' => {
                return Err(format!(
                    "半角カナは使えません。全角カタカナにしてください（「{}」）",
                    shown(raw)
                ))
            }
            'ぁ'..='ゖ' => {
                return Err(format!(
                    "ひらがなは使えません。カタカナにしてください（「{}」）",
                    shown(raw)
                ))
            }
            _ => {
                return Err(format!(
                    "カナはカタカナで入力してください（使えない文字「{c}」）"
                ))
            }
        }
    }
    Ok(raw.to_owned())
}

pub fn phone_number(raw: &str) -> Result<Option<String>, String> {
    match optional(raw) {
        None => Ok(None),
        Some(s) => phone::national(s)
            .map(Some)
            .ok_or_else(|| format!("電話番号の形式が正しくありません（「{}」）", shown(s))),
    }
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

/// `NNN-NNNN`; full-width digits and the dashes people type for a hyphen are forgiven.
pub fn postal_code(raw: &str) -> Result<Option<String>, String> {
    let Some(s) = optional(raw) else {
        return Ok(None);
    };
    let s: String = s
        .trim_start_matches('〒')
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | 'ー' | '‐' | '−' | '―' => '-',
            c => c,
        })
        .collect();
    let b = s.as_bytes();
    let ok = b.len() == 8 && b[3] == b'-' && b[..3].iter().chain(&b[4..]).all(u8::is_ascii_digit);
    if ok {
        Ok(Some(s))
    } else {
        Err(format!(
            "郵便番号は123-4567の形式にしてください（「{}」）",
            shown(raw)
        ))
    }
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
        text(cell(COL_NAME), "代理店名", NAME_MAX, true),
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
    let division = take(
        &mut p,
        f,
        line,
        COL_DIVISION,
        text(cell(COL_DIVISION), "販売事業部", NAME_MAX, false),
    );
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
        text(cell(COL_ADDRESS), "住所", ADDRESS_MAX, false),
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
            name: name??,
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
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn good() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            (COL_CODE, "20000001"),
            (COL_NAME, "㈱髙橋商事"),
            (COL_KANA, "カブシキガイシャ タカハシショウジ"),
            (COL_PHONE, "03-1234-5678"),
            (COL_RANK, "販社"),
            (COL_UPLINE, "10000020"),
            (COL_DIVISION, "たかはし販売事業部"),
            (COL_CAN_REGISTER, "あり"),
            (COL_POSTAL, "150-0001"),
            (COL_ADDRESS, "東京都渋谷区神宮前1-2-3"),
        ])
    }

    fn parse(
        cells: &HashMap<&'static str, &'static str>,
    ) -> (Option<String>, Result<CustomerRow, Vec<RowProblem>>) {
        customer_row(7, |c| cells.get(c).copied().unwrap_or(""))
    }

    /// The columns named by the problems of a row that differs from `good()` in `changes`.
    fn bad_columns(changes: &[(&'static str, &'static str)]) -> Vec<&'static str> {
        let mut cells = good();
        cells.extend(changes.iter().copied());
        let problems = parse(&cells).1.expect_err("should be refused");
        assert!(problems.iter().all(|p| p.line == 7 && !p.reason.is_empty()));
        problems.iter().map(|p| p.column).collect()
    }

    #[test]
    fn a_good_row_is_normalised() {
        let (code, row) = parse(&good());
        assert_eq!(code.as_deref(), Some("20000001"));
        let row = row.unwrap();
        assert_eq!(row.phone.as_deref(), Some("0312345678"));
        assert_eq!(row.rank, Rank::Hansha);
        assert!(row.can_register);
        assert_eq!(row.upline.as_deref(), Some("10000020"));
        assert_eq!(row.division_owner, None);

        let mut cells = good();
        cells.extend([
            (COL_PHONE, ""),
            (COL_UPLINE, ""),
            (COL_DIVISION, ""),
            (COL_POSTAL, "〒１５０－０００１"),
            (COL_ADDRESS, ""),
            (COL_CAN_REGISTER, "なし"),
        ]);
        let row = parse(&cells).1.unwrap();
        assert_eq!(
            (row.phone, row.upline, row.division, row.address),
            (None, None, None, None)
        );
        assert_eq!(row.postal_code.as_deref(), Some("150-0001"));
        assert!(!row.can_register);
    }

    #[test]
    fn each_rule_names_its_column() {
        assert_eq!(bad_columns(&[(COL_CODE, "1234567")]), [COL_CODE]);
        assert_eq!(bad_columns(&[(COL_CODE, "")]), [COL_CODE]);
        assert_eq!(bad_columns(&[(COL_NAME, "")]), [COL_NAME]);
        assert_eq!(bad_columns(&[(COL_KANA, "たかはし")]), [COL_KANA]);
        assert_eq!(bad_columns(&[(COL_KANA, "ﾀｶﾊｼ")]), [COL_KANA]);
        assert_eq!(bad_columns(&[(COL_KANA, "Takahashi")]), [COL_KANA]);
        assert_eq!(bad_columns(&[(COL_PHONE, "03-1234-567x")]), [COL_PHONE]);
        assert_eq!(bad_columns(&[(COL_RANK, "社長")]), [COL_RANK]);
        assert_eq!(bad_columns(&[(COL_UPLINE, "abc")]), [COL_UPLINE]);
        assert_eq!(bad_columns(&[(COL_UPLINE, "20000001")]), [COL_UPLINE]);
        assert_eq!(
            bad_columns(&[(COL_CAN_REGISTER, "はい")]),
            [COL_CAN_REGISTER]
        );
        assert_eq!(bad_columns(&[(COL_POSTAL, "1500001")]), [COL_POSTAL]);
        assert_eq!(bad_columns(&[(COL_POSTAL, "15-00001")]), [COL_POSTAL]);
        assert_eq!(
            bad_columns(&[(COL_DIVISION, ""), (COL_DIVISION_OWNER, "20000001")]),
            [COL_DIVISION_OWNER]
        );
        // Every bad cell of a row is reported, not only the first.
        assert_eq!(
            bad_columns(&[(COL_KANA, "たかはし"), (COL_POSTAL, "x")]),
            [COL_KANA, COL_POSTAL]
        );
    }

    #[test]
    fn the_code_survives_other_problems() {
        let mut cells = good();
        cells.insert(COL_KANA, "たかはし");
        let (code, row) = parse(&cells);
        assert_eq!(code.as_deref(), Some("20000001"));
        assert!(row.is_err());
    }

    #[test]
    fn kana_rules() {
        for ok in ["サトウ ハナコ", "ヴィーナス・ショップ", "ケーキ　ヤ", "ヶ"]
        {
            assert!(kana(ok).is_ok(), "{ok}");
        }
        assert!(kana("ﾀﾅｶ").unwrap_err().contains("半角カナ"));
        assert!(kana("たなか").unwrap_err().contains("ひらがな"));
        assert!(kana("田中").unwrap_err().contains("「田」"));
        assert!(kana(&"ア".repeat(101)).is_err());
    }

    #[test]
    fn ranks_are_the_japanese_labels() {
        for r in Rank::ALL {
            assert_eq!(rank(r.label()), Ok(r));
        }
        assert!(rank("hansha").unwrap_err().contains("販社"));
    }

    #[test]
    fn login_rows() {
        let row = login_row(3, |c| match c {
            COL_CODE => "２０００ ０００１",
            _ => " Taro@Example.JP ",
        })
        .unwrap();
        assert_eq!(
            (row.line, row.code.as_str(), row.email.as_str()),
            (3, "20000001", "taro@example.jp")
        );
        let problems = login_row(4, |c| match c {
            COL_CODE => "x",
            _ => "taro@@example",
        })
        .unwrap_err();
        let cols: Vec<_> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(cols, [(4, COL_CODE), (4, COL_EMAIL)]);
        assert!(problems[1].reason.contains("taro@@example"));
        assert!(login_row(5, |c| if c == COL_CODE { "10000001" } else { "" }).is_err());
    }
}
