//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1).
//! Hashing runs on blocking threads, a few at a time, so logins cannot starve the runtime
//! or exhaust memory.
use crate::error::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{
    PasswordHash as PhcHash, PasswordHasher as _, PasswordVerifier as _, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A stored argon2id hash. Not `Serialize` and redacted in `Debug`, so it cannot reach a
/// browser or a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_stored(s: String) -> Self {
        PasswordHash(s)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<PasswordHash, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| {
            tracing::error!(error = %e, "argon2 hash failed");
            AppError::Internal
        })
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PhcHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "stored password hash cannot be parsed");
            false
        }
    }
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the account is unknown, so both cases cost the same time.
    dummy: PasswordHash,
}

impl Passwords {
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let mut filler = [0u8; 24];
        OsRng.fill_bytes(&mut filler);
        let dummy = hash_blocking(&format!("{filler:?}"))?;
        Ok(Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(f).await.map_err(|e| {
            tracing::error!(error = %e, "password task failed");
            AppError::Internal
        })
    }

    pub async fn hash(&self, password: &str) -> Result<PasswordHash, AppError> {
        let password = password.to_owned();
        self.run(move || hash_blocking(&password)).await?
    }

    /// Verifies `password` against `stored`, or against the dummy hash when there is none;
    /// in that case the answer is always `false` but takes just as long.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<bool, AppError> {
        let password = password.to_owned();
        let (hash, real) = match stored {
            Some(h) => (h.0.clone(), true),
            None => (self.dummy.0.clone(), false),
        };
        let ok = self.run(move || verify_blocking(&password, &hash)).await?;
        Ok(ok && real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let p = Passwords::new(2).unwrap();
        let h = p.hash("correct horse battery").await.unwrap();
        assert!(h.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(p.verify("correct horse battery", Some(&h)).await.unwrap());
        assert!(!p.verify("wrong", Some(&h)).await.unwrap());
        assert!(!p.verify("correct horse battery", None).await.unwrap());
        assert_eq!(format!("{h:?}"), "PasswordHash(<redacted>)");
    }
}
