//! No login-address oracle for signed-in users (issue 9, item 5), over HTTP on SQLite and
//! PostgreSQL: changing one's e-mail, registering login information for a downline customer
//! and registering a customer answer the same whether or not an address is already someone's
//! login (its owner gets a notice, never a link, and no login is written); the duplicate
//! question about a phone looks only at the registrant's own downline; a verified login cannot
//! be re-registered; an unverified imported address is told before it is replaced.
#![cfg(feature = "ssr")]
mod common;

use app::server::entities::{
    audit_log, customers, email_verifications as ev, logins, outgoing_messages as om,
    sales_divisions,
};
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::sync::atomic::{AtomicU32, Ordering};

const ITO: &str = "10000090";
const PASSWORD: &str = "aozora-no-shita-2026";

/// Status and body of a response: what the person who asked sees.
async fn answer(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Every message queued for `to`, oldest first, with the body opened.
async fn mails_to(app: &TestApp, to: &str) -> Vec<om::Model> {
    om::Entity::find()
        .filter(om::Column::Recipient.eq(to))
        .order_by_asc(om::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(common::unsealed)
        .collect()
}

/// The one message queued for `to`.
async fn only_mail_to(app: &TestApp, to: &str) -> om::Model {
    let mut all = mails_to(app, to).await;
    assert_eq!(all.len(), 1, "one mail to {to}: {all:?}");
    all.remove(0)
}

fn link_token(body: &str) -> String {
    let start = body.find("/verify/").expect("a link") + "/verify/".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

async fn all_logins(app: &TestApp) -> Vec<logins::Model> {
    logins::Entity::find()
        .order_by_asc(logins::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn customer(app: &TestApp, code: &str) -> customers::Model {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("customer {code}"))
}

async fn audit_actions(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn invalid_message(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    v["InvalidInput"].as_str().unwrap_or_default().to_string()
}

async fn change_email(app: &TestApp, session: &str, email: &str) -> reqwest::Response {
    app.post_form(
        "/api/account/email",
        &[("current", DEMO_PASSWORD), ("email", email)],
        Some(session),
    )
    .await
}

async fn register_login(
    app: &TestApp,
    session: &str,
    code: &str,
    email: &str,
) -> reqwest::Response {
    app.post_form(
        "/api/account/register-login",
        &[("customer_code", code), ("email", email)],
        Some(session),
    )
    .await
}

async fn set_password(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_form(
        "/api/verify/password",
        &[
            ("token", token),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_to_a_taken_address_answers_as_for_a_free_one() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let before = all_logins(&app).await;

        let free = answer(change_email(&app, &shop, "kobayashi.new@example.jp").await).await;
        let taken = answer(change_email(&app, &shop, "Ippan@Example.jp").await).await;
        assert_eq!(free.0, 200, "{b:?} {free:?}");
        assert_eq!(taken, free, "{b:?}: the same status and body");

        // The free address gets the link; the login's owner a notice and no link.
        let link = only_mail_to(&app, "kobayashi.new@example.jp").await;
        assert!(link.body.contains("/verify/"), "{}", link.body);
        let notice = only_mail_to(&app, "ippan@example.jp").await;
        assert!(
            notice
                .body
                .contains("このアドレスでログイン情報の変更が試みられましたが、すでに使われているため変更されていません"),
            "{}",
            notice.body
        );
        assert!(!notice.body.contains("/verify/"), "{}", notice.body);
        assert!(!notice.body.contains("10000070"), "never says who asked");
        // Nothing written to `logins`; the attempt is recorded as a link void from the start.
        assert_eq!(all_logins(&app).await, before, "{b:?}");
        let attempt = ev::Entity::find()
            .filter(ev::Column::Email.eq("ippan@example.jp"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the attempt is recorded");
        assert!(attempt.used_at.is_some(), "it can never be opened");
        assert!(audit_actions(&app)
            .await
            .iter()
            .any(|a| a.action == "verification_address_taken"));
        // Both logins work as before.
        app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_an_address_taken_meanwhile_fails_in_japanese() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let ippan = app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
        let contested = "shared.new@example.jp";
        // Free for both when asked: both get a link.
        assert_eq!(change_email(&app, &shop, contested).await.status(), 200);
        assert_eq!(change_email(&app, &ippan, contested).await.status(), 200);
        let links: Vec<String> = mails_to(&app, contested)
            .await
            .iter()
            .map(|m| link_token(&m.body))
            .collect();
        assert_eq!(links.len(), 2);
        // 佐藤 花子 confirms first; the address is hers now.
        let res = app
            .post_form("/api/verify/email", &[("token", &links[1])], Some(&ippan))
            .await;
        assert_eq!(res.status(), 200, "{b:?} {:?}", res.text().await);
        let before = all_logins(&app).await;
        let (status, body) = answer(
            app.post_form("/api/verify/email", &[("token", &links[0])], Some(&shop))
                .await,
        )
        .await;
        assert_eq!(status, 400, "{b:?} {body}");
        assert!(
            invalid_message(&body).contains("すでに別のお客様のログイン用メールアドレス"),
            "{body}"
        );
        assert_eq!(all_logins(&app).await, before, "nothing changed");
        app.login_token("shop@example.jp", DEMO_PASSWORD).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_a_taken_address_answers_as_for_a_free_one() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let ito = customer(&app, ITO).await;
        let before = all_logins(&app).await;
        for (who, free_mail, taken_mail) in [
            ("shop@example.jp", "ito@example.jp", "ippan@example.jp"),
            // 全国販社 too; a login outside the registrant's downline as well.
            ("honbu@example.jp", "ito.2@example.jp", "aoba@example.jp"),
        ] {
            let s = app.login_token(who, DEMO_PASSWORD).await;
            let free = answer(register_login(&app, &s, ITO, free_mail).await).await;
            let taken = answer(register_login(&app, &s, ITO, taken_mail).await).await;
            assert_eq!(free.0, 200, "{b:?} {who} {free:?}");
            assert_eq!(taken, free, "{b:?} {who}: the same status and body");

            assert!(only_mail_to(&app, free_mail)
                .await
                .body
                .contains("/verify/"));
            let notice = only_mail_to(&app, taken_mail).await;
            assert!(
                notice
                    .body
                    .contains("すでに使われているため登録されていません"),
                "{}",
                notice.body
            );
            assert!(!notice.body.contains("/verify/"), "{}", notice.body);
        }
        // No login for 伊藤, nothing changed for the owners of the taken addresses.
        assert_eq!(all_logins(&app).await, before, "{b:?}");
        let usable: Vec<String> = ev::Entity::find()
            .filter(ev::Column::CustomerId.eq(ito.id))
            .filter(ev::Column::UsedAt.is_null())
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.email)
            .collect();
        assert_eq!(usable, ["ito@example.jp", "ito.2@example.jp"], "{b:?}");

        // The void attempts count toward the daily limit like links do, so the limit cannot
        // tell them apart either: 4 so far, 6 more of either kind, then 429 for both.
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        for i in 0..6 {
            let email = if i % 2 == 0 {
                "ippan@example.jp".to_string()
            } else {
                format!("ito.{i}.x@example.jp")
            };
            assert_eq!(register_login(&app, &shop, ITO, &email).await.status(), 200);
        }
        let free = answer(register_login(&app, &shop, ITO, "ito.late@example.jp").await).await;
        let taken = answer(register_login(&app, &shop, ITO, "ippan@example.jp").await).await;
        assert_eq!(free.0, 429, "{b:?} {free:?}");
        assert_eq!(taken, free);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_with_a_verified_login_cannot_be_re_registered() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        let honbu = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let before = all_logins(&app).await;
        // 佐藤 花子 (10000080, below ショップこばやし) has a verified login.
        for s in [&shop, &honbu] {
            let (status, body) =
                answer(register_login(&app, s, "10000080", "mine@example.jp").await).await;
            assert_eq!(status, 400, "{b:?} {body}");
            let msg = invalid_message(&body);
            assert!(
                msg.contains("このお客様はすでにログイン情報を登録済みです"),
                "{msg}"
            );
            assert!(!body.contains('@'), "never the address: {body}");
        }
        assert!(mails_to(&app, "mine@example.jp").await.is_empty());
        assert_eq!(app.count(ev::Entity).await, 0);
        assert_eq!(all_logins(&app).await, before);
        app.login_token("ippan@example.jp", DEMO_PASSWORD).await;
    }
}

/// 伊藤 一郎 arrives from the old system with an unverified address, as `daiko import` leaves
/// it: no password, `email_verified_at` NULL.
async fn imported_login(app: &TestApp, code: &str, email: &str) -> logins::Model {
    let c = customer(app, code).await;
    let now = chrono::Utc::now();
    logins::ActiveModel {
        customer_id: Set(c.id),
        email: Set(email.into()),
        password_hash: Set(None),
        email_verified_at: Set(None),
        password_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_imported_address_is_told_before_it_is_replaced() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let old = "ito.old@example.jp";
        let imported = imported_login(&app, ITO, old).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;

        // A taken address replaces nothing, so the old address hears nothing.
        assert_eq!(
            register_login(&app, &shop, ITO, "ippan@example.jp")
                .await
                .status(),
            200
        );
        assert!(mails_to(&app, old).await.is_empty(), "{b:?}");

        assert_eq!(
            register_login(&app, &shop, ITO, "ito.new@example.jp")
                .await
                .status(),
            200
        );
        let notice = only_mail_to(&app, old).await;
        assert!(
            notice.subject.contains("登録先が変更されます"),
            "{}",
            notice.subject
        );
        assert!(notice.body.contains("ログイン情報の登録先が変更されます"));
        assert!(notice.body.contains(ITO));
        assert!(!notice.body.contains("/verify/"), "{}", notice.body);
        assert!(!notice.body.contains("ito.new@"), "not the new address");
        let ito = customer(&app, ITO).await;
        let shop_id = customer(&app, "10000070").await.id;
        let announced: Vec<audit_log::Model> = audit_actions(&app)
            .await
            .into_iter()
            .filter(|a| a.action == "unverified_login_replacement_announced")
            .collect();
        assert_eq!(announced.len(), 1, "{b:?}");
        assert_eq!(announced[0].subject_customer_id, Some(ito.id));
        assert_eq!(announced[0].actor_customer_id, Some(shop_id));
        // Still the imported address until the link is used.
        assert_eq!(
            all_logins(&app)
                .await
                .iter()
                .find(|l| l.id == imported.id)
                .unwrap()
                .email,
            old
        );

        let token = link_token(&only_mail_to(&app, "ito.new@example.jp").await.body);
        let res = set_password(&app, &token).await;
        assert_eq!(res.status(), 200, "{b:?} {:?}", res.text().await);
        let now = logins::Entity::find_by_id(imported.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(now.email, "ito.new@example.jp");
        assert!(now.email_verified_at.is_some());
        // And the old address is told that it happened.
        let mails = mails_to(&app, old).await;
        assert_eq!(mails.len(), 2, "{b:?}");
        assert!(mails[1].subject.contains("メールアドレスが変更されました"));
        let registered = audit_actions(&app)
            .await
            .into_iter()
            .find(|a| a.action == "login_registered")
            .expect("audited");
        let detail: serde_json::Value = serde_json::from_str(&registered.detail).unwrap();
        assert_eq!(detail["replaced_unverified_login"], true, "{detail}");
        app.login_token("ito.new@example.jp", PASSWORD).await;
    }
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// Valid registration fields with a phone and e-mail nobody has.
fn fresh_fields() -> Vec<(&'static str, String)> {
    let n = SEQ.fetch_add(1, Ordering::SeqCst);
    vec![
        ("name", format!("列挙テスト商店{n}")),
        ("kana", "れっきょ てすと".into()),
        (
            "phone",
            format!("090-6{:03}-{:04}", n / 10000 % 1000, n % 10000),
        ),
        ("email", format!("enum{n}@example.jp")),
        ("postal_code", "812-0011".into()),
        ("address", "福岡県福岡市博多区博多駅前1-1".into()),
    ]
}

fn with(mut f: Vec<(&'static str, String)>, key: &str, value: &str) -> Vec<(&'static str, String)> {
    for (k, v) in f.iter_mut() {
        if *k == key {
            *v = value.to_string();
        }
    }
    f
}

async fn post(
    app: &TestApp,
    path: &str,
    session: &str,
    fields: &[(&str, String)],
) -> (u16, String) {
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    answer(app.post_form(path, &form, Some(session)).await).await
}

async fn own_division(app: &TestApp, owner: &str) -> i64 {
    let o = customer(app, owner).await;
    sales_divisions::Entity::find()
        .filter(sales_divisions::Column::OwnerCustomerId.eq(o.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// `POST /api/customers/register` by 販社 10000030 into its own division.
async fn agency(
    app: &TestApp,
    session: &str,
    division: i64,
    f: &[(&'static str, String)],
) -> (u16, String) {
    let mut form = vec![
        ("division_id", division.to_string()),
        ("rank", "shop".to_string()),
    ];
    form.extend(f.iter().cloned());
    post(app, "/api/customers/register", session, &form).await
}

/// `POST /api/staff/customers/register` by 全国販社 under 10000031.
async fn staff(app: &TestApp, session: &str, f: &[(&'static str, String)]) -> (u16, String) {
    let mut form = vec![
        ("rank", "general".to_string()),
        ("upline_code", "10000031".to_string()),
    ];
    form.extend(f.iter().cloned());
    post(app, "/api/staff/customers/register", session, &form).await
}

/// The answer with the new お客様ID blanked (it differs by construction).
fn shape(a: &(u16, String)) -> (u16, String) {
    let v: serde_json::Value = serde_json::from_str(&a.1).unwrap();
    let code = v["Registered"]["customer_code"]
        .as_str()
        .unwrap_or_else(|| panic!("registered: {a:?}"));
    assert_eq!(code.len(), 8);
    (a.0, a.1.replace(code, "########"))
}

fn code_of(a: &(u16, String)) -> String {
    let v: serde_json::Value = serde_json::from_str(&a.1).unwrap();
    v["Registered"]["customer_code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_with_a_login_address_answers_as_with_a_free_one() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let honbu = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let div = own_division(&app, "10000030").await;
        let logins_before = all_logins(&app).await;

        // In the downline (佐藤 花子), outside it (合同会社あおば, the operator), and free.
        let free_f = fresh_fields();
        let free_mail = free_f[3].1.clone();
        let free = agency(&app, &hansha, div, &free_f).await;
        assert_eq!(free.0, 200, "{b:?} {free:?}");
        for taken_mail in ["ippan@example.jp", "Aoba@Example.jp", "honbu@example.jp"] {
            let ev_before = app.count(ev::Entity).await;
            let om_before = app.count(om::Entity).await;
            let taken = agency(
                &app,
                &hansha,
                div,
                &with(fresh_fields(), "email", taken_mail),
            )
            .await;
            assert_eq!(shape(&taken), shape(&free), "{b:?} {taken_mail}");
            // The customer is registered; the address owner gets a notice and no link.
            let new = customer(&app, &code_of(&taken)).await;
            let lower = taken_mail.to_lowercase();
            let notice = only_mail_to(&app, &lower).await;
            assert!(
                notice
                    .body
                    .contains("すでに使われているため登録されていません"),
                "{}",
                notice.body
            );
            assert!(!notice.body.contains("/verify/"));
            assert!(!notice.body.contains(&new.customer_code));
            // The same work as a success: one link row (void), one mail.
            assert_eq!(app.count(ev::Entity).await, ev_before + 1);
            assert_eq!(app.count(om::Entity).await, om_before + 1);
            let row = ev::Entity::find()
                .filter(ev::Column::CustomerId.eq(new.id))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            assert!(
                row.used_at.is_some(),
                "{b:?}: no usable link to a taken address"
            );
            // Cleanup for the next round: the notice is the only mail to that address.
            om::Entity::delete_many()
                .filter(om::Column::Recipient.eq(&lower))
                .exec(&app.db)
                .await
                .unwrap();
        }
        assert!(only_mail_to(&app, &free_mail)
            .await
            .body
            .contains("/verify/"));

        // 全国販社's registration the same way.
        let free = staff(&app, &honbu, &fresh_fields()).await;
        let taken = staff(
            &app,
            &honbu,
            &with(fresh_fields(), "email", "shop@example.jp"),
        )
        .await;
        assert_eq!(free.0, 200, "{b:?} {free:?}");
        assert_eq!(shape(&taken), shape(&free), "{b:?}");
        let notice = only_mail_to(&app, "shop@example.jp").await;
        assert!(!notice.body.contains("/verify/"));

        assert_eq!(
            all_logins(&app).await,
            logins_before,
            "{b:?}: nothing written to logins"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_outside_the_downline_is_an_unknown_phone() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let honbu = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let div = own_division(&app, "10000030").await;

        let unknown = agency(&app, &hansha, div, &fresh_fields()).await;
        // 合同会社あおば (a sibling), スーパー販社 (the upline), 全国販社: not in 10000030's downline.
        for phone in ["011-555-0131", "0525550120", "03-5555-0100"] {
            let outside = agency(&app, &hansha, div, &with(fresh_fields(), "phone", phone)).await;
            assert_eq!(shape(&outside), shape(&unknown), "{b:?} {phone}");
        }
        // 佐藤 花子 is in it: the question, naming the field and never who.
        let f = with(fresh_fields(), "phone", "090-5555-0180");
        let (status, body) = agency(&app, &hansha, div, &f).await;
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(
            v["NeedsConfirmation"]["reasons"][0]
                .as_str()
                .unwrap()
                .contains("電話番号"),
            "{b:?} {body}"
        );
        assert!(!body.contains("10000080"));
        // 全国販社 sees everyone: あおば's phone asks.
        let (_, body) = staff(&app, &honbu, &with(fresh_fields(), "phone", "011-555-0131")).await;
        assert!(body.contains("NeedsConfirmation"), "{b:?} {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_invitation_outside_the_downline_is_not_mentioned() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let superr = app.login_token("super@example.jp", DEMO_PASSWORD).await;
        let div_hansha = own_division(&app, "10000030").await;
        let div_super = own_division(&app, "10000020").await;
        // スーパー販社 invites an address into its own division: outside 10000030's downline.
        let f = fresh_fields();
        let invited = f[3].1.clone();
        assert_eq!(agency(&app, &superr, div_super, &f).await.0, 200);
        let unknown = agency(&app, &hansha, div_hansha, &fresh_fields()).await;
        let outside = agency(
            &app,
            &hansha,
            div_hansha,
            &with(fresh_fields(), "email", &invited),
        )
        .await;
        assert_eq!(shape(&outside), shape(&unknown), "{b:?}");
        // The one 10000030 just made is in its downline: that one is mentioned.
        let mine = mails_to(&app, &invited).await;
        assert_eq!(mine.len(), 2);
        let (_, body) = agency(
            &app,
            &hansha,
            div_hansha,
            &with(fresh_fields(), "email", &invited),
        )
        .await;
        assert!(body.contains("メールアドレス"), "{b:?} {body}");
        assert!(body.contains("NeedsConfirmation"), "{b:?} {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_cannot_replace_an_address_proven_meanwhile() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let old = "ito.old@example.jp";
        let imported = imported_login(&app, ITO, old).await;
        let shop = app.login_token("shop@example.jp", DEMO_PASSWORD).await;
        // The upline sends a link to another address; the old one is warned ...
        assert_eq!(
            register_login(&app, &shop, ITO, "someone.else@example.jp")
                .await
                .status(),
            200
        );
        let token = link_token(&only_mail_to(&app, "someone.else@example.jp").await.body);
        assert_eq!(mails_to(&app, old).await.len(), 1);
        // ... and its owner proves it with a PIN by mail (お問い合わせ), which verifies it.
        let id = common::challenge(&app, ITO, "mail", old).await;
        let pin_mail = mails_to(&app, old).await.pop().unwrap();
        let start = pin_mail.body.find('「').expect("a PIN") + '「'.len_utf8();
        let pin: String = pin_mail.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        assert_eq!(pin.len(), 6, "{}", pin_mail.body);
        let res = app
            .post_form("/api/recovery/verify", &[("id", &id), ("pin", &pin)], None)
            .await;
        let grant = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("daiko_reset="))
            .map(|v| v.split(';').next().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("{b:?}: a grant"));
        let res = app
            .http
            .post(app.url("/api/recovery/password"))
            .header("cookie", format!("daiko_reset={grant}"))
            .form(&[("password", PASSWORD), ("confirm", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{b:?}");
        // Now the upline's link cannot take the login over.
        let (status, body) = answer(set_password(&app, &token).await).await;
        assert_eq!(status, 400, "{b:?} {body}");
        assert!(
            invalid_message(&body).contains("このお客様はすでにログイン情報を登録済みです"),
            "{body}"
        );
        let l = logins::Entity::find_by_id(imported.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(l.email, old);
        assert!(l.email_verified_at.is_some());
        app.login_token(old, PASSWORD).await;
    }
}
