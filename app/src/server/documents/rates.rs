//! 還元率 (staff): every rate ever set, and a new rate from a date.
use crate::domain::time::jst_date;
use crate::error::AppError;
use crate::model::Rank;
use crate::server::entities::{customers, rebate_rates};
use crate::server::{audit, rebate, state::AppState};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::BTreeMap;

/// Every rate ever set, ranks in their order, newest first within a rank, each marked as
/// in force today, scheduled, or past.
pub async fn rates_page(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<crate::documents::RebateRatesPage, AppError> {
    use crate::documents::{RebateRateRow, RebateRatesPage};
    let today = jst_date(now);
    let all = rebate_rates::Entity::find()
        .order_by_desc(rebate_rates::Column::EffectiveFrom)
        .order_by_desc(rebate_rates::Column::Id)
        .all(db)
        .await?;
    let staff_ids: Vec<i64> = all.iter().filter_map(|r| r.created_by).collect();
    let codes: BTreeMap<i64, String> = if staff_ids.is_empty() {
        BTreeMap::new()
    } else {
        customers::Entity::find()
            .filter(customers::Column::Id.is_in(staff_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.customer_code))
            .collect()
    };
    let mut rows = Vec::with_capacity(all.len());
    for rank in Rank::ALL {
        let mine: Vec<&rebate_rates::Model> = all.iter().filter(|r| r.rank == rank).collect();
        // In force today: the latest start on or before today (then the highest id).
        let current = mine
            .iter()
            .filter(|r| r.effective_from <= today)
            .max_by_key(|r| (r.effective_from, r.id))
            .map(|r| r.id);
        for r in mine {
            let state = if Some(r.id) == current {
                "current"
            } else if r.effective_from > today {
                "scheduled"
            } else {
                "past"
            };
            rows.push(RebateRateRow {
                id: r.id,
                rank_code: r.rank.code().to_owned(),
                rank_label: rank.label().to_owned(),
                percent: rebate::percent_label(r.rate_basis_points),
                effective_from: r.effective_from.format("%Y-%m-%d").to_string(),
                created_at: r
                    .created_at
                    .with_timezone(&crate::domain::time::offset())
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                created_by: r.created_by.and_then(|id| codes.get(&id).cloned()),
                state: state.to_owned(),
            });
        }
    }
    Ok(RebateRatesPage {
        today: today.format("%Y-%m-%d").to_string(),
        ranks: Rank::ALL
            .iter()
            .map(|r| (r.code().to_owned(), r.label().to_owned()))
            .collect(),
        rows,
    })
}

/// Checks and stores a new rate. Rates start today (JST) or later, so a statement already
/// issued for a past month never changes; a mistake is corrected by adding a rate for the
/// same date (the later row wins).
pub async fn add_rate(
    st: &AppState,
    staff: i64,
    rank: &str,
    percent: &str,
    effective_from: &str,
) -> Result<(), AppError> {
    let invalid = |m: &str| AppError::InvalidInput(m.to_owned());
    let rank = Rank::from_code(rank).ok_or_else(|| invalid("ランクを選んでください。"))?;
    let bp = rebate::parse_percent(percent).ok_or_else(|| {
        invalid("還元率は0〜100の数字で、小数点以下2桁まで入力してください（例: 5 または 5.25）。")
    })?;
    let from = crate::validation::iso_date(effective_from, "適用開始日")?;
    let now = st.clock.now();
    if from < jst_date(now) {
        return Err(invalid(
            "適用開始日は今日以降の日付にしてください。発行済みの計算書は変わりません。",
        ));
    }
    if from > jst_date(now) + chrono::Duration::days(366 * 5) {
        return Err(invalid(
            "適用開始日が先すぎます。5年以内の日付にしてください。",
        ));
    }
    let row = rebate_rates::ActiveModel {
        rank: sea_orm::Set(rank),
        rate_basis_points: sea_orm::Set(bp),
        effective_from: sea_orm::Set(from),
        created_at: sea_orm::Set(now),
        created_by: sea_orm::Set(Some(staff)),
        ..Default::default()
    };
    sea_orm::ActiveModelTrait::insert(row, &st.db).await?;
    audit::append(
        &st.db,
        now,
        audit::Entry::new("rebate_rate_added")
            .actor(staff)
            .detail(json!({
                "rank": rank.code(),
                "basis_points": bp,
                "effective_from": from.to_string(),
            })),
    )
    .await?;
    Ok(())
}
