//! 締め and 再発行 (#11.2), staff only: thin server functions over `server::rebate_close`.
use super::RebateClosePage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// `GET /api/staff/rebate-close`: the ended months and which are closed.
#[server(name = RebateClosePageFn, prefix = "/api", endpoint = "staff/rebate-close", input = GetUrl)]
pub async fn rebate_close_page() -> Result<RebateClosePage, AppError> {
    use crate::server::{boundary, rebate::close as rebate_close, signed_in};
    let st = boundary::state()?;
    let detail = serde_json::json!({ "action": "list" });
    signed_in::staff(
        &st,
        boundary::session_token().as_deref(),
        "forbidden_rebate_close",
        detail,
    )
    .await?;
    rebate_close::close_page(&st.db, st.clock.now()).await
}

/// `POST /api/staff/rebate-close-month`: closes `month` (`YYYY-MM`, ended in JST) once and
/// stores every statement's 第1版. Answers the message to show.
#[server(prefix = "/api", endpoint = "staff/rebate-close-month")]
pub async fn close_rebate_month(month: String) -> Result<String, AppError> {
    use crate::server::{boundary, rebate::close as rebate_close, signed_in};
    let st = boundary::state()?;
    let detail = serde_json::json!({ "action": "close", "month": month });
    let staff = signed_in::staff(
        &st,
        boundary::session_token().as_deref(),
        "forbidden_rebate_close",
        detail,
    )
    .await?;
    let done = rebate_close::close_month(&st, staff.id, &month).await?;
    Ok(format!(
        "{}を締めました。計算書 {}件・還元額合計 {}を確定しました。",
        done.month.label(),
        done.statements,
        crate::domain::yen(done.amount_yen)
    ))
}

/// `POST /api/staff/rebate-reissue`: a new version of one customer's statement for a closed
/// month, recomputed from today's data, with a required reason. Earlier versions stay.
#[server(prefix = "/api", endpoint = "staff/rebate-reissue")]
pub async fn reissue_rebate_statement(
    month: String,
    customer: String,
    reason: String,
) -> Result<String, AppError> {
    use crate::server::{boundary, rebate::close as rebate_close, signed_in};
    let st = boundary::state()?;
    let detail = serde_json::json!({ "action": "reissue", "month": month });
    let staff = signed_in::staff(
        &st,
        boundary::session_token().as_deref(),
        "forbidden_rebate_close",
        detail,
    )
    .await?;
    let v = rebate_close::reissue(&st, staff.id, &month, &customer, &reason).await?;
    Ok(format!("第{v}版を発行しました。"))
}
