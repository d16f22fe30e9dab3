//! `daiko demo-data --customers N`: N more customers under the demo network, for benchmarks.
//!
//! A realistic shape: a few hundred ウルトラ/スーパー販社 under the demo ウルトラ販社 (10000010)
//! and スーパー販社 (10000020), thousands of 販社 under them (half 会員登録あり, owning a
//! 販売事業部), 代理店 below those, and the rest (ショップ, 一般) at the bottom, so downlines range
//! from a handful to most of the network. Japanese names with readings (some stored as
//! half-width or hiragana, as old data is), valid phone numbers (5% none).
//!
//! Fast: ids are assigned here, so paths and search keys are computed in memory and written
//! with multi-row INSERTs in one transaction per batch; gram rows go in sorted per batch,
//! which appends to each gram's B-tree range instead of writing all over it.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait, Value};

use super::customer_keys::{insert_grams, stmt, Keys, KEYS_VERSION};
use crate::domain::rank::screen_for;
use crate::model::Rank;

/// Deterministic generator (xorshift64*): the same N gives the same data. The search-key
/// property tests draw from it too (fixed seeds keep their failures reproducible).
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"),
    ("藤田", "フジタ"),
    ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"),
    ("村上", "ムラカミ"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
    ("坂本", "サカモト"),
    ("斉藤", "サイトウ"),
    ("福田", "フクダ"),
    ("太田", "オオタ"),
    ("西村", "ニシムラ"),
    ("藤井", "フジイ"),
    ("金子", "カネコ"),
    ("岡本", "オカモト"),
    ("藤原", "フジワラ"),
    ("中野", "ナカノ"),
    ("三浦", "ミウラ"),
    ("原田", "ハラダ"),
    ("中川", "ナカガワ"),
    ("松田", "マツダ"),
    ("竹内", "タケウチ"),
    ("小野", "オノ"),
    ("田村", "タムラ"),
    ("中山", "ナカヤマ"),
    ("和田", "ワダ"),
    ("石田", "イシダ"),
    ("森田", "モリタ"),
    ("上田", "ウエダ"),
    ("原", "ハラ"),
    ("柴田", "シバタ"),
    ("酒井", "サカイ"),
    ("工藤", "クドウ"),
    ("横山", "ヨコヤマ"),
    ("宮崎", "ミヤザキ"),
    ("宮本", "ミヤモト"),
    ("内田", "ウチダ"),
    ("高木", "タカギ"),
    ("安藤", "アンドウ"),
    ("谷口", "タニグチ"),
    ("大野", "オオノ"),
    ("丸山", "マルヤマ"),
    ("今井", "イマイ"),
    ("髙橋", "タカハシ"),
];

const GIVEN: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("一郎", "イチロウ"),
    ("健", "ケン"),
    ("翔太", "ショウタ"),
    ("大輔", "ダイスケ"),
    ("誠", "マコト"),
    ("拓也", "タクヤ"),
    ("直樹", "ナオキ"),
    ("浩", "ヒロシ"),
    ("隆", "タカシ"),
    ("学", "マナブ"),
    ("修", "オサム"),
    ("蓮", "レン"),
    ("陽翔", "ハルト"),
    ("湊", "ミナト"),
    ("悠真", "ユウマ"),
    ("花子", "ハナコ"),
    ("陽子", "ヨウコ"),
    ("恵子", "ケイコ"),
    ("裕子", "ユウコ"),
    ("美咲", "ミサキ"),
    ("由美", "ユミ"),
    ("真由美", "マユミ"),
    ("愛", "アイ"),
    ("さくら", "サクラ"),
    ("陽菜", "ヒナ"),
    ("結衣", "ユイ"),
    ("葵", "アオイ"),
    ("明美", "アケミ"),
    ("京子", "キョウコ"),
    ("幸子", "サチコ"),
    ("和子", "カズコ"),
    ("久美子", "クミコ"),
    ("智子", "トモコ"),
    ("直美", "ナオミ"),
    ("千尋", "チヒロ"),
    ("優子", "ユウコ"),
    ("亮", "リョウ"),
    ("大和", "ヤマト"),
    ("光", "ヒカル"),
];

/// (prefix, its reading, suffix, its reading) of business names.
const FIRMS: &[(&str, &str)] = &[
    ("株式会社", "カブシキガイシャ"),
    ("有限会社", "ユウゲンガイシャ"),
    ("合同会社", "ゴウドウガイシャ"),
];
const WORDS: &[(&str, &str)] = &[
    ("みどり", "ミドリ"),
    ("さくら", "サクラ"),
    ("ひまわり", "ヒマワリ"),
    ("あおば", "アオバ"),
    ("富士", "フジ"),
    ("東海", "トウカイ"),
    ("北斗", "ホクト"),
    ("大和", "ヤマト"),
    ("エコ", "エコ"),
    ("グリーン", "グリーン"),
    ("ライフ", "ライフ"),
    ("未来", "ミライ"),
];
const SUFFIXES: &[(&str, &str)] = &[
    ("商事", "ショウジ"),
    ("販売", "ハンバイ"),
    ("企画", "キカク"),
    ("商店", "ショウテン"),
    ("代理店", "ダイリテン"),
    ("販社", "ハンシャ"),
    ("サービス", "サービス"),
    ("物産", "ブッサン"),
];

const AREAS: &[&str] = &[
    "03", "06", "052", "011", "092", "045", "022", "075", "078", "082",
];

/// Half-width katakana for the share of rows typed that way in the old system. Data for the
/// demo only (search folding is NFKC's, not this).
fn half_width(kata: &str) -> String {
    const FULL: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンャュョッァィゥェォー";
    const HALF: &str = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｬｭｮｯｧｨｩｪｫｰ";
    const VOICED: &str = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
    const VOICED_BASE: &str = "カキクケコサシスセソタチツテトハヒフヘホ";
    const SEMI: &str = "パピプペポ";
    const SEMI_BASE: &str = "ハヒフヘホ";
    let mut out = String::new();
    for c in kata.chars() {
        if let Some(i) = VOICED.chars().position(|v| v == c) {
            out.push_str(&half_width(
                &VOICED_BASE.chars().nth(i).unwrap_or(c).to_string(),
            ));
            out.push('ﾞ');
        } else if let Some(i) = SEMI.chars().position(|v| v == c) {
            out.push_str(&half_width(
                &SEMI_BASE.chars().nth(i).unwrap_or(c).to_string(),
            ));
            out.push('ﾟ');
        } else if let Some(i) = FULL.chars().position(|v| v == c) {
            out.push(HALF.chars().nth(i).unwrap_or(c));
        } else {
            out.push(c);
        }
    }
    out
}

struct Person {
    name: String,
    kana: String,
    phone: Option<String>,
}

fn person(rng: &mut Rng, business: bool) -> Person {
    let (name, kana) = if business {
        let (f, fk) = rng.pick(FIRMS);
        let (w, wk) = if rng.below(2) == 0 {
            *rng.pick(WORDS)
        } else {
            *rng.pick(SURNAMES)
        };
        let (s, sk) = rng.pick(SUFFIXES);
        if rng.below(3) == 0 {
            (format!("{w}{s}"), format!("{wk}{sk}"))
        } else {
            (format!("{f}{w}{s}"), format!("{fk}{wk}{sk}"))
        }
    } else {
        let (s, sk) = rng.pick(SURNAMES);
        let (g, gk) = rng.pick(GIVEN);
        (format!("{s} {g}"), format!("{sk} {gk}"))
    };
    // Old data: some readings were typed in half-width kana or in hiragana.
    let kana = match rng.below(10) {
        0 => half_width(&kana),
        1 => kana
            .chars()
            .map(|c| match c {
                'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                c => c,
            })
            .collect(),
        _ => kana,
    };
    let phone = match rng.below(20) {
        0 => None,
        1..=12 => Some(format!(
            "{}-{:04}-{:04}",
            rng.pick(&["090", "080", "070"]),
            rng.below(10_000),
            rng.below(10_000)
        )),
        _ => {
            // Landlines: 10 digits, area code + exchange (not starting with 0) + 4.
            let area = rng.pick(AREAS);
            let mut mid = String::from("5");
            while area.len() + mid.len() < 6 {
                mid.push(char::from(b'0' + rng.below(10) as u8));
            }
            Some(format!("{area}-{mid}-{:04}", rng.below(10_000)))
        }
    };
    Person { name, kana, phone }
}

/// A gram row in 16 bytes: up to 2 characters of UTF-8 (≤ 8 bytes), zero-padded, and the id.
/// Sorting these sorts by (gram bytes, id), the order of the index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PackedGram([u8; 8], i64);

impl PackedGram {
    fn new(gram: &str, id: i64) -> PackedGram {
        let mut b = [0u8; 8];
        let bytes = gram.as_bytes();
        b[..bytes.len().min(8)].copy_from_slice(&bytes[..bytes.len().min(8)]);
        PackedGram(b, id)
    }

    fn unpack(&self) -> (String, i64) {
        let end = self.0.iter().position(|&x| x == 0).unwrap_or(8);
        (String::from_utf8_lossy(&self.0[..end]).into_owned(), self.1)
    }
}

struct Node {
    id: i64,
    path: String,
    division: Option<i64>,
}

/// Generates `n` customers below the demo network (which must be loaded). Returns how many
/// were written.
pub async fn generate(
    db: &DatabaseConnection,
    n: u64,
    now: DateTime<Utc>,
    progress: impl Fn(u64),
) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let top = |code: &'static str| async move {
        let row = db
            .query_one_raw(stmt(
                backend,
                "SELECT id, path FROM customers WHERE customer_code = ?",
                vec![code.into()],
            ))
            .await?
            .ok_or_else(|| DbErr::Custom(format!("demo customer {code} missing")))?;
        Ok::<_, DbErr>(Node {
            id: row.try_get("", "id")?,
            path: row.try_get("", "path")?,
            division: None,
        })
    };
    let roots = [top("10000010").await?, top("10000020").await?];
    let max = |sql: &'static str| async move {
        let row = db.query_one_raw(stmt(backend, sql, vec![])).await?;
        Ok::<i64, DbErr>(
            row.map(|r| r.try_get::<Option<i64>>("", "m"))
                .transpose()?
                .flatten()
                .unwrap_or(0),
        )
    };
    let mut next_id = max("SELECT MAX(id) AS m FROM customers").await? + 1;
    let mut next_division = max("SELECT MAX(id) AS m FROM sales_divisions").await? + 1;

    // Tier sizes: about n/1000 ultra/super, n/100 販社, n/10 代理店, the rest at the bottom.
    let t1 = (n / 2000).max(2);
    let t2 = (n / 200).max(4);
    let t3 = (n / 20).max(8);
    let mut rng = Rng(0x5EED_DA1C_0000_0001 ^ n);
    let mut tiers: [Vec<Node>; 3] = [Vec::new(), Vec::new(), Vec::new()];

    // About 20 per customer; packed, 1M customers' grams take ~320 MB while loading.
    let mut grams: Vec<PackedGram> = Vec::with_capacity(usize::try_from(n).unwrap_or(0) * 22);
    const BATCH: u64 = 20_000;
    let mut written = 0u64;
    while written < n {
        // A batch ends where the 販社 tier ends: their divisions must exist (committed rows)
        // before customers below them refer to them.
        let owners_end = t1 + t2;
        let count = if written < owners_end {
            BATCH.min(owners_end - written).min(n - written)
        } else {
            BATCH.min(n - written)
        };
        let txn = db.begin().await?;
        if backend == DbBackend::Postgres {
            txn.execute_unprepared("SET LOCAL synchronous_commit = off")
                .await?;
        }
        let mut rows: Vec<Value> = Vec::new();
        let mut divisions: Vec<(i64, String, i64)> = Vec::new();
        let mut owners: Vec<(i64, i64)> = Vec::new();
        for i in written..written + count {
            let id = next_id;
            next_id += 1;
            let (rank, tier, business, can_register) = if i < t1 {
                (
                    if i % 3 == 0 { Rank::Ultra } else { Rank::Super },
                    Some(0),
                    true,
                    true,
                )
            } else if i < t1 + t2 {
                (Rank::Hansha, Some(1), true, rng.below(2) == 0)
            } else if i < t1 + t2 + t3 {
                let r = if rng.below(3) == 0 {
                    Rank::SoDairiten
                } else {
                    Rank::Dairiten
                };
                (r, Some(2), rng.below(2) == 0, false)
            } else {
                let r = match rng.below(10) {
                    0 => Rank::DivisionWaiting,
                    1..=3 => Rank::Shop,
                    _ => Rank::General,
                };
                (r, None, r == Rank::Shop && rng.below(2) == 0, false)
            };
            let parent = match tier {
                Some(0) => &roots[(i % 2) as usize],
                Some(t) => {
                    let up = &tiers[t - 1];
                    &up[rng.below(up.len())]
                }
                None => {
                    // Mostly under 代理店, some directly under 販社.
                    let up = if rng.below(5) == 0 {
                        &tiers[1]
                    } else {
                        &tiers[2]
                    };
                    &up[rng.below(up.len())]
                }
            };
            let path = format!("{}{id}/", parent.path);
            let upline = parent.id;
            let mut division = parent.division;
            if can_register && rank == Rank::Hansha {
                let d = next_division;
                next_division += 1;
                division = Some(d);
            }
            let p = person(&mut rng, business);
            let keys = Keys::of(&p.name, &p.kana, p.phone.as_deref());
            for g in keys.grams() {
                grams.push(PackedGram::new(&g, id));
            }
            let is_owner = can_register && rank == Rank::Hansha;
            if let (true, Some(d)) = (is_owner, division) {
                divisions.push((d, format!("{}販売事業部", p.name), id));
                owners.push((id, d));
            }
            let screen = screen_for(rank, can_register);
            rows.extend([
                Value::from(id),
                Value::from(format!("{}", 20_000_000 + i)),
                Value::from(p.name),
                Value::from(p.kana),
                Value::from(p.phone),
                Value::from(rank.code()),
                Value::from(upline),
                // Owners join their own division after it exists (below).
                Value::from(if is_owner { parent.division } else { division }),
                Value::from(can_register),
                Value::from(screen.code()),
                Value::from(format!(
                    "{:03}-{:04}",
                    100 + rng.below(900),
                    rng.below(10_000)
                )),
                Value::from("東京都千代田区千代田1-1"),
                Value::from(path.clone()),
                Value::from(now),
                Value::from(now),
                Value::from(keys.name),
                Value::from(keys.kana),
                Value::from(keys.phone),
                Value::from(keys.phone_rev),
                Value::from(KEYS_VERSION),
            ]);
            if let Some(t) = tier {
                tiers[t].push(Node { id, path, division });
            }
        }
        const COLS: usize = 20;
        for chunk in rows.chunks(COLS * 1500) {
            let n_rows = chunk.len() / COLS;
            let one = format!("({})", vec!["?"; COLS].join(", "));
            let sql = format!(
                "INSERT INTO customers (id, customer_code, name, kana, phone, rank, upline_id, \
                 division_id, can_register, screen_variant, postal_code, address, path, \
                 created_at, updated_at, name_key, kana_key, phone_key, phone_rev, keys_version) \
                 VALUES {}",
                vec![one.as_str(); n_rows].join(", ")
            );
            txn.execute_raw(stmt(backend, &sql, chunk.to_vec())).await?;
        }
        for (d, name, owner) in &divisions {
            txn.execute_raw(stmt(
                backend,
                "INSERT INTO sales_divisions (id, name, owner_customer_id, created_at) \
                 VALUES (?, ?, ?, ?)",
                vec![
                    (*d).into(),
                    name.clone().into(),
                    (*owner).into(),
                    now.into(),
                ],
            ))
            .await?;
        }
        for (owner, d) in &owners {
            txn.execute_raw(stmt(
                backend,
                "UPDATE customers SET division_id = ? WHERE id = ?",
                vec![(*d).into(), (*owner).into()],
            ))
            .await?;
        }
        txn.commit().await?;
        written += count;
        progress(written);
    }
    // All gram rows at once, in key order: each B-tree page is written once, appending, instead
    // of every batch touching the tail of every gram's range (10 GB of WAL for 1M customers).
    grams.sort_unstable();
    for chunk in grams.chunks(200_000) {
        let txn = db.begin().await?;
        let rows: Vec<(String, i64)> = chunk.iter().map(|g| g.unpack()).collect();
        insert_grams(&txn, rows.iter().map(|(g, id)| (g.as_str(), *id))).await?;
        txn.commit().await?;
    }
    if backend == DbBackend::Postgres {
        // Ids were given explicitly: move the sequences past them.
        for (table, next) in [("customers", next_id), ("sales_divisions", next_division)] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), {})",
                next - 1
            ))
            .await?;
        }
    }
    // Paths were written directly: count each customer's downline from them once.
    db.execute_unprepared(super::network::RECOUNT_SQL).await?;
    // PostgreSQL: VACUUM also sets the visibility map, without which every index-only scan
    // of customer_grams reads the heap until autovacuum gets there.
    let analyze = if backend == DbBackend::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    db.execute_unprepared(analyze).await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::search_key::{phone_key, text_key};

    proptest::proptest! {
        /// Whatever the seed, a generated person has a name, a phone the search can key and
        /// a reading that folds to katakana.
        #[test]
        fn generated_people_are_valid(seed in 1u64.., draws in 1usize..50, corporate: bool) {
            let mut rng = Rng(seed);
            for _ in 0..draws {
                let p = person(&mut rng, corporate);
                proptest::prop_assert!(!p.name.is_empty());
                if let Some(ph) = &p.phone {
                    proptest::prop_assert!(phone_key(ph).is_some(), "{}", ph);
                }
                proptest::prop_assert!(
                    text_key(&p.kana)
                        .chars()
                        .all(|c| ('ァ'..='ヶ').contains(&c) || c == 'ー'),
                    "{}",
                    p.kana
                );
            }
        }
    }

    #[test]
    fn packed_grams_round_trip_in_index_order() {
        let mut v = [
            PackedGram::new("ヤマ", 3),
            PackedGram::new("ヤ", 9),
            PackedGram::new("a", 1),
            PackedGram::new("ヤマ", 2),
        ];
        v.sort_unstable();
        let out: Vec<(String, i64)> = v.iter().map(|g| g.unpack()).collect();
        let mut want = out.clone();
        want.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
        assert_eq!(out, want);
        assert_eq!(out[0], ("a".to_string(), 1));
        assert_eq!(out[2], ("ヤマ".to_string(), 2));
    }

    #[test]
    fn half_width_folds_back() {
        assert_eq!(half_width("ヤマダ タロウ"), "ﾔﾏﾀﾞ ﾀﾛｳ");
        assert_eq!(text_key(&half_width("パンダ")), "パンダ");
    }
}
