//! 販売事業部新規顧客登録 (R5) and the 全国販社 registration of customers without a division.
//!
//! Who may register whom is decided by [`decide`], a pure function over the registering
//! customer's rank and 会員登録あり flag, how the chosen division relates to them, and the
//! new customer's rank. Everything else here is the repository: one transaction inserts the
//! customer with a fresh お客様ID, its network path and search keys, and queues the R1 mail
//! (a `set_login` verification link from [`verification::issue`]), so the new customer sets
//! their own password and nobody else ever knows it.
//!
//! **[choice] upline**: the new customer's 上位店 is the owner of the division they join. For
//! one's own division that is the registering user, exactly as before the notice; for a
//! downline customer's division it is that customer, so the tree is the same as if the owner
//! had registered with the abolished registration-only login (the notice changes who may
//! press the button, not the network). The registering user still has the new customer in
//! their downline, so they find it in the customer search.
//!
//! **No oracle**: the duplicate question only looks at customers the registering user may see
//! anyway (their own downline; 全国販社 everyone), and an e-mail that is already someone's
//! login is not refused: the customer is registered, the address gets a notice instead of the
//! link ([`verification::offer`]), and the answer is the same as on success.
use super::entities::{customers, email_verifications as ev, sales_divisions};
use super::verification::{self, Purpose};
use super::{audit, customer_keys, network, state::AppState};
use crate::customers::register_fields::{CheckedFields, CustomerFields};
use crate::domain::rank::{screen_for, ultra_to_hansha_registered};
use crate::error::AppError;
use crate::model::Rank;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

pub use crate::customers::register_fields::AGENCY_RANKS;

/// How a division relates to the registering customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DivisionRelation {
    /// They own it.
    Own,
    /// A customer in their downline owns it.
    Downline,
    /// Anyone else's, or no such division.
    Other,
}

/// Why a registration was refused (recorded in the audit log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not ウルトラ販社 / スーパー販社 / 販社 with 会員登録あり.
    NotRegistrar,
    Division,
    Rank,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotRegistrar => "not_registrar",
            Refusal::Division => "division",
            Refusal::Rank => "rank",
        }
    }
}

/// R5: whether a customer of `actor_rank` (with `can_register` = 会員登録あり) may register
/// a customer of `target` rank into a division related to them as `relation`. 全国販社
/// registers on its own screen, with its own rules ([`staff_register`]).
pub fn decide(
    actor_rank: Rank,
    can_register: bool,
    relation: DivisionRelation,
    target: Rank,
) -> Result<(), Refusal> {
    if !ultra_to_hansha_registered(actor_rank, can_register) {
        return Err(Refusal::NotRegistrar);
    }
    if relation == DivisionRelation::Other {
        return Err(Refusal::Division);
    }
    if !AGENCY_RANKS.contains(&target) {
        return Err(Refusal::Rank);
    }
    Ok(())
}

/// A division offered on the registration form.
#[derive(Clone, Debug, PartialEq)]
pub struct DivisionChoice {
    pub id: i64,
    pub name: String,
    pub owner_code: String,
    pub owner_name: String,
    pub own: bool,
}

/// Whether the customer may open the R5 screen at all.
pub fn is_registrar(c: &customers::Model) -> bool {
    decide(c.rank, c.can_register, DivisionRelation::Own, Rank::General).is_ok()
}

/// Divisions the customer may register into: their own and those owned by their downline.
/// One query: the owners are a range of `customers.path`.
pub async fn divisions_for(
    db: &impl ConnectionTrait,
    actor: &customers::Model,
) -> Result<Vec<DivisionChoice>, AppError> {
    let owners = Query::select()
        .column(customers::Column::Id)
        .from(customers::Entity)
        .cond_where(network::self_and_downline_condition(&actor.path))
        .to_owned();
    let divisions = sales_divisions::Entity::find()
        .filter(sales_divisions::Column::OwnerCustomerId.in_subquery(owners))
        .order_by_asc(sales_divisions::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i64> = divisions.iter().map(|d| d.owner_customer_id).collect();
    let owners = customers::Entity::find()
        .filter(customers::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut out: Vec<DivisionChoice> = divisions
        .into_iter()
        .filter_map(|d| {
            let o = owners.iter().find(|o| o.id == d.owner_customer_id)?;
            Some(DivisionChoice {
                id: d.id,
                name: d.name,
                owner_code: o.customer_code.clone(),
                owner_name: o.name.clone(),
                own: o.id == actor.id,
            })
        })
        .collect();
    // Their own first, then by お客様ID of the owner.
    out.sort_by(|a, b| (!a.own, &a.owner_code).cmp(&(!b.own, &b.owner_code)));
    Ok(out)
}

/// The division and its relation to `actor` (an unknown id is `Other`).
async fn relation_of(
    db: &impl ConnectionTrait,
    actor: &customers::Model,
    division_id: i64,
) -> Result<
    (
        DivisionRelation,
        Option<(sales_divisions::Model, customers::Model)>,
    ),
    AppError,
> {
    let Some(d) = sales_divisions::Entity::find_by_id(division_id)
        .one(db)
        .await?
    else {
        return Ok((DivisionRelation::Other, None));
    };
    let Some(owner) = customers::Entity::find_by_id(d.owner_customer_id)
        .one(db)
        .await?
    else {
        return Ok((DivisionRelation::Other, None));
    };
    let rel = if owner.id == actor.id {
        DivisionRelation::Own
    } else if network::is_below(&actor.path, &owner.path) {
        DivisionRelation::Downline
    } else {
        DivisionRelation::Other
    };
    Ok((rel, Some((d, owner))))
}

/// The outcome of a registration request.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Registered {
        customer_code: String,
    },
    /// Someone in the user's downline with the same phone, or a pending invitation to the same
    /// e-mail there, exists: the user confirms and sends again. Says which field, never who.
    NeedsConfirmation {
        reasons: Vec<String>,
    },
}

/// Whose customers the duplicate question may look at.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// 全国販社: every customer.
    Everyone,
    /// The registering user (this `customers.path`) and their downline: the customers they
    /// can already find in the search. Anyone else's phone must answer like an unknown one.
    Downline(&'a str),
}

/// Likely duplicates of `f` within `scope`, as messages. Whether the e-mail is someone's login
/// is deliberately not asked: that would tell the registrant (R2 is kept by
/// [`verification::offer`] instead).
pub async fn duplicates(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    f: &CheckedFields,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    // A customer without a path sees no one (as `network::is_below` says for it).
    if let Scope::Downline("") = scope {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    // The search key (national digits, migration 000006) matches however the phone was typed.
    if let Some(key) = super::search_key::phone_key(&f.phone) {
        let backend = db.get_database_backend();
        let stmt = match scope {
            Scope::Everyone => customer_keys::stmt(
                backend,
                "SELECT id FROM customers WHERE phone_key = ? LIMIT 1",
                vec![key.into()],
            ),
            Scope::Downline(path) => {
                let (lo, hi) = network::downline_bounds(path);
                customer_keys::stmt(
                    backend,
                    "SELECT id FROM customers WHERE phone_key = ? AND path >= ? AND path < ? LIMIT 1",
                    vec![key.into(), lo.into(), hi.into()],
                )
            }
        };
        if db.query_one_raw(stmt).await?.is_some() {
            out.push("同じ電話番号のお客様がすでに登録されています。".to_string());
        }
    }
    let mut pending = ev::Entity::find()
        .filter(ev::Column::Email.eq(&f.email))
        .filter(ev::Column::UsedAt.is_null())
        .filter(ev::Column::ExpiresAt.gt(now));
    if let Scope::Downline(path) = scope {
        let visible = Query::select()
            .column(customers::Column::Id)
            .from(customers::Entity)
            .cond_where(network::self_and_downline_condition(path))
            .to_owned();
        pending = pending.filter(ev::Column::CustomerId.in_subquery(visible));
    }
    let pending = pending.count(db).await?;
    if pending > 0 {
        out.push("同じメールアドレスで登録手続き中のお客様がいます。".to_string());
    }
    Ok(out)
}

/// What to insert.
pub struct NewCustomer<'a> {
    pub fields: &'a CheckedFields,
    pub rank: Rank,
    pub upline_id: Option<i64>,
    pub division_id: Option<i64>,
    pub can_register: bool,
    pub registered_by: i64,
    /// `agency` (R5) or `staff`.
    pub via: &'static str,
}

/// On SQLite, takes the write lock at the start of a transaction that reads before it writes:
/// one that read first cannot wait for the lock later (SQLITE_BUSY at once, not after the
/// busy timeout). PostgreSQL locks rows as it goes and needs nothing.
pub async fn write_lock_first(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE customers SET id = id WHERE id = -1")
            .await?;
    }
    Ok(())
}

/// Attempts at a fresh お客様ID when a concurrent registration took the same one.
const CODE_ATTEMPTS: usize = 8;

/// The next free 8-digit お客様ID after the highest one in use.
async fn next_code(db: &impl ConnectionTrait) -> Result<String, AppError> {
    let top = customers::Entity::find()
        .select_only()
        .column(customers::Column::CustomerCode)
        .order_by_desc(customers::Column::CustomerCode)
        .into_tuple::<String>()
        .one(db)
        .await?;
    let n = top
        .and_then(|c| c.parse::<u64>().ok())
        .unwrap_or(10_000_000)
        + 1;
    if n > 99_999_999 {
        tracing::error!("お客様ID space exhausted");
        return Err(AppError::Internal);
    }
    Ok(format!("{n:08}"))
}

/// Inserts the customer, its path and search keys, and queues the R1 mail (or, for an address
/// that is already someone's login, the notice that replaces it), in one transaction. The お客様ID is the next free one; the unique key on `customer_code` settles a
/// race, and the loser retries in a savepoint (PostgreSQL aborts a transaction on a failed
/// statement otherwise).
pub async fn insert(st: &AppState, n: NewCustomer<'_>) -> Result<String, AppError> {
    let now = st.clock.now();
    let f = n.fields;
    let screen = screen_for(n.rank, n.can_register);
    let txn = st.db.begin().await?;
    write_lock_first(&txn).await?;
    let mut inserted = None;
    for _ in 0..CODE_ATTEMPTS {
        let code = next_code(&txn).await?;
        let sp = txn.begin().await?;
        let res = customers::ActiveModel {
            customer_code: Set(code),
            name: Set(f.name.clone()),
            kana: Set(f.kana.clone()),
            phone: Set(Some(f.phone.clone())),
            rank: Set(n.rank),
            upline_id: Set(n.upline_id),
            division_id: Set(n.division_id),
            can_register: Set(n.can_register),
            screen_variant: Set(screen),
            postal_code: Set(Some(f.postal_code.clone())),
            address: Set(Some(f.address.clone())),
            path: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&sp)
        .await;
        match res {
            Ok(c) => {
                sp.commit().await?;
                inserted = Some(c);
                break;
            }
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                sp.rollback().await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let Some(c) = inserted else {
        tracing::error!("no free お客様ID after {CODE_ATTEMPTS} attempts");
        return Err(AppError::Internal);
    };
    network::assign_path(&txn, c.id, n.upline_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "assign_path");
            AppError::Internal
        })?;
    customer_keys::refresh(&txn, c.id).await?;
    // The registrant is answered the same either way; see `verification::offer`.
    verification::offer(
        &txn,
        st,
        c.id,
        &f.email,
        Purpose::SetLogin,
        Some(n.registered_by),
        now,
    )
    .await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("customer_registered")
            .actor(n.registered_by)
            .subject(Some(c.id))
            .detail(json!({
                "via": n.via,
                "customer_code": c.customer_code,
                "rank": n.rank.code(),
                "division": n.division_id,
                "upline": n.upline_id,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(c.customer_code)
}

/// R5: a 【ウルトラ販社～販社】(会員登録あり) user registers a customer into their own division
/// or one owned by their downline. Forged requests (division, rank, or not a registrar at
/// all) get 403 and an audit entry, and write nothing else.
pub async fn agency_register(
    st: &AppState,
    actor: &customers::Model,
    division_id: i64,
    rank: &str,
    fields: &CustomerFields,
    confirmed: bool,
) -> Result<Outcome, AppError> {
    // No rank chosen is a form left incomplete, not a forged one.
    crate::customers::register_fields::rank_chosen(rank)?;
    let target = Rank::from_code(rank);
    let actor_rank = actor.rank;
    let (relation, division) = relation_of(&st.db, actor, division_id).await?;
    let verdict = match target {
        Some(t) => decide(actor_rank, actor.can_register, relation, t),
        None => {
            decide(actor_rank, actor.can_register, relation, Rank::General).and(Err(Refusal::Rank))
        }
    };
    if let Err(why) = verdict {
        audit::append(
            &st.db,
            st.clock.now(),
            audit::Entry::new("customer_register_refused")
                .actor(actor.id)
                .detail(json!({
                    "reason": why.code(),
                    "division": division_id,
                    "rank": rank.chars().take(30).collect::<String>(),
                })),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    let (Some(target), Some((division, owner))) = (target, division) else {
        return Err(AppError::Forbidden);
    };
    // Permission first: a forged request is a 403 whatever its fields say.
    let fields = &fields.check()?;
    if !confirmed {
        let scope = Scope::Downline(&actor.path);
        let reasons = duplicates(&st.db, scope, fields, st.clock.now()).await?;
        if !reasons.is_empty() {
            return Ok(Outcome::NeedsConfirmation { reasons });
        }
    }
    let customer_code = insert(
        st,
        NewCustomer {
            fields,
            rank: target,
            upline_id: Some(owner.id),
            division_id: Some(division.id),
            can_register: false,
            registered_by: actor.id,
            via: "agency",
        },
    )
    .await?;
    Ok(Outcome::Registered { customer_code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registering_hansha_and_above_may_register() {
        for r in Rank::ALL {
            let expected = matches!(r, Rank::Ultra | Rank::Super | Rank::Hansha);
            assert_eq!(
                decide(r, true, DivisionRelation::Own, Rank::Shop).is_ok(),
                expected,
                "{r:?}"
            );
            assert_eq!(
                decide(r, false, DivisionRelation::Own, Rank::Shop),
                Err(Refusal::NotRegistrar)
            );
        }
    }

    #[test]
    fn own_and_downline_divisions_only() {
        assert!(decide(Rank::Hansha, true, DivisionRelation::Own, Rank::Dairiten).is_ok());
        assert!(decide(
            Rank::Hansha,
            true,
            DivisionRelation::Downline,
            Rank::Dairiten
        )
        .is_ok());
        assert_eq!(
            decide(Rank::Ultra, true, DivisionRelation::Other, Rank::Dairiten),
            Err(Refusal::Division)
        );
    }

    #[test]
    fn registrable_ranks_are_the_five_of_the_notice() {
        for r in Rank::ALL {
            let ok = decide(Rank::Ultra, true, DivisionRelation::Own, r).is_ok();
            assert_eq!(ok, AGENCY_RANKS.contains(&r), "{r:?}");
        }
        assert!(!AGENCY_RANKS.contains(&Rank::Hansha));
        assert!(!AGENCY_RANKS.contains(&Rank::National));
    }
}
