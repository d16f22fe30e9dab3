//! `POST /api/test/clock` (form `advance=SECONDS`): moves the server's clock forward, so the
//! end-to-end tests can see a PIN expire without waiting ten minutes. Mounted only when
//! `DAIKO_TEST_CLOCK=1`; never in production.
use super::state::AppState;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Advance {
    advance: i64,
}

pub async fn handle(State(st): State<AppState>, Form(a): Form<Advance>) -> StatusCode {
    if !(0..=7 * 24 * 3600).contains(&a.advance) {
        return StatusCode::BAD_REQUEST;
    }
    st.clock.advance(a.advance);
    tracing::warn!(seconds = a.advance, "test clock moved");
    StatusCode::NO_CONTENT
}
