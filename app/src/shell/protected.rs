use super::error_view::ErrorView;
use super::header::Header;
use crate::auth::current_user;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

/// Layout for pages that need a login: loads the signed-in customer, sends everyone else to
/// the login page, and wraps the page in the themed frame.
#[component]
pub fn Protected() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        let theme = format!("frame {}", u.screen.theme_class());
                        let screen = u.screen.code();
                        provide_context(u.clone());
                        view! {
                            <div class=theme data-screen=screen>
                                <Header user=u/>
                                <main class="content">
                                    <Outlet/>
                                </main>
                            </div>
                        }
                            .into_any()
                    }
                    Ok(None) | Err(AppError::Unauthorized) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
