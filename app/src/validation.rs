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
}
