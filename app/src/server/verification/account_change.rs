//! R2: the signed-in customer changes the password, or the login e-mail (switched when the
//! link sent to the new address is opened). Each change ends the other sessions and is told
//! to the customer by mail.
use super::link::{
    consume, email_taken, find_usable, mail, offer, take_link, taken_by_other, unique_to_taken,
};
use super::{signed_in, Purpose};
use crate::error::AppError;
use crate::server::entities::logins;
use crate::server::password::PasswordHash;
use crate::server::queue::{self};
use crate::server::{audit, auth, limits, notices, session, state::AppState};
use crate::validation;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde_json::json;

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
pub(super) async fn check_current_password(
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

pub(super) async fn own_login(st: &AppState, login_id: i64) -> Result<logins::Model, AppError> {
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
