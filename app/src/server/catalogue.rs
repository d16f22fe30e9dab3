//! Products (R8): search for the 画面1 type-ahead, the 画面2 picture catalogue, and the
//! staff's product maintenance. Names are found through `name_key` (the folded name and
//! kana, see `search_key::text_key`), codes by prefix.
use super::entities::products;
use super::search_key::text_key;
use super::{audit, state::AppState};
use crate::error::AppError;
use crate::orders::{normalise_code, ProductView};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

/// Type-ahead answers at most this many products.
pub const SEARCH_LIMIT: u64 = 20;
pub const PRICE_MAX: i64 = 10_000_000;

pub fn view(p: products::Model) -> ProductView {
    ProductView {
        code: p.code,
        name: p.name,
        kana: p.kana,
        price_yen: p.price_yen,
        tax_rate_percent: p.tax_rate_percent,
        picture: p.picture,
        active: p.active,
    }
}

/// The stored search key of a product: name and kana folded, apart, so a query never
/// matches across the two.
pub fn name_key(name: &str, kana: &str) -> String {
    format!("{} {}", text_key(name), text_key(kana))
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Products whose code starts with what was typed or, when no code does, whose name or kana
/// contains it. `include_inactive` is for staff; customers only ever see active products.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    query: &str,
    include_inactive: bool,
    limit: u64,
) -> Result<Vec<products::Model>, AppError> {
    let q: String = query.chars().take(100).collect();
    if let Some(code) = normalise_code(&q) {
        let by_code = find(
            db,
            code_prefix(db.get_database_backend(), &code),
            include_inactive,
            limit,
        )
        .await?;
        if !by_code.is_empty() {
            return Ok(by_code);
        }
    }
    let key = text_key(&q);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let by_name = Expr::col(products::Column::NameKey)
        .like(LikeExpr::new(format!("%{}%", escape_like(&key))).escape('\\'));
    find(db, Condition::all().add(by_name), include_inactive, limit).await
}

/// `code` starts with `prefix`, answered from the code index: GLOB on SQLite (LIKE there
/// ignores case and skips the index), LIKE in the C collation of the index on PostgreSQL.
/// `prefix` comes from `normalise_code`: only A–Z, 0–9 and `-`, nothing to escape.
fn code_prefix(backend: DatabaseBackend, prefix: &str) -> Condition {
    debug_assert!(prefix
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'));
    let sql = match backend {
        DatabaseBackend::Postgres => format!(r#"code COLLATE "C" LIKE '{prefix}%'"#),
        _ => format!("code GLOB '{prefix}*'"),
    };
    Condition::all().add(Expr::cust(sql))
}

async fn find<C: ConnectionTrait>(
    db: &C,
    cond: Condition,
    include_inactive: bool,
    limit: u64,
) -> Result<Vec<products::Model>, AppError> {
    let mut find = products::Entity::find().filter(cond);
    if !include_inactive {
        find = find.filter(products::Column::Active.eq(true));
    }
    Ok(find
        .order_by_asc(products::Column::Code)
        .limit(limit)
        .all(db)
        .await?)
}

/// Every active product, for the picture catalogue.
pub async fn active<C: ConnectionTrait>(db: &C) -> Result<Vec<products::Model>, AppError> {
    Ok(products::Entity::find()
        .filter(products::Column::Active.eq(true))
        .order_by_asc(products::Column::Code)
        .all(db)
        .await?)
}

/// The signed-in 全国販社 staff member; anyone else gets 403 and an audit entry.
pub async fn staff(st: &AppState, token: Option<&str>, what: &str) -> Result<i64, AppError> {
    let detail = json!({ "action": what });
    let c = super::signed_in::staff(st, token, "forbidden_staff_products", detail).await?;
    Ok(c.id)
}

/// A product as staff typed it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductInput {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub price_yen: i64,
    pub tax_rate_percent: i32,
    pub picture: Option<String>,
    pub active: bool,
}

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::InvalidInput(msg.into())
}

impl ProductInput {
    pub fn parse(
        code: &str,
        name: &str,
        kana: &str,
        price_yen: &str,
        tax_rate_percent: &str,
        picture: &str,
        active: bool,
    ) -> Result<ProductInput, AppError> {
        let code = normalise_code(code).ok_or_else(|| {
            invalid("商品コードは半角英大文字・数字・ハイフンの20文字以内で入力してください（例: A-1001）。")
        })?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(invalid("商品名は1〜100文字で入力してください。"));
        }
        let kana = kana.trim();
        if kana.is_empty() || kana.chars().count() > 100 || kana.chars().any(char::is_control) {
            return Err(invalid("商品名のカナは1〜100文字で入力してください。"));
        }
        let price: String = price_yen
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | '¥' | '円'))
            .collect();
        let price = price
            .parse::<i64>()
            .ok()
            .filter(|p| (0..=PRICE_MAX).contains(p))
            .ok_or_else(|| invalid("価格（税抜）は0〜10,000,000円の整数で入力してください。"))?;
        let tax_rate_percent = match tax_rate_percent.trim() {
            "10" => 10,
            "8" => 8,
            _ => {
                return Err(invalid(
                    "消費税率は10%または8%（軽減税率）を選んでください。",
                ))
            }
        };
        let picture = picture.trim();
        let picture = if picture.is_empty() {
            None
        } else if picture.starts_with('/')
            && !picture.starts_with("//")
            && !picture.contains("..")
            && picture.len() <= 200
            && picture
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c))
        {
            Some(picture.to_string())
        } else {
            return Err(invalid(
                "画像はサイト内のパスで入力してください（例: /products/a-1001.svg）。",
            ));
        };
        Ok(ProductInput {
            code,
            name: name.into(),
            kana: kana.into(),
            price_yen: price,
            tax_rate_percent,
            picture,
            active,
        })
    }
}

async fn by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
) -> Result<Option<products::Model>, AppError> {
    Ok(products::Entity::find()
        .filter(products::Column::Code.eq(code))
        .one(db)
        .await?)
}

/// Adds a product (`original_code` = None) or changes the one with `original_code`.
pub async fn save(
    st: &AppState,
    staff: i64,
    original_code: Option<&str>,
    p: ProductInput,
) -> Result<ProductView, AppError> {
    let now = st.clock.now();
    let existing = match original_code.map(str::trim).filter(|s| !s.is_empty()) {
        Some(c) => Some(by_code(&st.db, c).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    if let Some(other) = by_code(&st.db, &p.code).await? {
        if existing.as_ref().map(|e| e.id) != Some(other.id) {
            return Err(invalid(format!(
                "商品コード {} はすでに使われています。",
                p.code
            )));
        }
    }
    let key = name_key(&p.name, &p.kana);
    let (saved, action) = match existing {
        Some(e) => {
            let mut am: products::ActiveModel = e.into();
            am.code = Set(p.code.clone());
            am.name = Set(p.name.clone());
            am.kana = Set(p.kana.clone());
            am.name_key = Set(key);
            am.price_yen = Set(p.price_yen);
            am.tax_rate_percent = Set(p.tax_rate_percent);
            am.picture = Set(p.picture.clone());
            am.active = Set(p.active);
            am.updated_at = Set(now);
            (am.update(&st.db).await?, "product_updated")
        }
        None => (insert(&st.db, &p, now).await?, "product_created"),
    };
    audit::append(
        &st.db,
        now,
        audit::Entry::new(action).actor(staff).detail(json!({
            "code": saved.code,
            "price_yen": saved.price_yen,
            "tax_rate_percent": saved.tax_rate_percent,
            "active": saved.active,
        })),
    )
    .await?;
    Ok(view(saved))
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    p: &ProductInput,
    now: DateTime<Utc>,
) -> Result<products::Model, DbErr> {
    products::ActiveModel {
        code: Set(p.code.clone()),
        name: Set(p.name.clone()),
        kana: Set(p.kana.clone()),
        name_key: Set(name_key(&p.name, &p.kana)),
        price_yen: Set(p.price_yen),
        tax_rate_percent: Set(p.tax_rate_percent),
        picture: Set(p.picture.clone()),
        active: Set(p.active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// 取扱停止 / 再開.
pub async fn set_active(
    st: &AppState,
    staff: i64,
    code: &str,
    active: bool,
) -> Result<(), AppError> {
    let code = normalise_code(code).ok_or(AppError::NotFound)?;
    let p = by_code(&st.db, &code).await?.ok_or(AppError::NotFound)?;
    let now = st.clock.now();
    let mut am: products::ActiveModel = p.into();
    am.active = Set(active);
    am.updated_at = Set(now);
    am.update(&st.db).await?;
    audit::append(
        &st.db,
        now,
        audit::Entry::new("product_active_changed")
            .actor(staff)
            .detail(json!({ "code": code, "active": active })),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_input_rules() {
        let p =
            ProductInput::parse("ａ－１", " 緑茶 ", "リョクチャ", "1,080", "8", "", true).unwrap();
        assert_eq!(p.code, "A-1");
        assert_eq!(p.name, "緑茶");
        assert_eq!(p.price_yen, 1080);
        assert_eq!(p.picture, None);
        assert!(ProductInput::parse("緑", "x", "x", "1", "10", "", true).is_err());
        assert!(ProductInput::parse("A-1", "", "x", "1", "10", "", true).is_err());
        assert!(ProductInput::parse("A-1", "x", "x", "-1", "10", "", true).is_err());
        assert!(ProductInput::parse("A-1", "x", "x", "1", "5", "", true).is_err());
        assert!(
            ProductInput::parse("A-1", "x", "x", "1", "10", "https://evil/x.svg", true).is_err()
        );
        assert!(ProductInput::parse("A-1", "x", "x", "1", "10", "/../etc", true).is_err());
        assert!(ProductInput::parse("A-1", "x", "x", "1", "10", "/products/a-1.svg", true).is_ok());
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like("10%_\\"), "10\\%\\_\\\\");
    }
}
