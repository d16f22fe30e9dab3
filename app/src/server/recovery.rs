//! お問い合わせ: the self-service reset of login information with a PIN (R3).
//!
//! Every request creates a challenge and answers with its page, whether or not the お客様ID
//! and the typed phone number / e-mail match a customer; only a match gets a PIN sent. The PIN
//! is stored as a keyed hash; entering it right consumes the challenge exactly once (a
//! conditional UPDATE) and yields a short-lived grant, kept in an HttpOnly cookie, that allows
//! one password change.
use super::entities::{
    customers, login_failures, logins, outgoing_messages as om, pin_challenges as pc,
};
use super::pin::{self, ChallengeState, PinRefusal};
use super::queue::{self, NewMessage};
use super::{audit, messages, notices, phone, session, sha256_hex, state::AppState};
use crate::error::AppError;
use crate::model::{Delivery, PinStatus, ResetChannel};
use crate::validation;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

/// Requests per client address per hour: the default of `PinPolicy::client_requests_per_hour`.
pub const CLIENT_REQUESTS_PER_HOUR: u32 = 30;
/// How long a verified PIN lets the customer choose a new password.
pub const GRANT_TTL_MINUTES: i64 = 15;
pub const GRANT_COOKIE: &str = "daiko_reset";

fn random_hex() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn pin_hash(secret: &str, public_id: &str, pin: &str) -> String {
    sha256_hex(&[
        b"pin",
        secret.as_bytes(),
        public_id.as_bytes(),
        pin.as_bytes(),
    ])
}

fn failure_key(customer_id: i64) -> String {
    sha256_hex(&[b"pin-failure", customer_id.to_string().as_bytes()])
}

pub fn client_key(client: &str) -> String {
    sha256_hex(&[b"client", client.as_bytes()])
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

/// Where the PIN goes, if the request matches the customer's registered details.
async fn matching_destination(
    db: &impl ConnectionTrait,
    r: &ResetRequest,
) -> Result<(Option<customers::Model>, Option<String>), AppError> {
    let Some(c) = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&r.customer_code))
        .one(db)
        .await?
    else {
        return Ok((None, None));
    };
    let to = if r.channel.uses_phone() {
        c.phone
            .as_deref()
            .and_then(phone::national)
            .filter(|n| *n == r.destination)
            .map(|n| phone::e164(&n))
    } else {
        logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(c.id))
            .one(db)
            .await?
            // An unverified (e.g. imported) address may get a PIN too: receiving it is the proof.
            .filter(|l| l.email == r.destination)
            .map(|l| l.email)
    };
    Ok((Some(c), to))
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
        channel: channel.code().into(),
        recipient: to,
        subject,
        body,
        challenge_id: Some(challenge),
    }
}

/// Issues a challenge and returns its public id (the PIN page's address). The answer is the
/// same for a match, a mismatch and an unknown お客様ID.
pub async fn request_pin(st: &AppState, r: ResetRequest, client: &str) -> Result<String, AppError> {
    let now = st.clock.now();
    let policy = &st.config.pin;
    let ck = client_key(client);
    let recent_from_client = pc::Entity::find()
        .filter(pc::Column::ClientKey.eq(&ck))
        .filter(pc::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&st.db)
        .await?;
    if recent_from_client >= u64::from(policy.client_requests_per_hour) {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("pin_limit_client").detail(json!({ "client": ck })),
        )
        .await?;
        return Err(AppError::TooManyRequests);
    }

    let (customer, to) = matching_destination(&st.db, &r).await?;
    let dest_key = sha256_hex(&[b"destination", r.destination.as_bytes()]);
    // Calls and texts cost money: a destination gets at most N per day, whoever asks.
    let capped = match (&to, r.channel.uses_phone()) {
        (Some(to), true) => {
            om::Entity::find()
                .filter(om::Column::Recipient.eq(to))
                .filter(om::Column::Channel.is_in(["sms", "voice"]))
                .filter(om::Column::CreatedAt.gt(now - Duration::hours(24)))
                .count(&st.db)
                .await?
                >= u64::from(policy.phone_messages_per_day)
        }
        _ => false,
    };

    let public_id = random_hex();
    let the_pin = pin::generate(&mut OsRng);
    let expires = now + policy.ttl;
    let send_to = to.filter(|_| !capped);
    let txn = st.db.begin().await?;
    let ch = pc::ActiveModel {
        public_id: Set(public_id.clone()),
        customer_id: Set(send_to.as_ref().and(customer.as_ref()).map(|c| c.id)),
        channel: Set(r.channel.code().into()),
        destination_key: Set(dest_key),
        pin_hash: Set(pin_hash(&st.config.secret, &public_id, &the_pin)),
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
    match send_to {
        Some(to) => {
            queue::enqueue(
                &txn,
                pin_message(r.channel, to, &the_pin, expires, ch.id),
                now,
            )
            .await?;
            audit::append(
                &txn,
                now,
                audit::Entry::new("pin_requested")
                    .subject(subject)
                    .detail(detail),
            )
            .await?;
        }
        None if capped => {
            audit::append(
                &txn,
                now,
                audit::Entry::new("pin_limit_destination")
                    .subject(subject)
                    .detail(detail),
            )
            .await?
        }
        None => {
            audit::append(
                &txn,
                now,
                audit::Entry::new("pin_request_unmatched")
                    .subject(subject)
                    .detail(detail),
            )
            .await?
        }
    }
    txn.commit().await?;
    Ok(public_id)
}

async fn find_challenge(st: &AppState, public_id: &str) -> Result<pc::Model, AppError> {
    if public_id.len() != 64 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    pc::Entity::find()
        .filter(pc::Column::PublicId.eq(public_id))
        .one(&st.db)
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

pub async fn status(st: &AppState, public_id: &str) -> Result<PinStatus, AppError> {
    let c = find_challenge(st, public_id).await?;
    let now = st.clock.now();
    let last = om::Entity::find()
        .filter(om::Column::ChallengeId.eq(c.id))
        .order_by_desc(om::Column::Id)
        .one(&st.db)
        .await?;
    let delivery = match last.as_ref().map(|m| m.status.as_str()) {
        Some("delivered") => Delivery::Delivered,
        Some("failed") => Delivery::Failed,
        _ => Delivery::Sending,
    };
    let channel = ResetChannel::from_code(&c.channel).unwrap_or(ResetChannel::Mail);
    let resend_in = Ord::max(
        (c.last_sent_at + st.config.pin.resend_gap - now).num_seconds(),
        0,
    );
    Ok(PinStatus {
        channel,
        deadline: pin::deadline_hhmm(c.expires_at),
        expired: now >= c.expires_at,
        resend_in,
        delivery,
    })
}

/// Sends the same PIN again (SMS order is unreliable, so a new PIN would confuse).
pub async fn resend(st: &AppState, public_id: &str) -> Result<(), AppError> {
    let c = find_challenge(st, public_id).await?;
    let now = st.clock.now();
    pin::may_resend(&st.config.pin, &state_of(&c), now).map_err(refusal)?;
    let txn = st.db.begin().await?;
    // Conditional on the state we checked, so two clicks cannot both pass.
    let bumped = pc::Entity::update_many()
        .col_expr(
            pc::Column::SendCount,
            Expr::col(pc::Column::SendCount).add(1),
        )
        .col_expr(pc::Column::LastSentAt, Expr::value(now))
        .filter(pc::Column::Id.eq(c.id))
        .filter(pc::Column::SendCount.eq(c.send_count))
        .exec(&txn)
        .await?
        .rows_affected;
    if bumped != 1 {
        return Err(AppError::ResendTooSoon(
            st.config.pin.resend_gap.num_seconds(),
        ));
    }
    if c.customer_id.is_some() {
        let last = om::Entity::find()
            .filter(om::Column::ChallengeId.eq(c.id))
            .order_by_desc(om::Column::Id)
            .one(&txn)
            .await?;
        if let Some(m) = last {
            let again = NewMessage {
                channel: m.channel,
                recipient: m.recipient,
                subject: m.subject,
                body: m.body,
                challenge_id: Some(c.id),
            };
            queue::enqueue(&txn, again, now).await?;
        }
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("pin_resent")
            .subject(c.customer_id)
            .detail(json!({ "challenge": c.id })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a PIN. Right: the challenge is consumed (once, even under concurrent submissions)
/// and a grant token for the password form is returned.
pub async fn verify(st: &AppState, public_id: &str, typed: &str) -> Result<String, AppError> {
    let typed = validation::pin(typed)?;
    let c = find_challenge(st, public_id).await?;
    let now = st.clock.now();
    let policy = &st.config.pin;
    pin::may_enter(policy, &state_of(&c), now).map_err(refusal)?;
    if let Some(cid) = c.customer_id {
        let failures = login_failures::Entity::find()
            .filter(login_failures::Column::AccountKey.eq(failure_key(cid)))
            .filter(login_failures::Column::AttemptedAt.gt(now - Duration::hours(1)))
            .count(&st.db)
            .await?;
        if failures >= u64::from(policy.customer_failures_per_hour) {
            audit::append(
                &st.db,
                now,
                audit::Entry::new("pin_limit_customer").subject(Some(cid)),
            )
            .await?;
            return Err(AppError::TooManyRequests);
        }
    }
    let right = c.customer_id.is_some()
        && pin::same_pin(&pin_hash(&st.config.secret, public_id, &typed), &c.pin_hash);
    if !right {
        let txn = st.db.begin().await?;
        pc::Entity::update_many()
            .col_expr(
                pc::Column::WrongCount,
                Expr::col(pc::Column::WrongCount).add(1),
            )
            .filter(pc::Column::Id.eq(c.id))
            .filter(pc::Column::ConsumedAt.is_null())
            .exec(&txn)
            .await?;
        if let Some(cid) = c.customer_id {
            login_failures::ActiveModel {
                account_key: Set(failure_key(cid)),
                attempted_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let locked = c.wrong_count + 1 >= policy.max_wrong as i32;
        let action = if locked { "pin_locked" } else { "pin_wrong" };
        audit::append(
            &txn,
            now,
            audit::Entry::new(action)
                .subject(c.customer_id)
                .detail(json!({ "challenge": c.id })),
        )
        .await?;
        txn.commit().await?;
        return Err(if locked {
            AppError::PinLocked
        } else {
            AppError::PinWrong
        });
    }
    let grant = random_hex();
    let txn = st.db.begin().await?;
    let won = pc::Entity::update_many()
        .col_expr(pc::Column::ConsumedAt, Expr::value(now))
        .col_expr(
            pc::Column::GrantHash,
            Expr::value(sha256_hex(&[grant.as_bytes()])),
        )
        .col_expr(
            pc::Column::GrantExpiresAt,
            Expr::value(now + Duration::minutes(GRANT_TTL_MINUTES)),
        )
        .filter(pc::Column::Id.eq(c.id))
        .filter(pc::Column::ConsumedAt.is_null())
        .filter(pc::Column::WrongCount.lt(policy.max_wrong as i32))
        .filter(pc::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?
        .rows_affected;
    if won != 1 {
        return Err(AppError::PinUsed);
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("pin_verified")
            .subject(c.customer_id)
            .detail(json!({ "challenge": c.id })),
    )
    .await?;
    txn.commit().await?;
    Ok(grant)
}

/// Sets the new password chosen after a verified PIN; ends every session; tells the customer.
pub async fn set_password(
    st: &AppState,
    grant: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let password = validation::new_password(password, confirm)?;
    let now = st.clock.now();
    let gh = sha256_hex(&[grant.as_bytes()]);
    let c = pc::Entity::find()
        .filter(pc::Column::GrantHash.eq(&gh))
        .one(&st.db)
        .await?
        .filter(|c| c.grant_used_at.is_none() && c.grant_expires_at.is_some_and(|t| t > now))
        .ok_or(AppError::ResetExpired)?;
    let cid = c.customer_id.ok_or(AppError::ResetExpired)?;
    let login = logins::Entity::find().filter(logins::Column::CustomerId.eq(cid)).one(&st.db).await?.ok_or_else(|| {
        AppError::InvalidInput(
            "ログイン情報（メールアドレス）が未登録です。上位店にログイン情報の登録を依頼してください。".into(),
        )
    })?;
    let hash = st.passwords.hash(password).await?;
    let txn = st.db.begin().await?;
    let used = pc::Entity::update_many()
        .col_expr(pc::Column::GrantUsedAt, Expr::value(now))
        .filter(pc::Column::Id.eq(c.id))
        .filter(pc::Column::GrantUsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if used != 1 {
        return Err(AppError::ResetExpired);
    }
    let email = login.email.clone();
    let login_id = login.id;
    let was_verified = login.email_verified_at.is_some();
    let mut am: logins::ActiveModel = login.into();
    am.password_hash = Set(Some(hash.as_str().into()));
    am.password_changed_at = Set(Some(now));
    // A PIN that arrived by mail proved the address (R1).
    if c.channel == "mail" && !was_verified {
        am.email_verified_at = Set(Some(now));
    }
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let ended = session::delete_others(&txn, login_id, None).await?;
    let notice = notices::password_changed(now);
    let msg = NewMessage {
        channel: "mail".into(),
        recipient: email,
        subject: notice.subject,
        body: notice.body,
        challenge_id: None,
    };
    queue::enqueue(&txn, msg, now).await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("password_reset")
            .subject(Some(cid))
            .detail(json!({ "challenge": c.id, "sessions_ended": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The grant lives in a cookie, not the URL, so it stays out of history and logs.
pub fn grant_cookie(grant: &str, secure: bool) -> String {
    let mut c = cookie::Cookie::build((GRANT_COOKIE, grant.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::minutes(GRANT_TTL_MINUTES))
        .build();
    c.set_secure(secure.then_some(true));
    c.to_string()
}

pub fn clear_grant_cookie(secure: bool) -> String {
    let mut c = cookie::Cookie::build((GRANT_COOKIE, ""))
        .path("/")
        .http_only(true)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    c.set_secure(secure.then_some(true));
    c.to_string()
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
    fn pin_hashes_are_bound_to_the_challenge() {
        assert_ne!(pin_hash("s", "a", "123456"), pin_hash("s", "b", "123456"));
        assert_ne!(pin_hash("s", "a", "123456"), pin_hash("t", "a", "123456"));
    }
}
