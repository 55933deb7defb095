//! The HTML shell and the routes.

use crate::i18n::{provide_i18n, use_tr, Tr};
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
use crate::ui::pages::home::{AreaPage, HomePage, NotFound};
use crate::ui::pages::lists::{OutboxPage, SettingsPage};
use crate::ui::pages::plans::PlansPage;
use crate::ui::pages::profile::ProfilePage;
use crate::ui::pages::ticket_settings::TicketSettingsPage;
use crate::ui::pages::tickets::{NewTicketPage, NotificationsPage, TicketPage, TicketsPage};
use crate::ui::pages::users::InvitationPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

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

/// The app's screens, grouped below into the areas whose code the browser fetches when it
/// first needs one of them.
#[derive(Clone, Copy, Debug)]
enum Screen {
    Layout,
    SignIn,
    ForgotPassword,
    ResetPassword,
    Invitation,
    Relationship,
    ConfirmRegistration,
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
    PublicObject,
    Settings,
    Outbox,
    Catalog,
    Criteria,
    ServiceCompany,
    TicketSettings,
}

// Each area is one split point: `cargo leptos build --split` moves the code only it
// reaches into chunks of its own, and the server names the chunks of the page it renders
// in the head, so they download beside the main module. The main module keeps what every
// page shares: the framework, the routes and the strings. A few areas rather than one per
// page: code that several areas share becomes a chunk per combination of areas, and a
// page should need a handful of files, not hundreds.

#[lazy]
fn frame_area(screen: Screen) -> AnyView {
    match screen {
        Screen::Layout => view! { <AppLayout /> }.into_any(),
        Screen::Home => view! { <HomePage /> }.into_any(),
        Screen::Profile => view! { <ProfilePage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn signed_out_area(screen: Screen) -> AnyView {
    match screen {
        Screen::SignIn => view! { <SignInPage /> }.into_any(),
        Screen::ForgotPassword => view! { <ForgotPasswordPage /> }.into_any(),
        Screen::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
        Screen::Invitation => view! { <InvitationPage /> }.into_any(),
        Screen::Relationship => view! { <RelationshipPage /> }.into_any(),
        Screen::ConfirmRegistration => view! { <ConfirmRegistrationPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn customers_area(screen: Screen) -> AnyView {
    match screen {
        Screen::Customers => view! { <CustomersPage /> }.into_any(),
        Screen::NewCustomer => view! { <NewCustomerPage /> }.into_any(),
        Screen::CustomerCreated => view! { <CustomerCreatedPage /> }.into_any(),
        Screen::Customer => view! { <CustomerPage /> }.into_any(),
        Screen::DeleteCustomer => view! { <DeleteCustomerPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn tickets_area(screen: Screen) -> AnyView {
    match screen {
        Screen::Tickets => view! { <TicketsPage /> }.into_any(),
        Screen::NewTicket => view! { <NewTicketPage /> }.into_any(),
        Screen::Plans => view! { <PlansPage /> }.into_any(),
        Screen::RatingsReport => view! { <RatingsReportPage /> }.into_any(),
        Screen::Notifications => view! { <NotificationsPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn ticket_area(screen: Screen) -> AnyView {
    match screen {
        Screen::Ticket => view! { <TicketPage /> }.into_any(),
        Screen::ActPrint => view! { <ActPrintPage /> }.into_any(),
        Screen::Messages => view! { <MessagesPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn equipment_area(screen: Screen) -> AnyView {
    match screen {
        Screen::Equipment => view! { <EquipmentPage /> }.into_any(),
        Screen::EquipmentForm => view! { <EquipmentFormPage /> }.into_any(),
        Screen::Passport => view! { <PassportPage /> }.into_any(),
        Screen::Labels => view! { <LabelsPage /> }.into_any(),
        Screen::PublicObject => view! { <PublicObjectPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[lazy]
fn settings_area(screen: Screen) -> AnyView {
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

/// A route type per screen, for the router's `Lazy<…>`: it loads its area's code (if not
/// yet loaded) and renders the screen. The pages load their own data.
macro_rules! lazy_screens {
    ($($route:ident => $area:ident($screen:ident)),* $(,)?) => {$(
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $area(Screen::$screen).await
            }
        }
    )*};
}

lazy_screens! {
    LayoutRoute => frame_area(Layout),
    HomeRoute => frame_area(Home),
    ProfileRoute => frame_area(Profile),
    SignInRoute => signed_out_area(SignIn),
    ForgotPasswordRoute => signed_out_area(ForgotPassword),
    ResetPasswordRoute => signed_out_area(ResetPassword),
    InvitationRoute => signed_out_area(Invitation),
    RelationshipRoute => signed_out_area(Relationship),
    ConfirmRegistrationRoute => signed_out_area(ConfirmRegistration),
    CustomersRoute => customers_area(Customers),
    NewCustomerRoute => customers_area(NewCustomer),
    CustomerCreatedRoute => customers_area(CustomerCreated),
    CustomerRoute => customers_area(Customer),
    DeleteCustomerRoute => customers_area(DeleteCustomer),
    TicketsRoute => tickets_area(Tickets),
    NewTicketRoute => tickets_area(NewTicket),
    PlansRoute => tickets_area(Plans),
    RatingsReportRoute => tickets_area(RatingsReport),
    NotificationsRoute => tickets_area(Notifications),
    TicketRoute => ticket_area(Ticket),
    ActPrintRoute => ticket_area(ActPrint),
    MessagesRoute => ticket_area(Messages),
    EquipmentRoute => equipment_area(Equipment),
    EquipmentFormRoute => equipment_area(EquipmentForm),
    PassportRoute => equipment_area(Passport),
    LabelsRoute => equipment_area(Labels),
    PublicObjectRoute => equipment_area(PublicObject),
    SettingsRoute => settings_area(Settings),
    OutboxRoute => settings_area(Outbox),
    CatalogRoute => settings_area(Catalog),
    CriteriaRoute => settings_area(Criteria),
    ServiceCompanyRoute => settings_area(ServiceCompany),
    TicketSettingsRoute => settings_area(TicketSettings),
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
                <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} />
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} />
                <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/invitation") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/relationship") view={Lazy::<RelationshipRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/tickets/:id/act/:act/print") view={Lazy::<ActPrintRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/equipment/labels") view={Lazy::<LabelsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/q/:token") view={Lazy::<PublicObjectRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/register/confirm") view={Lazy::<ConfirmRegistrationRoute>::new()} />
                <ParentRoute path=path!("") view={Lazy::<LayoutRoute>::new()} ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("/customers") view={Lazy::<CustomersRoute>::new()} />
                    <Route path=path!("/customers/new/:id/:step") view={Lazy::<NewCustomerRoute>::new()} />
                    <Route path=path!("/customers/created/:id") view={Lazy::<CustomerCreatedRoute>::new()} />
                    <Route path=path!("/customers/:id") view={Lazy::<CustomerRoute>::new()} />
                    <Route path=path!("/customers/:id/delete") view={Lazy::<DeleteCustomerRoute>::new()} />
                    <Route path=path!("/tickets") view={Lazy::<TicketsRoute>::new()} />
                    <Route path=path!("/tickets/new") view={Lazy::<NewTicketRoute>::new()} />
                    <Route path=path!("/tickets/plans") view={Lazy::<PlansRoute>::new()} />
                    <Route path=path!("/tickets/ratings") view={Lazy::<RatingsReportRoute>::new()} />
                    <Route path=path!("/tickets/:id") view={Lazy::<TicketRoute>::new()} />
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} />
                    <Route path=path!("/equipment") view={Lazy::<EquipmentRoute>::new()} />
                    <Route path=path!("/equipment/new") view={Lazy::<EquipmentFormRoute>::new()} />
                    <Route path=path!("/equipment/:id") view={Lazy::<PassportRoute>::new()} />
                    <Route path=path!("/equipment/:id/edit") view={Lazy::<EquipmentFormRoute>::new()} />
                    <Route path=path!("/orders") view=|| area(|t| t.nav_orders, |t| t.area_orders) />
                    <Route path=path!("/invoices") view=|| area(|t| t.nav_invoices, |t| t.area_invoices) />
                    <Route path=path!("/analytics") view=|| area(|t| t.nav_analytics, |t| t.area_analytics) />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("/settings/outbox") view={Lazy::<OutboxRoute>::new()} />
                    <Route path=path!("/settings/catalog") view={Lazy::<CatalogRoute>::new()} />
                    <Route path=path!("/settings/ratings") view={Lazy::<CriteriaRoute>::new()} />
                    <Route path=path!("/settings/company") view={Lazy::<ServiceCompanyRoute>::new()} />
                    <Route path=path!("/settings/tickets") view={Lazy::<TicketSettingsRoute>::new()} />
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
