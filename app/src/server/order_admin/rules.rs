//! The 受注管理 rules as plain functions (no database): which status changes are allowed,
//! what a 出荷日, 送り状番号, 取消理由 and 返品 may be, and what a return is worth.
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use crate::domain::order_status::OrderStatus;
use crate::domain::tax::{self, Totals};
use crate::error::AppError;
use crate::orders::parse_quantity;

/// 出荷日 may be at most this many days after today (JST): a shipment booked ahead for the
/// coming week is normal, a date further out is almost always a typo (e.g. the wrong month).
pub const SHIP_AHEAD_DAYS: i64 = 7;
/// 送り状番号: the carriers' numbers are 10–14 digits; hyphens as printed are kept.
pub const TRACKING_MAX: usize = 30;
/// 取消理由 and 返品理由 (the column holds 200).
pub const REASON_MAX: usize = 200;

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

pub use crate::domain::order_status::OrderAction as Action;

/// Why `action` is refused on an order in `status`, in the words shown to staff.
pub fn refusal(status: OrderStatus, action: Action) -> AppError {
    let label = status.label();
    invalid(match action {
        Action::Ship => format!("この注文は「{label}」のため出荷登録できません。"),
        Action::Cancel if status.has_shipped() => {
            "出荷済の注文は取り消せません。商品が戻った場合は返品を登録してください。".into()
        }
        Action::Cancel => format!("この注文は「{label}」のため取り消せません。"),
        Action::Return => {
            format!("この注文は「{label}」のため返品を登録できません（返品は出荷後のみ）。")
        }
    })
}

/// ASCII digits for full-width ones, and any dash as `-`.
fn half_width(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '‐' | '‑' | '–' | '—' | '−' | 'ー' | 'ｰ' => '-',
            '／' => '/',
            _ => c,
        })
        .collect()
}

/// A 出荷日 as typed (`2026-12-03` from the date input, or `2026/12/3`): a real date, not
/// before the order's JST date, at most [`SHIP_AHEAD_DAYS`] after today (JST).
pub fn ship_date(
    raw: &str,
    ordered_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let s = half_width(raw);
    if s.is_empty() {
        return Err(invalid("出荷日を入力してください。"));
    }
    let d = parse_date(&s).ok_or_else(|| {
        invalid("出荷日は「2026-12-03」のように年-月-日で、実在する日付を入力してください。")
    })?;
    if d < ordered_on {
        return Err(invalid(format!(
            "出荷日は注文日（{}）より前にはできません。",
            ordered_on.format("%Y/%m/%d")
        )));
    }
    if d > today + Duration::days(SHIP_AHEAD_DAYS) {
        return Err(invalid(format!(
            "出荷日は今日から{SHIP_AHEAD_DAYS}日後（{}）までで入力してください。",
            (today + Duration::days(SHIP_AHEAD_DAYS)).format("%Y/%m/%d")
        )));
    }
    Ok(d)
}

/// `YYYY-MM-DD` or `YYYY/M/D`, a real calendar date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    if ![y, m, d]
        .iter()
        .all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A 送り状番号: digits and hyphens, at least one digit, at most [`TRACKING_MAX`] characters.
pub fn tracking_number(raw: &str) -> Result<String, AppError> {
    let s = half_width(raw);
    if s.is_empty() {
        return Err(invalid("送り状番号を入力してください。"));
    }
    if s.chars().count() > TRACKING_MAX {
        return Err(invalid(format!(
            "送り状番号は{TRACKING_MAX}文字以内で入力してください。"
        )));
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || !s.chars().any(|c| c.is_ascii_digit())
    {
        return Err(invalid(
            "送り状番号は数字とハイフン（-）で入力してください。",
        ));
    }
    Ok(s)
}

/// A required reason (取消理由 / 返品理由), trimmed, at most [`REASON_MAX`] characters.
pub fn reason(raw: &str, what: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(invalid(format!("{what}を入力してください。")));
    }
    if s.chars().count() > REASON_MAX {
        return Err(invalid(format!(
            "{what}は{REASON_MAX}文字以内で入力してください。"
        )));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(invalid(format!("{what}に使えない文字が含まれています。")));
    }
    Ok(s.to_owned())
}

/// One order line as a return sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnableLine {
    pub line_id: i64,
    pub line_no: i32,
    pub product_name: String,
    pub unit_price_yen: i64,
    pub tax_rate_percent: i32,
    pub ordered: i32,
    pub returned: i32,
}

impl ReturnableLine {
    pub fn remaining(&self) -> i32 {
        (self.ordered - self.returned).max(0)
    }
}

/// One returned line: which order line, how many, and their amount excluding tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnedLine {
    pub line_id: i64,
    pub quantity: i32,
    pub amount_yen: i64,
}

/// The quantities typed per line number (blank or 0 = not returned): each 1..=remaining, at
/// least one line, no line number the order does not have. Returns the lines and the totals
/// per tax rate (tax on each rate's subtotal, rounded down, as for orders).
pub fn return_lines(
    typed: &HashMap<String, String>,
    lines: &[ReturnableLine],
) -> Result<(Vec<ReturnedLine>, Totals), AppError> {
    if typed.len() > lines.len() {
        return Err(invalid("返品する明細の指定が正しくありません。"));
    }
    let mut out = Vec::new();
    for (no, raw) in typed {
        let line = no
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|n| lines.iter().find(|l| l.line_no == n))
            .ok_or_else(|| invalid("返品する明細の指定が正しくありません。"))?;
        let raw = half_width(raw);
        if raw.is_empty() || raw == "0" {
            continue;
        }
        let name = &line.product_name;
        let n = line.line_no;
        let q =
            parse_quantity(&raw).map_err(|m| invalid(format!("{n}行目（{name}）の返品数: {m}")))?;
        let remaining = i64::from(line.remaining());
        if q > remaining {
            return Err(invalid(if remaining == 0 {
                format!("{n}行目（{name}）はすでに全数が返品済みです。")
            } else {
                format!(
                    "{n}行目（{name}）の返品数は{remaining}個までです（注文 {}・返品済 {}）。",
                    line.ordered, line.returned
                )
            }));
        }
        let amount = line
            .unit_price_yen
            .checked_mul(q)
            .ok_or_else(|| invalid("金額が大きすぎます。"))?;
        out.push((
            line.line_no,
            line.tax_rate_percent,
            ReturnedLine {
                line_id: line.line_id,
                quantity: q as i32,
                amount_yen: amount,
            },
        ));
    }
    if out.is_empty() {
        return Err(invalid("返品する数量を1行以上入力してください。"));
    }
    out.sort_by_key(|(no, _, _)| *no);
    let totals = tax::totals(out.iter().map(|(_, rate, l)| (*rate, l.amount_yen)))
        .map_err(|e| invalid(e.to_string()))?;
    Ok((out.into_iter().map(|(_, _, l)| l).collect(), totals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn refusals_say_why() {
        assert!(refusal(OrderStatus::Shipped, Action::Cancel)
            .message()
            .contains("返品"));
        assert!(refusal(OrderStatus::Cancelled, Action::Ship)
            .message()
            .contains("取消"));
    }

    #[test]
    fn ship_dates() {
        let ordered = d("2026-12-01");
        let today = d("2026-12-03");
        assert_eq!(ship_date("2026-12-03", ordered, today).unwrap(), today);
        assert_eq!(
            ship_date("２０２６／１２／１", ordered, today).unwrap(),
            ordered
        );
        assert_eq!(
            ship_date("2026-12-10", ordered, today).unwrap(),
            d("2026-12-10")
        );
        assert!(ship_date("2026-12-11", ordered, today)
            .unwrap_err()
            .message()
            .contains("7日後"));
        assert!(ship_date("2026-11-30", ordered, today)
            .unwrap_err()
            .message()
            .contains("注文日"));
        for bad in ["2026-02-30", "12/03", "abc", "2026-12-03T00:00", "20261203"] {
            assert!(
                ship_date(bad, ordered, today)
                    .unwrap_err()
                    .message()
                    .contains("実在"),
                "{bad}"
            );
        }
        assert!(ship_date(" ", ordered, today)
            .unwrap_err()
            .message()
            .contains("入力"));
    }

    #[test]
    fn tracking_numbers() {
        assert_eq!(
            tracking_number(" 1234-5678-9012 ").unwrap(),
            "1234-5678-9012"
        );
        assert_eq!(tracking_number("１２３４－５６").unwrap(), "1234-56");
        assert!(tracking_number("").is_err());
        assert!(tracking_number("---").is_err());
        assert!(tracking_number("12AB").is_err());
        assert!(tracking_number("=1+2").is_err());
        assert!(tracking_number(&"1".repeat(31))
            .unwrap_err()
            .message()
            .contains("30文字"));
    }

    #[test]
    fn reasons() {
        assert_eq!(reason("  お客様都合 ", "取消理由").unwrap(), "お客様都合");
        assert!(reason("   ", "取消理由")
            .unwrap_err()
            .message()
            .contains("取消理由を入力"));
        assert!(reason(&"あ".repeat(201), "取消理由")
            .unwrap_err()
            .message()
            .contains("200文字"));
        assert!(reason(&"あ".repeat(200), "取消理由").is_ok());
        assert!(reason("a\u{0}b", "返品理由").is_err());
    }

    fn lines() -> Vec<ReturnableLine> {
        vec![
            ReturnableLine {
                line_id: 11,
                line_no: 1,
                product_name: "浄水器".into(),
                unit_price_yen: 99,
                tax_rate_percent: 10,
                ordered: 3,
                returned: 1,
            },
            ReturnableLine {
                line_id: 12,
                line_no: 2,
                product_name: "緑茶".into(),
                unit_price_yen: 1080,
                tax_rate_percent: 8,
                ordered: 2,
                returned: 0,
            },
        ]
    }

    fn typed(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn returns_are_bounded_by_what_remains_and_taxed_per_rate() {
        let (out, t) = return_lines(&typed(&[("1", "2"), ("2", "1")]), &lines()).unwrap();
        assert_eq!(
            out,
            vec![
                ReturnedLine {
                    line_id: 11,
                    quantity: 2,
                    amount_yen: 198
                },
                ReturnedLine {
                    line_id: 12,
                    quantity: 1,
                    amount_yen: 1080
                },
            ]
        );
        assert_eq!((t.subtotal_10_yen, t.tax_10_yen), (198, 19));
        assert_eq!((t.subtotal_8_yen, t.tax_8_yen), (1080, 86));
        assert_eq!(t.total_yen, 198 + 19 + 1080 + 86);
        // Blank and 0 lines are skipped.
        let (out, _) =
            return_lines(&typed(&[("1", ""), ("2", "0"), ("2", "２")]), &lines()).unwrap();
        assert_eq!(out.len(), 1);
        let e = return_lines(&typed(&[("1", "3")]), &lines()).unwrap_err();
        assert!(e.message().contains("2個まで"), "{}", e.message());
        assert!(return_lines(&typed(&[("1", ""), ("2", "0")]), &lines())
            .unwrap_err()
            .message()
            .contains("1行以上"));
        assert!(return_lines(&typed(&[("3", "1")]), &lines()).is_err());
        assert!(return_lines(&typed(&[("x", "1")]), &lines()).is_err());
        assert!(return_lines(&typed(&[("1", "-1")]), &lines())
            .unwrap_err()
            .message()
            .contains("1以上"));
        let mut done = lines();
        done[0].returned = 3;
        assert!(return_lines(&typed(&[("1", "1")]), &done)
            .unwrap_err()
            .message()
            .contains("全数"));
    }
}
