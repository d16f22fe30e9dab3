//! Uplines: each names a known customer, and no chain of uplines leads back to the customer.
use super::{cust, not_found, Known};
use crate::server::entities::customers;
use crate::server::import::rows::{CustomerRow, COL_UPLINE};
use crate::server::import::RowProblem;
use std::collections::{HashMap, HashSet};

pub(super) fn check(
    rows: &[CustomerRow],
    db_customers: &[customers::Model],
    k: &Known,
    problems: &mut Vec<RowProblem>,
) {
    for r in rows {
        if let Some(u) = &r.upline {
            if !k.known(u) {
                problems.push(cust(r.line, COL_UPLINE, not_found(u)));
            }
        }
    }
    let mut up: HashMap<&str, &str> = db_customers
        .iter()
        .filter_map(|m| {
            let u = k.code_of_id.get(&m.upline_id?)?;
            Some((m.customer_code.as_str(), *u))
        })
        .collect();
    for r in rows {
        match &r.upline {
            Some(u) => up.insert(&r.code, u),
            None => up.remove(r.code.as_str()),
        };
    }
    for r in rows {
        let mut seen = HashSet::new();
        let mut cur = r.code.as_str();
        while let Some(&next) = up.get(cur) {
            if next == r.code {
                problems.push(cust(
                    r.line,
                    COL_UPLINE,
                    "上位店をたどると、このお客様自身に戻ります".into(),
                ));
                break;
            }
            if !seen.insert(next) {
                break; // a loop further up: reported on the rows that form it
            }
            cur = next;
        }
    }
}
