//! PIN rules for the self-service reset (SPEC R3), as plain functions over a challenge's
//! state and the current time. The repository that stores challenges calls these; nothing
//! here touches the database, so every rule is unit-tested with a fixed clock.
use super::limits::Window;
use argon2::password_hash::rand_core::RngCore;
use chrono::{DateTime, Duration, Utc};

/// Limits from SPEC R3 (NIST SP 800-63B-4, OWASP ASVS); configurable, these are the defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinPolicy {
    /// A PIN is valid this long on every channel.
    pub ttl: Duration,
    /// Wrong entries per PIN before it is void.
    pub max_wrong: u32,
    /// Sends (first + resends) per PIN.
    pub max_sends: u32,
    /// Minimum gap between two sends of one PIN.
    pub resend_gap: Duration,
    /// Failed entries per customer per hour, across challenges.
    pub customer_failures_per_hour: u32,
    /// SMS + voice messages per destination phone per 24 h.
    pub phone_messages_per_day: u32,
    /// PIN requests per client address per hour (`DAIKO_PIN_CLIENT_LIMIT`).
    pub client_requests_per_hour: u32,
}

impl Default for PinPolicy {
    fn default() -> Self {
        PinPolicy {
            ttl: Duration::minutes(10),
            max_wrong: 5,
            max_sends: 5,
            resend_gap: Duration::seconds(60),
            customer_failures_per_hour: 100,
            phone_messages_per_day: 5,
            client_requests_per_hour: 30,
        }
    }
}

impl PinPolicy {
    /// PIN requests per client address.
    pub fn client_window(&self) -> Window {
        Window {
            bucket: "pin-client",
            max: self.client_requests_per_hour,
            period: Duration::hours(1),
        }
    }

    /// SMS and voice messages per destination phone: first sends and resends alike.
    pub fn phone_window(&self) -> Window {
        Window {
            bucket: "pin-phone",
            max: self.phone_messages_per_day,
            period: Duration::hours(24),
        }
    }

    /// Wrong PINs per typed お客様ID (real or decoy challenge alike), across challenges.
    pub fn customer_failure_window(&self) -> Window {
        Window {
            bucket: "pin-failure",
            max: self.customer_failures_per_hour,
            period: Duration::hours(1),
        }
    }

    /// Wrong PINs entered with the お客様ID (staff-started resets) per お客様ID, within a PIN's
    /// lifetime: the same count whether or not such a reset exists.
    pub fn by_id_window(&self) -> Window {
        Window {
            bucket: "pin-by-id",
            max: self.max_wrong,
            period: self.ttl,
        }
    }
}

/// Six digits, uniform, from a CSPRNG (rejection sampling avoids modulo bias).
pub fn generate(rng: &mut impl RngCore) -> String {
    const LIMIT: u32 = u32::MAX - (u32::MAX % 1_000_000);
    loop {
        let v = rng.next_u32();
        if v < LIMIT {
            return format!("{:06}", v % 1_000_000);
        }
    }
}

/// What the database knows of one challenge, as far as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeState {
    pub expires_at: DateTime<Utc>,
    pub wrong_count: u32,
    pub send_count: u32,
    pub last_sent_at: DateTime<Utc>,
    pub consumed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinRefusal {
    #[error("PINコードの有効期限が切れました。もう一度PINコードを発行してください。")]
    Expired,
    #[error("PINコードの入力回数が上限に達しました。もう一度PINコードを発行してください。")]
    TooManyWrong,
    #[error("このPINコードはすでに使用されました。")]
    Used,
    #[error("再送信は{0}秒後からできます。")]
    ResendTooSoon(i64),
    #[error("このPINコードの再送信回数が上限に達しました。もう一度PINコードを発行してください。")]
    TooManySends,
}

/// May a PIN be entered for this challenge now?
pub fn may_enter(p: &PinPolicy, c: &ChallengeState, now: DateTime<Utc>) -> Result<(), PinRefusal> {
    if c.consumed {
        Err(PinRefusal::Used)
    } else if now >= c.expires_at {
        Err(PinRefusal::Expired)
    } else if c.wrong_count >= p.max_wrong {
        Err(PinRefusal::TooManyWrong)
    } else {
        Ok(())
    }
}

/// May the same PIN be sent again now? (It stays the same while valid: SMS order is unreliable.)
pub fn may_resend(p: &PinPolicy, c: &ChallengeState, now: DateTime<Utc>) -> Result<(), PinRefusal> {
    may_enter(p, c, now)?;
    if c.send_count >= p.max_sends {
        return Err(PinRefusal::TooManySends);
    }
    let next = c.last_sent_at + p.resend_gap;
    if now < next {
        return Err(PinRefusal::ResendTooSoon((next - now).num_seconds().max(1)));
    }
    Ok(())
}

/// Compares two PIN strings in time independent of where they differ.
pub fn same_pin(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::rand_core::OsRng;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn fresh(p: &PinPolicy) -> ChallengeState {
        ChallengeState {
            expires_at: t0() + p.ttl,
            wrong_count: 0,
            send_count: 1,
            last_sent_at: t0(),
            consumed: false,
        }
    }

    #[test]
    fn pins_are_six_digits_and_vary() {
        let pins: std::collections::HashSet<_> = (0..200).map(|_| generate(&mut OsRng)).collect();
        assert!(pins
            .iter()
            .all(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit())));
        assert!(pins.len() > 190);
    }

    #[test]
    fn valid_for_exactly_ten_minutes() {
        let p = PinPolicy::default();
        let c = fresh(&p);
        assert_eq!(may_enter(&p, &c, t0() + Duration::seconds(599)), Ok(()));
        assert_eq!(
            may_enter(&p, &c, t0() + Duration::seconds(600)),
            Err(PinRefusal::Expired)
        );
    }

    #[test]
    fn five_wrong_entries_void_the_pin() {
        let p = PinPolicy::default();
        let mut c = fresh(&p);
        c.wrong_count = 4;
        assert_eq!(may_enter(&p, &c, t0()), Ok(()));
        c.wrong_count = 5;
        assert_eq!(may_enter(&p, &c, t0()), Err(PinRefusal::TooManyWrong));
    }

    #[test]
    fn a_used_pin_stays_used() {
        let p = PinPolicy::default();
        let mut c = fresh(&p);
        c.consumed = true;
        assert_eq!(may_enter(&p, &c, t0()), Err(PinRefusal::Used));
    }

    #[test]
    fn resend_waits_sixty_seconds_and_stops_at_five() {
        let p = PinPolicy::default();
        let mut c = fresh(&p);
        assert_eq!(
            may_resend(&p, &c, t0() + Duration::seconds(30)),
            Err(PinRefusal::ResendTooSoon(30))
        );
        assert_eq!(may_resend(&p, &c, t0() + Duration::seconds(60)), Ok(()));
        c.send_count = 5;
        assert_eq!(
            may_resend(&p, &c, t0() + Duration::seconds(120)),
            Err(PinRefusal::TooManySends)
        );
        c.send_count = 1;
        assert_eq!(
            may_resend(&p, &c, t0() + Duration::minutes(11)),
            Err(PinRefusal::Expired)
        );
    }

    #[test]
    fn deadline_is_shown_in_jst() {
        assert_eq!(
            crate::domain::time::hhmm(t0() + Duration::minutes(10)),
            "12:10"
        );
    }

    #[test]
    fn pin_comparison() {
        assert!(same_pin("012345", "012345"));
        assert!(!same_pin("012345", "012346"));
        assert!(!same_pin("012345", "01234"));
    }
}
