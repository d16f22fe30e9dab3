//! E-mail verification links (R1, R2) and the self-service changes of login information.
//!
//! An address becomes a login e-mail only after the customer opens a link sent to it: the
//! upline may ask for a login to be registered for a downline customer (the customer then
//! chooses the password on the page the link opens; nobody else ever does), and a signed-in
//! customer may change the login e-mail (the switch happens when the link to the NEW address
//! is opened). The table holds the link token's SHA-256 only; a link is valid for 24 hours
//! and is consumed exactly once by a conditional UPDATE. Every change ends the other sessions
//! of the login, is audited and is told to the customer by mail.
//!
//! No oracle for login addresses: whoever asks (the customer, the upline, 全国販社, a
//! registration) gets the same answer whether or not the address is already someone's login.
//! A taken address is sent a notice instead of the link ([`offer`]); uniqueness is enforced
//! again when a link is used.
//!
//! [`link`] makes, offers, finds and consumes links; [`set_login`] is R1 (a login registered
//! for a customer, its password chosen by the customer); [`account_change`] is R2 (the
//! signed-in customer's own password and e-mail).
pub mod account_change;
pub mod link;
pub mod set_login;

pub use account_change::{change_password, complete_change_email, request_email_change};
pub use link::{find_usable, offer, take_link, Offered};
pub use set_login::{complete_set_login, may_register_for, register_login};

use crate::error::AppError;
use crate::server::{session, state::AppState};

/// How long a link stays valid.
pub const LINK_TTL_HOURS: i64 = 24;
/// Links one customer may be sent per day, whoever asks (mail costs and annoys).
pub const LINKS_PER_CUSTOMER_PER_DAY: u64 = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    SetLogin,
    ChangeEmail,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::SetLogin => "set_login",
            Purpose::ChangeEmail => "change_email",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "set_login" => Some(Purpose::SetLogin),
            "change_email" => Some(Purpose::ChangeEmail),
            _ => None,
        }
    }
}

/// The signed-in session for a token, or 401.
pub(super) async fn signed_in(
    st: &AppState,
    token: Option<&str>,
) -> Result<crate::server::entities::sessions::Model, AppError> {
    let Some(t) = token else {
        return Err(AppError::Unauthorized);
    };
    session::find(&st.db, t, st.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)
}

#[cfg(test)]
mod tests {
    use super::link::{random_hex, token_hash};
    use super::*;

    #[test]
    fn purposes_round_trip() {
        for p in [Purpose::SetLogin, Purpose::ChangeEmail] {
            assert_eq!(Purpose::from_code(p.code()), Some(p));
        }
        assert_eq!(Purpose::from_code("reset"), None);
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_stored() {
        let t = random_hex();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_hex());
        assert_ne!(token_hash(&t), t);
        assert_eq!(token_hash(&t).len(), 64);
    }
}
