//! An order's status and what may happen to it: 受付 → 出荷済 (→ 納品済), or 受付 → 取消; a
//! 返品 only after shipping. The filter, the labels, the transitions and the database column
//! all use this one enum (on the server it is the `orders.status` column's type, stored as
//! the code).
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum OrderStatus {
    /// 受付: placed, not yet shipped.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "received"))]
    Received,
    /// 出荷済
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shipped"))]
    Shipped,
    /// 納品済
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "delivered"))]
    Delivered,
    /// 取消 (before shipping, with a reason; final).
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

/// What staff may do to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderAction {
    Ship,
    Cancel,
    Return,
}

impl OrderStatus {
    /// In the order the filter offers them.
    pub const ALL: [OrderStatus; 4] = [
        OrderStatus::Received,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];

    /// The code in the database, the URL and the CSS class (`status-shipped`).
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// 受付 / 出荷済 / 納品済 / 取消.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Received => "受付",
            OrderStatus::Shipped => "出荷済",
            OrderStatus::Delivered => "納品済",
            OrderStatus::Cancelled => "取消",
        }
    }

    /// Shipped or delivered: the goods left, so a 返品 may be recorded and 取消 may not.
    pub fn has_shipped(self) -> bool {
        matches!(self, OrderStatus::Shipped | OrderStatus::Delivered)
    }

    /// Counts toward a month's 還元額 base (everything but 取消).
    pub fn counts(self) -> bool {
        self != OrderStatus::Cancelled
    }

    /// 出荷 and 取消 from 受付 only; 返品 after shipping.
    pub fn allows(self, action: OrderAction) -> bool {
        match action {
            OrderAction::Ship | OrderAction::Cancel => self == OrderStatus::Received,
            OrderAction::Return => self.has_shipped(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_none() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(OrderStatus::from_code("RECEIVED"), None);
        assert_eq!(OrderStatus::from_code(""), None);
    }

    #[test]
    fn transitions() {
        use OrderAction::*;
        use OrderStatus::*;
        assert!(Received.allows(Ship) && Received.allows(Cancel) && !Received.allows(Return));
        assert!(Shipped.allows(Return) && !Shipped.allows(Ship) && !Shipped.allows(Cancel));
        assert!(Delivered.allows(Return) && !Delivered.allows(Cancel));
        for a in [Ship, Cancel, Return] {
            assert!(!Cancelled.allows(a));
        }
        assert!(!Cancelled.counts() && Shipped.counts());
    }
}
