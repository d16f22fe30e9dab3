//! Each customer row: new, changed (which columns), or the same as stored.
use super::{Change, CustomerPlan, DivisionRef, Known, COL_SCREEN};
use crate::domain::phone;
use crate::domain::rank::screen_for;
use crate::server::import::rows::{
    CustomerRow, COL_ADDRESS, COL_CAN_REGISTER, COL_DIVISION, COL_KANA, COL_NAME, COL_PHONE,
    COL_POSTAL, COL_RANK, COL_UPLINE,
};
use std::collections::HashMap;

pub(super) fn plan(
    rows: &[CustomerRow],
    k: &Known,
    division_refs: &HashMap<&str, DivisionRef>,
) -> Vec<CustomerPlan> {
    let mut customer_plans = Vec::new();
    for r in rows {
        let division = r
            .division
            .as_deref()
            .and_then(|d| division_refs.get(d).cloned())
            .unwrap_or(DivisionRef::None);
        let screen = screen_for(r.rank, r.can_register);
        let (change, phone) = match k.by_code.get(r.code.as_str()) {
            None => (Change::Create, r.phone.clone()),
            Some(m) => {
                let same_phone = match (&m.phone, &r.phone) {
                    (None, None) => true,
                    // One number however it is spelt: rows stored before the rules were
                    // shared hold the national form ("0312345678"), newer ones the hyphens.
                    (Some(old), Some(new)) => {
                        old == new
                            || phone::national(old).is_some_and(|o| phone::national(new) == Some(o))
                    }
                    _ => false,
                };
                let same_division = match &division {
                    DivisionRef::None => m.division_id.is_none(),
                    DivisionRef::Existing(id) => m.division_id == Some(*id),
                    DivisionRef::New(_) => false,
                };
                let old_upline = m.upline_id.and_then(|id| k.code_of_id.get(&id).copied());
                let cols: Vec<&'static str> = [
                    (COL_NAME, m.name == r.name),
                    (COL_KANA, m.kana == r.kana),
                    (COL_PHONE, same_phone),
                    (COL_RANK, m.rank == r.rank),
                    (COL_UPLINE, old_upline == r.upline.as_deref()),
                    (COL_DIVISION, same_division),
                    (COL_CAN_REGISTER, m.can_register == r.can_register),
                    (COL_POSTAL, m.postal_code == r.postal_code),
                    (COL_ADDRESS, m.address == r.address),
                    (COL_SCREEN, m.screen_variant == screen),
                ]
                .into_iter()
                .filter(|(_, same)| !same)
                .map(|(c, _)| c)
                .collect();
                let phone = if same_phone {
                    m.phone.clone()
                } else {
                    r.phone.clone()
                };
                if cols.is_empty() {
                    (Change::Unchanged, phone)
                } else {
                    (Change::Update(cols), phone)
                }
            }
        };
        customer_plans.push(CustomerPlan {
            row: r.clone(),
            change,
            phone,
            division,
        });
    }

    customer_plans
}
