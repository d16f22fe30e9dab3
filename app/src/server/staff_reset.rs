//! A reset started by 全国販社 staff for a customer who asked for help (R3): the PIN goes to
//! the customer's registered phone or login e-mail; staff see neither the destination nor the
//! PIN, and never a password. The customer then enters お客様ID + PIN at お問い合わせ.
use super::entities::{customers, logins};
use super::recovery::{self, ResetRequest};
use super::{audit, state::AppState};
use crate::domain::phone;
use crate::error::AppError;
use crate::model::ResetChannel;
use crate::validation;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// The signed-in customer's id if they are 全国販社 staff.
pub async fn staff_id(st: &AppState, token: Option<&str>) -> Result<i64, AppError> {
    let c = super::signed_in::staff(st, token, "forbidden_staff_reset", serde_json::Value::Null)
        .await?;
    Ok(c.id)
}

pub async fn start(
    st: &AppState,
    staff: i64,
    customer_code: &str,
    channel: &str,
) -> Result<(), AppError> {
    let code = validation::customer_code(customer_code)?;
    let channel = ResetChannel::from_code(channel)
        .ok_or_else(|| AppError::InvalidInput("PINコードの通知方法を選んでください。".into()))?;
    let c = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(&code))
        .one(&st.db)
        .await?
        .ok_or_else(|| {
            AppError::InvalidInput(format!("お客様ID {code} のお客様は見つかりません。"))
        })?;
    let destination = if channel.uses_phone() {
        let n = c
            .phone
            .as_deref()
            .and_then(phone::national)
            .ok_or_else(|| {
                AppError::InvalidInput(
                    "このお客様には電話番号が登録されていません。別の通知方法を選んでください。"
                        .into(),
                )
            })?;
        if channel == ResetChannel::Sms && !phone::is_mobile(&n) {
            return Err(AppError::InvalidInput(
                "このお客様の電話番号は携帯電話ではないため、ショートメッセージは使えません。自動音声を選んでください。".into(),
            ));
        }
        n
    } else {
        logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(c.id))
            .one(&st.db)
            .await?
            .map(|l| l.email)
            .ok_or_else(|| {
                AppError::InvalidInput(
                    "このお客様にはログイン用メールアドレスが登録されていません。".into(),
                )
            })?
    };
    let req = ResetRequest {
        customer_code: code,
        channel,
        destination,
    };
    let key = recovery::subject_key(st, &req.customer_code);
    recovery::request_pin(st, req, &format!("staff:{staff}"), recovery::Origin::Staff).await?;
    // A new reset starts the by-ID count afresh (wrong entries for the last one locked it).
    super::limits::clear(&st.db, &st.config.pin.by_id_window(), &key).await?;
    audit::append(
        &st.db,
        st.clock.now(),
        audit::Entry::new("reset_started_by_staff")
            .actor(staff)
            .subject(Some(c.id))
            .detail(json!({ "channel": channel.code() })),
    )
    .await?;
    Ok(())
}
