//! What a staff action answered, as the screen shows it: the confirmation or the error.
use crate::error::AppError;
use crate::order_admin::ActionDone;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;

/// The result of an action as the screen shows it.
pub fn outcome(r: Option<Result<ActionDone, AppError>>) -> impl IntoView {
    r.map(|r| match r {
        Ok(d) => view! { <p class="ok" data-testid="action-done">{d.message}</p> }.into_any(),
        Err(e) => view! { <ErrorView error=e/> }.into_any(),
    })
}
