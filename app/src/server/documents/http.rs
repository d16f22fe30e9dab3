//! How the document routes answer: errors as Japanese text, files as attachments with an
//! RFC 6266 file name, and PDF rendering off the async threads.
use crate::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error as the document routes answer it: status and the Japanese message as text.
pub fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        e.message(),
    )
        .into_response()
}

/// RFC 5987 `attr-char` percent-encoding for `filename*=UTF-8''…`.
pub fn rfc5987(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `attachment; filename="ascii.pdf"; filename*=UTF-8''日本語.pdf` (RFC 6266 / 5987).
pub fn content_disposition(ascii: &str, utf8: &str) -> String {
    let ascii: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc5987(utf8)
    )
}

pub fn pdf_response(bytes: Vec<u8>, ascii: &str, utf8: &str) -> Response {
    let cd = HeaderValue::from_str(&content_disposition(ascii, utf8))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, cd),
        ],
        bytes,
    )
        .into_response()
}

/// Renders on a blocking thread: PDF layout and font subsetting are CPU work.
pub async fn render<T: Send + 'static>(
    data: T,
    f: fn(&T) -> Result<Vec<u8>, crate::server::pdf::PdfError>,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || f(&data))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "PDF task failed");
            AppError::Internal
        })?
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_rfc5987_encoded() {
        assert_eq!(rfc5987("納品書.pdf"), "%E7%B4%8D%E5%93%81%E6%9B%B8.pdf");
        assert_eq!(rfc5987("a b"), "a%20b");
        assert_eq!(
            content_disposition("delivery-note-O-1.pdf", "納品書_O-1.pdf"),
            "attachment; filename=\"delivery-note-O-1.pdf\"; filename*=UTF-8''%E7%B4%8D%E5%93%81%E6%9B%B8_O-1.pdf"
        );
        // Quotes and separators never reach the header unescaped.
        assert_eq!(
            content_disposition("a\"b;c.pdf", "x"),
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''x"
        );
    }
}
