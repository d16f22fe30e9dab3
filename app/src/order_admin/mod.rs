//! 受注管理 (#11.1, 全国販社 staff): the order list with filters, one order's detail, and its
//! status changes (出荷・取消・返品). One server function per file; the types here are shared
//! with the browser. The rules live in `server::order_admin::rules`.
pub mod act;
pub mod detail;
pub mod list;

pub use act::{cancel_order, return_order, ship_order, CancelOrder, ReturnOrder, ShipOrder};
pub use detail::{staff_order, StaffOrderFn};
pub use list::{staff_orders, StaffOrdersFn};

use serde::{Deserialize, Serialize};

/// The list's filters as the URL carries them (`/staff/orders?status=…&from=…&to=…&q=…`);
/// the CSV export takes the same ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    #[serde(default)]
    pub status: String,
    /// JST date `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    /// JST date `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub to: String,
    /// お客様ID (8 digits, exact) or 代理店名・カナ・電話番号 as in 顧客検索.
    #[serde(default)]
    pub q: String,
}

impl OrderFilter {
    /// The query string of these filters (for the pager and the CSV link).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("status", &self.status),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        parts.join("&")
    }
}

/// Percent-encoding for a query value (everything but unreserved ASCII).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One row of the list. No e-mail, no phone: staff identify the customer by お客様ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub order_number: String,
    /// JST, `2026/12/03 10:15`.
    pub ordered_at: String,
    pub customer_code: String,
    pub customer_name: String,
    pub status: String,
    pub status_label: String,
    pub shipped_on: Option<String>,
    pub tracking_number: Option<String>,
    pub subtotal_yen: i64,
    pub tax_yen: i64,
    pub total_yen: i64,
    /// Σ of the order's returns (tax included).
    pub returned_yen: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderListPage {
    pub rows: Vec<OrderRow>,
    /// Pass back as `cursor` for the next (older) page; `None` on the last page.
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailLine {
    pub line_no: i32,
    pub product_code: String,
    pub product_name: String,
    pub unit_price_yen: i64,
    pub tax_rate_percent: i32,
    pub quantity: i32,
    pub returned: i32,
    pub amount_yen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnView {
    /// JST, `2026/12/03 10:15`: the month it counts in.
    pub recorded_at: String,
    pub reason: String,
    pub total_yen: i64,
    /// `浄水器 × 2` per returned line.
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order_number: String,
    /// The version this screen shows; every action form sends it back.
    pub version: i32,
    pub status: String,
    pub status_label: String,
    pub ordered_at: String,
    pub customer_code: String,
    pub customer_name: String,
    pub shipped_on: Option<String>,
    pub tracking_number: Option<String>,
    pub cancel_reason: Option<String>,
    pub status_changed_at: Option<String>,
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
    pub lines: Vec<DetailLine>,
    pub returns: Vec<ReturnView>,
    /// Today (JST) `YYYY-MM-DD`, the 出荷日 the form starts with.
    pub today: String,
    pub can_ship: bool,
    pub can_cancel: bool,
    pub can_return: bool,
}

/// The answer to a status change: what happened, for the screen's message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDone {
    pub message: String,
    pub version: i32,
}
