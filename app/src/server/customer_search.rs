//! Customer search (R4): by 代理店名, カナ or 電話番号, never by e-mail.
//!
//! What a query means ([`parse`]):
//! - containing `@` (an e-mail address): nothing. E-mail is not a key.
//! - digits and phone punctuation only (full-width, hyphens, `+81`): a phone number. Exactly
//!   4 digits, or digits not starting with 0, match the END of the number (下4桁); otherwise
//!   the START ("090-12", "03"). Phone results are in phone-number order.
//! - anything else: its `text_key` must occur anywhere in the name's or the kana's key.
//!   Text results are in お客様 order (id).
//!
//! How it stays fast at 1M customers (see ANCHORS.md):
//! - 1–2-character text: one B-tree range of `customer_grams` (gram, customer_id), already in
//!   id order, so `LIMIT` stops after one page.
//! - longer text: the rarest of the query's 2-grams (each counted with a cap) drives the scan;
//!   each candidate is verified with `instr`/`strpos` on the key columns.
//! - phone: B-tree prefix range on `phone_key`, or on `phone_rev` for a suffix.
//! - a customer's own search is limited to its downline. A small downline (counted with a cap)
//!   is read whole through the `path` index and matched here; a large one adds the `path`
//!   range to the plans above.
//!
//! SQL is written per query shape with ranges (never `LIKE ?`), so a PostgreSQL generic plan
//! for a cached prepared statement is still an index plan.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::customer_keys::stmt;
use super::network::downline_bounds;
use super::search_key::{phone_digits, text_key};
use crate::customers::{may_search, CustomerHit};
use crate::model::Rank;

/// Results per page.
pub const PAGE_SIZE: usize = 50;
/// Longest query considered (characters); a longer one is cut.
pub const MAX_QUERY_CHARS: usize = 100;
/// Downlines up to this size are read whole and matched in Rust.
const SMALL_DOWNLINE: i64 = 3000;
/// Gram postings are counted up to this many when choosing the rarest.
const COUNT_CAP: i64 = 2000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Empty, only punctuation, or an e-mail address.
    Nothing,
    /// A `text_key`, found anywhere in the name or kana key.
    Text(String),
    /// National digits the number starts with.
    PhonePrefix(String),
    /// Digits the number ends with.
    PhoneSuffix(String),
}

pub fn parse(raw: &str) -> Query {
    let raw: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let key = text_key(&raw);
    // NFKC in text_key is not applied to '@' checks: look at both forms (＠ too).
    if raw.contains('@') || raw.contains('＠') {
        return Query::Nothing;
    }
    if let Some(d) = phone_digits(&raw) {
        return if d.len() == 4 || !d.starts_with('0') {
            Query::PhoneSuffix(d)
        } else {
            Query::PhonePrefix(d)
        };
    }
    if key.is_empty() {
        Query::Nothing
    } else {
        Query::Text(key)
    }
}

/// Who is searching: 全国販社 staff see everyone, anyone else their strict downline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    DownlineOf { path: String },
}

/// Who may search, and whom: 全国販社 staff everyone; 画面1 users (会員登録あり 販社 and
/// above, R6) their strict downline. Everyone else works on 画面2, which has no マスタメンテ:
/// `None`. Only the rank and flag decide, so the rule is the same for the page and the API.
pub fn scope_for(me: &super::entities::customers::Model) -> Option<Scope> {
    let rank = me.rank;
    if rank == Rank::National {
        return Some(Scope::All);
    }
    may_search(rank, me.can_register).then(|| Scope::DownlineOf {
        path: me.path.clone(),
    })
}

/// Where the next page starts: the last row's sort key and id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (key, id) = s.rsplit_once('.')?;
        Some(Cursor {
            key: key.to_owned(),
            id: id.parse().ok()?,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub ids: Vec<i64>,
    pub next: Option<Cursor>,
}

/// One candidate row's keys, for matching and ordering in Rust.
struct Row {
    id: i64,
    name: String,
    kana: String,
    phone: String,
    phone_rev: String,
}

impl Query {
    fn matches(&self, r: &Row) -> bool {
        match self {
            Query::Nothing => false,
            Query::Text(k) => r.name.contains(k.as_str()) || r.kana.contains(k.as_str()),
            Query::PhonePrefix(d) => r.phone.starts_with(d.as_str()),
            Query::PhoneSuffix(d) => !r.phone.is_empty() && r.phone.ends_with(d.as_str()),
        }
    }

    /// The part of the sort key before the id.
    fn sort_key(&self, r: &Row) -> String {
        match self {
            Query::PhonePrefix(_) => r.phone.clone(),
            Query::PhoneSuffix(_) => r.phone_rev.clone(),
            _ => String::new(),
        }
    }
}

/// `instr` is SQLite's, `strpos` PostgreSQL's.
fn contains_fn(backend: DbBackend) -> &'static str {
    if backend == DbBackend::Postgres {
        "strpos"
    } else {
        "instr"
    }
}

/// One page of matching customer ids in display order.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    query: &Query,
    scope: &Scope,
    after: Option<&Cursor>,
) -> Result<Found, DbErr> {
    if *query == Query::Nothing {
        return Ok(Found::default());
    }
    let start = after.cloned().unwrap_or_default();
    let bounds = match scope {
        Scope::All => None,
        Scope::DownlineOf { path } => {
            let (lo, hi) = downline_bounds(path);
            let (lo, hi) = (path_literal(&lo)?, path_literal(&hi)?);
            if downline_size(conn, &lo, &hi).await? <= SMALL_DOWNLINE {
                return search_small(conn, query, &lo, &hi, &start).await;
            }
            Some((lo, hi))
        }
    };
    let backend = conn.get_database_backend();
    let limit = (PAGE_SIZE + 1) as i64;
    let (sql, mut values): (String, Vec<Value>) = match query {
        Query::Nothing => unreachable!("handled above"),
        Query::Text(k) if k.chars().count() <= 2 && bounds.is_none() => (
            "SELECT customer_id AS id, '' AS k FROM customer_grams \
             WHERE gram = ? AND customer_id > ? ORDER BY customer_id LIMIT ?"
                .into(),
            vec![k.clone().into(), start.id.into()],
        ),
        Query::Text(k) => {
            let grams = rarest_grams(conn, k).await?;
            let gram = grams.first().cloned().unwrap_or_else(|| k.clone());
            // The posting list in id order, fenced (OFFSET 0) so that PostgreSQL walks it and
            // stops at a page instead of collecting every candidate and sorting: its estimate
            // of how many candidates survive is often far too low.
            // (SQLite flattens the subquery back into the join its CROSS JOIN already orders.)
            let fence = if backend == DbBackend::Postgres {
                "ORDER BY customer_id OFFSET 0"
            } else {
                ""
            };
            let mut sql = format!(
                "SELECT g.customer_id AS id, '' AS k FROM \
                 (SELECT customer_id FROM customer_grams WHERE gram = ? AND customer_id > ? \
                  {fence}) g \
                 CROSS JOIN customers c WHERE c.id = g.customer_id"
            );
            let mut values: Vec<Value> = vec![gram.clone().into(), start.id.into()];
            // The next rarest grams as index probes first: cheaper than reading the row.
            for other in grams.iter().skip(1).take(2) {
                sql.push_str(
                    " AND EXISTS (SELECT 1 FROM customer_grams h \
                     WHERE h.gram = ? AND h.customer_id = g.customer_id)",
                );
                values.push(other.clone().into());
            }
            if gram != *k {
                let f = contains_fn(backend);
                sql.push_str(&format!(
                    " AND ({f}(c.name_key, ?) > 0 OR {f}(c.kana_key, ?) > 0)"
                ));
                values.push(k.clone().into());
                values.push(k.clone().into());
            }
            if let Some((lo, hi)) = &bounds {
                sql.push_str(&format!(" AND c.path > {lo} AND c.path < {hi}"));
            }
            sql.push_str(" ORDER BY g.customer_id LIMIT ?");
            (sql, values)
        }
        Query::PhonePrefix(d) | Query::PhoneSuffix(d) => {
            let (col, prefix) = match query {
                Query::PhonePrefix(_) => ("phone_key", d.clone()),
                _ => ("phone_rev", d.chars().rev().collect::<String>()),
            };
            // ':' follows '9': [prefix, prefix:) is every key starting with prefix.
            let mut sql = format!(
                "SELECT id, {col} AS k FROM customers WHERE {col} >= ? AND {col} < ? \
                 AND ({col} > ? OR ({col} = ? AND id > ?))"
            );
            let values: Vec<Value> = vec![
                prefix.clone().into(),
                format!("{prefix}:").into(),
                start.key.clone().into(),
                start.key.clone().into(),
                start.id.into(),
            ];
            if let Some((lo, hi)) = &bounds {
                sql.push_str(&format!(" AND path > {lo} AND path < {hi}"));
            }
            sql.push_str(&format!(" ORDER BY {col}, id LIMIT ?"));
            (sql, values)
        }
    };
    values.push(limit.into());
    let rows = conn.query_all_raw(stmt(backend, &sql, values)).await?;
    let mut page = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("", "id")?;
        let k: String = r.try_get("", "k")?;
        page.push((k, id));
    }
    Ok(paginate(page))
}

fn paginate(mut page: Vec<(String, i64)>) -> Found {
    let more = page.len() > PAGE_SIZE;
    page.truncate(PAGE_SIZE);
    let next = if more {
        page.last().map(|(k, id)| Cursor {
            key: k.clone(),
            id: *id,
        })
    } else {
        None
    };
    Found {
        ids: page.into_iter().map(|(_, id)| id).collect(),
        next,
    }
}

/// A path bound as an SQL literal. The bounds go into the SQL text, not parameters: a
/// PostgreSQL generic plan for a cached statement would otherwise guess the downline's size
/// (0.5% of the table) instead of knowing it, and could scan a million-row downline by path
/// when the gram index is the way. Paths are ids and slashes only, checked here.
fn path_literal(bound: &str) -> Result<String, DbErr> {
    if bound.chars().all(|c| c.is_ascii_digit() || c == '/') {
        Ok(format!("'{bound}'"))
    } else {
        Err(DbErr::Custom(format!("unexpected customer path {bound:?}")))
    }
}

/// `lo` and `hi` are SQL literals from [`path_literal`].
async fn downline_size<C: ConnectionTrait>(conn: &C, lo: &str, hi: &str) -> Result<i64, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(stmt(
            backend,
            &format!(
                "SELECT COUNT(*) AS n FROM \
                 (SELECT 1 AS x FROM customers WHERE path > {lo} AND path < {hi} LIMIT ?) t"
            ),
            vec![(SMALL_DOWNLINE + 1).into()],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

/// A small downline: read it whole through the path index, match and order here.
/// `lo` and `hi` are SQL literals from [`path_literal`].
async fn search_small<C: ConnectionTrait>(
    conn: &C,
    query: &Query,
    lo: &str,
    hi: &str,
    start: &Cursor,
) -> Result<Found, DbErr> {
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(stmt(
            backend,
            &format!(
                "SELECT id, name_key, kana_key, phone_key, phone_rev FROM customers \
                 WHERE path > {lo} AND path < {hi}"
            ),
            vec![],
        ))
        .await?;
    let mut hits = Vec::new();
    for r in rows {
        let row = Row {
            id: r.try_get("", "id")?,
            name: r.try_get("", "name_key")?,
            kana: r.try_get("", "kana_key")?,
            phone: r.try_get("", "phone_key")?,
            phone_rev: r.try_get("", "phone_rev")?,
        };
        if query.matches(&row) {
            let k = query.sort_key(&row);
            if (k.as_str(), row.id) > (start.key.as_str(), start.id) {
                hits.push((k, row.id));
            }
        }
    }
    hits.sort();
    hits.truncate(PAGE_SIZE + 1);
    Ok(paginate(hits))
}

/// The distinct 2-grams of `key` (or `key` itself when shorter), fewest customers first
/// (each counted up to a cap). A gram nobody has comes alone: nothing can match.
async fn rarest_grams<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Vec<String>, DbErr> {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 2 {
        return Ok(vec![key.to_owned()]);
    }
    let backend = conn.get_database_backend();
    let mut grams: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    grams.sort();
    grams.dedup();
    let mut counted = Vec::with_capacity(grams.len());
    for g in grams {
        let row = conn
            .query_one_raw(stmt(
                backend,
                "SELECT COUNT(*) AS n FROM \
                 (SELECT 1 AS x FROM customer_grams WHERE gram = ? LIMIT ?) t",
                vec![g.clone().into(), COUNT_CAP.into()],
            ))
            .await?;
        let n: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if n == 0 {
            return Ok(vec![g]);
        }
        counted.push((n, g));
    }
    counted.sort();
    Ok(counted.into_iter().map(|(_, g)| g).collect())
}

/// The rows shown for `ids`, in that order. E-mail is not read at all.
pub async fn hits<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<CustomerHit>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.get_database_backend();
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT c.id, c.customer_code, c.name, c.kana, c.phone, c.rank, d.name AS division, \
         u.customer_code AS upline_code, u.name AS upline_name \
         FROM customers c \
         LEFT JOIN sales_divisions d ON d.id = c.division_id \
         LEFT JOIN customers u ON u.id = c.upline_id \
         WHERE c.id IN ({marks})"
    );
    let rows = conn
        .query_all_raw(stmt(
            backend,
            &sql,
            ids.iter().map(|i| Value::from(*i)).collect(),
        ))
        .await?;
    let mut by_id = HashMap::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("", "id")?;
        let rank: String = r.try_get("", "rank")?;
        by_id.insert(
            id,
            CustomerHit {
                customer_code: r.try_get("", "customer_code")?,
                name: r.try_get("", "name")?,
                kana: r.try_get("", "kana")?,
                phone: r.try_get("", "phone")?,
                rank: Rank::from_code(&rank)
                    .map(|r| r.label().to_owned())
                    .unwrap_or(rank),
                division: r.try_get("", "division")?,
                upline_code: r.try_get("", "upline_code")?,
                upline_name: r.try_get("", "upline_name")?,
            },
        );
    }
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_query_means() {
        let text = |s: &str| Query::Text(s.into());
        assert_eq!(parse(""), Query::Nothing);
        assert_eq!(parse("  ・ "), Query::Nothing);
        assert_eq!(parse("taro@example.jp"), Query::Nothing);
        assert_eq!(parse("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"), Query::Nothing);
        assert_eq!(parse("やまだ"), text("ヤマダ"));
        assert_eq!(parse("ﾔﾏ"), text("ヤマ"));
        assert_eq!(parse("山"), text("山"));
        assert_eq!(parse("山田 太郎"), text("山田太郎"));
        assert_eq!(parse("090-1234"), Query::PhonePrefix("0901234".into()));
        assert_eq!(parse("０３"), Query::PhonePrefix("03".into()));
        assert_eq!(
            parse("+81 90 1234 5678"),
            Query::PhonePrefix("09012345678".into())
        );
        assert_eq!(parse("5678"), Query::PhoneSuffix("5678".into()));
        assert_eq!(parse("0123"), Query::PhoneSuffix("0123".into()));
        assert_eq!(parse("78"), Query::PhoneSuffix("78".into()));
    }

    #[test]
    fn path_bounds_are_safe_literals() {
        assert_eq!(path_literal("/1/20").unwrap(), "'/1/20'");
        assert!(path_literal("/1/' OR 1=1 --").is_err());
    }

    #[test]
    fn cursors_round_trip() {
        for c in [
            Cursor::default(),
            Cursor {
                key: "09012".into(),
                id: 42,
            },
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("x"), None);
        assert_eq!(Cursor::decode("1.x"), None);
    }

    #[test]
    fn rust_matching_agrees_with_the_rules() {
        let r = Row {
            id: 1,
            name: "山田太郎".into(),
            kana: "ヤマダタロウ".into(),
            phone: "09012345678".into(),
            phone_rev: "87654321090".into(),
        };
        assert!(parse("田").matches(&r));
        assert!(parse("たろ").matches(&r));
        assert!(parse("090-12").matches(&r));
        assert!(parse("5678").matches(&r));
        assert!(!parse("1234").matches(&r));
        assert!(!parse("taro@example.jp").matches(&r));
        let none = Row {
            phone: String::new(),
            phone_rev: String::new(),
            ..r
        };
        assert!(!parse("78").matches(&none));
    }
}
