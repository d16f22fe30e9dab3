//! 受注管理 (#11.1) on the server: rules (pure), the list, one order's detail, the status
//! changes, returns, the ship mail and the CSV export. All of it is for 全国販社 staff.
pub mod change;
pub mod detail;
pub mod export;
pub mod list;
pub mod mail;
pub mod returns;
pub mod rules;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entities::orders;
use crate::error::AppError;

/// The longest 注文番号 looked up (`O-20261203-000123` is 17); longer is not an order.
const NUMBER_MAX: usize = 40;

/// The order with this 注文番号, or 404.
pub async fn find_order<C: ConnectionTrait>(
    db: &C,
    number: &str,
) -> Result<orders::Model, AppError> {
    let number = number.trim();
    if number.is_empty() || number.len() > NUMBER_MAX {
        return Err(AppError::NotFound);
    }
    orders::Entity::find()
        .filter(orders::Column::OrderNumber.eq(number))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
