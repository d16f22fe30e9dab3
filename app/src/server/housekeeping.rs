//! Periodic clean-up: expired sessions, failed-login records and limit events older than
//! their window, and the sealed PINs of challenges that have expired.
//! Safe to run in every server process at once: each step is a single idempotent DELETE.
use super::entities::{pin_challenges, sessions};
use super::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Duration;

pub async fn run_once(st: &AppState) -> Result<(u64, u64), crate::error::AppError> {
    let now = st.clock.now();
    let expired = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(&st.db)
        .await?
        .rows_affected;
    let failures = super::limits::prune(&st.db, now).await?;
    // An expired PIN can never be resent: its sealed copy goes.
    pin_challenges::Entity::update_many()
        .col_expr(
            pin_challenges::Column::PinSealed,
            Expr::value(Option::<String>::None),
        )
        .filter(pin_challenges::Column::PinSealed.is_not_null())
        .filter(pin_challenges::Column::ExpiresAt.lte(now))
        .exec(&st.db)
        .await?;
    Ok((expired, failures))
}

pub fn spawn(st: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match run_once(&st).await {
                Ok((s, f)) if s + f > 0 => {
                    tracing::info!(sessions = s, limit_events = f, "housekeeping")
                }
                Ok(_) => {}
                Err(_) => tracing::warn!("housekeeping failed; will retry"),
            }
        }
    });
}
