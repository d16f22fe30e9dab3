//! 納品書 and 還元額計算書 downloads (R8): who may fetch what ([`access`]), the HTTP answers
//! ([`http`]), one handler per document, and the staff's 還元率 screen ([`rates`]). Handlers,
//! not server functions, because they answer with a file. The 還元額 figures themselves come
//! from `server::rebate`.
pub mod access;
pub mod delivery_note;
pub mod http;
pub mod rates;
pub mod rebate_csv;
pub mod rebate_pdf;

pub use access::{staff, statement_subject, viewer, RebateParams};
pub use delivery_note::{delivery_note_data, delivery_note_pdf};
pub use http::error_response;
pub use rates::{add_rate, rates_page};
pub use rebate_pdf::{rebate_file, rebate_statement_data};
