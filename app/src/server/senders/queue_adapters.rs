//! The queue's [`Sender`]s for SMS and voice over Twilio, the choice of senders from the
//! configuration, and a sender for channels that are not configured (its failure is shown
//! on the PIN page, which then offers the other channels).
use super::twilio::{AuthToken, TwilioClient, TwilioConfig};
use crate::server::entities::outgoing_messages as om;
use crate::server::senders::{SendError, SendFuture, Sender, Senders};
use std::sync::Arc;

pub struct TwilioSms(pub Arc<TwilioClient>);
pub struct TwilioVoice(pub Arc<TwilioClient>);

impl Sender for TwilioSms {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move {
            self.0
                .send_sms(&m.recipient, &m.body)
                .await
                .map(|sid| Some(sid.to_string()))
                .map_err(|e| SendError(e.to_string()))
        })
    }
}

impl Sender for TwilioVoice {
    fn send<'a>(&'a self, m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move {
            self.0
                .start_call(&m.recipient, &m.body)
                .await
                .map(|sid| Some(sid.to_string()))
                .map_err(|e| SendError(e.to_string()))
        })
    }
}

pub struct NotConfigured(pub &'static str);

impl Sender for NotConfigured {
    fn send<'a>(&'a self, _m: &'a om::Model) -> SendFuture<'a> {
        Box::pin(async move { self.ready().map(|_| None) })
    }

    fn ready(&self) -> Result<(), SendError> {
        Err(SendError(format!("{}の送信設定がありません", self.0)))
    }
}

/// Twilio settings: `DAIKO_TWILIO_ACCOUNT_SID`, `DAIKO_TWILIO_AUTH_TOKEN`, `DAIKO_TWILIO_FROM`,
/// optional `DAIKO_TWILIO_BASE_URL`. Delivery reports come back to
/// `{DAIKO_PUBLIC_URL}/api/twilio/status`. `Ok(None)` when no SID is set.
pub fn twilio_from_lookup(
    get: &impl Fn(&str) -> Option<String>,
    public_url: &str,
) -> Result<Option<TwilioClient>, String> {
    let Some(sid) = get("DAIKO_TWILIO_ACCOUNT_SID").filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let token = get("DAIKO_TWILIO_AUTH_TOKEN")
        .filter(|v| !v.is_empty())
        .ok_or("DAIKO_TWILIO_AUTH_TOKEN が未設定です")?;
    let from = get("DAIKO_TWILIO_FROM")
        .filter(|v| !v.is_empty())
        .ok_or("DAIKO_TWILIO_FROM が未設定です")?;
    let mut cfg = TwilioConfig::new(sid.trim(), AuthToken::new(token), from.trim());
    if let Some(base) = get("DAIKO_TWILIO_BASE_URL").filter(|v| !v.trim().is_empty()) {
        cfg.base_url = base.trim().trim_end_matches('/').to_string();
    }
    cfg.status_callback = Some(status_callback_url(public_url));
    TwilioClient::new(cfg)
        .map(Some)
        .map_err(|e| format!("Twilio の設定: {e}"))
}

pub fn status_callback_url(public_url: &str) -> String {
    format!("{}/api/twilio/status", public_url.trim_end_matches('/'))
}

/// Senders for `serve`: the outbox in development, otherwise SMTP for mail and Twilio for
/// SMS and voice; a channel without settings fails visibly instead of dropping messages.
pub fn senders_from_parts(
    mail: Option<Arc<dyn Sender>>,
    twilio: Option<Arc<TwilioClient>>,
) -> Senders {
    let (sms, voice): (Arc<dyn Sender>, Arc<dyn Sender>) = match twilio {
        Some(t) => (Arc::new(TwilioSms(t.clone())), Arc::new(TwilioVoice(t))),
        None => (
            Arc::new(NotConfigured("SMS")),
            Arc::new(NotConfigured("音声通話")),
        ),
    };
    Senders {
        mail: mail.unwrap_or_else(|| Arc::new(NotConfigured("メール"))),
        sms,
        voice,
        outbox: None,
    }
}

/// The senders `serve` uses, from the environment, and Twilio's auth token for checking its
/// delivery reports. Development (`DAIKO_DEV_OUTBOX=1`): everything goes to the outbox.
/// Otherwise SMTP is required (R1: the login e-mail is proven by mail); Twilio is optional,
/// and without it SMS and voice fail visibly on the PIN page.
pub fn from_lookup(
    get: &impl Fn(&str) -> Option<String>,
    config: &crate::server::config::Config,
) -> Result<(Senders, Option<Arc<str>>), String> {
    if config.dev_outbox {
        return Ok((Senders::outbox(), None));
    }
    let smtp = super::smtp::SmtpConfig::from_lookup(get)?
        .ok_or("メール送信の設定（DAIKO_SMTP_HOST など）がありません。開発環境では DAIKO_DEV_OUTBOX=1 を設定してください。")?;
    let mail: Arc<dyn Sender> = Arc::new(super::smtp::SmtpSender::new(smtp)?);
    let twilio = twilio_from_lookup(get, &config.public_url)?.map(Arc::new);
    let token = twilio
        .as_ref()
        .map(|t| Arc::<str>::from(t.config().auth_token.expose()));
    Ok((senders_from_parts(Some(mail), twilio), token))
}
