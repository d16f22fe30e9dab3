//! `daiko`: the Daiko server and its operator commands.
use app::server::{
    audit, clock::Clock, config::Config, db, demo, housekeeping, password::Passwords, queue,
    router, state::AppState,
};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
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
    /// Load the demo network and demo logins into an empty database and print the logins.
    DemoData,
    /// Audit-log commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
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
        Command::DemoData => {
            let passwords = Passwords::new(config.argon2_concurrency).map_err(|e| e.to_string())?;
            let logins = demo::load(&conn, &passwords, Clock::system().now())
                .await
                .map_err(|e| e.to_string())?;
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
        Command::Serve => {
            let pending = db::pending_migrations(&conn)
                .await
                .map_err(|e| e.to_string())?;
            if pending > 0 {
                return Err(format!("未適用のマイグレーションが{pending}件あります。先に `daiko migrate` を実行してください。"));
            }
            let leptos =
                get_configuration(None).map_err(|e| format!("Leptos の設定を読めません: {e}"))?;
            let addr = leptos.leptos_options.site_addr;
            let passwords = Passwords::new(config.argon2_concurrency).map_err(|e| e.to_string())?;
            if !config.dev_outbox {
                return Err("SMTP・Twilio の送信設定はまだありません。DAIKO_DEV_OUTBOX=1 で開発用送信箱を使ってください。".into());
            }
            let senders = queue::Senders::outbox();
            let state = AppState {
                db: conn,
                config,
                passwords,
                clock: Clock::system(),
                senders,
                leptos_options: leptos.leptos_options,
            };
            housekeeping::spawn(state.clone(), std::time::Duration::from_secs(600));
            queue::spawn_worker(
                state.db.clone(),
                state.senders.clone(),
                state.clock.clone(),
                std::time::Duration::from_secs(1),
            );
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
