//! `daiko`: the Daiko server and its operator commands.
use app::server::{
    audit, catalogue_demo, clock::Clock, config::Config, db, demo, housekeeping, import,
    password::Passwords, queue, router, senders, state::AppState,
};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "daiko",
    version,
    about = "業務代行クラウドシステム Daiko: server and operator commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (default). Address: LEPTOS_SITE_ADDR (127.0.0.1:3000).
    Serve,
    /// Apply pending database migrations to DATABASE_URL.
    Migrate,
    /// Load the demo network, demo logins, the demo product catalogue and rebate rates into
    /// an empty database and print the logins.
    DemoData {
        /// Also generate this many customers below the demo network (Japanese names and
        /// readings, valid phone numbers, paths and search keys), e.g. 1000000 for benchmarks.
        #[arg(long, default_value_t = 0)]
        customers: u64,
        /// Also add N synthetic products (S-000001…) for the type-ahead benchmark.
        #[arg(long, value_name = "N", default_value_t = 0)]
        products: usize,
    },
    /// Audit-log commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import the old system's customers and logins from two CSV files (UTF-8 or Shift_JIS).
    /// All or nothing: if any row is bad, nothing is written and every bad line is listed
    /// (exit code 1). Re-running the same files changes nothing. Passwords are not imported.
    Import {
        /// お客様 CSV. Header (any order, other columns ignored): お客様ID 代理店名 カナ 電話番号
        /// ランク 上位店お客様ID 販売事業部 会員登録 郵便番号 住所, optionally 販売事業部オーナーお客様ID.
        #[arg(long, value_name = "FILE")]
        customers: PathBuf,
        /// ログイン CSV, header: お客様ID,メールアドレス; one line per login.
        #[arg(long, value_name = "FILE")]
        logins: PathBuf,
        /// Check and count only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Time the PDFs on a fresh database of its own (not DATABASE_URL): a 100-line 納品書
    /// and a 還元額計算書 over 10,000 downline orders. Targets: 200 ms and 500 ms.
    BenchDocuments {
        /// Database to fill; must be empty. Default: a new SQLite file in a temporary folder.
        #[arg(long, value_name = "URL")]
        database_url: Option<String>,
        /// Timed runs of each document.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Downline orders in the month.
        #[arg(long, default_value_t = 10_000)]
        orders: usize,
        /// Write the two PDFs here (delivery-note.pdf, rebate.pdf) to look at them.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// One login per customer: consolidate customers imported with several logins.
    Logins {
        #[command(subcommand)]
        command: LoginsCommand,
    },
}

#[derive(Subcommand)]
enum LoginsCommand {
    /// List the customers whose imported logins wait for consolidation (要統合).
    Pending,
    /// Keep one of a customer's imported logins, retire the others and queue a mail to every
    /// affected address.
    Consolidate {
        /// お客様ID (8 digits).
        #[arg(long, value_name = "ID")]
        customer: String,
        /// The e-mail address that stays the login; must be one of the pending ones.
        #[arg(long, value_name = "EMAIL")]
        keep: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain and report the first changed, inserted or deleted entry.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("エラー: {msg}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cmd: Command) -> Result<(), String> {
    if let Command::BenchDocuments {
        database_url,
        runs,
        orders,
        out,
    } = cmd
    {
        return bench_documents(database_url, runs, orders, out).await;
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let conn = db::connect(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| format!("データベースに接続できません: {e}"))?;
    match cmd {
        Command::Migrate => {
            db::migrate(&conn).await.map_err(|e| e.to_string())?;
            println!("マイグレーションを適用しました。");
            Ok(())
        }
        Command::DemoData {
            customers,
            products,
        } => {
            let passwords = Passwords::new(config.argon2_concurrency).map_err(|e| e.to_string())?;
            let now = Clock::system().now();
            let logins = demo::load(&conn, &passwords, now)
                .await
                .map_err(|e| e.to_string())?;
            if customers > 0 {
                let started = std::time::Instant::now();
                let shown = std::cell::Cell::new(0u64);
                let n = app::server::demo_bulk::generate(
                    &conn,
                    customers,
                    Clock::system().now(),
                    |done| {
                        if done / 100_000 != shown.get() / 100_000 || done == customers {
                            eprintln!("  {done} / {customers} 件");
                        }
                        shown.set(done);
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
                println!(
                    "お客様を{n}件生成しました（{:.1}秒）。",
                    started.elapsed().as_secs_f64()
                );
            }
            if products > 0 {
                catalogue_demo::generate(&conn, products, now)
                    .await
                    .map_err(|e| e.to_string())?;
                println!("ベンチマーク用の商品を{products}件追加しました。");
            }
            println!(
                "デモデータを読み込みました。デモ用ログイン（パスワードはすべて {}）:",
                demo::DEMO_PASSWORD
            );
            for l in logins {
                println!(
                    "  {:<24} お客様ID {}  {}（{}・{}）",
                    l.email,
                    l.customer_code,
                    l.name,
                    l.rank.label(),
                    l.screen.label()
                );
            }
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => match audit::verify(&conn).await.map_err(|e| e.to_string())? {
            audit::Verdict::Intact { entries } => {
                println!("監査ログは改ざんされていません（{entries}件）。");
                Ok(())
            }
            audit::Verdict::Broken { at_id, reason } => Err(format!(
                "監査ログの整合性が失われています（ID {at_id}）: {reason}"
            )),
        },
        Command::Import {
            customers,
            logins,
            dry_run,
        } => {
            let read = |p: &PathBuf| {
                std::fs::read(p).map_err(|e| format!("{} を読めません: {e}", p.display()))
            };
            let report = import::import(
                &conn,
                &read(&customers)?,
                &read(&logins)?,
                dry_run,
                Clock::system().now(),
            )
            .await
            .map_err(|e| e.to_string())?;
            print!("{report}");
            if !report.is_clean() {
                return Err(format!(
                    "不正な行が{}件あるため、何も取り込みませんでした。",
                    report.problems.len()
                ));
            }
            if !report.needs_consolidation.is_empty() {
                println!("ログインが複数あるお客様は `daiko logins consolidate --customer お客様ID --keep メールアドレス` で1つにしてください。");
            }
            Ok(())
        }
        Command::Logins {
            command: LoginsCommand::Pending,
        } => {
            let list = import::pending_consolidations(&conn)
                .await
                .map_err(|e| e.to_string())?;
            if list.is_empty() {
                println!("統合待ちのお客様はいません。");
            } else {
                println!("統合待ちのお客様: {}件", list.len());
            }
            for p in list {
                let rank = p.rank.map(|r| r.label()).unwrap_or("ランク不明");
                println!("  お客様ID {}  {}（{}）", p.customer_code, p.name, rank);
                for e in p.emails {
                    println!("    - {e}");
                }
            }
            Ok(())
        }
        Command::Logins {
            command: LoginsCommand::Consolidate { customer, keep },
        } => {
            let done = import::consolidate(
                &conn,
                &app::server::seal::SealKey::from_secret(&config.secret),
                &customer,
                &keep,
                Clock::system().now(),
            )
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "お客様ID {}: {} をログイン情報として残しました（パスワード未設定・メールアドレス未確認）。",
                done.customer_code, done.kept
            );
            for r in &done.retired {
                println!("  削除: {r}");
            }
            println!(
                "お知らせメール{}通を送信キューに入れました（daiko serve が配信します）。",
                done.messages_queued
            );
            Ok(())
        }
        Command::BenchDocuments { .. } => Ok(()),
        Command::Serve => {
            let pending = db::pending_migrations(&conn)
                .await
                .map_err(|e| e.to_string())?;
            if pending > 0 {
                return Err(format!("未適用のマイグレーションが{pending}件あります。先に `daiko migrate` を実行してください。"));
            }
            let mut leptos =
                get_configuration(None).map_err(|e| format!("Leptos の設定を読めません: {e}"))?;
            app::server::assets::configure(&mut leptos.leptos_options);
            let addr = leptos.leptos_options.site_addr;
            let passwords = Passwords::new(config.argon2_concurrency).map_err(|e| e.to_string())?;
            let (senders, twilio_token) =
                senders::queue_adapters::from_lookup(&|k| std::env::var(k).ok(), &config)?;
            let state = AppState {
                db: conn,
                config,
                passwords,
                clock: Clock::system(),
                senders,
                twilio_token,
                leptos_options: leptos.leptos_options,
                audit_check: app::server::audit_check::AuditCheck::new(),
            };
            housekeeping::spawn(state.clone(), std::time::Duration::from_secs(600));
            // The 監査ログ screen shows the last result: check at boot, then every 15 minutes.
            state.audit_check.spawn_periodic(
                state.db.clone(),
                state.clock.clone(),
                std::time::Duration::from_secs(900),
            );
            queue::spawn_worker(state.clone(), std::time::Duration::from_secs(1));
            let app = router::build(state);
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .map_err(|e| format!("{addr} で待ち受けできません: {e}"))?;
            tracing::info!("listening on http://{addr}");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
        }
    }
}

async fn bench_documents(
    database_url: Option<String>,
    runs: usize,
    orders: usize,
    out: Option<PathBuf>,
) -> Result<(), String> {
    use app::domain::time::Month;
    use app::server::documents_bench;
    let dir = std::env::temp_dir().join(format!("daiko_bench_documents_{}", std::process::id()));
    let url = match database_url {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            format!("sqlite://{}/bench.sqlite?mode=rwc", dir.display())
        }
    };
    let conn = db::connect(&url, 4).await.map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    let passwords = Passwords::new(1).map_err(|e| e.to_string())?;
    demo::load(&conn, &passwords, Clock::system().now())
        .await
        .map_err(|e| e.to_string())?;
    let month = Month {
        year: 2026,
        month: 10,
    };
    println!(
        "データを準備しています（下位の注文 {orders}件, {}）…",
        month.label()
    );
    let number = documents_bench::seed(&conn, month, orders)
        .await
        .map_err(|e| e.to_string())?;
    let result = documents_bench::run(&conn, month, &number, runs.max(1))
        .await
        .map_err(|e| e.to_string())?;
    let mut ok = true;
    for t in &result.timings {
        let pass = t.median() <= t.target_ms;
        ok &= pass;
        println!(
            "{:<44} median {:>7.1} ms  max {:>7.1} ms  target {:>4.0} ms  {}  PDF {} KiB",
            t.what,
            t.median(),
            t.max(),
            t.target_ms,
            if pass { "OK" } else { "SLOW" },
            t.bytes / 1024
        );
    }
    if let Some(out) = out {
        std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        std::fs::write(out.join("delivery-note.pdf"), &result.delivery_pdf)
            .map_err(|e| e.to_string())?;
        std::fs::write(out.join("rebate.pdf"), &result.rebate_pdf).map_err(|e| e.to_string())?;
        println!("PDF: {}", out.display());
    }
    conn.close().await.ok();
    let _ = std::fs::remove_dir_all(&dir);
    if ok {
        Ok(())
    } else {
        Err("目標時間を超えました。".into())
    }
}
