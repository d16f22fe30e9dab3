//! お問い合わせ: resetting login information with a PIN, without logging in (R3).
//! One thin server function per file; the rules live in `server::recovery`.
pub mod outbox;
pub mod pin_status;
pub mod request_pin;
pub mod resend_pin;
pub mod reset_account;
pub mod set_password;
pub mod staff_start;
pub mod verify_by_id;
pub mod verify_pin;

pub use outbox::{dev_outbox, DevOutbox, OutboxItem};
pub use pin_status::{pin_status, PinStatusFn};
pub use request_pin::RequestResetPin;
pub use resend_pin::ResendResetPin;
pub use reset_account::{reset_account, ResetAccount, ResetAccountFn};
pub use set_password::SetResetPassword;
pub use staff_start::StaffStartReset;
pub use verify_by_id::VerifyResetPinById;
pub use verify_pin::VerifyResetPin;
