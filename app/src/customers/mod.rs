//! お客様 / マスタメンテ server functions, one per file: 顧客検索 (R4), 販売事業部新規顧客登録
//! (R5) and the 全国販社 customer screens (R8). The rules live in `server::customer_search`,
//! `server::registration` and `server::customer_admin`.
pub mod downline_customer;
pub mod rank_select;
pub mod register_agency;
pub mod register_divisions;
pub mod register_fields;
pub mod register_form;
pub mod register_staff;
pub mod search;
pub mod staff_customer;
pub mod staff_customer_details;
pub mod staff_customer_update;
pub mod staff_divisions;

pub use downline_customer::{downline_customer, CustomerCard, DownlineCustomerFn};
pub use register_agency::RegisterCustomer;
pub use register_divisions::{register_divisions, DivisionOption, RegisterDivisionsFn};
pub use register_staff::StaffRegisterCustomer;
pub use search::{search_customers, CustomerHit, SearchCustomers, SearchPage};
pub use staff_customer::{staff_customer, StaffCustomer, StaffCustomerFn};
pub use staff_customer_details::StaffUpdateCustomerDetails;
pub use staff_customer_update::StaffUpdateCustomer;
pub use staff_divisions::{staff_divisions, StaffDivisionsFn};

use crate::model::Rank;
use serde::{Deserialize, Serialize};

/// Whether a customer may use 顧客検索 (and sees it in the マスタメンテ menu): 全国販社 staff,
/// and 画面1 users (会員登録あり 販社 and above, R6), who search their own downline.
/// Everyone else works on 画面2, which has no マスタメンテ.
pub fn may_search(rank: Rank, can_register: bool) -> bool {
    rank == Rank::National || (can_register && rank.is_hansha_or_above())
}

/// Whether a customer may use 販売事業部新規顧客登録 (R5): ウルトラ販社 / スーパー販社 / 販社 with
/// 会員登録あり. (The server decides again, in `server::registration::decide`.)
pub fn may_register_agency(rank: Rank, can_register: bool) -> bool {
    can_register && matches!(rank, Rank::Ultra | Rank::Super | Rank::Hansha)
}

/// The answer to a registration: the new お客様ID, or a question about a likely duplicate
/// (which field matched, never who).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RegisterResult {
    Registered { customer_code: String },
    NeedsConfirmation { reasons: Vec<String> },
}

#[cfg(feature = "ssr")]
impl From<crate::server::registration::Outcome> for RegisterResult {
    fn from(o: crate::server::registration::Outcome) -> Self {
        use crate::server::registration::Outcome;
        match o {
            Outcome::Registered { customer_code } => RegisterResult::Registered { customer_code },
            Outcome::NeedsConfirmation { reasons } => RegisterResult::NeedsConfirmation { reasons },
        }
    }
}

/// A checkbox as a form sends it: present ("on" or "true") or absent.
pub fn checked(v: &Option<String>) -> bool {
    v.as_deref()
        .is_some_and(|s| matches!(s, "on" | "true" | "1"))
}
