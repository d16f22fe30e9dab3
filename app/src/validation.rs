//! Input rules shared by the browser and the server. The server always re-checks.
use crate::error::AppError;

pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MAX: usize = 128;

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A login e-mail: trimmed and lower-cased, so one address is one account.
pub fn login_email(raw: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(AppError::InvalidInput(
            "メールアドレスを入力してください。".into(),
        ));
    }
    if s.chars().count() > EMAIL_MAX {
        return Err(AppError::InvalidInput(format!(
            "メールアドレスは{EMAIL_MAX}文字以内で入力してください。"
        )));
    }
    if has_control(s) {
        return Err(AppError::InvalidInput(
            "メールアドレスに使用できない文字が含まれています。".into(),
        ));
    }
    if !is_email_shape(s) {
        return Err(AppError::InvalidInput(
            "メールアドレスの形式が正しくありません（例: yamada@example.jp）。".into(),
        ));
    }
    Ok(s.to_lowercase())
}

/// A plain structural check; real proof of the address is the verification mail (R1).
fn is_email_shape(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let ok_local = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let ok_domain = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    ok_local && ok_domain
}

/// A password typed at login: only bounded and free of control characters; it is never trimmed.
pub fn login_password(raw: &str) -> Result<&str, AppError> {
    if raw.is_empty() {
        return Err(AppError::InvalidInput(
            "パスワードを入力してください。".into(),
        ));
    }
    if raw.chars().count() > PASSWORD_MAX {
        return Err(AppError::InvalidInput(format!(
            "パスワードは{PASSWORD_MAX}文字以内で入力してください。"
        )));
    }
    if has_control(raw) {
        return Err(AppError::InvalidInput(
            "パスワードに使用できない文字が含まれています。".into(),
        ));
    }
    Ok(raw)
}

pub const PASSWORD_MIN: usize = 10;

/// Passwords seen first in every breach list; a short local list, not a substitute for a
/// breached-password service, but it stops the worst (R2: no reused, guessable passwords).
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1111111111",
    "0000000000",
    "qwertyuiop",
    "password123",
    "password12",
    "passw0rd12",
    "iloveyou12",
    "abcdefghij",
    "abcd123456",
    "qwerty1234",
    "1q2w3e4r5t",
    "q1w2e3r4t5",
    "asdfghjkl1",
    "zxcvbnm123",
    "password1234",
    "daiko12345",
    "administrator",
];

/// A new password chosen by the customer: NIST SP 800-63B rules (length, not common), no
/// composition rules. `confirm` must repeat it.
pub fn new_password<'a>(raw: &'a str, confirm: &str) -> Result<&'a str, AppError> {
    if raw.is_empty() {
        return Err(AppError::InvalidInput(
            "新しいパスワードを入力してください。".into(),
        ));
    }
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        return Err(AppError::InvalidInput(format!(
            "パスワードは{PASSWORD_MIN}文字以上にしてください。"
        )));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::InvalidInput(format!(
            "パスワードは{PASSWORD_MAX}文字以内で入力してください。"
        )));
    }
    if has_control(raw) {
        return Err(AppError::InvalidInput(
            "パスワードに使用できない文字が含まれています。".into(),
        ));
    }
    let lower = raw.to_lowercase();
    let one_char = raw.chars().all(|c| raw.starts_with(c));
    if one_char || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(AppError::InvalidInput(
            "推測されやすいパスワードは使用できません。他社サービスと異なる、長めのパスワードにしてください。".into(),
        ));
    }
    if raw != confirm {
        return Err(AppError::InvalidInput(
            "確認用のパスワードが一致しません。".into(),
        ));
    }
    Ok(raw)
}

/// A date typed as `YYYY-MM-DD` (full-width digits and `/` forgiven), checked here rather
/// than by the browser, whose date input and messages follow the browser's language.
/// `field` names the field in the message.
pub fn iso_date(raw: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '／' | '－' | 'ー' => '-',
            c => c,
        })
        .collect();
    if s.is_empty() {
        return Err(AppError::InvalidInput(format!(
            "{field}を入力してください（例: 2026-12-01）。"
        )));
    }
    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| {
            AppError::InvalidInput(format!(
                "{field}は「年-月-日」の形で、実在する日付を入力してください（例: 2026-12-01）。"
            ))
        })
}

/// お客様ID: 8 digits; full-width digits and spaces are forgiven.
pub fn customer_code(raw: &str) -> Result<String, AppError> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if s.is_empty() {
        return Err(AppError::InvalidInput(
            "お客様IDを入力してください。".into(),
        ));
    }
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::InvalidInput(
            "お客様IDは8桁の数字で入力してください（画面上部や納品書に記載されています）。".into(),
        ));
    }
    Ok(s)
}

/// A PIN as typed: 6 digits, full-width forgiven.
pub fn pin(raw: &str) -> Result<String, AppError> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::InvalidInput(
            "PINコードは6桁の数字で入力してください。".into(),
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised() {
        assert_eq!(
            login_email("  Yamada@Example.JP ").unwrap(),
            "yamada@example.jp"
        );
    }

    #[test]
    fn bad_emails_are_rejected_with_japanese_messages() {
        for bad in [
            "",
            "   ",
            "no-at-sign",
            "a@b",
            "a@@b.jp",
            "' OR '1'='1",
            "x@example.jp\u{0}",
            "山田@example.jp",
            &"a".repeat(10_000),
        ] {
            let e = login_email(bad).unwrap_err();
            assert!(
                matches!(e, AppError::InvalidInput(ref m) if m.contains("メールアドレス")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn passwords_are_bounded_and_not_trimmed() {
        assert_eq!(login_password(" pass word ").unwrap(), " pass word ");
        assert!(login_password("").is_err());
        assert!(login_password(&"x".repeat(10_240)).is_err());
        assert!(login_password("abc\u{7}def").is_err());
        assert!(login_password("'; DROP TABLE logins; --").is_ok());
    }

    #[test]
    fn new_passwords_follow_nist() {
        assert!(new_password("correct horse", "correct horse").is_ok());
        assert!(new_password("short", "short").is_err());
        assert!(new_password("1234567890", "1234567890").is_err());
        assert!(new_password("aaaaaaaaaaaa", "aaaaaaaaaaaa").is_err());
        assert!(new_password("correct horse", "correct house").is_err());
        assert!(new_password(&"x".repeat(10_240), &"x".repeat(10_240)).is_err());
    }

    #[test]
    fn dates_are_checked_in_japanese() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(iso_date("2026-12-01", "日付").unwrap(), d);
        assert_eq!(iso_date(" ２０２６／１２／０１ ", "日付").unwrap(), d);
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2026-1-1",
            "12/01/2026",
            "明日",
        ] {
            let e = iso_date(bad, "適用開始日").unwrap_err();
            assert!(
                matches!(e, AppError::InvalidInput(ref m) if m.starts_with("適用開始日")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn customer_codes_and_pins_forgive_full_width() {
        assert_eq!(customer_code("１０００ ００３０").unwrap(), "10000030");
        assert!(customer_code("1000003").is_err());
        assert!(customer_code("' OR 1=1 --").is_err());
        assert_eq!(pin("０１２ ３４５").unwrap(), "012345");
        assert!(pin("12345").is_err());
    }
}
