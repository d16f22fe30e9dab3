//! Customer search (R4) through the real HTTP server function, on SQLite and PostgreSQL:
//! every key kind, 1- and 2-character queries, scope, e-mail finds nothing, paging, and a
//! generated network checked against a brute-force scan.
#![cfg(feature = "ssr")]
mod common;

use app::customers::SearchPage;
use app::server::entities::audit_log;
use app::server::search_key::{phone_digits, phone_key, text_key};
use app::server::{demo_bulk, network};
use common::{url_encode as enc, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

async fn search_raw(
    app: &TestApp,
    token: Option<&str>,
    q: &str,
    cursor: Option<&str>,
) -> reqwest::Response {
    let mut path = format!("/api/customers/search?q={}", enc(q));
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    app.get(&path, token).await
}

/// The お客様IDs of the first page.
async fn codes(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let res = search_raw(app, Some(token), q, None).await;
    assert_eq!(res.status(), 200, "{q}");
    let body = res.text().await.unwrap();
    assert!(!body.contains('@'), "no e-mail in results: {body}");
    let page: SearchPage = serde_json::from_str(&body).unwrap();
    page.hits.into_iter().map(|h| h.customer_code).collect()
}

/// Every page, following the cursors.
async fn all_codes(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let res = search_raw(app, Some(token), q, cursor.as_deref()).await;
        assert_eq!(res.status(), 200, "{q}");
        let page: SearchPage = res.json().await.unwrap();
        assert!(page.hits.len() <= 50);
        out.extend(page.hits.into_iter().map(|h| h.customer_code));
        match page.next {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_key_kind_in_scope_and_never_by_email() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        // カナ in any script, spaces ignored; 1 and 2 characters.
        for q in ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "ゆうげん がいしゃ", "やまだ販社"]
        {
            assert_eq!(codes(&app, &staff, q).await, ["10000030"], "{b:?} {q}");
        }
        assert_eq!(codes(&app, &staff, "佐").await, ["10000080"], "{b:?}");
        assert_eq!(codes(&app, &staff, "佐藤").await, ["10000080"], "{b:?}");
        assert_eq!(codes(&app, &staff, "ﾊﾅ").await, ["10000080"], "{b:?}");
        assert_eq!(codes(&app, &staff, "ひ").await, ["10000040"], "{b:?}");
        // Names too, and in id order.
        assert_eq!(
            codes(&app, &staff, "代理店").await,
            ["10000040", "10000050"],
            "{b:?}"
        );
        // Phones: hyphens or not, full-width, +81, last 4 digits, a prefix.
        for q in [
            "090-5555-0150",
            "09055550150",
            "０９０－５５５５－０１５０",
            "+81 90-5555-0150",
            "0150",
        ] {
            assert_eq!(codes(&app, &staff, q).await, ["10000050"], "{b:?} {q}");
        }
        assert_eq!(codes(&app, &staff, "03-5555").await, ["10000001"], "{b:?}");
        assert_eq!(
            codes(&app, &staff, "090").await,
            ["10000050", "10000080"],
            "{b:?}: phone order"
        );
        // E-mail is not a key: the address, its local part, full-width.
        for q in [
            "dairiten@example.jp",
            "ｄａｉｒｉｔｅｎ＠ｅｘａｍｐｌｅ．ｊｐ",
            "dairiten",
            "example",
        ] {
            assert!(codes(&app, &staff, q).await.is_empty(), "{b:?} {q}");
        }
        assert!(codes(&app, &staff, "").await.is_empty());
        assert!(codes(&app, &staff, "・ ").await.is_empty());

        // 販社 10000030 (会員登録あり) sees its own downline only.
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        assert_eq!(codes(&app, &hansha, "さとう").await, ["10000080"]);
        assert_eq!(codes(&app, &hansha, "0150").await, ["10000050"]);
        assert!(
            codes(&app, &hansha, "あおば").await.is_empty(),
            "{b:?}: a sibling's customer"
        );
        assert!(codes(&app, &hansha, "0131").await.is_empty());
        assert!(
            codes(&app, &hansha, "やまだ").await.is_empty(),
            "{b:?}: not itself"
        );
        assert!(
            codes(&app, &hansha, "みどり").await.is_empty(),
            "{b:?}: upline"
        );
        let sup = app.login_token("super@example.jp", DEMO_PASSWORD).await;
        assert_eq!(codes(&app, &sup, "あおば").await, ["10000031"], "{b:?}");

        // Not allowed: a 販社 without 会員登録 (画面2), a 代理店; and nobody signed in.
        for who in ["aoba@example.jp", "dairiten@example.jp"] {
            let t = app.login_token(who, DEMO_PASSWORD).await;
            let res = search_raw(&app, Some(&t), "さとう", None).await;
            assert_eq!(res.status(), 403, "{b:?} {who}");
        }
        let refused = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("forbidden_customer_search"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(refused.len(), 2, "{b:?}");
        assert_eq!(search_raw(&app, None, "さとう", None).await.status(), 401);
        let res = search_raw(&app, Some(&staff), "さとう", Some("garbage")).await;
        assert_eq!(res.status(), 400);
    }
}

/// A customer as stored, with keys recomputed here from the raw columns.
struct Stored {
    id: i64,
    code: String,
    name: String,
    kana: String,
    phone: String,
    path: String,
}

fn brute_force(rows: &[Stored], q: &str, scope: Option<&str>) -> Vec<String> {
    if q.contains('@') {
        return Vec::new();
    }
    let mut hits: Vec<(String, i64, String)> = Vec::new();
    for r in rows {
        if scope.is_some_and(|p| !network::is_below(p, &r.path)) {
            continue;
        }
        let (hit, key) = match phone_digits(q) {
            Some(d) if d.len() == 4 || !d.starts_with('0') => (
                !r.phone.is_empty() && r.phone.ends_with(&d),
                r.phone.chars().rev().collect(),
            ),
            Some(d) => (r.phone.starts_with(&d), r.phone.clone()),
            None => {
                let k = text_key(q);
                (
                    !k.is_empty()
                        && (text_key(&r.name).contains(&k) || text_key(&r.kana).contains(&k)),
                    String::new(),
                )
            }
        };
        if hit {
            hits.push((key, r.id, r.code.clone()));
        }
    }
    hits.sort();
    hits.into_iter().map(|(_, _, c)| c).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_network_agrees_with_a_brute_force_scan() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        demo_bulk::generate(&app.db, 5000, chrono::Utc::now(), |_| {})
            .await
            .expect("generate");
        let backend = app.db.get_database_backend();
        let rows: Vec<Stored> = app
            .db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, customer_code, name, kana, phone, path FROM customers",
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|r| Stored {
                id: r.try_get("", "id").unwrap(),
                code: r.try_get("", "customer_code").unwrap(),
                name: r.try_get("", "name").unwrap(),
                kana: r.try_get("", "kana").unwrap(),
                phone: r
                    .try_get::<Option<String>>("", "phone")
                    .unwrap()
                    .and_then(|p| phone_key(&p))
                    .unwrap_or_default(),
                path: r.try_get("", "path").unwrap(),
            })
            .collect();
        let path_of = |code: &str| {
            rows.iter()
                .find(|r| r.code == code)
                .map(|r| r.path.clone())
                .unwrap()
        };
        // Queries from the data itself: a mobile's start and end, a landline's area code.
        let mobile = rows
            .iter()
            .find(|r| r.phone.starts_with("090"))
            .map(|r| r.phone.clone())
            .unwrap();
        let queries = [
            "や".to_string(),
            "ヤマ".into(),
            "ﾀﾅｶ".into(),
            "山".into(),
            "山田".into(),
            "高橋".into(),
            "髙".into(),
            "たかはし ゆうこ".into(),
            "株式会社".into(),
            "ー".into(),
            "ショウジ".into(),
            "ぞ".into(),
            "ん".into(),
            "zzz".into(),
            mobile[..6].to_string(),
            mobile[mobile.len() - 4..].to_string(),
            format!("{}-{}", &mobile[..3], &mobile[3..7]),
            "03".into(),
            "8".into(),
            "yamada@example.jp".into(),
        ];
        // Staff (everyone), ultra (the whole generated network: the large-downline plan),
        // super (about half of it: read whole), 販社 10000030 (a few).
        let users = [
            ("honbu@example.jp", None),
            ("ultra@example.jp", Some(path_of("10000010"))),
            ("super@example.jp", Some(path_of("10000020"))),
            ("hansha@example.jp", Some(path_of("10000030"))),
        ];
        for (email, scope) in &users {
            let t = app.login_token(email, DEMO_PASSWORD).await;
            for q in &queries {
                let want = brute_force(&rows, q, scope.as_deref());
                let got = all_codes(&app, &t, q).await;
                assert_eq!(got.len(), want.len(), "{b:?} {email} {q}");
                assert!(got == want, "{b:?} {email} {q}: order or content differs");
            }
        }
        let many = brute_force(&rows, "ー", None).len();
        assert!(many > 100, "{b:?}: paging was exercised ({many})");
    }
}
