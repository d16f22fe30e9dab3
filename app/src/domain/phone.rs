//! 電話番号: a Japanese number, stored with ASCII digits and the hyphens as the person typed
//! them ("090-1234-5678" stays so, "09012345678" stays so). Full-width digits, dashes that
//! look like hyphens, spaces, a leading +81 (or ＋81, or 81) and an area code in
//! parentheses are forgiven. Searching, matching a typed number against the stored one and
//! addressing Twilio do not depend on the hyphens: they use [`national`], the digits of the
//! same rule, whichever form was stored.
use super::fields::{ascii_digits_and_hyphens, has_control, Field, FieldError};

/// Longer input is refused before any work (a pasted paragraph is not a phone number).
const RAW_MAX: usize = 20;

pub fn phone(raw: &str) -> Result<String, FieldError> {
    let s = ascii_digits_and_hyphens(raw.trim()).replace('＋', "+");
    if s.is_empty() {
        return Err(FieldError::Missing(Field::Phone));
    }
    if s.chars().count() > RAW_MAX || has_control(&s) {
        return Err(FieldError::BadPhone);
    }
    let s = without_country_code(&s);
    let s = area_code_parentheses(&s).ok_or(FieldError::BadPhone)?;
    let s: String = s
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{3000}')
        .collect();
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || s.starts_with('-') || s.ends_with('-')
    {
        return Err(FieldError::BadPhone);
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let ok = digits.starts_with('0')
        && !digits.starts_with("00")
        && digits.len() == national_length(&digits)
        && s.matches('-').count() <= 2
        && !s.contains("--");
    if !ok {
        return Err(FieldError::BadPhone);
    }
    Ok(s)
}

/// The national digits ("09012345678") of anything [`phone`] accepts, or `None`: the one
/// form in which a typed number, a stored one and the search key are compared.
pub fn national(raw: &str) -> Option<String> {
    phone(raw)
        .ok()
        .map(|s| s.chars().filter(char::is_ascii_digit).collect())
}

/// E.164 ("+819012345678") from the national form.
pub fn e164(national: &str) -> String {
    format!("+81{}", national.strip_prefix('0').unwrap_or(national))
}

/// 070 / 080 / 090 mobiles: the only numbers SMS goes to (SPEC R3).
pub fn is_mobile(national: &str) -> bool {
    national.len() == 11
        && ["070", "080", "090"]
            .iter()
            .any(|p| national.starts_with(p))
}

/// "+81 90-…", "+81-90…" and "8190…" are the national "090…". (A national number never
/// starts with 8, so a bare 81 is always the country code.)
fn without_country_code(s: &str) -> String {
    match s.strip_prefix("+81").or_else(|| s.strip_prefix("81")) {
        Some(rest) => {
            let rest = rest.trim_start_matches(['-', ' ', '\u{3000}']);
            // "+81 (0)90…": the trunk 0 in parentheses is dropped with the country code.
            let rest = rest.strip_prefix("(0)").unwrap_or(rest);
            format!("0{}", rest.trim_start_matches(['-', ' ']))
        }
        None => s.to_owned(),
    }
}

/// "(03)1234-5678" and "03(1234)5678" → "03-1234-5678": a closing parenthesis is a hyphen,
/// an opening one is a hyphen unless it starts the number. Unbalanced parentheses, or more
/// than one pair, are not a phone number.
fn area_code_parentheses(s: &str) -> Option<String> {
    let s = s.replace(['（', '('], "(").replace(['）', ')'], ")");
    match (s.matches('(').count(), s.matches(')').count()) {
        (0, 0) => return Some(s),
        (1, 1) if s.find('(') < s.find(')') => {}
        _ => return None,
    }
    let open_at_start = s.starts_with('(');
    let s = s.trim_start_matches('(');
    let s = if open_at_start {
        s.to_owned()
    } else {
        s.replace('(', "-")
    };
    Some(s.replace(')', "-"))
}

/// Mobiles (070/080/090), 050 IP phones, 020/060 and 0800 numbers have 11 digits; landlines,
/// 0120 and 0570 have 10.
fn national_length(digits: &str) -> usize {
    let b = digits.as_bytes();
    let eleven = digits.starts_with("0800")
        || (b.len() >= 3
            && b[2] == b'0'
            && matches!(b[1], b'2' | b'5' | b'6' | b'7' | b'8' | b'9'));
    if eleven {
        11
    } else {
        10
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphens_are_kept_as_typed() {
        assert_eq!(phone("090-1234-5678").unwrap(), "090-1234-5678");
        // Form and import used to disagree here: the import stored "09012345678" for
        // "090-1234-5678". Both now keep what was typed.
        assert_eq!(phone("09012345678").unwrap(), "09012345678");
        assert_eq!(phone("03-1234-5678").unwrap(), "03-1234-5678");
        assert_eq!(phone("0120-123-456").unwrap(), "0120-123-456");
        assert_eq!(phone("0800-123-4567").unwrap(), "0800-123-4567");
        assert_eq!(phone("092-555-0130").unwrap(), "092-555-0130");
        assert_eq!(phone("076-111-2222").unwrap(), "076-111-2222");
    }

    #[test]
    fn full_width_country_code_and_spaces_are_forgiven() {
        assert_eq!(phone("０９０１２３４５６７８").unwrap(), "09012345678");
        assert_eq!(
            phone("０９０－１２３４－５６７８").unwrap(),
            "090-1234-5678"
        );
        assert_eq!(phone("+81 90-1234-5678").unwrap(), "090-1234-5678");
        // The form used to refuse the full-width plus; the import accepted it.
        assert_eq!(phone("＋81 90-1234-5678").unwrap(), "090-1234-5678");
        assert_eq!(
            phone("＋８１　９０－１２３４－５６７８").unwrap(),
            "090-1234-5678"
        );
        assert_eq!(phone("+819012345678").unwrap(), "09012345678");
        assert_eq!(phone("+81 90 1234 5678").unwrap(), "09012345678");
        assert_eq!(phone("+81 (0)3-1234-5678").unwrap(), "03-1234-5678");
        assert_eq!(phone("819012345678").unwrap(), "09012345678");
        assert_eq!(phone("090 1234 5678").unwrap(), "09012345678");
        assert_eq!(phone(" 090-1234-5678 ").unwrap(), "090-1234-5678");
    }

    #[test]
    fn area_codes_in_parentheses_become_hyphens() {
        assert_eq!(phone("(090)1234-5678").unwrap(), "090-1234-5678");
        assert_eq!(phone("03(1234)5678").unwrap(), "03-1234-5678");
        assert_eq!(phone("（03）1234－5678").unwrap(), "03-1234-5678");
        for bad in [
            "(03(1234)5678",
            ")03(1234-5678",
            "03)1234(5678",
            "(03)-1234-5678",
        ] {
            assert_eq!(phone(bad), Err(FieldError::BadPhone), "{bad:?}");
        }
    }

    #[test]
    fn non_numbers_are_refused() {
        assert_eq!(phone(""), Err(FieldError::Missing(Field::Phone)));
        assert_eq!(phone("  "), Err(FieldError::Missing(Field::Phone)));
        let long = "0".repeat(500);
        for bad in [
            "12345",
            "090-1234-567",
            "03-1234-56789",
            "0090-1234-5678",
            "090--12345678",
            "-090-1234-5678",
            "090-1234-5678-",
            "090-1234-5678x",
            "03-1234-567x",
            "090-1-2-345678",
            "電話",
            "090\u{0}12345678",
            "+1 415 555 0100",
            "0000000000",
            long.as_str(),
        ] {
            assert_eq!(phone(bad), Err(FieldError::BadPhone), "{bad:?}");
        }
    }

    #[test]
    fn every_way_of_typing_gives_one_number() {
        for typed in [
            "090-1234-5678",
            "09012345678",
            "０９０－１２３４－５６７８",
            "+81 90 1234 5678",
            "+819012345678",
            "(090)1234-5678",
        ] {
            assert_eq!(national(typed).as_deref(), Some("09012345678"), "{typed}");
        }
        assert_eq!(national("03-5555-0100").as_deref(), Some("0355550100"));
    }

    #[test]
    fn national_refuses_non_numbers() {
        for bad in [
            "",
            "abc",
            "090-1234-567a",
            "+1 415 555 0100",
            "12345",
            "0000000000",
            "090 1234 5678 9999",
        ] {
            assert_eq!(national(bad), None, "{bad}");
        }
    }

    /// Whatever the field rule stores, hyphenated or not, has one national form: search
    /// keys, duplicate checks and SMS find the rows of the form and of the old import alike.
    #[test]
    fn stored_forms_have_one_national_form() {
        for (typed, national_form) in [
            ("090-1234-5678", "09012345678"),
            ("09012345678", "09012345678"),
            ("＋81 90-1234-5678", "09012345678"),
            ("03(1234)5678", "0312345678"),
            ("0120-123-456", "0120123456"),
            ("076-111-2222", "0761112222"),
        ] {
            let stored = phone(typed).unwrap();
            assert_eq!(national(&stored).as_deref(), Some(national_form), "{typed}");
        }
    }

    #[test]
    fn mobiles_and_e164() {
        assert!(is_mobile("09012345678"));
        assert!(is_mobile("07055550170"));
        assert!(!is_mobile("0355550100"));
        assert!(!is_mobile("05012345678"));
        assert_eq!(e164("09012345678"), "+819012345678");
    }
}
