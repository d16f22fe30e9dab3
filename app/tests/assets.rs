//! Built assets through the real router (#12): a hashed `/pkg` name is answered as brotli or
//! gzip from the precompressed copy the browser accepts, `immutable`, with `Vary`; unhashed
//! assets revalidate; a missing one is never cached; pages are `no-store`.
mod common;

use common::{Backend, TempDir, TestApp};

const HASHED: &str = "daiko.Ab3_-x9ZQk2LmN0pQrStUv.wasm";

/// A site root with one asset in three encodings, each with different bytes so the test can
/// tell which file was sent.
fn site() -> TempDir {
    let dir = TempDir(std::env::temp_dir().join(format!("daiko_assets_{}", std::process::id())));
    let pkg = dir.0.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join(HASHED), b"plain wasm bytes").unwrap();
    std::fs::write(pkg.join(format!("{HASHED}.br")), b"br").unwrap();
    std::fs::write(pkg.join(format!("{HASHED}.gz")), b"gzip").unwrap();
    std::fs::write(pkg.join("daiko.css"), b"body{}").unwrap();
    std::fs::write(dir.0.join("favicon.ico"), b"ico bytes").unwrap();
    std::fs::write(dir.0.join("favicon.svg"), b"<svg/>").unwrap();
    dir
}

async fn get(app: &TestApp, path: &str, accept: &str) -> (reqwest::StatusCode, String, Vec<u8>) {
    let http = reqwest::Client::new();
    let mut req = http.get(format!("{}{path}", app.base));
    if !accept.is_empty() {
        req = req.header("accept-encoding", accept);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let h = res.headers();
    let show = |k: &str| {
        h.get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    let headers = format!(
        "enc={} cc={} vary={}",
        show("content-encoding"),
        show("cache-control"),
        show("vary")
    );
    (status, headers, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_immutable() {
    let dir = site();
    let app = TestApp::spawn_with_site_root(Backend::Sqlite, dir.0.to_str().unwrap()).await;
    let path = format!("/pkg/{HASHED}");
    let immutable = "cc=public, max-age=31536000, immutable vary=accept-encoding";

    let (s, h, body) = get(&app, &path, "br, gzip").await;
    assert_eq!((s.as_u16(), body.as_slice()), (200, &b"br"[..]), "{h}");
    assert_eq!(h, format!("enc=br {immutable}"));

    let (s, h, body) = get(&app, &path, "gzip").await;
    assert_eq!((s.as_u16(), body.as_slice()), (200, &b"gzip"[..]), "{h}");
    assert_eq!(h, format!("enc=gzip {immutable}"));

    let (s, h, body) = get(&app, &path, "").await;
    assert_eq!(
        (s.as_u16(), body.as_slice()),
        (200, &b"plain wasm bytes"[..]),
        "{h}"
    );
    assert_eq!(h, format!("enc=- {immutable}"));

    // An unhashed build output may change under the same name: revalidate.
    let (s, h, _) = get(&app, "/pkg/daiko.css", "br, gzip").await;
    assert_eq!(s, 200);
    assert_eq!(h, "enc=- cc=no-cache vary=accept-encoding");

    // A hashed name that is not there (an old page after a deploy) must not be cached.
    let (s, h, _) = get(&app, "/pkg/daiko.ZZZZZZZZZZZZZZZZZZZZZZ.wasm", "br").await;
    assert_eq!(s, 404);
    assert!(h.contains("cc=no-store"), "{h}");

    // Pages are never stored.
    let (s, h, _) = get(&app, "/login", "br, gzip").await;
    assert_eq!(s, 200);
    assert!(h.contains("cc=no-store"), "{h}");

    // The site icons need no session (a browser asks for them on /login too) and revalidate.
    for (icon, bytes) in [
        ("/favicon.ico", &b"ico bytes"[..]),
        ("/favicon.svg", &b"<svg/>"[..]),
    ] {
        let (s, h, body) = get(&app, icon, "").await;
        assert_eq!((s.as_u16(), body.as_slice()), (200, bytes), "{icon} {h}");
        assert_eq!(h, "enc=- cc=no-cache vary=accept-encoding", "{icon}");
    }
}
