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
