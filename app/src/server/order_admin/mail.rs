//! The 出荷 notice to the customer: queued in the shipping transaction to their verified
//! login e-mail (an unverified address may not be theirs). No login e-mail: no mail, no
//! error. Staff never see the address.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::yen;
use crate::error::AppError;
use crate::server::entities::{logins, orders};
use crate::server::messages::{Mail, SENDER_NAME};
use crate::server::queue::{self, NewMessage};
use crate::server::state::AppState;

pub fn shipped_mail(o: &orders::Model, shipped_on: NaiveDate, tracking: &str) -> Mail {
    let number = &o.order_number;
    let date = shipped_on.format("%Y年%m月%d日");
    let total = yen(o.total_yen);
    Mail {
        subject: format!("【{SENDER_NAME}】ご注文の商品を出荷しました（{number}）"),
        body: format!(
            "ご注文いただいた商品を出荷しました。\n\
             \n\
             注文番号: {number}\n\
             出荷日: {date}\n\
             送り状番号: {tracking}\n\
             ご注文金額（税込）: {total}\n\
             \n\
             配送状況は送り状番号で運送会社のサイトからご確認いただけます。\n\
             ご注文の状況は、ログイン後の「注文履歴」でもご確認いただけます。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

pub async fn queue_shipped<C: ConnectionTrait>(
    txn: &C,
    st: &AppState,
    o: &orders::Model,
    shipped_on: NaiveDate,
    tracking: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let login = logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(o.customer_id))
        .filter(logins::Column::EmailVerifiedAt.is_not_null())
        .one(txn)
        .await?;
    let Some(login) = login else {
        return Ok(());
    };
    let m = shipped_mail(o, shipped_on, tracking);
    queue::enqueue(
        txn,
        &st.seal_key(),
        NewMessage {
            channel: crate::model::ResetChannel::Mail,
            recipient: login.email,
            subject: m.subject,
            body: m.body,
            challenge_id: None,
        },
        now,
    )
    .await?;
    Ok(())
}
