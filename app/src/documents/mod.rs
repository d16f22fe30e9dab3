//! 納品書 / 還元額計算書 (R8): server functions for the statement list and the 還元率 staff
//! page (one per file). The PDFs themselves are plain GET routes (`server::documents`).
pub mod add_rebate_rate;
pub mod rebate_close;
pub mod rebate_months;
pub mod rebate_rates;

use serde::{Deserialize, Serialize};

pub use add_rebate_rate::AddRebateRate;
pub use rebate_close::{
    rebate_close_page, CloseRebateMonth, RebateClosePageFn, ReissueRebateStatement,
};
pub use rebate_months::{rebate_months, RebateMonthsFn};
pub use rebate_rates::{rebate_rates, RebateRatesFn};

/// The months whose 還元額計算書 a customer can download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RebateMonths {
    pub customer_code: String,
    pub name: String,
    /// The viewer is 全国販社 staff (may ask for any customer).
    pub staff: bool,
    /// The statements are someone else's (staff looking up a customer).
    pub other: bool,
    pub months: Vec<MonthLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthLink {
    /// `2026-11`
    pub code: String,
    /// `2026年11月`
    pub label: String,
    /// `/documents/rebate/2026-11.pdf[?customer=…]`
    pub href: String,
    /// The month's 還元額 (Σ segments), as printed in the PDF.
    pub rebate_yen: i64,
    /// Σ tax-excluded amounts of the downline's orders minus the month's returns.
    pub base_yen: i64,
    pub order_count: u64,
    /// Σ tax-excluded amounts of the orders alone, and of the returns recorded in the month.
    pub orders_yen: i64,
    pub return_count: u64,
    pub returns_yen: i64,
    /// One per rate in force during the month.
    pub segments: Vec<SegmentView>,
    /// `仮計算`, `確定（第1版）`, `確定（第2版・再発行）`.
    pub status: String,
    /// The month is not closed yet: the amount may still change.
    pub provisional: bool,
    /// Why the latest version was reissued.
    pub reason: Option<String>,
    /// Earlier stored versions (the latest is `href`), oldest first.
    pub earlier: Vec<VersionLink>,
    /// `/documents/rebate/2026-11.csv[?customer=…]`
    pub csv_href: String,
}

/// An earlier version of a closed month's statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionLink {
    /// `第1版（2026年12月1日発行）`
    pub label: String,
    pub href: String,
}

/// A part of a month with one rate, for the screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentView {
    /// `11/1〜11/30`
    pub period: String,
    /// `5.00%`
    pub percent: String,
    pub order_count: u64,
    pub orders_yen: i64,
    pub return_count: u64,
    pub returns_yen: i64,
    /// Orders minus returns.
    pub base_yen: i64,
    pub rebate_yen: i64,
}

/// One 還元率 row as the staff page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RebateRateRow {
    pub id: i64,
    pub rank_code: String,
    pub rank_label: String,
    /// `5.00%`
    pub percent: String,
    /// `2026-01-01`
    pub effective_from: String,
    /// JST, `2026-11-30 10:00`
    pub created_at: String,
    /// お客様ID of the staff member who added it (none for demo data).
    pub created_by: Option<String>,
    /// `current` (in force today), `scheduled` (from a future date) or `past`.
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RebateRatesPage {
    /// Today in JST, `2026-11-30`: the earliest date a new rate may start.
    pub today: String,
    /// (code, label) of every rank.
    pub ranks: Vec<(String, String)>,
    /// Newest first within each rank, ranks in their order.
    pub rows: Vec<RebateRateRow>,
}

/// One ended month on the 締め staff page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CloseMonthRow {
    /// `2026-11`
    pub code: String,
    /// `2026年11月`
    pub label: String,
    /// JST `2026-12-01 10:00` once closed.
    pub closed_at: Option<String>,
    /// 第1版 statements stored by the close, and their Σ 還元額.
    pub statements: u64,
    pub amount_yen: i64,
    /// Versions after the first (再発行).
    pub reissues: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RebateClosePage {
    /// The last 24 ended JST months, newest first.
    pub months: Vec<CloseMonthRow>,
}
