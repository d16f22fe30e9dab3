//! Customer master (マスタメンテ) server functions, one per file.
pub mod search;

pub use search::{search_customers, CustomerHit, SearchCustomers, SearchPage};

use crate::model::Rank;

/// Whether a customer may use 顧客検索 (and sees it in the マスタメンテ menu): 全国販社 staff,
/// and 画面1 users (会員登録あり 販社 and above, R6), who search their own downline.
/// Everyone else works on 画面2, which has no マスタメンテ.
pub fn may_search(rank: Rank, can_register: bool) -> bool {
    rank == Rank::National || (can_register && rank.is_hansha_or_above())
}
