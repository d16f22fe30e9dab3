//! 商品管理 for 全国販社 staff (one server function per file). Anyone else: 403 + audit.
pub mod list;
pub mod save;
pub mod set_active;

pub use list::{staff_products, StaffProductsFn};
pub use save::SaveProduct;
pub use set_active::SetProductActive;
