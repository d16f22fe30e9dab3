//! Japanese phone numbers as typed by people: full-width digits, hyphens, spaces,
//! parentheses, a leading +81. Enough for matching a typed number against the registered
//! one and for addressing Twilio; the search keys of the customer search build on this. Parsing
//! comes from libphonenumber's metadata (`phonenumber`).

/// The national form ("09012345678"), or `None` if this is not a Japanese number.
pub fn national(raw: &str) -> Option<String> {
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in raw.trim().chars().enumerate() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            '＋' => '+',
            c => c,
        };
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            '-' | 'ー' | '－' | '‐' | ' ' | '　' | '(' | ')' | '（' | '）' => {}
            _ => return None,
        }
    }
    // A bare "81…" of 11–12 digits is the country code typed without "+".
    let international = plus || (digits.starts_with("81") && (11..=12).contains(&digits.len()));
    let typed = if international {
        format!("+{digits}")
    } else {
        digits
    };
    // libphonenumber's parser and Japanese metadata: trunk prefix and +81. (Not `is_valid`:
    // it refuses unallocated ranges such as 090-0…, which old data and tests still carry.)
    let n = phonenumber::parse(Some(phonenumber::country::JP), &typed).ok()?;
    if n.code().value() != 81 {
        return None;
    }
    let national = format!("0{}", n.national().value());
    // 0 + 9 digits (landlines) or 0 + 10 digits (mobiles, 050, 0120…).
    (10..=11).contains(&national.len()).then_some(national)
}

/// E.164 ("+819012345678") from the national form.
pub fn e164(national: &str) -> String {
    format!("+81{}", &national[1..])
}

/// 070 / 080 / 090 mobiles: the only numbers SMS goes to (SPEC R3).
pub fn is_mobile(national: &str) -> bool {
    national.len() == 11
        && ["070", "080", "090"]
            .iter()
            .any(|p| national.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn non_numbers_are_refused() {
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
            let stored = crate::domain::phone(typed).unwrap();
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
