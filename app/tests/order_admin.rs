//! 受注管理 (#11.1) and the orders CSV (#11.5) through the real HTTP routes, on SQLite and
//! PostgreSQL: every status change and the impossible ones, stale versions, permissions of
//! customers, 画面1 users and staff, bad input, concurrency, the ship mail, 注文履歴, and
//! the CSV's filters, encodings and injection neutralisation.
#![cfg(feature = "ssr")]
mod common;

use app::domain::time::jst;
use app::server::entities::orders::OrderStatus;
use app::server::entities::{
    audit_log, customers, order_lines, order_return_lines, order_returns, orders,
};
use app::server::ordering::order_number;
use common::{url_encode as enc, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Value};

const STAFF: &str = "honbu@example.jp";
const HANSHA: &str = "hansha@example.jp"; // 画面1, 10000030
const AOBA: &str = "aoba@example.jp"; // 画面2, 10000031

/// An order placed through the ordering API: A-1006 × 3 (10%) and B-2001 × 2 (8%).
async fn place(app: &TestApp, token: &str) -> String {
    let res = app
        .http
        .post(app.url("/api/orders/place"))
        .header("cookie", format!("daiko_session={token}"))
        .json(&json!({ "lines": [
            { "product_code": "A-1006", "quantity": "3", "unit_price_yen": 680, "tax_rate_percent": 10 },
            { "product_code": "B-2001", "quantity": "2", "unit_price_yen": 1080, "tax_rate_percent": 8 },
        ]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    v["order_number"].as_str().unwrap().to_owned()
}

async fn customer(app: &TestApp, code: &str) -> customers::Model {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// An order written directly: one 10% line of `quantity` × ¥100, in `status`.
async fn insert_order(
    app: &TestApp,
    code: &str,
    quantity: i32,
    status: &str,
    age_secs: i64,
) -> String {
    let c = customer(app, code).await;
    let at = app.state().clock.now() - chrono::Duration::seconds(age_secs);
    let amount = 100 * i64::from(quantity);
    let o = orders::ActiveModel {
        order_number: Set(format!("tmp-{}", rand_suffix())),
        customer_id: Set(c.id),
        status: Set(OrderStatus::from_code(status).unwrap()),
        ordered_at: Set(at),
        subtotal_10_yen: Set(amount),
        tax_10_yen: Set(amount / 10),
        subtotal_8_yen: Set(0),
        tax_8_yen: Set(0),
        total_yen: Set(amount + amount / 10),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let number = order_number(at, o.id);
    let mut am: orders::ActiveModel = o.clone().into();
    am.order_number = Set(number.clone());
    am.update(&app.db).await.unwrap();
    let p = app::server::entities::products::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    order_lines::ActiveModel {
        order_id: Set(o.id),
        line_no: Set(1),
        product_id: Set(p.id),
        product_code: Set(p.code),
        product_name: Set(p.name),
        unit_price_yen: Set(100),
        tax_rate_percent: Set(10),
        quantity: Set(quantity),
        amount_yen: Set(amount),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    number
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

async fn order(app: &TestApp, number: &str) -> orders::Model {
    orders::Entity::find()
        .filter(orders::Column::OrderNumber.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn audits(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn today(app: &TestApp) -> chrono::NaiveDate {
    jst(app.state().clock.now()).date_naive()
}

async fn ship(
    app: &TestApp,
    t: &str,
    number: &str,
    version: &str,
    date: &str,
    tracking: &str,
) -> (u16, String) {
    let res = app
        .post_form(
            "/api/staff/orders/ship",
            &[
                ("number", number),
                ("version", version),
                ("shipped_on", date),
                ("tracking_number", tracking),
            ],
            Some(t),
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn cancel(
    app: &TestApp,
    t: &str,
    number: &str,
    version: &str,
    reason: &str,
) -> (u16, String) {
    let res = app
        .post_form(
            "/api/staff/orders/cancel",
            &[("number", number), ("version", version), ("reason", reason)],
            Some(t),
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn give_back(
    app: &TestApp,
    t: &str,
    number: &str,
    version: &str,
    qty: &[(&str, &str)],
    reason: &str,
) -> (u16, String) {
    let keys: Vec<String> = qty.iter().map(|(l, _)| format!("qty[{l}]")).collect();
    let mut form: Vec<(&str, &str)> =
        vec![("number", number), ("version", version), ("reason", reason)];
    for (k, (_, q)) in keys.iter().zip(qty) {
        form.push((k.as_str(), q));
    }
    let res = app
        .post_form("/api/staff/orders/return", &form, Some(t))
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn list(app: &TestApp, t: &str, query: &str) -> (u16, Value) {
    let res = app
        .get(&format!("/api/staff/orders?{query}"), Some(t))
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn detail(app: &TestApp, t: &str, number: &str) -> (u16, Value) {
    let res = app
        .get(
            &format!("/api/staff/orders/detail?number={}", enc(number)),
            Some(t),
        )
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn history(app: &TestApp, t: &str) -> Vec<Value> {
    app.get("/api/orders/history", Some(t))
        .await
        .json()
        .await
        .unwrap()
}

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        order_returns::Entity::find().count(&app.db).await.unwrap(),
        order_return_lines::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.is_in([
                "order_shipped",
                "order_cancelled",
                "order_returned",
            ]))
            .count(&app.db)
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ship_then_return_with_audit_mail_and_history() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let cust = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let number = place(&app, &cust).await;

        let (s, page) = list(&app, &staff, "").await;
        assert_eq!(s, 200, "{b:?}");
        let row = &page["rows"][0];
        assert_eq!(row["order_number"], number.as_str());
        assert_eq!(row["customer_code"], "10000030");
        assert_eq!(row["status_label"], "受付");
        let (s, d) = detail(&app, &staff, &number).await;
        assert_eq!(s, 200);
        assert_eq!(d["version"], 1);
        assert_eq!(
            (
                d["can_ship"].as_bool(),
                d["can_cancel"].as_bool(),
                d["can_return"].as_bool()
            ),
            (Some(true), Some(true), Some(false))
        );
        assert!(!d.to_string().contains('@'), "staff never see the e-mail");

        let before = app.real_messages().await.len();
        let date = today(&app).format("%Y-%m-%d").to_string();
        let (s, body) = ship(&app, &staff, &number, "1", &date, "1234-5678-9012").await;
        assert_eq!(s, 200, "{b:?} {body}");
        assert!(body.contains("出荷済にしました"), "{body}");
        let o = order(&app, &number).await;
        assert_eq!((o.status.code(), o.version), ("shipped", 2));
        assert_eq!(o.shipped_on, Some(today(&app)));
        assert_eq!(o.tracking_number.as_deref(), Some("1234-5678-9012"));
        assert!(o.status_changed_at.is_some());
        let a = audits(&app, "order_shipped").await;
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].subject_customer_id, Some(o.customer_id));
        assert!(a[0].detail.contains(&number));
        let msgs = app.real_messages().await;
        assert_eq!(msgs.len(), before + 1, "{b:?}: one ship mail");
        let m = msgs.last().unwrap();
        assert_eq!(m.recipient, HANSHA);
        assert!(
            m.subject.contains("出荷") && m.subject.contains(&number),
            "{}",
            m.subject
        );

        // The customer's 注文履歴 shows it.
        let h = history(&app, &cust).await;
        assert_eq!(h[0]["status_label"], "出荷済");
        assert_eq!(
            h[0]["shipped_on"],
            today(&app).format("%Y/%m/%d").to_string()
        );
        assert_eq!(h[0]["tracking_number"], "1234-5678-9012");

        // Impossible now: ship again, cancel.
        let (s, body) = ship(&app, &staff, &number, "2", &date, "1").await;
        assert_eq!(s, 400, "{body}");
        assert!(body.contains("出荷登録できません"), "{body}");
        let (s, body) = cancel(&app, &staff, &number, "2", "誤発注").await;
        assert_eq!(s, 400);
        assert!(body.contains("出荷済の注文は取り消せません"), "{body}");
        assert_eq!(
            order(&app, &number).await.version,
            2,
            "refusals write nothing"
        );

        // A return of 1 of line 1 (¥680 at 10%) and 1 of line 2 (¥1,080 at 8%).
        let (s, body) = give_back(
            &app,
            &staff,
            &number,
            "2",
            &[("1", "1"), ("2", "1")],
            "破損",
        )
        .await;
        assert_eq!(s, 200, "{b:?} {body}");
        let r = order_returns::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                r.subtotal_10_yen,
                r.tax_10_yen,
                r.subtotal_8_yen,
                r.tax_8_yen
            ),
            (680, 68, 1080, 86)
        );
        assert_eq!(r.total_yen, 680 + 68 + 1080 + 86);
        assert_eq!(r.reason, "破損");
        // Recorded now (the month it counts in), not at the order's date.
        assert!(
            (r.recorded_at - app.state().clock.now())
                .num_seconds()
                .abs()
                < 5
        );
        let rl = order_return_lines::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            rl.iter()
                .map(|l| (l.quantity, l.amount_yen))
                .collect::<Vec<_>>(),
            [(1, 680), (1, 1080)]
        );
        assert_eq!(order(&app, &number).await.version, 3);
        assert_eq!(audits(&app, "order_returned").await.len(), 1);

        // More than remains (3 − 1 = 2) is refused and writes nothing.
        let (s, body) = give_back(&app, &staff, &number, "3", &[("1", "3")], "破損").await;
        assert_eq!(s, 400);
        assert!(body.contains("2個まで"), "{body}");
        let (s, body) = give_back(&app, &staff, &number, "3", &[("1", "")], "破損").await;
        assert_eq!(s, 400);
        assert!(body.contains("1行以上"), "{body}");
        let (s, body) = give_back(&app, &staff, &number, "3", &[("1", "1")], " ").await;
        assert_eq!(s, 400);
        assert!(body.contains("返品理由を入力"), "{body}");
        assert_eq!(counts(&app).await, (1, 2, 2));
        assert_eq!(order(&app, &number).await.version, 3);

        let (_, d) = detail(&app, &staff, &number).await;
        assert_eq!(d["lines"][0]["returned"], 1);
        assert_eq!(d["returns"][0]["total_yen"], 680 + 68 + 1080 + 86);
        let (_, page) = list(&app, &staff, "").await;
        assert_eq!(page["rows"][0]["returned_yen"], 680 + 68 + 1080 + 86);
        let h = history(&app, &cust).await;
        assert_eq!(h[0]["returns"].as_array().unwrap().len(), 1);
        assert!(
            h[0]["returns"][0].as_str().unwrap().contains("返品 ¥1,914"),
            "{}",
            h[0]["returns"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_needs_a_reason_and_is_final() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let cust = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let number = place(&app, &cust).await;
        // A return before shipping is refused.
        let (s, body) = give_back(&app, &staff, &number, "1", &[("1", "1")], "x").await;
        assert_eq!(s, 400);
        assert!(body.contains("返品は出荷後のみ"), "{body}");
        let (s, body) = cancel(&app, &staff, &number, "1", "   ").await;
        assert_eq!(s, 400, "{b:?}");
        assert!(body.contains("取消理由を入力してください"), "{body}");
        let (s, body) = cancel(&app, &staff, &number, "1", &"あ".repeat(201)).await;
        assert_eq!(s, 400);
        assert!(body.contains("200文字"), "{body}");
        assert_eq!(order(&app, &number).await.status.code(), "received");
        let (s, body) = cancel(&app, &staff, &number, "1", "お客様のご依頼").await;
        assert_eq!(s, 200, "{body}");
        let o = order(&app, &number).await;
        assert_eq!((o.status.code(), o.version), ("cancelled", 2));
        assert_eq!(o.cancel_reason.as_deref(), Some("お客様のご依頼"));
        assert_eq!(audits(&app, "order_cancelled").await.len(), 1);
        assert_eq!(history(&app, &cust).await[0]["status_label"], "取消");
        let date = today(&app).format("%Y-%m-%d").to_string();
        let (s, body) = ship(&app, &staff, &number, "2", &date, "123").await;
        assert_eq!(s, 400);
        assert!(body.contains("取消"), "{body}");
        let (s, _) = cancel(&app, &staff, &number, "2", "again").await;
        assert_eq!(s, 400);
        let (s, _) = give_back(&app, &staff, &number, "2", &[("1", "1")], "x").await;
        assert_eq!(s, 400);
        assert_eq!(order(&app, &number).await.version, 2);
        assert_eq!(counts(&app).await, (0, 0, 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_screens_get_a_conflict_and_nothing_is_written() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let cust = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let number = place(&app, &cust).await;
        let date = today(&app).format("%Y-%m-%d").to_string();
        for v in ["0", "2"] {
            let (s, body) = ship(&app, &staff, &number, v, &date, "123").await;
            assert_eq!(s, 409, "{b:?} {body}");
            assert!(body.contains("Conflict"), "{body}");
            let (s, _) = cancel(&app, &staff, &number, v, "理由").await;
            assert_eq!(s, 409);
        }
        assert_eq!(order(&app, &number).await.version, 1);
        assert_eq!(counts(&app).await, (0, 0, 0));
        // Two screens showed version 1: the first ships, the second's cancel conflicts.
        let (s, _) = ship(&app, &staff, &number, "1", &date, "123").await;
        assert_eq!(s, 200);
        let (s, _) = cancel(&app, &staff, &number, "1", "理由").await;
        assert_eq!(s, 409);
        // A return entered on a screen from before another return: refused, not doubled.
        let (s, _) = give_back(&app, &staff, &number, "2", &[("1", "1")], "破損").await;
        assert_eq!(s, 200);
        let (s, _) = give_back(&app, &staff, &number, "2", &[("1", "1")], "破損").await;
        assert_eq!(s, 409);
        let (s, _) = give_back(&app, &staff, &number, "abc", &[("1", "1")], "破損").await;
        assert_eq!(s, 400);
        assert_eq!(counts(&app).await, (1, 1, 2));
        assert_eq!(order(&app, &number).await.status.code(), "shipped");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_japanese_messages_and_writes_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        // Ordered 3 days ago (JST date earlier than today).
        let number = insert_order(&app, "10000030", 2, "received", 3 * 86_400).await;
        let ordered = jst(order(&app, &number).await.ordered_at).date_naive();
        let t = today(&app);
        let fmt = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let cases = [
            (fmt(t + chrono::Duration::days(8)), "123", "7日後"),
            (fmt(ordered - chrono::Duration::days(1)), "123", "注文日"),
            ("2026-02-30".to_string(), "123", "実在する日付"),
            ("あした".to_string(), "123", "実在する日付"),
            (String::new(), "123", "出荷日を入力"),
            (fmt(t), "", "送り状番号を入力"),
            (fmt(t), "ABC-1", "数字とハイフン"),
            (fmt(t), &"1".repeat(31), "30文字"),
        ];
        for (date, tracking, expect) in &cases {
            let (s, body) = ship(&app, &staff, &number, "1", date, tracking).await;
            assert_eq!(s, 400, "{b:?} {date} {tracking}: {body}");
            assert!(
                body.contains(expect),
                "{date} {tracking}: expected {expect}, got {body}"
            );
        }
        // The limits themselves are accepted: 7 days ahead.
        let (s, body) = ship(
            &app,
            &staff,
            &number,
            "1",
            &fmt(t + chrono::Duration::days(7)),
            "１２３",
        )
        .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(
            order(&app, &number).await.tracking_number.as_deref(),
            Some("123")
        );

        // Unknown orders: 404 everywhere, nothing written.
        let (s, body) = detail(&app, &staff, "O-20990101-999999").await;
        assert_eq!(s, 404, "{body}");
        let (s, body) = ship(&app, &staff, "O-20990101-999999", "1", &fmt(t), "1").await;
        assert_eq!(s, 404);
        assert!(body.contains("NotFound"), "{body}");
        let (s, _) = cancel(&app, &staff, &"X".repeat(500), "1", "理由").await;
        assert_eq!(s, 404);
        let (s, _) = give_back(&app, &staff, &number, "2", &[("9", "1")], "破損").await;
        assert_eq!(s, 400);

        // Filters.
        for (q, expect) in [
            (format!("q={}", enc(&"あ".repeat(101))), "100文字"),
            ("from=2026-13-01".into(), "開始日"),
            ("to=10000-01-01".into(), "終了日"),
            ("from=2026-12-02&to=2026-12-01".into(), "終了日より前"),
            ("status=lost".into(), "状態の指定"),
            ("cursor=abc".into(), "ページの指定"),
        ] {
            let (s, body) = list(&app, &staff, &q).await;
            assert_eq!(s, 400, "{b:?} {q}: {body}");
            assert!(body.to_string().contains(expect), "{q}: {body}");
            // The export takes the same filters (it has no cursor: it reads every page).
            if !q.starts_with("cursor") {
                let res = app
                    .get(&format!("/documents/orders.csv?{q}"), Some(&staff))
                    .await;
                assert_eq!(res.status(), 400, "csv {q}");
                assert!(res.text().await.unwrap().contains(expect));
            }
        }
        assert_eq!(counts(&app).await, (0, 0, 1));
        assert_eq!(
            audits(&app, "orders_exported").await.len(),
            0,
            "a refused export is no export"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_may_see_or_change_orders() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let aoba = app.login_token(AOBA, DEMO_PASSWORD).await;
        let number = place(&app, &hansha).await;
        let shipped = insert_order(&app, "10000031", 2, "shipped", 60).await;
        let date = today(&app).format("%Y-%m-%d").to_string();
        for (who, t) in [("画面1", &hansha), ("画面2", &aoba)] {
            let (s, _) = list(&app, t, "").await;
            assert_eq!(s, 403, "{b:?} {who} list");
            let (s, _) = detail(&app, t, &number).await;
            assert_eq!(s, 403, "{who} detail");
            let (s, body) = ship(&app, t, &number, "1", &date, "123").await;
            assert_eq!(s, 403, "{who} ship");
            assert!(body.contains("Forbidden"), "{body}");
            let (s, _) = cancel(&app, t, &number, "1", "理由").await;
            assert_eq!(s, 403, "{who} cancel");
            let (s, _) = give_back(&app, t, &shipped, "1", &[("1", "1")], "理由").await;
            assert_eq!(s, 403, "{who} return");
            let res = app.get("/documents/orders.csv", Some(t)).await;
            assert_eq!(res.status(), 403, "{who} export");
        }
        // Signed out: 401.
        let (s, _) = list(&app, "nope", "").await;
        assert_eq!(s, 401);
        // The documents are behind the page guard: signed out is sent to the login page.
        assert_eq!(app.get("/documents/orders.csv", None).await.status(), 303);
        for action in [
            "forbidden_order_list",
            "forbidden_order_view",
            "forbidden_order_ship",
            "forbidden_order_cancel",
            "forbidden_order_return",
            "forbidden_orders_export",
        ] {
            assert_eq!(audits(&app, action).await.len(), 2, "{b:?} {action}");
        }
        assert!(audits(&app, "forbidden_order_ship").await[0]
            .detail
            .contains(&number));
        let o = order(&app, &number).await;
        assert_eq!((o.status.code(), o.version), ("received", 1));
        assert_eq!(counts(&app).await, (0, 0, 0));
        // Staff: allowed.
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        assert_eq!(list(&app, &staff, "").await.0, 200);
        assert_eq!(detail(&app, &staff, &number).await.0, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_ships_succeed_once_and_returns_never_exceed_the_quantity() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let number = insert_order(&app, "10000030", 7, "received", 60).await;
        let date = today(&app).format("%Y-%m-%d").to_string();
        let form = [
            ("number", number.as_str()),
            ("version", "1"),
            ("shipped_on", date.as_str()),
            ("tracking_number", "555"),
        ];
        let res = app
            .post_many(50, "/api/staff/orders/ship", &form, Some(&staff))
            .await;
        let ok = res.iter().filter(|(s, _)| *s == 200).count();
        let conflict = res.iter().filter(|(s, _)| *s == 409).count();
        assert_eq!(
            (ok, conflict),
            (1, 49),
            "{b:?}: {:?}",
            res.iter().find(|(s, _)| *s != 200 && *s != 409)
        );
        assert_eq!(order(&app, &number).await.version, 2);
        assert_eq!(audits(&app, "order_shipped").await.len(), 1);

        // 50 returns of 1 unit, none carrying a version: exactly 7 go through.
        let form = [
            ("number", number.as_str()),
            ("qty[1]", "1"),
            ("reason", "返品"),
        ];
        let res = app
            .post_many(50, "/api/staff/orders/return", &form, Some(&staff))
            .await;
        let ok = res.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            ok,
            7,
            "{b:?}: {:?}",
            res.iter().find(|(s, _)| *s != 200 && *s != 400)
        );
        assert!(res
            .iter()
            .filter(|(s, _)| *s != 200)
            .all(|(s, body)| *s == 400 && body.contains("全数が返品済み")));
        let lines = order_return_lines::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(lines.iter().map(|l| l.quantity).sum::<i32>(), 7);
        assert_eq!(
            order_returns::Entity::find().count(&app.db).await.unwrap(),
            7
        );
        assert_eq!(audits(&app, "order_returned").await.len(), 7);
        assert_eq!(order(&app, &number).await.version, 2 + 7);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_without_a_login_email_gets_no_mail_and_no_error() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let number = insert_order(&app, "10000090", 1, "received", 60).await;
        let before = app.real_messages().await.len();
        let date = today(&app).format("%Y-%m-%d").to_string();
        let (s, body) = ship(&app, &staff, &number, "1", &date, "777").await;
        assert_eq!(s, 200, "{b:?} {body}");
        assert_eq!(app.real_messages().await.len(), before);
        assert_eq!(order(&app, &number).await.status.code(), "shipped");
    }
}

fn csv_lines(body: &[u8]) -> Vec<String> {
    assert!(body.starts_with(&[0xef, 0xbb, 0xbf]), "UTF-8 BOM first");
    let text = std::str::from_utf8(&body[3..]).unwrap();
    text.split_terminator("\r\n").map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_and_csv_filter_page_and_neutralise_formulas() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        // 120 orders of やまだ販社 (newest = smallest age), 3 of あおば, one shipped.
        for i in 0..120 {
            insert_order(&app, "10000030", 1, "received", 1000 + i).await;
        }
        let mut aoba = Vec::new();
        for i in 0..3 {
            aoba.push(insert_order(&app, "10000031", 2, "received", 10 + i).await);
        }
        let date = today(&app).format("%Y-%m-%d").to_string();
        assert_eq!(
            ship(&app, &staff, &aoba[0], "1", &date, "=1+2").await.0,
            400,
            "formula as 送り状番号 refused"
        );
        assert_eq!(ship(&app, &staff, &aoba[0], "1", &date, "9-9").await.0, 200);
        // A customer whose name Excel would run as a formula.
        let c = customer(&app, "10000031").await;
        let mut am: customers::ActiveModel = c.into();
        am.name = Set("=HYPERLINK(\"http://x\")".into());
        am.update(&app.db).await.unwrap();

        // Paging: 50, 50, 23, newest first, no row twice.
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let (s, page) = list(&app, &staff, &format!("cursor={}", enc(&cursor))).await;
            assert_eq!(s, 200);
            let rows = page["rows"].as_array().unwrap();
            assert!(rows.len() <= 50);
            seen.extend(
                rows.iter()
                    .map(|r| r["order_number"].as_str().unwrap().to_owned()),
            );
            match page["next"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 123, "{b:?}");
        assert_eq!(&seen[..3], &aoba[..], "newest first");
        let mut uniq = seen.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), 123);

        // Filters on the list.
        let (_, p) = list(&app, &staff, "status=shipped").await;
        assert_eq!(p["rows"].as_array().unwrap().len(), 1);
        let (_, p) = list(&app, &staff, "q=10000031").await;
        assert_eq!(p["rows"].as_array().unwrap().len(), 3);
        let (_, p) = list(&app, &staff, &format!("q={}", enc("ﾔﾏﾀﾞ"))).await;
        assert_eq!(
            p["rows"].as_array().unwrap().len(),
            50,
            "kana key, half-width"
        );
        let (_, p) = list(&app, &staff, &format!("q={}", enc("092-555"))).await;
        assert_eq!(p["rows"].as_array().unwrap().len(), 50, "phone prefix");
        let (_, p) = list(&app, &staff, &format!("q={}", enc("aoba@example.jp"))).await;
        assert_eq!(p["rows"].as_array().unwrap().len(), 0, "never by e-mail");
        let tomorrow = (today(&app) + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let (_, p) = list(&app, &staff, &format!("from={tomorrow}")).await;
        assert_eq!(p["rows"].as_array().unwrap().len(), 0);

        // CSV: every row, the header, formulas neutralised.
        let res = app.get("/documents/orders.csv", Some(&staff)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let l = csv_lines(&res.bytes().await.unwrap());
        assert_eq!(
            l[0],
            "注文番号,注文日,お客様ID,代理店名,状態,出荷日,送り状番号,小計,消費税,合計,返品額"
        );
        assert_eq!(l.len(), 1 + 123, "{b:?}");
        let first: Vec<&str> = l[1..]
            .iter()
            .map(|r| r.split(',').next().unwrap())
            .collect();
        assert_eq!(
            first,
            seen.iter().map(String::as_str).collect::<Vec<_>>(),
            "the list's order"
        );
        let shipped_row = l.iter().find(|r| r.starts_with(&aoba[0])).unwrap();
        assert!(
            shipped_row.contains(",10000031,\"'=HYPERLINK(\"\"http://x\"\")\",出荷済,"),
            "{shipped_row}"
        );
        assert!(shipped_row.ends_with(",9-9,200,20,220,0"), "{shipped_row}");
        assert!(!l.concat().contains('@'));

        // Filtered CSV, Shift_JIS.
        let res = app
            .get(
                "/documents/orders.csv?status=shipped&encoding=sjis",
                Some(&staff),
            )
            .await;
        assert_eq!(res.headers()["content-type"], "text/csv; charset=Shift_JIS");
        let bytes = res.bytes().await.unwrap();
        assert!(!bytes.starts_with(&[0xef, 0xbb, 0xbf]));
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad);
        let rows: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].starts_with("注文番号,注文日"));
        assert!(rows[1].starts_with(&aoba[0]));
        let res = app
            .get(
                &format!("/documents/orders.csv?q={}", enc("やまだ")),
                Some(&staff),
            )
            .await;
        assert_eq!(csv_lines(&res.bytes().await.unwrap()).len(), 1 + 120);
        let a = audits(&app, "orders_exported").await;
        assert_eq!(a.len(), 3);
        assert!(
            a[1].detail.contains("\"status\":\"shipped\""),
            "{}",
            a[1].detail
        );
        assert!(
            !a[2].detail.contains("やまだ"),
            "the customer query is not logged"
        );
    }
}
