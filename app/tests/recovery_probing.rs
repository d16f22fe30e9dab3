//! The reset flow as an attacker probes it (#9): a decoy challenge answers and changes state
//! like a real one, also at the limits; no PIN or link token is stored in plain text; every
//! limit holds under 50 concurrent requests; entering a PIN with the お客様ID cannot void a
//! customer's own PIN nor tell whether a reset exists; keyed hashes; replayed Twilio reports.
//! SQLite and PostgreSQL, through HTTP, with a Twilio-compatible server on loopback.
#![cfg(feature = "ssr")]
mod common;
#[path = "common/fake_twilio.rs"]
mod fake_twilio;

use app::server::config::DEV_SECRET;
use app::server::entities::{
    audit_log, limit_events, outgoing_messages as om, pin_challenges as pc,
};
use app::server::queue;
use app::server::senders::queue_adapters::senders_from_parts;
use app::server::{keyed, limits, sha256_hex};
use common::{challenge, request_pin, Backend, TestApp, BACKENDS};
use fake_twilio::{FakeTwilio, ACCOUNT_SID, AUTH_TOKEN};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Twilio (the fake) for SMS and voice, the outbox for mail; `adjust` changes the config.
async fn app_with_twilio(
    b: Backend,
    fake: &FakeTwilio,
    adjust: impl FnOnce(&mut app::server::config::Config),
) -> TestApp {
    common::with_twilio(b, &fake.base_url, ACCOUNT_SID, AUTH_TOKEN, adjust).await
}

async fn deliver(app: &TestApp) {
    queue::deliver_due(&app.state(), 100).await.unwrap();
}

/// The PIN page's status, without the deadline (it names the minute of the request).
async fn page_status(app: &TestApp, id: &str) -> (u16, serde_json::Value) {
    let res = app
        .get(&format!("/api/recovery/status?id={id}"), None)
        .await;
    let status = res.status().as_u16();
    let mut v: serde_json::Value = res.json().await.unwrap();
    v.as_object_mut().unwrap().remove("deadline");
    (status, v)
}

/// The PIN page's status code and header names.
async fn page_head(app: &TestApp, id: &str) -> (u16, Vec<String>) {
    let res = app.get(&format!("/contact/pin/{id}"), None).await;
    let mut names: Vec<String> = res.headers().keys().map(|k| k.to_string()).collect();
    names.sort();
    (res.status().as_u16(), names)
}

async fn report(app: &TestApp, params: &[(&str, &str)]) -> u16 {
    common::twilio_report(app, params, AUTH_TOKEN)
        .await
        .as_u16()
}

/// The PIN in the newest real message (as the outbox or Twilio received it).
fn pin_in(body: &str) -> String {
    let spoken = body.contains("<Say");
    let digits: String = if let Some(say) = body.split("PINコードは").nth(1).filter(|_| spoken)
    {
        let say = say.split("です").next().unwrap_or("");
        let mut in_tag = false;
        say.chars()
            .filter(|c| {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ => {}
                }
                !in_tag && c.is_ascii_digit()
            })
            .collect()
    } else {
        let start = body.find('「').expect("a PIN") + '「'.len_utf8();
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect()
    };
    assert_eq!(digits.len(), 6, "{body}");
    digits
}

async fn newest_real(app: &TestApp) -> om::Model {
    om::Entity::find()
        .filter(om::Column::Decoy.eq(false))
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a message")
}

async fn verify(app: &TestApp, id: &str, pin: &str) -> (u16, String) {
    let res = app
        .post_form("/api/recovery/verify", &[("id", id), ("pin", pin)], None)
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn verify_by_id(app: &TestApp, code: &str, pin: &str) -> (u16, String) {
    let res = app
        .post_form(
            "/api/recovery/verify-by-id",
            &[("customer_code", code), ("pin", pin)],
            None,
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Staff start a reset by mail for `code`; the PIN the customer receives.
async fn staff_reset_pin(app: &TestApp, staff: &str, code: &str) -> String {
    let res = app
        .post_form(
            "/api/staff/start-reset",
            &[("customer_code", code), ("channel", "mail")],
            Some(staff),
        )
        .await;
    assert_eq!(res.status(), 200);
    deliver(app).await;
    pin_in(&app.opened(newest_real(app).await).body)
}

fn other_than(pin: &str) -> &'static str {
    if pin == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decoy_pin_page_changes_state_like_a_real_one() {
    for b in BACKENDS {
        let fake = FakeTwilio::start().await;
        let app = app_with_twilio(b, &fake, |_| {}).await;
        for (channel, real, wrong) in [
            ("sms", ("10000050", "090-5555-0150"), "090-5555-9999"),
            ("voice", ("10000030", "092-555-0130"), "092-555-9999"),
            (
                "mail",
                ("10000050", "dairiten@example.jp"),
                "other@example.jp",
            ),
        ] {
            let ids = [
                challenge(&app, real.0, channel, real.1).await,
                challenge(&app, real.0, channel, wrong).await,
                challenge(&app, "99999999", channel, real.1).await,
            ];
            let same = |what: &str, v: Vec<(u16, serde_json::Value)>| {
                assert!(
                    v.windows(2).all(|w| w[0] == w[1]),
                    "{channel} {what}: {v:?}"
                );
                v[0].1["delivery"].as_str().unwrap().to_string()
            };
            let mut before = Vec::new();
            for id in &ids {
                before.push(page_status(&app, id).await);
            }
            assert_eq!(same("queued", before), "Sending");
            // The pages: same status and headers (their text is rendered from the status above;
            // whether it streams in place or after the shell depends on timing, not the match).
            let mut pages = Vec::new();
            for id in &ids {
                pages.push(page_head(&app, id).await);
            }
            assert!(
                pages.windows(2).all(|w| w[0] == w[1]),
                "{channel}: {pages:?}"
            );

            deliver(&app).await;
            let mut after = Vec::new();
            for id in &ids {
                after.push(page_status(&app, id).await);
            }
            assert_eq!(same("handed over", after), "Sent");

            // Twilio reports on the real message only; the pages stay alike.
            if channel != "mail" {
                let sid = newest_real(&app).await.provider_id.expect("a Twilio SID");
                let (k, v) = if channel == "sms" {
                    ("MessageSid", "undelivered")
                } else {
                    ("CallSid", "no-answer")
                };
                let status_key = if channel == "sms" {
                    "MessageStatus"
                } else {
                    "CallStatus"
                };
                assert_eq!(report(&app, &[(k, &sid), (status_key, v)]).await, 204);
                let mut reported = Vec::new();
                for id in &ids {
                    reported.push(page_status(&app, id).await);
                }
                assert_eq!(same("after a report", reported), "Sent");
            }

            // Resends: accepted alike, then queued and handed over alike.
            app.advance(61);
            for id in &ids {
                let res = app
                    .post_form("/api/recovery/resend", &[("id", id)], None)
                    .await;
                assert_eq!(res.status(), 200, "{channel} resend");
            }
            let mut resent = Vec::new();
            for id in &ids {
                resent.push(page_status(&app, id).await);
            }
            assert_eq!(same("resent", resent), "Sending");
            deliver(&app).await;
            let mut done = Vec::new();
            for id in &ids {
                done.push(page_status(&app, id).await);
            }
            assert_eq!(same("resent, handed over", done), "Sent");
        }
        // A channel that cannot send fails every page alike, decoys included.
        let no_twilio = TestApp::spawn_with(b, senders_from_parts(None, None), None).await;
        let ids = [
            challenge(&no_twilio, "10000050", "sms", "090-5555-0150").await,
            challenge(&no_twilio, "99999999", "sms", "090-5555-0150").await,
        ];
        deliver(&no_twilio).await;
        for id in &ids {
            assert_eq!(page_status(&no_twilio, id).await.1["delivery"], "Failed");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_customer_failure_limit_a_decoy_answers_like_a_real_challenge() {
    for b in BACKENDS {
        let app = TestApp::spawn_with_config(b, |c| c.pin.customer_failures_per_hour = 6).await;
        // Six wrong entries for お客様ID 10000050, on two of its real challenges.
        for _ in 0..2 {
            let id = challenge(&app, "10000050", "sms", "090-5555-0150").await;
            for _ in 0..3 {
                assert_eq!(verify(&app, &id, "000000").await.0, 400);
            }
        }
        let real = challenge(&app, "10000050", "sms", "090-5555-0150").await;
        let decoy = challenge(&app, "10000050", "sms", "090-5555-9999").await;
        let r = verify(&app, &real, "123456").await;
        let d = verify(&app, &decoy, "123456").await;
        assert_eq!(r.0, 429, "{r:?}");
        assert_eq!(
            r, d,
            "the decoy answers like the real challenge at the limit"
        );
        // Another お客様ID has its own count.
        let other = challenge(&app, "99999999", "sms", "090-5555-0150").await;
        assert!(verify(&app, &other, "123456").await.1.contains("PinWrong"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_pin_or_link_token_is_stored_in_plain_text() {
    for b in BACKENDS {
        let fake = FakeTwilio::start().await;
        let app = app_with_twilio(b, &fake, |_| {}).await;
        let id = challenge(&app, "10000050", "mail", "dairiten@example.jp").await;
        let queued = newest_real(&app).await;
        assert!(queued.body.starts_with("xc1:"), "sealed while queued");
        deliver(&app).await;
        let sent = newest_real(&app).await;
        assert_eq!(
            (sent.status, sent.body.as_str()),
            (app::server::entities::outgoing_messages::Status::Sent, "")
        );
        let pin = pin_in(&app.opened(sent).body);
        let sms_id = challenge(&app, "10000050", "sms", "090-5555-0150").await;
        deliver(&app).await;
        let sms_pin = pin_in(fake.accepted().last().unwrap().field("Body").unwrap());

        let dump = |rows: &dyn std::fmt::Debug| format!("{rows:?}");
        let messages = om::Entity::find().all(&app.db).await.unwrap();
        let challenges = pc::Entity::find().all(&app.db).await.unwrap();
        for p in [&pin, &sms_pin] {
            assert!(
                !dump(&messages).contains(p.as_str()),
                "PIN {p} in outgoing_messages"
            );
            assert!(
                !dump(&challenges).contains(p.as_str()),
                "PIN {p} in pin_challenges"
            );
        }
        // The PIN hash is an HMAC under DAIKO_SECRET bound to the challenge.
        let row = challenges.iter().find(|c| c.public_id == id).unwrap();
        let expected = keyed::keyed_hex(DEV_SECRET, "pin", &[id.as_bytes(), pin.as_bytes()]);
        assert_eq!(row.pin_hash, expected);
        assert_ne!(
            row.pin_hash,
            sha256_hex(&[b"pin", DEV_SECRET.as_bytes(), id.as_bytes(), pin.as_bytes()])
        );

        // A resend rebuilds the message from the challenge's sealed PIN: the same PIN.
        app.advance(61);
        let res = app
            .post_form("/api/recovery/resend", &[("id", &sms_id)], None)
            .await;
        assert_eq!(res.status(), 200);
        deliver(&app).await;
        assert_eq!(
            pin_in(fake.accepted().last().unwrap().field("Body").unwrap()),
            sms_pin
        );
        // Once used, the sealed copy is gone.
        assert_eq!(verify(&app, &sms_id, &sms_pin).await.0, 200);
        let used = pc::Entity::find()
            .filter(pc::Column::PublicId.eq(&sms_id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(used.pin_sealed.is_none());
        // And every handed-over row is empty.
        assert!(om::Entity::find()
            .filter(om::Column::Status.ne(app::server::entities::outgoing_messages::Status::Queued))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .all(|m| m.body.is_empty()));

        // The login link of a registration (R1): sealed, wiped, the token nowhere.
        let shop = app
            .login_token("shop@example.jp", common::DEMO_PASSWORD)
            .await;
        let res = app
            .post_form(
                "/api/account/register-login",
                &[
                    ("customer_code", "10000090"),
                    ("email", "ito-new@example.jp"),
                ],
                Some(&shop),
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        deliver(&app).await;
        let mail = om::Entity::find()
            .filter(om::Column::Recipient.eq("ito-new@example.jp"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the link mail");
        assert!(mail.body.is_empty());
        let body = app.opened(mail).body;
        let start = body.find("/verify/").unwrap() + "/verify/".len();
        let token: String = body[start..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        assert_eq!(token.len(), 64);
        let everything = format!(
            "{:?}{:?}{:?}",
            om::Entity::find().all(&app.db).await.unwrap(),
            app::server::entities::email_verifications::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            audit_log::Entity::find().all(&app.db).await.unwrap()
        );
        assert!(
            !everything.contains(&token),
            "the link token is stored nowhere"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_cap_counts_resends() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let id = challenge(&app, "10000050", "sms", "090-5555-0150").await;
        for _ in 0..4 {
            app.advance(61);
            let res = app
                .post_form("/api/recovery/resend", &[("id", &id)], None)
                .await;
            assert_eq!(res.status(), 200);
        }
        // Five texts so far: a sixth request (and a resend of it) is answered as usual but
        // sends nothing.
        let again = challenge(&app, "10000050", "sms", "090-5555-0150").await;
        app.advance(61);
        let res = app
            .post_form("/api/recovery/resend", &[("id", &again)], None)
            .await;
        assert_eq!(res.status(), 200);
        let texts = om::Entity::find()
            .filter(om::Column::Recipient.eq("+819055550150"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            texts.len(),
            5,
            "requests and resends together: five texts a day"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_and_client_limits_hold_under_50_concurrent_requests() {
    for b in BACKENDS {
        let app = TestApp::spawn_with_config(b, |c| c.pin.client_requests_per_hour = 1000).await;
        let form = [
            ("customer_code", "10000050"),
            ("channel", "sms"),
            ("destination", "090-5555-0150"),
        ];
        let answers = app
            .post_many(50, "/api/recovery/request", &form, None)
            .await;
        assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
        let texts = om::Entity::find()
            .filter(om::Column::Recipient.eq("+819055550150"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(texts.len(), 5, "{b:?}: 50 concurrent requests, five texts");

        let app = TestApp::spawn(b).await; // the default: 30 per client address per hour
        let answers = app
            .post_many(50, "/api/recovery/request", &form, None)
            .await;
        let ok = answers.iter().filter(|(s, _)| *s == 200).count();
        let refused = answers
            .iter()
            .filter(|(s, body)| *s == 429 && body.contains("TooManyRequests"))
            .count();
        assert_eq!((ok, refused), (30, 20), "{b:?}");
        assert_eq!(app.count(pc::Entity).await, 30);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_entries_hold_under_30_concurrent_guesses_and_a_late_right_one_is_refused() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let id = challenge(&app, "10000050", "mail", "dairiten@example.jp").await;
        deliver(&app).await;
        let pin = pin_in(&app.opened(newest_real(&app).await).body);
        let form = [("id", id.as_str()), ("pin", other_than(&pin))];
        let answers = app.post_many(30, "/api/recovery/verify", &form, None).await;
        let wrong = answers
            .iter()
            .filter(|(_, b)| b.contains("PinWrong"))
            .count();
        let locked = answers
            .iter()
            .filter(|(_, b)| b.contains("PinLocked"))
            .count();
        assert_eq!((wrong, locked), (4, 26), "{b:?}: {answers:?}");
        let row = pc::Entity::find()
            .filter(pc::Column::PublicId.eq(&id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.wrong_count, 5, "exactly five wrong entries recorded");
        // The right PIN after the burst: locked, never "already used" nor accepted.
        let late = verify(&app, &id, &pin).await;
        assert!(late.1.contains("PinLocked"), "{late:?}");

        // A burst with the right PIN among wrong ones: at most one grant, and "used" only
        // ever follows a grant.
        let id = challenge(&app, "10000050", "mail", "dairiten@example.jp").await;
        deliver(&app).await;
        let pin = pin_in(&app.opened(newest_real(&app).await).body);
        let right_form = [("id", id.as_str()), ("pin", pin.as_str())];
        let wrong_form = [("id", id.as_str()), ("pin", other_than(&pin))];
        let right = app.post_many(10, "/api/recovery/verify", &right_form, None);
        let wrong = app.post_many(10, "/api/recovery/verify", &wrong_form, None);
        let (right, wrong) = tokio::join!(right, wrong);
        let all: Vec<_> = right.iter().chain(wrong.iter()).collect();
        let granted = all.iter().filter(|(s, _)| *s == 200).count();
        let used = all.iter().filter(|(_, b)| b.contains("PinUsed")).count();
        assert!(granted <= 1, "{all:?}");
        assert!(used == 0 || granted == 1, "{all:?}");
        let row = pc::Entity::find()
            .filter(pc::Column::PublicId.eq(&id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(row.wrong_count <= 5);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entering_a_pin_with_the_customer_id_voids_nothing_and_tells_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        // 10000050 asked for a PIN themselves; staff started a reset for 10000060.
        let own = challenge(&app, "10000050", "mail", "dairiten@example.jp").await;
        deliver(&app).await;
        let own_pin = pin_in(&app.opened(newest_real(&app).await).body);
        let staff = app
            .login_token("honbu@example.jp", common::DEMO_PASSWORD)
            .await;
        let staff_pin = staff_reset_pin(&app, &staff, "10000060").await;

        // Six wrong entries by ID for: an unknown ID, a customer with only their own PIN, a
        // customer with a staff-started one. The answers are the same, in the same order.
        let mut seqs = Vec::new();
        for (code, pin) in [
            ("99999999", "000000"),
            ("10000050", other_than(&own_pin)),
            ("10000060", other_than(&staff_pin)),
        ] {
            let mut seq = Vec::new();
            for _ in 0..6 {
                seq.push(verify_by_id(&app, code, pin).await);
            }
            seqs.push(seq);
        }
        assert!(seqs.windows(2).all(|w| w[0] == w[1]), "{seqs:?}");
        assert!(seqs[0][..4]
            .iter()
            .all(|(s, b)| *s == 400 && b.contains("PinWrong")));
        assert!(seqs[0][4..].iter().all(|(_, b)| b.contains("PinLocked")));

        // The customer's own PIN still works on its page.
        assert_eq!(verify(&app, &own, &own_pin).await.0, 200);
        // The staff-started one is void; staff start another, and by ID it works.
        assert!(verify_by_id(&app, "10000060", &staff_pin)
            .await
            .1
            .contains("PinLocked"));
        let fresh = staff_reset_pin(&app, &staff, "10000060").await;
        assert_eq!(verify_by_id(&app, "10000060", &fresh).await.0, 200);
        // 30 concurrent wrong entries by ID count five, like a PIN page.
        let answers = app
            .post_many(
                30,
                "/api/recovery/verify-by-id",
                &[("customer_code", "10000070"), ("pin", "000000")],
                None,
            )
            .await;
        let wrong = answers
            .iter()
            .filter(|(_, b)| b.contains("PinWrong"))
            .count();
        assert_eq!(wrong, 4, "{b:?}: {answers:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_and_audit_keys_are_keyed_hashes() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.login("aoba@example.jp", "wrong-password").await;
    challenge(&app, "10000050", "sms", "090-5555-0150").await;
    let events = limit_events::Entity::find().all(&app.db).await.unwrap();
    let login_key = limits::key(DEV_SECRET, "login-failure", "aoba@example.jp");
    assert!(events
        .iter()
        .any(|e| e.bucket == "login-failure" && e.key == login_key));
    let plain = [
        sha256_hex(&[b"login-failure", b"aoba@example.jp"]),
        sha256_hex(&[b"client", b"127.0.0.1"]),
        sha256_hex(&[b"destination", b"09055550150"]),
    ];
    let audit = format!(
        "{:?}",
        audit_log::Entity::find().all(&app.db).await.unwrap()
    );
    let challenges = format!("{:?}", pc::Entity::find().all(&app.db).await.unwrap());
    for p in &plain {
        assert!(!events.iter().any(|e| &e.key == p));
        assert!(!audit.contains(p.as_str()) && !challenges.contains(p.as_str()));
    }
    assert!(
        audit.contains(&login_key),
        "the audit entry names the keyed hash"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_twilio_report_changes_nothing() {
    for b in BACKENDS {
        let fake = FakeTwilio::start().await;
        let app = app_with_twilio(b, &fake, |_| {}).await;
        challenge(&app, "10000050", "sms", "090-5555-0150").await;
        deliver(&app).await;
        let sid = newest_real(&app).await.provider_id.unwrap();
        let delivered = [("MessageSid", sid.as_str()), ("MessageStatus", "delivered")];
        let reports = || async {
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.starts_with("message_"))
                .filter(audit_log::Column::Action.ne("message_sent"))
                .all(&app.db)
                .await
                .unwrap()
                .len()
        };
        assert_eq!(report(&app, &delivered).await, 204);
        let after_first = (newest_real(&app).await, reports().await);
        assert_eq!(
            after_first.0.status,
            app::server::entities::outgoing_messages::Status::Delivered
        );
        assert_eq!(after_first.1, 1);
        // The same signed report again, and a contradicting late one: nothing changes.
        assert_eq!(report(&app, &delivered).await, 204);
        assert_eq!(
            report(
                &app,
                &[("MessageSid", &sid), ("MessageStatus", "undelivered")]
            )
            .await,
            204
        );
        let again = (newest_real(&app).await, reports().await);
        assert_eq!(again, after_first);
    }
}

/// The request's answer (status, header names, redirect shape, body) is one for a match, a
/// mismatch and an unknown お客様ID.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_answers_are_identical() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut seen = Vec::new();
    for (code, dest) in [
        ("10000050", "090-5555-0150"),
        ("10000050", "090-5555-9999"),
        ("99999999", "090-5555-0150"),
    ] {
        let res = request_pin(&app, code, "sms", dest).await;
        let headers: Vec<String> = res
            .headers()
            .keys()
            .map(|k| k.as_str().to_string())
            .collect();
        let loc = res.headers()["location"].to_str().unwrap().len();
        seen.push((
            res.status().as_u16(),
            headers,
            loc,
            res.text().await.unwrap(),
        ));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}
