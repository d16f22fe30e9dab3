//! A small page-layout layer over krilla: A4 pages as display lists (text, lines, boxes),
//! tables that continue on the next page with their header repeated, and a footer with the
//! page count, written to PDF at the end. Coordinates are points from the top-left corner.
use super::fonts::{self, JpFont, Shaped};
use super::PdfError;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::Document;

/// A4 portrait in points (210 × 297 mm).
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN: f32 = 42.0;
/// Lowest baseline content may use; the footer lives below it.
pub const BOTTOM: f32 = PAGE_H - 56.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        shaped: Shaped,
        text: String,
        bold: bool,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
}

/// A document being laid out.
pub struct Canvas {
    font: &'static JpFont,
    pages: Vec<Vec<Op>>,
    /// Current vertical position (top of the next thing to place).
    pub y: f32,
    /// Printed at the bottom of every page, left, e.g. `お客様ID 10000030 ／ 納品書 O-…`.
    pub footer: String,
}

impl Canvas {
    pub fn new() -> Result<Canvas, PdfError> {
        Ok(Canvas {
            font: fonts::get()?,
            pages: vec![Vec::new()],
            y: MARGIN,
            footer: String::new(),
        })
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.font.width(text, size)
    }

    /// Text with its baseline at `y`; `x` is the left edge, centre or right edge per `align`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str, align: Align) {
        self.text_styled(x, y, size, text, align, false);
    }

    pub fn bold(&mut self, x: f32, y: f32, size: f32, text: &str, align: Align) {
        self.text_styled(x, y, size, text, align, true);
    }

    fn text_styled(&mut self, x: f32, y: f32, size: f32, text: &str, align: Align, bold: bool) {
        if text.is_empty() {
            return;
        }
        let shaped = self.font.shape(text);
        let w = shaped.width_em * size;
        let x = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.ops().push(Op::Text {
            x,
            y,
            size,
            shaped,
            text: text.to_owned(),
            bold,
        });
    }

    /// `text` cut with `…` so that it fits `max_w` points.
    pub fn fit(&self, text: &str, size: f32, max_w: f32) -> String {
        if self.width(text, size) <= max_w {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let s: String = chars[..mid].iter().collect::<String>() + "…";
            if self.width(&s, size) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        chars[..lo].iter().collect::<String>() + "…"
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.ops().push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }

    /// A filled box; `gray` 0 = black … 255 = white.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: u8) {
        self.ops().push(Op::Rect { x, y, w, h, gray });
    }

    /// A box outline.
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.line(x, y, x + w, y, width);
        self.line(x + w, y, x + w, y + h, width);
        self.line(x + w, y + h, x, y + h, width);
        self.line(x, y + h, x, y, width);
    }

    /// Starts a new page when fewer than `h` points are left above the footer.
    pub fn ensure(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Writes the PDF: every page gets the footer and `n / N`.
    pub fn finish(mut self, title: &str) -> Result<Vec<u8>, PdfError> {
        let total = self.pages.len();
        let footer = std::mem::take(&mut self.footer);
        for i in 0..total {
            self.pages[i].push(Op::Line {
                x1: MARGIN,
                y1: PAGE_H - 44.0,
                x2: PAGE_W - MARGIN,
                y2: PAGE_H - 44.0,
                width: 0.5,
            });
            let left = self.font.shape(&footer);
            self.pages[i].push(Op::Text {
                x: MARGIN,
                y: PAGE_H - 30.0,
                size: 8.0,
                shaped: left,
                text: footer.clone(),
                bold: false,
            });
            let n = format!("{} / {}", i + 1, total);
            let right = self.font.shape(&n);
            let w = right.width_em * 8.0;
            self.pages[i].push(Op::Text {
                x: PAGE_W - MARGIN - w,
                y: PAGE_H - 30.0,
                size: 8.0,
                shaped: right,
                text: n,
                bold: false,
            });
        }
        let mut doc = Document::new();
        doc.set_metadata(
            krilla::metadata::Metadata::new()
                .title(title.to_owned())
                .creator("Daiko 業務代行クラウドシステム".to_owned())
                .language("ja".to_owned()),
        );
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| PdfError::Write("A4 size".into()))?;
        let font = self.font.font.clone();
        for ops in &self.pages {
            let mut page = doc.start_page_with(settings.clone());
            let mut s = page.surface();
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        shaped,
                        text,
                        bold,
                    } => {
                        s.set_fill(Some(Fill::default()));
                        // IPAex has no bold face: a thin outline in the text colour thickens it.
                        s.set_stroke(bold.then(|| Stroke {
                            width: size * 0.035,
                            ..Default::default()
                        }));
                        s.draw_glyphs(
                            Point::from_xy(*x, *y),
                            &shaped.glyphs,
                            font.clone(),
                            text,
                            *size,
                            false,
                        );
                        s.set_stroke(None);
                    }
                    Op::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                    } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(*x1, *y1);
                        pb.line_to(*x2, *y2);
                        if let Some(path) = pb.finish() {
                            s.set_fill(None);
                            s.set_stroke(Some(Stroke {
                                width: *width,
                                ..Default::default()
                            }));
                            s.draw_path(&path);
                            s.set_stroke(None);
                        }
                    }
                    Op::Rect { x, y, w, h, gray } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(*x, *y);
                        pb.line_to(x + w, *y);
                        pb.line_to(x + w, y + h);
                        pb.line_to(*x, y + h);
                        pb.close();
                        if let Some(path) = pb.finish() {
                            s.set_stroke(None);
                            s.set_fill(Some(Fill {
                                paint: rgb::Color::new(*gray, *gray, *gray).into(),
                                opacity: NormalizedF32::ONE,
                                rule: Default::default(),
                            }));
                            s.draw_path(&path);
                        }
                    }
                }
            }
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
    }
}

/// A table column: title, width in points, alignment.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

pub const ROW_H: f32 = 17.0;
const CELL_PAD: f32 = 4.0;
const FONT_SIZE: f32 = 9.0;

/// Draws the table's header row at the current position.
pub fn table_header(c: &mut Canvas, cols: &[Column]) {
    let total: f32 = cols.iter().map(|c| c.width).sum();
    c.fill(MARGIN, c.y, total, ROW_H, 225);
    let mut x = MARGIN;
    let base = c.y + ROW_H - 5.0;
    for col in cols {
        c.bold(
            x + col.width / 2.0,
            base,
            FONT_SIZE,
            col.title,
            Align::Center,
        );
        x += col.width;
    }
    c.line(MARGIN, c.y, MARGIN + total, c.y, 0.8);
    c.line(MARGIN, c.y + ROW_H, MARGIN + total, c.y + ROW_H, 0.8);
    c.y += ROW_H;
}

/// One row; starts a new page (with the header again) when the page is full.
pub fn table_row(c: &mut Canvas, cols: &[Column], cells: &[String]) {
    if c.ensure(ROW_H) {
        table_header(c, cols);
    }
    let total: f32 = cols.iter().map(|c| c.width).sum();
    let base = c.y + ROW_H - 5.0;
    let mut x = MARGIN;
    for (col, cell) in cols.iter().zip(cells) {
        let shown = c.fit(cell, FONT_SIZE, col.width - 2.0 * CELL_PAD);
        let at = match col.align {
            Align::Left => x + CELL_PAD,
            Align::Center => x + col.width / 2.0,
            Align::Right => x + col.width - CELL_PAD,
        };
        c.text(at, base, FONT_SIZE, &shown, col.align);
        x += col.width;
    }
    c.y += ROW_H;
    c.line(MARGIN, c.y, MARGIN + total, c.y, 0.3);
}
