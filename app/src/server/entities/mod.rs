//! SeaORM entities. Only this module and the repositories beside it know table names.
pub mod audit_log;
pub mod customers;
pub mod email_verifications;
pub mod legacy_logins;
pub mod limit_events;
pub mod logins;
pub mod order_lines;
pub mod orders;
pub mod outgoing_messages;
pub mod pin_challenges;
pub mod products;
pub mod rebate_rates;
pub mod sales_divisions;
pub mod sessions;
