//! Search keys: one canonical form per way of writing a word, so that what a person types
//! matches what was registered however either was typed (R4).
//!
//! Text (names, kana, product names):
//! 1. NFKC (`unicode-normalization`): full-width ASCII → ASCII, half-width kana → full-width
//!    (ｶﾞ → ガ, the voiced mark composed), compatibility forms (㈱ → (株)) spelled out.
//! 2. Spaces dropped, then NFC again, so a sound mark separated by a space (は ゜) still
//!    composes with its kana.
//! 3. Hiragana → katakana (`wana_kana`, a plain code-point shift that keeps ー; its
//!    katakana → hiragana direction rewrites ー into vowels by context, which would make the
//!    key of a substring differ from the substring of the key).
//! 4. Lowercase; everything that is not a letter or digit (punctuation, ・, -, symbols) dropped.
//!
//! Phones: national digits through `server::phone` ("+81 90-1234-5678" → "09012345678").
use unicode_normalization::UnicodeNormalization;

/// The canonical search form of a name, kana or product name. Idempotent:
/// `text_key(&text_key(s)) == text_key(s)`.
pub fn text_key(s: &str) -> String {
    let spaced: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
    let composed: String = spaced.nfc().collect();
    let kata = wana_kana::utils::hiragana_to_katakana(&composed);
    let mut out = String::with_capacity(kata.len());
    for c in kata.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        }
    }
    // Lowercasing can produce a decomposed letter (İ → i + U+0307, dropped above as a mark)
    // or a compatibility character; one more NFKC pass keeps the key a fixed point.
    if out.nfkc().eq(out.chars()) {
        out
    } else {
        out.nfkc().filter(|c| c.is_alphanumeric()).collect()
    }
}

/// The national digits of a Japanese phone number ("0312345678"), or `None` when `s` is not
/// one (too short or long, letters, a foreign country code).
pub fn phone_key(s: &str) -> Option<String> {
    crate::domain::phone::national(&s.nfkc().collect::<String>())
}

/// The digits of a partial phone number as typed in a search box ("090-12", "５６７８",
/// "+81 90"), or `None` when the query is not made of digits and phone punctuation only.
/// A leading +81 becomes the national 0.
pub fn phone_digits(s: &str) -> Option<String> {
    let n: String = s.nfkc().collect();
    let t = n.trim();
    let mut digits = String::new();
    for (i, c) in t.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            '-' | 'ー' | '‐' | '−' | '―' | ' ' | '(' | ')' | '.' => {}
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    if t.starts_with('+') {
        let rest = digits.strip_prefix("81")?;
        return Some(format!("0{rest}"));
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// Characters people actually type into these fields, plus awkward ones.
    const POOL: &[&str] = &[
        "あ", "が", "ぱ", "ゃ", "っ", "ゔ", "ア", "ガ", "パ", "ャ", "ッ", "ヴ", "ヵ", "ー", "・",
        "ｱ", "ｶﾞ", "ﾊﾟ", "ｬ", "ｯ", "ｰ", "ﾞ", "ﾟ", "山", "田", "髙", "﨑", "々", "〆", "㈱", "株", "Ａ",
        "ｂ", "C", "d", "İ", "ß", "Σ", "ﬁ", "１", "9", "０", "-", "－", " ", "　", "\t", "(", "）",
        "。", "、", "!", "@", ".", "゛", "゜", "\u{3099}", "\u{309A}", "é", "e\u{301}", "Å", "㌔",
        "①", "Ⅻ", "½",
    ];

    fn typed_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(POOL), 0..12).prop_map(|v| v.concat())
    }

    /// (hiragana, katakana, half-width) triples of the same readings.
    const READINGS: &[(&str, &str, &str)] = &[
        ("やまだ", "ヤマダ", "ﾔﾏﾀﾞ"),
        ("たろう", "タロウ", "ﾀﾛｳ"),
        ("ぱ", "パ", "ﾊﾟ"),
        ("きゃ", "キャ", "ｷｬ"),
        ("っと", "ット", "ｯﾄ"),
        ("ー", "ー", "ｰ"),
        ("ゔぃ", "ヴィ", "ｳﾞｨ"),
        ("を", "ヲ", "ｦ"),
        ("ん", "ン", "ﾝ"),
        ("すずき", "スズキ", "ｽｽﾞｷ"),
        ("ぽ", "ポ", "ﾎﾟ"),
    ];

    /// A Japanese number in national digits: a mobile (11 digits) or a landline (10) whose
    /// subscriber part starts with 1–9, as real ones do.
    fn national_number() -> impl Strategy<Value = String> {
        prop_oneof![
            (prop::sample::select(vec!["090", "080", "070"]), "[0-9]{8}")
                .prop_map(|(p, r)| format!("{p}{r}")),
            (prop::sample::select(vec!["03", "06"]), "[1-9][0-9]{7}")
                .prop_map(|(p, r)| format!("{p}{r}")),
            (prop::sample::select(vec!["052", "011"]), "[1-9][0-9]{6}")
                .prop_map(|(p, r)| format!("{p}{r}")),
        ]
    }

    proptest! {
        #[test]
        fn normalising_twice_changes_nothing(s in typed_text()) {
            let k = text_key(&s);
            prop_assert_eq!(text_key(&k), k);
            if let Some(p) = phone_key(&s) {
                prop_assert_eq!(phone_key(&p), Some(p.clone()));
            }
        }

        /// Readings written in hiragana, katakana and half-width katakana, with and without
        /// spaces, give one key; each form picks its own script per word (mixed input folds
        /// too).
        #[test]
        fn one_reading_one_key_in_every_script(
            words in prop::collection::vec(
                (prop::sample::select(READINGS), prop::sample::select(vec!["", "", " ", "\u{3000}"]), [0usize..3, 0usize..3, 0usize..3]),
                1..6,
            )
        ) {
            let mut forms = [String::new(), String::new(), String::new()];
            for ((h, k, w), sep, scripts) in &words {
                for (f, choice) in forms.iter_mut().zip(scripts) {
                    f.push_str([h, k, w][*choice]);
                    f.push_str(sep);
                }
            }
            let keys: Vec<String> = forms.iter().map(|f| text_key(f)).collect();
            prop_assert_eq!(&keys[0], &keys[1], "{:?}", forms);
            prop_assert_eq!(&keys[1], &keys[2], "{:?}", forms);
        }

        /// Hyphenated, full-width and +81 spellings of a number have its national digits as
        /// the search key, and as the digits a query is matched by.
        #[test]
        fn phone_formats_give_one_key(national in national_number()) {
            let (a, rest) = national.split_at(3);
            let (b, c) = rest.split_at(rest.len() - 4);
            let hyphenated = format!("{a}-{b}-{c}");
            let full_width: String = hyphenated
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                    '-' => '－',
                    c => c,
                })
                .collect();
            let plus81 = format!("+81 {}", &hyphenated[1..]);
            let plus81_full = format!("＋８１{}", full_width.chars().skip(1).collect::<String>());
            for typed in [&national, &hyphenated, &full_width, &plus81, &plus81_full] {
                prop_assert_eq!(phone_key(typed), Some(national.clone()), "{}", typed);
                prop_assert_eq!(phone_digits(typed), Some(national.clone()), "{}", typed);
            }
        }
    }

    #[test]
    fn text_keys_of_everyday_input() {
        assert_eq!(text_key("山田 太郎"), "山田太郎");
        assert_eq!(text_key("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダタロウ");
        assert_eq!(text_key("やまだ　たろう"), "ヤマダタロウ");
        assert_eq!(text_key("スーパー"), "スーパー");
        assert_eq!(text_key("ＡＢＣ商事"), "abc商事");
        assert_eq!(text_key("㈱ダイコー"), "株ダイコー");
        assert_eq!(text_key("は ゜"), "パ");
        assert_eq!(text_key("taro@example.com"), "taroexamplecom");
        assert_eq!(text_key("  "), "");
    }

    #[test]
    fn partial_phone_queries() {
        assert_eq!(phone_digits("5678").as_deref(), Some("5678"));
        assert_eq!(phone_digits("０９０－１２").as_deref(), Some("09012"));
        assert_eq!(phone_digits("+81 90").as_deref(), Some("090"));
        assert_eq!(phone_digits("(03) 5555").as_deref(), Some("035555"));
        assert_eq!(phone_digits("ヤマダ"), None);
        assert_eq!(phone_digits("a1"), None);
        assert_eq!(phone_digits("+1 415"), None);
        assert_eq!(phone_digits("--"), None);
        assert_eq!(phone_key("090-1234-5678").as_deref(), Some("09012345678"));
        assert_eq!(phone_key("1234"), None);
    }
}
