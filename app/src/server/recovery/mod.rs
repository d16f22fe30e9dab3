//! お問い合わせ: the self-service reset of login information with a PIN (R3).
//!
//! Every request creates a challenge and answers with its page, whether or not the お客様ID
//! and the typed phone number / e-mail match a customer; only a match gets a PIN sent, and a
//! mismatch queues a decoy that the worker handles like a message, so both PIN pages change
//! state alike. Both paths do the same queries. The PIN is stored as an HMAC under
//! `DAIKO_SECRET` bound to its challenge, and sealed (for resends) until the challenge ends.
//! Entering it: `verify`; the form after it (new password, optionally a new e-mail): `grant`.
mod grant;
mod verify;

pub use grant::{
    clear_grant_cookie, complete_reset, grant_cookie, mask_email, masked_login_email, ResetChoice,
    GRANT_COOKIE, GRANT_TTL_MINUTES,
};
pub use verify::{verify, verify_by_id};

use super::entities::{customers, logins, outgoing_messages as om, pin_challenges as pc};
use super::pin::{self, ChallengeState, PinRefusal};
use super::queue::{self, NewMessage};
use super::{audit, keyed, limits, messages, state::AppState};
use crate::domain::phone;
use crate::error::AppError;
use crate::model::{Delivery, PinStatus, ResetChannel};
use crate::validation;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

/// Where a challenge was started, and so how its PIN is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// お問い合わせ: entered on the PIN page its link opens.
    Customer,
    /// 全国販社 staff: entered with the お客様ID (`verify_by_id`).
    Staff,
}

impl Origin {
    fn code(self) -> &'static str {
        match self {
            Origin::Customer => "self",
            Origin::Staff => "staff",
        }
    }
}

fn random_hex() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn pin_hash(secret: &str, public_id: &str, pin: &str) -> String {
    keyed::keyed_hex(secret, "pin", &[public_id.as_bytes(), pin.as_bytes()])
}

/// Constant-time check of a typed PIN against a challenge's stored hash.
fn pin_matches(secret: &str, public_id: &str, pin: &str, stored: &str) -> bool {
    keyed::verify_hex(
        secret,
        "pin",
        &[public_id.as_bytes(), pin.as_bytes()],
        stored,
    )
}

/// The key every limit on a typed お客様ID uses (the same for a real or an unknown ID); staff
/// starting a reset clear that ID's by-ID count with it.
pub fn subject_key(st: &AppState, customer_code: &str) -> String {
    limits::key(&st.config.secret, "pin-subject", customer_code)
}

/// What the PIN sealed on a challenge is bound to.
fn pin_aad(public_id: &str) -> Vec<u8> {
    format!("pin|{public_id}").into_bytes()
}

/// The per-phone cap's key, from the national form (requests and resends alike).
fn phone_key(st: &AppState, national: &str) -> String {
    limits::key(&st.config.secret, "pin-phone", national)
}

pub fn client_key(st: &AppState, client: &str) -> String {
    limits::key(&st.config.secret, "pin-client", client)
}

/// What the customer typed, checked for shape only (this reveals nothing about accounts).
pub struct ResetRequest {
    pub customer_code: String,
    pub channel: ResetChannel,
    /// National phone number or lower-cased e-mail.
    pub destination: String,
}

impl ResetRequest {
    pub fn parse(customer_code: &str, channel: &str, destination: &str) -> Result<Self, AppError> {
        let customer_code = validation::customer_code(customer_code)?;
        let channel = ResetChannel::from_code(channel).ok_or_else(|| {
            AppError::InvalidInput("PINコードの通知方法を選んでください。".into())
        })?;
        let destination = if channel.uses_phone() {
            if destination.trim().is_empty() {
                return Err(AppError::InvalidInput(
                    "登録されている電話番号を入力してください。".into(),
                ));
            }
            let n = phone::national(destination).ok_or_else(|| {
                AppError::InvalidInput(
                    "電話番号の形式が正しくありません（例: 090-1234-5678）。".into(),
                )
            })?;
            if channel == ResetChannel::Sms && !phone::is_mobile(&n) {
                return Err(AppError::InvalidInput(
                    "ショートメッセージは携帯電話番号（070・080・090）にのみ送信できます。固定電話の方は自動音声をお選びください。"
                        .into(),
                ));
            }
            n
        } else {
            validation::login_email(destination)?
        };
        Ok(ResetRequest {
            customer_code,
            channel,
            destination,
        })
    }
}

/// Where the PIN goes, if the request matches the customer's registered details. Runs the
/// same two queries whether or not the お客様ID exists, so the answer takes as long either way.
async fn matching_destination(
    db: &impl ConnectionTrait,
    r: &ResetRequest,
) -> Result<(Option<customers::Model>, Option<String>), AppError> {
    let c = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&r.customer_code))
        .one(db)
        .await?;
    let login = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(c.as_ref().map_or(-1, |c| c.id)))
        .one(db)
        .await?;
    let to = match &c {
        None => None,
        Some(c) if r.channel.uses_phone() => c
            .phone
            .as_deref()
            .and_then(phone::national)
            .filter(|n| *n == r.destination)
            .map(|n| phone::e164(&n)),
        // An unverified (e.g. imported) address may get a PIN too: receiving it is the proof.
        Some(_) => login.filter(|l| l.email == r.destination).map(|l| l.email),
    };
    Ok((c, to))
}

fn pin_message(
    channel: ResetChannel,
    to: String,
    pin: &str,
    expires: DateTime<Utc>,
    challenge: i64,
) -> NewMessage {
    let (subject, body) = match channel {
        ResetChannel::Mail => {
            let m = messages::pin_mail(pin, expires);
            (m.subject, m.body)
        }
        ResetChannel::Sms => (String::new(), messages::sms_body(pin, expires)),
        ResetChannel::Voice => (String::new(), messages::voice_twiml(pin)),
    };
    NewMessage {
        channel,
        recipient: to,
        subject,
        body,
        challenge_id: Some(challenge),
    }
}

/// Issues a challenge and returns its public id (the PIN page's address). The answer is the
/// same for a match, a mismatch and an unknown お客様ID.
pub async fn request_pin(
    st: &AppState,
    r: ResetRequest,
    client: &str,
    origin: Origin,
) -> Result<String, AppError> {
    let now = st.clock.now();
    let policy = &st.config.pin;
    let (customer, to) = matching_destination(&st.db, &r).await?;
    let ck = client_key(st, client);
    // The phone cap is counted on the typed number for every request (the same work either
    // way); only a message actually sent is recorded against it.
    let phone_key = r
        .channel
        .uses_phone()
        .then(|| phone_key(st, &r.destination));

    let txn = st.db.begin().await?;
    limits::lock(&txn, &ck).await?;
    if !limits::take(&txn, &policy.client_window(), &ck, now).await? {
        audit::append(
            &txn,
            now,
            audit::Entry::new("pin_limit_client").detail(json!({ "client": ck })),
        )
        .await?;
        txn.commit().await?;
        return Err(AppError::TooManyRequests);
    }
    let capped = match &phone_key {
        Some(k) => {
            limits::lock(&txn, k).await?;
            limits::exhausted(&txn, &policy.phone_window(), k, now).await?
        }
        None => false,
    };
    let send_to = to.filter(|_| !capped);
    if let Some(k) = &phone_key {
        // A decoy writes an event no limit counts, so both answers cost the same write.
        let k = match send_to {
            Some(_) => k.clone(),
            None => limits::key(&st.config.secret, "pin-phone-decoy", &r.destination),
        };
        limits::record(&txn, &policy.phone_window(), &k, now).await?;
    }

    let public_id = random_hex();
    let the_pin = pin::generate(&mut OsRng);
    let expires = now + policy.ttl;
    let ch = pc::ActiveModel {
        public_id: Set(public_id.clone()),
        customer_id: Set(send_to.as_ref().and(customer.as_ref()).map(|c| c.id)),
        channel: Set(r.channel),
        destination_key: Set(st.keyed("pin-destination", &r.destination)),
        pin_hash: Set(pin_hash(&st.config.secret, &public_id, &the_pin)),
        pin_sealed: Set(Some(st.seal_key().seal(&pin_aad(&public_id), &the_pin))),
        subject_key: Set(subject_key(st, &r.customer_code)),
        origin: Set(origin.code().into()),
        client_key: Set(ck),
        created_at: Set(now),
        expires_at: Set(expires),
        wrong_count: Set(0),
        send_count: Set(1),
        last_sent_at: Set(now),
        consumed_at: Set(None),
        grant_hash: Set(None),
        grant_expires_at: Set(None),
        grant_used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let subject = customer.as_ref().map(|c| c.id);
    let detail = json!({ "channel": r.channel.code(), "challenge": ch.id });
    // A decoy's row carries a sealed body of the same kind (its PIN can never be entered), so
    // both paths seal and write alike.
    let sending = send_to.is_some();
    let m = pin_message(
        r.channel,
        send_to.unwrap_or_default(),
        &the_pin,
        expires,
        ch.id,
    );
    let action = if sending {
        queue::enqueue(&txn, &st.seal_key(), m, now).await?;
        "pin_requested"
    } else {
        queue::enqueue_decoy(&txn, &st.seal_key(), m, now).await?;
        if capped {
            "pin_limit_destination"
        } else {
            "pin_request_unmatched"
        }
    };
    audit::append(
        &txn,
        now,
        audit::Entry::new(action).subject(subject).detail(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(public_id)
}

async fn find_challenge(db: &impl ConnectionTrait, public_id: &str) -> Result<pc::Model, AppError> {
    if public_id.len() != 64 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    pc::Entity::find()
        .filter(pc::Column::PublicId.eq(public_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn state_of(c: &pc::Model) -> ChallengeState {
    ChallengeState {
        expires_at: c.expires_at,
        wrong_count: Ord::max(c.wrong_count, 0) as u32,
        send_count: Ord::max(c.send_count, 0) as u32,
        last_sent_at: c.last_sent_at,
        consumed: c.consumed_at.is_some(),
    }
}

fn refusal(r: PinRefusal) -> AppError {
    match r {
        PinRefusal::Expired => AppError::PinExpired,
        PinRefusal::TooManyWrong => AppError::PinLocked,
        PinRefusal::Used => AppError::PinUsed,
        PinRefusal::ResendTooSoon(s) => AppError::ResendTooSoon(s),
        PinRefusal::TooManySends => AppError::TooManySends,
    }
}

/// What the PIN page shows of a message. Only what is the same for a real message and a
/// decoy: whether the worker has handed it over, or the channel cannot send at all. The
/// provider's per-message report (delivered / undelivered) exists only for a real
/// destination, so it stays in the table and the audit log, off this public page.
pub fn delivery_shown(status: Option<om::Status>) -> Delivery {
    match status {
        None | Some(om::Status::Queued) => Delivery::Sending,
        Some(om::Status::Failed) => Delivery::Failed,
        Some(om::Status::Sent | om::Status::Delivered | om::Status::Undelivered) => Delivery::Sent,
    }
}

pub async fn status(st: &AppState, public_id: &str) -> Result<PinStatus, AppError> {
    let c = find_challenge(&st.db, public_id).await?;
    let now = st.clock.now();
    let last = om::Entity::find()
        .filter(om::Column::ChallengeId.eq(c.id))
        .order_by_desc(om::Column::Id)
        .one(&st.db)
        .await?;
    let channel = c.channel;
    let resend_in = Ord::max(
        (c.last_sent_at + st.config.pin.resend_gap - now).num_seconds(),
        0,
    );
    Ok(PinStatus {
        channel,
        deadline: crate::domain::time::hhmm(c.expires_at),
        expired: now >= c.expires_at,
        resend_in,
        delivery: delivery_shown(last.as_ref().map(|m| m.status)),
    })
}

/// Sends the same PIN again (SMS order is unreliable, so a new PIN would confuse). The PIN
/// comes from the challenge's sealed copy, never from the queue; a decoy queues a decoy.
pub async fn resend(st: &AppState, public_id: &str) -> Result<(), AppError> {
    let found = find_challenge(&st.db, public_id).await?;
    let now = st.clock.now();
    let policy = &st.config.pin;
    let txn = st.db.begin().await?;
    limits::lock(&txn, &found.subject_key).await?;
    let c = find_challenge(&txn, public_id).await?;
    pin::may_resend(policy, &state_of(&c), now).map_err(refusal)?;
    pc::Entity::update_many()
        .col_expr(
            pc::Column::SendCount,
            Expr::col(pc::Column::SendCount).add(1),
        )
        .col_expr(pc::Column::LastSentAt, Expr::value(now))
        .filter(pc::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    let first = om::Entity::find()
        .filter(om::Column::ChallengeId.eq(c.id))
        .filter(om::Column::Decoy.eq(false))
        .order_by_asc(om::Column::Id)
        .one(&txn)
        .await?;
    let channel = c.channel;
    let mut action = "pin_resent";
    let real = match (c.customer_id, first, c.pin_sealed.as_deref()) {
        (Some(_), Some(m), Some(sealed)) => Some((m.recipient, sealed)),
        _ => None,
    };
    let send = match real {
        Some((to, sealed)) => {
            let allowed = if channel.uses_phone() {
                let k = phone_key(st, &phone::national(&to).unwrap_or_default());
                limits::lock(&txn, &k).await?;
                limits::take(&txn, &policy.phone_window(), &k, now).await?
            } else {
                true
            };
            if !allowed {
                // Answered like any resend: the cap is not something a caller may learn.
                action = "pin_limit_destination";
            }
            allowed.then_some((to, sealed))
        }
        None => None,
    };
    match send {
        Some((to, sealed)) => {
            let the_pin = st
                .seal_key()
                .open(&pin_aad(&c.public_id), sealed)
                .map_err(|_| AppError::Internal)?;
            let m = pin_message(channel, to, &the_pin, c.expires_at, c.id);
            queue::enqueue(&txn, &st.seal_key(), m, now).await?;
        }
        None => {
            // A decoy seals a message of the same kind, as a real resend does.
            let decoy_pin = pin::generate(&mut OsRng);
            let m = pin_message(channel, String::new(), &decoy_pin, c.expires_at, c.id);
            queue::enqueue_decoy(&txn, &st.seal_key(), m, now).await?;
        }
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new(action)
            .subject(c.customer_id)
            .detail(json!({ "challenge": c.id, "resend": true })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_for_shape() {
        let r = ResetRequest::parse("１０００００３０", "sms", "090-5555-0150").unwrap();
        assert_eq!(
            (r.customer_code.as_str(), r.destination.as_str()),
            ("10000030", "09055550150")
        );
        assert!(
            ResetRequest::parse("10000030", "sms", "03-5555-0100").is_err(),
            "SMS to a landline"
        );
        assert!(ResetRequest::parse("10000030", "voice", "03-5555-0100").is_ok());
        assert!(ResetRequest::parse("10000030", "fax", "03-5555-0100").is_err());
        assert!(ResetRequest::parse("10000030", "mail", "not-an-address").is_err());
        assert!(ResetRequest::parse("", "mail", "a@example.jp").is_err());
    }

    #[test]
    fn pin_hashes_are_keyed_and_bound_to_the_challenge() {
        assert_ne!(pin_hash("s", "a", "123456"), pin_hash("s", "b", "123456"));
        assert_ne!(pin_hash("s", "a", "123456"), pin_hash("t", "a", "123456"));
        assert!(pin_matches(
            "s",
            "a",
            "123456",
            &pin_hash("s", "a", "123456")
        ));
        assert!(!pin_matches(
            "s",
            "a",
            "123457",
            &pin_hash("s", "a", "123456")
        ));
    }
}
