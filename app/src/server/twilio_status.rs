//! `POST /api/twilio/status`: Twilio's delivery reports for SMS and calls. Each request is
//! checked against `X-Twilio-Signature` (HMAC-SHA1 of the URL and the sorted parameters,
//! keyed with the auth token) before it may change a message's status.
use super::entities::outgoing_messages as om;
use super::state::AppState;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// Twilio's request signature: base64(HMAC-SHA1(token, url + k1 + v1 + k2 + v2 …)), keys sorted.
pub fn signature(token: &str, url: &str, params: &BTreeMap<String, String>) -> String {
    let mut data = url.to_string();
    for (k, v) in params {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(token.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Maps Twilio's MessageStatus / CallStatus onto ours; interim states change nothing.
/// (`undelivered` is not the queue's `failed`: the message was handed over, and what became
/// of it is known only for a real destination, so the public PIN page does not show it.)
pub fn outcome(params: &BTreeMap<String, String>) -> Option<om::Status> {
    let s = params
        .get("MessageStatus")
        .or_else(|| params.get("CallStatus"))?;
    match s.as_str() {
        "delivered" | "completed" => Some(om::Status::Delivered),
        "undelivered" | "failed" | "busy" | "no-answer" | "canceled" => {
            Some(om::Status::Undelivered)
        }
        _ => None,
    }
}

pub async fn handle(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(params): Form<BTreeMap<String, String>>,
) -> StatusCode {
    let Some(token) = st.twilio_token.as_deref() else {
        return StatusCode::NOT_FOUND;
    };
    let url = super::senders::queue_adapters::status_callback_url(&st.config.public_url);
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = signature(token, &url, &params);
    if !super::pin::same_pin(given, &expected) {
        tracing::warn!("Twilio status callback with a bad signature");
        return StatusCode::FORBIDDEN;
    }
    let Some(sid) = params.get("MessageSid").or_else(|| params.get("CallSid")) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(status) = outcome(&params) else {
        return StatusCode::NO_CONTENT;
    };
    let now = st.clock.now();
    let r = om::Entity::update_many()
        .set(om::ActiveModel {
            status: Set(status),
            updated_at: Set(now),
            last_error: Set(params.get("ErrorCode").map(|c| format!("Twilio error {c}"))),
            ..Default::default()
        })
        .filter(om::Column::ProviderId.eq(sid.as_str()))
        // A report settles a handed-over message once: a replayed (or late, contradicting)
        // report matches no row and changes nothing.
        .filter(om::Column::Status.eq(om::Status::Sent))
        .exec(&st.db)
        .await;
    let action = if status == om::Status::Delivered {
        "message_delivered"
    } else {
        "message_undelivered"
    };
    let detail = serde_json::json!({ "provider_id": sid, "error_code": params.get("ErrorCode") });
    let r = match r {
        Ok(done) if done.rows_affected == 0 => Ok(()),
        Ok(_) => super::audit::append(&st.db, now, super::audit::Entry::new(action).detail(detail))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(e) => {
            tracing::error!(error = %e, "status callback");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example from Twilio's security documentation.
    #[test]
    fn signature_matches_twilios_published_example() {
        let params: BTreeMap<String, String> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sig = signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
        );
        assert_eq!(sig, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    }

    #[test]
    fn statuses_map() {
        let p = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
        assert_eq!(
            outcome(&p("MessageStatus", "delivered")),
            Some(om::Status::Delivered)
        );
        assert_eq!(
            outcome(&p("MessageStatus", "undelivered")),
            Some(om::Status::Undelivered)
        );
        assert_eq!(
            outcome(&p("CallStatus", "no-answer")),
            Some(om::Status::Undelivered)
        );
        assert_eq!(outcome(&p("MessageStatus", "sent")), None);
    }
}
