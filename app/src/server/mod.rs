//! Everything that touches the database, the password hasher or the network. Compiled only
//! with the `ssr` feature; the UI reaches it only through server functions.
pub mod assets;
pub mod audit;
pub mod audit_check;
pub mod audit_view;
pub mod auth;
pub mod boundary;
pub mod catalogue;
pub mod catalogue_demo;
pub mod clock;
pub mod config;
pub mod csv_export;
pub mod customer_admin;
pub mod customer_keys;
pub mod customer_search;
pub mod customers_export;
pub mod db;
pub mod demo;
pub mod demo_bulk;
pub mod documents;
pub mod documents_bench;
pub mod entities;
pub mod housekeeping;
pub mod import;
pub mod keyed;
pub mod limits;
pub mod messages;
pub mod network;
pub mod network_tree;
pub mod notices;
pub mod order_admin;
pub mod ordering;
pub mod password;
pub mod pdf;
pub mod pin;
pub mod queue;
pub mod rebate;
pub mod recovery;
pub mod registration;
pub mod router;
pub mod seal;
pub mod search_key;
pub mod senders;
pub mod session;
pub mod signed_in;
pub mod staff_reset;
pub mod state;
pub mod test_clock;
pub mod twilio_status;
pub mod verification;

use crate::error::AppError;

/// Database failures are logged here, once, and reach the user only as a generic message.
impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

/// Hex-encoded SHA-256, used for session ids, account keys and the audit chain.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    let out = h.finalize();
    let mut s = String::with_capacity(64);
    for b in out {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
