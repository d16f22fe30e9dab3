use crate::error::AppError;
use crate::shell::error_view::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

/// Who may use staff-only screens.
pub const STAFF_ONLY: &str = "この画面は全国販社の職員のみ利用できます。";

/// What a page shows someone it is not for: its title and the refusal, never its form (the
/// server refuses the requests anyway; a form that cannot work only misleads).
#[component]
pub fn Refusal(title: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} | 業務代行クラウドシステム")/>
        <h1>{title}</h1>
        <div class="refusal" data-testid="refusal">
            <ErrorView error=AppError::Forbidden/>
            <p class="hint">{hint}</p>
        </div>
    }
}
