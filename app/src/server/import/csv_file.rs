//! Reading the two CSV files as Excel in a Japanese office writes them: UTF-8 (with or
//! without BOM) or Shift_JIS, which in practice is Windows-31J (CP932).
use super::{CsvFile, ImportError};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    ShiftJis,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8（BOMあり）",
            TextEncoding::ShiftJis => "Shift_JIS",
        })
    }
}

/// Valid UTF-8 is taken as UTF-8: Japanese text in Shift_JIS is practically never valid
/// UTF-8, while the reverse guess would garble every UTF-8 file. `encoding_rs::SHIFT_JIS`
/// is the WHATWG Shift_JIS, i.e. CP932 with the NEC/IBM extensions (①, ㈱, 髙) that
/// Windows writes. Bytes that are neither are refused rather than replaced, so a wrong
/// guess never stores mojibake.
pub fn decode(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .ok()
            .map(|s| (s.to_owned(), TextEncoding::Utf8Bom));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_owned(), TextEncoding::Utf8));
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), TextEncoding::ShiftJis))
}

/// One data row: its line number (the header is line 1) and its cells, trimmed.
#[derive(Clone, Debug)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub file: CsvFile,
    pub encoding: TextEncoding,
    pub headers: Vec<String>,
    pub records: Vec<Record>,
}

impl Table {
    /// Decodes and splits a file; checks that every required column is in the header.
    pub fn read(
        file: CsvFile,
        bytes: &[u8],
        required: &[&'static str],
    ) -> Result<Table, ImportError> {
        let (text, encoding) = decode(bytes).ok_or(ImportError::Encoding { file })?;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            // Rows of the wrong length are reported per line instead of failing the file.
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|source| ImportError::Csv { file, source })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(ImportError::Empty { file });
        }
        let missing: Vec<&'static str> = required
            .iter()
            .copied()
            .filter(|c| !headers.iter().any(|h| h == c))
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns { file, missing });
        }
        // csv's own line numbers are off for CRLF files (the `\n` of a `\r\n` is read as the
        // start of the next record), so lines are counted from the byte offset instead.
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        let line_at = |byte: usize| {
            let rest = text.as_bytes().get(byte..).unwrap_or_default();
            let start = byte
                + rest
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
            newlines.partition_point(|&n| n < start) as u64 + 1
        };
        let mut records = Vec::new();
        for r in rdr.records() {
            let r = r.map_err(|source| ImportError::Csv { file, source })?;
            let cells: Vec<String> = r.iter().map(|c| c.trim().to_owned()).collect();
            // Excel leaves rows of bare commas below the data; they are not rows.
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let line = r
                .position()
                .map(|p| line_at(p.byte() as usize))
                .unwrap_or(0);
            records.push(Record { line, cells });
        }
        Ok(Table {
            file,
            encoding,
            headers,
            records,
        })
    }

    /// The trimmed cell of `column` in `r` ("" when the column or the cell is absent).
    pub fn cell<'a>(&self, r: &'a Record, column: &str) -> &'a str {
        self.headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| r.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_and_shift_jis() {
        let text = "お客様ID,代理店名\n10000001,㈱髙橋商事\n";
        let (s, e) = decode(text.as_bytes()).unwrap();
        assert_eq!((s.as_str(), e), (text, TextEncoding::Utf8));

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let (s, e) = decode(&bom).unwrap();
        assert_eq!((s.as_str(), e), (text, TextEncoding::Utf8Bom));

        let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&sjis).is_err());
        let (s, e) = decode(&sjis).unwrap();
        assert_eq!((s.as_str(), e), (text, TextEncoding::ShiftJis));
    }

    #[test]
    fn undecodable_bytes_are_refused() {
        assert!(decode(b"\xEF\xBB\xBF\xFF\xFE").is_none());
        assert!(decode(b"abc\x85\xFF").is_none());
    }

    #[test]
    fn reads_lines_skips_blank_rows_and_reports_missing_columns() {
        let csv = "お客様ID, メールアドレス \r\n10000001,a@example.jp\r\n,\r\n\r\n\"10000002\",\" b@example.jp \"\r\n";
        let t = Table::read(
            CsvFile::Logins,
            csv.as_bytes(),
            &["お客様ID", "メールアドレス"],
        )
        .unwrap();
        let got: Vec<(u64, &str)> = t
            .records
            .iter()
            .map(|r| (r.line, t.cell(r, "メールアドレス")))
            .collect();
        assert_eq!(got, [(2, "a@example.jp"), (5, "b@example.jp")]);
        let lf = csv.replace("\r\n", "\n");
        let t = Table::read(CsvFile::Logins, lf.as_bytes(), &["お客様ID"]).unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5]);
        // A quoted cell spanning lines: the next row is numbered by its physical line.
        let multi = "お客様ID,住所\r\n1,\"東京都\r\n千代田区\"\r\n2,大阪\r\n";
        let t = Table::read(CsvFile::Customers, multi.as_bytes(), &["お客様ID"]).unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);

        let e = Table::read(CsvFile::Logins, b"x,y\n1,2\n", &["お客様ID"]).unwrap_err();
        assert!(
            matches!(e, ImportError::MissingColumns { ref missing, .. } if missing == &["お客様ID"])
        );
        assert!(matches!(
            Table::read(CsvFile::Logins, b"", &["お客様ID"]),
            Err(ImportError::Empty { .. })
        ));
    }
}
