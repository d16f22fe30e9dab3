//! After a right PIN: the grant (an HttpOnly cookie, 15 minutes, once) that lets the customer
//! choose a new password.
use crate::error::AppError;
use crate::server::entities::{logins, pin_challenges as pc};
use crate::server::queue::{self, NewMessage};
use crate::server::{audit, notices, session, sha256_hex, state::AppState};
use crate::validation;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde_json::json;

/// How long a verified PIN lets the customer choose a new password.
pub const GRANT_TTL_MINUTES: i64 = 15;
pub const GRANT_COOKIE: &str = "daiko_reset";

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
    queue::enqueue(&txn, &st.seal_key(), msg, now).await?;
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

