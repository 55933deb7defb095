//! The home page, the areas that later releases fill, and the error pages.

use crate::api::directory::home_figures;
use crate::domain::role::Role;
use crate::i18n::use_tr;
use crate::ui::components::{EmptyState, ErrorPanel, PageHeader};
use crate::ui::layout::use_me;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Figure(label: &'static str, value: i64, href: &'static str) -> impl IntoView {
    view! {
        <a class="stat" href=href>
            <span class="stat__value">{value}</span>
            <span class="stat__label">{label}</span>
        </a>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let tr = use_tr();
    let me = use_me();
    let name = me.as_ref().map(|m| m.full_name.clone()).unwrap_or_default();
    let lead = match me.as_ref().map(|m| m.role) {
        Some(Role::Customer) => tr.home_lead_customer,
        Some(Role::Reseller) => tr.home_lead_reseller,
        _ => tr.home_lead_staff,
    };
    let figures = Resource::new(|| (), |_| home_figures());
    view! {
        <Title text=format!("{} · Atrium", tr.nav_home) />
        <header class="page-header">
            <h1 class="page-title">{tr.greeting(&name)}</h1>
            <p class="page-lead">{lead}</p>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(f) => {
                        view! {
                            <div class="stats">
                                <Figure label=tr.stat_open_tickets value=f.open_tickets href="/tickets" />
                                {f.companies.map(|v| view! { <Figure label=tr.stat_companies value=v href="/customers" /> })}
                                {f.equipment.map(|v| view! { <Figure label=tr.stat_equipment value=v href="/equipment" /> })}
                                {f.outbox.map(|v| view! { <Figure label=tr.stat_outbox value=v href="/settings/outbox" /> })}
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An area whose content arrives in a later release: its place in the navigation is
/// real, and it says what will be here.
#[component]
pub fn AreaPage(
    title: fn(&'static crate::i18n::Tr) -> &'static str,
    text: fn(&'static crate::i18n::Tr) -> &'static str,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <Title text=format!("{} · Atrium", title(tr)) />
        <PageHeader title=title(tr) />
        <EmptyState title=tr.area_coming_title text=text(tr) />
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let tr = use_tr();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=format!("{} · Atrium", tr.not_found_title) />
        <div class="auth">
            <main class="auth__card status-page" id="main">
                <p class="status-page__code">"404"</p>
                <h1 class="page-title">{tr.not_found_title}</h1>
                <p class="page-lead">{tr.not_found_lead}</p>
                <a class="btn btn--primary" href="/">
                    {tr.go_home}
                </a>
            </main>
        </div>
    }
}
