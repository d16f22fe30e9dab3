//! 全国販社 staff start a reset for a customer; the PIN reaches only the customer (R3).
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{audit_log, outgoing_messages as om};
use app::server::queue;
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_start_a_reset_without_seeing_anything() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let res = app
            .post_form(
                "/api/staff/start-reset",
                &[("customer_code", "10000050"), ("channel", "sms")],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("5555") && !body.contains("+81"),
            "staff see no destination: {body}"
        );
        let st = app.state();
        queue::deliver_due(&st, 10).await.unwrap();
        let m = om::Entity::find()
            .filter(om::Column::Decoy.eq(false))
            .order_by_desc(om::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let m = app.opened(m);
        assert_eq!(m.recipient, "+819055550150");
        let start = m.body.find('「').unwrap() + '「'.len_utf8();
        let pin: String = m.body[start..].chars().take(6).collect();
        assert!(!body.contains(&pin), "staff never see the PIN");

        // The customer enters お客様ID + PIN at お問い合わせ.
        let wrong = if pin == "000000" { "111111" } else { "000000" };
        let res = app
            .post_form(
                "/api/recovery/verify-by-id",
                &[("customer_code", "10000050"), ("pin", wrong)],
                None,
            )
            .await;
        assert!(res.text().await.unwrap().contains("PinWrong"));
        let res = app
            .post_form(
                "/api/recovery/verify-by-id",
                &[("customer_code", "99999999"), ("pin", &pin)],
                None,
            )
            .await;
        assert_eq!(res.status(), 400);
        assert!(
            res.text().await.unwrap().contains("PinWrong"),
            "an unknown ID answers like a wrong PIN"
        );
        let res = app
            .post_form(
                "/api/recovery/verify-by-id",
                &[("customer_code", "10000050"), ("pin", &pin)],
                None,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(res
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("daiko_reset=")));

        let started = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("reset_started_by_staff"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("audited");
        assert!(!started.detail.contains(&pin) && !started.detail.contains("5555"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_may_start_a_reset() {
    let app = TestApp::spawn(common::Backend::Sqlite).await;
    let res = app
        .post_form(
            "/api/staff/start-reset",
            &[("customer_code", "10000050"), ("channel", "sms")],
            None,
        )
        .await;
    assert_eq!(res.status(), 401);
    let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
    let res = app
        .post_form(
            "/api/staff/start-reset",
            &[("customer_code", "10000050"), ("channel", "sms")],
            Some(&hansha),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.count(om::Entity).await, 0);
    let refused = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("forbidden_staff_reset"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 1);
    // Staff get clear messages for customers they cannot reach that way.
    let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
    let res = app
        .post_form(
            "/api/staff/start-reset",
            &[("customer_code", "10000030"), ("channel", "sms")],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("携帯電話ではない"));
    let res = app
        .post_form(
            "/api/staff/start-reset",
            &[("customer_code", "10000090"), ("channel", "mail")],
            Some(&staff),
        )
        .await;
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("メールアドレスが登録されていません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_consolidate_imported_logins_on_screen() {
    use app::server::import;
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let customers = "お客様ID,代理店名,カナ,電話番号,ランク,上位店お客様ID,販売事業部,会員登録,郵便番号,住所\n\
                         20000001,旧システム商店,キュウシステムショウテン,090-1111-2222,代理店,10000030,,なし,100-0001,東京都\n";
        let logins =
            "お客様ID,メールアドレス\n20000001,staff-a@example.jp\n20000001,staff-b@example.jp\n";
        let r = import::import(
            &app.db,
            customers.as_bytes(),
            logins.as_bytes(),
            false,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert!(r.written, "{r}");

        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        assert_eq!(
            app.get("/api/staff/pending-logins", Some(&shop))
                .await
                .status(),
            403
        );
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let list: serde_json::Value = app
            .get("/api/staff/pending-logins", Some(&staff))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list[0]["customer_code"], "20000001");
        assert_eq!(list[0]["emails"].as_array().unwrap().len(), 2);

        let res = app
            .post_form(
                "/api/staff/consolidate",
                &[
                    ("customer_code", "20000001"),
                    ("keep_email", "nobody@example.jp"),
                ],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 400, "only a pending address can be kept");
        let res = app
            .post_form(
                "/api/staff/consolidate",
                &[
                    ("customer_code", "20000001"),
                    ("keep_email", "staff-b@example.jp"),
                ],
                Some(&staff),
            )
            .await;
        assert_eq!(res.status(), 200);
        let list: serde_json::Value = app
            .get("/api/staff/pending-logins", Some(&staff))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 0);
        let mails = om::Entity::find().all(&app.db).await.unwrap();
        let mut to: Vec<_> = mails.iter().map(|m| m.recipient.as_str()).collect();
        to.sort();
        assert_eq!(
            to,
            ["staff-a@example.jp", "staff-b@example.jp"],
            "both addresses are told"
        );

        // Delivery is audited, without the message.
        let st = app.state();
        queue::deliver_due(&st, 10).await.unwrap();
        let sent = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("message_sent"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|a| !a.detail.contains("@")));
    }
}
