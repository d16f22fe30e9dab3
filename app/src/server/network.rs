//! The customer network (上位店 tree) as a materialised path.
//!
//! Each customer's `path` lists the ids from the root down to itself: `/1/10/20/`. A strict
//! downline of `P` is every path that starts with `P` and is longer, which in byte order is
//! exactly the range `(P, P' )` where `P'` is `P` with its final `/` replaced by `0` (the next
//! byte). One B-tree range scan serves it on SQLite and PostgreSQL (the column is `COLLATE "C"`
//! there), so "everyone in X's downline" stays one indexed query at 1M customers.
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Statement, Value,
};

use super::entities::customers;
use sea_orm::sea_query::ExprTrait;

/// The operator printed as the issuer of every document: the first 全国販社 customer.
pub async fn issuer<C: ConnectionTrait>(db: &C) -> Result<Option<customers::Model>, DbErr> {
    customers::Entity::find()
        .filter(customers::Column::Rank.eq(crate::model::Rank::National))
        .order_by_asc(customers::Column::Id)
        .one(db)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("customer {0} does not exist")]
    UnknownCustomer(i64),
    /// The new upline is the customer itself or one of its own downline.
    #[error("customer {customer} cannot move under {upline}: that is in its own downline")]
    Cycle { customer: i64, upline: i64 },
}

/// Path of a customer with no upline.
pub fn root_path(id: i64) -> String {
    format!("/{id}/")
}

/// Path of customer `id` directly under the customer whose path is `parent_path`.
pub fn child_path(parent_path: &str, id: i64) -> String {
    format!("{parent_path}{id}/")
}

/// Exclusive bounds of the strict downline of `path`: every descendant `d` has `lo < d < hi`.
pub fn downline_bounds(path: &str) -> (String, String) {
    let stem = path.strip_suffix('/').unwrap_or(path);
    (path.to_owned(), format!("{stem}0"))
}

/// True when `path` lies strictly below `ancestor_path`.
pub fn is_below(ancestor_path: &str, path: &str) -> bool {
    !ancestor_path.is_empty() && path.len() > ancestor_path.len() && path.starts_with(ancestor_path)
}

/// `customers.path` condition selecting the strict downline of `path`.
pub fn downline_condition(path: &str) -> Condition {
    let (lo, hi) = downline_bounds(path);
    Condition::all()
        .add(customers::Column::Path.gt(lo))
        .add(customers::Column::Path.lt(hi))
}

/// `customers.path` condition selecting `path` itself and its downline.
pub fn self_and_downline_condition(path: &str) -> Condition {
    let (lo, hi) = downline_bounds(path);
    Condition::all()
        .add(customers::Column::Path.gte(lo))
        .add(customers::Column::Path.lt(hi))
}

/// Sets the path of a freshly inserted customer from its upline. Call in the inserting
/// transaction, after the row exists (the path contains the row's own id).
pub async fn assign_path<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    upline_id: Option<i64>,
) -> Result<String, NetworkError> {
    let path = match upline_id {
        None => root_path(id),
        Some(up) => {
            let parent = customers::Entity::find_by_id(up)
                .one(conn)
                .await?
                .ok_or(NetworkError::UnknownCustomer(up))?;
            child_path(&parent.path, id)
        }
    };
    customers::Entity::update_many()
        .col_expr(
            customers::Column::Path,
            sea_orm::sea_query::Expr::value(path.clone()),
        )
        .filter(customers::Column::Id.eq(id))
        .exec(conn)
        .await?;
    add_to_ancestors(conn, &path, 1).await?;
    Ok(path)
}

/// The ids strictly above the customer whose path is `path`, from the root down.
pub fn ancestors(path: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    ids.pop();
    ids
}

/// Adds `n` (negative: removes) to `downline_count` of every ancestor of `path`.
async fn add_to_ancestors<C: ConnectionTrait>(conn: &C, path: &str, n: i64) -> Result<(), DbErr> {
    let ids = ancestors(path);
    if ids.is_empty() || n == 0 {
        return Ok(());
    }
    customers::Entity::update_many()
        .col_expr(
            customers::Column::DownlineCount,
            sea_orm::sea_query::Expr::col(customers::Column::DownlineCount).add(n),
        )
        .filter(customers::Column::Id.is_in(ids))
        .exec(conn)
        .await?;
    Ok(())
}

/// Recomputes every path from `upline_id` in one statement: for bulk writes (import) that
/// may reorder the tree. Customers caught in a cycle (none reach a root) keep an empty path.
pub async fn rebuild_paths<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    conn.execute_unprepared(REBUILD_SQL).await?;
    conn.execute_unprepared(RECOUNT_SQL).await?;
    Ok(())
}

/// Recounts every `downline_count` from the paths (one range count per customer).
pub const RECOUNT_SQL: &str =
    "UPDATE customers SET downline_count = (SELECT COUNT(*) FROM customers d \
     WHERE d.path > customers.path \
     AND d.path < substr(customers.path, 1, length(customers.path) - 1) || '0')";

/// Shared with migration 000005, which runs the same walk once.
pub const REBUILD_SQL: &str = "WITH RECURSIVE t(id, path) AS ( \
       SELECT id, '/' || CAST(id AS TEXT) || '/' FROM customers WHERE upline_id IS NULL \
       UNION ALL \
       SELECT c.id, t.path || CAST(c.id AS TEXT) || '/' FROM customers c JOIN t ON c.upline_id = t.id \
     ) \
     UPDATE customers SET path = COALESCE((SELECT t.path FROM t WHERE t.id = customers.id), '')";

/// Whether customer `id` is strictly in `ancestor_id`'s downline.
pub async fn is_in_downline<C: ConnectionTrait>(
    conn: &C,
    ancestor_id: i64,
    id: i64,
) -> Result<bool, DbErr> {
    let (Some(a), Some(c)) = (
        customers::Entity::find_by_id(ancestor_id).one(conn).await?,
        customers::Entity::find_by_id(id).one(conn).await?,
    ) else {
        return Ok(false);
    };
    Ok(is_below(&a.path, &c.path))
}

/// Moves `id` (with its whole downline) under `new_upline` (`None`: to the top). One UPDATE
/// rewrites the subtree's paths; refuses a move into the customer's own downline.
pub async fn move_subtree<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    new_upline: Option<i64>,
) -> Result<(), NetworkError> {
    let me = customers::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(NetworkError::UnknownCustomer(id))?;
    let new_path = match new_upline {
        None => root_path(id),
        Some(up) => {
            let parent = customers::Entity::find_by_id(up)
                .one(conn)
                .await?
                .ok_or(NetworkError::UnknownCustomer(up))?;
            if up == id || is_below(&me.path, &parent.path) {
                return Err(NetworkError::Cycle {
                    customer: id,
                    upline: up,
                });
            }
            child_path(&parent.path, id)
        }
    };
    customers::Entity::update_many()
        .col_expr(
            customers::Column::UplineId,
            sea_orm::sea_query::Expr::value(new_upline),
        )
        .filter(customers::Column::Id.eq(id))
        .exec(conn)
        .await?;
    let old = me.path;
    // The moved subtree (the customer and its downline) leaves its old ancestors' counts
    // and joins the new ones'.
    let size = 1 + me.downline_count;
    add_to_ancestors(conn, &old, -size).await?;
    add_to_ancestors(conn, &new_path, size).await?;
    let (lo, hi) = downline_bounds(&old);
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE customers SET path = $1 || substr(path, CAST($2 AS INTEGER)) \
             WHERE path >= $3 AND path < $4"
        }
        _ => "UPDATE customers SET path = ? || substr(path, CAST(? AS INTEGER)) WHERE path >= ? AND path < ?",
    };
    let start = i32::try_from(old.len() + 1).unwrap_or(i32::MAX);
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [
            Value::from(new_path),
            Value::from(start),
            Value::from(lo),
            Value::from(hi),
        ],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_select_descendants_only() {
        let p = "/1/10/";
        let (lo, hi) = downline_bounds(p);
        let inside = ["/1/10/20/", "/1/10/99999/3/"];
        let outside = ["/1/10/", "/1/100/", "/1/101/", "/1/1/", "/1/", "/2/10/20/"];
        for d in inside {
            assert!(lo.as_str() < d && d < hi.as_str(), "{d} should be inside");
            assert!(is_below(p, d));
        }
        for d in outside {
            assert!(
                !(lo.as_str() < d && d < hi.as_str()),
                "{d} should be outside"
            );
            assert!(!is_below(p, d));
        }
    }

    #[test]
    fn ancestors_exclude_the_customer() {
        assert_eq!(ancestors("/1/10/20/"), vec![1, 10]);
        assert!(ancestors("/7/").is_empty());
    }

    #[test]
    fn child_paths_extend_the_parent() {
        assert_eq!(root_path(7), "/7/");
        assert_eq!(child_path("/7/", 12), "/7/12/");
    }
}
