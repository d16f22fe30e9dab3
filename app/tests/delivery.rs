//! Delivery through the queue to a Twilio-compatible server that checks every request
//! against Twilio's published contract, and Twilio's signed delivery reports coming back.
#![cfg(feature = "ssr")]
mod common;
#[path = "common/fake_twilio.rs"]
mod fake_twilio;

use app::server::entities::outgoing_messages as om;
use app::server::queue;
use common::{challenge, Backend, TestApp};
use fake_twilio::{FakeTwilio, ACCOUNT_SID, AUTH_TOKEN};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn app_with_twilio(fake: &FakeTwilio) -> TestApp {
    common::with_twilio(
        Backend::Sqlite,
        &fake.base_url,
        ACCOUNT_SID,
        AUTH_TOKEN,
        |_| {},
    )
    .await
}

async fn deliver(app: &TestApp) {
    let st = app.state();
    queue::deliver_due(&st, 10).await.unwrap();
}

/// The queue's status of the message Twilio knows as `sid`.
async fn status_of(app: &TestApp, sid: &str) -> om::Status {
    om::Entity::find()
        .filter(om::Column::ProviderId.eq(sid))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the message")
        .status
}

async fn delivery_of(app: &TestApp, id: &str) -> String {
    let s: serde_json::Value = app
        .get(&format!("/api/recovery/status?id={id}"), None)
        .await
        .json()
        .await
        .unwrap();
    s["delivery"].as_str().unwrap().to_string()
}

async fn report(app: &TestApp, params: &[(&str, &str)], token: &str) -> reqwest::StatusCode {
    common::twilio_report(app, params, token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_and_voice_go_through_twilio_and_reports_come_back_signed() {
    let fake = FakeTwilio::start().await;
    let app = app_with_twilio(&fake).await;

    let id = challenge(&app, "10000050", "sms", "090-5555-0150").await;
    deliver(&app).await;
    let sms = fake
        .accepted()
        .into_iter()
        .last()
        .expect("an SMS reached Twilio");
    assert_eq!(sms.field("To"), Some("+819055550150"));
    let body = sms.field("Body").unwrap().to_string();
    let pin: String = body.split('「').nth(1).unwrap().chars().take(6).collect();
    assert!(sms
        .field("StatusCallback")
        .unwrap()
        .ends_with("/api/twilio/status"));

    let m = om::Entity::find()
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sid = m.provider_id.clone().expect("Twilio's SID is kept");
    assert!(sid.starts_with("SM"));
    assert_eq!(
        delivery_of(&app, &id).await,
        "Sent",
        "handed over to Twilio"
    );

    // A forged report changes nothing; a signed one marks the message delivered — in the
    // table, not on the public PIN page (a decoy could not show it).
    let forged = report(
        &app,
        &[("MessageSid", &sid), ("MessageStatus", "failed")],
        "not-the-token",
    )
    .await;
    assert_eq!(forged, 403);
    assert_eq!(status_of(&app, &sid).await, om::Status::Sent);
    assert_eq!(
        report(
            &app,
            &[("MessageSid", &sid), ("MessageStatus", "delivered")],
            AUTH_TOKEN
        )
        .await,
        204
    );
    assert_eq!(status_of(&app, &sid).await, om::Status::Delivered);
    assert_eq!(delivery_of(&app, &id).await, "Sent");

    let res = app
        .post_form("/api/recovery/verify", &[("id", &id), ("pin", &pin)], None)
        .await;
    assert_eq!(
        res.status(),
        200,
        "the PIN read from the SMS Twilio received works"
    );

    // Voice: the TwiML speaks the digits; an undelivered call shows as failed.
    let id = challenge(&app, "10000030", "voice", "092-555-0130").await;
    deliver(&app).await;
    let call = fake.accepted().into_iter().last().unwrap();
    let twiml = call.field("Twiml").unwrap();
    assert!(twiml.contains(r#"<Say language="ja-JP""#));
    let m = om::Entity::find()
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sid = m.provider_id.unwrap();
    assert!(sid.starts_with("CA"));
    assert_eq!(
        report(
            &app,
            &[("CallSid", &sid), ("CallStatus", "no-answer")],
            AUTH_TOKEN
        )
        .await,
        204
    );
    assert_eq!(status_of(&app, &sid).await, om::Status::Undelivered);
    assert_eq!(delivery_of(&app, &id).await, "Sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_twilio_is_retried_with_backoff_and_then_shown_as_failed() {
    let fake = FakeTwilio::start().await;
    let app = app_with_twilio(&fake).await;
    let id = challenge(&app, "10000070", "sms", "070-5555-0170").await;
    for attempt in 1..=queue::MAX_ATTEMPTS {
        fake.fail_next(503, 20500, "Service unavailable");
        deliver(&app).await;
        let m = om::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(m.attempts, attempt);
        assert!(m.last_error.is_some());
        if attempt < queue::MAX_ATTEMPTS {
            assert_eq!(
                m.status,
                app::server::entities::outgoing_messages::Status::Queued
            );
            assert_eq!(delivery_of(&app, &id).await, "Sending");
            app.advance(3600); // past any backoff
        } else {
            assert_eq!(
                m.status,
                app::server::entities::outgoing_messages::Status::Failed
            );
        }
    }
    assert_eq!(delivery_of(&app, &id).await, "Failed");
}
