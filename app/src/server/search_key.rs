//! PLACEHOLDER until branch h1-search lands: the real module replaces this file on merge
//! (take theirs). Same signature: folds width, case and hiragana/katakana; drops spaces.

/// The search key of a name or kana.
pub fn text_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_whitespace() {
            continue;
        }
        // Full-width ASCII → ASCII.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        // Half-width katakana → full-width, with a following (han)dakuten combined.
        let c = match half_to_full(c) {
            Some(full) => {
                let next = chars.get(i).copied();
                match (next, voiced(full)) {
                    (Some('\u{FF9E}'), Some((d, _))) => {
                        i += 1;
                        d
                    }
                    (Some('\u{FF9F}'), Some((_, Some(h)))) => {
                        i += 1;
                        h
                    }
                    _ => full,
                }
            }
            None => c,
        };
        // Katakana → hiragana.
        let c = match c {
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

fn half_to_full(c: char) -> Option<char> {
    const TABLE: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let idx = (c as u32).checked_sub(0xFF61)?;
    TABLE.chars().nth(idx as usize)
}

fn voiced(c: char) -> Option<(char, Option<char>)> {
    let base = c as u32;
    let kv = "カキクケコサシスセソタチツテトハヒフヘホウ";
    if !kv.contains(c) {
        return None;
    }
    if c == 'ウ' {
        return Some(('ヴ', None));
    }
    let d = char::from_u32(base + 1)?;
    let h = if "ハヒフヘホ".contains(c) {
        char::from_u32(base + 2)
    } else {
        None
    };
    Some((d, h))
}

#[cfg(test)]
mod tests {
    use super::text_key;

    #[test]
    fn folds_kana_width_and_spaces() {
        assert_eq!(text_key("ヤマダ"), text_key("やまだ"));
        assert_eq!(text_key("ﾔﾏﾀﾞ ﾊﾅｺ"), text_key("やまだはなこ"));
        assert_eq!(text_key("ﾊﾟﾝ"), text_key("パン"));
        assert_eq!(text_key("ＡＢＣ"), "abc");
    }
}
