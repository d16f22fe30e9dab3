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

/// The notice's advice (R2), repeated in every mail about login information.
pub const STAFF_LEAVE_ADVICE: &str =
    "担当の方が退職・異動されたときは、ログイン用メールアドレスまたはパスワードを変更してください。";

fn jst_minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst())
        .format("%Y年%m月%d日 %H:%M")
        .to_string()
}

/// The link that registers an address as a customer's login e-mail (R1). The customer, and
/// nobody else, chooses the password on the page the link opens.
pub fn set_login_link(customer_code: &str, link: &str, expires: DateTime<Utc>) -> Mail {
    let until = jst_minute(expires);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報の登録のご案内"),
        body: format!(
            "お客様ID {customer_code} のログイン用メールアドレスとして、このメールアドレスが登録されようとしています。\n\
             次のリンクを開き、ご自身でパスワードを決めて登録を完了してください。\n\
             \n\
             {link}\n\
             \n\
             このリンクは{until}まで（24時間）有効で、一度だけ使えます。\n\
             パスワードはお客様ご本人だけが決めるもので、上位店や職員を含め、ほかの誰にも知られることはありません。\
             パスワードを誰かに教えたり、尋ねられて答えたりしないでください。\n\
             {STAFF_LEAVE_ADVICE}\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n\
             お心当たりがない場合は、このメールを破棄してください。リンクを開かなければ何も登録されません。\n"
        ),
    }
}

/// The link that confirms a new login e-mail (R2); the change happens only when it is opened.
pub fn change_email_link(customer_code: &str, link: &str, expires: DateTime<Utc>) -> Mail {
    let until = jst_minute(expires);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン用メールアドレス変更の確認"),
        body: format!(
            "お客様ID {customer_code} のログイン用メールアドレスを、このメールアドレスに変更する手続きを受け付けました。\n\
             次のリンクを開き、変更を確定してください。\n\
             \n\
             {link}\n\
             \n\
             このリンクは{until}まで（24時間）有効で、一度だけ使えます。確定するまでは、これまでのメールアドレスでログインできます。\n\
             パスワードはお客様ご本人だけが知るもので、ほかの誰にも知られることはありません。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n\
             お心当たりがない場合は、このメールを破棄してください。リンクを開かなければ何も変更されません。\n"
        ),
    }
}

/// The customer changed the password while signed in: every other device is logged out.
pub fn password_changed_by_customer(at: DateTime<Utc>) -> Mail {
    let when = jst_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】パスワードが変更されました"),
        body: format!(
            "業務代行クラウドシステムのログインパスワードが{when}に変更されました。\n\
             変更を行った端末以外では、すべてログアウトされています。\n\
             \n\
             お心当たりがない場合は、すぐにお問い合わせ画面からPINコードによる再設定を行い、\
             上位店へご連絡ください。\n\
             {STAFF_LEAVE_ADVICE}\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

/// Sent to the OLD address when the login e-mail has been switched to a new one.
pub fn email_changed(at: DateTime<Utc>) -> Mail {
    let when = jst_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン用メールアドレスが変更されました"),
        body: format!(
            "業務代行クラウドシステムのログイン用メールアドレスが{when}に別のアドレスへ変更されました。\n\
             今後、このメールアドレスではログインできません。変更を確定した端末以外では、すべてログアウトされています。\n\
             \n\
             お心当たりがない場合は、すぐにお問い合わせ画面から電話番号を使ったPINコードによる再設定を行い、\
             上位店へご連絡ください。\n\
             {STAFF_LEAVE_ADVICE}\n\
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

    #[test]
    fn links_are_in_the_mail_with_a_24_hour_deadline() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T15:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = set_login_link("10000090", "https://x.example/verify/abc", at);
        assert!(m.body.contains("https://x.example/verify/abc"));
        assert!(m.body.contains("2026年12月01日 00:30"));
        assert!(m.body.contains("ほかの誰にも知られることはありません"));
        assert!(m.body.contains(STAFF_LEAVE_ADVICE));
        let m = change_email_link("10000090", "https://x.example/verify/def", at);
        assert!(m.body.contains("https://x.example/verify/def"));
    }
}
