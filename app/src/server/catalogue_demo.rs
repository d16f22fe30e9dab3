//! The demo catalogue loaded by `daiko demo-data` (pictures in `public/products/`), and
//! synthetic products for the type-ahead benchmark (`daiko demo-data --products N`).
use super::catalogue::{self, ProductInput};
use super::entities::products;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// (code, name, kana, price excl. tax, tax rate, active)
pub const CATALOGUE: &[(&str, &str, &str, i64, i32, bool)] = &[
    (
        "A-1001",
        "浄水カートリッジ スタンダード",
        "ジョウスイカートリッジ スタンダード",
        3_800,
        10,
        true,
    ),
    (
        "A-1002",
        "浄水器 本体",
        "ジョウスイキ ホンタイ",
        28_000,
        10,
        true,
    ),
    (
        "A-1003",
        "シャワーヘッド 塩素除去",
        "シャワーヘッド エンソジョキョ",
        6_500,
        10,
        true,
    ),
    (
        "A-1004",
        "空気清浄フィルター",
        "クウキセイジョウフィルター",
        4_200,
        10,
        true,
    ),
    (
        "A-1005",
        "洗濯用 石けん",
        "センタクヨウ セッケン",
        1_200,
        10,
        true,
    ),
    (
        "A-1006",
        "台所用 洗剤",
        "ダイドコロヨウ センザイ",
        680,
        10,
        true,
    ),
    (
        "A-1007",
        "詰め替え用 洗剤",
        "ツメカエヨウ センザイ",
        540,
        10,
        true,
    ),
    (
        "A-1008",
        "歯みがき ジェル",
        "ハミガキ ジェル",
        450,
        10,
        true,
    ),
    (
        "A-1009",
        "ハンドソープ 無香料",
        "ハンドソープ ムコウリョウ",
        720,
        10,
        true,
    ),
    ("A-1010", "エコバッグ", "エコバッグ", 980, 10, true),
    ("B-2001", "有機 緑茶", "ユウキ リョクチャ", 1_080, 8, true),
    ("B-2002", "玄米 5kg", "ゲンマイ 5キロ", 3_200, 8, true),
    (
        "B-2003",
        "天然水 2L×6本",
        "テンネンスイ 2リットル 6ホン",
        1_180,
        8,
        true,
    ),
    ("B-2004", "国産はちみつ", "コクサンハチミツ", 2_400, 8, true),
    ("B-2005", "青汁 30包", "アオジル 30ホウ", 3_600, 8, true),
    ("B-2006", "手づくり味噌", "テヅクリミソ", 860, 8, true),
    ("B-2007", "紀州 梅干し", "キシュウ ウメボシ", 1_500, 8, true),
    ("B-2008", "黒酢ドリンク", "クロズドリンク", 2_980, 8, true),
    ("C-3001", "健康マット", "ケンコウマット", 19_800, 10, true),
    (
        "Z-9001",
        "旧型 浄水カートリッジ",
        "キュウガタ ジョウスイカートリッジ",
        3_500,
        10,
        false,
    ),
];

/// The picture of a catalogue product: `/products/a-1001.svg`.
pub fn picture_path(code: &str) -> String {
    format!("/products/{}.svg", code.to_ascii_lowercase())
}

pub async fn load<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<(), AppError> {
    for &(code, name, kana, price, rate, active) in CATALOGUE {
        let p = ProductInput {
            code: code.into(),
            name: name.into(),
            kana: kana.into(),
            price_yen: price,
            tax_rate_percent: rate,
            picture: Some(picture_path(code)),
            active,
        };
        catalogue::insert(db, &p, now).await?;
    }
    Ok(())
}

const WORDS: &[(&str, &str)] = &[
    ("天然", "テンネン"),
    ("有機", "ユウキ"),
    ("特選", "トクセン"),
    ("国産", "コクサン"),
    ("業務用", "ギョウムヨウ"),
    ("無添加", "ムテンカ"),
    ("徳用", "トクヨウ"),
    ("高級", "コウキュウ"),
];
const ITEMS: &[(&str, &str, i32)] = &[
    ("浄水カートリッジ", "ジョウスイカートリッジ", 10),
    ("緑茶", "リョクチャ", 8),
    ("玄米", "ゲンマイ", 8),
    ("洗剤", "センザイ", 10),
    ("石けん", "セッケン", 10),
    ("はちみつ", "ハチミツ", 8),
    ("タオル", "タオル", 10),
    ("味噌", "ミソ", 8),
    ("フィルター", "フィルター", 10),
    ("梅干し", "ウメボシ", 8),
    ("入浴剤", "ニュウヨクザイ", 10),
    ("青汁", "アオジル", 8),
];

/// Adds `n` synthetic products `S-000001`… (for the benchmark), in batches.
pub async fn generate<C: ConnectionTrait>(
    db: &C,
    n: usize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut batch = Vec::with_capacity(500);
    for i in 1..=n {
        let (w, wk) = WORDS[i % WORDS.len()];
        let (item, ik, rate) = ITEMS[(i / WORDS.len()) % ITEMS.len()];
        let name = format!("{w}{item} No.{i}");
        let kana = format!("{wk}{ik} ナンバー{i}");
        batch.push(products::ActiveModel {
            code: Set(format!("S-{i:06}")),
            name_key: Set(catalogue::name_key(&name, &kana)),
            name: Set(name),
            kana: Set(kana),
            price_yen: Set(100 + (i as i64 * 37) % 9_900),
            tax_rate_percent: Set(rate),
            picture: Set(None),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        if batch.len() == 500 || i == n {
            products::Entity::insert_many(std::mem::take(&mut batch))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}
