//! The downline network view (#11.4) through the real HTTP routes, on SQLite and PostgreSQL:
//! who sees which level (staff everything, a 画面1 user their own downline, 画面2 nobody),
//! the same 404 for a node outside the scope as for an unknown お客様ID, keyset paging of a
//! wide node, counts after a move, and Japanese 400s for bad input.
#![cfg(feature = "ssr")]
mod common;

use app::customers::NetworkPage;
use app::server::entities::{audit_log, customers};
use app::server::network;
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

async fn children(app: &TestApp, token: &str, query: &str) -> (u16, String) {
    let res = app
        .get(&format!("/api/network/children{query}"), Some(token))
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn page(app: &TestApp, token: &str, query: &str) -> NetworkPage {
    let (status, body) = children(app, token, query).await;
    assert_eq!(status, 200, "{:?} {query}: {body}", app.backend);
    serde_json::from_str(&body).unwrap()
}

fn codes(p: &NetworkPage) -> Vec<&str> {
    p.nodes.iter().map(|n| n.customer_code.as_str()).collect()
}

async fn id_of(app: &TestApp, code: &str) -> i64 {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn audits(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

/// `n` customers directly under `upline`, お客様ID `first`, `first + 1`, … (inserted out of
/// order, so that id order and お客様ID order differ).
async fn add_children(app: &TestApp, upline: &str, first: u32, n: u32) {
    let up = id_of(app, upline).await;
    let now = chrono::Utc::now();
    for i in (0..n).rev() {
        let c = customers::ActiveModel {
            customer_code: Set(format!("{}", first + i)),
            name: Set(format!("テスト{i}")),
            kana: Set(format!("テスト{i}")),
            rank: Set(app::model::Rank::General),
            upline_id: Set(Some(up)),
            can_register: Set(false),
            screen_variant: Set(app::model::ScreenVariant::Secondary),
            path: Set(String::new()),
            downline_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        network::assign_path(&app.db, c.id, Some(up)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_the_top_of_the_network_and_any_node() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let top = page(&app, &staff, "").await;
        assert_eq!(codes(&top), ["10000001"], "{b:?}");
        let n = &top.nodes[0];
        assert_eq!(n.rank, "全国販社");
        assert_eq!(n.name, "環境保全研究所 全国販社");
        assert_eq!((n.downline_count, n.has_children), (10, true));
        assert_eq!(top.next, None);

        let super_level = page(&app, &staff, "?of=10000020").await;
        assert_eq!(codes(&super_level), ["10000030", "10000031"], "{b:?}");
        let yamada = &super_level.nodes[0];
        assert_eq!(yamada.rank, "販社");
        assert_eq!(yamada.division.as_deref(), Some("やまだ販売事業部"));
        assert_eq!(yamada.downline_count, 6);
        let aoba = &super_level.nodes[1];
        assert_eq!((aoba.downline_count, aoba.has_children), (0, false));

        assert_eq!(
            codes(&page(&app, &staff, "?of=10000050").await),
            ["10000060", "10000070"]
        );
        // Full-width digits are forgiven, as in every お客様ID field.
        assert_eq!(
            codes(
                &page(
                    &app,
                    &staff,
                    "?of=%EF%BC%91%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%97%EF%BC%90"
                )
                .await
            ),
            ["10000080", "10000090"]
        );
        assert!(page(&app, &staff, "?of=10000090").await.nodes.is_empty());
        let (status, _) = children(&app, &staff, "?of=99999999").await;
        assert_eq!(status, 404, "{b:?}");
        // Staff looking up an unknown code is not a probe of someone else's network.
        assert_eq!(audits(&app, "network_tree_not_found").await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen1_user_sees_only_their_downline() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        // Their tree starts at their direct children; they may name themself as the root.
        assert_eq!(codes(&page(&app, &hansha, "").await), ["10000040"], "{b:?}");
        assert_eq!(
            codes(&page(&app, &hansha, "?of=10000030").await),
            ["10000040"]
        );
        assert_eq!(
            codes(&page(&app, &hansha, "?of=10000040").await),
            ["10000050"]
        );
        assert_eq!(
            codes(&page(&app, &hansha, "?of=10000070").await),
            ["10000080", "10000090"]
        );
        // Sibling, upline, the upline's upline, the top and an unknown code: one answer.
        let (_, unknown) = children(&app, &hansha, "?of=99999999").await;
        for outside in ["10000031", "10000020", "10000010", "10000001", "99999999"] {
            let (status, body) = children(&app, &hansha, &format!("?of={outside}")).await;
            assert_eq!(status, 404, "{b:?} {outside}");
            assert_eq!(
                body, unknown,
                "{b:?} {outside}: same body as an unknown code"
            );
            assert!(!body.contains(outside), "{body}");
        }
        assert_eq!(audits(&app, "network_tree_not_found").await, 6, "{b:?}");

        // ウルトラ販社: everything under 10000010, not the 全国販社 above.
        let ultra = app.login_token("ultra@example.jp", DEMO_PASSWORD).await;
        assert_eq!(codes(&page(&app, &ultra, "").await), ["10000020"]);
        assert_eq!(
            codes(&page(&app, &ultra, "?of=10000050").await),
            ["10000060", "10000070"]
        );
        let (status, _) = children(&app, &ultra, "?of=10000001").await;
        assert_eq!(status, 404);

        // The page itself renders the first level on the server (links work before WASM).
        let html = app
            .get("/master/network", Some(&hansha))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("role=\"tree\""), "{b:?}");
        assert!(html.contains("/master/customers/10000040"), "{b:?}");
        assert!(!html.contains("10000031"), "{b:?}: no sibling anywhere");
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let html = app
            .get("/master/network", Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("/staff/customers/10000001"), "{b:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screen2_customers_are_refused_and_audited() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        // 販社 without 会員登録 (画面2), and a 一般 customer.
        for email in ["aoba@example.jp", "ippan@example.jp"] {
            let token = app.login_token(email, DEMO_PASSWORD).await;
            for q in ["", "?of=10000031", "?of=10000080"] {
                let (status, body) = children(&app, &token, q).await;
                assert_eq!(status, 403, "{b:?} {email} {q}: {body}");
                // The error as the server function encodes it (the page shows its message).
                assert_eq!(body, "\"Forbidden\"", "{b:?} {email} {q}");
            }
            let html = app
                .get("/master/network", Some(&token))
                .await
                .text()
                .await
                .unwrap();
            assert!(html.contains("data-testid=\"refusal\""), "{b:?} {email}");
            assert!(!html.contains("role=\"tree\""), "{b:?} {email}");
        }
        assert_eq!(audits(&app, "forbidden_network_tree").await, 6, "{b:?}");
        let res = app.get("/api/network/children", None).await;
        assert_eq!(res.status(), 401, "{b:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wide_node_pages_by_customer_code_without_gaps_or_repeats() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        add_children(&app, "10000090", 30_000_000, 250).await;
        let expected: Vec<String> = (0..250).map(|i| format!("{}", 30_000_000 + i)).collect();
        for email in ["honbu@example.jp", "hansha@example.jp"] {
            let token = app.login_token(email, DEMO_PASSWORD).await;
            let mut seen = Vec::new();
            let mut sizes = Vec::new();
            let mut query = "?of=10000090".to_string();
            loop {
                let p = page(&app, &token, &query).await;
                sizes.push(p.nodes.len());
                seen.extend(p.nodes.iter().map(|n| n.customer_code.clone()));
                match p.next {
                    Some(after) => query = format!("?of=10000090&after={after}"),
                    None => break,
                }
            }
            assert_eq!(sizes, [100, 100, 50], "{b:?} {email}");
            assert_eq!(seen, expected, "{b:?} {email}: every child once, in order");
        }
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let above = page(&app, &staff, "?of=10000070").await;
        assert_eq!(above.nodes[1].customer_code, "10000090");
        assert_eq!(above.nodes[1].downline_count, 250, "{b:?}");
        assert!(above.nodes[1].has_children);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_follow_a_moved_subtree() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        // 代理店 10000050 (with its four) moves from under 10000040 to 販社 10000031.
        network::move_subtree(
            &app.db,
            id_of(&app, "10000050").await,
            Some(id_of(&app, "10000031").await),
        )
        .await
        .unwrap();
        let level = page(&app, &staff, "?of=10000020").await;
        let counts: Vec<(&str, i64, bool)> = level
            .nodes
            .iter()
            .map(|n| (n.customer_code.as_str(), n.downline_count, n.has_children))
            .collect();
        assert_eq!(
            counts,
            [("10000030", 1, true), ("10000031", 5, true)],
            "{b:?}"
        );
        let under_40 = page(&app, &staff, "?of=10000030").await;
        assert_eq!(
            (
                under_40.nodes[0].downline_count,
                under_40.nodes[0].has_children
            ),
            (0, false)
        );
        assert!(page(&app, &staff, "?of=10000040").await.nodes.is_empty());
        assert_eq!(
            codes(&page(&app, &staff, "?of=10000031").await),
            ["10000050"]
        );
        // The 販社 no longer sees the moved subtree.
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let (status, _) = children(&app, &hansha, "?of=10000050").await;
        assert_eq!(status, 404, "{b:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_japanese_400_and_reads_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        for email in ["honbu@example.jp", "hansha@example.jp"] {
            let token = app.login_token(email, DEMO_PASSWORD).await;
            for (q, message) in [
                ("?of=abc", "お客様IDは8桁の数字で入力してください"),
                ("?of=1000004", "お客様IDは8桁の数字で入力してください"),
                (
                    "?of=10000040&after=x",
                    "続きの指定（after）が正しくありません",
                ),
                (
                    "?after=%27%20OR%201%3D1",
                    "続きの指定（after）が正しくありません",
                ),
                ("?after=100000400", "続きの指定（after）が正しくありません"),
            ] {
                let (status, body) = children(&app, &token, q).await;
                assert_eq!(status, 400, "{b:?} {email} {q}: {body}");
                assert!(body.contains(message), "{b:?} {q}: {body}");
            }
        }
        assert_eq!(audits(&app, "network_tree_not_found").await, 0, "{b:?}");
    }
}
