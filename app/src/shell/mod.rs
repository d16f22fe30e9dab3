//! The page frame every signed-in page shares: the top bar with the お客様ID (R7),
//! the 画面1 (brown) / 画面2 (green) theme and the phone menu.
pub mod breadcrumbs;
pub mod error_view;
pub mod field_errors;
pub mod header;
pub mod protected;
pub mod refusal;
