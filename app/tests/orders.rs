//! Products, ordering and order history (R6, R8) through the real HTTP server functions, on
//! SQLite and PostgreSQL.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{audit_log, order_lines, orders};
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

const HANSHA: &str = "hansha@example.jp"; // 画面1
const AOBA: &str = "aoba@example.jp"; // 画面2
const STAFF: &str = "honbu@example.jp";

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<Value> {
    let res = app
        .http
        .get(app.url("/api/orders/products"))
        .query(&[("q", q)])
        .header("cookie", format!("daiko_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "search {q}");
    res.json().await.unwrap()
}

fn codes(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

async fn place(app: &TestApp, token: &str, lines: Value) -> reqwest::Response {
    app.http
        .post(app.url("/api/orders/place"))
        .header("cookie", format!("daiko_session={token}"))
        .json(&json!({ "lines": lines }))
        .send()
        .await
        .unwrap()
}

fn line(code: &str, q: &str, price: i64, rate: i64) -> Value {
    json!({ "product_code": code, "quantity": q, "unit_price_yen": price, "tax_rate_percent": rate })
}

async fn order_rows(app: &TestApp) -> (u64, u64) {
    (
        orders::Entity::find().count(&app.db).await.unwrap(),
        order_lines::Entity::find().count(&app.db).await.unwrap(),
    )
}

async fn history(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get("/api/orders/history", Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_ahead_finds_products_by_kanji_kana_width_and_code() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let t = app.login_token(HANSHA, DEMO_PASSWORD).await;
        for q in ["浄水", "じょうすい", "ジョウスイ", "ｼﾞｮｳｽｲ", "ｊｏｕ"]
        {
            let found = codes(&search(&app, &t, q).await);
            if q == "ｊｏｕ" {
                assert!(found.is_empty(), "{b:?} {q}: {found:?}");
                continue;
            }
            // Z-9001 is 取扱停止: customers never see it.
            assert_eq!(found, ["A-1001", "A-1002"], "{b:?} {q}");
        }
        assert_eq!(
            codes(&search(&app, &t, "a-100").await),
            (1..=9).map(|i| format!("A-100{i}")).collect::<Vec<_>>(),
            "{b:?} code prefix, lower case"
        );
        assert_eq!(codes(&search(&app, &t, "Ｂ－２００１").await), ["B-2001"]);
        assert_eq!(codes(&search(&app, &t, "りょくちゃ").await), ["B-2001"]);
        // Looks like a code but no code starts with it: the name decides.
        assert_eq!(codes(&search(&app, &t, "5kg").await), ["B-2002"]);
        assert!(search(&app, &t, "").await.is_empty());
        assert!(
            search(&app, &t, "%").await.is_empty(),
            "LIKE wildcards are literal"
        );
        let hit = &search(&app, &t, "B-2001").await[0];
        assert_eq!(hit["name"], "有機 緑茶");
        assert_eq!(hit["price_yen"], 1080);
        assert_eq!(hit["tax_rate_percent"], 8);
        assert_eq!(hit["picture"], "/products/b-2001.svg");

        // Signed out: no catalogue.
        let res = app.get("/api/orders/products?q=A", None).await;
        assert_eq!(res.status(), 401);
        let res = app.get("/api/orders/catalogue", Some(&t)).await;
        assert_eq!(res.status(), 200);
        let all: Vec<Value> = res.json().await.unwrap();
        assert_eq!(all.len(), 19, "{b:?}: 20 demo products, one 取扱停止");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordering_by_code_and_by_kana_with_totals_per_tax_rate() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let t = app.login_token(HANSHA, DEMO_PASSWORD).await;
        // By kana: the customer types ゆうき and picks the hit.
        let tea = search(&app, &t, "ゆうき").await[0].clone();
        assert_eq!(tea["code"], "B-2001");
        let res = place(
            &app,
            &t,
            json!([
                line("a-1006", "3", 680, 10),  // typed code, lower case
                line("B-2001", "２", 1080, 8), // full-width quantity
                line("B-2006", "1", 860, 8),
            ]),
        )
        .await;
        assert_eq!(res.status(), 200, "{b:?} {:?}", res.text().await);
        let placed: Value = res.json().await.unwrap();
        let number = placed["order_number"].as_str().unwrap().to_string();
        assert!(number.starts_with("O-20") && number.len() == 17, "{number}");
        // 10%: 2,040 → tax 204. 8%: 2,160 + 860 = 3,020 → tax ⌊241.6⌋ = 241.
        assert_eq!(placed["total_yen"], 2040 + 204 + 3020 + 241);

        let h = history(&app, &t).await;
        assert_eq!(h.len(), 1);
        let o = &h[0];
        assert_eq!(o["order_number"], number.as_str());
        assert_eq!(o["status"], "received");
        assert_eq!(o["status_label"], "受付");
        assert_eq!(o["subtotal_10_yen"], 2040);
        assert_eq!(o["tax_10_yen"], 204);
        assert_eq!(o["subtotal_8_yen"], 3020);
        assert_eq!(o["tax_8_yen"], 241);
        let lines = o["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["product_code"], "A-1006");
        assert_eq!(lines[0]["product_name"], "台所用 洗剤");
        assert_eq!(lines[0]["amount_yen"], 2040);
        assert_eq!(lines[1]["quantity"], 2);
        assert_eq!(order_rows(&app).await, (1, 3));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_orders_are_refused_in_japanese_and_write_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let t = app.login_token(AOBA, DEMO_PASSWORD).await;
        let ok = line("A-1001", "1", 3800, 10);
        let cases: Vec<(Value, &str)> = vec![
            (json!([]), "カートに商品がありません"),
            (
                json!([ok.clone(), line("X-0000", "1", 100, 10)]),
                "X-0000」の商品はありません",
            ),
            (json!([line("浄水", "1", 100, 10)]), "商品はありません"),
            (
                json!([ok.clone(), line("A-1002", "0", 28000, 10)]),
                "2行目（A-1002）: 数量は1以上",
            ),
            (json!([line("A-1002", "-3", 28000, 10)]), "数量は1以上"),
            (json!([line("A-1002", "10000", 28000, 10)]), "9999個まで"),
            (
                json!([line("A-1002", "99999999999999999999999", 28000, 10)]),
                "9999個まで",
            ),
            (
                json!([line("A-1002", "たくさん", 28000, 10)]),
                "数量は数字で",
            ),
            (json!([line("A-1002", "", 28000, 10)]), "数量を入力"),
            (
                json!([ok.clone(), line("Z-9001", "1", 3500, 10)]),
                "現在お取り扱いしていません",
            ),
            (
                json!([ok.clone(), line("A-1002", "1", 1, 10)]),
                "価格が変更されました",
            ),
            (
                json!([line("B-2001", "1", 1080, 10)]),
                "価格が変更されました",
            ),
            (json!([ok.clone(), ok.clone()]), "1行にまとめて"),
        ];
        for (lines, expect) in cases {
            let res = place(&app, &t, lines.clone()).await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            assert_eq!(status, 400, "{b:?} {lines} → {body}");
            assert!(
                body.contains(expect),
                "{b:?} {lines}: expected {expect}, got {body}"
            );
        }
        // Not JSON at all / wrong types: still a Japanese 400.
        let res = app
            .http
            .post(app.url("/api/orders/place"))
            .header("cookie", format!("daiko_session={t}"))
            .header("content-type", "application/json")
            .body(r#"{"lines":[{"product_code":"A-1001","quantity":"1","unit_price_yen":"abc","tax_rate_percent":10}]}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("読み取れませんでした"));
        // Signed out.
        let anon = app
            .http
            .post(app.url("/api/orders/place"))
            .json(&json!({ "lines": [ok] }))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), 401);
        assert_eq!(order_rows(&app).await, (0, 0), "{b:?}: nothing written");

        // A price changed by staff after the customer's cart was shown (another tab).
        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let res = app
            .post_form(
                "/api/staff/products/save",
                &[
                    ("original_code", "A-1003"),
                    ("code", "A-1003"),
                    ("name", "シャワーヘッド 塩素除去"),
                    ("kana", "シャワーヘッド エンソジョキョ"),
                    ("price_yen", "6,800"),
                    ("tax_rate_percent", "10"),
                    ("picture", "/products/a-1003.svg"),
                    ("active", "on"),
                ],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let res = place(
            &app,
            &t,
            json!([line("A-1001", "1", 3800, 10), line("A-1003", "1", 6500, 10)]),
        )
        .await;
        assert_eq!(res.status(), 400);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("¥6,500・税10% → 現在 ¥6,800"));
        assert_eq!(order_rows(&app).await, (0, 0), "{b:?}: nothing written");
        let res = place(&app, &t, json!([line("A-1003", "1", 6800, 10)])).await;
        assert_eq!(res.status(), 200);
        assert_eq!(order_rows(&app).await, (1, 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_manage_products() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let t = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let new = [
            ("original_code", ""),
            ("code", "d-4001"),
            ("name", "竹炭 消臭剤"),
            ("kana", "タケスミ ショウシュウザイ"),
            ("price_yen", "1500"),
            ("tax_rate_percent", "10"),
            ("active", "on"),
        ];
        let res = app
            .post_form("/api/staff/products/save", &new, Some(&t))
            .await;
        assert_eq!(res.status(), 403, "{b:?}");
        assert!(res.text().await.unwrap().contains("Forbidden"));
        let res = app
            .post_form(
                "/api/staff/products/active",
                &[("code", "A-1001"), ("active", "false")],
                Some(&t),
            )
            .await;
        assert_eq!(res.status(), 403);
        let res = app.get("/api/staff/products?q=", Some(&t)).await;
        assert_eq!(res.status(), 403);
        let refused = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("forbidden_staff_products"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(refused, 3, "{b:?}");

        let staff = app.login_token(STAFF, DEMO_PASSWORD).await;
        let res = app
            .post_form("/api/staff/products/save", &new, Some(&staff))
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let saved: Value = res.json().await.unwrap();
        assert_eq!(saved["code"], "D-4001");
        assert_eq!(codes(&search(&app, &t, "たけすみ").await), ["D-4001"]);
        // Same code again: refused in Japanese.
        let res = app
            .post_form("/api/staff/products/save", &new, Some(&staff))
            .await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("すでに使われています"));
        let mut bad = new;
        bad[1].1 = "D-4002";
        bad[5].1 = "5";
        let res = app
            .post_form("/api/staff/products/save", &bad, Some(&staff))
            .await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("消費税率"));

        // 取扱停止: gone from the customer's type-ahead, still in the staff list.
        let res = app
            .post_form(
                "/api/staff/products/active",
                &[("code", "D-4001"), ("active", "false")],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(search(&app, &t, "たけすみ").await.is_empty());
        let res = app.get("/api/staff/products?q=D-4", Some(&staff)).await;
        let list: Vec<Value> = res.json().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["active"], false);
        for action in ["product_created", "product_active_changed"] {
            let n = audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .count(&app.db)
                .await
                .unwrap();
            assert_eq!(n, 1, "{b:?} {action}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_see_only_their_own_orders() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token(HANSHA, DEMO_PASSWORD).await;
        let aoba = app.login_token(AOBA, DEMO_PASSWORD).await;
        let res = place(&app, &hansha, json!([line("A-1001", "1", 3800, 10)])).await;
        assert_eq!(res.status(), 200);
        let mine: Value = res.json().await.unwrap();
        let res = place(&app, &aoba, json!([line("B-2004", "2", 2400, 8)])).await;
        assert_eq!(res.status(), 200);
        let theirs: Value = res.json().await.unwrap();
        let h = history(&app, &hansha).await;
        assert_eq!(h.len(), 1);
        assert_eq!(h[0]["order_number"], mine["order_number"]);
        let h = history(&app, &aoba).await;
        assert_eq!(h.len(), 1);
        assert_eq!(h[0]["order_number"], theirs["order_number"]);
        assert_eq!(h[0]["total_yen"], 4800 + 384);
        assert_eq!(app.get("/api/orders/history", None).await.status(), 401);
    }
}
