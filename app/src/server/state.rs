//! Shared server state, given to axum and to every server function as context.
use super::{clock::Clock, config::Config, password::Passwords, senders::Senders};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Config,
    pub passwords: Passwords,
    pub clock: Clock,
    pub senders: Senders,
    /// Twilio's auth token, to check the signature of delivery reports (None: no Twilio).
    pub twilio_token: Option<std::sync::Arc<str>>,
    pub leptos_options: LeptosOptions,
    /// The background check of the audit hash chain (its last result for the 監査ログ screen).
    pub audit_check: std::sync::Arc<super::audit_check::AuditCheck>,
}

impl AppState {
    /// The key that seals secrets at rest, derived from `DAIKO_SECRET`.
    pub fn seal_key(&self) -> super::seal::SealKey {
        super::seal::SealKey::from_secret(&self.config.secret)
    }

    /// A keyed hash under `DAIKO_SECRET` (see `server::keyed`).
    pub fn keyed(&self, domain: &str, value: &str) -> String {
        super::keyed::keyed_hex(&self.config.secret, domain, &[value.as_bytes()])
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
