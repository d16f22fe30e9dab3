//! Sealing secrets at rest: queued message bodies (PINs, link tokens) and the PIN a resend
//! needs are stored encrypted (XChaCha20-Poly1305) under a key derived from `DAIKO_SECRET`,
//! never in plain text. The associated data binds a sealed value to where it belongs (a
//! message's channel and recipient, a challenge's public id), so it cannot be moved to
//! another row and opened there.
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "xc1:";

/// The key; derived, never stored, and not printable.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a sealed value could not be opened (wrong key, moved or damaged)")]
pub struct SealError;

impl SealKey {
    pub fn from_secret(secret: &str) -> Self {
        let hex = super::keyed::keyed_hex(secret, "seal-key-v1", &[]);
        let mut k = [0u8; 32];
        for (i, b) in k.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
        SealKey(k)
    }

    pub fn seal(&self, aad: &[u8], plain: &str) -> String {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let ct = XChaCha20Poly1305::new((&self.0).into())
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad,
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any length we store");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
        )
    }

    pub fn open(&self, aad: &[u8], sealed: &str) -> Result<String, SealError> {
        let raw = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(b)
                    .ok()
            })
            .filter(|r| r.len() > 24)
            .ok_or(SealError)?;
        let (nonce, ct) = raw.split_at(24);
        let plain = XChaCha20Poly1305::new((&self.0).into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| SealError)?;
        String::from_utf8(plain).map_err(|_| SealError)
    }
}

pub fn is_sealed(s: &str) -> bool {
    s.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_nothing_readable() {
        let k = SealKey::from_secret("0123456789abcdef0123456789abcdef");
        let s = k.seal(b"sms|+819012345678", "PINコードは「123456」です");
        assert!(is_sealed(&s));
        assert!(!s.contains("123456"));
        assert_eq!(
            k.open(b"sms|+819012345678", &s).unwrap(),
            "PINコードは「123456」です"
        );
        assert_ne!(s, k.seal(b"sms|+819012345678", "PINコードは「123456」です"));
    }

    #[test]
    fn bound_to_key_and_place() {
        let k = SealKey::from_secret("0123456789abcdef0123456789abcdef");
        let s = k.seal(b"a", "x");
        assert_eq!(k.open(b"b", &s), Err(SealError));
        let other = SealKey::from_secret("fedcba9876543210fedcba9876543210");
        assert_eq!(other.open(b"a", &s), Err(SealError));
        assert_eq!(k.open(b"a", "plain text"), Err(SealError));
        assert_eq!(format!("{k:?}"), "SealKey(<redacted>)");
    }
}
