use leptos::prelude::*;

/// The menu path above a page title, e.g. マスタメンテ → 代理店 → 販売事業部新規顧客登録.
/// `trail` is (label, link); the last entry is the current page and is not a link.
#[component]
pub fn Breadcrumbs(trail: Vec<(&'static str, Option<&'static str>)>) -> impl IntoView {
    let last = trail.len().saturating_sub(1);
    view! {
        <nav class="breadcrumbs" aria-label="パンくずリスト">
            <ol>
                {trail
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, href))| {
                        let current = i == last;
                        view! {
                            <li aria-current=current.then_some("page")>
                                {match href.filter(|_| !current) {
                                    Some(h) => view! { <a href=h>{label}</a> }.into_any(),
                                    None => view! { <span>{label}</span> }.into_any(),
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
