//! The Twilio client against a fake Twilio on a loopback port that checks each request
//! against Twilio's published OpenAPI contract (SPEC R3: SMS and voice delivery).
#![cfg(feature = "ssr")]
#[path = "common/fake_twilio.rs"]
mod fake_twilio;

use app::domain::time::hhmm;
use app::server::messages::{sms_body, voice_twiml, SMS_MAX_UTF16};
use app::server::pin::generate;
use app::server::senders::twilio::{
    AuthToken, Channel, TwilioClient, TwilioConfig, TwilioError, DEFAULT_TIMEOUT,
};
use argon2::password_hash::rand_core::OsRng;
use chrono::{Duration as ChronoDuration, Utc};
use fake_twilio::{FakeTwilio, ACCOUNT_SID, AUTH_TOKEN};
use std::time::Duration;

const TO: &str = "+819012345678";
const FROM: &str = "+815031234567";
const CALLBACK: &str = "https://daiko.example.jp/api/twilio/status";

fn config(base_url: &str, token: &str) -> TwilioConfig {
    let mut c = TwilioConfig::new(ACCOUNT_SID, AuthToken::new(token), FROM);
    c.base_url = base_url.to_string();
    c
}

fn client(fake: &FakeTwilio) -> TwilioClient {
    TwilioClient::new(config(&fake.base_url, AUTH_TOKEN)).expect("valid config")
}

fn messages_path() -> String {
    format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
}

fn calls_path() -> String {
    format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json")
}

/// The PIN as a customer reads it: the six digits between 「 and 」.
fn pin_in_sms(body: &str) -> String {
    let start = body.find('「').expect("「 in the SMS") + '「'.len_utf8();
    let end = body[start..].find('」').expect("」 in the SMS") + start;
    body[start..end].to_string()
}

/// The PIN as a caller hears it: the digits spoken after 「PINコードは、」, each on its own
/// between SSML pauses.
fn pin_in_twiml(twiml: &str) -> String {
    let say_start = twiml.find("<Say ").expect("<Say> in the TwiML");
    let say_end = twiml.find("</Say>").expect("</Say> in the TwiML");
    let say = &twiml[say_start..say_end];
    let after = say.split("PINコードは、").nth(1).expect("PINコードは、");
    let spoken = after.split("です。").next().expect("です。");
    let mut pin = String::new();
    for piece in spoken.split("<break") {
        // Drop the rest of the tag, then what remains is what is said before the next pause.
        let said = piece.split_once("/>").map_or(piece, |(_, rest)| rest);
        let digits: String = said.chars().filter(char::is_ascii_digit).collect();
        assert!(
            digits.len() <= 1,
            "digits must be read one by one with pauses between them: {said:?} in {spoken:?}"
        );
        pin.push_str(&digits);
    }
    pin
}

#[tokio::test]
async fn an_sms_reaches_twilio_with_the_pin_the_deadline_and_the_callback() {
    let fake = FakeTwilio::start().await;
    let mut c = config(&fake.base_url, AUTH_TOKEN);
    c.status_callback = Some(CALLBACK.into());
    let client = TwilioClient::new(c).expect("valid config");

    let pin = generate(&mut OsRng);
    let expires = Utc::now() + ChronoDuration::minutes(10);
    let sid = client
        .send_sms(TO, &sms_body(&pin, expires))
        .await
        .expect("the fake accepts the SMS");
    assert!(sid.as_str().starts_with("SM"), "{sid}");
    assert_eq!(sid.as_str().len(), 34);

    let reqs = fake.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.status), ("POST", 201));
    assert_eq!(r.path, messages_path());
    assert_eq!(
        r.template.as_deref(),
        Some("/2010-04-01/Accounts/{AccountSid}/Messages.json")
    );
    assert_eq!(
        r.field_names(),
        ["Body", "From", "StatusCallback", "To"].into()
    );
    assert_eq!(r.field("To"), Some(TO));
    assert_eq!(r.field("From"), Some(FROM));
    assert_eq!(r.field("StatusCallback"), Some(CALLBACK));
    let body = r.field("Body").expect("Body");
    assert_eq!(pin_in_sms(body), pin);
    assert!(body.contains("環境保全研究所の代行システム"), "{body}");
    assert!(body.contains(&format!("{}まで", hhmm(expires))), "{body}");
    assert!(body.encode_utf16().count() <= SMS_MAX_UTF16, "{body}");
}

#[tokio::test]
async fn a_call_speaks_the_pin_digit_by_digit() {
    let fake = FakeTwilio::start().await;
    let client = client(&fake);
    let pin = generate(&mut OsRng);
    let sid = client
        .start_call(TO, &voice_twiml(&pin))
        .await
        .expect("the fake accepts the call");
    assert!(sid.as_str().starts_with("CA"), "{sid}");

    let accepted = fake.accepted();
    assert_eq!(accepted.len(), 1);
    let r = &accepted[0];
    assert_eq!(r.path, calls_path());
    // No StatusCallback configured: none sent.
    assert_eq!(r.field_names(), ["From", "To", "Twiml"].into());
    assert_eq!(r.field("To"), Some(TO));
    assert_eq!(r.field("From"), Some(FROM));
    let twiml = r.field("Twiml").expect("Twiml");
    assert_eq!(pin_in_twiml(twiml), pin);
    assert!(twiml.contains(r#"language="ja-JP""#), "{twiml}");
    assert!(twiml.contains(r#"loop="2""#), "{twiml}");
    assert!(twiml.contains("環境保全研究所の代行システム"), "{twiml}");
}

#[tokio::test]
async fn a_wrong_token_is_a_typed_auth_error() {
    let fake = FakeTwilio::start().await;
    let client = TwilioClient::new(config(&fake.base_url, "not-the-token")).expect("config");
    let err = client.send_sms(TO, "x").await.expect_err("refused");
    assert!(
        matches!(
            err,
            TwilioError::Auth {
                channel: Channel::Sms,
                status: 401,
                code: Some(20003),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("SMSの送信に失敗しました"),
        "{err}"
    );
    assert!(fake.accepted().is_empty());
    assert_eq!(fake.requests()[0].status, 401);
}

#[tokio::test]
async fn the_fake_holds_requests_to_twilios_contract() {
    let fake = FakeTwilio::start().await;
    let http = reqwest::Client::new();
    let post = |path: String, fields: Vec<(&'static str, &'static str)>| {
        http.post(format!("{}{path}", fake.base_url))
            .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
            .form(&fields)
            .send()
    };
    async fn answer(res: reqwest::Result<reqwest::Response>) -> (u16, serde_json::Value) {
        let res = res.expect("the fake answers");
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON body"))
    }

    // Positive control: the same request with the right field name is accepted.
    let (status, _) = answer(
        post(
            messages_path(),
            vec![("To", TO), ("From", FROM), ("Body", "x")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);

    // A misspelt field is not in CreateMessageRequest.
    let (status, err) = answer(
        post(
            messages_path(),
            vec![("To", TO), ("From", FROM), ("Bodyy", "x")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["code"], 21604);
    assert_eq!(err["status"], 400);
    assert!(err["message"].as_str().unwrap().contains("Bodyy"), "{err}");

    // A field of one operation is not accepted by another: `Body` is not a Call field.
    let (status, err) = answer(
        post(
            calls_path(),
            vec![("To", TO), ("From", FROM), ("Body", "x")],
        )
        .await,
    )
    .await;
    assert_eq!((status, err["code"].as_u64()), (400, Some(21604)), "{err}");

    // A required field is missing (`To` is required by CreateCallRequest).
    let (status, err) =
        answer(post(calls_path(), vec![("From", FROM), ("Twiml", "<Response/>")]).await).await;
    assert_eq!(status, 400);
    assert!(err["message"].as_str().unwrap().contains("'To'"), "{err}");

    // Not a form.
    let res = http
        .post(format!("{}{}", fake.base_url, messages_path()))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .json(&serde_json::json!({"To": TO, "From": FROM, "Body": "x"}))
        .send()
        .await;
    assert_eq!(answer(res).await.0, 400);

    // A path the contract does not have, and a method the path does not have.
    let misspelt = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Mesages.json");
    assert_eq!(answer(post(misspelt, vec![("To", TO)]).await).await.0, 404);
    let res = http
        .delete(format!("{}{}", fake.base_url, messages_path()))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await;
    assert_eq!(answer(res).await.0, 405);

    // Another account's path.
    let other = "/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages.json";
    let (status, _) = answer(
        post(
            other.to_string(),
            vec![("To", TO), ("From", FROM), ("Body", "x")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);

    assert_eq!(fake.accepted().len(), 1);
}

#[tokio::test]
async fn twilio_errors_map_to_typed_errors() {
    let fake = FakeTwilio::start().await;
    let client = client(&fake);

    fake.fail_next(503, 20503, "Service Unavailable");
    let err = client.send_sms(TO, "x").await.expect_err("503");
    assert!(
        matches!(
            err,
            TwilioError::Unavailable {
                channel: Channel::Sms,
                status: 503,
                code: Some(20503),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "SMSの送信に失敗しました（送信サービスが一時的に利用できません）"
    );

    fake.fail_next(400, 21211, "Invalid 'To' Phone Number");
    let err = client.start_call(TO, "<Response/>").await.expect_err("400");
    assert_eq!(
        err,
        TwilioError::Rejected {
            channel: Channel::Voice,
            status: 400,
            code: Some(21211),
            message: "Invalid 'To' Phone Number".into(),
        }
    );
    assert_eq!(err.code(), Some(21211));

    fake.fail_next(429, 20429, "Too Many Requests");
    let err = client.send_sms(TO, "x").await.expect_err("429");
    assert!(
        matches!(err, TwilioError::Unavailable { status: 429, .. }),
        "{err:?}"
    );

    // After the injected failures the fake accepts again.
    client.send_sms(TO, "x").await.expect("accepted");
}

#[tokio::test]
async fn a_twilio_that_does_not_answer_in_time_is_a_transport_error() {
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(10));
    let fake = FakeTwilio::start().await;
    let mut c = config(&fake.base_url, AUTH_TOKEN);
    // The production timeout is 10 s; the test shortens it rather than waiting.
    c.timeout = Duration::from_millis(300);
    let client = TwilioClient::new(c).expect("config");
    fake.delay_next(Duration::from_secs(3));
    let started = std::time::Instant::now();
    let err = client.send_sms(TO, "x").await.expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(
            err,
            TwilioError::Transport {
                channel: Channel::Sms,
                timed_out: true,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = TwilioClient::new(config(&format!("http://{addr}"), AUTH_TOKEN)).expect("config");
    let err = client
        .start_call(TO, "<Response/>")
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            TwilioError::Transport {
                channel: Channel::Voice,
                timed_out: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("音声通話の発信に失敗しました"));
}

#[tokio::test]
async fn numbers_that_are_not_e164_never_leave_the_server() {
    let fake = FakeTwilio::start().await;
    let client = client(&fake);
    for to in ["09012345678", "+81 90 1234 5678", "", "+81901234567890123"] {
        let err = client.send_sms(to, "x").await.expect_err(to);
        assert_eq!(
            err,
            TwilioError::InvalidRecipient {
                channel: Channel::Sms
            }
        );
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn the_auth_token_is_never_printed() {
    let client = TwilioClient::new(config("http://127.0.0.1:9", AUTH_TOKEN)).expect("config");
    let printed = format!("{client:?} {:?}", client.config());
    assert!(!printed.contains(AUTH_TOKEN), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
}

#[test]
fn a_bad_configuration_is_refused() {
    let bad_sid = TwilioConfig::new("AC../../x", AuthToken::new("t"), FROM);
    assert!(matches!(
        TwilioClient::new(bad_sid),
        Err(TwilioError::Config(_))
    ));
    for url in ["ftp://api.twilio.com", "http://api.twilio.com"] {
        assert!(matches!(
            TwilioClient::new(config(url, "t")),
            Err(TwilioError::Config(_))
        ));
    }
    let mut bad_cb = config("https://api.twilio.com", "t");
    bad_cb.status_callback = Some("javascript:alert(1)".into());
    assert!(matches!(
        TwilioClient::new(bad_cb),
        Err(TwilioError::Config(_))
    ));
}
