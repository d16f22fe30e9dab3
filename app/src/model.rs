//! Types shared by the browser and the server: what a page may know about the signed-in
//! customer. Nothing here can carry a password, a hash or an e-mail address.
use serde::{Deserialize, Serialize};

/// ランク. `National` is 全国販社, the operator's staff. What each rank may do is in
/// `crate::domain::rank`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rank {
    National,
    Ultra,
    Super,
    Hansha,
    SoDairiten,
    Dairiten,
    DivisionWaiting,
    Shop,
    General,
}

impl Rank {
    pub const ALL: [Rank; 9] = [
        Rank::National,
        Rank::Ultra,
        Rank::Super,
        Rank::Hansha,
        Rank::SoDairiten,
        Rank::Dairiten,
        Rank::DivisionWaiting,
        Rank::Shop,
        Rank::General,
    ];

    /// The stable value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Rank::National => "national",
            Rank::Ultra => "ultra",
            Rank::Super => "super",
            Rank::Hansha => "hansha",
            Rank::SoDairiten => "so_dairiten",
            Rank::Dairiten => "dairiten",
            Rank::DivisionWaiting => "division_waiting",
            Rank::Shop => "shop",
            Rank::General => "general",
        }
    }

    pub fn from_code(code: &str) -> Option<Rank> {
        Rank::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rank::National => "全国販社",
            Rank::Ultra => "ウルトラ販社",
            Rank::Super => "スーパー販社",
            Rank::Hansha => "販社",
            Rank::SoDairiten => "総代理店",
            Rank::Dairiten => "代理店",
            Rank::DivisionWaiting => "販売事業部一般会員待機",
            Rank::Shop => "ショップ",
            Rank::General => "一般",
        }
    }
}

/// 画面1 (brown, ordering by name or code) or 画面2 (green, picture catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScreenVariant {
    Primary,
    Secondary,
}

impl ScreenVariant {
    pub fn code(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "screen1",
            ScreenVariant::Secondary => "screen2",
        }
    }

    pub fn from_code(code: &str) -> Option<ScreenVariant> {
        match code {
            "screen1" => Some(ScreenVariant::Primary),
            "screen2" => Some(ScreenVariant::Secondary),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "画面1",
            ScreenVariant::Secondary => "画面2",
        }
    }

    /// CSS class that selects the brown or green theme.
    pub fn theme_class(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "theme-screen1",
            ScreenVariant::Secondary => "theme-screen2",
        }
    }
}

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

/// How the reset PIN is delivered (R3): 自動音声, ショートメッセージ or メール.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetChannel {
    Voice,
    Sms,
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
