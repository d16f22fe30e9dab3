//! The downline network view (#11.4): one level of the 上位店 tree at a time.
//!
//! An expand is one indexed lookup of the node by お客様ID (unique index) and one range of
//! `idx_customers_upline_code (upline_id, customer_code)` for its children, keyset-paged by
//! お客様ID: no recursive walk, so a node with thousands of direct children or a customer a
//! hundred levels down costs the same. Each child's "customers below" is the maintained
//! `downline_count` (see `server::network`), so nothing is counted per request.
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::customer_keys::stmt;
use super::customer_search::Scope;
use super::network::is_below;
use crate::customers::{NetworkNode, NetworkPage};
use crate::error::AppError;
use crate::model::Rank;

/// Children per page (a 「さらに表示」 fetches the next).
pub const PAGE_SIZE: usize = 100;

/// Whose children: the top of the network (customers with no upline), or one customer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parent {
    Top,
    Of(i64),
}

/// A node the caller asked to expand, as looked up by its お客様ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub id: i64,
    pub path: String,
}

/// Where a caller's tree starts: staff at the top of the network, a 画面1 user at themself
/// (their direct children are the first level shown).
pub fn start(scope: &Scope, me_id: i64) -> Parent {
    match scope {
        Scope::All => Parent::Top,
        Scope::DownlineOf { .. } => Parent::Of(me_id),
    }
}

/// Whether a caller with `scope` may expand the node at `path`: staff any node, a 画面1 user
/// themself (their own root) or anyone strictly below them.
pub fn may_expand(scope: &Scope, path: &str) -> bool {
    match scope {
        Scope::All => true,
        Scope::DownlineOf { path: mine } => {
            !mine.is_empty() && (mine == path || is_below(mine, path))
        }
    }
}

/// `of`: the お客様ID of the node to expand; empty or absent means the caller's start.
pub fn parse_of(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => crate::validation::customer_code(s).map(Some),
    }
}

/// `after`: the last お客様ID of the previous page, exactly as the server gave it.
pub fn parse_after(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(s.into())),
        Some(_) => Err(AppError::InvalidInput(
            "続きの指定（after）が正しくありません。画面を読み込み直してください。".into(),
        )),
    }
}

/// The customer with お客様ID `code`, if any.
pub async fn find<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<Found>, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(stmt(
            backend,
            "SELECT id, path FROM customers WHERE customer_code = ?",
            vec![code.into()],
        ))
        .await?;
    row.map(|r| {
        Ok(Found {
            id: r.try_get("", "id")?,
            path: r.try_get("", "path")?,
        })
    })
    .transpose()
}

/// One page of `parent`'s direct children in お客様ID order, after お客様ID `after`.
pub async fn children<C: ConnectionTrait>(
    conn: &C,
    parent: Parent,
    after: Option<&str>,
) -> Result<NetworkPage, DbErr> {
    let backend = conn.get_database_backend();
    let (cond, mut values): (&str, Vec<Value>) = match parent {
        Parent::Top => ("c.upline_id IS NULL", vec![]),
        Parent::Of(id) => ("c.upline_id = ?", vec![id.into()]),
    };
    values.push(after.unwrap_or("").into());
    values.push(((PAGE_SIZE + 1) as i64).into());
    let sql = format!(
        "SELECT c.customer_code, c.name, c.rank, c.downline_count, d.name AS division \
         FROM customers c LEFT JOIN sales_divisions d ON d.id = c.division_id \
         WHERE {cond} AND c.customer_code > ? ORDER BY c.customer_code LIMIT ?"
    );
    let rows = conn.query_all_raw(stmt(backend, &sql, values)).await?;
    let mut nodes = Vec::with_capacity(rows.len());
    for r in rows {
        let rank: String = r.try_get("", "rank")?;
        let below: i64 = r.try_get("", "downline_count")?;
        nodes.push(NetworkNode {
            customer_code: r.try_get("", "customer_code")?,
            name: r.try_get("", "name")?,
            rank: Rank::from_code(&rank)
                .map(|r| r.label().to_owned())
                .unwrap_or(rank),
            division: r.try_get("", "division")?,
            downline_count: below,
            has_children: below > 0,
        });
    }
    Ok(page(nodes))
}

/// Cuts the look-ahead row off: its presence says there is a next page.
fn page(mut nodes: Vec<NetworkNode>) -> NetworkPage {
    let more = nodes.len() > PAGE_SIZE;
    nodes.truncate(PAGE_SIZE);
    let next = more
        .then(|| nodes.last().map(|n| n.customer_code.clone()))
        .flatten();
    NetworkPage { nodes, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine() -> Scope {
        Scope::DownlineOf {
            path: "/1/10/".into(),
        }
    }

    #[test]
    fn staff_expand_anything_others_themselves_and_below() {
        assert!(may_expand(&Scope::All, "/1/"));
        assert!(may_expand(&Scope::All, "/2/9/"));
        assert!(may_expand(&mine(), "/1/10/"));
        assert!(may_expand(&mine(), "/1/10/20/30/"));
        for outside in ["/1/", "/1/11/", "/1/100/", "/2/10/", ""] {
            assert!(!may_expand(&mine(), outside), "{outside}");
        }
        // A customer caught outside the tree (empty path) sees nothing.
        let lost = Scope::DownlineOf { path: "".into() };
        assert!(!may_expand(&lost, ""));
    }

    #[test]
    fn starts() {
        assert_eq!(start(&Scope::All, 5), Parent::Top);
        assert_eq!(start(&mine(), 5), Parent::Of(5));
    }

    #[test]
    fn inputs() {
        assert_eq!(parse_of(None), Ok(None));
        assert_eq!(parse_of(Some(" ")), Ok(None));
        assert_eq!(
            parse_of(Some("１０００００１０")),
            Ok(Some("10000010".into()))
        );
        assert!(matches!(
            parse_of(Some("1234")),
            Err(AppError::InvalidInput(_))
        ));
        assert!(matches!(
            parse_of(Some("abc")),
            Err(AppError::InvalidInput(_))
        ));
        assert_eq!(parse_after(None), Ok(None));
        assert_eq!(parse_after(Some("")), Ok(None));
        assert_eq!(parse_after(Some("20000001")), Ok(Some("20000001".into())));
        for bad in ["2000000", "2000000x", "' OR 1=1", "200000011"] {
            assert!(
                matches!(parse_after(Some(bad)), Err(AppError::InvalidInput(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_look_ahead_row_makes_a_next_page() {
        let node = |i: usize| NetworkNode {
            customer_code: format!("{:08}", i),
            name: String::new(),
            rank: String::new(),
            division: None,
            downline_count: 0,
            has_children: false,
        };
        let full = page((0..=PAGE_SIZE).map(node).collect());
        assert_eq!(full.nodes.len(), PAGE_SIZE);
        assert_eq!(
            full.next.as_deref(),
            Some(format!("{:08}", PAGE_SIZE - 1).as_str())
        );
        let last = page((0..PAGE_SIZE).map(node).collect());
        assert_eq!(last.next, None);
    }
}
