//! The pages, grouped into areas by the WASM chunk that holds their code.
//!
//! The browser's main module holds the framework, the router, the strings and what
//! every page shares. A page's own code is reached only through its area's screen table
//! (`public_screens`, `frame_screens`, …). In the browser build that table is behind a
//! split point (`cargo leptos build --split`, in every script), so the code only one
//! area reaches moves into chunks that the browser fetches when it first needs the area.
//!
//! Hydration stays synchronous and must find every drawn page's code in place:
//! - the server marks each area it drew with an inert `<template data-area>` in front of
//!   the area's view, and names the area's chunk files in `Link: rel=preload` response
//!   headers, so they download beside the main module;
//! - `hydrate()` (lib.rs) loads the marked areas, then hydrates. If an area cannot be
//!   loaded, the page stays as the server drew it: forms work without the WASM.
//!
//! A link to a page whose area is not loaded yet shows "Loading…" until the chunk is in,
//! then the page.

use crate::ui::layout::AppLayout;
use crate::ui::pages::acts::{ActPrintPage, CriteriaPage, RatingsReportPage, ServiceCompanyPage};
use crate::ui::pages::auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage};
use crate::ui::pages::chat::MessagesPage;
use crate::ui::pages::customers::{
    CatalogPage, CustomerCreatedPage, CustomerPage, CustomersPage, DeleteCustomerPage,
    NewCustomerPage, RelationshipPage,
};
use crate::ui::pages::equipment::{
    ConfirmRegistrationPage, EquipmentFormPage, EquipmentPage, LabelsPage, PassportPage,
    PublicObjectPage,
};
use crate::ui::pages::home::{HomePage, NotFound};
use crate::ui::pages::lists::{OutboxPage, SettingsPage};
use crate::ui::pages::plans::PlansPage;
use crate::ui::pages::profile::ProfilePage;
use crate::ui::pages::ticket_settings::TicketSettingsPage;
use crate::ui::pages::tickets::{NewTicketPage, NotificationsPage, TicketPage, TicketsPage};
use crate::ui::pages::users::InvitationPage;
use leptos::prelude::*;

/// A group of pages whose code the browser loads together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Pages for people who are not signed in: sign-in, passwords, invitations, the QR page.
    Public,
    /// The signed-in layout, the home page and the profile.
    Frame,
    Customers,
    /// Ticket lists, the new-ticket form, plans, notifications.
    Tickets,
    /// One ticket: its page, its acts' print view, and Messages.
    Ticket,
    Equipment,
    Settings,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::Public,
        Area::Frame,
        Area::Customers,
        Area::Tickets,
        Area::Ticket,
        Area::Equipment,
        Area::Settings,
    ];

    /// The name in the page's markers (`data-area`).
    pub fn name(self) -> &'static str {
        match self {
            Area::Public => "public",
            Area::Frame => "frame",
            Area::Customers => "customers",
            Area::Tickets => "tickets",
            Area::Ticket => "ticket",
            Area::Equipment => "equipment",
            Area::Settings => "settings",
        }
    }

    pub fn from_name(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| area.name() == name)
    }

    /// The split module's name: the key of the build's chunk manifest.
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    fn split_module(self) -> &'static str {
        match self {
            Area::Public => "area_public",
            Area::Frame => "area_frame",
            Area::Customers => "area_customers",
            Area::Tickets => "area_tickets",
            Area::Ticket => "area_ticket",
            Area::Equipment => "area_equipment",
            Area::Settings => "area_settings",
        }
    }
}

/// Every routed page whose code lives in an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Layout,
    SignIn,
    ForgotPassword,
    ResetPassword,
    Invitation,
    Relationship,
    ConfirmRegistration,
    PublicObject,
    Home,
    Profile,
    Customers,
    NewCustomer,
    CustomerCreated,
    Customer,
    DeleteCustomer,
    Tickets,
    NewTicket,
    Plans,
    RatingsReport,
    Notifications,
    Ticket,
    ActPrint,
    Messages,
    Equipment,
    EquipmentForm,
    Passport,
    Labels,
    Settings,
    Outbox,
    Catalog,
    Criteria,
    ServiceCompany,
    TicketSettings,
}

impl Screen {
    pub fn area(self) -> Area {
        use Screen::*;
        match self {
            SignIn | ForgotPassword | ResetPassword | Invitation | Relationship
            | ConfirmRegistration | PublicObject => Area::Public,
            Layout | Home | Profile => Area::Frame,
            Customers | NewCustomer | CustomerCreated | Customer | DeleteCustomer => {
                Area::Customers
            }
            Tickets | NewTicket | Plans | RatingsReport | Notifications => Area::Tickets,
            Ticket | ActPrint | Messages => Area::Ticket,
            Equipment | EquipmentForm | Passport | Labels => Area::Equipment,
            Settings | Outbox | Catalog | Criteria | ServiceCompany | TicketSettings => {
                Area::Settings
            }
        }
    }
}

/// An area's pages: draws a screen of that area.
pub type Screens = fn(Screen) -> AnyView;

// One table per area. A screen of another area never reaches a table (`Screen::area`
// routes it); the fallback arm only completes the match.

fn public_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::SignIn => view! { <SignInPage /> }.into_any(),
        Screen::ForgotPassword => view! { <ForgotPasswordPage /> }.into_any(),
        Screen::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
        Screen::Invitation => view! { <InvitationPage /> }.into_any(),
        Screen::Relationship => view! { <RelationshipPage /> }.into_any(),
        Screen::ConfirmRegistration => view! { <ConfirmRegistrationPage /> }.into_any(),
        Screen::PublicObject => view! { <PublicObjectPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn frame_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Layout => view! { <AppLayout /> }.into_any(),
        Screen::Home => view! { <HomePage /> }.into_any(),
        Screen::Profile => view! { <ProfilePage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn customers_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Customers => view! { <CustomersPage /> }.into_any(),
        Screen::NewCustomer => view! { <NewCustomerPage /> }.into_any(),
        Screen::CustomerCreated => view! { <CustomerCreatedPage /> }.into_any(),
        Screen::Customer => view! { <CustomerPage /> }.into_any(),
        Screen::DeleteCustomer => view! { <DeleteCustomerPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn tickets_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Tickets => view! { <TicketsPage /> }.into_any(),
        Screen::NewTicket => view! { <NewTicketPage /> }.into_any(),
        Screen::Plans => view! { <PlansPage /> }.into_any(),
        Screen::RatingsReport => view! { <RatingsReportPage /> }.into_any(),
        Screen::Notifications => view! { <NotificationsPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn ticket_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Ticket => view! { <TicketPage /> }.into_any(),
        Screen::ActPrint => view! { <ActPrintPage /> }.into_any(),
        Screen::Messages => view! { <MessagesPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn equipment_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Equipment => view! { <EquipmentPage /> }.into_any(),
        Screen::EquipmentForm => view! { <EquipmentFormPage /> }.into_any(),
        Screen::Passport => view! { <PassportPage /> }.into_any(),
        Screen::Labels => view! { <LabelsPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn settings_screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Settings => view! { <SettingsPage /> }.into_any(),
        Screen::Outbox => view! { <OutboxPage /> }.into_any(),
        Screen::Catalog => view! { <CatalogPage /> }.into_any(),
        Screen::Criteria => view! { <CriteriaPage /> }.into_any(),
        Screen::ServiceCompany => view! { <ServiceCompanyPage /> }.into_any(),
        Screen::TicketSettings => view! { <TicketSettingsPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// The marker in front of an area's view: inert, invisible, and read by `hydrate()`.
fn marker(area: Area) -> impl IntoView {
    view! { <template data-area=area.name()></template> }
}

/// A route's view: the screen, drawn by its area's code.
#[cfg(not(feature = "hydrate"))]
pub fn screen(screen: Screen) -> impl IntoView {
    let area = screen.area();
    #[cfg(feature = "ssr")]
    preload::name_chunks(area);
    let draw = match area {
        Area::Public => public_screens,
        Area::Frame => frame_screens,
        Area::Customers => customers_screens,
        Area::Tickets => tickets_screens,
        Area::Ticket => ticket_screens,
        Area::Equipment => equipment_screens,
        Area::Settings => settings_screens,
    };
    (marker(area), draw(screen))
}

/// A route's view: the screen, drawn by its area's code once the browser has it.
#[cfg(feature = "hydrate")]
pub fn screen(screen: Screen) -> impl IntoView {
    use leptos::either::{Either, EitherOf3};
    let area = screen.area();
    let view = match split::loaded(area) {
        // Always so while hydrating: `hydrate()` loads the drawn areas first.
        Some(draw) => Either::Left(draw(screen)),
        None => {
            let code = RwSignal::new(None::<Option<Screens>>);
            leptos::task::spawn_local(async move {
                let loaded = split::load(area).await;
                // The visitor may have gone elsewhere meanwhile: then nobody waits.
                let _ = code.try_set(Some(loaded));
            });
            Either::Right(move || {
                let tr = crate::i18n::use_tr();
                match code.get() {
                    None => EitherOf3::A(view! { <p class="muted page-loading">{tr.loading}</p> }),
                    Some(Some(draw)) => EitherOf3::B(draw(screen)),
                    Some(None) => EitherOf3::C(view! {
                        <div class="notice notice--danger" role="alert">
                            <p>{tr.error_transport}</p>
                            <a class="btn btn--secondary" href="" rel="external">{tr.reload}</a>
                        </div>
                    }),
                }
            })
        }
    };
    (marker(area), view)
}

/// The areas the server drew into this document, in the order they appear.
#[cfg(feature = "hydrate")]
pub fn drawn_in_document() -> Vec<Area> {
    let mut areas = Vec::new();
    let Ok(found) = document().query_selector_all("template[data-area]") else {
        return areas;
    };
    for index in 0..found.length() {
        let name = found
            .item(index)
            .and_then(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
            .and_then(|element| element.get_attribute("data-area"));
        if let Some(area) = name.as_deref().and_then(Area::from_name) {
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
    }
    areas
}

/// The split points (browser build only) and the areas loaded so far.
#[cfg(feature = "hydrate")]
pub mod split {
    use super::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};
    use std::cell::Cell;

    // Each function only hands out its area's table: the code that only the table
    // reaches is what `--split` moves into the area's chunks.

    #[wasm_split(area_public, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn public_code() -> Result<Screens, SplitLoaderError> {
        Ok(public_screens)
    }

    #[wasm_split(area_frame, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn frame_code() -> Result<Screens, SplitLoaderError> {
        Ok(frame_screens)
    }

    #[wasm_split(area_customers, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn customers_code() -> Result<Screens, SplitLoaderError> {
        Ok(customers_screens)
    }

    #[wasm_split(area_tickets, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn tickets_code() -> Result<Screens, SplitLoaderError> {
        Ok(tickets_screens)
    }

    #[wasm_split(area_ticket, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn ticket_code() -> Result<Screens, SplitLoaderError> {
        Ok(ticket_screens)
    }

    #[wasm_split(area_equipment, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn equipment_code() -> Result<Screens, SplitLoaderError> {
        Ok(equipment_screens)
    }

    #[wasm_split(area_settings, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn settings_code() -> Result<Screens, SplitLoaderError> {
        Ok(settings_screens)
    }

    thread_local! {
        static LOADED: Cell<[Option<Screens>; 7]> = const { Cell::new([None; 7]) };
    }

    fn slot(area: Area) -> usize {
        Area::ALL.iter().position(|a| *a == area).unwrap_or_default()
    }

    /// The area's table, if its code is already here.
    pub fn loaded(area: Area) -> Option<Screens> {
        LOADED.with(|loaded| loaded.get()[slot(area)])
    }

    /// Fetches the area's chunks (once) and returns its table; `None` if they could not
    /// be fetched (offline, or a newer build replaced them). A failure is not kept: the
    /// next call tries again.
    pub async fn load(area: Area) -> Option<Screens> {
        if let Some(draw) = loaded(area) {
            return Some(draw);
        }
        let fetched = match area {
            Area::Public => public_code().await,
            Area::Frame => frame_code().await,
            Area::Customers => customers_code().await,
            Area::Tickets => tickets_code().await,
            Area::Ticket => ticket_code().await,
            Area::Equipment => equipment_code().await,
            Area::Settings => settings_code().await,
        };
        let draw = fetched.ok()?;
        LOADED.with(|loaded| {
            let mut all = loaded.get();
            all[slot(area)] = Some(draw);
            loaded.set(all);
        });
        Some(draw)
    }
}

/// The server's half: the drawn areas' chunk files as preload headers.
#[cfg(feature = "ssr")]
mod preload {
    use super::Area;
    use axum::http::header::{HeaderValue, LINK};
    use leptos::prelude::*;

    /// Adds `Link: <…>; rel=preload` headers for the area's chunks (each file once per
    /// response). Without a split build (no manifest) there is nothing to name.
    pub fn name_chunks(area: Area) {
        let (Some(manifest), Some(response)) = (
            use_context::<leptos::WasmSplitManifest>(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) else {
            return;
        };
        let Some(manifest) = manifest.0.try_read_value() else {
            return;
        };
        let (pkg, chunks, loader) = &*manifest;
        let Some(files) = chunks.get(area.split_module()) else {
            return;
        };
        let named: Vec<String> = match response.0.read() {
            Ok(parts) => parts
                .headers
                .get_all(LINK)
                .iter()
                .filter_map(|value| value.to_str().ok().map(str::to_owned))
                .collect(),
            Err(_) => return,
        };
        let mut links: Vec<String> = files
            .iter()
            .map(|file| {
                format!("<{pkg}/{file}.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin=anonymous")
            })
            .collect();
        links.push(format!("<{pkg}/{loader}>; rel=modulepreload"));
        for link in links {
            if named.contains(&link) {
                continue;
            }
            if let Ok(value) = HeaderValue::from_str(&link) {
                response.append_header(LINK, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_has_a_distinct_name_and_split_module() {
        for area in Area::ALL {
            assert_eq!(Area::from_name(area.name()), Some(area));
        }
        let mut modules: Vec<_> = Area::ALL.iter().map(|a| a.split_module()).collect();
        modules.sort();
        modules.dedup();
        assert_eq!(modules.len(), Area::ALL.len());
        assert_eq!(Area::from_name("nonsense"), None);
    }
}
