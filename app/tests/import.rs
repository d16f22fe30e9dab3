//! Legacy import and login consolidation (R2), against SQLite and PostgreSQL with the demo
//! network loaded. Fixtures: `customers_sjis.csv` is real Shift_JIS (CP932, CRLF, made with
//! `iconv -t CP932`) with characters whose second byte is `\` (ソ, 表, 能, 十) and CP932-only
//! ones (㈱, 髙, ①); `logins_utf8_bom.csv` is UTF-8 with a BOM, as Excel's "CSV UTF-8".
#![cfg(feature = "ssr")]
mod common;

use app::server::audit;
use app::server::entities::{
    audit_log, customers, legacy_logins, logins, outgoing_messages as om, sales_divisions,
};
use app::server::import::{self, ConsolidateError, Counts, CsvFile, ImportReport, TextEncoding};
use chrono::Utc;
use common::{TestApp, BACKENDS};

/// The sealing key under the tests' `DAIKO_SECRET`.
fn key() -> app::server::seal::SealKey {
    app::server::seal::SealKey::from_secret(app::server::config::DEV_SECRET)
}
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

const CUSTOMERS_SJIS: &[u8] = include_bytes!("fixtures/customers_sjis.csv");
const LOGINS_BOM: &[u8] = include_bytes!("fixtures/logins_utf8_bom.csv");
const CUSTOMERS_BAD: &[u8] = include_bytes!("fixtures/customers_bad.csv");
const LOGINS_BAD: &[u8] = include_bytes!("fixtures/logins_bad.csv");

async fn for_each_backend<F, Fut>(f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    // One server starts at a time (the tests themselves still run in parallel). Under load,
    // eight servers migrating and hashing demo passwords at once have twice made the first
    // test's SQLite pool fail to open a connection ("unable to open database file", code 14)
    // in full runs; the cause is not found yet (see the closing note of 2026-12-04).
    static STARTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    for b in BACKENDS {
        eprintln!("--- backend {b:?}");
        let app = {
            let _one = STARTING.lock().await;
            TestApp::spawn(b).await
        };
        f(app).await;
    }
}

/// Everything the import or a consolidation could write, to compare before and after.
#[derive(Debug, PartialEq)]
struct Snapshot {
    customers: Vec<customers::Model>,
    divisions: Vec<sales_divisions::Model>,
    logins: Vec<logins::Model>,
    legacy: Vec<legacy_logins::Model>,
    messages: usize,
    audit: usize,
}

async fn snapshot(db: &DatabaseConnection) -> Snapshot {
    Snapshot {
        customers: customers::Entity::find()
            .order_by_asc(customers::Column::Id)
            .all(db)
            .await
            .unwrap(),
        divisions: sales_divisions::Entity::find()
            .order_by_asc(sales_divisions::Column::Id)
            .all(db)
            .await
            .unwrap(),
        logins: logins::Entity::find()
            .order_by_asc(logins::Column::Id)
            .all(db)
            .await
            .unwrap(),
        legacy: legacy_logins::Entity::find()
            .order_by_asc(legacy_logins::Column::Id)
            .all(db)
            .await
            .unwrap(),
        messages: om::Entity::find().all(db).await.unwrap().len(),
        audit: audit_log::Entity::find().all(db).await.unwrap().len(),
    }
}

async fn customer(db: &DatabaseConnection, code: &str) -> customers::Model {
    customers::Entity::find()
        .filter(customers::Column::CustomerCode.eq(code))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("customer {code}"))
}

async fn import_fixtures(app: &TestApp, dry_run: bool) -> ImportReport {
    import::import(&app.db, CUSTOMERS_SJIS, LOGINS_BOM, dry_run, Utc::now())
        .await
        .expect("import")
}

fn counts(created: usize, updated: usize, unchanged: usize) -> Counts {
    Counts {
        created,
        updated,
        unchanged,
    }
}

#[test]
fn the_fixture_really_is_shift_jis() {
    // `decode` says Shift_JIS only for bytes that are not valid UTF-8.
    let (text, enc) = import::decode(CUSTOMERS_SJIS).unwrap();
    assert_eq!(enc, TextEncoding::ShiftJis);
    assert!(text.contains("㈱髙橋商事") && text.contains("\r\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shift_jis_file_imports_and_japanese_round_trips() {
    for_each_backend(|app| async move {
        let audit_before = snapshot(&app.db).await.audit;
        let r = import_fixtures(&app, false).await;
        assert!(r.is_clean(), "{r}");
        assert!(r.written);
        assert_eq!(r.customers_encoding, TextEncoding::ShiftJis);
        assert_eq!(r.logins_encoding, TextEncoding::Utf8Bom);
        assert_eq!(r.customers, counts(5, 0, 0));
        assert_eq!(r.divisions_created, ["たかはし販売事業部"]);
        assert_eq!(r.logins, counts(3, 0, 0));
        assert_eq!(r.legacy_logins, counts(2, 0, 0));
        let text = r.to_string();
        assert!(text.contains("取り込みました。"), "{text}");
        assert!(text.contains("要統合"), "{text}");

        let db = &app.db;
        let taka = customer(db, "20000001").await;
        assert_eq!(taka.name, "㈱髙橋商事");
        assert_eq!(taka.kana, "カブシキガイシャ タカハシショウジ");
        assert_eq!(
            taka.address.as_deref(),
            Some("東京都渋谷区神宮前１－２－３")
        );
        // Hyphens as typed, as the registration form stores them (issue #12).
        assert_eq!(taka.phone.as_deref(), Some("03-1234-5678"));
        assert_eq!(taka.rank, app::model::Rank::Hansha);
        assert!(taka.can_register);
        assert_eq!(taka.screen_variant, app::model::ScreenVariant::Primary);
        assert_eq!(taka.upline_id, Some(customer(db, "10000020").await.id));
        let soft = customer(db, "20000003").await;
        assert_eq!(soft.name, "株式会社ソフト表示");
        assert_eq!(soft.kana, "カブシキガイシャソフトヒョウジ");
        // Its upline is a later row of the same file.
        let noto = customer(db, "20000005").await;
        assert_eq!(soft.upline_id, Some(noto.id));
        assert_eq!(noto.name, "能登ダイ代理店");
        assert_eq!(noto.address.as_deref(), Some("石川県金沢市①番地"));
        let venus = customer(db, "20000002").await;
        assert_eq!(venus.kana, "ヴィーナス・ショップ");
        assert_eq!(venus.address.as_deref(), Some("東京都渋谷区渋谷2-2-2, 2階"));
        assert_eq!(venus.screen_variant, app::model::ScreenVariant::Secondary);
        let juro = customer(db, "20000004").await;
        assert_eq!(
            (
                juro.name.as_str(),
                juro.phone,
                juro.postal_code,
                juro.address
            ),
            ("佐藤 十郎", None, None, None)
        );

        // The new division is owned by its one 販社-or-above member; an existing one is reused.
        let div = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::Name.eq("たかはし販売事業部"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(div.owner_customer_id, taka.id);
        assert_eq!(venus.division_id, Some(div.id));
        let yamada = customer(db, "10000030").await;
        assert_eq!(soft.division_id, yamada.division_id);
        assert_eq!(juro.division_id, None);

        // One address: a login without password, unverified. Lower-cased.
        for (code, email) in [
            ("20000001", "takahashi@example.jp"),
            ("20000002", "venus@example.jp"),
            ("10000090", "ito@example.jp"),
        ] {
            let c = customer(db, code).await;
            let l = logins::Entity::find()
                .filter(logins::Column::CustomerId.eq(c.id))
                .one(db)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("login of {code}"));
            assert_eq!(l.email, email);
            assert!(l.password_hash.is_none() && l.email_verified_at.is_none());
        }
        // Two addresses: no login yet, both pending.
        assert!(logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(soft.id))
            .one(db)
            .await
            .unwrap()
            .is_none());
        let pending: Vec<_> = legacy_logins::Entity::find()
            .filter(legacy_logins::Column::CustomerId.eq(soft.id))
            .order_by_asc(legacy_logins::Column::Id)
            .all(db)
            .await
            .unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|l| (l.email.as_str(), l.status))
                .collect::<Vec<_>>(),
            [
                ("soft-a@example.jp", legacy_logins::Status::Pending),
                ("soft-b@example.jp", legacy_logins::Status::Pending)
            ]
        );
        assert_eq!(r.needs_consolidation.len(), 1);
        assert_eq!(r.needs_consolidation[0].customer_code, "20000003");
        assert_eq!(r.needs_consolidation[0].name, "株式会社ソフト表示");
        assert_eq!(
            r.needs_consolidation[0].emails,
            ["soft-a@example.jp", "soft-b@example.jp"]
        );
        assert_eq!(snapshot(db).await.audit, audit_before + 1);
        assert!(matches!(
            audit::verify(db).await.unwrap(),
            audit::Verdict::Intact { .. }
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_import_nothing_and_are_listed_by_line() {
    for_each_backend(|app| async move {
        let before = snapshot(&app.db).await;
        let r = import::import(&app.db, CUSTOMERS_BAD, LOGINS_BAD, false, Utc::now())
            .await
            .expect("import");
        assert!(!r.written);
        let got: Vec<(CsvFile, u64, &str)> = r
            .problems
            .iter()
            .map(|p| (p.file, p.line, p.column))
            .collect();
        use CsvFile::{Customers as C, Logins as L};
        assert_eq!(
            got,
            [
                (C, 3, "カナ"),
                (C, 4, "お客様ID"),
                (C, 5, "ランク"),
                (C, 6, "上位店お客様ID"),
                (C, 7, "郵便番号"),
                (C, 8, "電話番号"),
                (C, 9, "お客様ID"),
                (C, 10, "（行全体）"),
                (C, 11, "代理店名"),
                (C, 12, "販売事業部"),
                (L, 2, "メールアドレス"),
                (L, 3, "メールアドレス"),
                (L, 4, "メールアドレス"),
                (L, 5, "お客様ID"),
                (L, 6, "メールアドレス"),
            ],
            "{r}"
        );
        let text = r.to_string();
        assert!(text.contains("不正な行が15件あります。何も取り込んでいません。"), "{text}");
        assert!(text.contains("お客様ファイル 9行目 お客様ID: お客様ID 30000001 が2行目と重複しています"), "{text}");
        assert!(text.contains("ログインファイル 6行目 メールアドレス: メールアドレス honbu@example.jp はすでに別のお客様（お客様ID 10000001）のログインです"), "{text}");
        assert_eq!(snapshot(&app.db).await, before);

        // The same file as Excel writes it (Shift_JIS, CRLF) is reported on the same lines.
        let crlf = String::from_utf8_lossy(CUSTOMERS_BAD).replace('\n', "\r\n");
        let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
        assert!(!unmappable);
        let r2 = import::import(&app.db, &sjis, LOGINS_BAD, false, Utc::now())
            .await
            .expect("import");
        assert_eq!(r2.customers_encoding, TextEncoding::ShiftJis);
        assert_eq!(r2.problems, r.problems);
        assert_eq!(snapshot(&app.db).await, before);

        // Good customers with one bad login line: the customers are not written either.
        let logins = "お客様ID,メールアドレス\n20000001,takahashi@example.jp\n20000002,venus@\n";
        let r = import::import(&app.db, CUSTOMERS_SJIS, logins.as_bytes(), false, Utc::now())
            .await
            .expect("import");
        assert_eq!(
            r.problems
                .iter()
                .map(|p| (p.file, p.line, p.column))
                .collect::<Vec<_>>(),
            [(L, 3, "メールアドレス")]
        );
        assert_eq!(snapshot(&app.db).await, before);

        // A file the import cannot read at all is an error, not a report.
        let e = import::import(&app.db, b"x,y\n1,2\n", LOGINS_BOM, false, Utc::now())
            .await
            .unwrap_err();
        assert!(e.to_string().contains("お客様ID"), "{e}");
        assert_eq!(snapshot(&app.db).await, before);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_logins_are_listed_consolidated_and_both_addresses_are_told() {
    for_each_backend(|app| async move {
        let db = &app.db;
        assert!(import_fixtures(&app, false).await.is_clean());
        let pending = import::pending_consolidations(db).await.unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].customer_code, "20000003");
        assert_eq!(pending[0].emails, ["soft-a@example.jp", "soft-b@example.jp"]);

        let now = Utc::now();
        let before = snapshot(db).await;
        for (code, keep) in [
            ("20000003", "other@example.jp"),
            ("99999999", "soft-a@example.jp"),
            ("10000030", "hansha@example.jp"),
            ("20000003", "not an address"),
        ] {
            let e = import::consolidate(db, &key(), code, keep, now).await.unwrap_err();
            match (code, &e) {
                ("20000003", ConsolidateError::NotPending { candidates, .. }) => {
                    assert_eq!(candidates.len(), 2)
                }
                ("20000003", ConsolidateError::InvalidInput(_))
                | ("99999999", ConsolidateError::UnknownCustomer(_))
                | ("10000030", ConsolidateError::NoPending(_)) => {}
                _ => panic!("{code} {keep}: {e:?}"),
            }
        }
        assert_eq!(snapshot(db).await, before);

        let done = import::consolidate(db, &key(), "20000003", " Soft-B@Example.jp ", now)
            .await
            .expect("consolidate");
        assert_eq!(done.kept, "soft-b@example.jp");
        assert_eq!(done.retired, ["soft-a@example.jp"]);
        assert_eq!(done.messages_queued, 2);

        let soft = customer(db, "20000003").await;
        let login = logins::Entity::find()
            .filter(logins::Column::CustomerId.eq(soft.id))
            .one(db)
            .await
            .unwrap()
            .expect("login created");
        assert_eq!(login.email, "soft-b@example.jp");
        assert!(login.password_hash.is_none() && login.email_verified_at.is_none());
        let legacy: Vec<_> = legacy_logins::Entity::find()
            .filter(legacy_logins::Column::CustomerId.eq(soft.id))
            .order_by_asc(legacy_logins::Column::Id)
            .all(db)
            .await
            .unwrap();
        assert_eq!(
            legacy
                .iter()
                .map(|l| (l.email.as_str(), l.status, l.resolved_at.is_some()))
                .collect::<Vec<_>>(),
            [
                ("soft-a@example.jp", legacy_logins::Status::Retired, true),
                ("soft-b@example.jp", legacy_logins::Status::Kept, true)
            ]
        );

        let mails = om::Entity::find()
            .filter(om::Column::Recipient.starts_with("soft-"))
            .order_by_asc(om::Column::Id)
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(common::unsealed)
            .collect::<Vec<_>>();
        assert_eq!(mails.len(), 2);
        let to = |addr: &str| {
            mails
                .iter()
                .find(|m| m.recipient == addr)
                .unwrap_or_else(|| panic!("no mail to {addr}"))
        };
        let kept = to("soft-b@example.jp");
        assert_eq!((kept.channel, kept.status), (app::model::ResetChannel::Mail, app::server::entities::outgoing_messages::Status::Queued));
        assert!(kept.body.contains(
            "このメールアドレスがログイン情報として残りました。パスワードはお問い合わせ画面から設定してください"
        ));
        assert!(kept.body.contains("お客様ID 20000003"));
        let retired = to("soft-a@example.jp");
        assert!(retired
            .body
            .contains("このメールアドレスはログイン情報から削除されました"));
        assert!(!retired.body.contains("soft-b"));

        let last = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(last.action, "logins_consolidated");
        assert_eq!(last.subject_customer_id, Some(soft.id));
        assert!(!last.detail.contains('@'), "{}", last.detail);
        assert!(matches!(
            audit::verify(db).await.unwrap(),
            audit::Verdict::Intact { .. }
        ));

        assert!(import::pending_consolidations(db).await.unwrap().is_empty());
        assert!(matches!(
            import::consolidate(db, &key(), "20000003", "soft-a@example.jp", now).await,
            Err(ConsolidateError::NoPending(_))
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_running_an_import_changes_nothing() {
    for_each_backend(|app| async move {
        let db = &app.db;
        assert!(import_fixtures(&app, false).await.is_clean());
        let after_first = snapshot(db).await;

        let r = import_fixtures(&app, false).await;
        assert!(r.is_clean(), "{r}");
        assert_eq!(r.customers, counts(0, 0, 5));
        assert!(r.divisions_created.is_empty());
        assert_eq!(r.logins, counts(0, 0, 3));
        assert_eq!(r.legacy_logins, counts(0, 0, 2));
        assert_eq!(r.needs_consolidation.len(), 1);
        assert_eq!(snapshot(db).await, after_first, "not even an audit entry");

        // Also after the consolidation: the retired and kept addresses are known.
        import::consolidate(db, &key(), "20000003", "soft-a@example.jp", Utc::now())
            .await
            .unwrap();
        let consolidated = snapshot(db).await;
        let r = import_fixtures(&app, false).await;
        assert!(r.is_clean(), "{r}");
        assert!(r.needs_consolidation.is_empty());
        assert_eq!(snapshot(db).await, consolidated);

        // A changed cell is an update of that customer only, named in the report.
        let (text, _) = import::decode(CUSTOMERS_SJIS).unwrap();
        let changed = text.replace("東京都渋谷区渋谷2-2-2, 2階", "東京都渋谷区渋谷3-3-3");
        let r = import::import(db, changed.as_bytes(), LOGINS_BOM, false, Utc::now())
            .await
            .unwrap();
        assert_eq!(r.customers, counts(0, 1, 4));
        assert_eq!(r.updated_customers.len(), 1);
        assert_eq!(r.updated_customers[0].customer_code, "20000002");
        assert_eq!(r.updated_customers[0].columns, ["住所"]);
        assert_eq!(
            customer(db, "20000002").await.address.as_deref(),
            Some("東京都渋谷区渋谷3-3-3")
        );

        // Demo customers re-imported with hyphenated phones are unchanged, not rewritten.
        let demo = "お客様ID,代理店名,カナ,電話番号,ランク,上位店お客様ID,販売事業部,会員登録,郵便番号,住所\n\
                    10000030,有限会社やまだ販社,ユウゲンガイシャヤマダハンシャ,092-555-0130,販社,10000020,やまだ販売事業部,あり,100-0001,東京都千代田区千代田1-1\n";
        let logins = "お客様ID,メールアドレス\n10000030,hansha@example.jp\n";
        let before = snapshot(db).await;
        let r = import::import(db, demo.as_bytes(), logins.as_bytes(), false, Utc::now())
            .await
            .unwrap();
        assert!(r.is_clean(), "{r}");
        assert_eq!(r.customers, counts(0, 0, 1));
        assert_eq!(r.logins, counts(0, 0, 1));
        assert_eq!(snapshot(db).await, before);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_writes_nothing_and_reports_what_would_happen() {
    for_each_backend(|app| async move {
        let before = snapshot(&app.db).await;
        let dry = import_fixtures(&app, true).await;
        assert!(dry.is_clean(), "{dry}");
        assert!(dry.dry_run && !dry.written);
        assert!(dry.to_string().contains("何も書き込んでいません"));
        assert_eq!(snapshot(&app.db).await, before);

        let real = import_fixtures(&app, false).await;
        assert!(real.written);
        assert_eq!(
            (
                dry.customers,
                dry.logins,
                dry.legacy_logins,
                &dry.divisions_created,
                &dry.needs_consolidation
            ),
            (
                real.customers,
                real.logins,
                real.legacy_logins,
                &real.divisions_created,
                &real.needs_consolidation
            )
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn division_owners_and_upline_loops() {
    for_each_backend(|app| async move {
        let db = &app.db;
        let head = "お客様ID,代理店名,カナ,電話番号,ランク,上位店お客様ID,販売事業部,会員登録,郵便番号,住所,販売事業部オーナーお客様ID\n";
        let no_logins = "お客様ID,メールアドレス\n".as_bytes();
        let run = |body: &'static str| async move {
            import::import(db, format!("{head}{body}").as_bytes(), no_logins, false, Utc::now())
                .await
                .expect("import")
        };
        let lines = |r: &ImportReport| -> Vec<(u64, &'static str)> {
            r.problems.iter().map(|p| (p.line, p.column)).collect()
        };

        // Two 販社 in a new division: the owner must be named, consistently, and be 販社 or above.
        let r = run("40000001,甲,コウ,,販社,10000001,新事業部,あり,,,\n\
                     40000002,乙,オツ,,販社,10000001,新事業部,あり,,,\n")
        .await;
        assert_eq!(lines(&r), [(2, "販売事業部")], "{r}");
        let r = run("40000001,甲,コウ,,販社,10000001,新事業部,あり,,,40000001\n\
                     40000002,乙,オツ,,販社,10000001,新事業部,あり,,,40000002\n")
        .await;
        assert_eq!(lines(&r), [(2, "販売事業部オーナーお客様ID"), (3, "販売事業部オーナーお客様ID")], "{r}");
        let r = run("40000001,甲,コウ,,販社,10000001,新事業部,あり,,,10000050\n\
                     40000002,乙,オツ,,販社,10000001,新事業部,あり,,,\n")
        .await;
        assert_eq!(lines(&r), [(2, "販売事業部オーナーお客様ID")], "{r}");
        assert!(r.problems[0].reason.contains("代理店"), "{r}");
        // An existing division keeps its owner.
        let r = run("40000001,甲,コウ,,販社,10000001,やまだ販売事業部,あり,,,40000001\n").await;
        assert_eq!(lines(&r), [(2, "販売事業部オーナーお客様ID")], "{r}");

        let r = run("40000001,甲,コウ,,販社,10000001,新事業部,あり,,,40000002\n\
                     40000002,乙,オツ,,販社,10000001,新事業部,あり,,,\n")
        .await;
        assert!(r.is_clean() && r.written, "{r}");
        let div = sales_divisions::Entity::find()
            .filter(sales_divisions::Column::Name.eq("新事業部"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(div.owner_customer_id, customer(db, "40000002").await.id);

        // Uplines that go round in a circle, through a customer already in the database.
        let r = run("40000001,甲,コウ,,販社,40000002,,あり,,,\n\
                     40000002,乙,オツ,,販社,40000001,,あり,,,\n\
                     10000001,環境保全研究所 全国販社,カンキョウホゼンケンキュウジョ ゼンコクハンシャ,03-5555-0100,全国販社,40000003,,あり,100-0001,東京都千代田区千代田1-1,\n\
                     40000003,丙,ヘイ,,販社,10000010,,あり,,,\n")
        .await;
        assert_eq!(
            lines(&r),
            [(2, "上位店お客様ID"), (3, "上位店お客様ID"), (4, "上位店お客様ID"), (5, "上位店お客様ID")],
            "{r}"
        );
    })
    .await;
}

/// Issue #12: one rule per field. A customer registered on the form and one imported from
/// CSV with the same raw 代理店名 / カナ / 電話番号 / 郵便番号 / 住所 are stored alike (the import
/// used to refuse hiragana, half-width kana and 1234567, and stored phones without hyphens);
/// staff correcting with the same text changes nothing; both are found by the search, as is
/// a row from before the change that holds the national phone form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_and_import_store_the_same_values() {
    use sea_orm::{ActiveModelTrait, Set};
    // (name, kana, phone, postal code) as a person or an old file writes them.
    const RAW: [(&str, &str, &str, &str); 3] = [
        ("同一商店", "どういつ ｼｮｳﾃﾝ", "090-3333-4444", "8120011"),
        (
            "同一二号店",
            "ﾄﾞｳｲﾂ　ﾆｺﾞｳﾃﾝ",
            "０９０３３３３５５５５",
            "〒８１２－００１１",
        ),
        (
            "同一三号店",
            "ドウイツ サンゴウテン",
            "＋81 90-3333-6666",
            "812-0011",
        ),
    ];
    const STORED: [(&str, &str, &str); 3] = [
        ("ドウイツ ショウテン", "090-3333-4444", "812-0011"),
        ("ドウイツ ニゴウテン", "09033335555", "812-0011"),
        ("ドウイツ サンゴウテン", "090-3333-6666", "812-0011"),
    ];
    const ADDRESS: &str = "福岡県福岡市博多区博多駅前1-1";
    for_each_backend(|app| async move {
        let db = &app.db;
        let hansha = app.login_token("hansha@example.jp", common::DEMO_PASSWORD).await;
        let staff = app.login_token("honbu@example.jp", common::DEMO_PASSWORD).await;
        let me = customer(db, "10000030").await;
        let division = me.division_id.expect("the demo 販社 has a division");

        let mut csv = String::from(
            "お客様ID,代理店名,カナ,電話番号,ランク,上位店お客様ID,販売事業部,会員登録,郵便番号,住所\n",
        );
        let mut pairs = Vec::new();
        for (i, (name, kana, phone, postal)) in RAW.iter().enumerate() {
            let email = format!("doitsu{i}@example.jp");
            let division = division.to_string();
            let form = [
                ("division_id", division.as_str()),
                ("rank", "shop"),
                ("name", name),
                ("kana", kana),
                ("phone", phone),
                ("email", email.as_str()),
                ("postal_code", postal),
                ("address", ADDRESS),
            ];
            let res = app.post_form("/api/customers/register", &form, Some(&hansha)).await;
            assert_eq!(res.status(), 200);
            let v: serde_json::Value = res.json().await.unwrap();
            let code = v["Registered"]["customer_code"]
                .as_str()
                .unwrap_or_else(|| panic!("registered: {v}"))
                .to_owned();
            let imported = format!("5000000{i}");
            csv.push_str(&format!(
                "{imported},{name},{kana},{phone},ショップ,10000030,,なし,{postal},{ADDRESS}\n"
            ));
            pairs.push((code, imported));
        }
        let r = import::import(db, csv.as_bytes(), "お客様ID,メールアドレス\n".as_bytes(), false, Utc::now())
            .await
            .expect("import");
        assert!(r.is_clean() && r.written, "{r}");
        assert_eq!(r.customers, counts(RAW.len(), 0, 0));

        let stored = |c: &customers::Model| {
            (c.name.clone(), c.kana.clone(), c.phone.clone(), c.postal_code.clone(), c.address.clone())
        };
        for (((form_code, import_code), (name, ..)), (kana, phone, postal)) in
            pairs.iter().zip(RAW).zip(STORED)
        {
            let (f, i) = (customer(db, form_code).await, customer(db, import_code).await);
            let expected = (
                name.to_owned(),
                kana.to_owned(),
                Some(phone.to_owned()),
                Some(postal.to_owned()),
                Some(ADDRESS.to_owned()),
            );
            assert_eq!(stored(&f), expected, "form {form_code}");
            assert_eq!(stored(&i), expected, "import {import_code}");
        }

        // Staff correcting with the same raw text: the same stored values, nothing written.
        let (_, import_code) = &pairs[0];
        let before = snapshot(db).await;
        let (name, kana, phone, postal) = RAW[0];
        let form = [
            ("code", import_code.as_str()),
            ("name", name),
            ("kana", kana),
            ("phone", phone),
            ("postal_code", postal),
            ("address", ADDRESS),
        ];
        let res = app.post_form("/api/staff/customers/details", &form, Some(&staff)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(snapshot(db).await, before);

        // A row stored before the rules were shared keeps its national phone, and is found
        // by either spelling like the others.
        let old = customer(db, &pairs[2].1).await;
        let mut am: customers::ActiveModel = old.clone().into();
        am.phone = Set(Some("09033336666".into()));
        am.update(db).await.unwrap();
        app::server::customer_keys::refresh(db, old.id).await.unwrap();
        for (q, want) in [
            ("どういつ", 6),
            ("ドウイツ", 6),
            ("ﾄﾞｳｲﾂ", 6),
            ("090-3333-4444", 2),
            ("09033334444", 2),
            ("090-3333-6666", 2),
            ("09033336666", 2),
        ] {
            let path = format!("/api/customers/search?q={}", common::url_encode(q));
            let res = app.get(&path, Some(&hansha)).await;
            assert_eq!(res.status(), 200, "{q}");
            let page: app::customers::SearchPage = res.json().await.unwrap();
            assert_eq!(page.hits.len(), want, "{q}: {:?}", page.hits);
        }
    })
    .await;
}
