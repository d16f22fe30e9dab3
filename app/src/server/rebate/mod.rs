//! 還元額 (rebate). This file holds the rules as pure functions (no database, no Leptos, no
//! axum); [`queries`] reads what they need, [`figures`] puts a statement together (live or as
//! closed), [`close`] stores a month's figures at 締め, [`list`] is the statement list and
//! [`month_rows`] says which orders and returns count in a month.
//!
//! The rule (SPEC R8, issue #5):
//! - **Base**: the tax-excluded amounts (`subtotal_10_yen + subtotal_8_yen`, i.e. Σ line
//!   amounts) of the orders that are not cancelled, placed by the customer's **strict**
//!   downline (not the customer's own orders), whose `ordered_at` falls in the JST calendar
//!   month.
//! - **Rate**: the `rebate_rates` row for the customer's **current** rank (the rank when the
//!   statement is made, not the rank they had during the month) with the latest
//!   `effective_from` on or before the order's JST date; on a tie the row added last (highest
//!   id) wins. No row: 0 bp (no rebate).
//! - **Segments**: a rate change inside the month splits it at the change date; each segment
//!   is shown on the statement.
//! - **Rounding** (円未満切り捨て): once per segment, `floor(Σ base × bp / 10000)`, never per
//!   order. The month's rebate is the sum of the segments' whole-yen rebates.
//! - **Returns** (返品, #11): a return of a downline order reduces the base of the JST month
//!   (and segment) in which it is *recorded*, whatever month the order was in, by its
//!   tax-excluded amount. A segment whose returns exceed its orders gets 0 yen, never a
//!   negative rebate (nothing is clawed back from another month).
pub mod close;
pub mod figures;
pub mod list;
pub mod month_rows;
pub mod queries;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::time::Month;

/// One row of `rebate_rates`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rate {
    pub id: i64,
    /// `Rank::code()`
    pub rank: String,
    /// 1 bp = 0.01 %: 500 = 5 %.
    pub basis_points: i32,
    pub effective_from: NaiveDate,
}

/// The basis points in force for `rank` on `date` (0 when no rate applies yet).
pub fn rate_on(rates: &[Rate], rank: &str, date: NaiveDate) -> i32 {
    rates
        .iter()
        .filter(|r| r.rank == rank && r.effective_from <= date)
        .max_by_key(|r| (r.effective_from, r.id))
        .map(|r| r.basis_points)
        .unwrap_or(0)
}

/// A part of the month with one rate (inclusive dates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub basis_points: i32,
    pub order_count: u64,
    /// Σ tax-excluded amounts of the segment's orders.
    #[serde(default)]
    pub orders_yen: i64,
    /// Returns recorded in the segment and their tax-excluded amount (positive).
    #[serde(default)]
    pub return_count: u64,
    #[serde(default)]
    pub returns_yen: i64,
    /// `orders_yen - returns_yen`.
    pub base_yen: i64,
    /// `floor(max(base_yen, 0) × basis_points / 10000)`.
    pub rebate_yen: i64,
}

/// One downline order as the rule needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderAmount {
    /// JST date of `ordered_at`.
    pub date: NaiveDate,
    /// Tax-excluded amount (Σ line amounts).
    pub amount_yen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRebate {
    pub month: Month,
    pub rank: String,
    pub segments: Vec<Segment>,
    pub order_count: u64,
    #[serde(default)]
    pub orders_yen: i64,
    #[serde(default)]
    pub return_count: u64,
    #[serde(default)]
    pub returns_yen: i64,
    /// Orders minus returns.
    pub base_yen: i64,
    pub rebate_yen: i64,
}

/// Cuts fractions of a yen (円未満切り捨て); amounts are never negative.
pub fn apply_rate(base_yen: i64, basis_points: i32) -> i64 {
    let v = i128::from(base_yen) * i128::from(basis_points) / 10_000;
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The month split where `rank`'s rate changes: one segment per rate in force.
pub fn segments_for(rates: &[Rate], rank: &str, month: Month) -> Vec<Segment> {
    let first = month.first_day();
    let last = month.last_day();
    let mut starts: Vec<NaiveDate> = vec![first];
    starts.extend(
        rates
            .iter()
            .filter(|r| r.rank == rank && r.effective_from > first && r.effective_from <= last)
            .map(|r| r.effective_from),
    );
    starts.sort();
    starts.dedup();
    let mut out: Vec<Segment> = Vec::with_capacity(starts.len());
    for (i, from) in starts.iter().enumerate() {
        let to = starts
            .get(i + 1)
            .map(|n| *n - Duration::days(1))
            .unwrap_or(last);
        let bp = rate_on(rates, rank, *from);
        // A "change" to the same rate does not split the statement.
        if let Some(prev) = out.last_mut() {
            if prev.basis_points == bp {
                prev.to = to;
                continue;
            }
        }
        out.push(Segment {
            from: *from,
            to,
            basis_points: bp,
            order_count: 0,
            orders_yen: 0,
            return_count: 0,
            returns_yen: 0,
            base_yen: 0,
            rebate_yen: 0,
        });
    }
    out
}

/// The month's rebate for a customer of `rank` over their downline's orders. Orders outside
/// the month are ignored (the caller's query already limits them).
pub fn compute(rates: &[Rate], rank: &str, month: Month, orders: &[OrderAmount]) -> MonthRebate {
    compute_with_returns(rates, rank, month, orders, &[])
}

/// [`compute`] with the returns recorded in the month: each return reduces the base of the
/// segment its JST recording date falls in (`OrderAmount::date` is that date for a return).
pub fn compute_with_returns(
    rates: &[Rate],
    rank: &str,
    month: Month,
    orders: &[OrderAmount],
    returns: &[OrderAmount],
) -> MonthRebate {
    let mut segments = segments_for(rates, rank, month);
    let find = |segments: &[Segment], date: NaiveDate| -> Option<usize> {
        if Month::of(date) != month {
            return None;
        }
        segments.iter().position(|s| s.from <= date && date <= s.to)
    };
    for o in orders {
        if let Some(i) = find(&segments, o.date) {
            segments[i].order_count += 1;
            segments[i].orders_yen += o.amount_yen;
        }
    }
    for r in returns {
        if let Some(i) = find(&segments, r.date) {
            segments[i].return_count += 1;
            segments[i].returns_yen += r.amount_yen;
        }
    }
    for s in &mut segments {
        s.base_yen = s.orders_yen - s.returns_yen;
        s.rebate_yen = apply_rate(s.base_yen.max(0), s.basis_points);
    }
    MonthRebate {
        month,
        rank: rank.to_owned(),
        order_count: segments.iter().map(|s| s.order_count).sum(),
        orders_yen: segments.iter().map(|s| s.orders_yen).sum(),
        return_count: segments.iter().map(|s| s.return_count).sum(),
        returns_yen: segments.iter().map(|s| s.returns_yen).sum(),
        base_yen: segments.iter().map(|s| s.base_yen).sum(),
        rebate_yen: segments.iter().map(|s| s.rebate_yen).sum(),
        segments,
    }
}

/// `5.00%` for 500 bp.
pub fn percent_label(bp: i32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// Parses a percentage typed by staff (`5`, `5.5`, `5.25`, `５％`) into basis points, 0–100 %.
pub fn parse_percent(input: &str) -> Option<i32> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .collect();
    let s = s.trim_end_matches(['%', '％']).trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let w: i32 = whole.parse().ok()?;
    let f: i32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let bp = w * 100 + f;
    (0..=10_000).contains(&bp).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn rate(id: i64, rank: &str, bp: i32, from: NaiveDate) -> Rate {
        Rate {
            id,
            rank: rank.into(),
            basis_points: bp,
            effective_from: from,
        }
    }
    fn o(date: NaiveDate, amount_yen: i64) -> OrderAmount {
        OrderAmount { date, amount_yen }
    }
    const NOV: Month = Month {
        year: 2026,
        month: 11,
    };

    fn demo_rates() -> Vec<Rate> {
        vec![
            rate(1, "ultra", 800, d(2026, 1, 1)),
            rate(2, "super", 600, d(2026, 1, 1)),
            rate(3, "hansha", 500, d(2026, 1, 1)),
            rate(4, "dairiten", 300, d(2026, 1, 1)),
        ]
    }

    #[test]
    fn one_rate_for_the_whole_month_rounds_down_once() {
        // 12,345 + 6,789 = 19,134 yen at 5 %: 956.7 → 956 yen (not 617 + 339 = 956.x per order).
        let r = compute(
            &demo_rates(),
            "hansha",
            NOV,
            &[o(d(2026, 11, 3), 12_345), o(d(2026, 11, 30), 6_789)],
        );
        assert_eq!(r.segments.len(), 1);
        assert_eq!(r.base_yen, 19_134);
        assert_eq!(r.rebate_yen, 956);
        assert_eq!(r.order_count, 2);
        assert_eq!(r.segments[0].from, d(2026, 11, 1));
        assert_eq!(r.segments[0].to, d(2026, 11, 30));
    }

    #[test]
    fn rounding_per_segment_not_per_order() {
        // Three orders of 33 yen at 3 %: per order 0.99 → 0 each, but once: 99 × 3 % = 2.97 → 2.
        let orders = [
            o(d(2026, 11, 1), 33),
            o(d(2026, 11, 2), 33),
            o(d(2026, 11, 3), 33),
        ];
        let r = compute(&demo_rates(), "dairiten", NOV, &orders);
        assert_eq!(r.rebate_yen, 2);
        // Exact multiples keep every yen: 10,000 × 8 % = 800.
        let r = compute(&demo_rates(), "ultra", NOV, &[o(d(2026, 11, 15), 10_000)]);
        assert_eq!(r.rebate_yen, 800);
        // 1 yen at 99.99 % is still 0 yen.
        assert_eq!(apply_rate(1, 9_999), 0);
        assert_eq!(apply_rate(19_999, 50), 99); // 99.995 → 99
    }

    #[test]
    fn ranks_use_their_own_rates() {
        let orders = [o(d(2026, 11, 10), 100_000)];
        let rates = demo_rates();
        assert_eq!(compute(&rates, "ultra", NOV, &orders).rebate_yen, 8_000);
        assert_eq!(compute(&rates, "super", NOV, &orders).rebate_yen, 6_000);
        assert_eq!(compute(&rates, "hansha", NOV, &orders).rebate_yen, 5_000);
        assert_eq!(compute(&rates, "dairiten", NOV, &orders).rebate_yen, 3_000);
        // No rate for the rank: the statement shows 0 %, 0 yen, and the base.
        let g = compute(&rates, "general", NOV, &orders);
        assert_eq!(g.rebate_yen, 0);
        assert_eq!(g.base_yen, 100_000);
        assert_eq!(g.segments[0].basis_points, 0);
    }

    #[test]
    fn a_mid_month_change_splits_the_month() {
        let mut rates = demo_rates();
        // 販社 goes from 5 % to 6.5 % on 16 November.
        rates.push(rate(10, "hansha", 650, d(2026, 11, 16)));
        let orders = [
            o(d(2026, 11, 1), 10_001),  // 5 %
            o(d(2026, 11, 15), 20_000), // 5 %, last day of the old rate
            o(d(2026, 11, 16), 30_003), // 6.5 %, first day of the new rate
            o(d(2026, 11, 30), 7),      // 6.5 %
        ];
        let r = compute(&rates, "hansha", NOV, &orders);
        assert_eq!(r.segments.len(), 2);
        let (a, b) = (&r.segments[0], &r.segments[1]);
        assert_eq!(
            (a.from, a.to, a.basis_points),
            (d(2026, 11, 1), d(2026, 11, 15), 500)
        );
        assert_eq!(
            (b.from, b.to, b.basis_points),
            (d(2026, 11, 16), d(2026, 11, 30), 650)
        );
        // 30,001 × 5 % = 1,500.05 → 1,500; 30,010 × 6.5 % = 1,950.65 → 1,950.
        assert_eq!(
            (a.order_count, a.base_yen, a.rebate_yen),
            (2, 30_001, 1_500)
        );
        assert_eq!(
            (b.order_count, b.base_yen, b.rebate_yen),
            (2, 30_010, 1_950)
        );
        assert_eq!(r.rebate_yen, 3_450);
        assert_eq!(r.base_yen, 60_011);
        // October is untouched by the November change.
        let oct = Month {
            year: 2026,
            month: 10,
        };
        let r = compute(&rates, "hansha", oct, &[o(d(2026, 10, 31), 30_010)]);
        assert_eq!(r.segments.len(), 1);
        assert_eq!(r.rebate_yen, 1_500);
    }

    #[test]
    fn several_changes_and_corrections() {
        let rates = vec![
            rate(1, "super", 600, d(2026, 1, 1)),
            rate(2, "super", 700, d(2026, 12, 10)),
            rate(3, "super", 750, d(2026, 12, 20)),
            // Staff corrected the 20th's rate: the later row for the same day wins.
            rate(4, "super", 720, d(2026, 12, 20)),
            // A change to the same rate does not split.
            rate(5, "super", 720, d(2026, 12, 25)),
            // Another rank's change does not split either.
            rate(6, "ultra", 900, d(2026, 12, 5)),
        ];
        let dec = Month {
            year: 2026,
            month: 12,
        };
        let r = compute(
            &rates,
            "super",
            dec,
            &[
                o(d(2026, 12, 9), 1_000),
                o(d(2026, 12, 10), 1_000),
                o(d(2026, 12, 31), 1_000),
            ],
        );
        let bps: Vec<_> = r
            .segments
            .iter()
            .map(|s| (s.from.day(), s.to.day(), s.basis_points, s.rebate_yen))
            .collect();
        assert_eq!(
            bps,
            vec![(1, 9, 600, 60), (10, 19, 700, 70), (20, 31, 720, 72)]
        );
        assert_eq!(r.rebate_yen, 202);
    }

    #[test]
    fn rate_starting_on_the_first_needs_no_split_and_future_rates_do_not_apply() {
        let rates = vec![
            rate(1, "hansha", 500, d(2026, 1, 1)),
            rate(2, "hansha", 550, d(2026, 11, 1)),
            rate(3, "hansha", 900, d(2027, 1, 1)),
        ];
        let r = compute(&rates, "hansha", NOV, &[o(d(2026, 11, 1), 1_000)]);
        assert_eq!(r.segments.len(), 1);
        assert_eq!(r.segments[0].basis_points, 550);
        assert_eq!(r.rebate_yen, 55);
        // Before any rate existed: 0.
        let early = Month {
            year: 2025,
            month: 12,
        };
        assert_eq!(
            compute(&rates, "hansha", early, &[o(d(2025, 12, 1), 1_000)]).rebate_yen,
            0
        );
    }

    #[test]
    fn returns_reduce_the_segment_they_are_recorded_in_and_never_go_below_zero() {
        let mut rates = demo_rates();
        rates.push(rate(10, "hansha", 650, d(2026, 11, 16)));
        let orders = [o(d(2026, 11, 2), 10_000), o(d(2026, 11, 20), 20_000)];
        // A return on 3 Nov (5 %) and one on 30 Nov (6.5 %), e.g. of an October order; one
        // recorded in December does not count here.
        let returns = [
            o(d(2026, 11, 3), 4_000),
            o(d(2026, 11, 30), 1_000),
            o(d(2026, 12, 1), 9_999),
        ];
        let r = compute_with_returns(&rates, "hansha", NOV, &orders, &returns);
        let (a, b) = (&r.segments[0], &r.segments[1]);
        assert_eq!(
            (a.orders_yen, a.returns_yen, a.base_yen),
            (10_000, 4_000, 6_000)
        );
        assert_eq!(a.rebate_yen, 300);
        assert_eq!(
            (b.orders_yen, b.returns_yen, b.base_yen),
            (20_000, 1_000, 19_000)
        );
        assert_eq!(b.rebate_yen, 1_235);
        assert_eq!(
            (r.return_count, r.returns_yen, r.base_yen),
            (2, 5_000, 25_000)
        );
        assert_eq!(r.rebate_yen, 1_535);
        // Returns only: a negative base, 0 yen.
        let r = compute_with_returns(&rates, "hansha", NOV, &[], &[o(d(2026, 11, 5), 3_000)]);
        assert_eq!((r.base_yen, r.rebate_yen), (-3_000, 0));
    }

    #[test]
    fn orders_outside_the_month_are_ignored() {
        let r = compute(
            &demo_rates(),
            "hansha",
            NOV,
            &[o(d(2026, 10, 31), 1_000), o(d(2026, 12, 1), 1_000)],
        );
        assert_eq!(r.order_count, 0);
        assert_eq!(r.rebate_yen, 0);
    }

    #[test]
    fn percent_input_and_labels() {
        assert_eq!(parse_percent("5"), Some(500));
        assert_eq!(parse_percent("5.5"), Some(550));
        assert_eq!(parse_percent("5.25%"), Some(525));
        assert_eq!(parse_percent("１２．５％"), Some(1_250));
        assert_eq!(parse_percent("100"), Some(10_000));
        assert_eq!(parse_percent("0"), Some(0));
        assert_eq!(parse_percent("100.01"), None);
        assert_eq!(parse_percent("5.125"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(percent_label(500), "5.00%");
        assert_eq!(percent_label(1_250), "12.50%");
        assert_eq!(percent_label(5), "0.05%");
    }
}
