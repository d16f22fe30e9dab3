//! Consumption tax, インボイス style: tax is computed once per rate on the order's subtotal
//! for that rate, rounded down to the yen (円未満切り捨て) — never per line. Used for order
//! totals and printed on the 納品書.

/// 標準税率 and 軽減税率 (food).
pub const STANDARD_RATE: i32 = 10;
pub const REDUCED_RATE: i32 = 8;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    #[error("消費税率は10%または8%です（{0}%は扱えません）。")]
    UnknownRate(i32),
    #[error("金額が大きすぎます。")]
    Overflow,
}

/// Tax on a subtotal at `rate_percent`, rounded down.
pub fn tax_on(subtotal_yen: i64, rate_percent: i32) -> Option<i64> {
    subtotal_yen
        .checked_mul(i64::from(rate_percent))
        .map(|v| v.div_euclid(100))
}

/// Totals of `(tax_rate_percent, amount_yen)` lines (amounts exclude tax): per rate,
/// subtotal = Σ amount and tax = ⌊subtotal × rate / 100⌋; total = Σ subtotals + Σ taxes.
pub fn totals<I: IntoIterator<Item = (i32, i64)>>(lines: I) -> Result<Totals, TaxError> {
    let mut t = Totals::default();
    for (rate, amount) in lines {
        let sub = match rate {
            STANDARD_RATE => &mut t.subtotal_10_yen,
            REDUCED_RATE => &mut t.subtotal_8_yen,
            other => return Err(TaxError::UnknownRate(other)),
        };
        *sub = sub.checked_add(amount).ok_or(TaxError::Overflow)?;
    }
    t.tax_10_yen = tax_on(t.subtotal_10_yen, STANDARD_RATE).ok_or(TaxError::Overflow)?;
    t.tax_8_yen = tax_on(t.subtotal_8_yen, REDUCED_RATE).ok_or(TaxError::Overflow)?;
    t.total_yen = [
        t.subtotal_10_yen,
        t.tax_10_yen,
        t.subtotal_8_yen,
        t.tax_8_yen,
    ]
    .into_iter()
    .try_fold(0i64, i64::checked_add)
    .ok_or(TaxError::Overflow)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_is_per_rate_on_the_subtotal_and_rounded_down() {
        // Per line, 3 × ⌊99 × 0.1⌋ = 27; on the subtotal ⌊297 × 0.1⌋ = 29.
        let t = totals([(10, 99), (10, 99), (10, 99)]).unwrap();
        assert_eq!(t.subtotal_10_yen, 297);
        assert_eq!(t.tax_10_yen, 29);
        assert_eq!(t.total_yen, 326);
    }

    #[test]
    fn two_rates_are_kept_apart() {
        let t = totals([(10, 1_000), (8, 1_234), (8, 1)]).unwrap();
        assert_eq!(
            t,
            Totals {
                subtotal_10_yen: 1_000,
                tax_10_yen: 100,
                subtotal_8_yen: 1_235,
                tax_8_yen: 98, // 98.8 → 98
                total_yen: 1_000 + 100 + 1_235 + 98,
            }
        );
    }

    #[test]
    fn empty_order_is_zero() {
        assert_eq!(totals([]).unwrap(), Totals::default());
    }

    #[test]
    fn unknown_rate_and_overflow_are_errors() {
        assert_eq!(totals([(5, 100)]), Err(TaxError::UnknownRate(5)));
        assert_eq!(totals([(10, i64::MAX), (10, 1)]), Err(TaxError::Overflow));
        assert_eq!(totals([(10, i64::MAX / 2)]), Err(TaxError::Overflow));
    }

    #[test]
    fn tax_on_rounds_down() {
        assert_eq!(tax_on(109, 8), Some(8)); // 8.72
        assert_eq!(tax_on(19, 10), Some(1)); // 1.9
        assert_eq!(tax_on(0, 10), Some(0));
    }
}
