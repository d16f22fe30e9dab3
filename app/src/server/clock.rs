//! Time comes from here so that expiry and rate limits are tested without sleeping.
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock {
    source: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    /// Seconds added to the source; moved only by tests (`DAIKO_TEST_CLOCK=1`).
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::from_fn(Utc::now)
    }

    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock {
            source: Arc::new(f),
            offset: Arc::new(AtomicI64::new(0)),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.source)() + chrono::Duration::seconds(self.offset.load(Ordering::SeqCst))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::SeqCst);
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_move_together() {
        let fixed = Utc::now();
        let c = Clock::from_fn(move || fixed);
        let d = c.clone();
        c.advance(600);
        assert_eq!(d.now(), fixed + chrono::Duration::seconds(600));
    }
}
