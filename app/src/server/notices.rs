//! Notifications of changes to login information (R2, R3): every reset and every change of
//! e-mail or password is told to the customer, who can react if it was not them.
use super::messages::{Mail, SENDER_NAME};
use crate::domain::time::{jp_minute, offset};
use chrono::{DateTime, Utc};

pub fn password_changed(at: DateTime<Utc>) -> Mail {
    let when = at.with_timezone(&offset()).format("%Y年%m月%d日 %H:%M");
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

/// The link that registers an address as a customer's login e-mail (R1). The customer, and
/// nobody else, chooses the password on the page the link opens.
pub fn set_login_link(customer_code: &str, link: &str, expires: DateTime<Utc>) -> Mail {
    let until = jp_minute(expires);
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
    let until = jp_minute(expires);
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
    let when = jp_minute(at);
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
    let when = jp_minute(at);
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

/// Sent to the CURRENT address when a reset at お問い合わせ asked for a new login e-mail. Sent
/// whether or not the new address is free, so it says what happens only if the link is used.
pub fn email_change_requested(at: DateTime<Utc>) -> Mail {
    let when = jp_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン用メールアドレスの変更手続きを受け付けました"),
        body: format!(
            "{when}に、お問い合わせ画面（PINコードによる本人確認のあと）で、ログイン用メールアドレスを別のアドレスへ変更する手続きが行われました。\n\
             新しいアドレスに届いたリンクが開かれると変更が確定し、このメールアドレスではログインできなくなります。\
             確定するまでは、このメールアドレスでログインできます。\n\
             \n\
             お心当たりがない場合は、すぐにお問い合わせ画面から電話番号を使ったPINコードによる再設定を行い、\
             上位店へご連絡ください。\n\
             {STAFF_LEAVE_ADVICE}\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

/// Sent to an address that is already a login e-mail when someone asked to make it theirs
/// (R2 self-service change). No link: the requester is told the same as on success, so the
/// screen never says whether an address is someone's login; its owner learns it was tried.
pub fn address_in_use_change(at: DateTime<Utc>) -> Mail {
    let when = jp_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報の変更は行われませんでした"),
        body: format!(
            "{when}に、このアドレスでログイン情報の変更が試みられましたが、すでに使われているため変更されていません。\n\
             このメールアドレスでのログインは、これまでどおりご利用いただけます。\n\
             1つのメールアドレスは、1つのお客様のログインにしか使えません。\n\
             \n\
             お心当たりがない場合は、このメールを破棄してください。何も変更されていません。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

/// Sent to an address that is already a login e-mail when an upline, 全国販社 or a
/// registration named it as another customer's login (R1, R5). No link, for the same reason.
pub fn address_in_use_register(at: DateTime<Utc>) -> Mail {
    let when = jp_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報の登録は行われませんでした"),
        body: format!(
            "{when}に、このアドレスで別のお客様のログイン情報の登録が試みられましたが、すでに使われているため登録されていません。\n\
             このメールアドレスでのログインは、これまでどおりご利用いただけます。\n\
             1つのメールアドレスは、1つのお客様のログインにしか使えません。別のお客様のログイン情報には、別のメールアドレスを上位店にお伝えください。\n\
             \n\
             お心当たりがない場合は、このメールを破棄してください。何も登録されていません。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n"
        ),
    }
}

/// Sent to a customer's unverified (imported) login address when the upline or 全国販社 has
/// sent a registration link to a different address: the old one stops working once that link
/// is used, so its owner is told first and can still react (a PIN by mail to this address
/// proves it, and the other link can then no longer replace it).
pub fn login_address_replacing(customer_code: &str, at: DateTime<Utc>) -> Mail {
    let when = jp_minute(at);
    Mail {
        subject: format!("【{SENDER_NAME}】ログイン情報の登録先が変更されます"),
        body: format!(
            "お客様ID {customer_code} のログイン情報の登録先が変更されます。\n\
             {when}に、上位店または全国販社（環境保全研究所）が、このメールアドレスではなく別のメールアドレスへログイン情報登録のご案内を送信しました。\
             そのご案内のリンクからパスワードが設定されると、このメールアドレスではログインできなくなります。\n\
             \n\
             お心当たりがない場合は、すぐにお問い合わせ画面からこのメールアドレスを使ったPINコードによる再設定を行い、\
             上位店へご連絡ください。再設定すると、このメールアドレスがログイン用メールアドレスとして確定し、別のアドレスへのご案内は使えなくなります。\n\
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

    #[test]
    fn address_notices_carry_no_link() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T15:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = address_in_use_change(at);
        assert!(m.body.contains("すでに使われているため変更されていません"));
        let r = address_in_use_register(at);
        assert!(r.body.contains("すでに使われているため登録されていません"));
        let p = login_address_replacing("10000090", at);
        assert!(p.subject.contains("登録先が変更されます"));
        assert!(p.body.contains("10000090"));
        for m in [m, r, p] {
            assert!(!m.body.contains("/verify/"), "{}", m.body);
            assert!(m.body.contains("2026年12月01日 00:30"));
        }
    }
}
