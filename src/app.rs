//! The HTML shell and the routes.

use crate::areas::{screen, Screen};
use crate::i18n::{provide_i18n, use_tr, Tr};
use crate::ui::pages::home::{AreaPage, NotFound};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = crate::i18n::initial_locale();
    let tz = crate::ui::components::time::initial_offset();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code() dir=locale.dir() data-tz=tz>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
                // Registered without waiting for the WASM: the offline shell works even if it never loads.
                <script>
                    "if('serviceWorker' in navigator){addEventListener('load',function(){navigator.serviceWorker.register('/sw.js')})}"
                </script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

fn area(
    title: fn(&'static Tr) -> &'static str,
    text: fn(&'static Tr) -> &'static str,
) -> impl IntoView {
    view! { <AreaPage title text /> }
}

/// Signed-in pages render completely on the server (`SsrMode::Async`): the first byte
/// waits for their data, but every page is whole without JavaScript and the status code
/// (403, 404) is known before it is sent.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_i18n();
    crate::ui::components::time::provide_time_zone();
    let tr = use_tr();
    view! {
        <Title text=tr.app_name />
        <Meta name="description" content=tr.app_tagline />
        <Meta name="theme-color" content="#1f4fd1" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/icons/icon-192.png" />
        <Link rel="apple-touch-icon" href="/icons/icon-192.png" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/sign-in") view=|| screen(Screen::SignIn) />
                <Route path=path!("/forgot-password") view=|| screen(Screen::ForgotPassword) />
                <Route path=path!("/reset-password") view=|| screen(Screen::ResetPassword) ssr=SsrMode::Async />
                <Route path=path!("/invitation") view=|| screen(Screen::Invitation) ssr=SsrMode::Async />
                <Route path=path!("/relationship") view=|| screen(Screen::Relationship) ssr=SsrMode::Async />
                <Route path=path!("/tickets/:id/act/:act/print") view=|| screen(Screen::ActPrint) ssr=SsrMode::Async />
                <Route path=path!("/equipment/labels") view=|| screen(Screen::Labels) ssr=SsrMode::Async />
                <Route path=path!("/q/:token") view=|| screen(Screen::PublicObject) ssr=SsrMode::Async />
                <Route path=path!("/register/confirm") view=|| screen(Screen::ConfirmRegistration) />
                <ParentRoute path=path!("") view=|| screen(Screen::Layout) ssr=SsrMode::Async>
                    <Route path=path!("") view=|| screen(Screen::Home) />
                    <Route path=path!("/customers") view=|| screen(Screen::Customers) />
                    <Route path=path!("/customers/new/:id/:step") view=|| screen(Screen::NewCustomer) />
                    <Route path=path!("/customers/created/:id") view=|| screen(Screen::CustomerCreated) />
                    <Route path=path!("/customers/:id") view=|| screen(Screen::Customer) />
                    <Route path=path!("/customers/:id/delete") view=|| screen(Screen::DeleteCustomer) />
                    <Route path=path!("/tickets") view=|| screen(Screen::Tickets) />
                    <Route path=path!("/tickets/new") view=|| screen(Screen::NewTicket) />
                    <Route path=path!("/tickets/plans") view=|| screen(Screen::Plans) />
                    <Route path=path!("/tickets/ratings") view=|| screen(Screen::RatingsReport) />
                    <Route path=path!("/tickets/:id") view=|| screen(Screen::Ticket) />
                    <Route path=path!("/notifications") view=|| screen(Screen::Notifications) />
                    <Route path=path!("/messages") view=|| screen(Screen::Messages) />
                    <Route path=path!("/equipment") view=|| screen(Screen::Equipment) />
                    <Route path=path!("/equipment/new") view=|| screen(Screen::EquipmentForm) />
                    <Route path=path!("/equipment/:id") view=|| screen(Screen::Passport) />
                    <Route path=path!("/equipment/:id/edit") view=|| screen(Screen::EquipmentForm) />
                    <Route path=path!("/orders") view=|| area(|t| t.nav_orders, |t| t.area_orders) />
                    <Route path=path!("/invoices") view=|| area(|t| t.nav_invoices, |t| t.area_invoices) />
                    <Route path=path!("/analytics") view=|| area(|t| t.nav_analytics, |t| t.area_analytics) />
                    <Route path=path!("/settings") view=|| screen(Screen::Settings) />
                    <Route path=path!("/settings/outbox") view=|| screen(Screen::Outbox) />
                    <Route path=path!("/settings/catalog") view=|| screen(Screen::Catalog) />
                    <Route path=path!("/settings/ratings") view=|| screen(Screen::Criteria) />
                    <Route path=path!("/settings/company") view=|| screen(Screen::ServiceCompany) />
                    <Route path=path!("/settings/tickets") view=|| screen(Screen::TicketSettings) />
                    <Route path=path!("/profile") view=|| screen(Screen::Profile) />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
