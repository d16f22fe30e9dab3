//! 販売事業部新規顧客登録 (R5) and the 全国販社 customer screens over HTTP, on SQLite and
//! PostgreSQL: the full permission matrix (every rank × own / downline / other division ×
//! every target rank), bad input, the duplicate question, お客様ID under concurrency, the new
//! customer setting their own password, and the operator's changes.
#![cfg(feature = "ssr")]
mod common;

use app::model::Rank;
use app::server::entities::{
    audit_log, customers, email_verifications as ev, logins, outgoing_messages as om,
    sales_divisions,
};
use app::server::{network, queue};
use chrono::Utc;
use common::{TestApp, BACKENDS, DEMO_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use std::sync::atomic::{AtomicU32, Ordering};

const AGENCY: [Rank; 5] = [
    Rank::SoDairiten,
    Rank::Dairiten,
    Rank::DivisionWaiting,
    Rank::Shop,
    Rank::General,
];

/// Every demo login: (e-mail, お客様ID).
const ACTORS: [(&str, &str); 10] = [
    ("honbu@example.jp", "10000001"),
    ("ultra@example.jp", "10000010"),
    ("super@example.jp", "10000020"),
    ("hansha@example.jp", "10000030"),
    ("aoba@example.jp", "10000031"),
    ("sodairiten@example.jp", "10000040"),
    ("dairiten@example.jp", "10000050"),
    ("taiki@example.jp", "10000060"),
    ("shop@example.jp", "10000070"),
    ("ippan@example.jp", "10000080"),
];

static SEQ: AtomicU32 = AtomicU32::new(0);

/// Valid fields with a phone and e-mail nobody has.
fn fresh_fields() -> Vec<(&'static str, String)> {
    let n = SEQ.fetch_add(1, Ordering::SeqCst);
    vec![
        ("name", format!("テスト商店{n}")),
        ("kana", "てすと しょうてん".into()),
        (
            "phone",
            format!("090-7{:03}-{:04}", n / 10000 % 1000, n % 10000),
        ),
        ("email", format!("new{n}@example.jp")),
        ("postal_code", "812-0011".into()),
        ("address", "福岡県福岡市博多区博多駅前1-1".into()),
    ]
}

async fn post(
    app: &TestApp,
    path: &str,
    session: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &form, Some(session)).await
}

async fn register(
    app: &TestApp,
    session: &str,
    division: i64,
    rank: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    let mut f = vec![
        ("division_id", division.to_string()),
        ("rank", rank.to_string()),
    ];
    f.extend(fields.iter().cloned());
    post(app, "/api/customers/register", session, &f).await
}

async fn customer(app: &TestApp, code: &str) -> customers::Model {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("customer {code}"))
}

async fn audits(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

/// What a refused or invalid request must leave untouched.
async fn writes(app: &TestApp) -> (u64, u64, u64) {
    (
        app.count(customers::Entity).await,
        app.count(ev::Entity).await,
        app.count(om::Entity).await,
    )
}

fn registered_code(v: &serde_json::Value) -> String {
    v["Registered"]["customer_code"]
        .as_str()
        .unwrap_or_else(|| panic!("registered: {v}"))
        .to_string()
}

async fn invalid_message(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 400);
    let v: serde_json::Value = res.json().await.unwrap();
    v["InvalidInput"].as_str().unwrap_or_default().to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rel {
    Own,
    Downline,
    Other,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permission_matrix() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        // A division outside everyone's downline but the operator's: 全国販社's own.
        let national = customer(&app, "10000001").await;
        sales_divisions::ActiveModel {
            name: Set("本部直轄販売事業部".into()),
            owner_customer_id: Set(national.id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let divisions = sales_divisions::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(divisions.len(), 5);

        let mut covered = std::collections::HashSet::new();
        let mut allowed_count = 0;
        for (email, code) in ACTORS {
            let session = app.login_token(email, DEMO_PASSWORD).await;
            let actor = customer(&app, code).await;
            let actor_rank = actor.rank;
            for d in &divisions {
                let owner = customers::Entity::find_by_id(d.owner_customer_id)
                    .one(&app.db)
                    .await
                    .unwrap()
                    .unwrap();
                let rel = if owner.id == actor.id {
                    Rel::Own
                } else if network::is_below(&actor.path, &owner.path) {
                    Rel::Downline
                } else {
                    Rel::Other
                };
                for target in Rank::ALL {
                    covered.insert((actor_rank, actor.can_register, rel, target));
                    let expect = matches!(actor_rank, Rank::Ultra | Rank::Super | Rank::Hansha)
                        && actor.can_register
                        && rel != Rel::Other
                        && AGENCY.contains(&target);
                    let fields = fresh_fields();
                    let new_email = fields[3].1.clone();
                    let before = writes(&app).await;
                    let refused_before = audits(&app, "customer_register_refused").await;
                    let res = register(&app, &session, d.id, target.code(), &fields).await;
                    let ctx = format!("{b:?} {code} {rel:?} {} {target:?}", d.name);
                    if expect {
                        allowed_count += 1;
                        assert_eq!(res.status(), 200, "{ctx}");
                        let new =
                            customer(&app, &registered_code(&res.json().await.unwrap())).await;
                        assert_eq!(new.rank, target, "{ctx}");
                        assert_eq!(new.division_id, Some(d.id), "{ctx}");
                        // [choice] the upline is the division's owner.
                        assert_eq!(new.upline_id, Some(owner.id), "{ctx}");
                        assert_eq!(new.path, format!("{}{}/", owner.path, new.id), "{ctx}");
                        assert!(network::is_below(&actor.path, &new.path) || owner.id == actor.id);
                        assert!(!new.can_register);
                        assert_eq!(new.screen_variant, app::model::ScreenVariant::Secondary);
                        assert_eq!(new.kana, "テスト ショウテン");
                        // The R1 mail is queued to the new address; no login exists yet.
                        let mail = om::Entity::find()
                            .filter(om::Column::Recipient.eq(&new_email))
                            .one(&app.db)
                            .await
                            .unwrap()
                            .unwrap_or_else(|| panic!("{ctx}: R1 mail"));
                        let mail = common::unsealed(mail);
                        assert_eq!(mail.channel, app::model::ResetChannel::Mail);
                        assert!(mail.body.contains(&new.customer_code), "{ctx}");
                        assert!(mail.body.contains("/verify/"), "{ctx}");
                        let link = ev::Entity::find()
                            .filter(ev::Column::CustomerId.eq(new.id))
                            .one(&app.db)
                            .await
                            .unwrap()
                            .unwrap();
                        assert_eq!(link.purpose, "set_login");
                        assert_eq!(link.requested_by, Some(actor.id));
                        assert_eq!(
                            logins::Entity::find()
                                .filter(logins::Column::CustomerId.eq(new.id))
                                .count(&app.db)
                                .await
                                .unwrap(),
                            0
                        );
                        let after = writes(&app).await;
                        assert_eq!(after, (before.0 + 1, before.1 + 1, before.2 + 1), "{ctx}");
                    } else {
                        assert_eq!(res.status(), 403, "{ctx}");
                        assert_eq!(writes(&app).await, before, "{ctx}: nothing written");
                        assert_eq!(
                            audits(&app, "customer_register_refused").await,
                            refused_before + 1,
                            "{ctx}: audited"
                        );
                    }
                }
            }
        }
        // Every registering rank met all three kinds of division.
        for r in [Rank::Ultra, Rank::Super, Rank::Hansha] {
            for rel in [Rel::Own, Rel::Downline, Rel::Other] {
                assert!(
                    covered.contains(&(r, true, rel, Rank::Shop)),
                    "{r:?} {rel:?} not covered"
                );
            }
        }
        // Ultra: own + 3 downline divisions, Super: own + 2, 販社: own + 1; 5 ranks each.
        assert_eq!(allowed_count, (4 + 3 + 2) * 5, "{b:?}");
        // A division id that does not exist, and a forged rank, are the same 403.
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let own = divisions
            .iter()
            .find(|d| d.name == "やまだ販売事業部")
            .unwrap();
        let before = writes(&app).await;
        for (div, rank) in [(999_999, "shop"), (own.id, "admin"), (own.id, "national")] {
            let res = register(&app, &hansha, div, rank, &fresh_fields()).await;
            assert_eq!(res.status(), 403, "{div} {rank}");
        }
        let mut f = fresh_fields();
        f.insert(0, ("division_id", "x".into()));
        f.insert(0, ("rank", "shop".into()));
        let res = post(&app, "/api/customers/register", &hansha, &f).await;
        assert_eq!(res.status(), 403);
        assert_eq!(writes(&app).await, before);
        // Not signed in: 401.
        let res = app
            .post_form("/api/customers/register", &[("division_id", "1")], None)
            .await;
        assert!(res.status() == 401 || res.status() == 400);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn divisions_offered_are_own_then_downline() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let res = app
            .get("/api/customers/register/divisions", Some(&hansha))
            .await;
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        let names: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["やまだ販売事業部", "ひまわり販売事業部"], "{b:?}");
        for email in ["aoba@example.jp", "shop@example.jp", "honbu@example.jp"] {
            let s = app.login_token(email, DEMO_PASSWORD).await;
            let res = app.get("/api/customers/register/divisions", Some(&s)).await;
            assert_eq!(res.status(), 403, "{email}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_japanese_400_and_writes_nothing() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let own = customer(&app, "10000030").await;
        let div = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::OwnerCustomerId.eq(own.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let long = "あ".repeat(201);
        let cases: [(&str, &str, &str); 16] = [
            ("kana", "山田商店", "カナ"),
            ("kana", "yamada", "カナ"),
            ("kana", "", "カナ"),
            ("postal_code", "123-456", "郵便番号"),
            ("postal_code", "abcdefg", "郵便番号"),
            ("phone", "12345", "電話番号"),
            ("phone", "090-1234-567a", "電話番号"),
            ("email", "not-an-email", "メールアドレス"),
            ("email", "", "メールアドレス"),
            ("name", "", "代理店名"),
            ("name", &long, "代理店名"),
            ("address", &long, "住所"),
            ("name", "株式会社\u{0}テスト", "代理店名"),
            ("address", "東京都\u{1b}[2J", "住所"),
            ("kana", "ヤマダ\u{7}", "カナ"),
            (
                "email",
                "a@example.jp\r\nBcc: x@example.jp",
                "メールアドレス",
            ),
        ];
        let before = writes(&app).await;
        let audit_before = app.count(audit_log::Entity).await;
        for (field, value, word) in cases {
            let mut f = fresh_fields();
            for (k, v) in f.iter_mut() {
                if *k == field {
                    *v = value.to_string();
                }
            }
            let res = register(&app, &hansha, div.id, "shop", &f).await;
            let msg = invalid_message(res).await;
            assert!(msg.contains(word), "{b:?} {field}={value:?}: {msg}");
        }
        assert_eq!(writes(&app).await, before);
        assert_eq!(app.count(audit_log::Entity).await, audit_before);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likely_duplicates_ask_for_confirmation() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let own = customer(&app, "10000030").await;
        let div = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::OwnerCustomerId.eq(own.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        // The same phone as 佐藤 花子 (typed without hyphens): a question, nothing written.
        let mut f = fresh_fields();
        f[2].1 = "09055550180".into();
        let before = writes(&app).await;
        let res = register(&app, &hansha, div.id, "general", &f).await;
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        let reasons = v["NeedsConfirmation"]["reasons"]
            .as_array()
            .expect("a question");
        assert!(reasons[0].as_str().unwrap().contains("電話番号"), "{v}");
        assert!(!v.to_string().contains("10000080"), "never says who");
        assert_eq!(writes(&app).await, before);
        // Confirmed: registered.
        f.push(("confirmed", "true".into()));
        let res = register(&app, &hansha, div.id, "general", &f).await;
        let first = registered_code(&res.json().await.unwrap());
        // The same e-mail as that pending invitation: a question again.
        let mut g = fresh_fields();
        g[3].1 = f[3].1.clone();
        let res = register(&app, &hansha, div.id, "general", &g).await;
        let v: serde_json::Value = res.json().await.unwrap();
        assert!(v["NeedsConfirmation"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("メールアドレス"));
        // Someone's login e-mail is never asked about (that would tell whose address is a
        // login): registered like any other, but the address gets a notice and no link, so
        // it never becomes a second login (R2; tests/enumeration.rs covers the rest).
        let mut h = fresh_fields();
        h[3].1 = "Shop@Example.jp".into();
        let res = register(&app, &hansha, div.id, "general", &h).await;
        assert_eq!(res.status(), 200);
        let second = customer(&app, &registered_code(&res.json().await.unwrap())).await;
        assert_eq!(
            ev::Entity::find()
                .filter(ev::Column::CustomerId.eq(second.id))
                .filter(ev::Column::UsedAt.is_null())
                .count(&app.db)
                .await
                .unwrap(),
            0,
            "no usable link to a login address"
        );
        assert_ne!(first, "");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_registrations_get_distinct_ids_and_the_customer_sets_the_password() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let own = customer(&app, "10000030").await;
        let div = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::OwnerCustomerId.eq(own.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let f = fresh_fields();
            let url = app.url("/api/customers/register");
            let http = app.http.clone();
            let cookie = format!("daiko_session={hansha}");
            let div_id = div.id.to_string();
            tasks.push(tokio::spawn(async move {
                let mut form: Vec<(&str, String)> =
                    vec![("division_id", div_id), ("rank", "shop".into())];
                form.extend(f);
                http.post(url)
                    .header("cookie", cookie)
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            }));
        }
        let mut codes = Vec::new();
        for t in tasks {
            let res = t.await.unwrap();
            assert_eq!(res.status(), 200, "{b:?}");
            codes.push(registered_code(&res.json().await.unwrap()));
        }
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 8, "{codes:?}");
        assert!(sorted
            .iter()
            .all(|c| c.len() == 8 && c.as_str() > "10000090"));

        // The new customer opens the link from the R1 mail, sets the password, logs in.
        let code = &codes[0];
        let new = customer(&app, code).await;
        let link = ev::Entity::find()
            .filter(ev::Column::CustomerId.eq(new.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let st = app.state();
        queue::deliver_due(&st, 50).await.unwrap();
        let mail = om::Entity::find()
            .filter(om::Column::Recipient.eq(&link.email))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            mail.status,
            app::server::entities::outgoing_messages::Status::Sent
        );
        let mail = app.opened(mail);
        let start = mail.body.find("/verify/").unwrap() + "/verify/".len();
        let token: String = mail.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let pw = "aozora-no-shita-2026";
        let res = app
            .post_form(
                "/api/verify/password",
                &[("token", &token), ("password", pw), ("confirm", pw)],
                None,
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let s = app.login_token(&link.email, pw).await;
        let me: serde_json::Value = app
            .get("/api/auth/me", Some(&s))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["customer_code"], code.as_str());
        assert_eq!(me["upline_code"], "10000030");
    }
}

async fn staff_update(
    app: &TestApp,
    session: &str,
    code: &str,
    rank: &str,
    upline: &str,
    division: &str,
    can_register: bool,
) -> reqwest::Response {
    let mut f = vec![
        ("code", code),
        ("rank", rank),
        ("upline_code", upline),
        ("division_id", division),
    ];
    if can_register {
        f.push(("can_register", "true"));
    }
    app.post_form("/api/staff/customers/update", &f, Some(session))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_registers_without_division_and_changes_customers() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let staff = app.login_token("honbu@example.jp", DEMO_PASSWORD).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;

        // Registration of a customer in no division, under 10000031.
        let mut f = fresh_fields();
        f.push(("rank", "general".into()));
        f.push(("upline_code", "10000031".into()));
        let before = writes(&app).await;
        let res = post(&app, "/api/staff/customers/register", &hansha, &f).await;
        assert_eq!(res.status(), 403, "{b:?}");
        assert_eq!(writes(&app).await, before);
        assert_eq!(audits(&app, "forbidden_staff_customers").await, 1);
        let res = post(&app, "/api/staff/customers/register", &staff, &f).await;
        assert_eq!(res.status(), 200);
        let new = customer(&app, &registered_code(&res.json().await.unwrap())).await;
        let aoba = customer(&app, "10000031").await;
        assert_eq!(new.division_id, None);
        assert_eq!(new.upline_id, Some(aoba.id));
        assert_eq!(new.path, format!("{}{}/", aoba.path, new.id));
        assert_eq!(
            writes(&app).await,
            (before.0 + 1, before.1 + 1, before.2 + 1)
        );
        // 会員登録あり only for 販社 and above; 全国販社 is not given here.
        for (rank, flag) in [("shop", "true"), ("national", "")] {
            let mut g = fresh_fields();
            g.push(("rank", rank.into()));
            g.push(("upline_code", "10000031".into()));
            g.push(("can_register", flag.into()));
            let res = post(&app, "/api/staff/customers/register", &staff, &g).await;
            assert_eq!(res.status(), 400, "{rank}");
        }

        // The detail for the edit page: no e-mail address anywhere.
        let res = app
            .get("/api/staff/customers/get?code=10000050", Some(&staff))
            .await;
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        assert!(!text.contains('@'), "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["upline_code"], "10000040");
        assert_eq!(v["has_login"], true);
        assert_eq!(v["downline_count"], 4);
        let res = app
            .get("/api/staff/customers/get?code=10000050", Some(&hansha))
            .await;
        assert_eq!(res.status(), 403);

        // aoba becomes 会員登録あり: 画面1 (R6).
        let div_sakura = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::Name.eq("さくら販売事業部"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let res = staff_update(
            &app,
            &staff,
            "10000031",
            "hansha",
            "10000020",
            &div_sakura.id.to_string(),
            true,
        )
        .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let aoba = customer(&app, "10000031").await;
        assert!(aoba.can_register);
        assert_eq!(aoba.screen_variant, app::model::ScreenVariant::Primary);
        assert_eq!(aoba.division_id, Some(div_sakura.id));
        // Rank down and flag off: back to 画面2.
        let res = staff_update(
            &app,
            &staff,
            "10000031",
            "so_dairiten",
            "10000020",
            "",
            false,
        )
        .await;
        assert_eq!(res.status(), 200);
        let aoba = customer(&app, "10000031").await;
        assert_eq!(aoba.rank, app::model::Rank::SoDairiten);
        assert_eq!(aoba.screen_variant, app::model::ScreenVariant::Secondary);
        assert_eq!(aoba.division_id, None);

        // 代理店 10000050 and its four move under 10000031.
        let res = staff_update(&app, &staff, "10000050", "dairiten", "10000031", "", false).await;
        assert_eq!(res.status(), 200);
        let moved = customer(&app, "10000050").await;
        assert_eq!(moved.upline_id, Some(aoba.id));
        let ippan = customer(&app, "10000080").await;
        assert!(network::is_below(&aoba.path, &ippan.path));
        assert!(audits(&app, "customer_changed_by_staff").await >= 3);

        // A cycle: 10000031 under its new downline 10000080 — refused in Japanese, unchanged.
        let before_aoba = customer(&app, "10000031").await;
        for up in ["10000080", "10000031"] {
            let res = staff_update(&app, &staff, "10000031", "so_dairiten", up, "", false).await;
            let msg = invalid_message(res).await;
            assert!(msg.contains("循環"), "{msg}");
        }
        assert_eq!(customer(&app, "10000031").await, before_aoba);

        // Flag on a ショップ, staff accounts, unknown upline: 400.
        for (code, rank, up, flag) in [
            ("10000070", "shop", "10000050", true),
            ("10000001", "ultra", "", false),
            ("10000070", "national", "10000050", false),
            ("10000070", "shop", "99999999", false),
        ] {
            let res = staff_update(&app, &staff, code, rank, up, "", flag).await;
            assert_eq!(res.status(), 400, "{code} {rank} {up}");
        }
        // Not staff: 403, audited, nothing changed.
        let shop_before = customer(&app, "10000070").await;
        let n = audits(&app, "forbidden_staff_customers").await;
        let res = staff_update(&app, &hansha, "10000070", "hansha", "10000030", "", true).await;
        assert_eq!(res.status(), 403);
        assert_eq!(audits(&app, "forbidden_staff_customers").await, n + 1);
        assert_eq!(customer(&app, "10000070").await, shop_before);
        let res = app
            .post_form(
                "/api/staff/customers/update",
                &[
                    ("code", "10000070"),
                    ("rank", "hansha"),
                    ("upline_code", ""),
                    ("division_id", ""),
                ],
                None,
            )
            .await;
        assert_eq!(res.status(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_customers_are_found_by_the_search() {
    for b in BACKENDS {
        let app = TestApp::spawn(b).await;
        let hansha = app.login_token("hansha@example.jp", DEMO_PASSWORD).await;
        let himawari = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::Name.eq("ひまわり販売事業部"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut f = fresh_fields();
        f[1].1 = "しょっぷ みなみかぜ".into();
        f[2].1 = "070-8123-4567".into();
        let res = register(&app, &hansha, himawari.id, "shop", &f).await;
        let code = registered_code(&res.json().await.unwrap());
        // The search keys were written in the registering transaction (customer_keys::refresh).
        for q in ["みなみかぜ", "ミナミカゼ", "070-8123-4567", "07081234567"] {
            let url = format!(
                "/api/customers/search?q={}",
                q.bytes().map(|b| format!("%{b:02X}")).collect::<String>()
            );
            let res = app.get(&url, Some(&hansha)).await;
            assert_eq!(res.status(), 200, "{b:?} {q}");
            let v: serde_json::Value = res.json().await.unwrap();
            let hits = v["hits"].as_array().unwrap();
            assert_eq!(hits.len(), 1, "{b:?} {q}: {v}");
            assert_eq!(hits[0]["customer_code"], code.as_str());
        }
    }
}
