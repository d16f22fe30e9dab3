//! The customer fields, their limits and their one error type. Each rule takes what a
//! person typed (or a CSV cell) and returns the stored form, or a [`FieldError`] whose
//! `Display` is the Japanese message shown at the field.
use std::fmt;

/// Column sizes (migration 000001): name and kana 100, address 200.
pub const NAME_MAX: usize = 100;
pub const KANA_MAX: usize = 100;
pub const ADDRESS_MAX: usize = 200;

/// The field a rule is about; `Display` is its label on screen and in the CSV header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Kana,
    Phone,
    PostalCode,
    Address,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "代理店名",
            Field::Kana => "カナ",
            Field::Phone => "電話番号",
            Field::PostalCode => "郵便番号",
            Field::Address => "住所",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a field was refused. Mapped to `AppError::InvalidInput` once, in `crate::error`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("{0}を入力してください。")]
    Missing(Field),
    #[error("{field}は{max}文字以内で入力してください。")]
    TooLong { field: Field, max: usize },
    #[error("{0}に使用できない文字が含まれています。")]
    ControlChar(Field),
    #[error("カナはカタカナ（またはひらがな）で入力してください。")]
    NotKana,
    #[error("電話番号の形式が正しくありません（例: 090-1234-5678）。")]
    BadPhone,
    #[error("郵便番号は7桁の数字で入力してください（例: 100-0001）。")]
    BadPostal,
}

impl FieldError {
    /// The field the error is about, so a caller can show it at the right input.
    pub fn field(&self) -> Field {
        match self {
            FieldError::Missing(f) | FieldError::ControlChar(f) => *f,
            FieldError::TooLong { field, .. } => *field,
            FieldError::NotKana => Field::Kana,
            FieldError::BadPhone => Field::Phone,
            FieldError::BadPostal => Field::PostalCode,
        }
    }
}

pub(crate) fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Full-width digits become ASCII and the dashes people type for a hyphen become `-`;
/// everything else is kept. Shared by the phone and postal rules.
pub(crate) fn ascii_digits_and_hyphens(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '‐' | 'ー' | '−' | '―' | 'ｰ' => '-',
            c => c,
        })
        .collect()
}

/// Free text: trimmed, required, at most `max` characters, no control characters (a
/// newline or an escape sequence would break the printed documents and the CSV export).
fn text(field: Field, raw: &str, max: usize) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::Missing(field));
    }
    if s.chars().count() > max {
        return Err(FieldError::TooLong { field, max });
    }
    if has_control(s) {
        return Err(FieldError::ControlChar(field));
    }
    Ok(s.to_owned())
}

/// 代理店名: required, at most [`NAME_MAX`] characters, no control characters.
pub fn name(raw: &str) -> Result<String, FieldError> {
    text(Field::Name, raw, NAME_MAX)
}

/// 住所: required, at most [`ADDRESS_MAX`] characters, no control characters.
pub fn address(raw: &str) -> Result<String, FieldError> {
    text(Field::Address, raw, ADDRESS_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses_are_trimmed_and_bounded() {
        assert_eq!(name("  株式会社テスト ").unwrap(), "株式会社テスト");
        assert_eq!(name(""), Err(FieldError::Missing(Field::Name)));
        assert_eq!(name("   "), Err(FieldError::Missing(Field::Name)));
        assert!(name(&"あ".repeat(NAME_MAX)).is_ok());
        assert_eq!(
            name(&"あ".repeat(NAME_MAX + 1)),
            Err(FieldError::TooLong {
                field: Field::Name,
                max: NAME_MAX
            })
        );
        assert_eq!(
            name("株式会社\nテスト"),
            Err(FieldError::ControlChar(Field::Name))
        );
        assert!(address(&"あ".repeat(ADDRESS_MAX + 1)).is_err());
        assert_eq!(
            address("東京都\u{1b}[31m"),
            Err(FieldError::ControlChar(Field::Address))
        );
        assert_eq!(
            address(" 東京都千代田区千代田1-1 ").unwrap(),
            "東京都千代田区千代田1-1"
        );
    }

    #[test]
    fn messages_are_japanese_and_name_the_field() {
        assert_eq!(
            FieldError::Missing(Field::Address).to_string(),
            "住所を入力してください。"
        );
        assert_eq!(
            FieldError::TooLong {
                field: Field::Name,
                max: 100
            }
            .to_string(),
            "代理店名は100文字以内で入力してください。"
        );
        for e in [
            FieldError::NotKana,
            FieldError::BadPhone,
            FieldError::BadPostal,
            FieldError::ControlChar(Field::Kana),
        ] {
            assert!(e.to_string().contains(e.field().label()), "{e}");
        }
    }
}
