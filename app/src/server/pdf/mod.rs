//! PDF documents (R8): 納品書 and 還元額計算書, A4, Japanese text in an embedded SUBSET of a
//! TrueType font (krilla subsets every font it embeds to the glyphs a document uses).
//! Rendering is CPU work: call `render` functions inside `tokio::task::spawn_blocking`.
pub mod delivery_note;
pub mod fonts;
pub mod layout;
pub mod rebate_statement;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("no Japanese font: {0}")]
    Font(String),
    #[error("PDF writer: {0}")]
    Write(String),
}

impl From<PdfError> for crate::error::AppError {
    fn from(e: PdfError) -> Self {
        tracing::error!(error = %e, "PDF rendering failed");
        crate::error::AppError::Internal
    }
}

/// `1,234` (no currency sign: columns say 円 in their titles).
pub use crate::orders::digits;

/// `¥1,234`
pub fn yen(v: i64) -> String {
    format!("¥{}", digits(v))
}

/// `2026年11月30日`
pub fn jp_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(digits(0), "0");
        assert_eq!(digits(999), "999");
        assert_eq!(digits(1_000), "1,000");
        assert_eq!(digits(1_234_567), "1,234,567");
        assert_eq!(yen(-1_000), "¥-1,000");
    }
}
