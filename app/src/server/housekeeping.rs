//! Periodic clean-up: expired sessions and failed-login records older than their window.
//! Safe to run in every server process at once: each step is a single idempotent DELETE.
use super::entities::sessions;
use super::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Duration;

pub async fn run_once(st: &AppState) -> Result<(u64, u64), crate::error::AppError> {
    let now = st.clock.now();
    let expired = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(&st.db)
        .await?
        .rows_affected;
    let failures = super::auth::prune_failures(&st.db, now).await?;
    Ok((expired, failures))
}

pub fn spawn(st: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match run_once(&st).await {
                Ok((s, f)) if s + f > 0 => {
                    tracing::info!(sessions = s, login_failures = f, "housekeeping")
                }
                Ok(_) => {}
                Err(_) => tracing::warn!("housekeeping failed; will retry"),
            }
        }
    });
}
