//! A month's 還元額 breakdown as CSV (#11.5) through the real HTTP server on SQLite and
//! PostgreSQL: the base's orders and returns, 小計 and 合計, UTF-8 BOM or Shift_JIS, formula
//! cells neutralised, only one's own statement (staff anyone's), audited.
mod common;
#[path = "common/rebate_data.rs"]
mod rebate_data;

use app::server::demo::DEMO_PASSWORD;
use app::server::entities::{audit_log, customers, orders};
use common::{TestApp, BACKENDS};
use rebate_data::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

#[tokio::test]
async fn the_month_breakdown_csv_is_scoped_neutralised_and_encoded() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        // A downline name that Excel would run as a formula.
        let mut c: customers::ActiveModel = customer(&app, "10000080").await.into();
        c.name = Set("=HYPERLINK(\"http://x\")".into());
        c.update(&app.db).await.unwrap();
        october(&app).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let res = app
            .get("/documents/rebate/2026-10.csv", Some(&hansha))
            .await;
        assert_eq!(res.status(), 200, "{backend:?}");
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(&[0xef, 0xbb, 0xbf]), "BOM");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines[0],
            "注文番号,日付,お客様ID,代理店名,区分,対象額（税抜）,還元率,還元額"
        );
        // Two orders, two returns, one 小計, the 合計.
        assert_eq!(lines.len(), 7, "{text}");
        assert!(
            text.contains(
                ",2026-10-05,10000080,\"'=HYPERLINK(\"\"http://x\"\")\",注文,10840,5.00%,"
            ),
            "{text}"
        );
        assert!(text.contains(",返品,-1080,5.00%,"), "{text}");
        assert!(text.contains(",返品,-3800,5.00%,"), "{text}");
        assert!(
            !text.contains("-7600"),
            "a November return is not October's"
        );
        assert!(text.contains(",小計,25760,5.00%,1288"), "{text}");
        assert!(text.contains("合計（仮計算）,25760,,1288"), "{text}");
        assert!(!text.contains(",=") && !text.contains("\"="), "{text}");

        // Shift_JIS on request: no BOM, decodes cleanly.
        let res = app
            .get("/documents/rebate/2026-10.csv?encoding=sjis", Some(&hansha))
            .await;
        assert_eq!(res.headers()["content-type"], "text/csv; charset=Shift_JIS");
        let sjis = res.bytes().await.unwrap();
        assert!(!sjis.starts_with(&[0xef, 0xbb, 0xbf]));
        let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
        assert!(!bad);
        assert_eq!(decoded, text);

        // Someone else's: 403 with nothing of theirs; staff may name the customer.
        let res = app
            .get(
                "/documents/rebate/2026-10.csv?customer=10000020",
                Some(&hansha),
            )
            .await;
        assert_eq!(res.status(), 403);
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("10000080") && !body.contains("注文番号"),
            "{body}"
        );
        let ippan = app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
        let res = app
            .get(
                "/documents/rebate/2026-10.csv?customer=10000030",
                Some(&ippan),
            )
            .await;
        assert_eq!(res.status(), 403);
        // The leaf's own CSV has no downline rows at all.
        let own = app
            .get("/documents/rebate/2026-10.csv", Some(&ippan))
            .await
            .text()
            .await
            .unwrap();
        assert!(!own.contains("注文,"), "{own}");
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let res = app
            .get(
                "/documents/rebate/2026-10.csv?customer=10000030",
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200);
        let exported = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("rebate_csv_exported"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(exported, 4);
        // After the close the totals are the stored 第1版.
        assert_eq!(close(&app, &staff, OCT).await.status(), 200);
        let closed = app
            .get("/documents/rebate/2026-10.csv", Some(&hansha))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            closed.contains("合計（確定（第1版））,25760,,1288"),
            "{closed}"
        );
        // Not a month: 404 as for the PDF.
        let res = app.get("/documents/rebate/2026-1.csv", Some(&hansha)).await;
        assert_eq!(res.status(), 404);
    }
}

/// A closed month's breakdown lists what its stored figures counted: a 受付 order of the
/// month cancelled after the close stays, a return back-dated into the month after the close
/// does not appear, and the lines still add up to the stored 小計.
#[tokio::test]
async fn a_closed_months_lines_are_as_they_counted_at_the_close() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let oct5 = october(&app).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        assert_eq!(close(&app, &staff, OCT).await.status(), 200, "{backend:?}");
        // After the close: the 5 Oct order is cancelled, and a return dated in October is
        // recorded (as a late import might).
        let mut o: orders::ActiveModel = orders::Entity::find_by_id(oct5)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        o.status = Set(app::server::entities::orders::OrderStatus::Cancelled);
        o.status_changed_at = Set(Some(chrono::Utc::now()));
        o.cancel_reason = Set(Some("締め後の取消".into()));
        o.update(&app.db).await.unwrap();
        record_return(&app, oct5, 500, 0, jst(2026, 10, 30, 10)).await;

        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let text = app
            .get("/documents/rebate/2026-10.csv", Some(&hansha))
            .await
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 7, "{backend:?}: {text}");
        assert!(text.contains(",2026-10-05,10000080,"), "{text}");
        assert!(text.contains(",注文,10840,5.00%,"), "{text}");
        assert!(text.contains(",返品,-1080,5.00%,"), "{text}");
        assert!(text.contains(",返品,-3800,5.00%,"), "{text}");
        assert!(!text.contains(",返品,-500,"), "{text}");
        assert!(text.contains(",小計,25760,5.00%,1288"), "{text}");
        assert!(text.contains("合計（確定（第1版））,25760,,1288"), "{text}");
        let listed: i64 = lines[1..lines.len() - 2]
            .iter()
            .map(|l| l.split(',').nth(5).unwrap().parse::<i64>().unwrap())
            .sum();
        assert_eq!(listed, 25_760, "the lines add up to the stored 小計");
    }
}
