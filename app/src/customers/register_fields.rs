//! Field rules for registering a customer (R5 and the 全国販社 screens), shared by the
//! browser and the server; the server always re-checks. Each rule returns the stored form
//! or a Japanese message naming the field.
use crate::error::AppError;
use crate::model::Rank;
use serde::{Deserialize, Serialize};

/// Ranks a 【ウルトラ販社～販社】(会員登録あり) user may register (R5): 総代理店, 代理店 and
/// 販売事業部一般会員待機 as before, plus ショップ and 一般.
pub const AGENCY_RANKS: [Rank; 5] = [
    Rank::SoDairiten,
    Rank::Dairiten,
    Rank::DivisionWaiting,
    Rank::Shop,
    Rank::General,
];

/// Column sizes (migration 000001): name and kana 100, address 200.
pub const NAME_MAX: usize = 100;
pub const KANA_MAX: usize = 100;
pub const ADDRESS_MAX: usize = 200;

fn bad(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Full-width digits become ASCII; everything else is kept.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// 代理店名: required, at most [`NAME_MAX`] characters, no control characters.
pub fn name(raw: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(bad("代理店名を入力してください。"));
    }
    if s.chars().count() > NAME_MAX {
        return Err(bad(format!(
            "代理店名は{NAME_MAX}文字以内で入力してください。"
        )));
    }
    if has_control(s) {
        return Err(bad("代理店名に使用できない文字が含まれています。"));
    }
    Ok(s.to_owned())
}

/// Half-width katakana (U+FF66..U+FF9D) in full width, in code-point order.
const HALF_KANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// カナ: full-width katakana as stored. Hiragana and half-width katakana (with ﾞ ﾟ) are
/// converted, as people type either; spaces are kept as one ASCII space between words.
pub fn kana(raw: &str) -> Result<String, AppError> {
    let mut out = String::new();
    let mut pending_space = false;
    for c in raw.trim().chars() {
        if c == ' ' || c == '\u{3000}' {
            pending_space = !out.is_empty();
            continue;
        }
        let k = match c {
            // ぁ..ゖ → ァ..ヶ
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60),
            '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | 'ヽ' | 'ヾ' => Some(c),
            'ｰ' => Some('ー'),
            '･' => Some('・'),
            '\u{FF66}'..='\u{FF9D}' => HALF_KANA.chars().nth(c as usize - 0xFF66),
            // Voiced / semi-voiced marks combine with the previous kana.
            'ﾞ' | 'ﾟ' if !pending_space => {
                let prev = out.pop();
                let combined = prev.and_then(|p| combine_mark(p, c == 'ﾟ'));
                match combined {
                    Some(k) => Some(k),
                    None => return Err(not_kana()),
                }
            }
            _ => None,
        };
        let Some(k) = k else {
            return Err(not_kana());
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(k);
    }
    if out.is_empty() {
        return Err(bad("カナを入力してください。"));
    }
    if out.chars().count() > KANA_MAX {
        return Err(bad(format!("カナは{KANA_MAX}文字以内で入力してください。")));
    }
    Ok(out)
}

fn not_kana() -> AppError {
    bad("カナはカタカナ（またはひらがな）で入力してください。")
}

/// カ→ガ, ハ→バ/パ, ウ→ヴ. In Unicode each voiced kana follows its base (ハ行: base, voiced,
/// semi-voiced).
fn combine_mark(base: char, semi: bool) -> Option<char> {
    let b = base as u32;
    match (base, semi) {
        ('ウ', false) => Some('ヴ'),
        (_, false) if "カキクケコサシスセソタチツテトハヒフヘホ".contains(base) => {
            char::from_u32(b + 1)
        }
        (_, true) if "ハヒフヘホ".contains(base) => char::from_u32(b + 2),
        _ => None,
    }
}

/// 電話番号: a Japanese number (0 + 9 or 10 digits); full-width digits and +81 are forgiven.
/// Stored with ASCII digits and the hyphens as typed (at most 13 characters).
pub fn phone(raw: &str) -> Result<String, AppError> {
    let s = ascii_digits(raw.trim()).replace(['－', '‐', 'ー'], "-");
    if s.is_empty() {
        return Err(bad("電話番号を入力してください。"));
    }
    if s.chars().count() > 20 || has_control(&s) {
        return Err(bad_phone());
    }
    let s = match s.strip_prefix("+81") {
        Some(rest) => format!("0{}", rest.trim_start_matches(['-', ' '])),
        None => s,
    };
    let s: String = s.chars().filter(|c| *c != ' ').collect();
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || s.starts_with('-') || s.ends_with('-')
    {
        return Err(bad_phone());
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let ok = digits.starts_with('0')
        && !digits.starts_with("00")
        && digits.len() == national_length(&digits)
        && s.matches('-').count() <= 2
        && !s.contains("--");
    if !ok {
        return Err(bad_phone());
    }
    Ok(s)
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

fn bad_phone() -> AppError {
    bad("電話番号の形式が正しくありません（例: 090-1234-5678）。")
}

/// 郵便番号: seven digits, stored as `123-4567`.
pub fn postal_code(raw: &str) -> Result<String, AppError> {
    let s = ascii_digits(raw.trim()).replace(['－', '‐', 'ー'], "-");
    if s.is_empty() {
        return Err(bad("郵便番号を入力してください。"));
    }
    let s = s.strip_prefix('〒').unwrap_or(&s).trim();
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = match s.len() {
        7 => s.chars().all(|c| c.is_ascii_digit()),
        8 => s.as_bytes()[3] == b'-' && digits.len() == 7,
        _ => false,
    };
    if !shape_ok {
        return Err(bad(
            "郵便番号は7桁の数字で入力してください（例: 100-0001）。",
        ));
    }
    Ok(format!("{}-{}", &digits[..3], &digits[3..]))
}

/// 住所: required, at most [`ADDRESS_MAX`] characters, no control characters.
pub fn address(raw: &str) -> Result<String, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(bad("住所を入力してください。"));
    }
    if s.chars().count() > ADDRESS_MAX {
        return Err(bad(format!(
            "住所は{ADDRESS_MAX}文字以内で入力してください。"
        )));
    }
    if has_control(s) {
        return Err(bad("住所に使用できない文字が含まれています。"));
    }
    Ok(s.to_owned())
}

/// What the registration form sends, before checking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerFields {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub email: String,
    pub postal_code: String,
    pub address: String,
}

/// The fields after every rule, in stored form.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFields {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub email: String,
    pub postal_code: String,
    pub address: String,
}

/// The details staff may correct on an existing customer (the login e-mail is the
/// customer's own, R2): the same rules as registering.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
}

/// [`CustomerDetails`] after every rule, in stored form.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDetails {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
}

impl CustomerDetails {
    /// Every failing rule at once, as (form field name, message), in form order.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let rules: [(&'static str, Result<String, AppError>); 5] = [
            ("name", name(&self.name)),
            ("kana", kana(&self.kana)),
            ("phone", phone(&self.phone)),
            ("postal_code", postal_code(&self.postal_code)),
            ("address", address(&self.address)),
        ];
        rules
            .into_iter()
            .filter_map(|(field, r)| r.err().map(|e| (field, e.message())))
            .collect()
    }

    pub fn check(&self) -> Result<CheckedDetails, AppError> {
        Ok(CheckedDetails {
            name: name(&self.name)?,
            kana: kana(&self.kana)?,
            phone: phone(&self.phone)?,
            postal_code: postal_code(&self.postal_code)?,
            address: address(&self.address)?,
        })
    }
}

/// ランク from a registration form: a choice must be made (the form preselects none, so
/// nobody registers a rank by accident).
pub fn rank_chosen(raw: &str) -> Result<(), AppError> {
    if raw.trim().is_empty() {
        return Err(bad("ランクを選んでください。"));
    }
    Ok(())
}

impl CustomerFields {
    /// Every failing rule at once, as (form field name, message), in the form's order: the
    /// form shows each at its field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let rules: [(&'static str, Result<String, AppError>); 6] = [
            ("name", name(&self.name)),
            ("kana", kana(&self.kana)),
            ("phone", phone(&self.phone)),
            ("email", crate::validation::login_email(&self.email)),
            ("postal_code", postal_code(&self.postal_code)),
            ("address", address(&self.address)),
        ];
        rules
            .into_iter()
            .filter_map(|(field, r)| r.err().map(|e| (field, e.message())))
            .collect()
    }

    /// Every rule, in the form's order; the first failure is reported.
    pub fn check(&self) -> Result<CheckedFields, AppError> {
        Ok(CheckedFields {
            name: name(&self.name)?,
            kana: kana(&self.kana)?,
            phone: phone(&self.phone)?,
            email: crate::validation::login_email(&self.email)?,
            postal_code: postal_code(&self.postal_code)?,
            address: address(&self.address)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_accepts_katakana_hiragana_and_half_width() {
        assert_eq!(kana("サトウ ハナコ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("さとう　はなこ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("ｻﾄｳ ﾊﾅｺ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("ｶﾞｯｺｳ ﾊﾟﾝ ｳﾞｨ").unwrap(), "ガッコウ パン ヴィ");
        assert_eq!(kana("  ヤマダ   タロウ ").unwrap(), "ヤマダ タロウ");
        assert_eq!(kana("コーヒー・ショップ").unwrap(), "コーヒー・ショップ");
    }

    #[test]
    fn kana_refuses_everything_else() {
        for bad in [
            "山田",
            "yamada",
            "ヤマダ1",
            "ﾞア",
            "ｱﾟ",
            "ヤマ\u{7}ダ",
            "",
            "   ",
        ] {
            let e = kana(bad).unwrap_err();
            assert!(
                matches!(e, AppError::InvalidInput(ref m) if m.contains("カナ")),
                "{bad:?}"
            );
        }
        assert!(kana(&"ア".repeat(KANA_MAX + 1)).is_err());
        assert!(kana(&"ア".repeat(KANA_MAX)).is_ok());
    }

    #[test]
    fn phones_keep_hyphens_and_forgive_full_width() {
        assert_eq!(phone("090-1234-5678").unwrap(), "090-1234-5678");
        assert_eq!(phone("０９０１２３４５６７８").unwrap(), "09012345678");
        assert_eq!(phone("+81 90-1234-5678").unwrap(), "090-1234-5678");
        assert_eq!(phone("03-1234-5678").unwrap(), "03-1234-5678");
        assert_eq!(phone("0120-123-456").unwrap(), "0120-123-456");
        assert_eq!(phone("0800-123-4567").unwrap(), "0800-123-4567");
        assert_eq!(phone("092-555-0130").unwrap(), "092-555-0130");
        assert!(phone("03-1234-56789").is_err());
        for bad in [
            "",
            "12345",
            "090-1234-567",
            "0090-1234-5678",
            "090--12345678",
            "090-1234-5678x",
            "090-1-2-345678",
            "電話",
            "090\u{0}12345678",
            &"0".repeat(500),
        ] {
            assert!(phone(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn postal_codes_are_seven_digits() {
        assert_eq!(postal_code("100-0001").unwrap(), "100-0001");
        assert_eq!(postal_code("1000001").unwrap(), "100-0001");
        assert_eq!(postal_code("〒１００－０００１").unwrap(), "100-0001");
        for bad in [
            "",
            "100-001",
            "10-00001",
            "100_0001",
            "abc-defg",
            "100-00012",
            "1000-001",
        ] {
            let e = postal_code(bad).unwrap_err();
            assert!(
                matches!(e, AppError::InvalidInput(ref m) if m.contains("郵便番号")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn problems_lists_every_failing_field_in_form_order() {
        let f = CustomerFields {
            name: "株式会社テスト".into(),
            kana: "山田".into(),
            phone: "12".into(),
            email: "x@example.jp".into(),
            postal_code: "".into(),
            address: "東京都".into(),
        };
        let p = f.problems();
        let fields: Vec<_> = p.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["kana", "phone", "postal_code"]);
        assert!(p[0].1.contains("カナ"));
        assert!(rank_chosen("").is_err());
        assert!(rank_chosen("shop").is_ok());
    }

    #[test]
    fn names_and_addresses_are_bounded() {
        assert_eq!(name("  株式会社テスト ").unwrap(), "株式会社テスト");
        assert!(name("").is_err());
        assert!(name(&"あ".repeat(NAME_MAX + 1)).is_err());
        assert!(name("株式会社\nテスト").is_err());
        assert!(address(&"あ".repeat(ADDRESS_MAX + 1)).is_err());
        assert!(address("東京都\u{1b}[31m").is_err());
        assert!(address("東京都千代田区千代田1-1").is_ok());
    }
}
