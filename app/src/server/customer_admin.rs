//! 全国販社 (operator staff) back office for customers (R8): register customers who belong
//! to no division (the notice's unchanged path: the upline asks, 全国販社 registers), and
//! change a customer's rank, upline, division and 会員登録あり. Staff can do everything except
//! see or set a password; a login reset is started at `/staff/reset` (the customer receives
//! the PIN). Rules are plain functions ([`check_change`]); the rest is the repository.
use super::entities::{customers, logins, sales_divisions};
use super::network::{self, NetworkError};
use super::registration::{self, NewCustomer};
use super::{audit, customer_keys, state::AppState};
use crate::customers::register_fields::{CheckedFields, CustomerDetails};
use crate::domain::rank::{screen_for, ultra_to_hansha};
use crate::error::AppError;
use crate::model::Rank;
use crate::validation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

/// The signed-in customer if they are 全国販社 staff; anyone else gets 403 and an audit entry
/// naming what they tried.
pub async fn staff(
    st: &AppState,
    token: Option<&str>,
    action: &'static str,
) -> Result<customers::Model, AppError> {
    let detail = json!({ "tried": action });
    super::signed_in::staff(st, token, "forbidden_staff_customers", detail).await
}

fn bad(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

/// Ranks staff may give on these screens: all but 全国販社 (staff accounts are not made here).
pub fn assignable(rank: Rank) -> bool {
    rank != Rank::National
}

/// A rank from the form, or a Japanese 400.
pub fn parse_rank(code: &str) -> Result<Rank, AppError> {
    Rank::from_code(code)
        .filter(|r| assignable(*r))
        .ok_or_else(|| bad("ランクを選んでください（全国販社はこの画面では設定できません）。"))
}

/// 会員登録あり only exists for ウルトラ販社 / スーパー販社 / 販社.
pub fn check_flag(rank: Rank, can_register: bool) -> Result<(), AppError> {
    if can_register && !ultra_to_hansha(rank) {
        return Err(bad(
            "「会員登録あり」は、ウルトラ販社・スーパー販社・販社のお客様にのみ設定できます。",
        ));
    }
    Ok(())
}

/// The message for an upline inside the customer's own downline (or the customer itself).
pub const CYCLE_MESSAGE: &str =
    "上位店に、このお客様ご自身またはその下位のお客様は指定できません（上位店の関係が循環します）。";

async fn by_code(db: &impl ConnectionTrait, raw: &str) -> Result<customers::Model, AppError> {
    let code = validation::customer_code(raw)?;
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("お客様ID {code} のお客様は見つかりません。")))
}

/// An optional お客様ID field: blank = none.
async fn optional_customer(
    db: &impl ConnectionTrait,
    raw: &str,
) -> Result<Option<customers::Model>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    by_code(db, raw).await.map(Some)
}

async fn division(
    db: &impl ConnectionTrait,
    id: Option<i64>,
) -> Result<Option<sales_divisions::Model>, AppError> {
    match id {
        None => Ok(None),
        Some(id) => sales_divisions::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(Some)
            .ok_or_else(|| bad("販売事業部が見つかりません。選び直してください。")),
    }
}

/// 全国販社 registers a customer who belongs to no division, under the given upline.
pub async fn staff_register(
    st: &AppState,
    staff: &customers::Model,
    rank: &str,
    upline_code: &str,
    can_register: bool,
    fields: &CheckedFields,
    confirmed: bool,
) -> Result<registration::Outcome, AppError> {
    let rank = parse_rank(rank)?;
    check_flag(rank, can_register)?;
    let upline = by_code(&st.db, upline_code).await.map_err(|e| match e {
        AppError::InvalidInput(m) if upline_code.trim().is_empty() => {
            bad(m.replace("お客様ID", "上位店のお客様ID"))
        }
        e => e,
    })?;
    if !confirmed {
        let scope = registration::Scope::Everyone;
        let reasons = registration::duplicates(&st.db, scope, fields, st.clock.now()).await?;
        if !reasons.is_empty() {
            return Ok(registration::Outcome::NeedsConfirmation { reasons });
        }
    }
    let customer_code = registration::insert(
        st,
        NewCustomer {
            fields,
            rank,
            upline_id: Some(upline.id),
            division_id: None,
            can_register,
            registered_by: staff.id,
            via: "staff",
        },
    )
    .await?;
    Ok(registration::Outcome::Registered { customer_code })
}

/// What the staff edit page shows. No e-mail address, no password: only whether a login
/// exists.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub customer: customers::Model,
    pub upline: Option<customers::Model>,
    pub division: Option<sales_divisions::Model>,
    pub has_login: bool,
    pub downline_count: u64,
}

pub async fn detail(st: &AppState, code: &str) -> Result<Detail, AppError> {
    let customer = by_code(&st.db, code).await.map_err(|e| match e {
        AppError::InvalidInput(_) => AppError::NotFound,
        e => e,
    })?;
    let upline = match customer.upline_id {
        Some(id) => customers::Entity::find_by_id(id).one(&st.db).await?,
        None => None,
    };
    let division = division(&st.db, customer.division_id).await.unwrap_or(None);
    let has_login = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(customer.id))
        .filter(logins::Column::EmailVerifiedAt.is_not_null())
        .count(&st.db)
        .await?
        > 0;
    let downline_count = customers::Entity::find()
        .filter(network::downline_condition(&customer.path))
        .count(&st.db)
        .await?;
    Ok(Detail {
        customer,
        upline,
        division,
        has_login,
        downline_count,
    })
}

/// Every division, for the staff form (divisions are few: one per registering 販社 or above).
pub async fn all_divisions(
    db: &impl ConnectionTrait,
) -> Result<Vec<(sales_divisions::Model, String)>, AppError> {
    let ds = sales_divisions::Entity::find()
        .order_by_asc(sales_divisions::Column::Id)
        .limit(2000)
        .all(db)
        .await?;
    let owners = customers::Entity::find()
        .filter(customers::Column::Id.is_in(ds.iter().map(|d| d.owner_customer_id)))
        .select_only()
        .column(customers::Column::Id)
        .column(customers::Column::CustomerCode)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?;
    Ok(ds
        .into_iter()
        .map(|d| {
            let code = owners
                .iter()
                .find(|(id, _)| *id == d.owner_customer_id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            (d, code)
        })
        .collect())
}

/// The requested change, as parsed from the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub rank: Rank,
    pub upline_id: Option<i64>,
    pub division_id: Option<i64>,
    pub can_register: bool,
}

/// Rules that need no database: the rank is assignable, the flag fits the rank, and staff
/// accounts are not edited here.
pub fn check_change(current_rank: Option<Rank>, c: &Change) -> Result<(), AppError> {
    if current_rank == Some(Rank::National) {
        return Err(bad("全国販社のアカウントはこの画面では変更できません。"));
    }
    if !assignable(c.rank) {
        return Err(bad("全国販社のランクはこの画面では設定できません。"));
    }
    check_flag(c.rank, c.can_register)
}

/// Staff correct a customer's 代理店名, カナ, 電話番号, 郵便番号 and 住所 (the registration
/// rules). One transaction writes the row, refreshes the search keys (R4) and audits each
/// changed field with its old and new value; nothing changed writes nothing.
pub async fn update_details(
    st: &AppState,
    staff: &customers::Model,
    code: &str,
    details: &CustomerDetails,
) -> Result<(), AppError> {
    let target = by_code(&st.db, code).await?;
    let d = details.check()?;
    let old = json!({
        "name": target.name,
        "kana": target.kana,
        "phone": target.phone,
        "postal_code": target.postal_code,
        "address": target.address,
    });
    let new = json!({
        "name": d.name,
        "kana": d.kana,
        "phone": d.phone,
        "postal_code": d.postal_code,
        "address": d.address,
    });
    let changed: serde_json::Map<String, serde_json::Value> = old
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| new.get(k.as_str()) != Some(*v))
        .map(|(k, v)| (k.clone(), json!({ "from": v, "to": new[k.as_str()] })))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    registration::write_lock_first(&txn).await?;
    let id = target.id;
    let mut am: customers::ActiveModel = target.into();
    am.name = Set(d.name);
    am.kana = Set(d.kana);
    am.phone = Set(Some(d.phone));
    am.postal_code = Set(Some(d.postal_code));
    am.address = Set(Some(d.address));
    am.updated_at = Set(now);
    am.update(&txn).await?;
    customer_keys::refresh(&txn, id).await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("customer_details_changed_by_staff")
            .actor(staff.id)
            .subject(Some(id))
            .detail(serde_json::Value::Object(changed)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Applies a change of rank, upline, division and 会員登録あり in one transaction: the
/// upline through [`network::move_subtree`] (cycles refused), the screen variant from
/// [`screen_for`]. Each changed field is audited with its old and new value.
pub async fn update(
    st: &AppState,
    staff: &customers::Model,
    code: &str,
    rank: &str,
    upline_code: &str,
    division_id: Option<i64>,
    can_register: bool,
) -> Result<(), AppError> {
    let target = by_code(&st.db, code).await?;
    let rank = parse_rank(rank)?;
    let upline = optional_customer(&st.db, upline_code).await?;
    let div = division(&st.db, division_id).await?;
    let change = Change {
        rank,
        upline_id: upline.as_ref().map(|u| u.id),
        division_id: div.as_ref().map(|d| d.id),
        can_register,
    };
    check_change(Some(target.rank), &change)?;
    if change.upline_id == Some(target.id) {
        return Err(bad(CYCLE_MESSAGE));
    }
    let now = st.clock.now();
    let txn = st.db.begin().await?;
    registration::write_lock_first(&txn).await?;
    if change.upline_id != target.upline_id {
        network::move_subtree(&txn, target.id, change.upline_id)
            .await
            .map_err(|e| match e {
                NetworkError::Cycle { .. } => bad(CYCLE_MESSAGE),
                NetworkError::UnknownCustomer(_) => bad("上位店のお客様が見つかりません。"),
                NetworkError::Db(e) => e.into(),
            })?;
    }
    let screen = screen_for(change.rank, change.can_register);
    let old = json!({
        "rank": target.rank.code(),
        "upline": target.upline_id,
        "division": target.division_id,
        "can_register": target.can_register,
        "screen": target.screen_variant.code(),
    });
    let new = json!({
        "rank": change.rank.code(),
        "upline": change.upline_id,
        "division": change.division_id,
        "can_register": change.can_register,
        "screen": screen.code(),
    });
    let mut am: customers::ActiveModel = target.clone().into();
    am.rank = Set(change.rank);
    am.division_id = Set(change.division_id);
    am.can_register = Set(change.can_register);
    am.screen_variant = Set(screen);
    am.updated_at = Set(now);
    // move_subtree already wrote upline_id and the paths; keep them as they are now.
    am.upline_id = sea_orm::ActiveValue::NotSet;
    am.path = sea_orm::ActiveValue::NotSet;
    am.update(&txn).await?;
    let changed: serde_json::Map<String, serde_json::Value> = old
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| new.get(k.as_str()) != Some(*v))
        .map(|(k, v)| (k.clone(), json!({ "from": v, "to": new[k.as_str()] })))
        .collect();
    if !changed.is_empty() {
        audit::append(
            &txn,
            now,
            audit::Entry::new("customer_changed_by_staff")
                .actor(staff.id)
                .subject(Some(target.id))
                .detail(serde_json::Value::Object(changed)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_only_for_hansha_and_above() {
        assert!(check_flag(Rank::Hansha, true).is_ok());
        assert!(check_flag(Rank::Shop, false).is_ok());
        assert!(check_flag(Rank::Shop, true).is_err());
        assert!(check_flag(Rank::SoDairiten, true).is_err());
    }

    #[test]
    fn staff_accounts_are_not_made_or_edited_here() {
        assert!(parse_rank("national").is_err());
        assert!(parse_rank("admin").is_err());
        assert_eq!(parse_rank("shop").unwrap(), Rank::Shop);
        let c = Change {
            rank: Rank::Shop,
            upline_id: None,
            division_id: None,
            can_register: false,
        };
        assert!(check_change(Some(Rank::National), &c).is_err());
        assert!(check_change(Some(Rank::Dairiten), &c).is_ok());
    }
}
