//! 全国販社 staff screens' server functions (one per file).
pub mod consolidate;
pub mod pending_logins;

pub use consolidate::StaffConsolidate;
pub use pending_logins::{pending_logins, PendingLogin, PendingLoginsFn};
