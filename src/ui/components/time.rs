//! Times in the viewer's time zone. The browser keeps its offset in a cookie, so the
//! server renders the same text the browser would; on a first visit the server does not
//! know it yet and renders UTC, and the browser corrects it right after hydration.

use crate::domain::time::{format_local, parse_offset};
use leptos::prelude::*;

pub const TZ_COOKIE: &str = "atrium_tz";

/// Minutes east of UTC, as this render knows them.
#[derive(Clone, Copy)]
pub struct TimeZone(pub RwSignal<i32>);

/// The offset this render starts from: the cookie on the server, the `<html data-tz>`
/// the server wrote in the browser (so hydration sees the same text).
pub fn initial_offset() -> i32 {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| crate::server::http_util::cookie(&parts.headers, TZ_COOKIE))
            .and_then(|v| parse_offset(&v))
            .unwrap_or(0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|el| el.get_attribute("data-tz"))
            .and_then(|v| parse_offset(&v))
            .unwrap_or(0)
    }
}

/// Provides the zone; in the browser, learns the real one after hydration and remembers it.
pub fn provide_time_zone() {
    let offset = RwSignal::new(initial_offset());
    provide_context(TimeZone(offset));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let real = -(js_sys::Date::new_0().get_timezone_offset() as i32);
        if real != offset.get_untracked() {
            offset.set(real);
            let cookie = format!("{TZ_COOKIE}={real}; path=/; max-age=31536000; samesite=lax");
            let _ = js_sys::Reflect::set(
                &document(),
                &wasm_bindgen::JsValue::from_str("cookie"),
                &wasm_bindgen::JsValue::from_str(&cookie),
            );
        }
    });
}

/// `2026-11-22 11:30` in the viewer's zone.
#[component]
pub fn LocalTime(at: i64) -> impl IntoView {
    let offset = use_context::<TimeZone>().map(|z| z.0);
    let text = move || format_local(at, offset.map_or(0, |o| o.get()));
    view! { <time datetime=crate::domain::time::format_utc(at).replace(' ', "T") + "Z">{text}</time> }
}
