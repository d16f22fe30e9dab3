//! A small typed client for the two Twilio REST calls the PIN reset needs (SPEC R3): send an
//! SMS (`Messages.json`) and start a call that speaks inline TwiML (`Calls.json`). The base
//! URL is configurable so the tests can point it at a fake on loopback.
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";
/// A customer waits on the screen while we send, so a hanging Twilio must not hold the
/// request for long; the other channels are offered instead.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const API_VERSION: &str = "2010-04-01";

/// Twilio's auth token. Not `Serialize` and redacted in `Debug`, so it cannot reach a log
/// or a browser by accident.
#[derive(Clone)]
pub struct AuthToken(SecretString);

impl AuthToken {
    pub fn new(token: impl Into<String>) -> Self {
        AuthToken(SecretString::from(token.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(<redacted>)")
    }
}

#[derive(Clone, Debug)]
pub struct TwilioConfig {
    /// `https://api.twilio.com` in production; a loopback fake in tests.
    pub base_url: String,
    /// `AC` + 32 hex digits; also the Basic-auth user name.
    pub account_sid: String,
    pub auth_token: AuthToken,
    /// The Twilio number messages and calls come from (E.164).
    pub from: String,
    /// Where Twilio reports delivery status, if anywhere.
    pub status_callback: Option<String>,
    /// For the whole request: connect, send and read the answer.
    pub timeout: Duration,
}

impl TwilioConfig {
    pub fn new(
        account_sid: impl Into<String>,
        auth_token: AuthToken,
        from: impl Into<String>,
    ) -> Self {
        TwilioConfig {
            base_url: DEFAULT_BASE_URL.into(),
            account_sid: account_sid.into(),
            auth_token,
            from: from.into(),
            status_callback: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// What was being sent, so an error can say so in the customer's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Voice,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Sms => "SMSの送信",
            Channel::Voice => "音声通話の発信",
        })
    }
}

/// Why Twilio did not take a message. `Display` is the Japanese sentence a customer may see;
/// the fields (Twilio's error `code` and `message`) are for the log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TwilioError {
    #[error("Twilioの設定が正しくありません: {0}")]
    Config(String),
    /// Refused before sending: not an E.164 number.
    #[error("{channel}に失敗しました（電話番号の形式が正しくありません）")]
    InvalidRecipient { channel: Channel },
    /// 401/403: wrong Account SID or auth token. An operator must fix the configuration.
    #[error("{channel}に失敗しました（送信サービスの認証に失敗しました）")]
    Auth {
        channel: Channel,
        status: u16,
        code: Option<u32>,
        message: String,
    },
    /// Other 4xx: Twilio refused this message (e.g. 21211 invalid number, 21610 opted out).
    #[error("{channel}に失敗しました（送信サービスに受け付けられませんでした）")]
    Rejected {
        channel: Channel,
        status: u16,
        code: Option<u32>,
        message: String,
    },
    /// 5xx or 429: Twilio cannot take it now; a later try or another channel may work.
    #[error("{channel}に失敗しました（送信サービスが一時的に利用できません）")]
    Unavailable {
        channel: Channel,
        status: u16,
        code: Option<u32>,
        message: String,
    },
    /// No answer: connection refused, TLS failure, or no response within the timeout.
    #[error("{channel}に失敗しました（送信サービスに接続できませんでした）")]
    Transport {
        channel: Channel,
        timed_out: bool,
        detail: String,
    },
    /// An answer we cannot use (a redirect, or a success without a valid `sid`).
    #[error("{channel}に失敗しました（送信サービスの応答を読み取れませんでした）")]
    InvalidResponse {
        channel: Channel,
        status: u16,
        detail: String,
    },
}

impl TwilioError {
    /// Twilio's own error code (https://www.twilio.com/docs/errors), when it sent one.
    pub fn code(&self) -> Option<u32> {
        match self {
            TwilioError::Auth { code, .. }
            | TwilioError::Rejected { code, .. }
            | TwilioError::Unavailable { code, .. } => *code,
            _ => None,
        }
    }
}

/// The SID Twilio gave the new Message (`SM…`/`MM…`) or Call (`CA…`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TwilioSid(String);

impl TwilioSid {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Two upper-case letters and 32 hex digits, as Twilio's API description states.
    fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        (b.len() == 34
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..].iter().all(u8::is_ascii_hexdigit))
        .then(|| TwilioSid(s.to_string()))
    }
}

impl fmt::Display for TwilioSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug)]
pub struct TwilioClient {
    config: TwilioConfig,
    http: reqwest::Client,
}

impl TwilioClient {
    pub fn new(config: TwilioConfig) -> Result<Self, TwilioError> {
        if !is_account_sid(&config.account_sid) {
            return Err(TwilioError::Config(
                "Account SID は AC と16進数32桁です".into(),
            ));
        }
        if !is_api_url(&config.base_url) {
            return Err(TwilioError::Config(
                "接続先は https:// で始めてください（http:// はこのコンピュータ上のテスト用のみ）"
                    .into(),
            ));
        }
        if config.from.trim().is_empty() {
            return Err(TwilioError::Config("送信元の電話番号がありません".into()));
        }
        if config
            .status_callback
            .as_deref()
            .is_some_and(|u| !is_http_url(u))
        {
            return Err(TwilioError::Config(
                "StatusCallback は http:// または https:// で始めてください".into(),
            ));
        }
        if config.timeout.is_zero() {
            return Err(TwilioError::Config(
                "タイムアウトは0より大きくしてください".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            // Never follow a redirect: it would be a misconfiguration, and re-POSTing a message
            // elsewhere could send it twice.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("daiko/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TwilioError::Config(error_chain(&e)))?;
        Ok(TwilioClient { config, http })
    }

    pub fn config(&self) -> &TwilioConfig {
        &self.config
    }

    /// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with `To`, `From`, `Body`.
    pub async fn send_sms(&self, to_e164: &str, body: &str) -> Result<TwilioSid, TwilioError> {
        self.create(Channel::Sms, "Messages.json", to_e164, ("Body", body))
            .await
    }

    /// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json` with `To`, `From` and inline `Twiml`.
    pub async fn start_call(&self, to_e164: &str, twiml: &str) -> Result<TwilioSid, TwilioError> {
        self.create(Channel::Voice, "Calls.json", to_e164, ("Twiml", twiml))
            .await
    }

    async fn create(
        &self,
        channel: Channel,
        resource: &str,
        to: &str,
        content: (&str, &str),
    ) -> Result<TwilioSid, TwilioError> {
        if !is_e164(to) {
            return Err(TwilioError::InvalidRecipient { channel });
        }
        let c = &self.config;
        let url = format!(
            "{}/{API_VERSION}/Accounts/{}/{resource}",
            c.base_url.trim_end_matches('/'),
            c.account_sid
        );
        let mut form = vec![("To", to), ("From", c.from.as_str()), content];
        if let Some(cb) = &c.status_callback {
            form.push(("StatusCallback", cb.as_str()));
        }
        let res = self
            .http
            .post(&url)
            .basic_auth(&c.account_sid, Some(c.auth_token.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| transport(channel, e))?;
        let status = res.status().as_u16();
        // The body is read under the same timeout, so a server that stalls mid-answer is a
        // transport error too.
        let body = res.bytes().await.map_err(|e| transport(channel, e))?;
        let result = interpret(channel, status, &body);
        // Only the SID is logged (to find the message in Twilio's console): never the body,
        // which holds the PIN. Errors are returned, and logged once by the caller.
        if let Ok(sid) = &result {
            tracing::info!(?channel, %sid, "Twilio accepted the request");
        }
        result
    }
}

#[derive(Deserialize)]
struct Created {
    sid: Option<String>,
    status: Option<String>,
}

/// Twilio's error body: `{"code": 21211, "message": "...", "more_info": "...", "status": 400}`.
#[derive(Deserialize)]
struct ApiError {
    code: Option<u32>,
    message: Option<String>,
}

/// Turns Twilio's status and body into a SID or a typed error.
fn interpret(channel: Channel, status: u16, body: &[u8]) -> Result<TwilioSid, TwilioError> {
    if (200..300).contains(&status) {
        let created: Created =
            serde_json::from_slice(body).map_err(|e| TwilioError::InvalidResponse {
                channel,
                status,
                detail: format!("JSONではありません: {e}"),
            })?;
        let sid = created
            .sid
            .as_deref()
            .and_then(TwilioSid::parse)
            .ok_or_else(|| TwilioError::InvalidResponse {
                channel,
                status,
                detail: format!("sid がありません: {:?}", created.sid),
            })?;
        tracing::debug!(%sid, status = ?created.status, "Twilio resource created");
        return Ok(sid);
    }
    let (code, message) = match serde_json::from_slice::<ApiError>(body) {
        Ok(e) => (e.code, e.message.unwrap_or_default()),
        // Proxies and outages answer in HTML or plain text; keep a little of it for the log.
        Err(_) => (
            None,
            String::from_utf8_lossy(body).chars().take(200).collect(),
        ),
    };
    Err(match status {
        401 | 403 => TwilioError::Auth {
            channel,
            status,
            code,
            message,
        },
        429 | 500..=599 => TwilioError::Unavailable {
            channel,
            status,
            code,
            message,
        },
        400..=499 => TwilioError::Rejected {
            channel,
            status,
            code,
            message,
        },
        _ => TwilioError::InvalidResponse {
            channel,
            status,
            detail: message,
        },
    })
}

fn transport(channel: Channel, e: reqwest::Error) -> TwilioError {
    let timed_out = e.is_timeout();
    TwilioError::Transport {
        channel,
        timed_out,
        // Without the URL: it only repeats the configuration.
        detail: error_chain(&e.without_url()),
    }
}

/// The error and its causes on one line (reqwest's own message is only the outermost).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// `+` then 2–15 digits, not starting with 0 (ITU-T E.164).
fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (2..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// `AC` + 32 hex digits; checked because it becomes part of the request path.
fn is_account_sid(s: &str) -> bool {
    s.strip_prefix("AC")
        .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_http_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The auth token travels in every request, so plain HTTP is allowed only to this machine
/// (the tests' fake).
fn is_api_url(s: &str) -> bool {
    if s.starts_with("https://") {
        return true;
    }
    let Some(rest) = s.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split('/').next().unwrap_or("");
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host_port,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_machine() {
        assert!(is_api_url("https://api.twilio.com"));
        assert!(is_api_url("http://127.0.0.1:4010"));
        assert!(is_api_url("http://localhost:4010/"));
        assert!(is_api_url("http://[::1]:80"));
        assert!(!is_api_url("http://api.twilio.com"));
        assert!(!is_api_url("http://127.0.0.1.evil.example:80"));
        assert!(!is_api_url("ftp://127.0.0.1"));
    }

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+819012345678"));
        assert!(!is_e164("09012345678"));
        assert!(!is_e164("+0901234"));
        assert!(!is_e164("+81 90 1234 5678"));
        assert!(!is_e164("+1234567890123456"));
    }

    #[test]
    fn statuses_map_to_typed_errors() {
        let body = br#"{"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}"#;
        assert_eq!(
            interpret(Channel::Sms, 400, body),
            Err(TwilioError::Rejected {
                channel: Channel::Sms,
                status: 400,
                code: Some(21211),
                message: "Invalid 'To' Phone Number".into()
            })
        );
        assert!(matches!(
            interpret(Channel::Sms, 401, b"{}"),
            Err(TwilioError::Auth { code: None, .. })
        ));
        assert!(matches!(
            interpret(Channel::Voice, 429, b""),
            Err(TwilioError::Unavailable { status: 429, .. })
        ));
        assert!(matches!(
            interpret(Channel::Voice, 502, b"<html>Bad Gateway</html>"),
            Err(TwilioError::Unavailable { status: 502, code: None, ref message, .. })
                if message.contains("Bad Gateway")
        ));
        assert!(matches!(
            interpret(Channel::Sms, 302, b""),
            Err(TwilioError::InvalidResponse { status: 302, .. })
        ));
    }

    #[test]
    fn success_needs_a_valid_sid() {
        let sid = "SM0123456789abcdef0123456789abcdef";
        let ok = format!(r#"{{"sid": "{sid}", "status": "queued"}}"#);
        assert_eq!(
            interpret(Channel::Sms, 201, ok.as_bytes()).map(|s| s.to_string()),
            Ok(sid.to_string())
        );
        for bad in [
            r#"{"status": "queued"}"#,
            r#"{"sid": "SM../x"}"#,
            "not json",
        ] {
            assert!(matches!(
                interpret(Channel::Sms, 201, bad.as_bytes()),
                Err(TwilioError::InvalidResponse { .. })
            ));
        }
    }

    #[test]
    fn errors_speak_japanese() {
        let e = TwilioError::Unavailable {
            channel: Channel::Sms,
            status: 503,
            code: None,
            message: String::new(),
        };
        assert!(e.to_string().starts_with("SMSの送信に失敗しました"));
        let e = TwilioError::InvalidRecipient {
            channel: Channel::Voice,
        };
        assert!(e.to_string().starts_with("音声通話の発信に失敗しました"));
    }
}
