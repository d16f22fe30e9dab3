//! Built assets under `/pkg/`: content-hashed names (cargo-leptos `hash-files`, listed in
//! `hash.txt` beside the server binary) and their cache rule. The brotli / gzip copies that
//! `cargo leptos build --release --precompress` writes are picked by leptos_axum's file
//! handler from the request's `Accept-Encoding`.
use leptos::config::LeptosOptions;
use std::path::PathBuf;

/// A year, the most any browser honours: a hashed name never changes content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed assets (debug builds without a hash file, favicon): revalidate every time, so a
/// new build is never hidden behind a stale copy.
pub const REVALIDATE: &str = "no-cache";

/// The hash file cargo-leptos writes beside the binary.
fn hash_file(opts: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(opts.hash_file.as_ref()))
}

/// Turns hashed names on when the build wrote a hash file and `LEPTOS_HASH_FILES` does not
/// say otherwise: the server is started directly (`./target/release/daiko serve`), not by
/// cargo-leptos, so nothing else would set it.
pub fn configure(opts: &mut LeptosOptions) {
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        opts.hash_files = hash_file(opts).is_some_and(|p| p.exists());
    }
    tracing::info!(hashed = opts.hash_files, "asset names");
}

/// `css: <hash>` and the like from the hash file's text.
fn hash_of<'a>(text: &'a str, kind: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == kind)
        .map(|(_, h)| h.trim())
        .filter(|h| !h.is_empty())
}

/// The stylesheet's URL, for pages rendered outside Leptos (the plain 404).
pub fn stylesheet_href(opts: &LeptosOptions) -> String {
    let hash = opts
        .hash_files
        .then(|| hash_file(opts).and_then(|p| std::fs::read_to_string(p).ok()))
        .flatten();
    match hash.as_deref().and_then(|t| hash_of(t, "css")) {
        Some(h) => format!("/{}/{}.{h}.css", opts.site_pkg_dir, opts.output_name),
        None => format!("/{}/{}.css", opts.site_pkg_dir, opts.output_name),
    }
}

/// Is the last path segment `name.<hash>.<ext>` with cargo-leptos' hash (MD5 in unpadded
/// URL-safe base64: 22 characters)?
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let mut parts = file.split('.');
    let (Some(name), Some(hash), Some(ext), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !name.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && matches!(ext, "js" | "wasm" | "css")
}

/// The site icons every page names (`public/`).
pub const ICONS: [&str; 2] = ["/favicon.ico", "/favicon.svg"];

/// A built asset: the `/pkg` files and the site icons. Public (no session), not activity,
/// and cached by [`cache_control`].
pub fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || ICONS.contains(&path)
}

/// The `Cache-Control` of an asset request (see [`is_asset`]).
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/pkg/") && is_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_build_outputs_are_immutable() {
        assert_eq!(
            cache_control("/pkg/daiko.Ab3_-x9ZQk2LmN0pQrStUv.wasm"),
            IMMUTABLE
        );
        assert_eq!(
            cache_control("/pkg/daiko.Ab3_-x9ZQk2LmN0pQrStUv.css"),
            IMMUTABLE
        );
        assert_eq!(cache_control("/pkg/daiko.wasm"), REVALIDATE);
        assert_eq!(cache_control("/pkg/daiko.css"), REVALIDATE);
        assert_eq!(cache_control("/favicon.ico"), REVALIDATE);
        // Wrong length, a stray dot, an extension we do not build, outside /pkg.
        assert_eq!(cache_control("/pkg/daiko.Ab3.wasm"), REVALIDATE);
        assert_eq!(
            cache_control("/pkg/a.b.Ab3_-x9ZQk2LmN0pQrStUv.js"),
            REVALIDATE
        );
        assert_eq!(
            cache_control("/pkg/daiko.Ab3_-x9ZQk2LmN0pQrStUv.html"),
            REVALIDATE
        );
        assert_eq!(
            cache_control("/x/daiko.Ab3_-x9ZQk2LmN0pQrStUv.js"),
            REVALIDATE
        );
    }

    #[test]
    fn hash_file_lines_are_read_by_kind() {
        let t = "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n";
        assert_eq!(hash_of(t, "css"), Some("CCCCCCCCCCCCCCCCCCCCCC"));
        assert_eq!(hash_of(t, "wasm"), Some("BBBBBBBBBBBBBBBBBBBBBB"));
        assert_eq!(hash_of(t, "manifest"), None);
        assert_eq!(hash_of("css:\n", "css"), None);
    }
}
