//! 全国販社 staff screens' server functions (one per file).
pub mod consolidate;
pub mod pending_logins;

pub use consolidate::StaffConsolidate;
pub use pending_logins::{pending_logins, PendingLogin, PendingLoginsFn};
pub mod audit_kinds;
pub mod audit_log;
pub use audit_log::{audit_log, verify_audit_chain, AuditFilter, AuditPage, ChainStatus};
