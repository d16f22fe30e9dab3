//! 還元額 締め and 再発行 (#11.2) through the real HTTP server on SQLite and PostgreSQL:
//! returns reduce the month they are recorded in, a closed month's PDF text and screen figures
//! never move, reissues are new versions that keep the old ones, concurrent closes and
//! reissues stay clean, and bad input writes nothing. The CSV is in `rebate_csv.rs`.
mod common;
#[path = "common/pdf_text.rs"]
mod pdf_text;
#[path = "common/rebate_data.rs"]
mod rebate_data;

use app::server::demo::DEMO_PASSWORD;
use app::server::entities::{audit_log, rebate_closes, rebate_statements};
use chrono::NaiveDate;
use common::{TestApp, BACKENDS};
use pdf_text::{pdf_text, squash};
use rebate_data::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn pdf(app: &TestApp, path: &str, token: &str) -> String {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    pdf_text(&res.bytes().await.unwrap())
}

/// The statement list's entry for `code`.
async fn month_entry(app: &TestApp, token: &str, code: &str) -> serde_json::Value {
    let m: serde_json::Value = app
        .get("/api/documents/rebate-months?customer=", Some(token))
        .await
        .json()
        .await
        .unwrap();
    m["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .cloned()
        .unwrap_or_else(|| panic!("{code} listed: {m}"))
}

async fn reissue(
    app: &TestApp,
    token: &str,
    month: &str,
    who: &str,
    reason: &str,
) -> reqwest::Response {
    app.post_form(
        "/api/staff/rebate-reissue",
        &[("month", month), ("customer", who), ("reason", reason)],
        Some(token),
    )
    .await
}

async fn statements(app: &TestApp) -> Vec<rebate_statements::Model> {
    rebate_statements::Entity::find()
        .order_by_asc(rebate_statements::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_closed_month_never_changes_and_a_reissue_is_a_new_version() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let first = october(&app).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;

        // Before the close: 仮計算, returns on their own line, on screen and in the PDF.
        let e = month_entry(&app, &hansha, OCT).await;
        assert_eq!(e["provisional"], true, "{backend:?} {e}");
        assert_eq!(e["status"], "仮計算");
        assert_eq!(
            (&e["orders_yen"], &e["returns_yen"], &e["base_yen"]),
            (&30_640.into(), &4_880.into(), &25_760.into())
        );
        assert_eq!(e["rebate_yen"], 1_288);
        assert_eq!(e["csv_href"], "/documents/rebate/2026-10.csv");
        let open = squash(&pdf(&app, "/documents/rebate/2026-10.pdf", &hansha).await);
        for want in ["仮計算", "返品（2件）", "-¥4,880", "¥25,760", "¥1,288"] {
            assert!(open.contains(want), "{backend:?}: {want} in {open}");
        }

        let res = close(&app, &staff, OCT).await;
        assert_eq!(res.status(), 200, "{backend:?}");
        assert!(res.text().await.unwrap().contains("2026年10月を締めました"));
        // 第1版 for every ancestor of 10000080 and 10000050, stored with its figures.
        let rows = statements(&app).await;
        let me = customer(&app, "10000030").await;
        let mine: Vec<_> = rows.iter().filter(|r| r.customer_id == me.id).collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].version, mine[0].base_yen, mine[0].amount_yen),
            (1, 25_760, 1_288)
        );
        assert!(rows.iter().all(|r| r.version == 1 && r.month == OCT));
        let shop = customer(&app, "10000080").await;
        assert!(
            rows.iter().all(|r| r.customer_id != shop.id),
            "a leaf has no downline and no statement"
        );

        let closed = pdf(&app, "/documents/rebate/2026-10.pdf", &hansha).await;
        let flat = squash(&closed);
        assert!(
            flat.contains("確定（第1版）") && !flat.contains("仮計算"),
            "{closed}"
        );
        assert!(flat.contains("¥1,288"));
        let before_screen = month_entry(&app, &hansha, OCT).await;
        assert_eq!(before_screen["provisional"], false);
        assert_eq!(before_screen["status"], "確定（第1版）");

        // Later: an order dated in October, a return recorded in October, a higher rate from
        // 1 October and a cancelled order. None of it changes the closed month.
        place(
            &app,
            "10000080",
            &[line("C-3001", 2, 19_800, 10)],
            jst(2026, 10, 28, 10),
        )
        .await;
        record_return(&app, first, 3_800, 0, jst(2026, 10, 30, 10)).await;
        add_rate(
            &app,
            "hansha",
            900,
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        )
        .await;
        // A day later (a new session: the old one went idle), the issue date included.
        app.advance(86_400);
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let again = pdf(&app, "/documents/rebate/2026-10.pdf", &hansha).await;
        assert_eq!(
            again, closed,
            "{backend:?}: the closed PDF's text is unchanged"
        );
        assert_eq!(month_entry(&app, &hansha, OCT).await, before_screen);

        // A reissue recomputes from today's data: 30,640 + 39,600 − 4,880 − 3,800 = 61,560
        // at 9 % = 5,540 (5,540.4 cut), as 第2版; 第1版 stays downloadable unchanged.
        let res = reissue(&app, &staff, OCT, "10000030", "10月28日の注文の計上漏れ").await;
        assert_eq!(res.status(), 200, "{backend:?}");
        assert!(res.text().await.unwrap().contains("第2版を発行しました"));
        let v2 = squash(&pdf(&app, "/documents/rebate/2026-10.pdf", &hansha).await);
        for want in [
            "確定（第2版・再発行）",
            "10月28日の注文の計上漏れ",
            "¥5,540",
            "9.00%",
        ] {
            assert!(v2.contains(want), "{backend:?}: {want} in {v2}");
        }
        let v1 = pdf(&app, "/documents/rebate/2026-10.pdf?version=1", &hansha).await;
        assert_eq!(v1, closed, "第1版 is kept as it was");
        let e = month_entry(&app, &hansha, OCT).await;
        assert_eq!(e["status"], "確定（第2版・再発行）");
        assert_eq!(e["rebate_yen"], 5_540);
        assert_eq!(e["reason"], "10月28日の注文の計上漏れ");
        assert_eq!(
            e["earlier"][0]["href"],
            "/documents/rebate/2026-10.pdf?version=1"
        );
        assert_eq!(e["earlier"].as_array().unwrap().len(), 1);
        // Staff see the same through ?customer= (links keep it).
        let res = app
            .get(
                "/documents/rebate/2026-10.pdf?customer=10000030&version=2",
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200);
        // Each write left an audit entry; the reason is there, no secret is.
        for action in ["rebate_month_closed", "rebate_statement_reissued"] {
            let n = audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .count(&app.db)
                .await
                .unwrap();
            assert_eq!(n, 1, "{action}");
        }
    }
}

#[tokio::test]
async fn bad_input_and_refusals_write_nothing() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        october(&app).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let now = app::domain::time::jst_date(app.state().clock.now());
        let current = app::domain::time::Month::of(now);
        for (month, want) in [
            (current.code(), "まだ終わっていません"),
            (current.next().code(), "まだ終わっていません"),
            ("2026/10".to_owned(), "年-月の形"),
            ("2026-13".to_owned(), "年-月の形"),
            (String::new(), "年-月の形"),
        ] {
            let res = close(&app, &staff, &month).await;
            assert_eq!(res.status(), 400, "{backend:?} {month}");
            assert!(res.text().await.unwrap().contains(want), "{month}");
        }
        // A customer may not close, and the refusal is audited.
        assert_eq!(close(&app, &hansha, OCT).await.status(), 403);
        let refused = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("forbidden_rebate_close"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(refused, 1);
        // Reissuing a month that is not closed.
        let res = reissue(&app, &staff, OCT, "10000030", "訂正").await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("まだ締めていません"));
        assert_eq!(app.count(rebate_closes::Entity).await, 0);
        assert_eq!(app.count(rebate_statements::Entity).await, 0);
        // A version of an open month, a malformed version, a future month's PDF.
        let path = "/documents/rebate/2026-10.pdf?version=1";
        assert_eq!(app.get(path, Some(&hansha)).await.status(), 404);
        let res = app
            .get("/documents/rebate/2026-10.pdf?version=x", Some(&hansha))
            .await;
        assert_eq!(res.status(), 400);
        let future = format!("/documents/rebate/{}.pdf", current.next().code());
        let res = app.get(&future, Some(&hansha)).await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("まだ始まっていません"));

        assert_eq!(close(&app, &staff, OCT).await.status(), 200);
        let stored = statements(&app).await;
        // Closing twice: a clear conflict, nothing more stored.
        let res = close(&app, &staff, OCT).await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("すでに締めています"));
        // Reissue without a reason, for nobody, by a customer: nothing written.
        for (who, reason, status, want) in [
            ("10000030", "  ", 400, "理由を入力"),
            ("10009999", "訂正", 400, "見つかりません"),
            ("abc", "訂正", 400, ""),
        ] {
            let res = reissue(&app, &staff, OCT, who, reason).await;
            assert_eq!(res.status(), status, "{who} {reason:?}");
            assert!(res.text().await.unwrap().contains(want));
        }
        assert_eq!(
            reissue(&app, &hansha, OCT, "10000030", "訂正")
                .await
                .status(),
            403
        );
        let res = reissue(&app, &staff, "10月", "10000030", "訂正").await;
        assert_eq!(res.status(), 400);
        assert_eq!(statements(&app).await, stored);
        assert_eq!(app.count(rebate_closes::Entity).await, 1);
        // A version that does not exist.
        let res = app
            .get("/documents/rebate/2026-10.pdf?version=2", Some(&hansha))
            .await;
        assert_eq!(res.status(), 404);
    }
}

#[tokio::test]
async fn fifty_parallel_closes_close_once() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        october(&app).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let results = app
            .post_many(
                50,
                "/api/staff/rebate-close-month",
                &[("month", OCT)],
                Some(&staff),
            )
            .await;
        let ok = results.iter().filter(|(s, _)| *s == 200).count();
        let conflicts = results.iter().filter(|(s, _)| *s == 409).count();
        assert_eq!((ok, conflicts), (1, 49), "{backend:?}: {results:?}");
        assert_eq!(app.count(rebate_closes::Entity).await, 1);
        let rows = statements(&app).await;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.customer_id).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "one set of statements");
        assert!(n >= 3, "{n}");
        let msg = &results.iter().find(|(s, _)| *s == 200).unwrap().1;
        assert!(msg.contains(&format!("計算書 {n}件")), "{msg}");
    }
}

#[tokio::test]
async fn fifty_parallel_reissues_get_distinct_versions() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        october(&app).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        assert_eq!(close(&app, &staff, OCT).await.status(), 200);
        let results = app
            .post_many(
                50,
                "/api/staff/rebate-reissue",
                &[
                    ("month", OCT),
                    ("customer", "10000030"),
                    ("reason", "再計算"),
                ],
                Some(&staff),
            )
            .await;
        assert!(
            results.iter().all(|(s, _)| *s == 200),
            "{backend:?}: {results:?}"
        );
        let me = customer(&app, "10000030").await;
        let mut versions: Vec<i32> = statements(&app)
            .await
            .into_iter()
            .filter(|r| r.customer_id == me.id)
            .map(|r| r.version)
            .collect();
        versions.sort();
        assert_eq!(versions, (1..=51).collect::<Vec<_>>());
    }
}
