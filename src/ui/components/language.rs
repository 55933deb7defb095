//! The language switch: one small form per language, so it works without JavaScript
//! (a plain post that redirects back) and, with JavaScript, reloads in place.

use crate::api::account::SetLanguage;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = use_context::<Locale>().unwrap_or(Locale::En);
    let location = use_location();
    let back = Signal::derive(move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    });
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().reload();
        }
    });
    let forms = Locale::ALL
        .into_iter()
        .map(|locale| {
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                action.dispatch(SetLanguage { lang: locale.code().to_owned(), back: Some(back.get_untracked()) });
            };
            view! {
                <form method="post" action=SetLanguage::url() on:submit=on_submit class="lang-switch__form">
                    <input type="hidden" name="lang" value=locale.code() />
                    <input type="hidden" name="back" value=back />
                    <button
                        type="submit"
                        class="lang-switch__button"
                        aria-pressed=if locale == current { "true" } else { "false" }
                        lang=locale.code()
                    >
                        {locale.native_name()}
                    </button>
                </form>
            }
        })
        .collect::<Vec<_>>();
    view! { <div class="lang-switch">{forms}</div> }
}
