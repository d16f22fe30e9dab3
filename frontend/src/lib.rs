//! The browser side: hydrates the server-rendered page and nothing else.
use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = document().body() else {
        return;
    };
    // Asynchronously, as `leptos::mount::hydrate_lazy` does: the opened route's page may be a
    // lazy route (app/src/routes.rs) whose WASM chunk has to arrive first.
    wasm_bindgen_futures::spawn_local(async move {
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        app.forget();
        // Marks the page once the WASM has taken over, route included; end-to-end tests wait
        // for it. (An effect in `App` would run while the route's chunk is still loading.)
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
