//! Search keys of a customer (R4). Every write of a customer's name, kana or phone calls
//! [`refresh`] in the same transaction, so search never sees stale keys.
//!
//! The keys live beside the row (`customers.name_key`, `kana_key`, `phone_key`, `phone_rev`,
//! migration 000006) and in `customer_grams`, every distinct 1- and 2-character substring of
//! the name and kana keys. `keys_version` says which normalisation produced them: rows with
//! an older version (0 = never) are refreshed by [`backfill`] after migrating.
use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

use super::search_key::{phone_key, text_key};

/// Bump when `search_key` changes in a way that changes stored keys: the next start
/// recomputes every row.
pub const KEYS_VERSION: i32 = 1;

/// The keys of one customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub name: String,
    pub kana: String,
    /// National digits, "" when the customer has no (valid) phone.
    pub phone: String,
    /// `phone` reversed: a suffix search is a prefix range on this.
    pub phone_rev: String,
}

impl Keys {
    pub fn of(name: &str, kana: &str, phone: Option<&str>) -> Keys {
        let phone = phone.and_then(phone_key).unwrap_or_default();
        Keys {
            name: text_key(name),
            kana: text_key(kana),
            phone_rev: phone.chars().rev().collect(),
            phone,
        }
    }

    /// Every distinct 1- and 2-character substring of the name and kana keys.
    pub fn grams(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for key in [&self.name, &self.kana] {
            let chars: Vec<char> = key.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                out.insert(c.to_string());
                if let Some(d) = chars.get(i + 1) {
                    out.insert([*c, *d].iter().collect());
                }
            }
        }
        out
    }
}

/// `?` placeholders as the backend wants them (`$1`, `$2`… on PostgreSQL).
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Recomputes the search keys of customer `id`: the key columns, and the gram rows that
/// changed (the old grams are derived from the old key columns, so no index on
/// `customer_grams.customer_id` is needed).
pub async fn refresh<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let Some(row) = conn
        .query_one_raw(stmt(
            backend,
            "SELECT name, kana, phone, name_key, kana_key FROM customers WHERE id = ?",
            vec![id.into()],
        ))
        .await?
    else {
        return Ok(());
    };
    let name: String = row.try_get("", "name")?;
    let kana: String = row.try_get("", "kana")?;
    let phone: Option<String> = row.try_get("", "phone")?;
    let old = Keys {
        name: row.try_get("", "name_key")?,
        kana: row.try_get("", "kana_key")?,
        phone: String::new(),
        phone_rev: String::new(),
    };
    let new = Keys::of(&name, &kana, phone.as_deref());
    let (old_grams, new_grams) = (old.grams(), new.grams());
    for g in old_grams.difference(&new_grams) {
        conn.execute_raw(stmt(
            backend,
            "DELETE FROM customer_grams WHERE gram = ? AND customer_id = ?",
            vec![g.clone().into(), id.into()],
        ))
        .await?;
    }
    let added: Vec<&String> = new_grams.difference(&old_grams).collect();
    insert_grams(conn, added.iter().map(|g| (g.as_str(), id))).await?;
    conn.execute_raw(stmt(
        backend,
        "UPDATE customers SET name_key = ?, kana_key = ?, phone_key = ?, phone_rev = ?, \
         keys_version = ? WHERE id = ?",
        vec![
            new.name.into(),
            new.kana.into(),
            new.phone.into(),
            new.phone_rev.into(),
            KEYS_VERSION.into(),
            id.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Inserts gram rows in multi-row statements (bulk loads call this with millions).
pub async fn insert_grams<'a, C: ConnectionTrait>(
    conn: &C,
    rows: impl Iterator<Item = (&'a str, i64)>,
) -> Result<(), DbErr> {
    // SQLite allows 32766 bound parameters; 2 per row.
    const CHUNK: usize = 2000;
    let backend = conn.get_database_backend();
    let mut batch: Vec<Value> = Vec::with_capacity(CHUNK * 2);
    let flush = |batch: Vec<Value>| {
        let n = batch.len() / 2;
        let mut sql = String::from("INSERT INTO customer_grams (gram, customer_id) VALUES ");
        for i in 0..n {
            sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
        }
        stmt(backend, &sql, batch)
    };
    for (g, id) in rows {
        batch.push(g.into());
        batch.push(id.into());
        if batch.len() == CHUNK * 2 {
            conn.execute_raw(flush(std::mem::take(&mut batch))).await?;
        }
    }
    if !batch.is_empty() {
        conn.execute_raw(flush(batch)).await?;
    }
    Ok(())
}

/// Fills the keys of every row whose keys are missing or from an older normalisation.
/// Runs after migrating; a no-op (one indexed-free scan of a small column) once done.
pub async fn backfill<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    let backend = conn.get_database_backend();
    let mut done = 0;
    loop {
        let rows = conn
            .query_all_raw(stmt(
                backend,
                "SELECT id FROM customers WHERE keys_version <> ? ORDER BY id LIMIT 1000",
                vec![KEYS_VERSION.into()],
            ))
            .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            if done == 0 {
                tracing::info!("filling customer search keys");
            }
            refresh(conn, id).await?;
            done += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_grams() {
        let k = Keys::of("山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", Some("090-1234-5678"));
        assert_eq!(k.name, "山田太郎");
        assert_eq!(k.kana, "ヤマダタロウ");
        assert_eq!(k.phone, "09012345678");
        assert_eq!(k.phone_rev, "87654321090");
        let g = k.grams();
        for want in ["山", "山田", "田太", "郎", "ヤ", "ヤマ", "ロウ", "ウ"] {
            assert!(g.contains(want), "{want}");
        }
        assert!(!g.contains("山田太"));
        assert_eq!(g.len(), 4 + 3 + 6 + 5);
    }

    #[test]
    fn no_phone_no_phone_key() {
        let k = Keys::of("a", "b", Some("not a phone"));
        assert_eq!((k.phone.as_str(), k.phone_rev.as_str()), ("", ""));
        assert_eq!(Keys::of("a", "b", None).phone, "");
    }

    #[test]
    fn placeholders_per_backend() {
        let s = stmt(
            DbBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(s.sql, "a = $1 AND b = $2");
        let s = stmt(DbBackend::Sqlite, "a = ?", vec![1.into()]);
        assert_eq!(s.sql, "a = ?");
    }
}
