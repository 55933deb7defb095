//! The HTML shell and the routes.

use crate::i18n::{provide_i18n, use_tr, Tr};
use crate::ui::layout::AppLayout;
use crate::ui::pages::auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage};
use crate::ui::pages::customers::{
    CatalogPage, CustomerCreatedPage, CustomerPage, CustomersPage, DeleteCustomerPage,
    NewCustomerPage, RelationshipPage,
};
use crate::ui::pages::home::{AreaPage, HomePage, NotFound};
use crate::ui::pages::lists::{OutboxPage, SettingsPage};
use crate::ui::pages::profile::ProfilePage;
use crate::ui::pages::tickets::{NewTicketPage, NotificationsPage, TicketPage, TicketsPage};
use crate::ui::pages::users::InvitationPage;
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
                <Route path=path!("/sign-in") view=SignInPage />
                <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/invitation") view=InvitationPage ssr=SsrMode::Async />
                <Route path=path!("/relationship") view=RelationshipPage ssr=SsrMode::Async />
                <Route path=path!("/tickets/:id/act/:act/print") view=crate::ui::pages::acts::ActPrintPage ssr=SsrMode::Async />
                <Route path=path!("/equipment/labels") view=crate::ui::pages::equipment::LabelsPage ssr=SsrMode::Async />
                <Route path=path!("/q/:token") view=crate::ui::pages::equipment::PublicObjectPage ssr=SsrMode::Async />
                <Route path=path!("/register/confirm") view=crate::ui::pages::equipment::ConfirmRegistrationPage />
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage />
                    <Route path=path!("/customers") view=CustomersPage />
                    <Route path=path!("/customers/new/:id/:step") view=NewCustomerPage />
                    <Route path=path!("/customers/created/:id") view=CustomerCreatedPage />
                    <Route path=path!("/customers/:id") view=CustomerPage />
                    <Route path=path!("/customers/:id/delete") view=DeleteCustomerPage />
                    <Route path=path!("/tickets") view=TicketsPage />
                    <Route path=path!("/tickets/new") view=NewTicketPage />
                    <Route path=path!("/tickets/plans") view=crate::ui::pages::plans::PlansPage />
                    <Route path=path!("/tickets/ratings") view=crate::ui::pages::acts::RatingsReportPage />
                    <Route path=path!("/tickets/:id") view=TicketPage />
                    <Route path=path!("/notifications") view=NotificationsPage />
                    <Route path=path!("/messages") view=crate::ui::pages::chat::MessagesPage />
                    <Route path=path!("/equipment") view=crate::ui::pages::equipment::EquipmentPage />
                    <Route path=path!("/equipment/new") view=crate::ui::pages::equipment::EquipmentFormPage />
                    <Route path=path!("/equipment/:id") view=crate::ui::pages::equipment::PassportPage />
                    <Route path=path!("/equipment/:id/edit") view=crate::ui::pages::equipment::EquipmentFormPage />
                    <Route path=path!("/orders") view=|| area(|t| t.nav_orders, |t| t.area_orders) />
                    <Route path=path!("/invoices") view=|| area(|t| t.nav_invoices, |t| t.area_invoices) />
                    <Route path=path!("/analytics") view=|| area(|t| t.nav_analytics, |t| t.area_analytics) />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/settings/outbox") view=OutboxPage />
                    <Route path=path!("/settings/catalog") view=CatalogPage />
                    <Route path=path!("/settings/ratings") view=crate::ui::pages::acts::CriteriaPage />
                    <Route path=path!("/settings/company") view=crate::ui::pages::acts::ServiceCompanyPage />
                    <Route path=path!("/settings/tickets") view=crate::ui::pages::ticket_settings::TicketSettingsPage />
                    <Route path=path!("/profile") view=ProfilePage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
