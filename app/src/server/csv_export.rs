//! CSV downloads for Excel (#11.5): UTF-8 with a BOM (Excel then reads Japanese correctly) or
//! Shift_JIS (Windows-31J) on request, CRLF line ends, and text cells that Excel would run as
//! a formula neutralised with a leading `'` (CSV injection). Rows are produced in batches by a
//! keyset-paged query and streamed, so an export never holds the whole result in memory.
use std::{borrow::Cow, future::Future};

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use encoding_rs::EncoderResult;
use futures_util::{stream, Stream, StreamExt};

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvEncoding {
    Utf8Bom,
    ShiftJis,
}

impl CsvEncoding {
    /// `encoding=sjis` (or `shift_jis`) asks for Shift_JIS; anything else is UTF-8 with BOM.
    pub fn from_param(p: Option<&str>) -> Self {
        match p.map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s == "sjis" || s == "shift_jis" || s == "shift-jis" => Self::ShiftJis,
            _ => Self::Utf8Bom,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Utf8Bom => "text/csv; charset=utf-8",
            Self::ShiftJis => "text/csv; charset=Shift_JIS",
        }
    }

    /// What the file starts with before the header row.
    fn preamble(self) -> &'static [u8] {
        match self {
            Self::Utf8Bom => "\u{feff}".as_bytes(),
            Self::ShiftJis => b"",
        }
    }

    /// Encodes text. A character Shift_JIS cannot hold becomes `?` (encoding_rs's own
    /// replacement is an HTML entity, which Excel shows as `&#...;`).
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Self::Utf8Bom => text.as_bytes().to_vec(),
            Self::ShiftJis => {
                let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
                let mut out = Vec::with_capacity(text.len());
                let mut rest = text;
                loop {
                    let (result, read) =
                        encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
                    rest = &rest[read..];
                    match result {
                        EncoderResult::InputEmpty => return out,
                        EncoderResult::OutputFull => out.reserve(rest.len() + 16),
                        EncoderResult::Unmappable(_) => out.push(b'?'),
                    }
                }
            }
        }
    }

    /// The file's start: the preamble and the header row.
    fn start(self, header: &[&str]) -> Vec<u8> {
        let head: Vec<Cell> = header.iter().map(|h| Cell::from(*h)).collect();
        let mut out = self.preamble().to_vec();
        out.extend(self.encode(&record(&head)));
        out
    }

    /// Encoded records.
    fn rows(self, rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in rows {
            out.extend(self.encode(&record(r)));
        }
        out
    }
}

/// One cell. Numbers are written as they are (a negative amount stays a number); text is
/// neutralised and quoted as needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        Cell::Text(s.unwrap_or_default())
    }
}

/// Characters that make a spreadsheet treat a cell as a formula (OWASP's list, plus the
/// full-width forms a Japanese IME types).
fn is_formula_start(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '＝' | '＋' | '－' | '＠'
    )
}

/// Prefixes `'` to a text cell that a spreadsheet would otherwise evaluate.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if is_formula_start(c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn push_text(line: &mut String, text: &str) {
    let text = neutralise(text);
    if text.contains([',', '"', '\r', '\n']) || text.starts_with(' ') || text.ends_with(' ') {
        line.push('"');
        line.push_str(&text.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(&text);
    }
}

/// One CSV record with its CRLF.
pub fn record(cells: &[Cell]) -> String {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match c {
            Cell::Text(t) => push_text(&mut line, t),
            Cell::Number(n) => line.push_str(&n.to_string()),
        }
    }
    line.push_str("\r\n");
    line
}

/// A whole file in memory, as `response` streams it.
#[cfg(test)]
fn to_bytes(encoding: CsvEncoding, header: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = encoding.start(header);
    out.extend(encoding.rows(rows));
    out
}

/// Streams batches from `fetch(cursor)`: each call returns one batch of rows and the cursor
/// to continue after (keyset paging: the last row's sort key), `None` after the last batch.
pub fn paged<K, F, Fut>(first: K, fetch: F) -> impl Stream<Item = Result<Vec<Vec<Cell>>, AppError>>
where
    K: Send + 'static,
    F: FnMut(K) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<Vec<Cell>>, Option<K>), AppError>> + Send,
{
    stream::unfold((Some(first), fetch), |(cursor, mut fetch)| async move {
        let k = cursor?;
        match fetch(k).await {
            Ok((rows, next)) => Some((Ok(rows), (next, fetch))),
            Err(e) => Some((Err(e), (None, fetch))),
        }
    })
}

/// The download response: `filename` (ASCII, e.g. `orders-2026-12.csv`), the header row, then
/// the streamed rows. A database error mid-stream ends the body with an error (the browser
/// reports a failed download instead of saving a silently truncated file).
pub fn response<S>(filename: &str, encoding: CsvEncoding, header: &[&str], rows: S) -> Response
where
    S: Stream<Item = Result<Vec<Vec<Cell>>, AppError>> + Send + 'static,
{
    let first = encoding.start(header);
    let body = stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(first)) }).chain(
        rows.map(move |batch| match batch {
            Ok(rows) => Ok(Bytes::from(encoding.rows(&rows))),
            Err(e) => {
                tracing::error!(error = %e, "csv export stopped");
                Err(std::io::Error::other("export failed"))
            }
        }),
    );
    let disposition = format!("attachment; filename=\"{filename}\"");
    let mut resp = Body::from_stream(body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(encoding.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for s in [
            "=1+1",
            "+81 90",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝HYPERLINK(\"x\")",
        ] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        for s in ["株式会社みどり商事", "090-1234-5678", "a=b", ""] {
            assert_eq!(neutralise(s), s);
        }
    }

    #[test]
    fn records_quote_and_keep_numbers() {
        let r = record(&[
            Cell::from("=cmd|' /C calc'!A0"),
            Cell::from("a,b"),
            Cell::from("say \"hi\""),
            Cell::Number(-500),
            Cell::from("-500"),
        ]);
        assert_eq!(
            r,
            "'=cmd|' /C calc'!A0,\"a,b\",\"say \"\"hi\"\"\",-500,'-500\r\n"
        );
        // A neutralised cell that also needs quotes keeps the quote mark inside the quotes.
        assert_eq!(record(&[Cell::from("=a,b")]), "\"'=a,b\"\r\n");
    }

    #[test]
    fn utf8_has_a_bom_and_shift_jis_is_windows_31j() {
        let rows = vec![vec![Cell::from("髙橋 ①"), Cell::Number(1)]];
        let u = to_bytes(CsvEncoding::Utf8Bom, &["名前", "数"], &rows);
        assert!(u.starts_with(&[0xef, 0xbb, 0xbf]));
        assert_eq!(
            std::str::from_utf8(&u[3..]).ok(),
            Some("名前,数\r\n髙橋 ①,1\r\n")
        );
        let s = to_bytes(CsvEncoding::ShiftJis, &["名前"], &rows);
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&s);
        assert!(!bad);
        assert_eq!(text, "名前\r\n髙橋 ①,1\r\n");
        // Outside Windows-31J: a question mark, never an HTML entity.
        assert_eq!(CsvEncoding::ShiftJis.encode("a😀b"), b"a?b".to_vec());
    }

    #[test]
    fn encoding_parameter() {
        assert_eq!(CsvEncoding::from_param(Some("sjis")), CsvEncoding::ShiftJis);
        assert_eq!(
            CsvEncoding::from_param(Some("Shift_JIS")),
            CsvEncoding::ShiftJis
        );
        assert_eq!(CsvEncoding::from_param(None), CsvEncoding::Utf8Bom);
        assert_eq!(CsvEncoding::from_param(Some("x")), CsvEncoding::Utf8Bom);
    }
}
