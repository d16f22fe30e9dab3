//! お問い合わせ reset with a PIN (R3), over HTTP against SQLite and PostgreSQL, with the
//! development outbox as the sender: the tests read the PIN from the queued message.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{outgoing_messages as om, pin_challenges, sessions};
use app::server::queue;
use common::{challenge, request_pin, session_cookie, Backend, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Delivers the queue through the outbox and reads the PIN of the newest message.
async fn delivered_pin(app: &TestApp) -> (om::Model, String) {
    let st = app.state();
    queue::deliver_due(&st, 50).await.unwrap();
    let m = om::Entity::find()
        .filter(om::Column::Decoy.eq(false))
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a message");
    assert_eq!(
        m.status,
        app::server::entities::outgoing_messages::Status::Sent
    );
    let m = app.opened(m);
    let digits: String = if m.channel == app::model::ResetChannel::Voice {
        // Digits are read one by one inside <Say>: collect them in order.
        let say = m
            .body
            .split("PINコードは")
            .nth(1)
            .unwrap()
            .split("です")
            .next()
            .unwrap();
        let mut text = String::new();
        let mut in_tag = false;
        for c in say.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.chars().filter(|c| c.is_ascii_digit()).collect()
    } else {
        let start = m.body.find('「').unwrap() + '「'.len_utf8();
        m.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect()
    };
    assert_eq!(digits.len(), 6, "{}", m.body);
    (m, digits)
}

async fn verify(app: &TestApp, id: &str, pin: &str) -> reqwest::Response {
    app.post_form("/api/recovery/verify", &[("id", id), ("pin", pin)], None)
        .await
}

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|r| r.split(';').next().unwrap_or("").to_string())
        })
        .filter(|v| !v.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_by_mail_end_to_end_never_logs_in_and_ends_sessions() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let old_session = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let id = challenge(&app, "10000030", "mail", "Hansha@Example.jp").await;
        let (mail, pin) = delivered_pin(&app).await;
        assert_eq!(mail.recipient, "hansha@example.jp");
        assert!(mail.body.contains("環境保全研究所の代行システム") && mail.body.contains("までに"));

        let status: serde_json::Value = app
            .get(&format!("/api/recovery/status?id={id}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(status["channel"], "Mail");
        assert_eq!(status["expired"], false);
        assert!(
            mail.body.contains(status["deadline"].as_str().unwrap()),
            "the mail and the page show one deadline"
        );

        let res = verify(&app, &id, &pin).await;
        assert_eq!(res.status(), 200);
        assert!(session_cookie(&res).is_none(), "a PIN never logs in");
        let grant = cookie_value(&res, "daiko_reset").expect("grant cookie");

        let res = app
            .http
            .post(app.url("/api/recovery/password"))
            .header("cookie", format!("daiko_reset={grant}"))
            .form(&[
                ("password", "new secret phrase"),
                ("confirm", "new secret phrase"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(app.count(sessions::Entity).await, 0, "every session ended");
        let me: serde_json::Value = app
            .get("/api/auth/me", Some(&old_session))
            .await
            .json()
            .await
            .unwrap();
        assert!(me.is_null());
        assert_eq!(
            app.login("hansha@example.jp", DEMO_PASSWORD).await.status(),
            401
        );
        app.login_token("hansha@example.jp", "new secret phrase")
            .await;
        // The customer is told, by mail.
        let notice = om::Entity::find()
            .order_by_desc(om::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(notice.recipient, "hansha@example.jp");
        assert!(notice.subject.contains("パスワードが変更されました"));
        // The grant is single use.
        let again = app
            .http
            .post(app.url("/api/recovery/password"))
            .header("cookie", format!("daiko_reset={grant}"))
            .form(&[
                ("password", "another phrase!"),
                ("confirm", "another phrase!"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 400);
        assert!(again.text().await.unwrap().contains("ResetExpired"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_and_voice_carry_the_pin() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = challenge(&app, "10000050", "sms", "０９０－５５５５－０１５０").await;
    let (sms, pin) = delivered_pin(&app).await;
    assert_eq!(sms.recipient, "+819055550150");
    assert!(
        sms.body.encode_utf16().count() <= 70,
        "one UCS-2 segment: {}",
        sms.body
    );
    assert_eq!(verify(&app, &id, &pin).await.status(), 200);

    let id = challenge(&app, "10000030", "voice", "092-555-0130").await;
    let (call, pin) = delivered_pin(&app).await;
    assert_eq!(call.recipient, "+81925550130");
    assert!(call.body.contains(r#"<Say language="ja-JP""#) && call.body.contains("loop="));
    assert_eq!(verify(&app, &id, &pin).await.status(), 200);

    // SMS goes to mobiles only; a landline is told to use the voice call.
    let res = request_pin(&app, "10000030", "sms", "092-555-0130").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("自動音声"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mismatches_and_unknown_ids_get_the_same_answer_and_no_message() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let mut answers = Vec::new();
        for (code, dest) in [
            ("10000050", "090-5555-0150"), // registered
            ("10000050", "090-5555-9999"), // wrong number
            ("99999999", "090-5555-0150"), // unknown お客様ID
            ("10000090", "080-5555-0190"), // customer without a login
        ] {
            let res = request_pin(&app, code, "sms", dest).await;
            let status = res.status();
            let loc = res.headers()["location"].to_str().unwrap().to_string();
            let body = res.text().await.unwrap();
            answers.push((status, loc.len(), loc.starts_with("/contact/pin/"), body));
        }
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
        assert_eq!(
            app.real_messages().await.len(),
            2,
            "only the registered number and the login-less customer's phone get a PIN"
        );
        // The two mismatches queue decoys: rows that reach no one.
        let all = om::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(all.iter().filter(|m| m.decoy).count(), 2);
        assert!(all
            .iter()
            .filter(|m| m.decoy)
            .all(|m| m.recipient.is_empty()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_pins_expiry_and_resend() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = challenge(&app, "10000060", "sms", "080-5555-0160").await;
    let (_, pin) = delivered_pin(&app).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for i in 1..=4 {
        let res = verify(&app, &id, wrong).await;
        assert_eq!(res.status(), 400, "attempt {i}");
        assert!(res.text().await.unwrap().contains("PinWrong"));
    }
    let res = verify(&app, &id, wrong).await;
    assert!(
        res.text().await.unwrap().contains("PinLocked"),
        "the 5th wrong entry voids the PIN"
    );
    let res = verify(&app, &id, &pin).await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text().await.unwrap().contains("PinLocked"),
        "the 6th is refused, even when right"
    );

    // Resend: not before 60 s, same PIN, then expiry after 10 minutes.
    let id = challenge(&app, "10000060", "sms", "080-5555-0160").await;
    let (first, pin) = delivered_pin(&app).await;
    let res = app
        .post_form("/api/recovery/resend", &[("id", &id)], None)
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("ResendTooSoon"));
    app.advance(61);
    assert_eq!(
        app.post_form("/api/recovery/resend", &[("id", &id)], None)
            .await
            .status(),
        200
    );
    let (second, pin2) = delivered_pin(&app).await;
    assert_ne!(first.id, second.id);
    assert_eq!(pin, pin2, "a resend keeps the PIN");
    app.advance(540);
    let res = verify(&app, &id, &pin).await;
    assert!(res.text().await.unwrap().contains("PinExpired"));
    let status: serde_json::Value = app
        .get(&format!("/api/recovery/status?id={id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["expired"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_gets_at_most_five_messages_a_day() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for _ in 0..7 {
        challenge(&app, "10000080", "sms", "090-5555-0180").await;
    }
    let to_phone = om::Entity::find()
        .filter(om::Column::Recipient.eq("+819055550180"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(to_phone.len(), 5);
    app.advance(24 * 3600 + 1);
    challenge(&app, "10000080", "sms", "090-5555-0180").await;
    let to_phone = om::Entity::find()
        .filter(om::Column::Recipient.eq("+819055550180"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(to_phone.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_right_pins_succeed_exactly_once() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let id = challenge(&app, "10000070", "sms", "070-5555-0170").await;
        let (_, pin) = delivered_pin(&app).await;
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let http = app.http.clone();
                let url = app.url("/api/recovery/verify");
                let (id, pin) = (id.clone(), pin.clone());
                tokio::spawn(async move {
                    http.post(url)
                        .form(&[("id", id.as_str()), ("pin", pin.as_str())])
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            let s = t.await.unwrap();
            assert!(s.as_u16() < 500, "{s}");
            ok += usize::from(s == 200);
        }
        assert_eq!(ok, 1, "{b:?}");
        let c = pin_challenges::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(c.consumed_at.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_reset_input_gets_japanese_messages_and_writes_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let long = "9".repeat(10 * 1024);
    for (code, channel, dest, expected) in [
        ("", "sms", "090-5555-0150", "お客様IDを入力してください"),
        (long.as_str(), "sms", "090-5555-0150", "8桁の数字"),
        ("1000\u{0}0050", "sms", "090-5555-0150", "8桁の数字"),
        ("' OR 1=1 --", "mail", "x@example.jp", "8桁の数字"),
        ("10000050", "sms", "", "電話番号を入力してください"),
        ("10000050", "sms", long.as_str(), "電話番号の形式"),
        (
            "10000050",
            "mail",
            "'; DROP TABLE logins; --",
            "メールアドレスの形式",
        ),
        ("10000050", "carrier-pigeon", "x", "通知方法"),
    ] {
        let res = request_pin(&app, code, channel, dest).await;
        assert_eq!(res.status(), 400, "{code:?} {channel} {dest:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(expected), "{body}");
    }
    assert_eq!(app.count(pin_challenges::Entity).await, 0);
    assert_eq!(app.count(om::Entity).await, 0);
    for bad_pin in ["", "12345", "abcdef", "1234567", "１２３"] {
        let res = verify(&app, &"0".repeat(64), bad_pin).await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("6桁の数字"));
    }
    let res = verify(&app, "not-a-challenge", "123456").await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_received_by_mail_verifies_an_unverified_address() {
    use app::server::entities::logins;
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn(Backend::Sqlite).await;
    // As after a legacy import: the address is known but was never proven.
    let l = logins::Entity::find()
        .filter(logins::Column::Email.eq("ippan@example.jp"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: logins::ActiveModel = l.into();
    am.email_verified_at = Set(None);
    am.password_hash = Set(None);
    am.update(&app.db).await.unwrap();
    assert_eq!(
        app.login("ippan@example.jp", DEMO_PASSWORD).await.status(),
        401
    );

    let id = challenge(&app, "10000080", "mail", "ippan@example.jp").await;
    let (_, pin) = delivered_pin(&app).await;
    let res = verify(&app, &id, &pin).await;
    let grant = cookie_value(&res, "daiko_reset").unwrap();
    let res = app
        .http
        .post(app.url("/api/recovery/password"))
        .header("cookie", format!("daiko_reset={grant}"))
        .form(&[
            ("password", "chosen by me alone"),
            ("confirm", "chosen by me alone"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.login_token("ippan@example.jp", "chosen by me alone")
        .await;
}
