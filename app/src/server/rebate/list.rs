//! The 還元額 of every month on a customer's statement list (`/documents/rebate`): a closed
//! month from its latest stored version, an open one computed (仮計算) with a fixed number of
//! queries for the whole span (closes, stored rows, rates, orders, returns).
use super::{MonthRebate, OrderAmount};
use crate::domain::time::{jst_date, Month};
use crate::error::AppError;
use crate::server::entities::{customers, rebate_closes, rebate_statements};
use crate::server::rebate::figures::{downline_returns_between, from_row, return_amounts};
use crate::server::rebate::queries::{downline_orders_between, rates_for};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// One month as the list shows it.
pub struct MonthView {
    pub month: Month,
    pub rebate: MonthRebate,
    /// `None`: 仮計算; otherwise the latest stored version.
    pub version: Option<i32>,
    pub reason: Option<String>,
    /// Every stored version (number, JST issue date), oldest first.
    pub versions: Vec<(i32, NaiveDate)>,
}

fn empty(month: Month, rank: &str) -> MonthRebate {
    MonthRebate {
        month,
        rank: rank.to_owned(),
        segments: Vec::new(),
        order_count: 0,
        orders_yen: 0,
        return_count: 0,
        returns_yen: 0,
        base_yen: 0,
        rebate_yen: 0,
    }
}

/// `months` newest first, as `documents::statement_months` lists them.
pub async fn month_list<C: ConnectionTrait>(
    db: &C,
    subject: &customers::Model,
    months: &[Month],
) -> Result<Vec<MonthView>, AppError> {
    let codes: Vec<String> = months.iter().map(|m| m.code()).collect();
    // Month → JST date of its close (the date of an implicit 0-yen 第1版).
    let closed: BTreeMap<String, NaiveDate> = if codes.is_empty() {
        BTreeMap::new()
    } else {
        rebate_closes::Entity::find()
            .filter(rebate_closes::Column::Month.is_in(codes.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.month, jst_date(c.closed_at)))
            .collect()
    };
    let mut stored: BTreeMap<String, Vec<rebate_statements::Model>> = BTreeMap::new();
    if !closed.is_empty() {
        for row in rebate_statements::Entity::find()
            .filter(rebate_statements::Column::CustomerId.eq(subject.id))
            .filter(rebate_statements::Column::Month.is_in(closed.keys().cloned()))
            .order_by_asc(rebate_statements::Column::Version)
            .all(db)
            .await?
        {
            stored.entry(row.month.clone()).or_default().push(row);
        }
    }
    let open: Vec<Month> = months
        .iter()
        .copied()
        .filter(|m| !closed.contains_key(&m.code()))
        .collect();
    let mut live: BTreeMap<Month, MonthRebate> = BTreeMap::new();
    if let (Some(newest), Some(oldest)) = (open.iter().max(), open.iter().min()) {
        let rates = rates_for(db, subject.rank).await?;
        let (start, _) = oldest.utc_range();
        let (_, end) = newest.utc_range();
        let orders: Vec<OrderAmount> = downline_orders_between(db, &subject.path, start, end)
            .await?
            .into_iter()
            .map(|o| OrderAmount {
                date: jst_date(o.ordered_at),
                amount_yen: o.amount_yen,
            })
            .collect();
        let returns =
            return_amounts(&downline_returns_between(db, &subject.path, start, end).await?);
        for m in &open {
            let r = super::compute_with_returns(&rates, subject.rank.code(), *m, &orders, &returns);
            live.insert(*m, r);
        }
    }
    let mut out = Vec::with_capacity(months.len());
    for m in months {
        let view = match live.remove(m) {
            Some(r) => MonthView {
                month: *m,
                rebate: r,
                version: None,
                reason: None,
                versions: Vec::new(),
            },
            None => {
                let rows = stored.remove(&m.code()).unwrap_or_default();
                let mut versions: Vec<(i32, NaiveDate)> = rows
                    .iter()
                    .map(|r| (r.version, jst_date(r.issued_at)))
                    .collect();
                // Nothing stored at the close: the 0-yen 第1版 of that day still exists
                // (`rebate_figures::nothing_closed`) and stays listed after a reissue.
                if versions.first().is_none_or(|(v, _)| *v != 1) {
                    if let Some(on) = closed.get(&m.code()) {
                        versions.insert(0, (1, *on));
                    }
                }
                match rows.last() {
                    Some(row) => {
                        let s = from_row(row)?;
                        MonthView {
                            month: *m,
                            rebate: s.rebate,
                            version: Some(row.version),
                            reason: row.reason.clone(),
                            versions,
                        }
                    }
                    // Closed with nothing for this customer: 第1版 at 0 yen.
                    None => MonthView {
                        month: *m,
                        rebate: empty(*m, subject.rank.code()),
                        version: Some(1),
                        reason: None,
                        versions,
                    },
                }
            }
        };
        out.push(view);
    }
    Ok(out)
}
