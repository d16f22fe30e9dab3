//! The yardstick for Daiko's SSR throughput (scripts/bench.sh): a one-page Leptos app as
//! `start-axum` generates it (a shell, a router, one page with a heading and a counter),
//! served by leptos_axum with the same release profile and the same hydration scripts.
//! No database, no session, no lazy routes: what Leptos SSR costs with nothing else.
//!
//! Usage: `ssr_baseline 127.0.0.1:3199` (the address to listen on).
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router as LeptosRouter, Routes};
use leptos_router::path;

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Welcome to Leptos"/>
        <LeptosRouter>
            <main>
                <Routes fallback=|| "Page not found.".into_view()>
                    <Route path=path!("") view=HomePage/>
                </Routes>
            </main>
        </LeptosRouter>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <h1>"Welcome to Leptos!"</h1>
        <button on:click=move |_| *count.write() += 1>"Click Me: " {count}</button>
    }
}

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3199".into());
    let options = LeptosOptions::builder()
        .output_name("baseline")
        .site_addr(
            addr.parse::<std::net::SocketAddr>()
                .expect("an address like 127.0.0.1:3199"),
        )
        .build();
    let routes = generate_route_list(App);
    let app = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("the address is free");
    axum::serve(listener, app).await.expect("serve");
}
