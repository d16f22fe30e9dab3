//! Writes a clean import plan, in one transaction with the checks that made it.
use super::plan::{Change, DivisionRef, LoginKind, Plan};
use crate::domain::rank::screen_for;
use crate::server::entities::{customers, legacy_logins, logins, sales_divisions};
use crate::server::{customer_keys, network};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, NotSet, Set};
use std::collections::HashMap;

/// Writes a clean plan. New customers are inserted first without upline and division, so
/// that any order of rows in the file works; then divisions, then every changed customer.
pub async fn apply(
    db: &impl ConnectionTrait,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut ids = plan.db_ids.clone();
    for p in plan.customers.iter().filter(|p| p.change == Change::Create) {
        let r = &p.row;
        let m = customers::ActiveModel {
            customer_code: Set(r.code.clone()),
            name: Set(r.name.clone()),
            kana: Set(r.kana.clone()),
            phone: Set(p.phone.clone()),
            rank: Set(r.rank),
            upline_id: Set(None),
            division_id: Set(None),
            can_register: Set(r.can_register),
            screen_variant: Set(screen_for(r.rank, r.can_register)),
            postal_code: Set(r.postal_code.clone()),
            address: Set(r.address.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ids.insert(r.code.clone(), m.id);
    }
    let id_of = |code: &str| {
        ids.get(code)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("import: no id for お客様ID {code}")))
    };
    let mut division_ids = HashMap::new();
    for d in &plan.new_divisions {
        let m = sales_divisions::ActiveModel {
            name: Set(d.name.clone()),
            owner_customer_id: Set(id_of(&d.owner_code)?),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        division_ids.insert(d.name.as_str(), m.id);
    }
    for p in plan
        .customers
        .iter()
        .filter(|p| p.change != Change::Unchanged)
    {
        let r = &p.row;
        let division_id = match &p.division {
            DivisionRef::None => None,
            DivisionRef::Existing(id) => Some(*id),
            DivisionRef::New(name) => Some(
                division_ids
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| DbErr::Custom(format!("import: no id for division {name}")))?,
            ),
        };
        customers::ActiveModel {
            id: Set(id_of(&r.code)?),
            customer_code: NotSet,
            name: Set(r.name.clone()),
            kana: Set(r.kana.clone()),
            phone: Set(p.phone.clone()),
            rank: Set(r.rank),
            upline_id: Set(r.upline.as_deref().map(id_of).transpose()?),
            division_id: Set(division_id),
            can_register: Set(r.can_register),
            screen_variant: Set(screen_for(r.rank, r.can_register)),
            postal_code: Set(r.postal_code.clone()),
            address: Set(r.address.clone()),
            created_at: NotSet,
            updated_at: Set(now),
            path: NotSet,
            downline_count: NotSet,
        }
        .update(db)
        .await?;
        customer_keys::refresh(db, id_of(&r.code)?).await?;
    }
    if plan.customers.iter().any(|p| p.change != Change::Unchanged) {
        network::rebuild_paths(db).await?;
    }
    for l in &plan.logins {
        let customer_id = id_of(&l.customer_code)?;
        match &l.kind {
            LoginKind::Single {
                email,
                create: true,
            } => {
                // No password and an unverified address: the customer sets both through
                // the reset flow; nobody else ever knows the password.
                logins::ActiveModel {
                    customer_id: Set(customer_id),
                    email: Set(email.clone()),
                    password_hash: Set(None),
                    email_verified_at: Set(None),
                    password_changed_at: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
            LoginKind::Single { create: false, .. } => {}
            LoginKind::Legacy { new, .. } => {
                for email in new {
                    legacy_logins::ActiveModel {
                        customer_id: Set(customer_id),
                        email: Set(email.clone()),
                        imported_at: Set(now),
                        status: Set(legacy_logins::Status::Pending),
                        resolved_at: Set(None),
                        ..Default::default()
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
    }
    Ok(())
}
