//! Network tree benchmark (#11.4), run by scripts/bench-network.sh against a server loaded
//! with `daiko demo-data --customers N`.
//!
//! Times `GET /api/network/children` (one expand) over one keep-alive connection, so the
//! figure includes HTTP on loopback, for a mix of nodes picked from the data: the top level,
//! the widest nodes (first page and later pages with `after`), 販社 in the middle and the
//! deepest customers (leaves); as 全国販社 staff (everyone) and as 画面1 users
//! (ウルトラ販社: about half the network, 販社: a few). Each request `reps` times after one
//! warm-up. Target: p95 ≤ 20 ms.
//!
//! Usage: bench_network BASE_URL DATABASE_URL [REPS]
use std::time::Instant;

use app::server::{db, demo::DEMO_PASSWORD, network::downline_bounds};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};

const TARGET_P95_MS: f64 = 20.0;

const USERS: &[(&str, &str)] = &[
    ("honbu@example.jp", "全国販社（全員）"),
    ("ultra@example.jp", "ウルトラ販社（約半数）"),
    ("hansha@example.jp", "販社（数名）"),
];

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(label: &str, v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let (p50, p95, p99) = (pct(v, 0.5), pct(v, 0.95), pct(v, 0.99));
    println!(
        "  {label:<22} n={:<5} p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  p99 {p99:>7.2} ms  max {:>7.2} ms",
        v.len(),
        v.last().copied().unwrap_or(0.0)
    );
    p95
}

/// `?`-placeholder SQL for either backend.
fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let mut n = 0;
    let sql = if backend == DbBackend::Postgres {
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// お客様IDs from `sql` (selecting `customer_code`), inside `scope` (path bounds) when given;
/// `{scope}` in `sql` is replaced by the condition on `c.path`.
async fn codes(
    conn: &DatabaseConnection,
    sql: &str,
    scope: &Option<(String, String)>,
) -> Vec<String> {
    let backend = conn.get_database_backend();
    let (cond, values): (&str, Vec<Value>) = match scope {
        Some((lo, hi)) => (
            "c.path > ? AND c.path < ?",
            vec![lo.clone().into(), hi.clone().into()],
        ),
        None => ("1 = 1", vec![]),
    };
    let sql = sql.replace("{scope}", cond);
    conn.query_all_raw(stmt(backend, &sql, values))
        .await
        .expect("pick nodes")
        .into_iter()
        .map(|r| r.try_get("", "customer_code").expect("code"))
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(base), Some(url)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_network BASE_URL DATABASE_URL [REPS]");
        std::process::exit(2);
    };
    let reps: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("client");
    let conn = db::connect(url, 2).await.expect("database");
    let backend = conn.get_database_backend();
    let mut all = Vec::new();
    let mut slowest: Vec<(f64, String)> = Vec::new();
    let mut by_kind: Vec<(&str, Vec<f64>)> = Vec::new();
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
        let path: String = conn
            .query_one_raw(stmt(
                backend,
                "SELECT c.path FROM customers c JOIN logins l ON l.customer_id = c.id \
                 WHERE l.email = ?",
                vec![(*email).into()],
            ))
            .await
            .expect("query")
            .expect("user")
            .try_get("", "path")
            .expect("path");
        let scope = (*email != "honbu@example.jp").then(|| downline_bounds(&path));
        // Nodes in the user's scope, picked from the data once (these scans are not timed).
        let wide = codes(
            &conn,
            "SELECT c.customer_code FROM customers c JOIN \
             (SELECT upline_id, COUNT(*) AS n FROM customers GROUP BY upline_id) k \
             ON k.upline_id = c.id WHERE {scope} ORDER BY k.n DESC, c.customer_code LIMIT 4",
            &scope,
        )
        .await;
        let hansha = codes(
            &conn,
            "SELECT c.customer_code FROM customers c WHERE c.rank = 'hansha' AND {scope} \
             ORDER BY c.customer_code LIMIT 4",
            &scope,
        )
        .await;
        let deep = codes(
            &conn,
            "SELECT c.customer_code FROM customers c WHERE {scope} \
             ORDER BY length(c.path) DESC, c.customer_code LIMIT 4",
            &scope,
        )
        .await;
        let mut requests: Vec<(&str, String)> = vec![("最上位", String::new())];
        for c in &wide {
            requests.push(("幅広ノード 1ページ目", format!("of={c}")));
            // Later pages: follow `after` as 「さらに表示」 does.
            let mut after = None;
            for _ in 0..3 {
                let mut q = format!("/api/network/children?of={c}");
                if let Some(a) = &after {
                    q.push_str(&format!("&after={a}"));
                }
                let page: serde_json::Value = http
                    .get(format!("{base}{q}"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .expect("page")
                    .json()
                    .await
                    .expect("json");
                match page["next"].as_str() {
                    Some(n) => {
                        requests.push(("さらに表示 (after)", format!("of={c}&after={n}")));
                        after = Some(n.to_owned());
                    }
                    None => break,
                }
            }
        }
        for c in &hansha {
            requests.push(("販社", format!("of={c}")));
        }
        for c in &deep {
            requests.push(("深い末端", format!("of={c}")));
        }
        let mut user_times = Vec::new();
        for (kind, q) in &requests {
            let url = format!("{base}/api/network/children?{q}");
            let mut this = Vec::new();
            for i in 0..=reps {
                let t = Instant::now();
                let res = http
                    .get(&url)
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .expect("expand");
                assert!(res.status().is_success(), "{email} {q}: {}", res.status());
                let _ = res.bytes().await.expect("body");
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                if i == 0 {
                    continue;
                }
                this.push(ms);
            }
            user_times.extend(this.iter().copied());
            all.extend(this.iter().copied());
            match by_kind.iter_mut().find(|(k, _)| k == kind) {
                Some((_, v)) => v.extend(this.iter().copied()),
                None => by_kind.push((kind, this.clone())),
            }
            this.sort_by(|a, b| a.total_cmp(b));
            slowest.push((pct(&this, 0.95), format!("{email} {q}")));
        }
        println!(
            "== {label} {email}: {} nodes ({} wide, {} 販社, {} deep)",
            requests.len(),
            wide.len(),
            hansha.len(),
            deep.len()
        );
        summary("展開", &mut user_times);
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("== slowest expands (p95 of each)");
    for (ms, what) in slowest.iter().take(6) {
        println!("  {ms:>7.2} ms  {what}");
    }
    println!("== by node kind (all users)");
    for (kind, v) in &mut by_kind {
        summary(kind, v);
    }
    println!("== overall");
    let p95 = summary("展開 (GET children)", &mut all);
    println!(
        "  target p95 ≤ {TARGET_P95_MS} ms: {}",
        if p95 <= TARGET_P95_MS {
            "OK"
        } else {
            "NOT MET"
        }
    );
}
