//! Every rate limit holds under 50 concurrent requests, on SQLite and PostgreSQL: the count
//! and the write share one transaction and a lock (`server::limits`). The PIN limits (client,
//! phone, wrong entries) are in recovery_probing.rs; these are the others.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{email_verifications as ev, limit_events};
use common::{challenge, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn count(answers: &[(u16, String)], status: u16, kind: &str) -> usize {
    answers
        .iter()
        .filter(|(s, b)| *s == status && b.contains(kind))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_stop_at_the_limit_under_50_concurrent_guesses() {
    for b in BACKENDS {
        let app = TestApp::spawn_with_config(b, |c| c.login_failure_limit = 10).await;
        let form = [("email", "aoba@example.jp"), ("password", "wrong-password")];
        let answers = app.post_many(50, "/api/auth/login", &form, None).await;
        let wrong = count(&answers, 401, "InvalidCredentials");
        let limited = count(&answers, 429, "TooManyAttempts");
        assert_eq!((wrong, limited), (10, 40), "{b:?}: {answers:?}");
        // Even the right password is refused now: the limit is per typed address.
        let res = app.login("aoba@example.jp", DEMO_PASSWORD).await;
        assert_eq!(res.status(), 429);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_per_customer_per_day_hold_under_50_concurrent_requests() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        // An upline registering login information for 10000090 (no login yet).
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let form = [("customer_code", "10000090"), ("email", "ito@example.jp")];
        let answers = app
            .post_many(50, "/api/account/register-login", &form, Some(&shop))
            .await;
        let ok = answers.iter().filter(|(s, _)| *s == 200).count();
        let limited = count(&answers, 429, "TooManyRequests");
        assert_eq!((ok, limited), (10, 40), "{b:?}: {answers:?}");
        let ito = app::server::entities::customers::Entity::find()
            .filter(app::server::entities::customers::Column::CustomerCode.eq("10000090"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let links = ev::Entity::find()
            .filter(ev::Column::CustomerId.eq(ito.id))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(links, 10);

        // A customer changing their own e-mail.
        let me = app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
        let form = [
            ("current", DEMO_PASSWORD),
            ("email", "new-ippan@example.jp"),
        ];
        let answers = app
            .post_many(50, "/api/account/email", &form, Some(&me))
            .await;
        let ok = answers.iter().filter(|(s, _)| *s == 200).count();
        let limited = count(&answers, 429, "TooManyRequests");
        assert_eq!((ok, limited), (10, 40), "{b:?}: {answers:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_pins_per_customer_stop_at_the_hourly_limit_under_50_concurrent_entries() {
    for b in BACKENDS {
        let app = TestApp::spawn_with_config(b, |c| {
            c.pin.customer_failures_per_hour = 12;
            c.pin.client_requests_per_hour = 1000;
        })
        .await;
        // Ten challenges of one お客様ID (five wrong entries each would be 50).
        let mut ids = Vec::new();
        for _ in 0..10 {
            ids.push(challenge(&app, "10000050", "sms", "090-5555-9999").await);
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
        let mut set = tokio::task::JoinSet::new();
        for i in 0..50 {
            let (http, url, id, barrier) = (
                app.http.clone(),
                app.url("/api/recovery/verify"),
                ids[i % 10].clone(),
                barrier.clone(),
            );
            set.spawn(async move {
                barrier.wait().await;
                let res = http
                    .post(url)
                    .form(&[("id", id.as_str()), ("pin", "000000")])
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            });
        }
        let mut answers = Vec::new();
        while let Some(r) = set.join_next().await {
            answers.push(r.unwrap());
        }
        let counted = limit_events::Entity::find()
            .filter(limit_events::Column::Bucket.eq("pin-failure"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(counted, 12, "{b:?}: {answers:?}");
        assert_eq!(
            count(&answers, 429, "TooManyRequests"),
            38,
            "{b:?}: {answers:?}"
        );
    }
}
