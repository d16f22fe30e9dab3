//! お問い合わせ after a right PIN (#10.5, R3): the login e-mail is shown masked, only to the
//! holder of a live grant, and a new login e-mail can be set beside the new password. The new
//! address gets a link (or, if it is someone's login, a notice: the same answer), the current
//! one a notice, and the login changes only when the link is used. Over HTTP, SQLite and
//! PostgreSQL, with the development outbox as the sender.
#![cfg(feature = "ssr")]
mod common;

use app::error::AppError;
use app::server::entities::{
    audit_log, email_verifications as ev, logins, outgoing_messages as om, pin_challenges as pc,
};
use app::server::queue;
use common::{challenge, TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const NEW_PASSWORD: &str = "a brand new phrase";

async fn deliver(app: &TestApp) {
    queue::deliver_due(&app.state(), 100).await.unwrap();
}

/// Requests a PIN by SMS, reads it from the outbox, enters it and returns the grant cookie.
async fn grant_for(app: &TestApp, code: &str, phone: &str) -> String {
    let id = challenge(app, code, "sms", phone).await;
    deliver(app).await;
    let m = om::Entity::find()
        .filter(om::Column::Decoy.eq(false))
        .filter(om::Column::Channel.eq(app::model::ResetChannel::Sms))
        .order_by_desc(om::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the PIN's SMS");
    let body = app.opened(m).body;
    let start = body.find('「').expect("a quoted PIN") + '「'.len_utf8();
    let pin: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let res = app
        .post_form("/api/recovery/verify", &[("id", &id), ("pin", &pin)], None)
        .await;
    assert_eq!(res.status(), 200, "right PIN");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("daiko_reset="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .filter(|v| !v.is_empty())
        .expect("grant cookie")
}

fn with_grant(req: reqwest::RequestBuilder, grant: Option<&str>) -> reqwest::RequestBuilder {
    match grant {
        Some(g) => req.header("cookie", format!("daiko_reset={g}")),
        None => req,
    }
}

/// `GET /api/recovery/grant`: status and body.
async fn account(app: &TestApp, grant: Option<&str>) -> (u16, String) {
    let res = with_grant(app.http.get(app.url("/api/recovery/grant")), grant)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The new-password page as the browser first receives it (server-rendered).
async fn page(app: &TestApp, grant: Option<&str>) -> String {
    let res = with_grant(app.http.get(app.url("/contact/new-password")), grant)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// `POST /api/recovery/password`; `new_email: None` leaves the field out entirely.
async fn reset(
    app: &TestApp,
    grant: &str,
    password: &str,
    new_email: Option<&str>,
) -> reqwest::Response {
    let mut form = vec![("password", password), ("confirm", password)];
    if let Some(e) = new_email {
        form.push(("new_email", e));
    }
    with_grant(
        app.http.post(app.url("/api/recovery/password")),
        Some(grant),
    )
    .form(&form)
    .send()
    .await
    .unwrap()
}

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("an AppError, not {body}: {e}"))
}

fn assert_expired(status: u16, body: &str) {
    assert_eq!(status, 400, "{body}");
    let e = error_of(body);
    assert_eq!(e, AppError::ResetExpired);
    assert!(e.message().contains("手続きの有効期限が切れました"));
}

async fn actions(app: &TestApp) -> Vec<String> {
    audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect()
}

/// Row counts a refused request must leave alone.
async fn written(app: &TestApp) -> (u64, u64, u64, u64) {
    (
        app.count(ev::Entity).await,
        app.count(om::Entity).await,
        app.count(audit_log::Entity).await,
        pc::Entity::find()
            .filter(pc::Column::GrantUsedAt.is_not_null())
            .all(&app.db)
            .await
            .unwrap()
            .len() as u64,
    )
}

async fn login_email(app: &TestApp, code: &str) -> String {
    use app::server::entities::customers;
    let c = customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    logins::Entity::find()
        .filter(logins::Column::CustomerId.eq(c.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .email
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_masked_address_is_shown_only_with_a_live_grant() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        // Before the PIN is entered, neither the PIN page nor its status shows any address.
        let id = challenge(&app, "10000050", "sms", "090-5555-0150").await;
        deliver(&app).await;
        let status = app
            .get(&format!("/api/recovery/status?id={id}"), None)
            .await
            .text()
            .await
            .unwrap();
        let pin_page = app
            .get(&format!("/contact/pin/{id}"), None)
            .await
            .text()
            .await
            .unwrap();
        for text in [&status, &pin_page] {
            assert!(
                !text.contains("***@") && !text.contains("dairiten"),
                "{b:?}"
            );
        }
        let (s, body) = account(&app, None).await;
        assert_expired(s, &body);
        let (s, body) = account(&app, Some(&"0".repeat(64))).await;
        assert_expired(s, &body);
        let (s, body) = account(&app, Some("not-a-grant")).await;
        assert_expired(s, &body);
        let without = page(&app, None).await;
        assert!(without.contains("手続きの有効期限が切れました"), "{b:?}");
        assert!(!without.contains("***@") && !without.contains("id=\"password\""));

        let grant = grant_for(&app, "10000050", "090-5555-0150").await;
        let (s, body) = account(&app, Some(&grant)).await;
        assert_eq!(s, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["masked_email"], "d***@example.jp");
        assert!(!body.contains("dairiten"), "never unmasked: {body}");
        let with = page(&app, Some(&grant)).await;
        assert!(with.contains("d***@example.jp") && with.contains("id=\"new_email\""));
        assert!(!with.contains("dairiten"), "never unmasked on the page");

        // A used grant shows nothing.
        let res = reset(&app, &grant, NEW_PASSWORD, None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/contact/done");
        let (s, body) = account(&app, Some(&grant)).await;
        assert_expired(s, &body);

        // Nor does an expired one (15 minutes).
        let grant = grant_for(&app, "10000050", "090-5555-0150").await;
        assert_eq!(account(&app, Some(&grant)).await.0, 200);
        app.advance(15 * 60 + 1);
        let (s, body) = account(&app, Some(&grant)).await;
        assert_expired(s, &body);
        let res = reset(&app, &grant, "yet another phrase", None).await;
        let s = res.status().as_u16();
        assert_expired(s, &res.text().await.unwrap());
        let page = page(&app, Some(&grant)).await;
        assert!(!page.contains("***@"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_email_becomes_the_login_only_when_its_link_is_used() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let grant = grant_for(&app, "10000050", "090-5555-0150").await;
        let before = app.real_messages().await.len();
        let res = reset(&app, &grant, NEW_PASSWORD, Some(" Tanaka.New@Example.jp ")).await;
        assert_eq!(res.status(), 200, "{b:?}");
        assert_eq!(res.headers()["location"], "/contact/done?email=1");
        deliver(&app).await;
        let sent = app.real_messages().await.split_off(before);
        let mut to: Vec<(&str, &str)> = sent
            .iter()
            .map(|m| (m.recipient.as_str(), m.subject.as_str()))
            .collect();
        to.sort();
        assert_eq!(to.len(), 3, "{to:?}");
        assert_eq!(to[0].0, "dairiten@example.jp");
        assert_eq!(to[1].0, "dairiten@example.jp");
        assert!(to[..2]
            .iter()
            .any(|(_, s)| s.contains("パスワードが変更されました")));
        assert!(to[..2]
            .iter()
            .any(|(_, s)| s.contains("メールアドレスの変更手続きを受け付けました")));
        assert_eq!(to[2].0, "tanaka.new@example.jp", "lower-cased and trimmed");
        let link = sent
            .into_iter()
            .find(|m| m.recipient == "tanaka.new@example.jp")
            .map(|m| app.opened(m))
            .unwrap();
        assert!(link.subject.contains("変更の確認"));
        let token: String = link
            .body
            .split("/verify/")
            .nth(1)
            .expect("a link")
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        assert_eq!(token.len(), 64);

        // Until the link is used, the login is the old address (with the new password).
        assert_eq!(login_email(&app, "10000050").await, "dairiten@example.jp");
        assert_eq!(
            app.login("tanaka.new@example.jp", NEW_PASSWORD)
                .await
                .status(),
            401
        );
        assert_eq!(
            app.login("dairiten@example.jp", DEMO_PASSWORD)
                .await
                .status(),
            401
        );
        app.login_token("dairiten@example.jp", NEW_PASSWORD).await;

        let res = app
            .post_form("/api/verify/email", &[("token", &token)], None)
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(login_email(&app, "10000050").await, "tanaka.new@example.jp");
        assert_eq!(
            app.login("dairiten@example.jp", NEW_PASSWORD)
                .await
                .status(),
            401
        );
        app.login_token("tanaka.new@example.jp", NEW_PASSWORD).await;
        let last = om::Entity::find()
            .order_by_desc(om::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            last.recipient, "dairiten@example.jp",
            "the old address is told"
        );
        assert!(last.subject.contains("メールアドレスが変更されました"));

        let actions = actions(&app).await;
        for a in [
            "pin_verified",
            "verification_link_sent",
            "reset_email_change_requested",
            "password_reset",
            "email_changed",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
        }
        let reset_entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("password_reset"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(reset_entry
            .detail
            .contains("\"email_change_requested\":true"));
        assert!(!reset_entry.detail.contains(NEW_PASSWORD));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_address_gets_the_same_answer_as_a_free_one() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let free_grant = grant_for(&app, "10000050", "090-5555-0150").await;
        let taken_grant = grant_for(&app, "10000060", "080-5555-0160").await;

        let mut answers = Vec::new();
        for (grant, email) in [
            (&free_grant, "nobody-yet@example.jp"),
            (&taken_grant, "Shop@Example.jp"),
        ] {
            let (links, messages) = (app.count(ev::Entity).await, app.count(om::Entity).await);
            let res = reset(&app, grant, NEW_PASSWORD, Some(email)).await;
            let cookies: Vec<String> = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .collect();
            let location = res.headers()["location"].to_str().unwrap().to_string();
            let answer = (
                res.status().as_u16(),
                location,
                cookies,
                res.text().await.unwrap(),
            );
            let rows = (
                app.count(ev::Entity).await - links,
                app.count(om::Entity).await - messages,
            );
            answers.push((answer, rows));
        }
        assert_eq!(
            answers[0], answers[1],
            "{b:?}: the same answer and the same writes"
        );
        assert_eq!(answers[0].1, (1, 3));

        deliver(&app).await;
        let to_shop: Vec<om::Model> = app
            .real_messages()
            .await
            .into_iter()
            .filter(|m| m.recipient == "shop@example.jp")
            .map(|m| app.opened(m))
            .collect();
        assert_eq!(to_shop.len(), 1);
        assert!(to_shop[0].subject.contains("変更は行われませんでした"));
        assert!(
            !to_shop[0].body.contains("/verify/"),
            "no link to a taken address"
        );
        // Nothing changed for either owner of shop@: 10000070 still logs in with it.
        assert_eq!(login_email(&app, "10000070").await, "shop@example.jp");
        assert_eq!(login_email(&app, "10000060").await, "taiki@example.jp");
        app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        app.login_token("taiki@example.jp", NEW_PASSWORD).await;
        // The requester's current address was told in both cases alike.
        for old in ["dairiten@example.jp", "taiki@example.jp"] {
            let n = app
                .real_messages()
                .await
                .into_iter()
                .filter(|m| m.recipient == old && m.subject.contains("変更手続きを受け付けました"))
                .count();
            assert_eq!(n, 1, "{old}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_japanese_400_and_writes_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let grant = grant_for(&app, "10000050", "090-5555-0150").await;
        let before = written(&app).await;
        for (password, email, expected) in [
            (
                NEW_PASSWORD,
                "not-an-address",
                "メールアドレスの形式が正しくありません",
            ),
            (
                NEW_PASSWORD,
                "a@b@example.jp",
                "メールアドレスの形式が正しくありません",
            ),
            (
                NEW_PASSWORD,
                " DAIRITEN@example.jp",
                "現在のログイン用メールアドレスと同じです",
            ),
            ("short", "fine-new@example.jp", "10文字以上"),
        ] {
            let res = reset(&app, &grant, password, Some(email)).await;
            assert_eq!(res.status(), 400, "{b:?} {email}");
            match error_of(&res.text().await.unwrap()) {
                AppError::InvalidInput(m) => assert!(m.contains(expected), "{m}"),
                e => panic!("{email}: {e:?}"),
            }
        }
        assert_eq!(written(&app).await, before, "{b:?}: nothing written");
        assert_eq!(login_email(&app, "10000050").await, "dairiten@example.jp");
        // The grant was not spent: an empty e-mail field means "keep it", and that works.
        assert_eq!(account(&app, Some(&grant)).await.0, 200);
        let res = reset(&app, &grant, NEW_PASSWORD, Some("  ")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/contact/done");
        assert_eq!(
            app.count(ev::Entity).await,
            before.0,
            "no link for an empty field"
        );
        app.login_token("dairiten@example.jp", NEW_PASSWORD).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_without_a_login_is_told_to_ask_the_upline() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let grant = grant_for(&app, "10000090", "080-5555-0190").await;
        let before = written(&app).await;
        let (s, body) = account(&app, Some(&grant)).await;
        assert_eq!(s, 400);
        let AppError::InvalidInput(m) = error_of(&body) else {
            panic!("{body}")
        };
        assert!(
            m.contains("ログイン情報（メールアドレス）が未登録です"),
            "{m}"
        );
        assert!(page(&app, Some(&grant))
            .await
            .contains("上位店にログイン情報の登録を依頼してください"));
        let res = reset(&app, &grant, NEW_PASSWORD, Some("itou@example.jp")).await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("未登録"));
        assert_eq!(written(&app).await, before, "{b:?}: nothing written");
    }
}
