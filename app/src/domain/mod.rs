//! Daiko's business rules in plain Rust: no Leptos, no SeaORM, no axum, so the browser and
//! the server compile the very same rule (issue #12, "one rule, one place").
//!
//! - [`fields`]: what a customer's 代理店名, カナ, 電話番号, 郵便番号 and 住所 must be, and the
//!   form each is stored in. The registration forms, the staff correction screen and the CSV
//!   import all call these.
//! - [`rank`]: who is 【ウルトラ販社～販社】(会員登録あり) and who works on 画面1.
//! - [`tax`]: consumption tax per rate on the subtotal (the server's totals and the cart's
//!   preview); [`money`]: how yen are written.
//! - [`order_status`]: 受付 / 出荷済 / 納品済 / 取消 and which actions each allows.
//! - [`time`]: JST instants, dates and months.
pub mod fields;
pub mod kana;
pub mod money;
pub mod order_status;
pub mod phone;
pub mod postal;
pub mod rank;
pub mod tax;
pub mod time;

pub use fields::{address, name, Field, FieldError, ADDRESS_MAX, KANA_MAX, NAME_MAX};
pub use kana::kana;
pub use money::{digits, yen};
pub use phone::phone;
pub use postal::postal_code;
