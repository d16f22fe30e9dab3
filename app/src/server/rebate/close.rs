//! 締め (#11.2): staff close an ended JST month once, storing 第1版 of every statement with
//! something in it; a correction afterwards is a reissue (第2版, 第3版 …) that keeps the
//! earlier versions. Rows in `rebate_statements` are only ever inserted.
use super::Rate;
use crate::documents::{CloseMonthRow, RebateClosePage};
use crate::domain::time::{jst_date, Month};
use crate::error::AppError;
use crate::server::entities::{customers, rebate_closes, rebate_statements};
use crate::server::network::issuer;
use crate::server::rebate::figures as rebate_figures;
use crate::server::rebate::queries::rates_for;
use crate::server::registration::write_lock_first;
use crate::server::{audit, network, state::AppState};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query as SqlQuery, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, Statement,
    TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// Customers computed and inserted per batch while closing.
const BATCH: usize = 200;

fn invalid(m: impl Into<String>) -> AppError {
    AppError::InvalidInput(m.into())
}

/// The month to close: `YYYY-MM` and already over in Japan.
pub fn closable_month(raw: &str, now: DateTime<Utc>) -> Result<Month, AppError> {
    let m = Month::parse(raw.trim())
        .ok_or_else(|| invalid("締める月を「2026-11」のように年-月の形で選んでください。"))?;
    if m >= Month::of(jst_date(now)) {
        return Err(invalid(format!(
            "{}はまだ終わっていません。締めは月が終わってから（日本時間）行えます。",
            m.label()
        )));
    }
    Ok(m)
}

fn already_closed(m: Month) -> AppError {
    AppError::ConflictWith(format!(
        "{}はすでに締めています。締めは一度だけです。訂正は計算書の再発行で行ってください。",
        m.label()
    ))
}

/// The customers whose own path is in `q`'s `path` column (one per row).
async fn paths<C: ConnectionTrait>(db: &C, q: &SelectStatement) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for r in db.query_all(q).await? {
        out.push(r.try_get::<String>("", "path")?);
    }
    Ok(out)
}

/// Everyone who may have a nonzero statement for `m`: the ancestors of the customers who
/// ordered (not cancelled) or had a return recorded in the month. Two DISTINCT queries, then
/// the ancestors are read from the materialised paths, not looked up one by one.
async fn candidates<C: ConnectionTrait>(db: &C, m: Month) -> Result<BTreeSet<i64>, AppError> {
    let (start, end) = m.utc_range();
    let ordered = crate::server::rebate::month_rows::counted_orders(start, end, None)
        .distinct()
        .column((customers::Entity, customers::Column::Path))
        .to_owned();
    let returned = crate::server::rebate::month_rows::recorded_returns(start, end)
        .distinct()
        .column((customers::Entity, customers::Column::Path))
        .to_owned();
    let mut ids = BTreeSet::new();
    for p in paths(db, &ordered)
        .await?
        .into_iter()
        .chain(paths(db, &returned).await?)
    {
        ids.extend(network::ancestors(&p));
    }
    Ok(ids)
}

/// What a close did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub month: Month,
    pub statements: u64,
    pub amount_yen: i64,
}

/// Closes `raw` (`YYYY-MM`) for `staff`: in one transaction the close row (once: a second
/// attempt, even a concurrent one, is a 409 and writes nothing), 第1版 of every statement with
/// orders or returns, and the audit entry.
pub async fn close_month(st: &AppState, staff: i64, raw: &str) -> Result<Closed, AppError> {
    let now = st.clock.now();
    let month = closable_month(raw, now)?;
    if rebate_figures::close_of(&st.db, month).await?.is_some() {
        return Err(already_closed(month));
    }
    let txn = st.db.begin().await?;
    write_lock_first(&txn).await?;
    // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent close waits for the first to commit
    // and then inserts nothing, instead of failing with a unique violation.
    let insert = SqlQuery::insert()
        .into_table(rebate_closes::Entity)
        .columns([
            rebate_closes::Column::Month,
            rebate_closes::Column::ClosedAt,
            rebate_closes::Column::ClosedBy,
        ])
        .values_panic([month.code().into(), now.into(), staff.into()])
        .on_conflict(
            OnConflict::column(rebate_closes::Column::Month)
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    if txn.execute(&insert).await?.rows_affected() == 0 {
        txn.rollback().await?;
        return Err(already_closed(month));
    }
    let issuer_name = issuer(&txn).await?.map(|i| i.name);
    let mut rates: BTreeMap<crate::domain::rank::Rank, Vec<Rate>> = BTreeMap::new();
    let ids: Vec<i64> = candidates(&txn, month).await?.into_iter().collect();
    let (mut count, mut total) = (0u64, 0i64);
    for chunk in ids.chunks(BATCH) {
        let people = customers::Entity::find()
            .filter(customers::Column::Id.is_in(chunk.to_vec()))
            .all(&txn)
            .await?;
        let mut rows = Vec::with_capacity(people.len());
        for c in &people {
            if let std::collections::btree_map::Entry::Vacant(e) = rates.entry(c.rank) {
                e.insert(rates_for(&txn, c.rank).await?);
            }
            let r = rates.get(&c.rank).map(Vec::as_slice).unwrap_or_default();
            let mut s =
                rebate_figures::compute(&txn, now, c, month, r, issuer_name.clone()).await?;
            if s.rebate.order_count == 0 && s.rebate.return_count == 0 {
                continue;
            }
            s.version = Some(1);
            count += 1;
            total += s.rebate.rebate_yen;
            rows.push(row(c.id, month, 1, &s, now, staff, None)?);
        }
        if !rows.is_empty() {
            rebate_statements::Entity::insert_many(rows)
                .exec(&txn)
                .await?;
        }
    }
    audit::append(
        &txn,
        now,
        audit::Entry::new("rebate_month_closed")
            .actor(staff)
            .detail(json!({ "month": month.code(), "statements": count, "amount_yen": total })),
    )
    .await?;
    txn.commit().await?;
    Ok(Closed {
        month,
        statements: count,
        amount_yen: total,
    })
}

fn row(
    customer_id: i64,
    month: Month,
    version: i32,
    s: &crate::server::pdf::rebate_statement::RebateStatement,
    now: DateTime<Utc>,
    staff: i64,
    reason: Option<String>,
) -> Result<rebate_statements::ActiveModel, AppError> {
    let figures = serde_json::to_string(s).map_err(|e| {
        tracing::error!(error = %e, "rebate figures not serialisable");
        AppError::Internal
    })?;
    Ok(rebate_statements::ActiveModel {
        customer_id: Set(customer_id),
        month: Set(month.code()),
        version: Set(version),
        base_yen: Set(s.rebate.base_yen),
        amount_yen: Set(s.rebate.rebate_yen),
        figures: Set(figures),
        issued_at: Set(now),
        issued_by: Set(Some(staff)),
        reason: Set(reason),
        ..Default::default()
    })
}

/// Reissues one customer's statement of a closed month from today's data as the next
/// version, with the staff member's reason. Concurrent reissues of a month queue on its
/// close row, so each gets its own version number.
pub async fn reissue(
    st: &AppState,
    staff: i64,
    month_raw: &str,
    customer_raw: &str,
    reason_raw: &str,
) -> Result<i32, AppError> {
    let now = st.clock.now();
    let month = Month::parse(month_raw.trim())
        .ok_or_else(|| invalid("再発行する月を「2026-11」のように年-月の形で選んでください。"))?;
    let code = crate::validation::customer_code(customer_raw)?;
    let reason = reason_raw.trim();
    if reason.is_empty() {
        return Err(invalid("再発行の理由を入力してください。"));
    }
    if reason.chars().count() > 200 {
        return Err(invalid("再発行の理由は200文字以内で入力してください。"));
    }
    let subject = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&st.db)
        .await?
        .ok_or_else(|| invalid(format!("お客様ID {code} のお客様は見つかりません。")))?;
    let txn = st.db.begin().await?;
    write_lock_first(&txn).await?;
    let locked = if txn.get_database_backend() == DbBackend::Postgres {
        txn.query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT month FROM rebate_closes WHERE month = $1 FOR UPDATE",
            [month.code().into()],
        ))
        .await?
        .is_some()
    } else {
        rebate_figures::close_of(&txn, month).await?.is_some()
    };
    if !locked {
        txn.rollback().await?;
        return Err(invalid(format!(
            "{}はまだ締めていません。締める前の計算書は仮計算のため、再発行はできません。",
            month.label()
        )));
    }
    let previous = rebate_figures::versions(&txn, subject.id, month).await?;
    // No stored 第1版 (nothing at the close) still counts as the first version.
    let version = previous.last().map(|r| r.version).unwrap_or(1) + 1;
    let mut s = rebate_figures::live(&txn, now, &subject, month).await?;
    s.version = Some(version);
    s.reason = Some(reason.to_owned());
    let amount = s.rebate.rebate_yen;
    rebate_statements::Entity::insert(row(
        subject.id,
        month,
        version,
        &s,
        now,
        staff,
        Some(reason.to_owned()),
    )?)
    .exec(&txn)
    .await?;
    audit::append(
        &txn,
        now,
        audit::Entry::new("rebate_statement_reissued")
            .actor(staff)
            .subject(Some(subject.id))
            .detail(json!({
                "month": month.code(),
                "version": version,
                "amount_yen": amount,
                "previous_amount_yen": previous.last().map(|r| r.amount_yen).unwrap_or(0),
                "reason": reason,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(version)
}

/// The staff page: the last 24 ended months, each closed or not, with its 第1版 totals.
pub async fn close_page<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<RebateClosePage, AppError> {
    let closes: BTreeMap<String, rebate_closes::Model> = rebate_closes::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.month.clone(), c))
        .collect();
    let sql = "SELECT month, COUNT(*) AS n, \
        CAST(COALESCE(SUM(CASE WHEN version = 1 THEN amount_yen ELSE 0 END), 0) AS BIGINT) AS total, \
        CAST(COALESCE(SUM(CASE WHEN version > 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS reissues \
        FROM rebate_statements GROUP BY month";
    let mut sums: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for r in db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
    {
        let n: i64 = r.try_get("", "n")?;
        let reissues: i64 = r.try_get("", "reissues")?;
        sums.insert(
            r.try_get("", "month")?,
            (n - reissues, r.try_get("", "total")?, reissues),
        );
    }
    let mut months = Vec::new();
    let mut m = Month::of(jst_date(now)).prev();
    for _ in 0..24 {
        let close = closes.get(&m.code());
        let (statements, amount_yen, reissues) = sums.get(&m.code()).copied().unwrap_or_default();
        months.push(CloseMonthRow {
            code: m.code(),
            label: m.label(),
            closed_at: close.map(|c| {
                c.closed_at
                    .with_timezone(&crate::domain::time::offset())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            }),
            statements: u64::try_from(statements).unwrap_or(0),
            amount_yen,
            reissues: u64::try_from(reissues).unwrap_or(0),
        });
        m = m.prev();
    }
    Ok(RebateClosePage { months })
}
