//! Time comes from here so that expiry and rate limits are tested without sleeping.
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    /// A clock shifted by a fixed offset from real time (tests and the demo only).
    pub fn offset(by: chrono::Duration) -> Self {
        Clock(Arc::new(move || Utc::now() + by))
    }

    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}
