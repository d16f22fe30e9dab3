//! Login information (R1, R2) over HTTP against SQLite and PostgreSQL: the upline registers a
//! login for a downline customer (the customer sets the password from the mailed link), and
//! the self-service changes of password and e-mail. Mails are read from the outbox.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{
    audit_log, customers, email_verifications, logins, outgoing_messages as om,
};
use app::server::queue;
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const ITO: &str = "10000090";
const ITO_MAIL: &str = "ito@example.jp";
const NEW_PASSWORD: &str = "aozora-no-shita-2026";

async fn deliver(app: &TestApp) {
    let st = app.state();
    queue::deliver_due(&st, 50).await.unwrap();
}

/// The newest mail to `to`, delivered through the outbox.
async fn last_mail_to(app: &TestApp, to: &str) -> om::Model {
    deliver(app).await;
    let m = om::Entity::find()
        .filter(om::Column::Recipient.eq(to))
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a mail to {to}"));
    assert_eq!(
        m.status,
        app::server::entities::outgoing_messages::Status::Sent
    );
    assert_eq!(m.channel, app::model::ResetChannel::Mail);
    app.opened(m)
}

/// The token of the `/verify/…` link in a mail.
fn link_token(body: &str) -> String {
    let start = body.find("/verify/").expect("a link") + "/verify/".len();
    let t: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(t.len(), 64, "{body}");
    t
}

async fn register(app: &TestApp, session: &str, code: &str, email: &str) -> reqwest::Response {
    app.post_form(
        "/api/account/register-login",
        &[("customer_code", code), ("email", email)],
        Some(session),
    )
    .await
}

async fn set_password(app: &TestApp, token: &str, pw: &str) -> reqwest::Response {
    app.post_form(
        "/api/verify/password",
        &[("token", token), ("password", pw), ("confirm", pw)],
        None,
    )
    .await
}

async fn me(app: &TestApp, session: &str) -> serde_json::Value {
    app.get("/api/auth/me", Some(session))
        .await
        .json()
        .await
        .unwrap()
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

async fn error_message(res: reqwest::Response) -> String {
    let v: serde_json::Value = res.json().await.unwrap();
    v["InvalidInput"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upline_registers_a_login_and_the_customer_sets_the_password() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let ito = customer_id(&app, ITO).await;

        // Not in his upline chain: refused and audited, nothing sent.
        let aoba = app.login_token("aoba@example.jp", DEMO_PASSWORD).await;
        let res = register(&app, &aoba, ITO, ITO_MAIL).await;
        assert_eq!(res.status(), 403, "{b:?}");
        let refused = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("register_login_refused"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(refused.len(), 1);
        assert_eq!(
            refused[0].actor_customer_id,
            Some(customer_id(&app, "10000031").await)
        );
        assert_eq!(app.count(email_verifications::Entity).await, 0);
        assert_eq!(app.count(om::Entity).await, 0);

        // Without a session: 401.
        let res = app
            .post_form(
                "/api/account/register-login",
                &[("customer_code", ITO), ("email", ITO_MAIL)],
                None,
            )
            .await;
        assert_eq!(res.status(), 401);

        // His upline's upline may, and so may his upline.
        let dairiten = app.login_token("dairiten@example.jp", DEMO_PASSWORD).await;
        let res = register(&app, &dairiten, ITO, "Ito@Example.jp").await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let first = link_token(&last_mail_to(&app, ITO_MAIL).await.body);
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let res = register(&app, &shop, ITO, ITO_MAIL).await;
        assert_eq!(res.status(), 200);
        let mail = last_mail_to(&app, ITO_MAIL).await;
        assert!(mail.body.contains("ほかの誰にも知られることはありません"));
        assert!(mail.body.contains("24時間"));
        assert!(mail.body.contains(ITO));
        assert!(mail.body.contains("http://127.0.0.1:3000/verify/"));
        let token = link_token(&mail.body);
        assert_ne!(token, first);
        // Only the link was sent: no login, no password exists yet.
        assert!(logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(ito))
            .one(&app.db)
            .await
            .unwrap()
            .is_none());
        assert_eq!(app.login(ITO_MAIL, NEW_PASSWORD).await.status(), 401);

        // The link's page knows what it is for; the page itself is public.
        let info: serde_json::Value = app
            .get(&format!("/api/verify/info?token={token}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(info["purpose"], "SetLogin");
        assert_eq!(info["email"], ITO_MAIL);
        assert_eq!(
            app.get(&format!("/verify/{token}"), None).await.status(),
            200
        );

        // A weak password is refused and the link stays usable.
        let res = set_password(&app, &token, "1234567890").await;
        assert_eq!(res.status(), 400);
        let res = set_password(&app, &token, NEW_PASSWORD).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert!(
            common::session_cookie(&res).is_none(),
            "setting the password never logs in"
        );

        // Single use; the other outstanding link is void too.
        let again = set_password(&app, &token, NEW_PASSWORD).await;
        assert_eq!(again.status(), 400);
        assert!(
            again.text().await.unwrap().contains("LinkUsed"),
            "used, not expired"
        );
        let info = app
            .get(&format!("/api/verify/info?token={token}"), None)
            .await;
        assert_eq!(info.status(), 400);
        assert!(info.text().await.unwrap().contains("LinkUsed"));
        assert_eq!(
            set_password(&app, &first, "another-password-99")
                .await
                .status(),
            400
        );

        let ito_session = app.login_token(ITO_MAIL, NEW_PASSWORD).await;
        assert_eq!(me(&app, &ito_session).await["customer_code"], ITO);

        // He has a login now: the upline cannot register another (which could hand the
        // account to an address the upline controls).
        let res = register(&app, &shop, ITO, "other@example.jp").await;
        assert!(error_message(res)
            .await
            .contains("このお客様はすでにログイン情報を登録済みです"));
        let actions: Vec<String> = audit_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert!(actions.contains(&"verification_link_sent".to_string()));
        assert!(actions.contains(&"login_registered".to_string()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_expire_after_24_hours_and_taken_addresses_get_no_link() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;

        // Another customer's login e-mail cannot become his, and the upline is not told so
        // (the answer of a success); the address's owner gets a notice without a link.
        let res = register(&app, &shop, ITO, "ippan@example.jp").await;
        assert_eq!(res.status(), 200);
        let notice = last_mail_to(&app, "ippan@example.jp").await;
        assert!(notice
            .body
            .contains("すでに使われているため登録されていません"));
        assert!(!notice.body.contains("/verify/"));

        let res = register(&app, &shop, ITO, ITO_MAIL).await;
        assert_eq!(res.status(), 200);
        let token = link_token(&last_mail_to(&app, ITO_MAIL).await.body);
        // 全国販社 (operator staff) may register for anyone without a login.
        let honbu = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        assert_eq!(register(&app, &honbu, ITO, ITO_MAIL).await.status(), 200);
        app.advance(24 * 3600 + 1);
        let res = set_password(&app, &token, NEW_PASSWORD).await;
        assert_eq!(res.status(), 400, "{b:?}");
        let info = app
            .get(&format!("/api/verify/info?token={token}"), None)
            .await;
        assert_eq!(info.status(), 400);
        assert!(
            info.text().await.unwrap().contains("ResetExpired"),
            "expired, not used"
        );
        assert_eq!(app.login(ITO_MAIL, NEW_PASSWORD).await.status(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let here = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let elsewhere = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let change = |current: &'static str| {
            let app = &app;
            let here = here.clone();
            async move {
                app.post_form(
                    "/api/account/password",
                    &[
                        ("current", current),
                        ("password", NEW_PASSWORD),
                        ("confirm", NEW_PASSWORD),
                    ],
                    Some(&here),
                )
                .await
            }
        };
        let res = change("wrong-password-1").await;
        assert_eq!(res.status(), 400, "{b:?}");
        assert!(error_message(res).await.contains("現在のパスワード"));
        assert!(!me(&app, &elsewhere).await.is_null(), "nothing changed");

        let res = change(DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert!(!me(&app, &here).await.is_null(), "this session stays");
        assert!(me(&app, &elsewhere).await.is_null(), "others end");
        assert_eq!(
            app.login("shop@example.jp", DEMO_PASSWORD).await.status(),
            401
        );
        app.login_token("shop@example.jp", NEW_PASSWORD).await;
        let mail = last_mail_to(&app, "shop@example.jp").await;
        assert!(mail.subject.contains("パスワードが変更されました"));
        assert!(mail.body.contains("退職"));
        assert!(audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("password_changed"))
            .one(&app.db)
            .await
            .unwrap()
            .is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_email_takes_effect_only_after_the_link() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let here = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let elsewhere = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let new_mail = "kobayashi.new@example.jp";
        let res = app
            .post_form(
                "/api/account/email",
                &[("current", "wrong-password-1"), ("email", new_mail)],
                Some(&here),
            )
            .await;
        assert_eq!(res.status(), 400, "{b:?}");
        assert_eq!(app.count(email_verifications::Entity).await, 0);

        let res = app
            .post_form(
                "/api/account/email",
                &[("current", DEMO_PASSWORD), ("email", new_mail)],
                Some(&here),
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let mail = last_mail_to(&app, new_mail).await;
        let token = link_token(&mail.body);
        // Nothing has changed yet.
        assert_eq!(app.login(new_mail, DEMO_PASSWORD).await.status(), 401);
        app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        assert!(!me(&app, &elsewhere).await.is_null());

        let info: serde_json::Value = app
            .get(&format!("/api/verify/info?token={token}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(info["purpose"], "ChangeEmail");
        let res = app
            .post_form("/api/verify/email", &[("token", &token)], Some(&here))
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let again = app
            .post_form("/api/verify/email", &[("token", &token)], None)
            .await;
        assert_eq!(again.status(), 400, "single use");

        assert!(
            !me(&app, &here).await.is_null(),
            "the confirming session stays"
        );
        assert!(me(&app, &elsewhere).await.is_null(), "others end");
        assert_eq!(
            app.login("shop@example.jp", DEMO_PASSWORD).await.status(),
            401
        );
        app.login_token(new_mail, DEMO_PASSWORD).await;
        let old = last_mail_to(&app, "shop@example.jp").await;
        assert!(old.subject.contains("メールアドレスが変更されました"));
        assert!(audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("email_changed"))
            .one(&app.db)
            .await
            .unwrap()
            .is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_in_japanese_and_writes_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let audits = app.count(audit_log::Entity).await;
        let huge = "a".repeat(10 * 1024);
        let huge_mail = format!("{huge}@example.jp");
        let ctrl = "ito\u{0}@example.jp";
        let sql = "' OR '1'='1' --";

        for (code, email) in [
            ("", ITO_MAIL),
            (ITO, ""),
            (huge.as_str(), ITO_MAIL),
            (ITO, huge_mail.as_str()),
            (ITO, ctrl),
            ("1000\u{7}0090", ITO_MAIL),
            (sql, ITO_MAIL),
            (ITO, sql),
            (ITO, "x@example.jp'; DROP TABLE logins; --"),
        ] {
            let res = register(&app, &shop, code, email).await;
            assert_eq!(res.status(), 400, "{b:?} {code:?} {email:?}");
            let msg = error_message(res).await;
            assert!(!msg.is_empty() && !msg.is_ascii(), "{msg}");
        }

        for (current, pw, confirm) in [
            (DEMO_PASSWORD, "", ""),
            ("", NEW_PASSWORD, NEW_PASSWORD),
            (huge.as_str(), NEW_PASSWORD, NEW_PASSWORD),
            ("daiko\u{1}demo", NEW_PASSWORD, NEW_PASSWORD),
            (DEMO_PASSWORD, huge.as_str(), huge.as_str()),
            (DEMO_PASSWORD, "new\u{0}password-1", "new\u{0}password-1"),
            (DEMO_PASSWORD, NEW_PASSWORD, "different-password-1"),
        ] {
            let res = app
                .post_form(
                    "/api/account/password",
                    &[("current", current), ("password", pw), ("confirm", confirm)],
                    Some(&shop),
                )
                .await;
            assert_eq!(res.status(), 400, "{b:?} {pw:?}");
            let msg = error_message(res).await;
            assert!(!msg.is_empty() && !msg.is_ascii(), "{msg}");
        }

        for (current, email) in [
            (DEMO_PASSWORD, ""),
            (DEMO_PASSWORD, huge_mail.as_str()),
            (DEMO_PASSWORD, ctrl),
            (DEMO_PASSWORD, sql),
            ("", "new@example.jp"),
            (huge.as_str(), "new@example.jp"),
        ] {
            let res = app
                .post_form(
                    "/api/account/email",
                    &[("current", current), ("email", email)],
                    Some(&shop),
                )
                .await;
            assert_eq!(res.status(), 400, "{b:?} {email:?}");
            let msg = error_message(res).await;
            assert!(!msg.is_empty() && !msg.is_ascii(), "{msg}");
        }

        // Links that do not exist.
        for token in ["", sql, huge.as_str(), &"0".repeat(64)] {
            let res = set_password(&app, token, NEW_PASSWORD).await;
            assert_eq!(res.status(), 400, "{token:.20}");
            let res = app
                .post_form("/api/verify/email", &[("token", token)], None)
                .await;
            assert_eq!(res.status(), 400);
        }

        assert_eq!(app.count(email_verifications::Entity).await, 0);
        assert_eq!(app.count(om::Entity).await, 0);
        assert_eq!(app.count(audit_log::Entity).await, audits);
        let ito = customer_id(&app, ITO).await;
        assert!(logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(ito))
            .one(&app.db)
            .await
            .unwrap()
            .is_none());
        assert!(!me(&app, &shop).await.is_null());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_render_and_account_pages_need_a_login() {
    let app = TestApp::spawn(common::Backend::Sqlite).await;
    for path in ["/account", "/account/register-login"] {
        let res = app.get(path, None).await;
        assert!(res.status().is_redirection(), "{path}");
        assert_eq!(res.headers()["location"], "/login");
    }
    let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
    let body = app.get("/account", Some(&shop)).await.text().await.unwrap();
    assert!(body.contains("パスワードの変更"), "{body}");
    assert!(body.contains("退職・異動されたときは"));
    assert!(body.contains("ログイン情報登録（下位のお客様）"));
    let body = app
        .get("/account/register-login", Some(&shop))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("上位店がパスワードを決めたり知ったりすることはありません"));
    let res = app.get(&format!("/verify/{}", "0".repeat(64)), None).await;
    assert_eq!(res.status(), 200, "the link page is public");
}
