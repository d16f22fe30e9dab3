//! Types shared by the browser and the server: what a page may know about the signed-in
//! customer. Nothing here can carry a password, a hash or an e-mail address.
use serde::{Deserialize, Serialize};

pub use crate::domain::rank::{Rank, ScreenVariant};

/// The signed-in customer as every page sees it (R7: the お客様ID is always shown).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub customer_code: String,
    pub name: String,
    pub kana: String,
    pub rank: Rank,
    pub screen: ScreenVariant,
    pub can_register: bool,
    pub division_name: Option<String>,
    pub upline_code: Option<String>,
    pub upline_name: Option<String>,
}

/// How the reset PIN is delivered (R3): 自動音声, ショートメッセージ or メール; also the
/// channel of every queued message (on the server, the type of the `channel` columns, stored
/// as the code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(8))"
    )
)]
pub enum ResetChannel {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "voice"))]
    Voice,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sms"))]
    Sms,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "mail"))]
    Mail,
}

impl ResetChannel {
    pub const ALL: [ResetChannel; 3] = [ResetChannel::Voice, ResetChannel::Sms, ResetChannel::Mail];

    pub fn code(self) -> &'static str {
        match self {
            ResetChannel::Voice => "voice",
            ResetChannel::Sms => "sms",
            ResetChannel::Mail => "mail",
        }
    }

    pub fn from_code(code: &str) -> Option<ResetChannel> {
        ResetChannel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ResetChannel::Voice => "自動音声（電話）",
            ResetChannel::Sms => "ショートメッセージ（SMS）",
            ResetChannel::Mail => "メール",
        }
    }

    pub fn uses_phone(self) -> bool {
        !matches!(self, ResetChannel::Mail)
    }
}

/// What the PIN page shows about a challenge. Nothing here says whether the お客様ID and
/// destination matched a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PinStatus {
    pub channel: ResetChannel,
    /// Deadline in JST, "HH:MM".
    pub deadline: String,
    pub expired: bool,
    /// Seconds until the resend button works again (0 = now).
    pub resend_in: i64,
    pub delivery: Delivery,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// Waiting in the queue (or being retried).
    Sending,
    /// Handed over to the mail server / Twilio.
    Sent,
    /// The channel cannot send (not configured, or given up).
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_codes_round_trip() {
        for r in Rank::ALL {
            assert_eq!(Rank::from_code(r.code()), Some(r));
        }
        assert_eq!(Rank::from_code("admin"), None);
    }

    #[test]
    fn screen_codes_round_trip() {
        for s in [ScreenVariant::Primary, ScreenVariant::Secondary] {
            assert_eq!(ScreenVariant::from_code(s.code()), Some(s));
        }
    }
}
