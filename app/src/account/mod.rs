//! ログイン情報: registering a login for a downline customer (R1), changing one's own password
//! or e-mail (R2), the verification links, and one's own sessions (#9). One thin server function
//! per file; the rules live in `server::verification` and `server::session`.
pub mod change_email;
pub mod change_password;
pub mod confirm_email;
pub mod end_other_sessions;
pub mod end_session;
pub mod link_info;
pub mod list_sessions;
pub mod register_login;
pub mod set_login_password;

pub use change_email::RequestEmailChange;
pub use change_password::ChangePassword;
pub use confirm_email::ConfirmEmailChange;
pub use end_other_sessions::EndOtherSessions;
pub use end_session::EndSession;
pub use link_info::{verification_link, LinkInfo, LinkPurpose, VerificationLinkFn};
pub use list_sessions::{list_sessions, ListSessionsFn, SessionInfo};
pub use register_login::RegisterLogin;
pub use set_login_password::SetLoginPassword;
