use crate::error::AppError;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="login-page">
            <div class="login-card">
                <ErrorView error=AppError::NotFound/>
                <a href="/">"トップへ戻る"</a>
            </div>
        </main>
    }
}
