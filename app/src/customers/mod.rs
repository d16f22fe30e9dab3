//! お客様 / マスタメンテ server functions, one per file: 顧客検索 (R4), 販売事業部新規顧客登録
//! (R5) and the 全国販社 customer screens (R8). The rules live in `server::customer_search`,
//! `server::registration` and `server::customer_admin`.
pub mod downline_customer;
pub mod network_children;
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
pub use network_children::{network_children, NetworkChildrenFn, NetworkNode, NetworkPage};
pub use register_agency::RegisterCustomer;
pub use register_divisions::{register_divisions, DivisionOption, RegisterDivisionsFn};
pub use register_staff::StaffRegisterCustomer;
pub use search::{search_customers, CustomerHit, SearchCustomers, SearchPage};
pub use staff_customer::{staff_customer, StaffCustomer, StaffCustomerFn};
pub use staff_customer_details::StaffUpdateCustomerDetails;
pub use staff_customer_update::StaffUpdateCustomer;
pub use staff_divisions::{staff_divisions, StaffDivisionsFn};

use serde::{Deserialize, Serialize};

/// Who sees 顧客検索 and 販売事業部新規顧客登録: the rules live in `crate::domain::rank` (the
/// server decides again, e.g. in `server::registration::decide`).
pub use crate::domain::rank::may_search;

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
