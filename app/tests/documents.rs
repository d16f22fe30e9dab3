//! 納品書 and 還元額計算書 PDFs (#5, R8) through the real HTTP server on SQLite and
//! PostgreSQL: what the PDFs say (pdftotext), that a page renders (pdftoppm), who may fetch
//! which document, and the rebate over a month with a mid-month rate change.
mod common;
#[path = "common/pdf_text.rs"]
mod pdf_text;

use app::orders::CartLine;
use app::server::entities::{customers, orders, rebate_rates};
use app::server::{demo::DEMO_PASSWORD, ordering};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{TestApp, BACKENDS};
use pdf_text::{pdf_text, scratch, squash};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::process::Command;

async fn id_of(app: &TestApp, code: &str) -> i64 {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .expect("query")
        .expect("customer exists")
        .id
}

fn line(code: &str, qty: u32, price: i64, rate: i32) -> CartLine {
    CartLine {
        product_code: code.into(),
        quantity: qty.to_string(),
        unit_price_yen: price,
        tax_rate_percent: rate,
    }
}

/// A JST wall-clock time as UTC.
fn jst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

async fn place(app: &TestApp, code: &str, lines: &[CartLine], at: DateTime<Utc>) -> String {
    let id = id_of(app, code).await;
    ordering::place(&app.db, id, lines, at)
        .await
        .expect("order placed")
        .order_number
}

/// Renders page 1 with `pdftoppm -png` and returns the PNG's size in bytes.
fn render_first_page(bytes: &[u8]) -> usize {
    let dir = scratch("png");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) must be installed");
    assert!(status.success());
    let png = std::fs::read(dir.join("page.png")).expect("page.png written");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    png.len()
}

async fn get_pdf(
    app: &TestApp,
    path: &str,
    token: &str,
) -> (u16, Vec<u8>, reqwest::header::HeaderMap) {
    let res = app.get(path, Some(token)).await;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.bytes().await.unwrap().to_vec(), headers)
}

#[tokio::test]
async fn delivery_note_shows_the_order_and_only_to_its_customer_or_staff() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        // 2 × 3,800 (10 %) + 3 × 1,080 (8 %): 7,600 + 760 tax; 3,240 + 259 tax (259.2 cut).
        let number = place(
            &app,
            "10000080",
            &[line("A-1001", 2, 3_800, 10), line("B-2001", 3, 1_080, 8)],
            jst(2026, 11, 5, 10, 0),
        )
        .await;
        let ippan = app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
        let path = format!("/documents/delivery-note/{number}.pdf");
        let (status, pdf, headers) = get_pdf(&app, &path, &ippan).await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(headers["content-type"], "application/pdf");
        let cd = headers["content-disposition"].to_str().unwrap();
        assert!(
            cd.starts_with("attachment; filename=\"delivery-note-"),
            "{cd}"
        );
        assert!(
            cd.contains("filename*=UTF-8''%E7%B4%8D%E5%93%81%E6%9B%B8_"),
            "{cd}"
        );
        assert!(pdf.starts_with(b"%PDF-"));
        // A subset of the font, not the 4 MB file.
        assert!(pdf.len() < 150_000, "PDF is {} bytes", pdf.len());
        let text = pdf_text(&pdf);
        let flat = squash(&text);
        for want in [
            "納品書",
            "10000080",
            "佐藤花子",
            &number,
            "浄水カートリッジスタンダード",
            "有機緑茶",
            "¥7,600",
            "¥760",
            "¥3,240",
            "¥259",
            "¥11,859",
            "2026年11月5日",
        ] {
            assert!(
                flat.contains(&squash(want)),
                "{backend:?}: {want} missing in:\n{text}"
            );
        }
        assert!(render_first_page(&pdf) > 5_000);

        // The upline (ショップ) and another customer: the same 404 as an unknown order.
        let unknown = get_pdf(
            &app,
            "/documents/delivery-note/O-20261105-999999.pdf",
            &ippan,
        )
        .await;
        assert_eq!(unknown.0, 404);
        for email in ["shop@example.jp", "hansha@example.jp"] {
            let t = app.login_token(email, DEMO_PASSWORD).await;
            let (status, body, _) = get_pdf(&app, &path, &t).await;
            assert_eq!(
                status, 404,
                "{email} must not see another customer's 納品書"
            );
            assert_eq!(body, unknown.1, "no difference from an unknown order");
        }
        // 全国販社 staff may fetch any.
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let (status, pdf, _) = get_pdf(&app, &path, &staff).await;
        assert_eq!(status, 200);
        assert!(squash(&pdf_text(&pdf)).contains("10000080"));
        // No session: the login page.
        let res = app.get(&path, None).await;
        assert!(res.status().is_redirection());
        assert_eq!(res.headers()["location"], "/login");
        // Not a PDF name.
        assert_eq!(
            get_pdf(&app, &format!("/documents/delivery-note/{number}"), &ippan)
                .await
                .0,
            404
        );
    }
}

#[tokio::test]
async fn rebate_statement_splits_the_month_at_a_rate_change() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        // 販社 (10000030) goes from the demo 5 % to 6.5 % on 16 November 2026.
        rebate_rates::ActiveModel {
            rank: Set(app::model::Rank::Hansha),
            rate_basis_points: Set(650),
            effective_from: Set(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()),
            created_at: Set(Utc::now()),
            created_by: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        // Downline: 10,840 yen excl. tax on 1 Nov 00:10 JST (still 31 Oct in UTC) → 5 %.
        place(
            &app,
            "10000080",
            &[line("A-1001", 2, 3_800, 10), line("B-2001", 3, 1_080, 8)],
            jst(2026, 11, 1, 0, 10),
        )
        .await;
        // Downline: 19,800 on 20 Nov → 6.5 %.
        place(
            &app,
            "10000050",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 11, 20, 9, 0),
        )
        .await;
        // Not counted: the customer's own order, a cancelled one, one on 1 Dec 00:30 JST,
        // one on 31 Oct 23:59 JST, and one outside the downline (10000031 is a sibling).
        place(
            &app,
            "10000030",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 11, 10, 9, 0),
        )
        .await;
        let cancelled = place(
            &app,
            "10000040",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 11, 11, 9, 0),
        )
        .await;
        let o = orders::Entity::find()
            .filter(orders::Column::OrderNumber.eq(&cancelled))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut am: orders::ActiveModel = o.into();
        am.status = Set(app::server::entities::orders::OrderStatus::Cancelled);
        am.update(&app.db).await.unwrap();
        place(
            &app,
            "10000060",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 12, 1, 0, 30),
        )
        .await;
        place(
            &app,
            "10000060",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 10, 31, 23, 59),
        )
        .await;
        place(
            &app,
            "10000031",
            &[line("C-3001", 1, 19_800, 10)],
            jst(2026, 11, 12, 9, 0),
        )
        .await;

        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let (status, pdf, headers) = get_pdf(&app, "/documents/rebate/2026-11.pdf", &hansha).await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(headers["content-type"], "application/pdf");
        let cd = headers["content-disposition"].to_str().unwrap();
        assert!(
            cd.contains("filename=\"rebate-10000030-2026-11.pdf\""),
            "{cd}"
        );
        let text = pdf_text(&pdf);
        let flat = squash(&text);
        // 10,840 × 5 % = 542; 19,800 × 6.5 % = 1,287; total 1,829 on a base of 30,640.
        for want in [
            "還元額計算書",
            "10000030",
            "有限会社やまだ販社",
            "2026年11月1日〜2026年11月15日",
            "2026年11月16日〜2026年11月30日",
            "5.00%",
            "6.50%",
            "¥542",
            "¥1,287",
            "¥1,829",
            "¥30,640",
            "10000080",
            "10000050",
        ] {
            assert!(
                flat.contains(&squash(want)),
                "{backend:?}: {want} missing in:\n{text}"
            );
        }
        for absent in ["10000031", "10000040", "10000060"] {
            assert!(
                !flat.contains(absent),
                "{absent} must not be in the base:\n{text}"
            );
        }
        assert!(render_first_page(&pdf) > 5_000);

        // December holds only the 1 Dec 00:30 JST order: 19,800 × 6.5 % = 1,287.
        let (_, dec, _) = get_pdf(&app, "/documents/rebate/2026-12.pdf", &hansha).await;
        let flat = squash(&pdf_text(&dec));
        assert!(
            flat.contains("10000060") && flat.contains("¥1,287"),
            "{flat}"
        );

        // Someone else's statement: 403 for a customer; staff may name anyone.
        let (status, _, _) = get_pdf(
            &app,
            "/documents/rebate/2026-11.pdf?customer=10000020",
            &hansha,
        )
        .await;
        assert_eq!(status, 403);
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let (status, pdf, _) = get_pdf(
            &app,
            "/documents/rebate/2026-11.pdf?customer=10000030",
            &staff,
        )
        .await;
        assert_eq!(status, 200);
        assert!(squash(&pdf_text(&pdf)).contains("¥1,829"));
        let (status, _, _) = get_pdf(
            &app,
            "/documents/rebate/2026-11.pdf?customer=10009999",
            &staff,
        )
        .await;
        assert_eq!(status, 404);
        // Not a month.
        for bad in ["2026-13.pdf", "2026-11", "202611.pdf"] {
            let (status, _, _) = get_pdf(&app, &format!("/documents/rebate/{bad}"), &hansha).await;
            assert_eq!(status, 404, "{bad}");
        }
    }
}

#[tokio::test]
async fn staff_add_rates_from_a_date_and_history_is_kept() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let list = app.get("/api/staff/rebate-rates", Some(&staff)).await;
        assert_eq!(list.status(), 200);
        let page: serde_json::Value = list.json().await.unwrap();
        let rows = page["rows"].as_array().unwrap();
        let hansha: Vec<_> = rows.iter().filter(|r| r["rank_code"] == "hansha").collect();
        assert_eq!(hansha.len(), 1);
        assert_eq!(hansha[0]["percent"], "5.00%");
        assert_eq!(hansha[0]["state"], "current");
        let today = page["today"].as_str().unwrap().to_owned();

        // Tomorrow (JST) 6.25 %: scheduled; the old rate stays in force and listed.
        let tomorrow = (NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
            + chrono::Duration::days(1))
        .to_string();
        let res = app
            .post_form(
                "/api/staff/rebate-rate-add",
                &[
                    ("rank", "hansha"),
                    ("percent", "6.25"),
                    ("effective_from", &tomorrow),
                ],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let page: serde_json::Value = app
            .get("/api/staff/rebate-rates", Some(&staff))
            .await
            .json()
            .await
            .unwrap();
        let hansha: Vec<_> = page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["rank_code"] == "hansha")
            .cloned()
            .collect();
        assert_eq!(hansha.len(), 2);
        assert_eq!(hansha[0]["percent"], "6.25%");
        assert_eq!(hansha[0]["state"], "scheduled");
        assert_eq!(hansha[0]["created_by"], "10000001");
        assert_eq!(hansha[1]["state"], "current");
        // The staff page renders on the server with the history.
        let html = app
            .get("/staff/rebate-rates", Some(&staff))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("還元率の履歴") && html.contains("6.25%") && html.contains("予定"));
        let stored = rebate_rates::Entity::find()
            .filter(rebate_rates::Column::Rank.eq(app::model::Rank::Hansha))
            .all(&app.db)
            .await
            .unwrap();
        assert!(stored.iter().any(|r| r.rate_basis_points == 625));

        // A past date, a bad rate, an unknown rank: refused with a message.
        let yesterday = (NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
            - chrono::Duration::days(1))
        .to_string();
        for (rank, pct, from) in [
            ("hansha", "5", yesterday.as_str()),
            ("hansha", "101", tomorrow.as_str()),
            ("hansha", "5.125", tomorrow.as_str()),
            ("admin", "5", tomorrow.as_str()),
            ("hansha", "5", "2026/12/01"),
        ] {
            let res = app
                .post_form(
                    "/api/staff/rebate-rate-add",
                    &[("rank", rank), ("percent", pct), ("effective_from", from)],
                    Some(&staff),
                )
                .await;
            assert_eq!(res.status(), 400, "{rank} {pct} {from}");
        }

        // A customer: 403 for both, and nothing is added.
        let hansha_login = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        assert_eq!(
            app.get("/api/staff/rebate-rates", Some(&hansha_login))
                .await
                .status(),
            403
        );
        let res = app
            .post_form(
                "/api/staff/rebate-rate-add",
                &[
                    ("rank", "hansha"),
                    ("percent", "90"),
                    ("effective_from", &tomorrow),
                ],
                Some(&hansha_login),
            )
            .await;
        assert_eq!(res.status(), 403);
        let n = rebate_rates::Entity::find()
            .filter(rebate_rates::Column::RateBasisPoints.eq(9_000))
            .all(&app.db)
            .await
            .unwrap()
            .len();
        assert_eq!(n, 0);
    }
}

#[tokio::test]
async fn statement_list_offers_months_with_links() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        place(
            &app,
            "10000080",
            &[line("A-1001", 1, 3_800, 10)],
            jst(2026, 8, 15, 12, 0),
        )
        .await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let res = app
            .get("/api/documents/rebate-months?customer=", Some(&hansha))
            .await;
        assert_eq!(res.status(), 200);
        let m: serde_json::Value = res.json().await.unwrap();
        assert_eq!(m["customer_code"], "10000030");
        assert_eq!(m["staff"], false);
        let months: Vec<String> = m["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["code"].as_str().unwrap().to_owned())
            .collect();
        // From the downline's first order (August 2026) to this month, newest first.
        assert!(months.contains(&"2026-08".to_owned()), "{months:?}");
        assert!(months.windows(2).all(|w| w[0] > w[1]), "{months:?}");
        assert_eq!(months.last().unwrap(), "2026-08");
        assert_eq!(
            m["months"][0]["href"],
            format!("/documents/rebate/{}.pdf", months[0])
        );
        // Someone else's list: 403 for a customer, allowed for staff (links carry ?customer=).
        let res = app
            .get(
                "/api/documents/rebate-months?customer=10000020",
                Some(&hansha),
            )
            .await;
        assert_eq!(res.status(), 403);
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let m: serde_json::Value = app
            .get(
                "/api/documents/rebate-months?customer=10000030",
                Some(&staff),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(m["other"], true);
        assert!(m["months"][0]["href"]
            .as_str()
            .unwrap()
            .ends_with(".pdf?customer=10000030"));
        // The page renders for the customer (SSR).
        let page = app.get("/documents/rebate", Some(&hansha)).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("還元額計算書"));
        assert!(
            html.contains("/documents/rebate/2026-08.pdf"),
            "links rendered on the server"
        );
    }
}
