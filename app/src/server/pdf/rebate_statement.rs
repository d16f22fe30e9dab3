//! 還元額計算書: one customer's rebate for one JST month, segment by segment (a rate change
//! inside the month splits it), with the downline customers' order amounts that make the base.
use super::layout::{self, Align, Canvas, Column, MARGIN, PAGE_W};
use super::PdfError;
use crate::domain::{digits, time::jp_date, yen};
use crate::server::rebate::{percent_label, MonthRebate};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One downline customer's share of the base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DownlineTotal {
    pub customer_code: String,
    pub name: String,
    pub order_count: u64,
    pub amount_yen: i64,
}

/// A return of a downline order recorded in the month: it reduces the month's base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnLine {
    /// JST date the return was recorded.
    pub recorded_on: NaiveDate,
    pub order_number: String,
    pub customer_code: String,
    pub name: String,
    /// Tax-excluded amount returned (positive).
    pub amount_yen: i64,
}

/// Everything the statement prints. A closed month stores this as its figures JSON
/// (`rebate_statements.figures`), so the PDF of a version is rebuilt from it alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RebateStatement {
    pub customer_code: String,
    pub name: String,
    pub rank_label: String,
    pub issued_on: NaiveDate,
    pub rebate: MonthRebate,
    pub downline: Vec<DownlineTotal>,
    pub issuer_name: Option<String>,
    #[serde(default)]
    pub returns: Vec<ReturnLine>,
    /// `None`: 仮計算 (the month is not closed); `Some(n)`: the stored 第n版.
    #[serde(default)]
    pub version: Option<i32>,
    /// Why a version after the first was issued.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `仮計算` before the close, `確定（第1版）` after, `確定（第2版・再発行）` for a reissue.
pub fn status_label(version: Option<i32>) -> String {
    match version {
        None => "仮計算".to_owned(),
        Some(1) => "確定（第1版）".to_owned(),
        Some(n) => format!("確定（第{n}版・再発行）"),
    }
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

const RET_COLS: [Column; 4] = [
    Column {
        title: "返品日",
        width: 100.0,
        align: Align::Left,
    },
    Column {
        title: "注文番号",
        width: 130.0,
        align: Align::Left,
    },
    Column {
        title: "お客様",
        width: 171.28,
        align: Align::Left,
    },
    Column {
        title: "返品額（税抜）",
        width: 110.0,
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
    let status = status_label(s.version);
    c.bold(PAGE_W / 2.0, MARGIN + 72.0, 11.0, &status, Align::Center);
    if s.version.is_none() {
        c.text(
            PAGE_W / 2.0,
            MARGIN + 84.0,
            8.0,
            "この月はまだ締めていません。金額は締めの時点で確定します。",
            Align::Center,
        );
    } else if let Some(reason) = &s.reason {
        let line = c.fit(&format!("再発行の理由：{reason}"), 8.0, 400.0);
        c.text(PAGE_W / 2.0, MARGIN + 84.0, 8.0, &line, Align::Center);
    }
    let mut y = MARGIN + 104.0;
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
        let period = format!("{}〜{}", jp_date(seg.from), jp_date(seg.to));
        if seg.return_count == 0 {
            layout::table_row(
                &mut c,
                &SEG_COLS,
                &[
                    period,
                    percent_label(seg.basis_points),
                    digits(seg.order_count as i64),
                    yen(seg.base_yen),
                    yen(seg.rebate_yen),
                ],
            );
            continue;
        }
        // Returns on their own negative line, then what remains at the segment's rate.
        let rows = [
            [
                period,
                percent_label(seg.basis_points),
                digits(seg.order_count as i64),
                yen(seg.orders_yen),
                String::new(),
            ],
            [
                format!("　返品（{}件）", seg.return_count),
                String::new(),
                String::new(),
                crate::domain::yen(-seg.returns_yen),
                String::new(),
            ],
            [
                "　差引".into(),
                String::new(),
                String::new(),
                crate::domain::yen(seg.base_yen),
                yen(seg.rebate_yen),
            ],
        ];
        for r in rows {
            layout::table_row(&mut c, &SEG_COLS, &r);
        }
    }
    layout::table_row(
        &mut c,
        &SEG_COLS,
        &[
            "合計".into(),
            String::new(),
            digits(s.rebate.order_count as i64),
            crate::domain::yen(s.rebate.base_yen),
            yen(s.rebate.rebate_yen),
        ],
    );
    c.y += 14.0;
    for note in [
        "・対象：下位のお客様（ご本人を除く）が対象月に日本時間で注文した、取消されていない注文の税抜金額。",
        "・還元率：注文日時点で有効な、現在のランクの還元率。月の途中で還元率が変わった場合は期間を分けて計算します。",
        "・還元額：期間ごとに「対象金額 × 還元率」を計算し、円未満を切り捨てて合計しています。",
        "・返品：対象月に記録された返品の税抜金額を、その期間の対象金額から差し引きます（注文月は問いません）。",
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
    if !s.returns.is_empty() {
        c.y += 12.0;
        c.ensure(60.0);
        c.bold(
            MARGIN,
            c.y,
            10.5,
            "返品（対象金額から差し引き）",
            Align::Left,
        );
        c.y += 6.0;
        layout::table_header(&mut c, &RET_COLS);
        for r in &s.returns {
            layout::table_row(
                &mut c,
                &RET_COLS,
                &[
                    jp_date(r.recorded_on),
                    r.order_number.clone(),
                    format!("{} {}", r.customer_code, r.name),
                    crate::domain::yen(-r.amount_yen),
                ],
            );
        }
    }
    c.finish(&format!("還元額計算書 {} {}", m.label(), s.customer_code))
}
