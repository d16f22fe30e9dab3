//! The outgoing-message queue survives `kill -9` of the server: 30 mails are queued, the real
//! `daiko serve` delivers them over SMTP to the aiosmtpd sink (`app/tests/support/smtp_sink.py`),
//! is killed with SIGKILL while delivering, is started again, and finishes the job.
//!
//! Delivery semantics that hold (and that this test asserts exactly): **at least once, no
//! loss**. A worker claims one row at a time (a lease in `locked_until`), sends it, then marks
//! it `sent`. A kill between the relay's `250` and that UPDATE leaves the row `queued` under
//! its lease; when the lease runs out (60 s) a worker sends it again, with the same
//! Message-ID, so the receiver can drop the duplicate. Only a row that was claimed by the
//! killed process (in flight at the kill) may therefore arrive twice; every other row arrives
//! exactly once, and every row arrives.
use app::server::entities::outgoing_messages as om;
use app::server::queue::{self, NewMessage};

/// The servers' DAIKO_SECRET (set explicitly, so a developer's environment cannot differ).
const SECRET: &str = "queue-survives-kill-test-secret-0123456789";
use sea_orm::{EntityTrait, QueryOrder, TransactionTrait};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MESSAGES: usize = 30;
const FROM: &str = "環境保全研究所の代行システム <no-reply@example.jp>";
const SINK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/tests/support/smtp_sink.py"
);
const INSTALL_HINT: &str = "this test needs Python 3 with aiosmtpd: \
                            run `pip install -r requirements-test.txt` in the workspace root";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("daiko-queue-kill-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The aiosmtpd sink; killed on drop, also when an assertion fails.
struct Sink {
    child: Child,
    /// Held open: the sink exits when it closes, even if this test process is killed.
    stdin: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
}

impl Sink {
    fn start(dir: PathBuf) -> Sink {
        std::fs::create_dir_all(&dir).expect("sink dir");
        let stderr = std::fs::File::create(dir.with_extension("stderr")).expect("sink stderr");
        let mut child = Command::new("python3")
            .arg(SINK)
            .arg("0")
            .arg(&dir)
            .arg("--exit-on-stdin-eof")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {INSTALL_HINT}"));
        let stdout = child.stdout.take().expect("sink stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse::<u16>().ok());
        let stdin = child.stdin.take();
        let sink = Sink {
            child,
            stdin,
            port: port.unwrap_or(0),
            dir,
        };
        if port.is_none() {
            let err =
                std::fs::read_to_string(sink.dir.with_extension("stderr")).unwrap_or_default();
            panic!("the SMTP sink did not start (stdout {line:?}):\n{err}\n{INSTALL_HINT}");
        }
        sink
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("read the sink directory")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
    }

    /// The Message-ID of every stored mail, in arrival order.
    fn message_ids(&self) -> Vec<String> {
        self.files()
            .iter()
            .map(|p| {
                let raw = std::fs::read_to_string(p).expect("read .eml");
                raw.lines()
                    .take_while(|l| !l.is_empty())
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("message-id")
                            .then(|| value.trim().to_string())
                    })
                    .unwrap_or_else(|| panic!("no Message-ID in {}:\n{raw}", p.display()))
            })
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// `daiko serve` as a child process; SIGKILLed on drop.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Server {
    fn kill9(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let status = Command::new("kill")
                .args(["-9", &self.child.id().to_string()])
                .status()
                .expect("run kill");
            assert!(status.success(), "kill -9: {status}");
        }
        let status = self.child.wait().expect("wait for the server");
        assert!(!status.success(), "killed, not exited: {status}");
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

struct Env {
    dir: PathBuf,
    database_url: String,
    smtp_port: u16,
}

impl Env {
    /// The `daiko` binary with exactly this test's environment (nothing inherited, so a
    /// developer's `DAIKO_DEV_OUTBOX` cannot turn SMTP off), run from the workspace root.
    fn daiko(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_daiko"));
        cmd.args(args)
            .current_dir(workspace_root())
            .env_clear()
            .env("DATABASE_URL", &self.database_url)
            .env("LEPTOS_OUTPUT_NAME", "daiko")
            .env("LEPTOS_SITE_ROOT", self.dir.join("site"))
            .env("DAIKO_SMTP_HOST", "127.0.0.1")
            .env("DAIKO_SMTP_PORT", self.smtp_port.to_string())
            .env("DAIKO_SMTP_TLS", "none")
            .env("DAIKO_SMTP_FROM", FROM)
            .env("DAIKO_SECRET", SECRET)
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn");
        cmd
    }

    fn run(&self, args: &[&str]) {
        let out = self.daiko(args).output().expect("run daiko");
        assert!(
            out.status.success(),
            "daiko {args:?}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn serve(&self, name: &str) -> Server {
        // A port that was free a moment ago; a fresh one per start, so the killed server's
        // socket cannot be in the way.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let log = self.dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("server log");
        let child = self
            .daiko(&["serve"])
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start daiko serve");
        let mut server = Server { child, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !healthy(port) {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("daiko serve exited ({status}):\n{}", server.log());
            }
            assert!(
                Instant::now() < deadline,
                "daiko serve did not answer /healthz:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

/// The Message-ID the SMTP sender gives a row (stable across attempts).
fn message_id(m: &om::Model) -> String {
    format!(
        "<daiko.{}.{}@example.jp>",
        m.id,
        m.created_at.timestamp_micros()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_mail_survives_kill_9_no_loss_duplicates_only_in_flight() {
    let tmp = TempDir::new();
    let sink = Sink::start(tmp.0.join("sink"));
    let env = Env {
        dir: tmp.0.clone(),
        database_url: format!("sqlite://{}/daiko.sqlite?mode=rwc", tmp.0.display()),
        smtp_port: sink.port,
    };
    std::fs::create_dir_all(tmp.0.join("site")).expect("site dir");
    env.run(&["migrate"]);
    env.run(&["demo-data"]);
    let mut first = env.serve("first");

    // Queued directly, all in one transaction, as a burst of PIN and notice mails would be.
    let db = app::server::db::connect(&env.database_url, 2)
        .await
        .expect("connect");
    let now = chrono::Utc::now();
    // Bodies are sealed under the servers' DAIKO_SECRET, as the app itself queues them.
    let key = app::server::seal::SealKey::from_secret(SECRET);
    let txn = db.begin().await.expect("begin");
    for i in 0..MESSAGES {
        queue::enqueue(
            &txn,
            &key,
            NewMessage {
                channel: app::model::ResetChannel::Mail,
                recipient: format!("kill-test-{i:02}@example.jp"),
                subject: format!("【環境保全研究所の代行システム】テスト {i:02}"),
                body: format!("キュー試験のメール {i:02} です。\n"),
                challenge_id: None,
            },
            now,
        )
        .await
        .expect("enqueue");
    }
    txn.commit().await.expect("commit");

    // Kill as soon as a few have arrived: the worker sends 20 per second-long tick, one by one.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.files().len() < 3 {
        assert!(
            Instant::now() < deadline,
            "no mail arrived:\n{}",
            first.log()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    first.kill9();
    let arrived_before_kill = sink.files().len();
    let rows = om::Entity::find()
        .order_by_asc(om::Column::Id)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), MESSAGES);
    let sent_before_kill = rows
        .iter()
        .filter(|m| m.status == app::server::entities::outgoing_messages::Status::Sent)
        .count();
    // Claimed by the killed process and not marked sent: at most the one being delivered.
    let in_flight: BTreeSet<i64> = rows
        .iter()
        .filter(|m| {
            m.status == app::server::entities::outgoing_messages::Status::Queued
                && m.locked_until.is_some()
        })
        .map(|m| m.id)
        .collect();
    eprintln!(
        "at the kill: {arrived_before_kill} mails at the sink, {sent_before_kill} rows sent, in flight {in_flight:?}"
    );
    assert!(
        arrived_before_kill < MESSAGES,
        "the kill came too late to test anything ({arrived_before_kill} arrived)"
    );
    assert!(
        in_flight.len() <= 1,
        "one worker, one row at a time: {in_flight:?}"
    );
    assert!(
        arrived_before_kill >= sent_before_kill
            && arrived_before_kill <= sent_before_kill + in_flight.len(),
        "a row is marked sent only after the relay accepted it"
    );

    let second = env.serve("second");
    // The rows nobody held go at once; the in-flight one after its 60 s lease.
    let deadline = Instant::now() + Duration::from_secs(150);
    let rows = loop {
        let rows = om::Entity::find()
            .order_by_asc(om::Column::Id)
            .all(&db)
            .await
            .unwrap();
        if rows
            .iter()
            .all(|m| m.status == app::server::entities::outgoing_messages::Status::Sent)
        {
            break rows;
        }
        let queued: Vec<_> = rows
            .iter()
            .filter(|m| m.status != app::server::entities::outgoing_messages::Status::Sent)
            .collect();
        assert!(
            Instant::now() < deadline,
            "still not sent after the restart: {queued:?}\n{}",
            second.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    drop(second);

    let mut arrived: BTreeMap<String, usize> = BTreeMap::new();
    for id in sink.message_ids() {
        *arrived.entry(id).or_default() += 1;
    }
    let expected: BTreeMap<String, &om::Model> = rows.iter().map(|m| (message_id(m), m)).collect();
    for (id, m) in &expected {
        // The sender's own record agrees with the id computed here.
        let provider = m.provider_id.as_deref().unwrap_or_default();
        assert!(provider.starts_with(id.as_str()), "{provider} vs {id}");
        let n = arrived.get(id).copied().unwrap_or(0);
        assert!(n >= 1, "lost: row {} ({id})", m.id);
        if n > 1 {
            assert!(
                in_flight.contains(&m.id) && n == 2 && m.attempts >= 2,
                "row {} arrived {n} times but was not the one in flight ({in_flight:?}), attempts {}",
                m.id,
                m.attempts
            );
        }
    }
    let strangers: Vec<_> = arrived
        .keys()
        .filter(|id| !expected.contains_key(*id))
        .collect();
    assert!(strangers.is_empty(), "unknown mails: {strangers:?}");
    let duplicated: Vec<_> = arrived.iter().filter(|(_, n)| **n > 1).collect();
    let total: usize = arrived.values().sum();
    eprintln!(
        "after the restart: {} rows sent, {total} mails at the sink, duplicated {duplicated:?} \
         (at-least-once: only a row in flight at the kill may repeat)",
        rows.len()
    );
    assert_eq!(total, MESSAGES + duplicated.len());
    db.close().await.ok();
}
