//! Customer search benchmark (R4), run by scripts/bench-search.sh against a server loaded
//! with `daiko demo-data --customers N`.
//!
//! For a mix of queries (1, 2, 3+ characters, no hit, phone prefixes and suffixes) and four
//! users (staff: everyone; ultra/super: most / half of the network; 販社: a few), it times
//! `GET /api/customers/search` over one keep-alive connection (so the figure includes HTTP on
//! loopback: an upper bound of server time), each query `reps` times after one warm-up
//! (more than 5, so a PostgreSQL generic plan would show). Then the same queries as a naive
//! `LIKE '%q%'` over the normalised columns, through the same driver, in the same run.
//!
//! Usage: bench_search BASE_URL DATABASE_URL [REPS]
use std::time::Instant;

use app::server::search_key::{phone_digits, text_key};
use app::server::{db, demo::DEMO_PASSWORD, network::downline_bounds};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

const MIX: &[(&str, &[&str])] = &[
    ("1文字", &["や", "ヤ", "山", "田", "ﾀ", "ん"]),
    ("2文字", &["やま", "佐藤", "ﾀﾅ", "たか", "商事", "ぬゑ"]),
    (
        "3文字以上",
        &[
            "たなか",
            "ヤマモト",
            "株式会社",
            "しょうじ",
            "ひまわり",
            "さとう はなこ",
            "ﾊｾｶﾞﾜ ﾁﾋﾛ",
            "みどりはんばい",
        ],
    ),
    ("ヒットなし", &["ぬゑゑ", "zzz", "ヴョ", "山田花子ぬ"]),
    (
        "電話",
        &[
            "090-12",
            "03-5",
            "0120",
            "5678",
            "+81 80-1344",
            "０８０－１３４４－５８７１",
        ],
    ),
];

const USERS: &[(&str, &str)] = &[
    ("honbu@example.jp", "全国販社（全員）"),
    ("ultra@example.jp", "ウルトラ販社（ほぼ全員）"),
    ("super@example.jp", "スーパー販社（約半数）"),
    ("hansha@example.jp", "販社（数名）"),
];

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn summary(label: &str, v: &mut [f64]) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let (p50, p95, p99) = (pct(v, 0.5), pct(v, 0.95), pct(v, 0.99));
    println!(
        "  {label:<14} n={:<5} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  p99 {p99:>8.2} ms  max {:>8.2} ms",
        v.len(),
        v.last().copied().unwrap_or(0.0)
    );
    (p50, p95)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(base), Some(url)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_search BASE_URL DATABASE_URL [REPS]");
        std::process::exit(2);
    };
    let reps: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("client");
    let conn = db::connect(url, 2).await.expect("database");
    let backend = conn.get_database_backend();

    let mut slowest: Vec<(f64, String)> = Vec::new();
    let mut all_indexed = Vec::new();
    let mut all_naive = Vec::new();
    let mut by_cat: Vec<(String, Vec<f64>, Vec<f64>)> = MIX
        .iter()
        .map(|(c, _)| (c.to_string(), Vec::new(), Vec::new()))
        .collect();
    for (email, label) in USERS {
        let res = http
            .post(format!("{base}/api/auth/login"))
            .form(&[("email", *email), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .expect("login");
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("daiko_session="))
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        let path: String = {
            let row = conn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    if backend == DbBackend::Postgres {
                        "SELECT c.path FROM customers c JOIN logins l ON l.customer_id = c.id WHERE l.email = $1"
                    } else {
                        "SELECT c.path FROM customers c JOIN logins l ON l.customer_id = c.id WHERE l.email = ?"
                    },
                    [Value::from(*email)],
                ))
                .await
                .expect("query")
                .expect("user");
            row.try_get("", "path").expect("path")
        };
        let scope = (*email != "honbu@example.jp").then(|| downline_bounds(&path));
        let mut user_idx = Vec::new();
        let mut hits_total = 0usize;
        for (ci, (_, queries)) in MIX.iter().enumerate() {
            for q in *queries {
                let url = format!("{base}/api/customers/search?q={}", enc(q));
                let mut this = Vec::new();
                for i in 0..=reps {
                    let t = Instant::now();
                    let res = http
                        .get(&url)
                        .header("cookie", &cookie)
                        .send()
                        .await
                        .expect("search");
                    assert!(res.status().is_success(), "{q}: {}", res.status());
                    let body = res.text().await.expect("body");
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    if i == 0 {
                        hits_total += body.matches("\"customer_code\"").count();
                        continue;
                    }
                    by_cat[ci].1.push(ms);
                    this.push(ms);
                    user_idx.push(ms);
                    all_indexed.push(ms);
                }
                this.sort_by(|a, b| a.total_cmp(b));
                slowest.push((pct(&this, 0.95), format!("{email} {q:?}")));
                // The naive scan: LIKE '%q%' over the normalised columns, same driver.
                let (cond, pat) = match phone_digits(q) {
                    Some(d) => ("phone_key LIKE ?".to_string(), vec![format!("%{d}%")]),
                    None => {
                        let k = text_key(q);
                        (
                            "(name_key LIKE ? OR kana_key LIKE ?)".to_string(),
                            vec![format!("%{k}%"), format!("%{k}%")],
                        )
                    }
                };
                let mut sql = format!("SELECT id FROM customers WHERE {cond}");
                let mut values: Vec<Value> = pat.into_iter().map(Value::from).collect();
                if let Some((lo, hi)) = &scope {
                    sql.push_str(" AND path > ? AND path < ?");
                    values.push(lo.clone().into());
                    values.push(hi.clone().into());
                }
                sql.push_str(" ORDER BY id LIMIT 51");
                if backend == DbBackend::Postgres {
                    let mut n = 0;
                    sql = sql
                        .chars()
                        .map(|c| {
                            if c == '?' {
                                n += 1;
                                format!("${n}")
                            } else {
                                c.to_string()
                            }
                        })
                        .collect();
                }
                for i in 0..=reps.min(5) {
                    let t = Instant::now();
                    conn.query_all_raw(Statement::from_sql_and_values(
                        backend,
                        &sql,
                        values.clone(),
                    ))
                    .await
                    .expect("naive");
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    if i > 0 {
                        by_cat[ci].2.push(ms);
                        all_naive.push(ms);
                    }
                }
            }
        }
        println!("== {label} {email}: {hits_total} hits on first pages");
        summary("索引検索", &mut user_idx);
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("== slowest queries (p95 of each)");
    for (ms, what) in slowest.iter().take(8) {
        println!("  {ms:>8.2} ms  {what}");
    }
    println!("== by query kind (all users): indexed search over HTTP / naive LIKE in SQL");
    for (cat, idx, naive) in &mut by_cat {
        let (_, p95) = summary(&format!("{cat} 索引"), idx);
        let (_, n95) = summary(&format!("{cat} LIKE"), naive);
        println!(
            "  {cat}: p95 ratio naive/indexed = {:.1}x",
            n95 / p95.max(0.001)
        );
    }
    println!("== overall");
    let (_, p95) = summary("索引検索", &mut all_indexed);
    let (_, n95) = summary("LIKE '%q%'", &mut all_naive);
    println!(
        "  p95 indexed {p95:.2} ms vs naive {n95:.2} ms: {:.1}x",
        n95 / p95.max(0.001)
    );
}
