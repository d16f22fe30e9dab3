//! 監査ログ viewer (#11.3) over HTTP on SQLite and PostgreSQL: staff only (others get 403 and
//! an audit entry, the page only the refusal), filters by お客様ID (actor or subject), kind
//! and JST dates, newest-first paging without gaps, secrets and addresses never in the
//! answer, bad filters refused in Japanese, and the background chain check that finds a
//! changed entry.
#![cfg(feature = "ssr")]
mod common;

use app::server::audit::{self, Entry};
use app::server::entities::{audit_log, customers};
use app::staff::{AuditPage, ChainStatus};
use chrono::{TimeZone, Utc};
use common::{url_encode as enc, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const STAFF: &str = "honbu@example.jp";

fn path(customer: &str, kind: &str, from: &str, to: &str, before: Option<i64>) -> String {
    let mut p = format!(
        "/api/staff/audit?customer={}&kind={}&from={}&to={}",
        enc(customer),
        enc(kind),
        enc(from),
        enc(to)
    );
    if let Some(b) = before {
        p.push_str(&format!("&before={b}"));
    }
    p
}

async fn page(app: &TestApp, token: &str, p: &str) -> AuditPage {
    let res = app.get(p, Some(token)).await;
    assert_eq!(res.status(), 200, "{p}");
    res.json().await.unwrap()
}

async fn customer_id(app: &TestApp, code: &str) -> i64 {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn only_staff_see_the_audit_log() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        for who in ["hansha@example.jp", "shop@example.jp"] {
            let token = app.login_token(who, DEMO_PASSWORD).await;
            let res = app.get(&path("", "", "", "", None), Some(&token)).await;
            assert_eq!(res.status(), 403, "{b:?} {who}");
            let res = app
                .post_form("/api/staff/audit/verify", &[], Some(&token))
                .await;
            assert_eq!(res.status(), 403, "{b:?} {who}");
            // The page renders the refusal and no entry.
            let html = app
                .get("/staff/audit", Some(&token))
                .await
                .text()
                .await
                .unwrap();
            assert!(
                html.contains("この画面は全国販社の職員のみ利用できます"),
                "{b:?} {who}"
            );
            assert!(!html.contains("data-testid=\"audit-entry\""), "{b:?} {who}");
        }
        let refused = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("forbidden_staff_audit"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(refused, 4, "{b:?}");
        // Signed out: no answer at all.
        let res = app.get(&path("", "", "", "", None), None).await;
        assert_eq!(res.status(), 401, "{b:?}");
    }
}

#[tokio::test]
async fn filters_by_customer_kind_and_jst_day() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let _ = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let hansha = customer_id(&app, "10000030").await;
        let shop = customer_id(&app, "10000070").await;
        // One entry just before and one just after JST midnight of 2026-12-01.
        let before_midnight = Utc.with_ymd_and_hms(2026, 11, 30, 14, 59, 59).unwrap();
        let after_midnight = Utc.with_ymd_and_hms(2026, 11, 30, 15, 0, 0).unwrap();
        audit::append(
            &app.db,
            before_midnight,
            Entry::new("test_night").subject(Some(shop)),
        )
        .await
        .unwrap();
        audit::append(
            &app.db,
            after_midnight,
            Entry::new("test_night").actor(hansha).subject(Some(shop)),
        )
        .await
        .unwrap();

        // お客様ID: entries where the customer acted or was acted on.
        let p = page(&app, &staff, &path("10000030", "", "", "", None)).await;
        assert!(!p.rows.is_empty(), "{b:?}");
        for r in &p.rows {
            let codes = [&r.actor, &r.subject].map(|x| x.as_ref().map(|p| p.customer_code.clone()));
            assert!(codes.contains(&Some("10000030".into())), "{b:?} {r:?}");
        }
        assert!(p.rows.iter().any(|r| r.kind == "login"), "{b:?}");
        // Full-width digits are forgiven, as everywhere an お客様ID is typed.
        let wide = page(&app, &staff, &path("１０００００３０", "", "", "", None)).await;
        assert_eq!(wide.rows, p.rows, "{b:?}");

        // Kind, with its Japanese label.
        let logins = page(&app, &staff, &path("", "login", "", "", None)).await;
        assert_eq!(logins.rows.len(), 2, "{b:?}");
        assert!(logins
            .rows
            .iter()
            .all(|r| r.kind == "login" && r.label == "ログイン"));
        assert!(logins.rows[0].id > logins.rows[1].id, "newest first");

        // One JST day: only the entry after midnight.
        let day = page(
            &app,
            &staff,
            &path("", "test_night", "2026-12-01", "2026-12-01", None),
        )
        .await;
        assert_eq!(day.rows.len(), 1, "{b:?}");
        assert_eq!(day.rows[0].at, "2026-12-01 00:00:00");
        assert_eq!(
            day.rows[0].actor.as_ref().unwrap().customer_code,
            "10000030"
        );
        let prev = page(
            &app,
            &staff,
            &path("", "test_night", "2026-11-30", "2026-11-30", None),
        )
        .await;
        assert_eq!(prev.rows.len(), 1, "{b:?}");
        assert_eq!(prev.rows[0].at, "2026-11-30 23:59:59");
        // Everything combined.
        let both = page(
            &app,
            &staff,
            &path("10000070", "test_night", "2026-11-30", "2026-12-01", None),
        )
        .await;
        assert_eq!(both.rows.len(), 2, "{b:?}");
        // An unknown お客様ID finds nothing (staff may know who exists; no error needed).
        let none = page(&app, &staff, &path("99999999", "", "", "", None)).await;
        assert!(none.rows.is_empty() && none.next.is_none());
    }
}

#[tokio::test]
async fn pages_newest_first_without_gaps() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let now = Utc::now();
        for i in 0..120 {
            audit::append(
                &app.db,
                now,
                Entry::new("test_paging").detail(serde_json::json!({ "n": i })),
            )
            .await
            .unwrap();
        }
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let p = page(&app, &staff, &path("", "test_paging", "", "", before)).await;
            assert!(p.rows.len() <= 50);
            seen.extend(p.rows.iter().map(|r| r.detail[0].1.parse::<i64>().unwrap()));
            match p.next {
                Some(n) => before = Some(n),
                None => break,
            }
        }
        let expected: Vec<i64> = (0..120).rev().collect();
        assert_eq!(seen, expected, "{b:?}");
    }
}

#[tokio::test]
async fn secrets_and_addresses_never_reach_the_screen() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        audit::append(
            &app.db,
            Utc::now(),
            Entry::new("test_secret").detail(serde_json::json!({
                "password": "hunter2-secret",
                "pin": "482913",
                "token": "tok-abcdef",
                "to": "someone@example.jp",
                "channel": "sms",
            })),
        )
        .await
        .unwrap();
        let body = app
            .get(&path("", "test_secret", "", "", None), Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        for secret in [
            "hunter2-secret",
            "482913",
            "tok-abcdef",
            "someone@example.jp",
        ] {
            assert!(!body.contains(secret), "{b:?} {secret} in {body}");
        }
        assert!(body.contains("sms"), "{b:?}");
        // The server-rendered page neither (demo logins are e-mail addresses).
        let html = app
            .get("/staff/audit?kind=test_secret", Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-testid=\"audit-entry\""), "{b:?}");
        for secret in ["hunter2-secret", "482913", "tok-abcdef", "@example.jp"] {
            assert!(!html.contains(secret), "{b:?} {secret}");
        }
    }
}

#[tokio::test]
async fn bad_filters_get_japanese_messages() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let long = "1".repeat(10_000);
        for (p, msg) in [
            (path("123", "", "", "", None), "お客様IDは8桁の数字"),
            (path(&long, "", "", "", None), "お客様IDは8桁の数字"),
            (
                path("", "login' OR 1=1 --", "", "", None),
                "種類の指定が正しくありません",
            ),
            (path("", "", "2026-02-30", "", None), "開始日は「年-月-日」"),
            (path("", "", "", &long, None), "終了日は「年-月-日」"),
            (
                path("", "", "2026-12-02", "2026-12-01", None),
                "開始日は終了日より前",
            ),
            (path("", "", "", "", Some(-5)), "ページの指定"),
        ] {
            let res = app.get(&p, Some(&staff)).await;
            assert_eq!(res.status(), 400, "{b:?} {p}");
            let body = res.text().await.unwrap();
            assert!(body.contains(msg), "{b:?} {p}: {body}");
        }
        // The page shows the message too (rendered on the server).
        let html = app
            .get("/staff/audit?customer=12", Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("お客様IDは8桁の数字"), "{b:?}");
    }
}

async fn settled(app: &TestApp, token: &str) -> ChainStatus {
    for _ in 0..200 {
        let p = page(app, token, &path("", "", "", "", None)).await;
        if !p.chain.running() && !matches!(p.chain, ChainStatus::NotChecked { .. }) {
            return p.chain;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the chain check did not finish");
}

#[tokio::test]
async fn the_background_check_finds_a_changed_entry() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let p = page(&app, &staff, &path("", "", "", "", None)).await;
        assert_eq!(p.chain, ChainStatus::NotChecked { running: false }, "{b:?}");
        let res = app
            .post_form("/api/staff/audit/verify", &[], Some(&staff))
            .await;
        assert_eq!(res.status(), 200, "{b:?}");
        let entries = audit_log::Entity::find().count(&app.db).await.unwrap();
        match settled(&app, &staff).await {
            ChainStatus::Intact { entries: n, .. } => assert_eq!(n, entries, "{b:?}"),
            other => panic!("{b:?}: {other:?}"),
        }
        // Someone edits an entry in the database behind the application's back.
        let victim = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("login"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        app.db
            .execute_unprepared(&format!(
                "UPDATE audit_log SET detail = '{{}}' WHERE id = {}",
                victim.id
            ))
            .await
            .unwrap();
        app.post_form("/api/staff/audit/verify", &[], Some(&staff))
            .await;
        match settled(&app, &staff).await {
            ChainStatus::Broken { at_id, reason, .. } => {
                assert_eq!(at_id, Some(victim.id), "{b:?}");
                assert_eq!(reason, "内容が書き換えられています");
            }
            other => panic!("{b:?}: {other:?}"),
        }
        let html = app
            .get("/staff/audit", Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("改ざんを検出しました"), "{b:?}");
    }
}
