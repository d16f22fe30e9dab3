//! Configuration from environment variables, each with a documented default (see
//! `.env.example` and the README). Secrets are never printed.
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: SQLite file by default; `postgres://…` in production.
    pub database_url: String,
    /// `DAIKO_PUBLIC_URL`: the address users type; `https://` turns on Secure cookies.
    pub public_url: String,
    /// `DAIKO_SESSION_HOURS`: absolute lifetime of a login session.
    pub session_ttl: Duration,
    /// `DAIKO_SESSION_IDLE_MINUTES`: a session unused for this long ends (ASVS 3.3.2).
    pub session_idle: Duration,
    /// `DAIKO_LOGIN_FAILURE_LIMIT`: failed logins allowed per account per hour (ASVS 2.2.1).
    pub login_failure_limit: u64,
    /// `DAIKO_ARGON2_CONCURRENCY`: password hashes computed at once (each takes 19 MiB).
    pub argon2_concurrency: usize,
    /// `DAIKO_DB_MAX_CONNECTIONS`: connection pool size.
    pub db_max_connections: u32,
    /// `DAIKO_SECRET`: key for PIN hashes; the same in every server process.
    pub secret: Secret,
    /// PIN rules (SPEC R3); the defaults are the specification's.
    pub pin: super::pin::PinPolicy,
    /// `DAIKO_DEV_OUTBOX`: deliver every message to the development outbox (shown at
    /// /dev/outbox) instead of SMTP / Twilio.
    pub dev_outbox: bool,
    /// `DAIKO_TEST_CLOCK`: mount `POST /api/test/clock` (end-to-end tests only).
    pub test_clock: bool,
}

/// A secret value: usable as `&str`, never printed, wiped from memory when dropped
/// (`secrecy`).
#[derive(Clone)]
pub struct Secret(secrecy::SecretString);

impl Secret {
    fn new(s: String) -> Self {
        Secret(s.into())
    }
}

impl std::ops::Deref for Secret {
    type Target = str;
    fn deref(&self) -> &str {
        secrecy::ExposeSecret::expose_secret(&self.0)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
impl Eq for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Used when `DAIKO_SECRET` is unset: fine on a developer's machine, refused behind https.
pub const DEV_SECRET: &str = "daiko-development-secret-do-not-use-in-production";

#[derive(Debug, thiserror::Error)]
#[error("環境変数 {name} の値が正しくありません: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub reason: String,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/daiko.sqlite?mode=rwc";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        fn num<T: std::str::FromStr>(
            get: &impl Fn(&str) -> Option<String>,
            name: &'static str,
            default: T,
        ) -> Result<T, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(v) if v.trim().is_empty() => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| ConfigError {
                    name,
                    reason: format!("数値を指定してください（{v:?}）"),
                }),
            }
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let hours: u64 = num(&get, "DAIKO_SESSION_HOURS", 12)?;
        if hours == 0 {
            return Err(ConfigError {
                name: "DAIKO_SESSION_HOURS",
                reason: "1以上".into(),
            });
        }
        let idle_minutes: u64 = num(&get, "DAIKO_SESSION_IDLE_MINUTES", 120)?;
        if idle_minutes == 0 {
            return Err(ConfigError {
                name: "DAIKO_SESSION_IDLE_MINUTES",
                reason: "1以上".into(),
            });
        }
        // By default the address the server listens on, so a development server on another
        // port still accepts its own pages' POSTs (the Origin check compares with this).
        let public_url = get("DAIKO_PUBLIC_URL")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| {
                let addr = get("LEPTOS_SITE_ADDR").filter(|v| !v.trim().is_empty());
                format!(
                    "http://{}",
                    addr.as_deref().unwrap_or("127.0.0.1:3000").trim()
                )
            });
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError {
                name: "DAIKO_PUBLIC_URL",
                reason: "http:// または https:// で始めてください".into(),
            });
        }
        let secret = match get("DAIKO_SECRET").filter(|v| !v.trim().is_empty()) {
            Some(v) if v.len() < 32 => {
                return Err(ConfigError {
                    name: "DAIKO_SECRET",
                    reason: "32文字以上のランダムな値にしてください".into(),
                })
            }
            Some(v) => Secret::new(v),
            None if public_url.starts_with("https://") => {
                return Err(ConfigError {
                    name: "DAIKO_SECRET",
                    reason: "本番環境（https）では必須です".into(),
                })
            }
            None => Secret::new(DEV_SECRET.into()),
        };
        let switch = |name: &str| {
            matches!(
                get(name).as_deref().map(str::trim),
                Some("1" | "true" | "yes")
            )
        };
        let (test_clock, dev_outbox) = (switch("DAIKO_TEST_CLOCK"), switch("DAIKO_DEV_OUTBOX"));
        // Behind https the server is production: a forgotten development switch would let
        // anyone move the clock or read every PIN at /dev/outbox, so it refuses to start.
        if public_url.starts_with("https://") {
            for (on, name) in [
                (dev_outbox, "DAIKO_DEV_OUTBOX"),
                (test_clock, "DAIKO_TEST_CLOCK"),
            ] {
                if on {
                    return Err(ConfigError {
                        name,
                        reason: "本番環境（DAIKO_PUBLIC_URL が https://）では使えません。この設定を外してください".into(),
                    });
                }
            }
        }
        Ok(Config {
            database_url: get("DATABASE_URL")
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            public_url,
            session_ttl: Duration::from_secs(hours * 3600),
            session_idle: Duration::from_secs(idle_minutes * 60),
            login_failure_limit: num(&get, "DAIKO_LOGIN_FAILURE_LIMIT", 100)?,
            argon2_concurrency: num(&get, "DAIKO_ARGON2_CONCURRENCY", cores)?.max(1),
            db_max_connections: num(&get, "DAIKO_DB_MAX_CONNECTIONS", 10)?.max(1),
            secret,
            pin: {
                let pin = super::pin::PinPolicy::default();
                super::pin::PinPolicy {
                    client_requests_per_hour: num(
                        &get,
                        "DAIKO_PIN_CLIENT_LIMIT",
                        pin.client_requests_per_hour,
                    )?,
                    ..pin
                }
            },
            test_clock,
            dev_outbox,
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of `DAIKO_PUBLIC_URL`, lowercase, without a default port, as a
    /// browser writes it in the `Origin` header.
    pub fn public_origin(&self) -> String {
        origin_of(&self.public_url)
    }
}

/// The origin of an absolute http(s) URL as browsers serialise it: lowercase scheme and host,
/// the port only when it is not the scheme's default, no path.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // userinfo never belongs to an origin
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let mut hp = host_port.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    if !default.is_empty() && hp.ends_with(default) {
        hp.truncate(hp.len() - default.len());
    }
    format!("{scheme}://{hp}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.login_failure_limit, 100);
        assert_eq!(c.pin.client_requests_per_hour, 30);
        assert_eq!(c.session_ttl, Duration::from_secs(12 * 3600));
        assert_eq!(c.session_idle, Duration::from_secs(120 * 60));
        assert_eq!(c.public_origin(), "http://127.0.0.1:3000");
        let c = cfg(&[("LEPTOS_SITE_ADDR", "127.0.0.1:3297")]).unwrap();
        assert_eq!(
            c.public_origin(),
            "http://127.0.0.1:3297",
            "follows the listen address"
        );
        assert!(!c.secure_cookies());
    }

    #[test]
    fn https_means_secure_cookies_and_a_real_secret() {
        let https = ("DAIKO_PUBLIC_URL", "https://daiko.example.jp");
        let secret = ("DAIKO_SECRET", "0123456789abcdef0123456789abcdef");
        let c = cfg(&[https, secret]).unwrap();
        assert!(c.secure_cookies());
        assert_eq!(format!("{:?}", c.secret), "Secret(<redacted>)");
        assert_eq!(cfg(&[https]).unwrap_err().name, "DAIKO_SECRET");
        assert_eq!(
            cfg(&[("DAIKO_SECRET", "short")]).unwrap_err().name,
            "DAIKO_SECRET"
        );
    }

    #[test]
    fn pin_client_limit_is_configurable() {
        let c = cfg(&[("DAIKO_PIN_CLIENT_LIMIT", "5000")]).unwrap();
        assert_eq!(c.pin.client_requests_per_hour, 5000);
        assert_eq!(
            c.pin.phone_messages_per_day, 5,
            "the other rules keep their defaults"
        );
        let e = cfg(&[("DAIKO_PIN_CLIENT_LIMIT", "many")]).unwrap_err();
        assert_eq!(e.name, "DAIKO_PIN_CLIENT_LIMIT");
    }

    #[test]
    fn production_refuses_development_switches() {
        let https = ("DAIKO_PUBLIC_URL", "https://daiko.example.jp");
        let secret = ("DAIKO_SECRET", "0123456789abcdef0123456789abcdef");
        for name in ["DAIKO_DEV_OUTBOX", "DAIKO_TEST_CLOCK"] {
            let e = cfg(&[https, secret, (name, "1")]).unwrap_err();
            assert_eq!(e.name, name);
            let msg = e.to_string();
            assert!(msg.contains(name) && msg.contains("本番環境"), "{msg}");
            // Off, or over plain http (development), they are accepted.
            assert!(cfg(&[https, secret, (name, "0")]).is_ok());
            let dev = cfg(&[(name, "1")]).unwrap();
            assert!(dev.dev_outbox || dev.test_clock);
        }
    }

    #[test]
    fn idle_timeout_is_configurable() {
        let c = cfg(&[("DAIKO_SESSION_IDLE_MINUTES", "15")]).unwrap();
        assert_eq!(c.session_idle, Duration::from_secs(15 * 60));
        for bad in ["0", "soon"] {
            let e = cfg(&[("DAIKO_SESSION_IDLE_MINUTES", bad)]).unwrap_err();
            assert_eq!(e.name, "DAIKO_SESSION_IDLE_MINUTES");
        }
    }

    #[test]
    fn origins_as_browsers_write_them() {
        assert_eq!(
            origin_of("https://Daiko.example.jp/"),
            "https://daiko.example.jp"
        );
        assert_eq!(
            origin_of("https://daiko.example.jp:443/x"),
            "https://daiko.example.jp"
        );
        assert_eq!(origin_of("http://127.0.0.1:3197"), "http://127.0.0.1:3197");
        assert_eq!(origin_of("http://a.example:80?q"), "http://a.example");
        assert_ne!(
            origin_of("http://a.example"),
            origin_of("https://a.example")
        );
    }

    #[test]
    fn bad_numbers_are_named() {
        let e = cfg(&[("DAIKO_SESSION_HOURS", "twelve")]).unwrap_err();
        assert_eq!(e.name, "DAIKO_SESSION_HOURS");
    }
}
