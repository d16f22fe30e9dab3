//! 還元額計算書: one customer's rebate for one JST month, segment by segment (a rate change
//! inside the month splits it), with the downline customers' order amounts that make the base.
use super::layout::{self, Align, Canvas, Column, MARGIN, PAGE_W};
use super::{digits, jp_date, yen, PdfError};
use crate::server::rebate::{percent_label, MonthRebate};
use chrono::NaiveDate;

/// One downline customer's share of the base.
#[derive(Clone, Debug)]
pub struct DownlineTotal {
    pub customer_code: String,
    pub name: String,
    pub order_count: u64,
    pub amount_yen: i64,
}

#[derive(Clone, Debug)]
pub struct RebateStatement {
    pub customer_code: String,
    pub name: String,
    pub rank_label: String,
    pub issued_on: NaiveDate,
    pub rebate: MonthRebate,
    pub downline: Vec<DownlineTotal>,
    pub issuer_name: Option<String>,
}

const SEG_COLS: [Column; 5] = [
    Column {
        title: "適用期間",
        width: 170.0,
        align: Align::Left,
    },
    Column {
        title: "還元率",
        width: 60.0,
        align: Align::Right,
    },
    Column {
        title: "対象注文数",
        width: 70.0,
        align: Align::Right,
    },
    Column {
        title: "対象金額（税抜）",
        width: 105.0,
        align: Align::Right,
    },
    Column {
        title: "還元額",
        width: 106.28,
        align: Align::Right,
    },
];

const DL_COLS: [Column; 4] = [
    Column {
        title: "お客様ID",
        width: 80.0,
        align: Align::Left,
    },
    Column {
        title: "お名前",
        width: 241.28,
        align: Align::Left,
    },
    Column {
        title: "注文数",
        width: 70.0,
        align: Align::Right,
    },
    Column {
        title: "金額（税抜）",
        width: 120.0,
        align: Align::Right,
    },
];

pub fn render(s: &RebateStatement) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new()?;
    let m = s.rebate.month;
    c.footer = format!(
        "還元額計算書　{}分　お客様ID {}　{} 様",
        m.label(),
        s.customer_code,
        s.name
    );
    let right = PAGE_W - MARGIN;
    c.text(
        right,
        MARGIN + 8.0,
        9.0,
        &format!("発行日　{}", jp_date(s.issued_on)),
        Align::Right,
    );
    if let Some(iss) = &s.issuer_name {
        c.text(right, MARGIN + 21.0, 9.0, iss, Align::Right);
    }
    c.bold(
        PAGE_W / 2.0,
        MARGIN + 48.0,
        22.0,
        "還元額計算書",
        Align::Center,
    );
    c.line(
        PAGE_W / 2.0 - 90.0,
        MARGIN + 55.0,
        PAGE_W / 2.0 + 90.0,
        MARGIN + 55.0,
        0.8,
    );
    let mut y = MARGIN + 90.0;
    let name = c.fit(&format!("{}　様", s.name), 14.0, 300.0);
    c.bold(MARGIN, y, 14.0, &name, Align::Left);
    c.line(MARGIN, y + 4.0, MARGIN + 300.0, y + 4.0, 0.8);
    y += 20.0;
    c.bold(
        MARGIN,
        y,
        11.0,
        &format!("お客様ID　{}", s.customer_code),
        Align::Left,
    );
    y += 16.0;
    c.text(
        MARGIN,
        y,
        9.5,
        &format!("ランク　{}（発行時点）", s.rank_label),
        Align::Left,
    );
    y += 15.0;
    c.text(
        MARGIN,
        y,
        9.5,
        &format!(
            "対象期間　{}（{}〜{}、日本時間）",
            m.label(),
            jp_date(m.first_day()),
            jp_date(m.last_day())
        ),
        Align::Left,
    );
    y += 14.0;
    c.fill(MARGIN, y, 260.0, 30.0, 235);
    c.frame(MARGIN, y, 260.0, 30.0, 0.8);
    c.bold(MARGIN + 10.0, y + 20.0, 11.0, "還元額", Align::Left);
    c.bold(
        MARGIN + 250.0,
        y + 21.0,
        15.0,
        &format!("{} -", yen(s.rebate.rebate_yen)),
        Align::Right,
    );
    c.y = y + 46.0;

    c.bold(MARGIN, c.y, 10.5, "還元額の計算", Align::Left);
    c.y += 6.0;
    layout::table_header(&mut c, &SEG_COLS);
    for seg in &s.rebate.segments {
        layout::table_row(
            &mut c,
            &SEG_COLS,
            &[
                format!("{}〜{}", jp_date(seg.from), jp_date(seg.to)),
                percent_label(seg.basis_points),
                digits(seg.order_count as i64),
                yen(seg.base_yen),
                yen(seg.rebate_yen),
            ],
        );
    }
    layout::table_row(
        &mut c,
        &SEG_COLS,
        &[
            "合計".into(),
            String::new(),
            digits(s.rebate.order_count as i64),
            yen(s.rebate.base_yen),
            yen(s.rebate.rebate_yen),
        ],
    );
    c.y += 14.0;
    for note in [
        "・対象：下位のお客様（ご本人を除く）が対象月に日本時間で注文した、取消されていない注文の税抜金額。",
        "・還元率：注文日時点で有効な、現在のランクの還元率。月の途中で還元率が変わった場合は期間を分けて計算します。",
        "・還元額：期間ごとに「対象金額 × 還元率」を計算し、円未満を切り捨てて合計しています。",
    ] {
        c.ensure(14.0);
        c.text(MARGIN, c.y, 8.0, note, Align::Left);
        c.y += 12.0;
    }
    c.y += 12.0;
    c.ensure(60.0);
    c.bold(MARGIN, c.y, 10.5, "下位のお客様別の内訳", Align::Left);
    c.y += 6.0;
    if s.downline.is_empty() {
        c.y += 14.0;
        c.text(MARGIN, c.y, 9.0, "対象月の注文はありません。", Align::Left);
    } else {
        layout::table_header(&mut c, &DL_COLS);
        for d in &s.downline {
            layout::table_row(
                &mut c,
                &DL_COLS,
                &[
                    d.customer_code.clone(),
                    d.name.clone(),
                    digits(d.order_count as i64),
                    yen(d.amount_yen),
                ],
            );
        }
    }
    c.finish(&format!("還元額計算書 {} {}", m.label(), s.customer_code))
}
