//! 納品書: one order, its lines, and tax per rate (インボイス-style: subtotal and 消費税 for
//! 10 % and for 8 % each, then the total). The figures are the order's stored ones (computed
//! once by `domain::tax` when it was placed); nothing is recomputed here.
use super::layout::{self, Align, Canvas, Column, MARGIN, PAGE_W};
use super::PdfError;
use crate::domain::{digits, time::jp_date, yen};
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct Party {
    pub customer_code: String,
    pub name: String,
    pub postal_code: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub line_no: i64,
    pub product_code: String,
    pub product_name: String,
    pub unit_price_yen: i64,
    pub quantity: i64,
    pub tax_rate_percent: i64,
    pub amount_yen: i64,
}

#[derive(Clone, Debug)]
pub struct DeliveryNote {
    pub order_number: String,
    /// JST dates.
    pub ordered_on: NaiveDate,
    pub issued_on: NaiveDate,
    pub customer: Party,
    /// The operator (全国販社) issuing the note.
    pub issuer: Option<Party>,
    pub lines: Vec<Line>,
    pub subtotal_10_yen: i64,
    pub tax_10_yen: i64,
    pub subtotal_8_yen: i64,
    pub tax_8_yen: i64,
    pub total_yen: i64,
}

const COLS: [Column; 7] = [
    Column {
        title: "No.",
        width: 28.0,
        align: Align::Right,
    },
    Column {
        title: "商品コード",
        width: 62.0,
        align: Align::Left,
    },
    Column {
        title: "商品名",
        width: 185.0,
        align: Align::Left,
    },
    Column {
        title: "単価（税抜）",
        width: 70.0,
        align: Align::Right,
    },
    Column {
        title: "数量",
        width: 40.0,
        align: Align::Right,
    },
    Column {
        title: "税率",
        width: 38.0,
        align: Align::Center,
    },
    Column {
        title: "金額（税抜）",
        width: 88.28,
        align: Align::Right,
    },
];

pub fn render(n: &DeliveryNote) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new()?;
    c.footer = format!(
        "納品書　注文番号 {}　お客様ID {}　{} 様",
        n.order_number, n.customer.customer_code, n.customer.name
    );
    let right = PAGE_W - MARGIN;
    // Heading.
    c.text(
        right,
        MARGIN + 8.0,
        9.0,
        &format!("発行日　{}", jp_date(n.issued_on)),
        Align::Right,
    );
    c.text(
        right,
        MARGIN + 21.0,
        9.0,
        &format!("注文番号　{}", n.order_number),
        Align::Right,
    );
    c.bold(
        PAGE_W / 2.0,
        MARGIN + 48.0,
        22.0,
        "納　品　書",
        Align::Center,
    );
    c.line(
        PAGE_W / 2.0 - 80.0,
        MARGIN + 55.0,
        PAGE_W / 2.0 + 80.0,
        MARGIN + 55.0,
        0.8,
    );
    // Customer (left) and issuer (right).
    let mut y = MARGIN + 86.0;
    if let Some(p) = &n.customer.postal_code {
        c.text(MARGIN, y, 9.0, &format!("〒{p}"), Align::Left);
        y += 13.0;
    }
    if let Some(a) = &n.customer.address {
        let a = c.fit(a, 9.0, 260.0);
        c.text(MARGIN, y, 9.0, &a, Align::Left);
        y += 13.0;
    }
    y += 8.0;
    let name = c.fit(&format!("{}　様", n.customer.name), 14.0, 270.0);
    c.bold(MARGIN, y, 14.0, &name, Align::Left);
    c.line(MARGIN, y + 4.0, MARGIN + 275.0, y + 4.0, 0.8);
    y += 20.0;
    c.bold(
        MARGIN,
        y,
        11.0,
        &format!("お客様ID　{}", n.customer.customer_code),
        Align::Left,
    );
    if let Some(iss) = &n.issuer {
        let x = 340.0;
        let mut iy = MARGIN + 86.0;
        c.bold(x, iy, 11.0, &c.fit(&iss.name, 11.0, right - x), Align::Left);
        iy += 14.0;
        if let Some(p) = &iss.postal_code {
            c.text(x, iy, 8.5, &format!("〒{p}"), Align::Left);
            iy += 12.0;
        }
        if let Some(a) = &iss.address {
            let a = c.fit(a, 8.5, right - x);
            c.text(x, iy, 8.5, &a, Align::Left);
        }
    }
    y += 22.0;
    c.text(MARGIN, y, 10.0, "下記のとおり納品いたします。", Align::Left);
    c.text(
        right,
        y,
        9.0,
        &format!("ご注文日　{}", jp_date(n.ordered_on)),
        Align::Right,
    );
    y += 10.0;
    // The amount due, large.
    c.fill(MARGIN, y, 260.0, 30.0, 235);
    c.frame(MARGIN, y, 260.0, 30.0, 0.8);
    c.bold(
        MARGIN + 10.0,
        y + 20.0,
        11.0,
        "合計金額（税込）",
        Align::Left,
    );
    c.bold(
        MARGIN + 250.0,
        y + 21.0,
        15.0,
        &format!("{} -", yen(n.total_yen)),
        Align::Right,
    );
    c.y = y + 44.0;

    layout::table_header(&mut c, &COLS);
    for l in &n.lines {
        let rate = if l.tax_rate_percent == 8 {
            "8%※".to_owned()
        } else {
            format!("{}%", l.tax_rate_percent)
        };
        layout::table_row(
            &mut c,
            &COLS,
            &[
                l.line_no.to_string(),
                l.product_code.clone(),
                l.product_name.clone(),
                digits(l.unit_price_yen),
                digits(l.quantity),
                rate,
                digits(l.amount_yen),
            ],
        );
    }

    // Per-rate totals (インボイス): 税率ごとの対象額と消費税額, then the total.
    let rows: Vec<(String, String)> = vec![
        ("10%対象　小計（税抜）".into(), yen(n.subtotal_10_yen)),
        ("10%対象　消費税".into(), yen(n.tax_10_yen)),
        (
            "8%対象（軽減税率）　小計（税抜）".into(),
            yen(n.subtotal_8_yen),
        ),
        ("8%対象（軽減税率）　消費税".into(), yen(n.tax_8_yen)),
        ("合計（税込）".into(), yen(n.total_yen)),
    ];
    let box_h = rows.len() as f32 * 18.0 + 8.0;
    c.ensure(box_h + 50.0);
    c.y += 10.0;
    let bx = right - 280.0;
    c.frame(bx, c.y, 280.0, box_h, 0.8);
    let mut ry = c.y + 17.0;
    let last = rows.len() - 1;
    for (i, (label, value)) in rows.iter().enumerate() {
        if i == last {
            c.line(bx, ry - 13.0, right, ry - 13.0, 0.8);
            c.bold(bx + 8.0, ry + 1.0, 10.5, label, Align::Left);
            c.bold(right - 8.0, ry + 1.0, 11.0, value, Align::Right);
        } else {
            c.text(bx + 8.0, ry, 9.0, label, Align::Left);
            c.text(right - 8.0, ry, 9.5, value, Align::Right);
        }
        ry += 18.0;
    }
    c.y += box_h + 14.0;
    c.text(
        MARGIN,
        c.y,
        8.0,
        "※は軽減税率（8%）対象商品です。消費税は税率ごとの合計額に対して計算し、円未満を切り捨てています。",
        Align::Left,
    );
    c.finish(&format!("納品書 {}", n.order_number))
}
