//! The SMTP sender against a real SMTP server on a loopback port (SPEC R1/R3: the PIN mail):
//! `tests/support/smtp_sink.py` (aiosmtpd) stores what it receives, and the test decodes it
//! with an independent MIME parser (mailparse), as a mail client would.
#![cfg(feature = "ssr")]

use app::server::entities::outgoing_messages as om;
use app::server::messages::{pin_mail, SENDER_NAME};
use app::server::senders::smtp::{SmtpConfig, SmtpPassword, SmtpSender, TlsMode};
use app::server::senders::Sender;
use chrono::{DateTime, Utc};
use mailparse::{addrparse_header, MailAddr, MailHeaderMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const USER: &str = "daiko-mailer";
/// Distinctive, so a leak into an error message cannot be a coincidence.
const PASSWORD: &str = "pw-7c1f2e9a-never-shown";
const WRONG_PASSWORD: &str = "pw-wrong-5d0b33e1-never-shown";
const FROM: &str = "環境保全研究所の代行システム <no-reply@example.jp>";
const TO: &str = "taro.yamada@example.jp";
const PIN: &str = "012345";

/// The aiosmtpd sink as a child process; stopped (and its directory removed) on drop, also
/// when an assertion fails.
struct Sink {
    child: Child,
    /// Held open: the sink exits when it closes, even if this process is killed.
    stdin: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
}

const INSTALL_HINT: &str = "the SMTP tests need Python 3 with aiosmtpd: \
                            run `pip install -r requirements-test.txt` in the workspace root";

impl Sink {
    fn start(auth: Option<(&str, &str)>) -> Sink {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "daiko-smtp-sink-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the sink directory");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let stderr = std::fs::File::create(dir.join("sink.stderr")).expect("sink stderr file");
        let mut cmd = Command::new("python3");
        // Port 0: the sink binds a free port and reports it, so no other process can take
        // the port between choosing and binding it.
        cmd.arg(&script)
            .arg("0")
            .arg(&dir)
            .arg("--exit-on-stdin-eof");
        if let Some((user, password)) = auth {
            cmd.args(["--user", user, "--password", password]);
        }
        let mut child = cmd
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
        let mut sink = Sink {
            child,
            stdin,
            port: port.unwrap_or(0),
            dir,
        };
        if port.is_none() {
            let _ = sink.child.kill();
            let status = sink.child.wait().ok();
            let err = std::fs::read_to_string(sink.dir.join("sink.stderr")).unwrap_or_default();
            let status = status.map_or("unknown".into(), |s| s.to_string());
            panic!(
                "the SMTP sink did not start (stdout {line:?}, {status}):\n{err}\n{INSTALL_HINT}"
            );
        }
        sink
    }

    /// The stored messages, in arrival order.
    fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("read the sink directory")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read(p).expect("read .eml"))
            .collect()
    }

    /// SIGTERM, as a service manager would stop it; the sink must exit with status 0.
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM: {status}");
        let deadline = Instant::now() + Duration::from_secs(10);
        let exit = loop {
            if let Some(s) = self.child.try_wait().expect("wait for the sink") {
                break s;
            }
            assert!(Instant::now() < deadline, "the sink ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let err = std::fs::read_to_string(self.dir.join("sink.stderr")).unwrap_or_default();
        assert!(exit.success(), "sink exit {exit} after SIGTERM:\n{err}");
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn config(port: u16, password: &str) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: Some(USER.into()),
        password: Some(SmtpPassword::new(password)),
        from: FROM.parse().expect("From mailbox"),
        timeout: Duration::from_secs(10),
    }
}

/// 03:10 UTC = 12:10 JST.
fn deadline() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T03:10:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The queued row a worker would hand to the sender.
fn pin_row() -> om::Model {
    let mail = pin_mail(PIN, deadline());
    let now = Utc::now();
    om::Model {
        id: 42,
        channel: app::model::ResetChannel::Mail,
        recipient: TO.into(),
        subject: mail.subject,
        body: mail.body,
        challenge_id: Some(7),
        status: app::server::entities::outgoing_messages::Status::Queued,
        attempts: 1,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        provider_id: None,
        created_at: now,
        updated_at: now,
        sent_at: None,
        decoy: false,
    }
}

#[tokio::test]
async fn pin_mail_arrives_decoded_with_japanese_subject_body_and_sender_name() {
    let sink = Sink::start(Some((USER, PASSWORD)));
    let sender = SmtpSender::new(config(sink.port, PASSWORD)).expect("sender");
    let row = pin_row();

    let provider_id = sender
        .send(&row)
        .await
        .expect("the sink accepts the mail")
        .expect("a provider id");
    assert!(
        provider_id.starts_with("<daiko.42.") && provider_id.contains("@example.jp> 250 "),
        "{provider_id}"
    );
    assert!(
        provider_id.ends_with("queued as sink-0001"),
        "{provider_id}"
    );

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let raw = &messages[0];
    // Every header and the body are encoded, so the mail survives relays without 8BITMIME.
    assert!(raw.is_ascii(), "{}", String::from_utf8_lossy(raw));
    let mail = mailparse::parse_mail(raw).expect("a parsable mail");
    let h = &mail.headers;
    let header = |name: &str| {
        h.get_first_value(name)
            .unwrap_or_else(|| panic!("no {name} header"))
    };

    // What the client said on the wire: the login and the envelope.
    assert_eq!(header("X-Sink-Auth-Login"), USER);
    assert_eq!(header("X-Sink-Mail-From"), "no-reply@example.jp");
    assert_eq!(header("X-Sink-Rcpt-To"), TO);

    assert_eq!(
        header("Subject"),
        "【環境保全研究所の代行システム】PINコードのご案内"
    );
    let from = addrparse_header(h.get_first_header("From").expect("From"))
        .expect("From parses")
        .extract_single_info()
        .expect("one From address");
    assert_eq!(from.display_name.as_deref(), Some(SENDER_NAME));
    assert_eq!(from.addr, "no-reply@example.jp");
    let to = addrparse_header(h.get_first_header("To").expect("To")).expect("To parses");
    assert!(
        matches!(&to.into_inner()[..], [MailAddr::Single(s)] if s.addr == TO),
        "To"
    );
    assert_eq!(
        provider_id.split(' ').next(),
        Some(header("Message-ID").as_str())
    );
    assert_eq!(header("Auto-Submitted"), "auto-generated");
    assert!(h.get_first_value("Date").is_some(), "Date");

    // Without it a client may ignore Content-Type and show the base64 text.
    assert_eq!(header("MIME-Version"), "1.0");
    assert_eq!(mail.ctype.mimetype, "text/plain");
    assert_eq!(mail.ctype.charset.to_ascii_lowercase(), "utf-8");
    let body = mail.get_body().expect("decoded body").replace("\r\n", "\n");
    assert!(body.contains("PINコード「012345」"), "{body}");
    assert!(
        body.starts_with(
            "現在のお問い合わせ画面で12:10までに業務代行クラウドシステムへPINコードの入力を行って下さい。"
        ),
        "{body}"
    );
    assert!(
        body.contains("環境保全研究所の代行システムから自動で送信しています。"),
        "{body}"
    );
    assert_eq!(body.trim_end(), row.body.trim_end(), "the whole text");

    sink.stop();
}

#[tokio::test]
async fn a_wrong_password_is_a_send_error_that_does_not_show_it() {
    let sink = Sink::start(Some((USER, PASSWORD)));
    let sender = SmtpSender::new(config(sink.port, WRONG_PASSWORD)).expect("sender");

    let err = sender
        .send(&pin_row())
        .await
        .expect_err("the sink refuses the login");
    let msg = err.to_string();
    assert!(msg.contains("535"), "the server's refusal: {msg}");
    assert!(msg.contains(&format!("127.0.0.1:{}", sink.port)), "{msg}");
    for secret in [WRONG_PASSWORD, PASSWORD] {
        assert!(!msg.contains(secret), "password in {msg}");
        assert!(!format!("{err:?}").contains(secret), "password in {err:?}");
    }
    assert!(sink.messages().is_empty(), "nothing delivered");
    sink.stop();
}

#[tokio::test]
async fn a_closed_port_is_a_send_error() {
    // A port that was free a moment ago and that nobody listens on now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let sender = SmtpSender::new(config(port, PASSWORD)).expect("sender");
    let started = Instant::now();
    let err = sender.send(&pin_row()).await.expect_err("nothing listens");
    let msg = err.to_string();
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(!msg.contains(PASSWORD), "{msg}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused at once"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts the connection and says nothing: lettre alone would wait for the greeting
    // forever.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let mut cfg = config(port, PASSWORD);
    cfg.timeout = Duration::from_secs(1);
    let sender = SmtpSender::new(cfg).expect("sender");
    let started = Instant::now();
    let err = sender.send(&pin_row()).await.expect_err("no greeting");
    assert!(err.to_string().contains("タイムアウト"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
    held.abort();
}
