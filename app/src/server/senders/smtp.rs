//! Mail delivery over SMTP (SPEC R1 and R3: confirmation and PIN mails). One connection per
//! message through lettre over rustls (ring, webpki roots; no OpenSSL). The queue retries
//! failures, so this client only reports them, with the relay's words and never the password.
use crate::server::entities::outgoing_messages as om;
use crate::server::senders::{SendError, SendFuture, Sender};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::time::Duration;

/// For the whole SMTP conversation, not only the connect: lettre's tokio transport has no
/// read timeout, and a relay that accepts and then stalls would hold a queue worker forever.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text; for a relay on the same host or a test sink.
    None,
    /// Plain connect, then `STARTTLS`, which must succeed (no silent downgrade).
    StartTls,
    /// TLS from the first byte ("implicit TLS", submissions port 465).
    Tls,
}

impl TlsMode {
    fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(TlsMode::None),
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// The SMTP password. Not `Serialize` and redacted in `Debug`, so it cannot reach a log by
/// accident.
#[derive(Clone)]
pub struct SmtpPassword(SecretString);

impl SmtpPassword {
    pub fn new(password: impl Into<String>) -> Self {
        SmtpPassword(SecretString::from(password.into()))
    }

    fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SmtpPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SmtpPassword(<redacted>)")
    }
}

#[derive(Clone, Debug)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Both or neither of username and password (checked by [`SmtpConfig::from_lookup`]).
    pub username: Option<String>,
    pub password: Option<SmtpPassword>,
    /// The From header, e.g. `環境保全研究所の代行システム <no-reply@example.jp>`; also the
    /// envelope sender and the domain of the Message-ID.
    pub from: Mailbox,
    pub timeout: Duration,
}

fn config_error(name: &str, reason: &str) -> String {
    format!("環境変数 {name} の値が正しくありません: {reason}")
}

impl SmtpConfig {
    pub fn from_env() -> Result<Option<Self>, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// `Ok(None)` when `DAIKO_SMTP_HOST` is unset: mail is then not sent over SMTP. Empty
    /// values count as unset, as in [`crate::server::config::Config`].
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, String> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let Some(host) = get("DAIKO_SMTP_HOST") else {
            return Ok(None);
        };
        let host = host.trim().to_string();
        let tls = match get("DAIKO_SMTP_TLS") {
            None => TlsMode::StartTls,
            Some(v) => TlsMode::parse(&v).ok_or_else(|| {
                config_error(
                    "DAIKO_SMTP_TLS",
                    &format!("none、starttls、tls のいずれかを指定してください（{v:?}）"),
                )
            })?,
        };
        let port = match get("DAIKO_SMTP_PORT") {
            None => tls.default_port(),
            Some(v) => match v.trim().parse::<u16>() {
                Ok(p) if p > 0 => p,
                _ => {
                    return Err(config_error(
                        "DAIKO_SMTP_PORT",
                        &format!("1〜65535 の数値を指定してください（{v:?}）"),
                    ))
                }
            },
        };
        let username = get("DAIKO_SMTP_USERNAME");
        // The password itself is never echoed in an error.
        let password = get("DAIKO_SMTP_PASSWORD").map(SmtpPassword::new);
        match (&username, &password) {
            (Some(_), None) => {
                return Err(config_error(
                    "DAIKO_SMTP_PASSWORD",
                    "DAIKO_SMTP_USERNAME を指定した場合は必須です",
                ))
            }
            (None, Some(_)) => {
                return Err(config_error(
                    "DAIKO_SMTP_USERNAME",
                    "DAIKO_SMTP_PASSWORD を指定した場合は必須です",
                ))
            }
            _ => {}
        }
        let from = match get("DAIKO_SMTP_FROM") {
            None => {
                return Err(config_error(
                    "DAIKO_SMTP_FROM",
                    "DAIKO_SMTP_HOST を指定した場合は必須です（例: 環境保全研究所の代行システム <no-reply@example.jp>）",
                ))
            }
            Some(v) => v.trim().parse::<Mailbox>().map_err(|_| {
                config_error(
                    "DAIKO_SMTP_FROM",
                    &format!("「表示名 <アドレス>」の形式で指定してください（{v:?}）"),
                )
            })?,
        };
        Ok(Some(SmtpConfig {
            host,
            port,
            tls,
            username,
            password,
            from,
            timeout: DEFAULT_TIMEOUT,
        }))
    }
}

pub struct SmtpSender {
    config: SmtpConfig,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the config (password redacted); lettre's transport would print its internals.
        f.debug_struct("SmtpSender")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl SmtpSender {
    pub fn new(config: SmtpConfig) -> Result<Self, String> {
        let tls_parameters = || {
            TlsParameters::new(config.host.clone())
                .map_err(|e| format!("SMTPのTLS設定を作成できません（{}）: {e}", config.host))
        };
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls => Tls::Required(tls_parameters()?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters()?),
        };
        // `builder_dangerous` only means "no TLS preset": TLS is set just above.
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            if config.tls == TlsMode::None && !is_loopback(&config.host) {
                tracing::warn!(
                    host = %config.host,
                    "SMTP credentials are sent without TLS (DAIKO_SMTP_TLS=none)"
                );
            }
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        let transport = builder.build();
        Ok(SmtpSender { config, transport })
    }

    pub fn config(&self) -> &SmtpConfig {
        &self.config
    }

    /// The mail for one queued row: plain UTF-8 text; lettre encodes the Japanese subject and
    /// display name (RFC 2047) and picks the body's transfer encoding.
    fn message(&self, m: &om::Model, message_id: &str) -> Result<Message, SendError> {
        let to: Address = m.recipient.trim().parse().map_err(|e| {
            SendError(format!(
                "メールの宛先が正しくありません（{:?}）: {e}",
                m.recipient
            ))
        })?;
        Message::builder()
            .from(self.config.from.clone())
            .to(Mailbox::new(None, to))
            .subject(m.subject.clone())
            .message_id(Some(message_id.to_string()))
            // RFC 3834: stops vacation auto-replies to a no-reply address.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".into(),
            ))
            // A single MIME part rather than `.body()`: only this adds `MIME-Version: 1.0`,
            // without which a client may show the base64 body as it is.
            .singlepart(SinglePart::plain(m.body.clone()))
            .map_err(|e| SendError(format!("メールを作成できません: {e}")))
    }

    /// The same for every attempt of one row, so a receiver can drop the duplicate when a
    /// retry follows a send whose answer was lost; the creation time keeps ids unique across
    /// databases that reuse row numbers.
    fn message_id(&self, m: &om::Model) -> String {
        format!(
            "<daiko.{}.{}@{}>",
            m.id,
            m.created_at.timestamp_micros(),
            self.config.from.email.domain()
        )
    }

    /// An error for the queue's log and `last_error`. lettre's errors carry the server's
    /// reply, not what we sent; the password is still scrubbed in case a server echoes it.
    fn error(&self, what: &str, detail: &str) -> SendError {
        let mut detail = detail.to_string();
        if let Some(p) = &self.config.password {
            if !p.expose().is_empty() {
                detail = detail.replace(p.expose(), "<redacted>");
            }
        }
        SendError(format!(
            "SMTP送信に失敗しました（{}:{}、{what}）: {detail}",
            self.config.host, self.config.port
        ))
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Sender for SmtpSender {
    /// Returns the Message-ID and the relay's answer to the data, e.g.
    /// `<daiko.7.…@example.jp> 250 2.0.0 Ok: queued as 4Xyz`: the first matches bounces, the
    /// second the relay's log.
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move {
            let message_id = self.message_id(m);
            let message = self.message(m, &message_id)?;
            let response =
                match tokio::time::timeout(self.config.timeout, self.transport.send(message)).await
                {
                    Err(_) => {
                        return Err(self.error(
                            "タイムアウト",
                            &format!(
                                "{}秒以内に完了しませんでした",
                                self.config.timeout.as_secs()
                            ),
                        ))
                    }
                    Ok(Err(e)) => {
                        let what = if e.is_permanent() {
                            "拒否"
                        } else if e.is_transient() {
                            "一時的なエラー"
                        } else if e.is_timeout() {
                            "タイムアウト"
                        } else if e.is_tls() {
                            "TLSエラー"
                        } else {
                            "接続エラー"
                        };
                        return Err(self.error(what, &e.to_string()));
                    }
                    Ok(Ok(r)) => r,
                };
            let answer = format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            );
            tracing::info!(id = m.id, message_id = %message_id, relay = %answer, "mail sent");
            Ok(Some(format!("{message_id} {answer}")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const FROM: &str = "環境保全研究所の代行システム <no-reply@example.jp>";

    fn cfg(pairs: &[(&str, &str)]) -> Result<Option<SmtpConfig>, String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SmtpConfig::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn unset_host_means_not_configured() {
        assert!(cfg(&[]).unwrap().is_none());
        assert!(cfg(&[("DAIKO_SMTP_HOST", " "), ("DAIKO_SMTP_FROM", FROM)])
            .unwrap()
            .is_none());
    }

    #[test]
    fn defaults_are_starttls_on_587() {
        let c = cfg(&[
            ("DAIKO_SMTP_HOST", "smtp.example.jp"),
            ("DAIKO_SMTP_FROM", FROM),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.tls, TlsMode::StartTls);
        assert_eq!(c.port, 587);
        assert_eq!(c.timeout, Duration::from_secs(10));
        assert!(c.username.is_none() && c.password.is_none());
        assert_eq!(c.from.name.as_deref(), Some("環境保全研究所の代行システム"));
        assert_eq!(c.from.email.to_string(), "no-reply@example.jp");
    }

    #[test]
    fn port_follows_the_tls_mode_unless_given() {
        let port = |tls: &str, port: Option<&str>| {
            let mut pairs = vec![
                ("DAIKO_SMTP_HOST", "smtp.example.jp"),
                ("DAIKO_SMTP_FROM", FROM),
                ("DAIKO_SMTP_TLS", tls),
            ];
            if let Some(p) = port {
                pairs.push(("DAIKO_SMTP_PORT", p));
            }
            cfg(&pairs).unwrap().unwrap().port
        };
        assert_eq!(port("tls", None), 465);
        assert_eq!(port("none", None), 25);
        assert_eq!(port("STARTTLS", None), 587);
        assert_eq!(port("none", Some("2525")), 2525);
    }

    #[test]
    fn errors_name_the_variable_and_never_the_password() {
        let host = ("DAIKO_SMTP_HOST", "smtp.example.jp");
        let from = ("DAIKO_SMTP_FROM", FROM);
        let e = cfg(&[host]).unwrap_err();
        assert!(e.contains("DAIKO_SMTP_FROM"), "{e}");
        let e = cfg(&[host, from, ("DAIKO_SMTP_TLS", "ssl")]).unwrap_err();
        assert!(e.contains("DAIKO_SMTP_TLS"), "{e}");
        for p in ["0", "70000", "abc"] {
            let e = cfg(&[host, from, ("DAIKO_SMTP_PORT", p)]).unwrap_err();
            assert!(e.contains("DAIKO_SMTP_PORT"), "{e}");
        }
        let e = cfg(&[host, ("DAIKO_SMTP_FROM", "not an address")]).unwrap_err();
        assert!(e.contains("DAIKO_SMTP_FROM"), "{e}");
        let e = cfg(&[host, from, ("DAIKO_SMTP_PASSWORD", "hunter2-secret")]).unwrap_err();
        assert!(e.contains("DAIKO_SMTP_USERNAME"), "{e}");
        assert!(!e.contains("hunter2-secret"), "{e}");
        let e = cfg(&[host, from, ("DAIKO_SMTP_USERNAME", "daiko")]).unwrap_err();
        assert!(e.contains("DAIKO_SMTP_PASSWORD"), "{e}");
    }

    #[test]
    fn the_password_is_redacted_in_debug() {
        let c = cfg(&[
            ("DAIKO_SMTP_HOST", "smtp.example.jp"),
            ("DAIKO_SMTP_FROM", FROM),
            ("DAIKO_SMTP_USERNAME", "daiko"),
            ("DAIKO_SMTP_PASSWORD", "hunter2-secret"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.username.as_deref(), Some("daiko"));
        let sender = SmtpSender::new(c.clone()).unwrap();
        for shown in [format!("{c:?}"), format!("{sender:?}")] {
            assert!(!shown.contains("hunter2-secret"), "{shown}");
            assert!(shown.contains("SmtpPassword(<redacted>)"), "{shown}");
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("[::1]"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("smtp.example.jp"));
    }
}
