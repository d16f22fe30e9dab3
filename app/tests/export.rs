//! CSV exports (#11.5) through the real HTTP route, on SQLite and PostgreSQL: 顧客検索 results
//! as UTF-8 with BOM and as Shift_JIS, every page of the search (compared with the paged
//! API), the caller's scope, refusals, and CSV-injection neutralisation of stored text.
#![cfg(feature = "ssr")]
mod common;

use app::customers::SearchPage;
use app::server::{customer_keys, demo_bulk, entities::customers};
use common::{url_encode as enc, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Status, content type and body of an export.
async fn export(app: &TestApp, token: &str, q: &str, encoding: &str) -> (u16, String, Vec<u8>) {
    let res = app
        .get(
            &format!("/documents/customers.csv?q={}&encoding={encoding}", enc(q)),
            Some(token),
        )
        .await;
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ct, res.bytes().await.unwrap().to_vec())
}

/// The rows of a UTF-8 export (BOM checked and stripped), split naively: test data has no
/// commas or quotes except where a test looks at the raw line.
fn lines(body: &[u8]) -> Vec<String> {
    assert!(body.starts_with(&[0xef, 0xbb, 0xbf]), "UTF-8 BOM first");
    let text = std::str::from_utf8(&body[3..]).unwrap();
    assert!(text.ends_with("\r\n"));
    text.split_terminator("\r\n").map(str::to_owned).collect()
}

fn codes(lines: &[String]) -> Vec<String> {
    lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

/// Every page of the search API, following the cursors.
async fn api_codes(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let mut path = format!("/api/customers/search?q={}", enc(q));
        if !cursor.is_empty() {
            path.push_str(&format!("&cursor={}", enc(&cursor)));
        }
        let page: SearchPage = app.get(&path, Some(token)).await.json().await.unwrap();
        out.extend(page.hits.into_iter().map(|h| h.customer_code));
        match page.next {
            Some(c) => cursor = c,
            None => return out,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_results_export_in_scope_with_bom_and_shift_jis() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let (status, ct, body) = export(&app, &staff, "やまだ", "utf8").await;
        assert_eq!(status, 200, "{b:?}");
        assert_eq!(ct, "text/csv; charset=utf-8");
        let l = lines(&body);
        assert_eq!(
            l[0],
            "お客様ID,代理店名,カナ,電話番号,ランク,販売事業部,上位店お客様ID,上位店名"
        );
        assert_eq!(codes(&l), ["10000030"], "{b:?}");
        assert!(l[1].starts_with("10000030,有限会社やまだ販社,"), "{}", l[1]);
        assert!(!l.concat().contains('@'), "no e-mail column");

        // Shift_JIS on request: the same rows, no BOM.
        let (status, ct, sjis) = export(&app, &staff, "やまだ", "sjis").await;
        assert_eq!(status, 200);
        assert_eq!(ct, "text/csv; charset=Shift_JIS");
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
        assert!(!bad && !sjis.starts_with(&[0xef, 0xbb, 0xbf]));
        assert_eq!(text, std::str::from_utf8(&body[3..]).unwrap(), "{b:?}");

        // A 画面1 user exports only their own downline: 株式会社ひまわり総代理店 is below
        // 10000030, 株式会社みどり商事 above it.
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let (status, _, body) = export(&app, &hansha, "株式会社", "utf8").await;
        assert_eq!(status, 200);
        let mine = codes(&lines(&body));
        assert!(mine.contains(&"10000040".to_owned()), "{mine:?}");
        assert!(!mine.contains(&"10000010".to_owned()), "{mine:?}");
        assert_eq!(mine, api_codes(&app, &hansha, "株式会社").await);

        // 画面2 and no session: refused, nothing exported.
        let aoba = app.login_token("aoba@example.jp", DEMO_PASSWORD).await;
        let (status, _, body) = export(&app, &aoba, "やまだ", "utf8").await;
        assert_eq!(status, 403, "{b:?}");
        assert!(!String::from_utf8_lossy(&body).contains("10000030"));
        let res = app.get("/documents/customers.csv?q=やまだ", None).await;
        assert!(res.status().is_redirection());
        assert_eq!(res.headers()["location"], "/login");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_holds_every_page_of_the_search() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        demo_bulk::generate(&app.db, 1000, chrono::Utc::now(), |_| {})
            .await
            .unwrap();
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let mut longest = 0;
        for q in ["ア", "株式会社", "090"] {
            let api = api_codes(&app, &staff, q).await;
            let (status, _, body) = export(&app, &staff, q, "utf8").await;
            assert_eq!(status, 200);
            let csv = codes(&lines(&body));
            longest = longest.max(csv.len());
            assert_eq!(csv, api, "{b:?} {q}");
        }
        // More than two search pages (50 each) went into one file.
        assert!(longest > 100, "{b:?}: {longest}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_formulas_are_neutralised_in_the_export() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let c = customers::Entity::find()
            .filter(customers::Column::CustomerCode.eq("10000031"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let cases = [
            (
                "=HYPERLINK(\"http://x.example/\",\"あおば\")",
                "\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"あおば\"\")\"",
            ),
            ("+81あおば", "'+81あおば"),
            ("-1+あおば", "'-1+あおば"),
            ("@SUM(あおば)", "'@SUM(あおば)"),
            ("\tあおば", "'\tあおば"),
            ("\rあおば", "\"'\rあおば\""),
        ];
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        for (name, cell) in cases {
            let mut am: customers::ActiveModel = c.clone().into();
            am.name = Set(name.into());
            am.update(&app.db).await.unwrap();
            customer_keys::refresh(&app.db, c.id).await.unwrap();
            let (status, _, body) = export(&app, &staff, "あおば", "utf8").await;
            assert_eq!(status, 200);
            let text = std::str::from_utf8(&body[3..]).unwrap();
            let want = format!("\r\n10000031,{cell},");
            assert!(text.contains(&want), "{b:?} {name:?}: {text}");
        }
    }
}
