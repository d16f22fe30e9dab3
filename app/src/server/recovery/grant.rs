//! After a right PIN: the grant (an HttpOnly cookie, 15 minutes, once) that lets the customer
//! see the login e-mail (masked) and choose a new password and, optionally, a new login e-mail.
use crate::error::AppError;
use crate::model::ResetChannel;
use crate::server::entities::{logins, pin_challenges as pc};
use crate::server::queue::{self, NewMessage};
use crate::server::verification::{self, Purpose};
use crate::server::{audit, notices, session, sha256_hex, state::AppState};
use crate::validation;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

/// How long a verified PIN lets the customer choose a new password.
pub const GRANT_TTL_MINUTES: i64 = 15;
pub const GRANT_COOKIE: &str = "daiko_reset";

/// A login e-mail as the reset form shows it: the first character, `***`, then `@domain`
/// (`t***@example.jp`). Enough for the customer to recognise which address it is, without
/// its length or the rest of the local part; the PIN already proved who is looking.
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        // Login addresses are validated, so this is only a guard: show nothing of it.
        None => "***".into(),
    }
}

fn no_login() -> AppError {
    AppError::InvalidInput(
        "ログイン情報（メールアドレス）が未登録です。上位店にログイン情報の登録を依頼してください。"
            .into(),
    )
}

/// The challenge whose grant is `grant`, if it is still unused and unexpired.
async fn live_grant(
    db: &impl ConnectionTrait,
    grant: &str,
    now: DateTime<Utc>,
) -> Result<(pc::Model, i64), AppError> {
    if grant.len() != 64 || !grant.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::ResetExpired);
    }
    let gh = sha256_hex(&[grant.as_bytes()]);
    let c = pc::Entity::find()
        .filter(pc::Column::GrantHash.eq(&gh))
        .one(db)
        .await?
        .filter(|c| c.grant_used_at.is_none() && c.grant_expires_at.is_some_and(|t| t > now))
        .ok_or(AppError::ResetExpired)?;
    let cid = c.customer_id.ok_or(AppError::ResetExpired)?;
    Ok((c, cid))
}

async fn login_of(db: &impl ConnectionTrait, customer_id: i64) -> Result<logins::Model, AppError> {
    logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or_else(no_login)
}

/// The login e-mail, masked, for the holder of a live grant only (ResetExpired otherwise).
pub async fn masked_login_email(st: &AppState, grant: &str) -> Result<String, AppError> {
    let (_, cid) = live_grant(&st.db, grant, st.clock.now()).await?;
    Ok(mask_email(&login_of(&st.db, cid).await?.email))
}

/// What the customer chose on the reset form.
pub struct ResetChoice<'a> {
    pub password: &'a str,
    pub confirm: &'a str,
    /// Empty or absent: keep the login e-mail.
    pub new_email: Option<&'a str>,
}

/// Sets the new password chosen after a verified PIN and, if asked, sends a confirmation link
/// to a new login e-mail (the address changes only when the link is opened, R3); spends the
/// grant; ends every session; tells the customer at the current address. Returns whether a
/// new e-mail was asked for. A taken new address is answered alike (`verification::offer`).
pub async fn complete_reset(
    st: &AppState,
    grant: &str,
    choice: ResetChoice<'_>,
) -> Result<bool, AppError> {
    let password = validation::new_password(choice.password, choice.confirm)?;
    let new_email = choice
        .new_email
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(validation::login_email)
        .transpose()?;
    let now = st.clock.now();
    let (c, cid) = live_grant(&st.db, grant, now).await?;
    let login = login_of(&st.db, cid).await?;
    if let Some(email) = &new_email {
        if *email == login.email {
            return Err(AppError::InvalidInput(
                "現在のログイン用メールアドレスと同じです。変更しない場合は空欄のままにしてください。"
                    .into(),
            ));
        }
    }
    let hash = st.passwords.hash(password).await?;
    let txn = st.db.begin().await?;
    if new_email.is_some() {
        // The daily cap every link shares; first in the transaction (it takes the lock), so
        // a refusal spends nothing.
        verification::take_link(st, &txn, cid, now).await?;
    }
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
    if c.channel == ResetChannel::Mail && !was_verified {
        am.email_verified_at = Set(Some(now));
    }
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let ended = session::delete_others(&txn, login_id, None).await?;
    let notice = notices::password_changed(now);
    queue::enqueue(&txn, &st.seal_key(), mail(email.clone(), notice), now).await?;
    if let Some(new_email) = &new_email {
        // Link or "address in use" notice: the customer's answer is the same either way.
        verification::offer(
            &txn,
            st,
            cid,
            new_email,
            Purpose::ChangeEmail,
            Some(cid),
            now,
        )
        .await?;
        // The current address hears of it in both cases too, so it tells nothing either.
        let notice = notices::email_change_requested(now);
        queue::enqueue(&txn, &st.seal_key(), mail(email, notice), now).await?;
        audit::append(
            &txn,
            now,
            audit::Entry::new("reset_email_change_requested")
                .actor(cid)
                .subject(Some(cid))
                .detail(json!({ "challenge": c.id })),
        )
        .await?;
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("password_reset")
            .subject(Some(cid))
            .detail(json!({
                "challenge": c.id,
                "sessions_ended": ended,
                "email_change_requested": new_email.is_some(),
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(new_email.is_some())
}

fn mail(to: String, m: crate::server::messages::Mail) -> NewMessage {
    NewMessage {
        channel: crate::model::ResetChannel::Mail,
        recipient: to,
        subject: m.subject,
        body: m.body,
        challenge_id: None,
    }
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
    fn masks_keep_the_first_character_and_the_domain() {
        assert_eq!(mask_email("tanaka@example.jp"), "t***@example.jp");
        assert_eq!(mask_email("dairiten@example.jp"), "d***@example.jp");
        // The length of the local part is not shown.
        assert_eq!(mask_email("t@example.jp"), mask_email("tx@example.jp"));
        assert_eq!(mask_email("t@example.jp"), "t***@example.jp");
    }

    #[test]
    fn masks_count_characters_not_bytes() {
        assert_eq!(mask_email("山田@example.jp"), "山***@example.jp");
    }

    #[test]
    fn masks_show_nothing_of_a_malformed_address() {
        assert_eq!(mask_email("@example.jp"), "***@example.jp");
        assert_eq!(mask_email("no-at-sign"), "***");
        assert_eq!(mask_email(""), "***");
    }
}
