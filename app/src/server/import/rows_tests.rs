//! Tests of `rows`: one row of the customers or logins file, without a database.
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
    assert_eq!(row.phone.as_deref(), Some("03-1234-5678"));
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
    assert_eq!(bad_columns(&[(COL_KANA, "高橋")]), [COL_KANA]);
    assert_eq!(bad_columns(&[(COL_KANA, "ﾀｶﾊｼ1")]), [COL_KANA]);
    assert_eq!(bad_columns(&[(COL_KANA, "")]), [COL_KANA]);
    assert_eq!(bad_columns(&[(COL_KANA, "Takahashi")]), [COL_KANA]);
    assert_eq!(bad_columns(&[(COL_PHONE, "03-1234-567x")]), [COL_PHONE]);
    assert_eq!(bad_columns(&[(COL_RANK, "社長")]), [COL_RANK]);
    assert_eq!(bad_columns(&[(COL_UPLINE, "abc")]), [COL_UPLINE]);
    assert_eq!(bad_columns(&[(COL_UPLINE, "20000001")]), [COL_UPLINE]);
    assert_eq!(
        bad_columns(&[(COL_CAN_REGISTER, "はい")]),
        [COL_CAN_REGISTER]
    );
    assert_eq!(bad_columns(&[(COL_POSTAL, "150-001")]), [COL_POSTAL]);
    assert_eq!(
        bad_columns(&[(COL_ADDRESS, "東京都\n渋谷区")]),
        [COL_ADDRESS]
    );
    assert_eq!(bad_columns(&[(COL_POSTAL, "15-00001")]), [COL_POSTAL]);
    assert_eq!(
        bad_columns(&[(COL_DIVISION, ""), (COL_DIVISION_OWNER, "20000001")]),
        [COL_DIVISION_OWNER]
    );
    // Every bad cell of a row is reported, not only the first.
    assert_eq!(
        bad_columns(&[(COL_KANA, "高橋"), (COL_POSTAL, "x")]),
        [COL_KANA, COL_POSTAL]
    );
}

#[test]
fn the_code_survives_other_problems() {
    let mut cells = good();
    cells.insert(COL_KANA, "高橋");
    let (code, row) = parse(&cells);
    assert_eq!(code.as_deref(), Some("20000001"));
    assert!(row.is_err());
}

/// The rows the import used to refuse (hiragana, half-width kana, 7-digit postal codes)
/// are converted as the form converts them.
#[test]
fn cells_are_stored_as_the_form_stores_them() {
    let mut cells = good();
    cells.extend([
        (COL_KANA, "かぶしきがいしゃ ﾀｶﾊｼｼｮｳｼﾞ"),
        (COL_PHONE, "０３－１２３４－５６７８"),
        (COL_POSTAL, "1500001"),
    ]);
    let row = parse(&cells).1.unwrap();
    assert_eq!(row.kana, "カブシキガイシャ タカハシショウジ");
    assert_eq!(row.phone.as_deref(), Some("03-1234-5678"));
    assert_eq!(row.postal_code.as_deref(), Some("150-0001"));
    for raw in ["ｻﾄｳ ﾊﾅｺ", "ケーキ　ヤ", "ヴィーナス・ショップ"] {
        assert_eq!(kana(raw), Ok(domain::kana(raw).unwrap()), "{raw}");
    }
    assert_eq!(phone_number("09012345678"), Ok(Some("09012345678".into())));
}

#[test]
fn reasons_quote_the_cell() {
    assert_eq!(kana(""), Err("カナがありません".into()));
    let e = kana("田中").unwrap_err();
    assert!(e.contains("カタカナ") && e.contains("「田中」"), "{e}");
    assert!(kana(&"ア".repeat(101)).unwrap_err().contains("100文字"));
    let e = phone_number("03-1234-567x").unwrap_err();
    assert!(
        e.starts_with("電話番号の形式が正しくありません") && e.contains("「03-1234-567x」"),
        "{e}"
    );
    let e = postal_code("150-001").unwrap_err();
    assert!(e.contains("郵便番号") && e.contains("「150-001」"), "{e}");
    // A quoted control character is blanked, so the report keeps one line per problem.
    let e = kana("ヤマ\nダ").unwrap_err();
    assert!(!e.contains('\n') && e.contains('\u{FFFD}'), "{e:?}");
    assert_eq!(phone_number(""), Ok(None));
    assert_eq!(postal_code(""), Ok(None));
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
