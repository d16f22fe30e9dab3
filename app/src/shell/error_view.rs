use crate::error::AppError;
use leptos::prelude::*;

/// The one place an [`AppError`] is shown: its Japanese message, never internals.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            {error.message()}
        </div>
    }
}
