//! `daiko demo-data`: a small, realistic network with known demo logins.
use super::customer_keys;
use super::entities::{customers, logins, sales_divisions};
use super::network::{self, NetworkError};
use super::password::Passwords;
use crate::domain::rank::screen_for;
use crate::error::AppError;
use crate::model::{Rank, ScreenVariant};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};

pub const DEMO_PASSWORD: &str = "daiko-demo-2026";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("データベースにはすでにお客様が登録されています（{0}件）。デモデータは空のデータベースにのみ読み込めます。")]
    NotEmpty(u64),
    #[error("データベースエラー: {0}")]
    Db(#[from] DbErr),
    #[error("上位店の関係が不正です: {0}")]
    Network(#[from] NetworkError),
    #[error("パスワードのハッシュ化または商品の登録に失敗しました")]
    Hash(#[from] AppError),
}

#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub customer_code: String,
    pub name: String,
    pub rank: Rank,
    pub screen: ScreenVariant,
    pub email: String,
}

struct Seed {
    code: &'static str,
    name: &'static str,
    kana: &'static str,
    phone: &'static str,
    rank: Rank,
    upline: Option<&'static str>,
    /// The code of the customer whose division this customer belongs to.
    division_of: Option<&'static str>,
    /// Name of the division this customer owns.
    owns: Option<&'static str>,
    can_register: bool,
    email: Option<&'static str>,
}

const SEEDS: &[Seed] = &[
    Seed {
        code: "10000001",
        name: "環境保全研究所 全国販社",
        kana: "カンキョウホゼンケンキュウジョ ゼンコクハンシャ",
        phone: "03-5555-0100",
        rank: Rank::National,
        upline: None,
        division_of: None,
        owns: None,
        can_register: true,
        email: Some("honbu@example.jp"),
    },
    Seed {
        code: "10000010",
        name: "株式会社みどり商事",
        kana: "カブシキガイシャミドリショウジ",
        phone: "06-6555-0110",
        rank: Rank::Ultra,
        upline: Some("10000001"),
        division_of: Some("10000010"),
        owns: Some("みどり販売事業部"),
        can_register: true,
        email: Some("ultra@example.jp"),
    },
    Seed {
        code: "10000020",
        name: "株式会社さくら企画",
        kana: "カブシキガイシャサクラキカク",
        phone: "052-555-0120",
        rank: Rank::Super,
        upline: Some("10000010"),
        division_of: Some("10000020"),
        owns: Some("さくら販売事業部"),
        can_register: true,
        email: Some("super@example.jp"),
    },
    Seed {
        code: "10000030",
        name: "有限会社やまだ販社",
        kana: "ユウゲンガイシャヤマダハンシャ",
        phone: "092-555-0130",
        rank: Rank::Hansha,
        upline: Some("10000020"),
        division_of: Some("10000030"),
        owns: Some("やまだ販売事業部"),
        can_register: true,
        email: Some("hansha@example.jp"),
    },
    Seed {
        code: "10000031",
        name: "合同会社あおば",
        kana: "ゴウドウガイシャアオバ",
        phone: "011-555-0131",
        rank: Rank::Hansha,
        upline: Some("10000020"),
        division_of: None,
        owns: None,
        can_register: false,
        email: Some("aoba@example.jp"),
    },
    Seed {
        code: "10000040",
        name: "株式会社ひまわり総代理店",
        kana: "カブシキガイシャヒマワリソウダイリテン",
        phone: "045-555-0140",
        rank: Rank::SoDairiten,
        upline: Some("10000030"),
        division_of: Some("10000030"),
        // A division owned by a downline customer of 10000030, so that the 販社 can register
        // into someone else's division (R5). Nobody belongs to it yet.
        owns: Some("ひまわり販売事業部"),
        can_register: false,
        email: Some("sodairiten@example.jp"),
    },
    Seed {
        code: "10000050",
        name: "たなか代理店",
        kana: "タナカダイリテン",
        phone: "090-5555-0150",
        rank: Rank::Dairiten,
        upline: Some("10000040"),
        division_of: Some("10000030"),
        owns: None,
        can_register: false,
        email: Some("dairiten@example.jp"),
    },
    Seed {
        code: "10000060",
        name: "すずき商店",
        kana: "スズキショウテン",
        phone: "080-5555-0160",
        rank: Rank::DivisionWaiting,
        upline: Some("10000050"),
        division_of: Some("10000030"),
        owns: None,
        can_register: false,
        email: Some("taiki@example.jp"),
    },
    Seed {
        code: "10000070",
        name: "ショップこばやし",
        kana: "ショップコバヤシ",
        phone: "070-5555-0170",
        rank: Rank::Shop,
        upline: Some("10000050"),
        division_of: Some("10000020"),
        owns: None,
        can_register: false,
        email: Some("shop@example.jp"),
    },
    Seed {
        code: "10000080",
        name: "佐藤 花子",
        kana: "サトウ ハナコ",
        phone: "090-5555-0180",
        rank: Rank::General,
        upline: Some("10000070"),
        division_of: None,
        owns: None,
        can_register: false,
        email: Some("ippan@example.jp"),
    },
    Seed {
        code: "10000090",
        name: "伊藤 一郎",
        kana: "イトウ イチロウ",
        phone: "080-5555-0190",
        rank: Rank::General,
        upline: Some("10000070"),
        division_of: None,
        owns: None,
        can_register: false,
        email: None,
    },
];

pub async fn load(
    db: &DatabaseConnection,
    passwords: &Passwords,
    now: DateTime<Utc>,
) -> Result<Vec<DemoLogin>, DemoError> {
    let existing = customers::Entity::find().count(db).await?;
    if existing > 0 {
        return Err(DemoError::NotEmpty(existing));
    }
    // Hash first: it is slow, and must not hold the write transaction open.
    let hash = passwords.hash(DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let mut ids = std::collections::HashMap::new();
    let mut out = Vec::new();
    for s in SEEDS {
        let screen = screen_for(s.rank, s.can_register);
        let c = customers::ActiveModel {
            customer_code: Set(s.code.into()),
            name: Set(s.name.into()),
            kana: Set(s.kana.into()),
            phone: Set(Some(s.phone.into())),
            rank: Set(s.rank),
            upline_id: Set(s.upline.and_then(|u| ids.get(u).copied())),
            division_id: Set(None),
            can_register: Set(s.can_register),
            screen_variant: Set(screen),
            postal_code: Set(Some("100-0001".into())),
            address: Set(Some("東京都千代田区千代田1-1".into())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        network::assign_path(&txn, c.id, c.upline_id).await?;
        customer_keys::refresh(&txn, c.id).await?;
        ids.insert(s.code, c.id);
        if let Some(email) = s.email {
            logins::ActiveModel {
                customer_id: Set(c.id),
                email: Set(email.into()),
                password_hash: Set(Some(hash.as_str().into())),
                email_verified_at: Set(Some(now)),
                password_changed_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            out.push(DemoLogin {
                customer_code: s.code.into(),
                name: s.name.into(),
                rank: s.rank,
                screen,
                email: email.into(),
            });
        }
    }
    let mut divisions = std::collections::HashMap::new();
    for s in SEEDS.iter().filter(|s| s.owns.is_some()) {
        let d = sales_divisions::ActiveModel {
            name: Set(s.owns.unwrap_or_default().into()),
            owner_customer_id: Set(ids[s.code]),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        divisions.insert(s.code, d.id);
    }
    for s in SEEDS {
        if let Some(owner) = s.division_of {
            customers::ActiveModel {
                id: Set(ids[s.code]),
                division_id: Set(divisions.get(owner).copied()),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    super::catalogue_demo::load(&txn, now).await?;
    load_rebate_rates(&txn, now).await?;
    txn.commit().await?;
    Ok(out)
}

/// Demo 還元率 (basis points, 500 = 5 %) from 1 January 2026; staff change them at
/// `/staff/rebate-rates`.
pub const DEMO_RATES: &[(Rank, i32)] = &[
    (Rank::Ultra, 800),
    (Rank::Super, 600),
    (Rank::Hansha, 500),
    (Rank::SoDairiten, 400),
    (Rank::Dairiten, 300),
    (Rank::DivisionWaiting, 200),
    (Rank::Shop, 200),
];

async fn load_rebate_rates<C: sea_orm::ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use super::entities::rebate_rates;
    let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let rows: Vec<rebate_rates::ActiveModel> = DEMO_RATES
        .iter()
        .map(|(rank, bp)| rebate_rates::ActiveModel {
            rank: Set(*rank),
            rate_basis_points: Set(*bp),
            effective_from: Set(from),
            created_at: Set(now),
            created_by: Set(None),
            ..Default::default()
        })
        .collect();
    rebate_rates::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_cover_every_rank_and_reference_earlier_rows() {
        for r in Rank::ALL {
            assert!(SEEDS.iter().any(|s| s.rank == r), "{r:?}");
        }
        for (i, s) in SEEDS.iter().enumerate() {
            if let Some(u) = s.upline {
                assert!(SEEDS[..i].iter().any(|p| p.code == u), "{}", s.code);
            }
        }
    }
}
