//! Yen as every screen, CSV-free text and PDF writes it. Amounts are whole yen in `i64`.

/// `1,234` / `-980`: thousands separators (columns that say 円 in their titles).
pub fn digits(v: i64) -> String {
    let d = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(d.len() + d.len() / 3 + 1);
    if v < 0 {
        out.push('-');
    }
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `¥1,234`, `-¥980`: the sign before the currency sign, on screen and on paper alike.
pub fn yen(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}¥{}", digits(v).trim_start_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(digits(0), "0");
        assert_eq!(digits(999), "999");
        assert_eq!(digits(1_000), "1,000");
        assert_eq!(digits(1_234_567), "1,234,567");
        assert_eq!(digits(-1_234_567), "-1,234,567");
        assert_eq!(digits(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn yen_puts_the_sign_first() {
        assert_eq!(yen(0), "¥0");
        assert_eq!(yen(1_234), "¥1,234");
        assert_eq!(yen(-980), "-¥980");
        assert_eq!(yen(-1_000), "-¥1,000");
    }
}
