//! Keyed hashes: HMAC-SHA256 under `DAIKO_SECRET`, for every value stored only to be recognised
//! again (PIN hashes, limit keys, audit keys of e-mail and client addresses). A plain SHA-256
//! of an e-mail or an IP address can be reversed by hashing candidates; without the secret a
//! keyed one cannot. Each use names its own `domain`, so one value never yields the same key in
//! two places.
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, domain: &str, parts: &[&[u8]]) -> HmacSha256 {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    for p in std::iter::once(domain.as_bytes()).chain(parts.iter().copied()) {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    m
}

/// Hex-encoded HMAC-SHA256 of `parts` under `secret`, separated by `domain`.
pub fn keyed_hex(secret: &str, domain: &str, parts: &[&[u8]]) -> String {
    let out = mac(secret, domain, parts).finalize().into_bytes();
    let mut s = String::with_capacity(64);
    for b in out {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Does `expected_hex` equal the keyed hash of `parts`? Compared in constant time.
pub fn verify_hex(secret: &str, domain: &str, parts: &[&[u8]], expected_hex: &str) -> bool {
    let Some(expected) = decode_hex(expected_hex) else {
        return false;
    };
    mac(secret, domain, parts).verify_slice(&expected).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_by_secret_and_domain() {
        let a = keyed_hex("s", "client", &[b"127.0.0.1"]);
        assert_eq!(a.len(), 64);
        assert_ne!(a, keyed_hex("t", "client", &[b"127.0.0.1"]));
        assert_ne!(a, keyed_hex("s", "email", &[b"127.0.0.1"]));
        assert_ne!(
            keyed_hex("s", "d", &[b"ab", b"c"]),
            keyed_hex("s", "d", &[b"a", b"bc"])
        );
    }

    #[test]
    fn verify_matches_only_the_same_input() {
        let h = keyed_hex("s", "pin", &[b"abc", b"123456"]);
        assert!(verify_hex("s", "pin", &[b"abc", b"123456"], &h));
        assert!(!verify_hex("s", "pin", &[b"abc", b"123457"], &h));
        assert!(!verify_hex("s", "pin", &[b"abc", b"123456"], "zz"));
        assert!(!verify_hex("s", "pin", &[b"abc", b"123456"], &h[..62]));
    }
}
