//! The three PIN messages of the notice (自動音声, ショートメッセージ, メール), as pure
//! functions of the PIN and its deadline, so the wording and the SMS length are unit-tested
//! and the senders only deliver what they are given.
use crate::domain::time::hhmm;
use chrono::{DateTime, Utc};

/// Who the messages say they come from (SPEC R3: "naming 環境保全研究所の代行システム").
pub const SENDER_NAME: &str = "環境保全研究所の代行システム";

/// One UCS-2 SMS segment holds 70 UTF-16 code units; a second segment doubles the cost and
/// may arrive out of order (SPEC R3).
pub const SMS_MAX_UTF16: usize = 70;

/// Pause between two digits. `<break>` is the SSML element Twilio documents inside `<Say>`
/// ("Adding a pause"); it needs a Polly or Google voice, hence [`VOICE`].
const DIGIT_PAUSE: &str = r#"<break time="500ms"/>"#;

/// A Japanese Amazon Polly voice: Twilio applies SSML only with Polly/Google voices, and the
/// basic `man`/`woman` voices do not speak Japanese, so the voice is not left to the account
/// default.
pub const VOICE: &str = "Polly.Mizuki";

/// How often the whole voice message is spoken (`<Say loop>`), so a customer who missed
/// digits the first time hears them again.
pub const VOICE_REPEAT: u32 = 2;

/// TwiML for the voice call. The digits are read one by one with pauses (a TTS engine would
/// otherwise read "123456" as 十二万三千…), and the whole message is repeated.
pub fn voice_twiml(pin: &str) -> String {
    let digits = pin
        .chars()
        .map(|c| xml_escape(&c.to_string()))
        .collect::<Vec<_>>()
        .join(&format!("、{DIGIT_PAUSE}"));
    let text = format!(
        "こちらは{SENDER_NAME}です。今からPINコードを案内します。\
         PINコードは、{DIGIT_PAUSE}{digits}、{DIGIT_PAUSE}です。\
         このPINコードを画面で入力してください。"
    );
    // The leading pause gives the callee time to lift the phone to the ear after answering;
    // the trailing break separates the two repetitions.
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/><Say language="ja-JP" voice="{voice}" loop="{VOICE_REPEAT}">{text}<break time="1s"/></Say></Response>"#,
        voice = xml_escape(VOICE),
    )
}

/// The SMS, based on the notice's template. The notice's middle line 「今からPINコードを
/// 案内します。」 is dropped so that the deadline fits one segment; if a longer text ever
/// does not fit, the deadline line goes rather than the segment limit.
pub fn sms_body(pin: &str, expires_at: DateTime<Utc>) -> String {
    let head = format!("{SENDER_NAME}からのご案内です。\nPINコードは、「{pin}」になります。");
    let with_deadline = format!("{head}\n{}までに画面で入力してください。", hhmm(expires_at));
    if with_deadline.encode_utf16().count() <= SMS_MAX_UTF16 {
        with_deadline
    } else {
        head
    }
}

/// A plain-text mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// The PIN mail: the notice's template, then who sent it and what to do if the customer did
/// not ask for it (a PIN is never given to staff, so the mail says staff never ask for it).
pub fn pin_mail(pin: &str, expires_at: DateTime<Utc>) -> Mail {
    let hhmm = hhmm(expires_at);
    Mail {
        subject: format!("【{SENDER_NAME}】PINコードのご案内"),
        body: format!(
            "現在のお問い合わせ画面で{hhmm}までに業務代行クラウドシステムへPINコードの入力を行って下さい。\n\
             PINコード「{pin}」\n\
             \n\
             {hhmm}を過ぎるとこのPINコードは無効になります。その場合は、もう一度PINコードを発行してください。\n\
             \n\
             このメールは{SENDER_NAME}から自動で送信しています。\n\
             お心当たりがない場合は、このメールを破棄してください。PINコードが入力されなければ、\
             ログイン情報は変更されません。\n\
             PINコードは誰にも教えないでください。職員がPINコードをお尋ねすることはありません。\n"
        ),
    }
}

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 03:10 UTC = 12:10 JST.
    fn deadline() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T03:10:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn sms_fits_one_ucs2_segment_for_every_pin_and_deadline() {
        let d = deadline();
        // Every digit is one UTF-16 unit, so the length depends only on the PIN's shape
        // (six ASCII digits); a spread of values, the extremes included, shows it.
        for n in (0..1_000_000u32).step_by(997).chain([0, 111_111, 999_999]) {
            let pin = format!("{n:06}");
            let body = sms_body(&pin, d);
            assert!(body.encode_utf16().count() <= SMS_MAX_UTF16, "{body}");
        }
        // Every minute of the day (the deadline is always HH:MM, but check it).
        for m in 0..24 * 60 {
            let body = sms_body("000000", d + chrono::Duration::minutes(m));
            assert!(body.encode_utf16().count() <= SMS_MAX_UTF16, "{body}");
            assert!(body.contains("までに画面で入力してください。"), "{body}");
        }
    }

    #[test]
    fn sms_follows_the_notice() {
        let body = sms_body("012345", deadline());
        assert_eq!(
            body,
            "環境保全研究所の代行システムからのご案内です。\n\
             PINコードは、「012345」になります。\n\
             12:10までに画面で入力してください。"
        );
        assert!(!body.is_ascii(), "must be sent as UCS-2");
    }

    #[test]
    fn sms_drops_the_deadline_rather_than_overflowing() {
        // A PIN longer than ours would push the text over one segment.
        let long = "1".repeat(20);
        let body = sms_body(&long, deadline());
        assert!(body.encode_utf16().count() <= SMS_MAX_UTF16, "{body}");
        assert!(!body.contains("12:10"));
        assert!(body.contains(&long));
    }

    #[test]
    fn voice_reads_digits_one_by_one_with_pauses_and_repeats() {
        let twiml = voice_twiml("012345");
        assert!(twiml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#));
        assert!(twiml.ends_with("</Response>"));
        // Twilio's limit for the inline `Twiml` parameter.
        assert!(twiml.chars().count() <= 4000, "{}", twiml.len());
        assert!(twiml.contains(r#"<Say language="ja-JP" voice="Polly.Mizuki" loop="2">"#));
        assert!(twiml.contains("こちらは環境保全研究所の代行システムです。"));
        assert!(twiml.contains("今からPINコードを案内します。"));
        assert!(twiml.contains("このPINコードを画面で入力してください。"));
        assert!(twiml.contains(
            r#"PINコードは、<break time="500ms"/>0、<break time="500ms"/>1、<break time="500ms"/>2、<break time="500ms"/>3、<break time="500ms"/>4、<break time="500ms"/>5、<break time="500ms"/>です。"#
        ));
        // Each digit stands alone between two pauses.
        let spoken = twiml
            .split("PINコードは、")
            .nth(1)
            .and_then(|s| s.split("です。").next())
            .unwrap();
        let parts: Vec<_> = spoken
            .split(DIGIT_PAUSE)
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(parts, ["0、", "1、", "2、", "3、", "4、", "5、"]);
    }

    #[test]
    fn voice_escapes_xml() {
        let twiml = voice_twiml("1<&>\"'");
        assert!(twiml.contains("1、<break time=\"500ms\"/>&lt;、"));
        assert!(twiml.contains("&amp;"));
        assert!(twiml.contains("&gt;"));
        assert!(twiml.contains("&quot;"));
        assert!(twiml.contains("&apos;"));
        assert!(!twiml.contains("<&"));
    }

    #[test]
    fn mail_follows_the_notice() {
        let m = pin_mail("012345", deadline());
        assert_eq!(
            m.subject,
            "【環境保全研究所の代行システム】PINコードのご案内"
        );
        assert!(m.body.starts_with(
            "現在のお問い合わせ画面で12:10までに業務代行クラウドシステムへPINコードの入力を行って下さい。\nPINコード「012345」\n"
        ));
        assert!(m
            .body
            .contains("環境保全研究所の代行システムから自動で送信しています。"));
        assert!(m.body.contains("お心当たりがない場合は"));
    }

    #[test]
    fn xml_escape_covers_the_five_entities() {
        assert_eq!(
            xml_escape(r#"a&b<c>d"e'f"#),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f"
        );
    }
}
