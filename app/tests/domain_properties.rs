//! Properties of the shared rules in `app::domain` (proptest): what holds for every input,
//! not only for the examples in the unit tests. A failing case is shrunk to the smallest
//! input that breaks the property and printed.
use app::domain::money::{digits, yen};
use app::domain::rank::{screen_for, ultra_to_hansha_registered, Rank, ScreenVariant};
use app::domain::tax::{self, Totals};
use app::domain::time::{jst_date, jst_midnight, Month};
use app::domain::{kana, phone, postal_code};
use chrono::NaiveDate;
use proptest::prelude::*;

/// A Japanese number in national digits: a mobile / IP / free-dial prefix, or a landline.
fn national_number() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop::sample::select(vec!["070", "080", "090", "050"]),
            "[0-9]{8}"
        )
            .prop_map(|(p, rest)| format!("{p}{rest}")),
        ("0[1-9][1-9]", "[0-9]{7}").prop_map(|(p, rest)| format!("{p}{rest}")),
    ]
}

/// The ways people type a number: hyphens after the area code and the exchange, full-width
/// digits, a leading +81, the area code in parentheses, spaces.
fn typed(national: &str, style: u8) -> String {
    let (a, b, c) = if national.len() == 11 {
        (&national[..3], &national[3..7], &national[7..])
    } else {
        (&national[..3], &national[3..6], &national[6..])
    };
    let full = |s: &str| -> String {
        s.chars()
            .map(|ch| match ch {
                '0'..='9' => char::from_u32(ch as u32 - '0' as u32 + '０' as u32).unwrap_or(ch),
                '-' => '－',
                ch => ch,
            })
            .collect()
    };
    match style % 7 {
        0 => national.to_owned(),
        1 => format!("{a}-{b}-{c}"),
        2 => full(&format!("{a}-{b}-{c}")),
        3 => format!("+81 {}-{b}-{c}", &a[1..]),
        4 => format!("({a}){b}-{c}"),
        5 => format!("{a} {b} {c}"),
        _ => format!("＋８１{}", full(&national[1..])),
    }
}

proptest! {
    /// Every spelling of one number is one number: the stored form differs only in the
    /// hyphens, and search, matching and Twilio (`national`) see the same digits.
    #[test]
    fn every_spelling_of_a_number_has_one_national_form(n in national_number(), style in 0u8..7) {
        let t = typed(&n, style);
        let stored = phone(&t).map_err(|e| TestCaseError::fail(format!("{t:?}: {e}")))?;
        prop_assert_eq!(phone::national(&t), Some(n.clone()));
        prop_assert_eq!(phone::national(&stored), Some(n.clone()));
        prop_assert_eq!(stored.replace('-', ""), n);
    }

    /// What is stored is accepted again unchanged (a re-import or a correction screen does
    /// not respell it), for any input the rule accepts.
    #[test]
    fn a_stored_phone_is_a_fixed_point(s in "[0-9０-９+＋()（） \\-－ー]{0,20}") {
        if let Ok(stored) = phone(&s) {
            prop_assert_eq!(phone(&stored), Ok(stored.clone()));
            let n = phone::national(&stored).unwrap_or_default();
            prop_assert!(n.starts_with('0') && (n.len() == 10 || n.len() == 11), "{n}");
        }
    }

    /// Nothing with a letter in it is a phone number.
    #[test]
    fn text_is_never_a_phone(s in "[0-9\\-]{0,8}[a-zA-Zあ-ん][0-9\\-]{0,8}") {
        prop_assert!(phone(&s).is_err());
        prop_assert_eq!(phone::national(&s), None);
    }

    /// Hiragana is stored as the matching katakana, and the stored form is a fixed point.
    #[test]
    fn kana_is_stored_as_katakana(s in "[ぁ-ゖァ-ヶー]{1,30}( [ぁ-ゖァ-ヶ]{1,10})?") {
        let stored = kana(&s).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
        prop_assert!(stored.chars().all(|c| ('ァ'..='ヶ').contains(&c) || c == 'ー' || c == ' '), "{stored}");
        prop_assert_eq!(stored.chars().count(), s.chars().count());
        prop_assert_eq!(kana(&stored), Ok(stored.clone()));
    }

    /// Seven digits, however written, are stored as 123-4567.
    #[test]
    fn postal_codes_are_stored_with_one_hyphen(d in "[0-9]{7}", style in 0u8..4) {
        let t = match style {
            0 => d.clone(),
            1 => format!("{}-{}", &d[..3], &d[3..]),
            2 => format!("〒{}-{}", &d[..3], &d[3..]),
            _ => d.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect(),
        };
        let want = format!("{}-{}", &d[..3], &d[3..]);
        prop_assert_eq!(postal_code(&t), Ok(want.clone()));
        prop_assert_eq!(postal_code(&want), Ok(want));
    }

    /// Separators never change the number: removing them gives the plain integer back.
    #[test]
    fn yen_is_the_number_with_separators(v in any::<i64>()) {
        prop_assert_eq!(digits(v).replace(',', ""), v.to_string());
        let y = yen(v);
        prop_assert_eq!(y.starts_with('-'), v < 0);
        prop_assert_eq!(y.replace(['¥', ','], ""), v.to_string());
    }

    /// Tax is per rate on the subtotal, rounded down; the order of the lines does not matter
    /// and the total is the sum of its parts.
    #[test]
    fn tax_totals_add_up(lines in prop::collection::vec((prop::sample::select(vec![8, 10]), 0i64..10_000_000), 0..50)) {
        let t: Totals = tax::totals(lines.clone()).unwrap();
        let sub = |r: i32| lines.iter().filter(|(x, _)| *x == r).map(|(_, a)| a).sum::<i64>();
        prop_assert_eq!(t.subtotal_10_yen, sub(10));
        prop_assert_eq!(t.subtotal_8_yen, sub(8));
        prop_assert_eq!(t.tax_10_yen, sub(10) * 10 / 100);
        prop_assert_eq!(t.tax_8_yen, sub(8) * 8 / 100);
        prop_assert_eq!(t.total_yen, t.subtotal_10_yen + t.tax_10_yen + t.subtotal_8_yen + t.tax_8_yen);
        let mut reversed = lines;
        reversed.reverse();
        prop_assert_eq!(tax::totals(reversed).unwrap(), t);
    }

    /// A month's code parses back to it; its UTC range starts at JST midnight of the 1st and
    /// ends where the next month starts.
    #[test]
    fn months_round_trip(year in 2000i32..3000, month in 1u32..=12) {
        let m = Month { year, month };
        prop_assert_eq!(Month::parse(&m.code()), Some(m));
        prop_assert_eq!(m.next().prev(), m);
        let (start, end) = m.utc_range();
        prop_assert_eq!(jst_date(start), m.first_day());
        prop_assert_eq!(end, m.next().utc_range().0);
        prop_assert_eq!(jst_date(end - chrono::Duration::seconds(1)), m.last_day());
    }

    /// JST midnight of a day is on that JST day, and one second earlier is the day before.
    #[test]
    fn jst_midnight_starts_the_day(days in 0i64..365 * 900) {
        let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
        let t = jst_midnight(d);
        prop_assert_eq!(jst_date(t), d);
        prop_assert_eq!(jst_date(t - chrono::Duration::seconds(1)), d.pred_opt().unwrap());
    }

    /// 画面1 is for 全国販社 and 【ウルトラ販社～販社】(会員登録あり), and only them.
    #[test]
    fn screen_one_follows_the_rank_rule(r in prop::sample::select(Rank::ALL.to_vec()), can_register in any::<bool>()) {
        let primary = screen_for(r, can_register) == ScreenVariant::Primary;
        prop_assert_eq!(primary, r == Rank::National || ultra_to_hansha_registered(r, can_register));
    }
}
