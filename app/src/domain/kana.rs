//! カナ: stored as full-width katakana. People (and the old system's CSV) type hiragana or
//! half-width katakana just as often, so those are converted rather than refused.
use super::fields::{Field, FieldError, KANA_MAX};

/// Half-width katakana (U+FF66..U+FF9D) in full width, in code-point order.
const HALF_KANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// カナ: full-width katakana as stored. Hiragana and half-width katakana (with ﾞ ﾟ) are
/// converted; runs of spaces (ASCII or full-width) become one ASCII space between words.
/// The length limit applies to the stored form.
pub fn kana(raw: &str) -> Result<String, FieldError> {
    let mut out = String::new();
    let mut pending_space = false;
    for c in raw.trim().chars() {
        if c == ' ' || c == '\u{3000}' {
            pending_space = !out.is_empty();
            continue;
        }
        let k = match c {
            // ぁ..ゖ → ァ..ヶ: the two blocks are laid out alike, 0x60 apart.
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60),
            '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | 'ヽ' | 'ヾ' => Some(c),
            'ｰ' => Some('ー'),
            '･' => Some('・'),
            '\u{FF66}'..='\u{FF9D}' => HALF_KANA.chars().nth(c as usize - 0xFF66),
            // Voiced / semi-voiced marks combine with the previous kana (not across a space).
            'ﾞ' | 'ﾟ' if !pending_space => {
                let prev = out.pop();
                match prev.and_then(|p| combine_mark(p, c == 'ﾟ')) {
                    Some(k) => Some(k),
                    None => return Err(FieldError::NotKana),
                }
            }
            _ => None,
        };
        let Some(k) = k else {
            return Err(FieldError::NotKana);
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(k);
    }
    if out.is_empty() {
        return Err(FieldError::Missing(Field::Kana));
    }
    if out.chars().count() > KANA_MAX {
        return Err(FieldError::TooLong {
            field: Field::Kana,
            max: KANA_MAX,
        });
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_is_kept_and_spaces_collapse() {
        assert_eq!(kana("サトウ ハナコ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("  ヤマダ   タロウ ").unwrap(), "ヤマダ タロウ");
        assert_eq!(kana("ケーキ　ヤ").unwrap(), "ケーキ ヤ");
        assert_eq!(kana("コーヒー・ショップ").unwrap(), "コーヒー・ショップ");
        assert_eq!(
            kana("ヴィーナス・ショップ").unwrap(),
            "ヴィーナス・ショップ"
        );
        assert_eq!(kana("ヶ").unwrap(), "ヶ");
    }

    /// The import used to refuse these; the form converted them. Now both convert.
    #[test]
    fn hiragana_and_half_width_become_katakana() {
        assert_eq!(kana("さとう　はなこ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("たかはし").unwrap(), "タカハシ");
        assert_eq!(kana("ｻﾄｳ ﾊﾅｺ").unwrap(), "サトウ ハナコ");
        assert_eq!(kana("ﾀｶﾊｼ").unwrap(), "タカハシ");
        assert_eq!(kana("ｶﾞｯｺｳ ﾊﾟﾝ ｳﾞｨ").unwrap(), "ガッコウ パン ヴィ");
        assert_eq!(kana("ｺｰﾋｰ･ｼｮｯﾌﾟ").unwrap(), "コーヒー・ショップ");
        assert_eq!(kana("ﾎﾞｰﾙﾍﾟﾝ").unwrap(), "ボールペン");
        // Mixed scripts in one cell, as old data has them.
        assert_eq!(kana("やまだ ﾀﾛｳ").unwrap(), "ヤマダ タロウ");
        // The limit is on the stored form: 101 half-width characters with marks fit.
        let long = format!("{}ﾞ", "ｶ".repeat(KANA_MAX));
        assert_eq!(kana(&long).unwrap(), format!("{}ガ", "カ".repeat(99)));
    }

    #[test]
    fn everything_else_is_refused() {
        for bad in ["山田", "yamada", "ヤマダ1", "ﾞア", "ｱﾟ", "ｶ ﾞ", "ヤマ\u{7}ダ"]
        {
            assert_eq!(kana(bad), Err(FieldError::NotKana), "{bad:?}");
        }
        for empty in ["", "   ", "　"] {
            assert_eq!(kana(empty), Err(FieldError::Missing(Field::Kana)));
        }
        assert!(kana(&"ア".repeat(KANA_MAX)).is_ok());
        assert!(matches!(
            kana(&"ア".repeat(KANA_MAX + 1)),
            Err(FieldError::TooLong { .. })
        ));
        assert!(FieldError::NotKana.to_string().contains("カナ"));
    }
}
