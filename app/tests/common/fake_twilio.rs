//! A fake Twilio REST API: a real HTTP server on a loopback port that checks every request
//! against Twilio's published OpenAPI description (`twilio_api_v2010.json`, from
//! github.com/twilio/twilio-oai), so a misspelt, missing or misplaced field fails the test
//! instead of passing as it would against a hand-written mock. (Real Twilio ignores unknown
//! fields; the fake is stricter on purpose.)
#![allow(dead_code)]
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json, Router};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Twilio's published contract (twilio-oai, MIT), vendored under `app/tests/contracts/twilio/`.
pub const CONTRACT_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/contracts/twilio/twilio_api_v2010.json"
);

/// A valid-looking Account SID (`AC` + 32 hex) and token for the fake's one account.
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000001";
pub const AUTH_TOKEN: &str = "fake-twilio-auth-token-7f3a";

/// One request as the fake saw it, with the status it answered.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The contract's path template it matched, e.g. `/2010-04-01/Accounts/{AccountSid}/Messages.json`.
    pub template: Option<String>,
    pub fields: Vec<(String, String)>,
    pub status: u16,
}

impl Recorded {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn field_names(&self) -> BTreeSet<&str> {
        self.fields.iter().map(|(k, _)| k.as_str()).collect()
    }
}

pub struct FakeTwilio {
    /// `http://127.0.0.1:<port>`: the client's base URL.
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTwilio {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    fail_next: Mutex<Option<(u16, u32, String)>>,
    delay_next: Mutex<Option<Duration>>,
}

impl FakeTwilio {
    pub async fn start() -> Self {
        // Load (and check) the contract before the first request, so a missing file fails here.
        let _ = contract();
        let shared = Arc::new(Shared::default());
        let router = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port for the fake Twilio");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeTwilio {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// The requests the fake accepted (answered 201).
    pub fn accepted(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.status == 201)
            .collect()
    }

    /// The next request that matches the contract and authenticates is answered with this
    /// status and a Twilio error body instead.
    pub fn fail_next(&self, status: u16, code: u32, message: &str) {
        *lock(&self.shared.fail_next) = Some((status, code, message.to_string()));
    }

    /// The next request is answered only after this delay.
    pub fn delay_next(&self, d: Duration) {
        *lock(&self.shared.delay_next) = Some(d);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Twilio's error body, as its API sends it.
fn twilio_error(status: u16, code: u32, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        Json(json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status.as_u16(),
        })),
    )
        .into_response()
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let delay = lock(&shared.delay_next).take();
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let mut rec = Recorded {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        template: None,
        fields: Vec::new(),
        status: 0,
    };
    let res = check(&shared, req, &mut rec).await;
    rec.status = res.status().as_u16();
    lock(&shared.requests).push(rec);
    res
}

async fn check(shared: &Shared, req: Request, rec: &mut Recorded) -> Response {
    let c = contract();
    let Some((path, params)) = c.find(&rec.path) else {
        return twilio_error(
            404,
            20404,
            &format!("The requested resource {} was not found", rec.path),
        );
    };
    rec.template = Some(path.template.clone());
    let Some(op) = path.ops.get(req.method()) else {
        return twilio_error(405, 20004, "Method not allowed");
    };
    if !authorized(req.headers()) {
        return twilio_error(401, 20003, "Authenticate");
    }
    // The account in the path must be the one that authenticated.
    if let Some(sid) = params.get("AccountSid") {
        if sid != ACCOUNT_SID {
            return twilio_error(
                404,
                20404,
                &format!("The requested resource {} was not found", rec.path),
            );
        }
    }
    let failure = lock(&shared.fail_next).take();
    if let Some((status, code, message)) = failure {
        return twilio_error(status, code, &message);
    }
    let Some(form) = &op.form else {
        return twilio_error(
            501,
            20001,
            "the fake Twilio implements only operations that take a form",
        );
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return twilio_error(
            400,
            21604,
            &format!(
                "Content-Type must be application/x-www-form-urlencoded, not {content_type:?}"
            ),
        );
    }
    let fields = match Form::<Vec<(String, String)>>::from_request(req, &()).await {
        Ok(Form(f)) => f,
        Err(e) => return twilio_error(400, 21604, &format!("Malformed form body: {e}")),
    };
    rec.fields = fields.clone();
    for (name, _) in &fields {
        if !form.properties.contains(name) {
            return twilio_error(
                400,
                21604,
                &format!("Unknown parameter '{name}' for {}", form.title),
            );
        }
    }
    for name in &form.required {
        if !fields.iter().any(|(k, v)| k == name && !v.is_empty()) {
            return twilio_error(400, 21604, &format!("A '{name}' parameter is required."));
        }
    }
    let sid = fresh_sid(&op.sid_prefix);
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    (
        StatusCode::CREATED,
        Json(json!({
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "api_version": "2010-04-01",
            "status": "queued",
            "to": field("To"),
            "from": field("From"),
        })),
    )
        .into_response()
}

fn authorized(headers: &axum::http::HeaderMap) -> bool {
    let expected = base64(format!("{ACCOUNT_SID}:{AUTH_TOKEN}").as_bytes());
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, cred)| scheme.eq_ignore_ascii_case("basic") && cred == expected)
}

fn base64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `prefix` + 32 hex digits, different every time.
fn fresh_sid(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let mut words = [0u64; 2];
    for (i, w) in words.iter_mut().enumerate() {
        // RandomState is seeded randomly per process; hashing a counter gives fresh values.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.write_usize(i);
        *w = h.finish();
    }
    format!("{prefix}{:016x}{:016x}", words[0], words[1])
}

// ---- the contract ------------------------------------------------------------------------

struct Contract {
    paths: Vec<PathItem>,
}

struct PathItem {
    template: String,
    segments: Vec<String>,
    ops: HashMap<Method, Operation>,
}

struct Operation {
    /// The `application/x-www-form-urlencoded` request body, if the operation takes one.
    form: Option<FormSchema>,
    /// From the 201 response's `sid` pattern, e.g. `SM` for `^(SM|MM)[0-9a-fA-F]{32}$`.
    sid_prefix: String,
}

struct FormSchema {
    title: String,
    required: Vec<String>,
    properties: BTreeSet<String>,
}

fn contract() -> &'static Contract {
    static C: OnceLock<Contract> = OnceLock::new();
    C.get_or_init(|| {
        let text = std::fs::read_to_string(CONTRACT_PATH).unwrap_or_else(|e| {
            panic!(
                "The fake Twilio needs Twilio's OpenAPI contract at {CONTRACT_PATH} \
                 (twilio_api_v2010.json from github.com/twilio/twilio-oai): {e}"
            )
        });
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{CONTRACT_PATH} is not JSON: {e}"));
        let contract = Contract::from_openapi(&doc);
        assert!(
            contract
                .paths
                .iter()
                .any(|p| p.template.ends_with("/Messages.json")),
            "{CONTRACT_PATH} has no Messages.json path: not Twilio's API v2010 contract?"
        );
        contract
    })
}

impl Contract {
    fn from_openapi(doc: &Value) -> Self {
        let paths = doc["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{CONTRACT_PATH}: no `paths` object"));
        let mut out = Vec::new();
        for (template, item) in paths {
            let mut ops = HashMap::new();
            for m in ["get", "post", "put", "delete", "patch"] {
                let Some(op) = item.get(m) else { continue };
                let method = Method::from_bytes(m.to_uppercase().as_bytes()).expect("method");
                ops.insert(
                    method,
                    Operation {
                        form: form_schema(doc, op),
                        sid_prefix: sid_prefix(doc, op),
                    },
                );
            }
            out.push(PathItem {
                template: template.clone(),
                segments: template.split('/').map(str::to_string).collect(),
                ops,
            });
        }
        Contract { paths: out }
    }

    /// The path template matching `path`, and its path parameters. Where several match, the
    /// one with the most literal text wins (`Messages.json` over `{Sid}.json`).
    fn find(&self, path: &str) -> Option<(&PathItem, HashMap<String, String>)> {
        let actual: Vec<&str> = path.split('/').collect();
        self.paths
            .iter()
            .filter(|p| p.segments.len() == actual.len())
            .filter_map(|p| {
                let mut params = HashMap::new();
                let mut literal = 0;
                for (t, a) in p.segments.iter().zip(&actual) {
                    let (name, value, lit) = match_segment(t, a)?;
                    literal += lit;
                    if let (Some(n), Some(v)) = (name, value) {
                        params.insert(n, v);
                    }
                }
                Some((literal, p, params))
            })
            .max_by_key(|(literal, _, _)| *literal)
            .map(|(_, p, params)| (p, params))
    }
}

/// Matches one path segment: a literal, or `prefix{Name}suffix` with a non-empty value.
/// Returns the parameter (if any) and the number of literal characters matched.
fn match_segment(t: &str, a: &str) -> Option<(Option<String>, Option<String>, usize)> {
    match (t.find('{'), t.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, name, suffix) = (&t[..open], &t[open + 1..close], &t[close + 1..]);
            let value = a.strip_prefix(prefix)?.strip_suffix(suffix)?;
            (!value.is_empty() && !value.contains('/')).then(|| {
                (
                    Some(name.to_string()),
                    Some(value.to_string()),
                    prefix.len() + suffix.len(),
                )
            })
        }
        _ => (t == a).then_some((None, None, t.len())),
    }
}

/// Follows a local `$ref` (`#/components/schemas/x`).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("{CONTRACT_PATH}: dangling $ref {r}"))
        }
        None => v,
    }
}

fn form_schema(doc: &Value, op: &Value) -> Option<FormSchema> {
    let body = resolve(doc, op.get("requestBody")?);
    let schema = resolve(
        doc,
        body.get("content")?
            .get("application/x-www-form-urlencoded")?
            .get("schema")?,
    );
    Some(FormSchema {
        title: schema["title"].as_str().unwrap_or("request").to_string(),
        required: schema["required"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        properties: schema["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default(),
    })
}

fn sid_prefix(doc: &Value, op: &Value) -> String {
    let pattern = op
        .pointer("/responses/201/content/application~1json/schema")
        .map(|s| resolve(doc, s))
        .and_then(|s| s.pointer("/properties/sid/pattern"))
        .and_then(Value::as_str)
        .unwrap_or("");
    // "^(SM|MM)[0-9a-fA-F]{32}$" → "SM"; "^CA[0-9a-fA-F]{32}$" → "CA".
    let letters: String = pattern
        .trim_start_matches('^')
        .trim_start_matches('(')
        .chars()
        .take_while(char::is_ascii_uppercase)
        .collect();
    if letters.len() == 2 {
        letters
    } else {
        "XX".into()
    }
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
}
