//! The figures of a 還元額計算書 (#11.2): computed live for a month that is not closed
//! (仮計算), read back from `rebate_statements` for a closed one, so a closed month's screen,
//! PDF and CSV totals never move when orders, returns or rates change later.
use super::OrderAmount;
use crate::domain::time::{jst_date, Month};
use crate::error::AppError;
use crate::model::Rank;
use crate::server::entities::{customers, order_returns, orders, rebate_closes, rebate_statements};
use crate::server::network;
use crate::server::network::issuer;
use crate::server::pdf::rebate_statement::{DownlineTotal, RebateStatement, ReturnLine};
use crate::server::rebate::queries::{downline_orders, rates_for};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// Returns of `path`'s strict downline recorded in `[start, end)`, oldest first.
pub async fn downline_returns_between<C: ConnectionTrait>(
    db: &C,
    path: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<ReturnLine>, AppError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let q = crate::server::rebate::month_rows::recorded_returns(start, end)
        .column((order_returns::Entity, order_returns::Column::RecordedAt))
        .column((order_returns::Entity, order_returns::Column::Subtotal10Yen))
        .column((order_returns::Entity, order_returns::Column::Subtotal8Yen))
        .column((orders::Entity, orders::Column::OrderNumber))
        .column((customers::Entity, customers::Column::CustomerCode))
        .column((customers::Entity, customers::Column::Name))
        .cond_where(network::downline_condition(path))
        .order_by(
            (order_returns::Entity, order_returns::Column::RecordedAt),
            sea_orm::Order::Asc,
        )
        .order_by(
            (order_returns::Entity, order_returns::Column::Id),
            sea_orm::Order::Asc,
        )
        .to_owned();
    let mut out = Vec::new();
    for r in db.query_all(&q).await? {
        let s10: i64 = r.try_get("", "subtotal_10_yen")?;
        let s8: i64 = r.try_get("", "subtotal_8_yen")?;
        let at: DateTime<Utc> = r.try_get("", "recorded_at")?;
        out.push(ReturnLine {
            recorded_on: jst_date(at),
            order_number: r.try_get("", "order_number")?,
            customer_code: r.try_get("", "customer_code")?,
            name: r.try_get("", "name")?,
            amount_yen: s10 + s8,
        });
    }
    Ok(out)
}

/// The returns as the rule takes them: their recording date and tax-excluded amount.
pub fn return_amounts(returns: &[ReturnLine]) -> Vec<OrderAmount> {
    returns
        .iter()
        .map(|r| OrderAmount {
            date: r.recorded_on,
            amount_yen: r.amount_yen,
        })
        .collect()
}

pub fn rank_label(rank: &str) -> String {
    Rank::from_code(rank)
        .map(|r| r.label().to_owned())
        .unwrap_or_else(|| rank.to_owned())
}

/// The statement computed from today's data (`version: None`, 仮計算). `rates` and
/// `issuer_name` are passed in so that a close computing thousands of statements reads them
/// once.
pub async fn compute<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
    rates: &[super::Rate],
    issuer_name: Option<String>,
) -> Result<RebateStatement, AppError> {
    let orders = downline_orders(db, &subject.path, month).await?;
    let (start, end) = month.utc_range();
    let returns = downline_returns_between(db, &subject.path, start, end).await?;
    let amounts: Vec<OrderAmount> = orders
        .iter()
        .map(|o| OrderAmount {
            date: jst_date(o.ordered_at),
            amount_yen: o.amount_yen,
        })
        .collect();
    let result = super::compute_with_returns(
        rates,
        subject.rank.code(),
        month,
        &amounts,
        &return_amounts(&returns),
    );
    let mut by_customer: BTreeMap<String, DownlineTotal> = BTreeMap::new();
    for o in orders {
        let e = by_customer
            .entry(o.customer_code.clone())
            .or_insert_with(|| DownlineTotal {
                customer_code: o.customer_code,
                name: o.name,
                order_count: 0,
                amount_yen: 0,
            });
        e.order_count += 1;
        e.amount_yen += o.amount_yen;
    }
    Ok(RebateStatement {
        customer_code: subject.customer_code.clone(),
        name: subject.name.clone(),
        rank_label: subject.rank.label().to_owned(),
        issued_on: jst_date(now),
        rebate: result,
        downline: by_customer.into_values().collect(),
        issuer_name,
        returns,
        version: None,
        reason: None,
    })
}

/// [`compute`] reading the rates and the issuer itself.
pub async fn live<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
) -> Result<RebateStatement, AppError> {
    let rates = rates_for(db, subject.rank).await?;
    let issuer_name = issuer(db).await?.map(|i| i.name);
    compute(db, now, subject, month, &rates, issuer_name).await
}

pub async fn close_of<C: ConnectionTrait>(
    db: &C,
    month: Month,
) -> Result<Option<rebate_closes::Model>, AppError> {
    Ok(rebate_closes::Entity::find_by_id(month.code())
        .one(db)
        .await?)
}

/// A stored version's figures (its JSON), with the row's version and reason.
pub fn from_row(row: &rebate_statements::Model) -> Result<RebateStatement, AppError> {
    let mut s: RebateStatement = serde_json::from_str(&row.figures).map_err(|e| {
        tracing::error!(error = %e, id = row.id, "unreadable rebate figures");
        AppError::Internal
    })?;
    s.version = Some(row.version);
    s.reason = row.reason.clone();
    Ok(s)
}

/// Every stored version of one customer's month, oldest first.
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    customer_id: i64,
    month: Month,
) -> Result<Vec<rebate_statements::Model>, AppError> {
    Ok(rebate_statements::Entity::find()
        .filter(rebate_statements::Column::CustomerId.eq(customer_id))
        .filter(rebate_statements::Column::Month.eq(month.code()))
        .order_by_asc(rebate_statements::Column::Version)
        .all(db)
        .await?)
}

/// A closed month in which the customer's downline had nothing: 第1版 at 0 yen, dated the
/// close, built without reading any live data (so it cannot change either).
pub fn nothing_closed(
    subject: &customers::Model,
    month: Month,
    close: &rebate_closes::Model,
) -> RebateStatement {
    RebateStatement {
        customer_code: subject.customer_code.clone(),
        name: subject.name.clone(),
        rank_label: subject.rank.label().to_owned(),
        issued_on: jst_date(close.closed_at),
        rebate: super::MonthRebate {
            month,
            rank: subject.rank.code().into(),
            segments: Vec::new(),
            order_count: 0,
            orders_yen: 0,
            return_count: 0,
            returns_yen: 0,
            base_yen: 0,
            rebate_yen: 0,
        },
        downline: Vec::new(),
        issuer_name: None,
        returns: Vec::new(),
        version: Some(1),
        reason: None,
    }
}

/// The statement a download or the screen shows: for a closed month the stored `version`
/// (the latest when `None`), otherwise 仮計算 from live data. Asking for a version of a month
/// that is not closed, or one that does not exist, is 404.
pub async fn statement<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
    version: Option<i32>,
) -> Result<RebateStatement, AppError> {
    Ok(statement_fixed(db, now, subject, month, version).await?.0)
}

/// [`statement`] and, for a closed month, when its figures were fixed (the version's
/// `issued_at`, or the close for a month the downline had nothing in): the breakdown CSV
/// lists the orders as they counted then.
pub async fn statement_fixed<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    subject: &customers::Model,
    month: Month,
    version: Option<i32>,
) -> Result<(RebateStatement, Option<DateTime<Utc>>), AppError> {
    let Some(close) = close_of(db, month).await? else {
        return match version {
            None => Ok((live(db, now, subject, month).await?, None)),
            Some(_) => Err(AppError::NotFound),
        };
    };
    let all = versions(db, subject.id, month).await?;
    let row = match version {
        None => all.last(),
        Some(v) => all.iter().find(|r| r.version == v),
    };
    match (row, version) {
        (Some(r), _) => Ok((from_row(r)?, Some(r.issued_at))),
        // No stored 第1版: the downline had nothing at the close.
        (None, None | Some(1)) if all.iter().all(|r| r.version != 1) => Ok((
            nothing_closed(subject, month, &close),
            Some(close.closed_at),
        )),
        (None, _) => Err(AppError::NotFound),
    }
}

/// `YYYY-MM` of an ended or current month; a future month or another shape is refused with
/// a message (nothing to show yet).
pub fn parse_month(raw: &str, now: DateTime<Utc>) -> Result<Month, AppError> {
    let m = Month::parse(raw.trim()).ok_or_else(|| {
        AppError::InvalidInput("月は「2026-11」のように年-月の形で指定してください。".into())
    })?;
    if m > Month::of(jst_date(now)) {
        return Err(AppError::InvalidInput(format!(
            "{}はまだ始まっていません。",
            m.label()
        )));
    }
    Ok(m)
}

/// `?version=N` (1 or more); absent or empty means the latest.
pub fn parse_version(raw: Option<&str>) -> Result<Option<i32>, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| AppError::InvalidInput("版は1以上の数字で指定してください。".into())),
    }
}
