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
use super::entities::{customers, email_verifications as ev, logins};
use super::password::PasswordHash;
use super::queue::{self, NewMessage};
use super::{audit, auth, limits, notices, session, sha256_hex, state::AppState};
use crate::error::AppError;
use crate::validation;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;

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

fn random_hex() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    sha256_hex(&[b"email-verification", token.as_bytes()])
}

/// Shown to whoever opens a link whose address became someone else's login meanwhile (they
/// hold the address, so it tells them nothing new).
fn email_taken() -> AppError {
    AppError::InvalidInput(
        "このメールアドレスは、すでに別のお客様のログイン用メールアドレスとして登録されています。別のメールアドレスを入力してください。"
            .into(),
    )
}

fn mail(to: String, m: super::messages::Mail) -> NewMessage {
    NewMessage {
        channel: "mail".into(),
        recipient: to,
        subject: m.subject,
        body: m.body,
        challenge_id: None,
    }
}

/// Whether `email` is the login e-mail of a customer other than `customer_id`.
async fn taken_by_other(
    db: &impl ConnectionTrait,
    email: &str,
    customer_id: i64,
) -> Result<bool, AppError> {
    Ok(logins::Entity::find()
        .filter(logins::Column::Email.eq(email))
        .filter(logins::Column::CustomerId.ne(customer_id))
        .count(db)
        .await?
        > 0)
}

/// Links a customer may be sent per day (a taken address's void link counts too).
fn links_window() -> limits::Window {
    limits::Window {
        bucket: "verification-links",
        max: LINKS_PER_CUSTOMER_PER_DAY as u32,
        period: Duration::hours(24),
    }
}

/// Takes one link from the customer's daily allowance; the transaction's first statement (it
/// takes the lock), so concurrent requests cannot pass the limit together.
pub async fn take_link(
    st: &AppState,
    txn: &impl ConnectionTrait,
    customer_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = limits::key(
        &st.config.secret,
        "verification-links",
        &customer_id.to_string(),
    );
    limits::lock(txn, &key).await?;
    if limits::take(txn, &links_window(), &key, now).await? {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// The message shown when a customer already has a verified login. It says that much (the
/// upline may know it of their own downline customer), never the address.
fn already_registered() -> AppError {
    AppError::InvalidInput(
        "このお客様はすでにログイン情報を登録済みです。変更や再設定は、お客様ご本人がお問い合わせ画面から行えます。"
            .into(),
    )
}

/// What [`offer`] sent. Never shown to the one who asked: their answer is the same for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// The link went to the address.
    Link,
    /// The address is another customer's login: its owner was sent a notice and no link.
    AddressTaken,
}

/// Sends `email` a `purpose` link for `customer_id` — unless the address is already another
/// customer's login, in which case the address gets a short notice instead and nothing else
/// happens. Both paths do the same work inside `txn`: one `email_verifications` row (for a
/// taken address void from the start, `used_at = created_at`, its token never sent anywhere,
/// so it still counts toward [`LINKS_PER_CUSTOMER_PER_DAY`] — otherwise the limit would tell
/// the two apart), one queued mail and one audit entry.
pub async fn offer<C: ConnectionTrait + TransactionTrait>(
    txn: &C,
    st: &AppState,
    customer_id: i64,
    email: &str,
    purpose: Purpose,
    requested_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Offered, AppError> {
    let customer = customers::Entity::find_by_id(customer_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let taken = taken_by_other(txn, email, customer_id).await?;
    let token = random_hex();
    let expires = now + Duration::hours(LINK_TTL_HOURS);
    let row = ev::ActiveModel {
        token_hash: Set(token_hash(&token)),
        customer_id: Set(customer_id),
        email: Set(email.to_owned()),
        purpose: Set(purpose.code().into()),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(taken.then_some(now)),
        requested_by: Set(requested_by),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let link = format!(
        "{}/verify/{token}",
        st.config.public_url.trim_end_matches('/')
    );
    let code = &customer.customer_code;
    let (m, action) = match (purpose, taken) {
        (Purpose::SetLogin, false) => (
            notices::set_login_link(code, &link, expires),
            "verification_link_sent",
        ),
        (Purpose::ChangeEmail, false) => (
            notices::change_email_link(code, &link, expires),
            "verification_link_sent",
        ),
        (Purpose::SetLogin, true) => (
            notices::address_in_use_register(now),
            "verification_address_taken",
        ),
        (Purpose::ChangeEmail, true) => (
            notices::address_in_use_change(now),
            "verification_address_taken",
        ),
    };
    queue::enqueue(txn, &st.seal_key(), mail(email.to_owned(), m), now).await?;
    let mut entry = audit::Entry::new(action)
        .subject(Some(customer_id))
        .detail(json!({ "purpose": purpose.code(), "verification": row.id }));
    if let Some(by) = requested_by {
        entry = entry.actor(by);
    }
    audit::append(txn, now, entry).await?;
    Ok(if taken {
        Offered::AddressTaken
    } else {
        Offered::Link
    })
}

/// The signed-in session for a token, or 401.
async fn signed_in(
    st: &AppState,
    token: Option<&str>,
) -> Result<super::entities::sessions::Model, AppError> {
    let Some(t) = token else {
        return Err(AppError::Unauthorized);
    };
    session::find(&st.db, t, st.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Whether `actor` may register login information for `target`: `actor` is above the target
/// in the network (any depth: the materialised path answers it), or is 全国販社 (staff).
pub fn may_register_for(actor: &customers::Model, target: &customers::Model) -> bool {
    super::signed_in::is_staff(actor) || super::network::is_below(&actor.path, &target.path)
}

/// R1: the signed-in upline (or 全国販社) asks for a login for a downline customer who has
/// none. Only the verification mail goes out, to the address; the customer chooses the
/// password. A customer with a verified login is refused; an address that is already someone
/// else's login gets a notice instead of the link, and the registrant the same `Ok`.
pub async fn register_login(
    st: &AppState,
    session_token: Option<&str>,
    customer_code: &str,
    email: &str,
) -> Result<(), AppError> {
    let s = signed_in(st, session_token).await?;
    let code = validation::customer_code(customer_code)?;
    let email = validation::login_email(email)?;
    let now = st.clock.now();
    let actor = customers::Entity::find_by_id(s.customer_id)
        .one(&st.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let target = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&st.db)
        .await?;
    let allowed = match &target {
        Some(t) => t.id != actor.id && may_register_for(&actor, t),
        None => false,
    };
    // An unknown お客様ID gets the same answer as someone else's customer.
    let Some(target) = target.filter(|_| allowed) else {
        audit::append(
            &st.db,
            now,
            audit::Entry::new("register_login_refused")
                .actor(actor.id)
                .subject(None)
                .detail(json!({ "customer_code": code })),
        )
        .await?;
        return Err(AppError::Forbidden);
    };
    let txn = st.db.begin().await?;
    take_link(st, &txn, target.id, now).await?;
    let existing = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(target.id))
        .one(&txn)
        .await?;
    // A verified login is never replaced from here: the registrant could otherwise point it
    // at an address they control and take the account over.
    if existing
        .as_ref()
        .is_some_and(|l| l.email_verified_at.is_some())
    {
        return Err(already_registered());
    }
    let offered = offer(
        &txn,
        st,
        target.id,
        &email,
        Purpose::SetLogin,
        Some(actor.id),
        now,
    )
    .await?;
    // An unverified (imported) address stops working once the new link is used: tell it now,
    // while its owner can still prove it by a mail PIN and so void the new link.
    if let Some(old) = existing.filter(|l| offered == Offered::Link && l.email != email) {
        queue::enqueue(
            &txn,
            &st.seal_key(),
            mail(
                old.email,
                notices::login_address_replacing(&target.customer_code, now),
            ),
            now,
        )
        .await?;
        audit::append(
            &txn,
            now,
            audit::Entry::new("unverified_login_replacement_announced")
                .actor(actor.id)
                .subject(Some(target.id))
                .detail(json!({ "login": old.id })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A link that can still be used, for the page it opens.
pub async fn find_usable(st: &AppState, token: &str) -> Result<ev::Model, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::ResetExpired);
    }
    let now = st.clock.now();
    let v = ev::Entity::find()
        .filter(ev::Column::TokenHash.eq(token_hash(token)))
        .one(&st.db)
        .await?
        .ok_or(AppError::ResetExpired)?;
    // Used says so, even after the 24 hours: "expired" would send the customer to start a
    // procedure that is already complete.
    if v.used_at.is_some() {
        return Err(AppError::LinkUsed);
    }
    if v.expires_at <= now {
        return Err(AppError::ResetExpired);
    }
    Ok(v)
}

/// Marks the link used, once, even under concurrent submissions, and voids its siblings.
async fn consume(
    txn: &impl ConnectionTrait,
    v: &ev::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let won = ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::Id.eq(v.id))
        .filter(ev::Column::UsedAt.is_null())
        .filter(ev::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?
        .rows_affected;
    if won != 1 {
        return Err(AppError::ResetExpired);
    }
    // Other links of the same kind for this customer are void once one has been used.
    ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::CustomerId.eq(v.customer_id))
        .filter(ev::Column::Purpose.eq(&v.purpose))
        .filter(ev::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// R1: the customer opened the `set_login` link and chose a password. Creates or updates the
/// login, marks the address verified, ends every session. Never logs in.
pub async fn complete_set_login(
    st: &AppState,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let password = validation::new_password(password, confirm)?;
    let v = find_usable(st, token).await?;
    if Purpose::from_code(&v.purpose) != Some(Purpose::SetLogin) {
        return Err(AppError::ResetExpired);
    }
    if taken_by_other(&st.db, &v.email, v.customer_id).await? {
        return Err(email_taken());
    }
    let hash = st.passwords.hash(password).await?;
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    consume(&txn, &v, now).await?;
    let existing = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(v.customer_id))
        .one(&txn)
        .await?;
    let mut replaced = false;
    let login_id = match existing {
        // Verified meanwhile (e.g. a PIN by mail to the imported address): this link may not
        // replace it.
        Some(l) if l.email_verified_at.is_some() && l.email != v.email => {
            return Err(already_registered());
        }
        Some(l) => {
            let id = l.id;
            if l.email != v.email {
                // The unverified address was told when the link was sent; now it is replaced.
                queue::enqueue(
                    &txn,
                    &st.seal_key(),
                    mail(l.email.clone(), notices::email_changed(now)),
                    now,
                )
                .await?;
                replaced = true;
            }
            let mut am: logins::ActiveModel = l.into();
            am.email = Set(v.email.clone());
            am.password_hash = Set(Some(hash.as_str().into()));
            am.email_verified_at = Set(Some(now));
            am.password_changed_at = Set(Some(now));
            am.updated_at = Set(now);
            am.update(&txn).await.map_err(unique_to_taken)?;
            id
        }
        None => {
            logins::ActiveModel {
                customer_id: Set(v.customer_id),
                email: Set(v.email.clone()),
                password_hash: Set(Some(hash.as_str().into())),
                email_verified_at: Set(Some(now)),
                password_changed_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(unique_to_taken)?
            .id
        }
    };
    let ended = session::delete_others(&txn, login_id, None).await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("login_registered")
            .subject(Some(v.customer_id))
            .detail(json!({
                "verification": v.id,
                "sessions_ended": ended,
                "replaced_unverified_login": replaced,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A unique-key violation on `logins` (a race past the check) is the "address taken" answer.
fn unique_to_taken(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => email_taken(),
        _ => e.into(),
    }
}

/// R2: the customer opened the `change_email` link sent to the new address. Switches the
/// login e-mail, tells the OLD address, ends every other session.
pub async fn complete_change_email(
    st: &AppState,
    token: &str,
    keep_session: Option<&str>,
) -> Result<(), AppError> {
    let v = find_usable(st, token).await?;
    if Purpose::from_code(&v.purpose) != Some(Purpose::ChangeEmail) {
        return Err(AppError::ResetExpired);
    }
    if taken_by_other(&st.db, &v.email, v.customer_id).await? {
        return Err(email_taken());
    }
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    consume(&txn, &v, now).await?;
    let login = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(v.customer_id))
        .one(&txn)
        .await?
        .ok_or(AppError::ResetExpired)?;
    let old = login.email.clone();
    let login_id = login.id;
    let mut am: logins::ActiveModel = login.into();
    am.email = Set(v.email.clone());
    am.email_verified_at = Set(Some(now));
    am.updated_at = Set(now);
    am.update(&txn).await.map_err(unique_to_taken)?;
    let ended = session::delete_others(&txn, login_id, keep_session).await?;
    if old != v.email {
        queue::enqueue(
            &txn,
            &st.seal_key(),
            mail(old, notices::email_changed(now)),
            now,
        )
        .await?;
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("email_changed")
            .actor(v.customer_id)
            .subject(Some(v.customer_id))
            .detail(json!({ "verification": v.id, "sessions_ended": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The current password, re-typed to confirm a change; counted against the same per-account
/// failure limit as logins, so a stolen session cannot guess it.
async fn check_current_password(
    st: &AppState,
    login: &logins::Model,
    typed: &str,
) -> Result<(), AppError> {
    if typed.is_empty() {
        return Err(AppError::InvalidInput(
            "現在のパスワードを入力してください。".into(),
        ));
    }
    let typed = validation::login_password(typed)?;
    let now = st.clock.now();
    let key = auth::account_key(st, &login.email);
    let window = auth::failure_window(st);
    // Shares the failed-login count: one more way to guess the same password.
    let allowed = limits::take_alone(&st.db, &window, &key, now).await?;
    if !allowed {
        return Err(AppError::TooManyAttempts);
    }
    let stored = login.password_hash.clone().map(PasswordHash::from_stored);
    if st.passwords.verify(typed, stored.as_ref()).await? {
        limits::forget_one(&st.db, &window, &key, now).await?;
        return Ok(());
    }
    audit::append(
        &st.db,
        now,
        audit::Entry::new("current_password_wrong")
            .actor(login.customer_id)
            .subject(Some(login.customer_id)),
    )
    .await?;
    Err(AppError::InvalidInput(
        "現在のパスワードが正しくありません。".into(),
    ))
}

async fn own_login(st: &AppState, login_id: i64) -> Result<logins::Model, AppError> {
    logins::Entity::find_by_id(login_id)
        .one(&st.db)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// R2: a signed-in customer changes the password. Ends every other session; tells the
/// customer by mail.
pub async fn change_password(
    st: &AppState,
    session_token: Option<&str>,
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let s = signed_in(st, session_token).await?;
    let password = validation::new_password(password, confirm)?;
    let login = own_login(st, s.login_id).await?;
    check_current_password(st, &login, current).await?;
    if current == password {
        return Err(AppError::InvalidInput(
            "新しいパスワードが現在のパスワードと同じです。".into(),
        ));
    }
    let hash = st.passwords.hash(password).await?;
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    let email = login.email.clone();
    let mut am: logins::ActiveModel = login.into();
    am.password_hash = Set(Some(hash.as_str().into()));
    am.password_changed_at = Set(Some(now));
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let ended = session::delete_others(&txn, s.login_id, session_token).await?;
    queue::enqueue(
        &txn,
        &st.seal_key(),
        mail(email, notices::password_changed_by_customer(now)),
        now,
    )
    .await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("password_changed")
            .actor(s.customer_id)
            .subject(Some(s.customer_id))
            .detail(json!({ "sessions_ended": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R2: a signed-in customer asks to change the login e-mail. Only the confirmation link goes
/// out, to the NEW address; nothing changes until it is opened. An address that is already
/// someone's login gets a notice instead, and the answer is the same `Ok`.
pub async fn request_email_change(
    st: &AppState,
    session_token: Option<&str>,
    current: &str,
    new_email: &str,
) -> Result<(), AppError> {
    let s = signed_in(st, session_token).await?;
    let email = validation::login_email(new_email)?;
    let login = own_login(st, s.login_id).await?;
    check_current_password(st, &login, current).await?;
    if email == login.email {
        return Err(AppError::InvalidInput(
            "現在のログイン用メールアドレスと同じです。新しいメールアドレスを入力してください。"
                .into(),
        ));
    }
    let now = st.clock.now();
    // Whether the address is someone's login is decided inside `offer`, which answers the same.
    let txn = st.db.begin().await?;
    take_link(st, &txn, s.customer_id, now).await?;
    offer(
        &txn,
        st,
        s.customer_id,
        &email,
        Purpose::ChangeEmail,
        Some(s.customer_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
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
