//! The 受注管理 list: every order, filtered by status, JST date range and customer (お客様ID
//! exactly, or the 顧客検索 keys: 代理店名・カナ contain, 電話番号 starts/ends with), newest
//! first, keyset-paged on (ordered_at, id) so page N costs what page 1 does.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Cond, Expr, ExprTrait, Func, Order, Query as SqlQuery, SelectStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult};

use super::rules::parse_date;
use crate::domain::order_status::OrderStatus;
use crate::domain::time::{jst, jst_midnight};
use crate::error::AppError;
use crate::order_admin::{OrderFilter, OrderRow};
use crate::server::customer_search::{self, Query as Keys};
use crate::server::entities::{customers, orders};

/// Rows per page (and per CSV batch).
pub const PAGE_SIZE: u64 = 50;
/// The longest customer query accepted; a longer one is refused, not cut, so the staff
/// member knows the list is not what they typed.
pub const QUERY_MAX_CHARS: usize = 100;

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

/// Who the orders are for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Anyone,
    /// An 8-digit お客様ID.
    Code(String),
    Keys(Keys),
}

/// The filters, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<OrderStatus>,
    /// `[start, end)` in UTC from the JST dates.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub who: Who,
}

fn date(raw: &str, what: &str) -> Result<Option<NaiveDate>, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = parse_date(s)
        .filter(|d| (2000..=2099).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| {
            invalid(format!(
                "{what}は「2026-12-01」のように年-月-日で入力してください（2000年〜2099年）。"
            ))
        })?;
    Ok(Some(d))
}

/// Checks the filters; bad ones get a message naming the field.
pub fn parse(f: &OrderFilter) -> Result<Filter, AppError> {
    let status = match f.status.trim() {
        "" => None,
        s => Some(
            OrderStatus::from_code(s).ok_or_else(|| invalid("状態の指定が正しくありません。"))?,
        ),
    };
    let from = date(&f.from, "期間（開始日）")?;
    let to = date(&f.to, "期間（終了日）")?;
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(invalid("期間の開始日は終了日より前にしてください。"));
        }
    }
    let q = f.q.trim();
    if q.chars().count() > QUERY_MAX_CHARS {
        return Err(invalid(format!(
            "お客様の検索語は{QUERY_MAX_CHARS}文字以内で入力してください。"
        )));
    }
    let digits = crate::server::search_key::text_key(q);
    let who = if q.is_empty() {
        Who::Anyone
    } else if digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()) {
        Who::Code(digits)
    } else {
        Who::Keys(customer_search::parse(q))
    };
    Ok(Filter {
        status,
        start: from.map(jst_midnight),
        end: to.map(|d| jst_midnight(d + Duration::days(1))),
        who,
    })
}

/// Where the next page starts: the last row's `ordered_at` (ns: SQLite keeps what was written, PostgreSQL µs) and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at_nanos: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.at_nanos, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (a, b) = s.split_once('.')?;
        Some(Cursor {
            at_nanos: a.parse().ok()?,
            id: b.parse().ok()?,
        })
    }
}

/// One list row with the sort key.
pub struct Listed {
    pub row: OrderRow,
    pub cursor: Cursor,
}

fn contains_fn(backend: DbBackend) -> &'static str {
    if backend == DbBackend::Postgres {
        "strpos"
    } else {
        "instr"
    }
}

/// The customer condition; `None` when the query can match nobody (e.g. an e-mail address).
fn who_condition(who: &Who, backend: DbBackend) -> Option<Cond> {
    let c = |col: customers::Column| Expr::col((customers::Entity, col));
    Some(match who {
        Who::Anyone => Cond::all(),
        Who::Code(code) => Cond::all().add(c(customers::Column::CustomerCode).eq(code.as_str())),
        Who::Keys(Keys::Nothing) => return None,
        Who::Keys(Keys::Text(k)) => {
            let f = contains_fn(backend);
            let has = |col: &str| {
                Expr::expr(
                    Func::cust(Alias::new(f))
                        .arg(Expr::col((customers::Entity, Alias::new(col))))
                        .arg(k.clone()),
                )
                .gt(0)
            };
            Cond::any().add(has("name_key")).add(has("kana_key"))
        }
        Who::Keys(q @ (Keys::PhonePrefix(d) | Keys::PhoneSuffix(d))) => {
            let (col, prefix) = match q {
                Keys::PhonePrefix(_) => ("phone_key", d.clone()),
                _ => ("phone_rev", d.chars().rev().collect::<String>()),
            };
            // ':' follows '9': [prefix, prefix:) is every key starting with prefix.
            Cond::all()
                .add(Expr::col((customers::Entity, Alias::new(col))).gte(prefix.clone()))
                .add(Expr::col((customers::Entity, Alias::new(col))).lt(format!("{prefix}:")))
        }
    })
}

fn select(filter: &Filter, backend: DbBackend, after: Option<Cursor>) -> Option<SelectStatement> {
    let o = |col: orders::Column| Expr::col((orders::Entity, col));
    let mut q = SqlQuery::select();
    q.columns([
        (orders::Entity, orders::Column::Id),
        (orders::Entity, orders::Column::OrderNumber),
        (orders::Entity, orders::Column::OrderedAt),
        (orders::Entity, orders::Column::Status),
        (orders::Entity, orders::Column::ShippedOn),
        (orders::Entity, orders::Column::TrackingNumber),
        (orders::Entity, orders::Column::Subtotal10Yen),
        (orders::Entity, orders::Column::Tax10Yen),
        (orders::Entity, orders::Column::Subtotal8Yen),
        (orders::Entity, orders::Column::Tax8Yen),
        (orders::Entity, orders::Column::TotalYen),
    ])
    .column((customers::Entity, customers::Column::CustomerCode))
    .column((customers::Entity, customers::Column::Name))
    .expr_as(
        Expr::cust(
            "CAST(COALESCE((SELECT SUM(r.total_yen) FROM order_returns r \
             WHERE r.order_id = orders.id), 0) AS BIGINT)",
        ),
        Alias::new("returned_yen"),
    )
    .from(orders::Entity)
    .inner_join(
        customers::Entity,
        Expr::col((customers::Entity, customers::Column::Id))
            .equals((orders::Entity, orders::Column::CustomerId)),
    )
    .cond_where(who_condition(&filter.who, backend)?);
    if let Some(s) = filter.status {
        q.and_where(o(orders::Column::Status).eq(s));
    }
    if let Some(t) = filter.start {
        q.and_where(o(orders::Column::OrderedAt).gte(t));
    }
    if let Some(t) = filter.end {
        q.and_where(o(orders::Column::OrderedAt).lt(t));
    }
    if let Some(c) = after {
        let at = DateTime::from_timestamp_nanos(c.at_nanos);
        q.cond_where(
            Cond::any().add(o(orders::Column::OrderedAt).lt(at)).add(
                Cond::all()
                    .add(o(orders::Column::OrderedAt).eq(at))
                    .add(o(orders::Column::Id).lt(c.id)),
            ),
        );
    }
    q.order_by((orders::Entity, orders::Column::OrderedAt), Order::Desc)
        .order_by((orders::Entity, orders::Column::Id), Order::Desc)
        .limit(PAGE_SIZE + 1);
    Some(q.to_owned())
}

fn row(r: &QueryResult) -> Result<Listed, AppError> {
    let at: DateTime<Utc> = r.try_get("", "ordered_at")?;
    let status: String = r.try_get("", "status")?;
    let status = OrderStatus::from_code(&status).ok_or_else(|| {
        tracing::error!(%status, "unknown order status in the database");
        AppError::Internal
    })?;
    let s10: i64 = r.try_get("", "subtotal_10_yen")?;
    let s8: i64 = r.try_get("", "subtotal_8_yen")?;
    let t10: i64 = r.try_get("", "tax_10_yen")?;
    let t8: i64 = r.try_get("", "tax_8_yen")?;
    let shipped: Option<NaiveDate> = r.try_get("", "shipped_on")?;
    Ok(Listed {
        cursor: Cursor {
            at_nanos: at.timestamp_nanos_opt().unwrap_or_default(),
            id: r.try_get("", "id")?,
        },
        row: OrderRow {
            order_number: r.try_get("", "order_number")?,
            ordered_at: jst(at).format("%Y/%m/%d %H:%M").to_string(),
            customer_code: r.try_get("", "customer_code")?,
            customer_name: r.try_get("", "name")?,
            status_label: status.label().into(),
            status: status.code().into(),
            shipped_on: shipped.map(|d| d.format("%Y/%m/%d").to_string()),
            tracking_number: r.try_get("", "tracking_number")?,
            subtotal_yen: s10 + s8,
            tax_yen: t10 + t8,
            total_yen: r.try_get("", "total_yen")?,
            returned_yen: r.try_get("", "returned_yen")?,
        },
    })
}

/// One page of the list after `after`, and where the next page starts.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    filter: &Filter,
    after: Option<Cursor>,
) -> Result<(Vec<Listed>, Option<Cursor>), AppError> {
    let Some(q) = select(filter, db.get_database_backend(), after) else {
        return Ok((Vec::new(), None));
    };
    let rows = db.query_all(&q).await?;
    let mut out = rows.iter().map(row).collect::<Result<Vec<_>, _>>()?;
    let next = if out.len() as u64 > PAGE_SIZE {
        out.truncate(PAGE_SIZE as usize);
        out.last().map(|l| l.cursor)
    } else {
        None
    };
    Ok((out, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(status: &str, from: &str, to: &str, q: &str) -> OrderFilter {
        OrderFilter {
            status: status.into(),
            from: from.into(),
            to: to.into(),
            q: q.into(),
        }
    }

    #[test]
    fn filters_are_checked() {
        let p = parse(&f(
            "shipped",
            "2026-12-01",
            "2026-12-01",
            "１０００００３０",
        ))
        .unwrap();
        assert_eq!(p.status, Some(OrderStatus::Shipped));
        // One JST day: 2026-11-30T15:00Z to 2026-12-01T15:00Z.
        assert_eq!(p.start.unwrap().to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(p.end.unwrap().to_rfc3339(), "2026-12-01T15:00:00+00:00");
        assert_eq!(p.who, Who::Code("10000030".into()));
        assert!(matches!(
            parse(&f("", "", "", "やまだ")).unwrap().who,
            Who::Keys(Keys::Text(_))
        ));
        assert_eq!(parse(&f("", "", "", " ")).unwrap().who, Who::Anyone);
        assert!(parse(&f("lost", "", "", ""))
            .unwrap_err()
            .message()
            .contains("状態"));
        assert!(parse(&f("", "2026-13-01", "", ""))
            .unwrap_err()
            .message()
            .contains("開始日"));
        assert!(parse(&f("", "", "9999-01-01", ""))
            .unwrap_err()
            .message()
            .contains("終了日"));
        assert!(parse(&f("", "2026-12-02", "2026-12-01", ""))
            .unwrap_err()
            .message()
            .contains("前に"));
        let long = "あ".repeat(101);
        assert!(parse(&f("", "", "", &long))
            .unwrap_err()
            .message()
            .contains("100文字"));
    }

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            at_nanos: 1_764_000_000_123_456,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("x.1"), None);
        assert_eq!(Cursor::decode("1"), None);
    }
}
