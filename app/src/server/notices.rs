//! Notifications of changes to login information (R2, R3): every reset and every change of
//! e-mail or password is told to the customer, who can react if it was not them.
use super::messages::{Mail, SENDER_NAME};
use super::pin::jst;
use chrono::{DateTime, Utc};

pub fn password_changed(at: DateTime<Utc>) -> Mail {
    let when = at.with_timezone(&jst()).format("%Y年%m月%d日 %H:%M");
    Mail {
        subject: format!("【{SENDER_NAME}】パスワードが変更されました"),
        body: format!(
            "業務代行クラウドシステムのログインパスワードが{when}に変更されました。\n\
             これにより、すべての端末でログアウトされています。\n\
             \n\
             お心当たりがない場合は、すぐにお問い合わせ画面からPINコードによる再設定を行い、\
             上位店へご連絡ください。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_time_is_in_jst() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T15:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = password_changed(at);
        assert!(m.body.contains("2026年12月01日 00:30"));
        assert!(m.subject.contains(SENDER_NAME));
    }
}
