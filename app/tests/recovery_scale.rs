//! お問い合わせ (R3) at scale: the request answer does not tell a known お客様ID from an
//! unknown one over hundreds of requests, the per-client limit holds, and two server processes
//! on one PostgreSQL database share every PIN rule (challenges, wrong entries, phone cap).
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{outgoing_messages as om, pin_challenges};
use app::server::queue;
use common::{challenge, request_pin, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::time::{Duration, Instant};

/// Delivers the queue (through the server given) and reads the PIN of the newest SMS.
async fn delivered_pin(app: &TestApp) -> String {
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
        (m.status, m.channel),
        (
            app::server::entities::outgoing_messages::Status::Sent,
            app::model::ResetChannel::Sms
        )
    );
    let m = app.opened(m);
    let start = m.body.find('「').unwrap() + '「'.len_utf8();
    let pin: String = m.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert_eq!(pin.len(), 6, "{}", m.body);
    pin
}

async fn verify(app: &TestApp, id: &str, pin: &str) -> (u16, String) {
    let res = app
        .post_form("/api/recovery/verify", &[("id", id), ("pin", pin)], None)
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn wrong_pin(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// What a client can see of one answer (the redirect's random id reduced to its shape).
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    location_len: usize,
    location_prefix: bool,
    body: String,
}

struct Timings(Vec<Duration>);

impl Timings {
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }
    fn mean(&self) -> f64 {
        self.0.iter().map(|d| Self::ms(*d)).sum::<f64>() / self.0.len() as f64
    }
    fn pct(&self, p: f64) -> f64 {
        let mut v = self.0.clone();
        v.sort();
        let i = ((p / 100.0) * v.len() as f64).ceil() as usize;
        Self::ms(v[i.clamp(1, v.len()) - 1])
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_and_unknown_ids_answer_alike_over_400_requests() {
    const EACH: usize = 200;
    // 400 requests from one address, and every request for the known ID would text its phone:
    // both limits are raised so each request takes its full path (a match sends a PIN).
    let app = TestApp::spawn_with_config(Backend::Sqlite, |c| {
        c.pin.client_requests_per_hour = 10_000;
        c.pin.phone_messages_per_day = 10_000;
    })
    .await;
    let groups = [
        ("known", "10000050", "090-5555-0150"),
        ("unknown", "99999999", "090-5555-0150"),
    ];
    // Warm-up (connection, statement caches), not measured.
    for (_, code, dest) in groups {
        challenge(&app, code, "sms", dest).await;
    }
    let mut times = [Vec::new(), Vec::new()];
    let mut answers: [Vec<Answer>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..EACH {
        for (g, (_, code, dest)) in groups.iter().enumerate() {
            let started = Instant::now();
            let res = request_pin(&app, code, "sms", dest).await;
            let status = res.status().as_u16();
            let loc = res
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body = res.text().await.unwrap();
            times[g].push(started.elapsed());
            answers[g].push(Answer {
                status,
                location_len: loc.len(),
                location_prefix: loc.starts_with("/contact/pin/"),
                body,
            });
        }
    }
    let first = &answers[0][0];
    assert_eq!(
        (first.status, first.location_prefix),
        (200, true),
        "{first:?}"
    );
    for (g, group) in answers.iter().enumerate() {
        for (i, a) in group.iter().enumerate() {
            assert_eq!(a, first, "{} request {i}", groups[g].0);
        }
    }
    // Only the known ID's phone got texts: one per request (plus the warm-up).
    let texts = om::Entity::find()
        .filter(om::Column::Recipient.eq("+819055550150"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(texts.len(), EACH + 1);
    assert_eq!(app.real_messages().await.len(), EACH + 1);

    let [known, unknown] = times.map(Timings);
    for (name, t) in [("known", &known), ("unknown", &unknown)] {
        eprintln!(
            "PIN request timing, {name} お客様ID ({EACH} requests, SQLite, debug build): mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms",
            t.mean(),
            t.pct(50.0),
            t.pct(95.0)
        );
    }
    eprintln!(
        "PIN request timing, known − unknown: mean {:+.2} ms, p50 {:+.2} ms, p95 {:+.2} ms",
        known.mean() - unknown.mean(),
        known.pct(50.0) - unknown.pct(50.0),
        known.pct(95.0) - unknown.pct(95.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_31st_request_from_one_client_within_an_hour_is_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // An unknown ID: the phone cap cannot interfere, and the limit applies all the same.
    for i in 1..=30 {
        let res = request_pin(&app, "99999999", "sms", "090-5555-0150").await;
        assert_eq!(res.status(), 200, "request {i}");
    }
    let res = request_pin(&app, "10000050", "sms", "090-5555-0150").await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("TooManyRequests"));
    let challenges = pin_challenges::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(challenges.len(), 30, "the refused request creates nothing");
    assert!(app.real_messages().await.is_empty());
    // An hour later the client may ask again.
    app.advance(3601);
    assert_eq!(
        request_pin(&app, "10000050", "sms", "090-5555-0150")
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_share_pins_wrong_entries_and_the_phone_cap() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = TestApp::attach(&a).await;
    assert_ne!(a.base, b.base);

    // Requested through A, delivered by A's worker, verified through B; then used on both.
    let id = challenge(&a, "10000050", "sms", "090-5555-0150").await;
    let pin = delivered_pin(&a).await;
    let (status, body) = verify(&b, &id, &pin).await;
    assert_eq!(status, 200, "{body}");
    for s in [&a, &b] {
        let (status, body) = verify(s, &id, &pin).await;
        assert_eq!(status, 400);
        assert!(body.contains("PinUsed"), "{body}");
    }

    // Five wrong entries, alternating A, B, A, B, A: the fifth locks the PIN for both.
    let id = challenge(&b, "10000050", "sms", "090-5555-0150").await;
    let pin = delivered_pin(&b).await;
    let wrong = wrong_pin(&pin);
    for i in 1..=5 {
        let s = if i % 2 == 1 { &a } else { &b };
        let (status, body) = verify(s, &id, wrong).await;
        assert_eq!(status, 400, "attempt {i}");
        let expected = if i < 5 { "PinWrong" } else { "PinLocked" };
        assert!(body.contains(expected), "attempt {i}: {body}");
    }
    for s in [&a, &b] {
        let (status, body) = verify(s, &id, &pin).await;
        assert_eq!(status, 400);
        assert!(body.contains("PinLocked"), "right, but locked: {body}");
    }
    let c = pin_challenges::Entity::find()
        .filter(pin_challenges::Column::PublicId.eq(&id))
        .one(&a.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.wrong_count, c.consumed_at), (5, None));

    // The per-phone daily cap (5) counts the texts queued by both servers.
    let phone = "+819055550180";
    for i in 0..8 {
        let s = if i % 2 == 0 { &a } else { &b };
        challenge(s, "10000080", "sms", "090-5555-0180").await;
    }
    let texts = om::Entity::find()
        .filter(om::Column::Recipient.eq(phone))
        .all(&b.db)
        .await
        .unwrap();
    assert_eq!(texts.len(), 5, "eight requests through A and B, five texts");
    a.advance(24 * 3600 + 1); // one clock for both, as a shared database time would be
    challenge(&b, "10000080", "sms", "090-5555-0180").await;
    let texts = om::Entity::find()
        .filter(om::Column::Recipient.eq(phone))
        .all(&a.db)
        .await
        .unwrap();
    assert_eq!(texts.len(), 6, "a new day, a new allowance");
}
