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

    // Property tests without a test-framework dependency: the demo generator, fixed seeds.
    use crate::server::demo_bulk::Rng as Gen;

    /// Characters people actually type into these fields, plus awkward ones.
    const POOL: &[&str] = &[
        "あ", "が", "ぱ", "ゃ", "っ", "ゔ", "ア", "ガ", "パ", "ャ", "ッ", "ヴ", "ヵ", "ー", "・",
        "ｱ", "ｶﾞ", "ﾊﾟ", "ｬ", "ｯ", "ｰ", "ﾞ", "ﾟ", "山", "田", "髙", "﨑", "々", "〆", "㈱", "株", "Ａ",
        "ｂ", "C", "d", "İ", "ß", "Σ", "ﬁ", "１", "9", "０", "-", "－", " ", "　", "\t", "(", "）",
        "。", "、", "!", "@", ".", "゛", "゜", "\u{3099}", "\u{309A}", "é", "e\u{301}", "Å", "㌔",
        "①", "Ⅻ", "½",
    ];

    fn random_text(g: &mut Gen) -> String {
        let len = g.below(12);
        (0..len).map(|_| *g.pick(POOL)).collect()
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let s = random_text(&mut g);
            let k = text_key(&s);
            assert_eq!(text_key(&k), k, "input {s:?}");
            if let Some(p) = phone_key(&s) {
                assert_eq!(phone_key(&p).as_deref(), Some(p.as_str()), "input {s:?}");
            }
        }
    }

    /// Readings written in hiragana, katakana and half-width katakana, with and without
    /// spaces, give one key.
    #[test]
    fn one_reading_one_key_in_every_script() {
        // (hiragana, katakana, half-width) triples of the same readings.
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
        let mut g = Gen(42);
        for _ in 0..5_000 {
            let n = 1 + g.below(5);
            let mut forms = [String::new(), String::new(), String::new()];
            for _ in 0..n {
                let (h, k, w) = g.pick(READINGS);
                let sep = *g.pick(&["", "", " ", "　"]);
                // Each form picks its own scripts per word: mixed input must fold too.
                for (i, f) in forms.iter_mut().enumerate() {
                    let choice = (i + g.below(3)) % 3;
                    f.push_str([h, k, w][choice]);
                    f.push_str(sep);
                }
            }
            let keys: Vec<String> = forms.iter().map(|f| text_key(f)).collect();
            assert_eq!(keys[0], keys[1], "{forms:?}");
            assert_eq!(keys[1], keys[2], "{forms:?}");
        }
    }

    #[test]
    fn phone_formats_give_one_key() {
        let mut g = Gen(7);
        for _ in 0..5_000 {
            // A random Japanese number: mobile (11 digits) or landline (10).
            let mobile = g.below(2) == 0;
            let mut national = String::from(if mobile {
                *g.pick(&["090", "080", "070"])
            } else {
                *g.pick(&["03", "06", "052", "011"])
            });
            while national.len() < if mobile { 11 } else { 10 } {
                national.push(char::from(b'0' + g.below(10) as u8));
            }
            let digits: Vec<char> = national.chars().collect();
            let hyphenated = {
                let (a, rest) = digits.split_at(3);
                let (b, c) = rest.split_at(rest.len() - 4);
                format!(
                    "{}-{}-{}",
                    a.iter().collect::<String>(),
                    b.iter().collect::<String>(),
                    c.iter().collect::<String>()
                )
            };
            let full_width: String = hyphenated
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                    '-' => '－',
                    c => c,
                })
                .collect();
            let plus81 = format!("+81 {}", &hyphenated[1..]);
            let plus81_full = format!("＋８１{}", &full_width.chars().skip(1).collect::<String>());
            for typed in [&national, &hyphenated, &full_width, &plus81, &plus81_full] {
                assert_eq!(
                    phone_key(typed).as_deref(),
                    Some(national.as_str()),
                    "{typed}"
                );
                assert_eq!(
                    phone_digits(typed).as_deref(),
                    Some(national.as_str()),
                    "{typed}"
                );
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
