//! Who may do what by ランク. The notice's 【ウルトラ販社～販社】 is ウルトラ販社, スーパー販社
//! and 販社 (全国販社, the operator's staff, is not among them: it has its own screens).
use serde::{Deserialize, Serialize};

/// ランク. `National` is 全国販社, the operator's staff; what each rank may do is below. On
/// the server it is the type of the `rank` columns, stored as [`Rank::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(20))"
    )
)]
pub enum Rank {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "national"))]
    National,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "ultra"))]
    Ultra,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "super"))]
    Super,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "hansha"))]
    Hansha,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "so_dairiten"))]
    SoDairiten,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "dairiten"))]
    Dairiten,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "division_waiting"))]
    DivisionWaiting,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shop"))]
    Shop,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "general"))]
    General,
}

impl Rank {
    pub const ALL: [Rank; 9] = [
        Rank::National,
        Rank::Ultra,
        Rank::Super,
        Rank::Hansha,
        Rank::SoDairiten,
        Rank::Dairiten,
        Rank::DivisionWaiting,
        Rank::Shop,
        Rank::General,
    ];

    /// The stable value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Rank::National => "national",
            Rank::Ultra => "ultra",
            Rank::Super => "super",
            Rank::Hansha => "hansha",
            Rank::SoDairiten => "so_dairiten",
            Rank::Dairiten => "dairiten",
            Rank::DivisionWaiting => "division_waiting",
            Rank::Shop => "shop",
            Rank::General => "general",
        }
    }

    pub fn from_code(code: &str) -> Option<Rank> {
        Rank::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rank::National => "全国販社",
            Rank::Ultra => "ウルトラ販社",
            Rank::Super => "スーパー販社",
            Rank::Hansha => "販社",
            Rank::SoDairiten => "総代理店",
            Rank::Dairiten => "代理店",
            Rank::DivisionWaiting => "販売事業部一般会員待機",
            Rank::Shop => "ショップ",
            Rank::General => "一般",
        }
    }
}

/// 画面1 (brown, ordering by name or code) or 画面2 (green, picture catalogue). On the
/// server, the type of `customers.screen_variant`, stored as [`ScreenVariant::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(10))"
    )
)]
pub enum ScreenVariant {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "screen1"))]
    Primary,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "screen2"))]
    Secondary,
}

impl ScreenVariant {
    pub fn code(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "screen1",
            ScreenVariant::Secondary => "screen2",
        }
    }

    pub fn from_code(code: &str) -> Option<ScreenVariant> {
        match code {
            "screen1" => Some(ScreenVariant::Primary),
            "screen2" => Some(ScreenVariant::Secondary),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "画面1",
            ScreenVariant::Secondary => "画面2",
        }
    }

    /// CSS class that selects the brown or green theme.
    pub fn theme_class(self) -> &'static str {
        match self {
            ScreenVariant::Primary => "theme-screen1",
            ScreenVariant::Secondary => "theme-screen2",
        }
    }
}

/// 【ウルトラ販社～販社】: the ranks that may hold 会員登録あり.
pub fn ultra_to_hansha(rank: Rank) -> bool {
    matches!(rank, Rank::Ultra | Rank::Super | Rank::Hansha)
}

/// 【ウルトラ販社～販社】(会員登録あり): the customers who register others into their
/// 販売事業部 (販売事業部新規顧客登録, R5) and who work on 画面1 (R6).
pub fn ultra_to_hansha_registered(rank: Rank, can_register: bool) -> bool {
    can_register && ultra_to_hansha(rank)
}

/// 販社以上: 全国販社 and 【ウルトラ販社～販社】, regardless of 会員登録 (e.g. who may own a
/// 販売事業部).
pub fn hansha_or_above(rank: Rank) -> bool {
    rank == Rank::National || ultra_to_hansha(rank)
}

/// The screen a customer gets: 全国販社 staff and 【ウルトラ販社～販社】(会員登録あり) work on
/// 画面1 (R6); everyone else on 画面2.
pub fn screen_for(rank: Rank, can_register: bool) -> ScreenVariant {
    if rank == Rank::National || ultra_to_hansha_registered(rank, can_register) {
        ScreenVariant::Primary
    } else {
        ScreenVariant::Secondary
    }
}

/// 顧客検索 (and the マスタメンテ menu) is a 画面1 tool: 全国販社 staff search everyone,
/// 【ウルトラ販社～販社】(会員登録あり) their own downline. 画面2 has no マスタメンテ.
pub fn may_search(rank: Rank, can_register: bool) -> bool {
    screen_for(rank, can_register) == ScreenVariant::Primary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ultra_to_hansha_is_three_ranks() {
        let got: Vec<Rank> = Rank::ALL
            .into_iter()
            .filter(|r| ultra_to_hansha(*r))
            .collect();
        assert_eq!(got, [Rank::Ultra, Rank::Super, Rank::Hansha]);
        let above: Vec<Rank> = Rank::ALL
            .into_iter()
            .filter(|r| hansha_or_above(*r))
            .collect();
        assert_eq!(
            above,
            [Rank::National, Rank::Ultra, Rank::Super, Rank::Hansha]
        );
    }

    #[test]
    fn registration_needs_the_rank_and_the_flag() {
        for r in Rank::ALL {
            assert!(!ultra_to_hansha_registered(r, false), "{r:?}");
            assert_eq!(
                ultra_to_hansha_registered(r, true),
                ultra_to_hansha(r),
                "{r:?}"
            );
        }
        assert!(!ultra_to_hansha_registered(Rank::National, true));
    }

    #[test]
    fn who_gets_screen1() {
        use ScreenVariant::{Primary, Secondary};
        assert_eq!(screen_for(Rank::National, false), Primary);
        assert_eq!(screen_for(Rank::National, true), Primary);
        assert_eq!(screen_for(Rank::Ultra, true), Primary);
        assert_eq!(screen_for(Rank::Super, true), Primary);
        assert_eq!(screen_for(Rank::Hansha, true), Primary);
        assert_eq!(screen_for(Rank::Hansha, false), Secondary);
        assert_eq!(screen_for(Rank::Shop, true), Secondary);
        for r in [
            Rank::SoDairiten,
            Rank::Dairiten,
            Rank::DivisionWaiting,
            Rank::General,
        ] {
            assert_eq!(screen_for(r, true), Secondary, "{r:?}");
        }
    }

    #[test]
    fn who_may_search() {
        assert!(may_search(Rank::National, false));
        assert!(may_search(Rank::Ultra, true));
        assert!(may_search(Rank::Hansha, true));
        assert!(!may_search(Rank::Hansha, false));
        assert!(!may_search(Rank::Dairiten, true));
        assert!(!may_search(Rank::General, false));
    }
}
