//! Ordering (R6, R8): product type-ahead, the picture catalogue, placing an order and the
//! order history. One server function per file; the types here are shared with the browser.
pub mod catalogue;
pub mod history;
pub mod place;
pub mod search;

pub use catalogue::{catalogue, CatalogueFn};
pub use history::{order_history, OrderHistoryFn};
pub use place::{place_order, PlaceOrder};
pub use search::{search_products, SearchProductsFn};

use serde::{Deserialize, Serialize};

/// The most of one product in one order line.
pub const QUANTITY_MAX: i64 = 9_999;
/// The most lines in one order.
pub const LINES_MAX: usize = 100;

/// A product as the ordering screens show it (prices exclude tax).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductView {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub price_yen: i64,
    pub tax_rate_percent: i32,
    pub picture: Option<String>,
    pub active: bool,
}

/// One cart line as the customer confirmed it: the price and rate they saw travel with it so
/// the server can refuse when the product changed meanwhile (e.g. in another tab).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_code: String,
    /// As typed; the server parses it (数字以外・0・上限超えはエラー).
    pub quantity: String,
    pub unit_price_yen: i64,
    pub tax_rate_percent: i32,
}

/// The result of a placed order, for the confirmation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub order_number: String,
    pub total_yen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_code: String,
    pub product_name: String,
    pub unit_price_yen: i64,
    pub tax_rate_percent: i32,
    pub quantity: i32,
    pub amount_yen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub order_number: String,
    pub status: String,
    pub status_label: String,
    /// JST, `2026/11/30 15:04`.
    pub ordered_at: String,
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
    pub lines: Vec<OrderLineView>,
    /// 出荷日 (JST, `2026/12/03`) and 送り状番号 once shipped.
    #[serde(default)]
    pub shipped_on: Option<String>,
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// 返品 recorded on the order: `2026/12/05 返品 ¥1,234`.
    #[serde(default)]
    pub returns: Vec<String>,
}

/// A product code as typed, normalised: full-width → ASCII, upper case, any dash → `-`.
/// `None` unless it looks like a code (letters, digits, hyphen; 1–20 characters).
pub fn normalise_code(raw: &str) -> Option<String> {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '‐' | '‑' | '‒' | '–' | '—' | '−' | 'ー' | 'ｰ' => '-',
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = !s.is_empty()
        && s.chars().count() <= 20
        && s.chars().any(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(s)
}

/// A quantity as typed (full-width digits and thousands separators accepted): 1 to 9,999.
pub fn parse_quantity(raw: &str) -> Result<i64, String> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    if s.is_empty() {
        return Err("数量を入力してください。".into());
    }
    let n: i64 = match s.parse::<i64>() {
        Ok(n) => n,
        Err(_) if s.starts_with('-') && s[1..].chars().all(|c| c.is_ascii_digit()) => {
            return Err("数量は1以上で入力してください。".into())
        }
        Err(_) if s.chars().all(|c| c.is_ascii_digit()) => {
            return Err(format!("数量は1回の注文で{QUANTITY_MAX}個までです。"))
        }
        Err(_) => return Err("数量は数字で入力してください。".into()),
    };
    if n < 1 {
        return Err("数量は1以上で入力してください。".into());
    }
    if n > QUANTITY_MAX {
        return Err(format!("数量は1回の注文で{QUANTITY_MAX}個までです。"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code(" ａ－１００１ ").as_deref(), Some("A-1001"));
        assert_eq!(normalise_code("a-10").as_deref(), Some("A-10"));
        assert_eq!(normalise_code("じょうすい"), None);
        assert_eq!(normalise_code("-"), None);
        assert_eq!(normalise_code(&"A".repeat(21)), None);
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("３"), Ok(3));
        assert_eq!(parse_quantity("1,000"), Ok(1000));
        assert!(parse_quantity("0").unwrap_err().contains("1以上"));
        assert!(parse_quantity("-2").unwrap_err().contains("1以上"));
        assert!(parse_quantity("10000").unwrap_err().contains("9999"));
        assert!(parse_quantity("99999999999999999999")
            .unwrap_err()
            .contains("9999"));
        assert!(parse_quantity("abc").unwrap_err().contains("数字"));
        assert!(parse_quantity("").is_err());
    }
}
