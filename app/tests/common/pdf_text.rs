//! A PDF's text as poppler's `pdftotext -layout` extracts it: what a reader of the printed
//! document sees, for the document and 還元額 close tests.
#![allow(dead_code)]
use std::process::Command;

/// A scratch folder of its own (tests run in parallel threads).
pub fn scratch(kind: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "daiko_{kind}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ))
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = scratch("doc");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// The text without white space: layout columns differ by font metrics, the words do not.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
