//! 郵便番号: seven digits, stored as `123-4567` whichever way they were typed.
use super::fields::{ascii_digits_and_hyphens, Field, FieldError};

/// `1234567`, `123-4567`, full-width digits, a leading 〒 and the dashes people type for a
/// hyphen all give `123-4567`.
pub fn postal_code(raw: &str) -> Result<String, FieldError> {
    let s = ascii_digits_and_hyphens(raw.trim());
    if s.is_empty() {
        return Err(FieldError::Missing(Field::PostalCode));
    }
    let s = s.strip_prefix('〒').unwrap_or(&s).trim();
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = match s.len() {
        7 => s.chars().all(|c| c.is_ascii_digit()),
        8 => s.as_bytes()[3] == b'-' && digits.len() == 7,
        _ => false,
    };
    // `digits` is ASCII here, so slicing at 3 is on a character boundary.
    match (shape_ok, digits.get(..3), digits.get(3..)) {
        (true, Some(head), Some(tail)) => Ok(format!("{head}-{tail}")),
        _ => Err(FieldError::BadPostal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_digits_in_any_spelling_are_stored_with_a_hyphen() {
        assert_eq!(postal_code("100-0001").unwrap(), "100-0001");
        // The import used to refuse this one; the form accepted it.
        assert_eq!(postal_code("1000001").unwrap(), "100-0001");
        assert_eq!(postal_code("〒１００－０００１").unwrap(), "100-0001");
        assert_eq!(postal_code("〒 150-0001").unwrap(), "150-0001");
        assert_eq!(postal_code("１５０ー０００１").unwrap(), "150-0001");
        assert_eq!(postal_code("150−0001").unwrap(), "150-0001");
        assert_eq!(postal_code(" 1500001 ").unwrap(), "150-0001");
    }

    #[test]
    fn other_shapes_are_refused() {
        assert_eq!(postal_code(""), Err(FieldError::Missing(Field::PostalCode)));
        for bad in [
            "100-001",
            "10-00001",
            "15-00001",
            "100_0001",
            "abc-defg",
            "100-00012",
            "1000-001",
            "10000010",
            "〒",
            "１００－０００１あ",
        ] {
            assert_eq!(postal_code(bad), Err(FieldError::BadPostal), "{bad:?}");
        }
        assert!(FieldError::BadPostal.to_string().contains("郵便番号"));
    }
}
