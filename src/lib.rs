#![recursion_limit = "256"]
// Outside tests, nothing here may panic on input or I/O: errors travel as `AppError`.
// `cargo clippy` (run by scripts/test.sh) refuses any unwrap()/expect() that slips in.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
//! Atrium: a customer portal and service desk. One crate, two targets: the server
//! (feature `ssr`) and the browser (feature `hydrate`). See ARCHITECTURE.md.

pub mod api;
pub mod app;
pub mod areas;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// The browser's entry point: loads the code of the areas the server drew (see
/// `areas`), then hydrates the server-rendered page. If an area's code cannot be
/// fetched, the page stays as the server drew it, usable without the WASM.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let drawn = areas::drawn_in_document();
    wasm_bindgen_futures::spawn_local(async move {
        for area in drawn {
            if areas::split::load(area).await.is_none() {
                leptos::logging::warn!("the code of the {} pages could not be loaded", area.name());
                return;
            }
        }
        leptos::mount::hydrate_body(app::App);
        // A readiness mark for browser tests and scripts: the page is now interactive.
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
