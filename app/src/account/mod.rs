//! ログイン情報: registering a login for a downline customer (R1), changing one's own password
//! or e-mail (R2), and the verification links. One thin server function per file; the rules
//! live in `server::verification`.
pub mod change_email;
pub mod change_password;
pub mod confirm_email;
pub mod link_info;
pub mod register_login;
pub mod set_login_password;

pub use change_email::RequestEmailChange;
pub use change_password::ChangePassword;
pub use confirm_email::ConfirmEmailChange;
pub use link_info::{verification_link, LinkInfo, LinkPurpose, VerificationLinkFn};
pub use register_login::RegisterLogin;
pub use set_login_password::SetLoginPassword;
