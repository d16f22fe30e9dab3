//! R1: an upline (or 全国販社) asks for a login for a downline customer; the customer opens
//! the link and chooses the password. Nobody else ever knows it.
use super::link::{
    already_registered, consume, email_taken, find_usable, mail, offer, take_link, taken_by_other,
    unique_to_taken, Offered,
};
use super::{signed_in, Purpose};
use crate::error::AppError;
use crate::server::entities::{customers, logins};
use crate::server::queue::{self};
use crate::server::{audit, notices, session, state::AppState};
use crate::validation;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde_json::json;

/// Whether `actor` may register login information for `target`: `actor` is above the target
/// in the network (any depth: the materialised path answers it), or is 全国販社 (staff).
pub fn may_register_for(actor: &customers::Model, target: &customers::Model) -> bool {
    crate::server::signed_in::is_staff(actor)
        || crate::server::network::is_below(&actor.path, &target.path)
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
