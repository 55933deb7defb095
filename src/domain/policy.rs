//! The one place that decides who may do what.
//!
//! Every server function calls [`require`] (or one of the scope helpers) before it touches
//! data; the UI uses the same answers only to decide what to show. The functions here are
//! pure: the server loads the [`Actor`] once per request and the decisions are unit-tested.

use super::role::Role;
use super::workflow::{Standing, Who};
use serde::{Deserialize, Serialize};

/// The signed-in user, as the policy sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// Set for reseller users: the reseller they act for.
    pub reseller_id: Option<i64>,
    /// Customer companies the user belongs to (customers only).
    pub company_ids: Vec<i64>,
    /// How much of their companies a customer sees.
    pub view: CustomerView,
}

/// A customer user sees all of their companies' tickets, only their own, or — after
/// registering through an equipment QR code — only what concerns the equipment scanned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerView {
    #[default]
    Company,
    Own,
    Scanned,
}

impl CustomerView {
    pub fn code(self) -> &'static str {
        match self {
            CustomerView::Company => "company",
            CustomerView::Own => "own",
            CustomerView::Scanned => "scanned",
        }
    }

    pub fn from_code(code: &str) -> Option<CustomerView> {
        [
            CustomerView::Company,
            CustomerView::Own,
            CustomerView::Scanned,
        ]
        .into_iter()
        .find(|v| v.code() == code)
    }
}

/// A top-level area of the application (a navigation item).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    Home,
    Customers,
    Tickets,
    Messages,
    Equipment,
    Orders,
    Invoices,
    Analytics,
    Settings,
    Profile,
}

impl Page {
    pub const NAV: [Page; 9] = [
        Page::Customers,
        Page::Tickets,
        Page::Messages,
        Page::Equipment,
        Page::Orders,
        Page::Invoices,
        Page::Analytics,
        Page::Settings,
        Page::Profile,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Customers => "/customers",
            Page::Tickets => "/tickets",
            Page::Messages => "/messages",
            Page::Equipment => "/equipment",
            Page::Orders => "/orders",
            Page::Invoices => "/invoices",
            Page::Analytics => "/analytics",
            Page::Settings => "/settings",
            Page::Profile => "/profile",
        }
    }

    /// The area a URL path belongs to, if it belongs to one.
    pub fn from_path(path: &str) -> Option<Page> {
        if path == "/" || path.is_empty() {
            return Some(Page::Home);
        }
        Page::NAV.into_iter().find(|page| {
            let prefix = page.path();
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// Something an actor may want to do that is not scoped to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    OpenPage(Page),
    /// Read the stored e-mail and SMS outbox (it holds other users' reset links).
    ReadOutbox,
    /// See the list of customer companies (scoped by [`company_scope`]).
    ListCompanies,
    /// See tickets (scoped by [`company_scope`]).
    ListTickets,
    /// Edit one's own profile and password.
    EditOwnProfile,
    /// Add customers and edit or delete those in scope (see [`can_manage_company`]).
    ManageCustomers,
    /// See deleted customers and restore them.
    RestoreCustomers,
    /// Edit the catalog of offers.
    ManageCatalog,
    /// Enter a customer's account to see what they see ("log in as").
    LogInAs,
    /// File a ticket for a company in scope.
    FileTicket,
    /// Move tickets along the workflow, star them, attach files (each move is then
    /// checked against `workflow` and the ticket's scope).
    WorkOnTickets,
    /// Choose a ticket's performers and set its deadline by hand.
    DispatchTickets,
    /// Edit ticket types, work types, additional fields and SLA rules.
    ManageTicketSettings,
    /// Create, edit and pause planned tickets.
    PlanTickets,
    /// Write in a ticket's conversation and mark it read (then checked against the
    /// ticket's scope and stage).
    WriteMessages,
    /// Record completed works and issue acts (then checked by [`may_record_works`]
    /// against the ticket's performers).
    RecordWorks,
    /// Sign or decline an act and rate the performers: the customer's acceptance (then
    /// checked against the ticket's scope).
    AcceptWorks,
    /// See every engineer's ratings (the staff report).
    ReadRatings,
    /// Edit the service company's own requisites (printed on acts).
    EditServiceCompany,
    /// See the equipment registry (scoped by [`equipment_scope`]).
    ReadEquipment,
    /// Add, edit, move and retire objects, rotate their QR tokens and print labels (then
    /// checked by [`can_manage_company`] against the object's company).
    ManageEquipment,
}

impl Permission {
    /// Whether the permission changes data. While staff act as a customer in read-only
    /// mode, these are refused.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Permission::EditOwnProfile
                | Permission::ManageCustomers
                | Permission::RestoreCustomers
                | Permission::ManageCatalog
                | Permission::FileTicket
                | Permission::WorkOnTickets
                | Permission::DispatchTickets
                | Permission::ManageTicketSettings
                | Permission::PlanTickets
                | Permission::WriteMessages
                | Permission::RecordWorks
                | Permission::AcceptWorks
                | Permission::EditServiceCompany
                | Permission::ManageEquipment
        )
    }
}

/// The navigation a role sees, in order. Home and Profile are reached from the logo and
/// the profile menu and are not repeated here.
pub fn navigation(role: Role) -> Vec<Page> {
    Page::NAV
        .into_iter()
        .filter(|page| *page != Page::Profile && page_allowed(role, *page))
        .collect()
}

pub fn page_allowed(role: Role, page: Page) -> bool {
    use Page::*;
    match page {
        Home | Profile => true,
        Tickets | Messages => true,
        Analytics => matches!(role, Role::Admin | Role::Manager | Role::Customer),
        Customers | Orders | Invoices => {
            matches!(role, Role::Admin | Role::Manager | Role::Reseller)
        }
        Equipment => true,
        Settings => role == Role::Admin,
    }
}

/// Pages inside an area that only some of its roles may open (a form or a print sheet of
/// something the role may not change).
const MANAGING_PATHS: [&str; 2] = ["/equipment/new", "/equipment/labels"];

/// Whether a role may open a URL path: its area, then the managing pages within it.
pub fn path_allowed(role: Role, path: &str) -> bool {
    let area = Page::from_path(path).is_none_or(|page| page_allowed(role, page));
    let managing = MANAGING_PATHS.contains(&path.trim_end_matches('/'))
        || (path.starts_with("/equipment/") && path.ends_with("/edit"));
    area && (!managing || matches!(role, Role::Admin | Role::Manager | Role::Reseller))
}

pub fn allowed(actor: &Actor, permission: Permission) -> bool {
    match permission {
        Permission::OpenPage(page) => page_allowed(actor.role, page),
        Permission::ReadOutbox => actor.role == Role::Admin,
        // Engineers work on tickets; the customer register is for those who manage customers.
        Permission::ListCompanies => {
            matches!(actor.role, Role::Admin | Role::Manager)
                || (actor.role == Role::Reseller && actor.reseller_id.is_some())
        }
        Permission::ListTickets => true,
        Permission::EditOwnProfile => true,
        Permission::ManageCustomers => {
            matches!(actor.role, Role::Admin | Role::Manager)
                || (actor.role == Role::Reseller && actor.reseller_id.is_some())
        }
        Permission::RestoreCustomers
        | Permission::ManageCatalog
        | Permission::ManageTicketSettings
        | Permission::EditServiceCompany => actor.role == Role::Admin,
        // Engineers see only the tickets they perform, so they would not see one they filed.
        Permission::FileTicket => actor.role != Role::Engineer,
        Permission::WorkOnTickets | Permission::WriteMessages => true,
        Permission::DispatchTickets | Permission::PlanTickets => {
            matches!(actor.role, Role::Admin | Role::Manager)
        }
        Permission::RecordWorks => actor.role.is_staff(),
        Permission::AcceptWorks => actor.role == Role::Customer,
        Permission::ReadRatings => matches!(actor.role, Role::Admin | Role::Manager),
        Permission::ReadEquipment => true,
        Permission::ManageEquipment => {
            matches!(actor.role, Role::Admin | Role::Manager)
                || (actor.role == Role::Reseller && actor.reseller_id.is_some())
        }
        Permission::LogInAs => {
            matches!(actor.role, Role::Admin | Role::Manager)
                || (actor.role == Role::Reseller && actor.reseller_id.is_some())
        }
    }
}

/// Whether the actor may edit, delete or onboard users into a company with this reseller:
/// the service company's admins and managers any, a reseller user only its own.
pub fn can_manage_company(actor: &Actor, company_reseller: Option<i64>) -> bool {
    match actor.role {
        Role::Admin | Role::Manager => true,
        Role::Reseller => actor.reseller_id.is_some() && company_reseller == actor.reseller_id,
        Role::Engineer | Role::Customer => false,
    }
}

/// Whether the actor may record works on a ticket, issue its act, or hand their device
/// to the customer to sign it: staff, or an engineer who performs the ticket.
pub fn may_record_works(standing: Standing) -> bool {
    Who::StaffOrPerformer.admits(standing)
}

/// Why an access was refused. The server maps it to 401 or 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    SignInRequired,
    Forbidden,
}

/// The check every server function starts with.
pub fn require(actor: Option<&Actor>, permission: Permission) -> Result<&Actor, Denied> {
    let actor = actor.ok_or(Denied::SignInRequired)?;
    if allowed(actor, permission) {
        Ok(actor)
    } else {
        Err(Denied::Forbidden)
    }
}

/// Which customer companies an actor may see. Queries filter by this, so an object of
/// another company is never loaded, not merely hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompanyScope {
    /// The service company's staff see every customer company.
    All,
    /// A reseller user sees the companies whose `reseller_id` is theirs.
    Reseller(i64),
    /// A customer sees their own companies.
    Companies(Vec<i64>),
    /// Nothing (e.g. a reseller user without a reseller).
    Nothing,
}

pub fn company_scope(actor: &Actor) -> CompanyScope {
    match actor.role {
        Role::Admin | Role::Manager | Role::Engineer => CompanyScope::All,
        Role::Reseller => actor
            .reseller_id
            .map_or(CompanyScope::Nothing, CompanyScope::Reseller),
        Role::Customer if actor.company_ids.is_empty() => CompanyScope::Nothing,
        Role::Customer => CompanyScope::Companies(actor.company_ids.clone()),
    }
}

/// Whether a company (identified by its id and its reseller) is within the actor's scope.
pub fn can_see_company(actor: &Actor, company_id: i64, company_reseller: Option<i64>) -> bool {
    match company_scope(actor) {
        CompanyScope::All => true,
        CompanyScope::Reseller(r) => company_reseller == Some(r),
        CompanyScope::Companies(ids) => ids.contains(&company_id),
        CompanyScope::Nothing => false,
    }
}

/// Which tickets an actor may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TicketScope {
    /// Tickets of the companies in scope.
    Companies(CompanyScope),
    /// An engineer sees the tickets they are a performer of.
    Performer(i64),
    /// A restricted customer sees the tickets they filed, in their companies.
    Own { user_id: i64, companies: Vec<i64> },
    /// A QR-registered customer sees the tickets of the equipment they scanned.
    Scanned(i64),
}

pub fn ticket_scope(actor: &Actor) -> TicketScope {
    match (actor.role, actor.view) {
        (Role::Engineer, _) => TicketScope::Performer(actor.user_id),
        (Role::Customer, CustomerView::Own) => TicketScope::Own {
            user_id: actor.user_id,
            companies: actor.company_ids.clone(),
        },
        (Role::Customer, CustomerView::Scanned) => TicketScope::Scanned(actor.user_id),
        _ => TicketScope::Companies(company_scope(actor)),
    }
}

/// Which objects of the registry an actor may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EquipmentScope {
    /// The objects of the companies in scope.
    Companies(CompanyScope),
    /// A QR-registered customer sees only the objects they scanned.
    Scanned(i64),
}

pub fn equipment_scope(actor: &Actor) -> EquipmentScope {
    match (actor.role, actor.view) {
        (Role::Customer, CustomerView::Scanned) => EquipmentScope::Scanned(actor.user_id),
        _ => EquipmentScope::Companies(company_scope(actor)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            role,
            reseller_id: (role == Role::Reseller).then_some(7),
            company_ids: if role == Role::Customer {
                vec![10, 11]
            } else {
                vec![]
            },
            view: CustomerView::Company,
        }
    }

    #[test]
    fn customers_get_tickets_messages_equipment_analytics_only() {
        assert_eq!(
            navigation(Role::Customer),
            vec![
                Page::Tickets,
                Page::Messages,
                Page::Equipment,
                Page::Analytics
            ]
        );
    }

    #[test]
    fn a_qr_registered_customer_sees_only_scanned_equipment() {
        let mut customer = actor(Role::Customer);
        assert_eq!(
            equipment_scope(&customer),
            EquipmentScope::Companies(CompanyScope::Companies(vec![10, 11]))
        );
        customer.view = CustomerView::Scanned;
        assert_eq!(equipment_scope(&customer), EquipmentScope::Scanned(1));
        assert!(!allowed(&customer, Permission::ManageEquipment));
        assert!(!allowed(
            &actor(Role::Engineer),
            Permission::ManageEquipment
        ));
        assert!(allowed(&actor(Role::Reseller), Permission::ManageEquipment));
        assert!(Permission::ManageEquipment.is_write());
    }

    #[test]
    fn admins_get_every_staff_area_and_managers_all_but_settings() {
        let admin = navigation(Role::Admin);
        assert_eq!(
            admin,
            vec![
                Page::Customers,
                Page::Tickets,
                Page::Messages,
                Page::Equipment,
                Page::Orders,
                Page::Invoices,
                Page::Analytics,
                Page::Settings
            ]
        );
        let manager = navigation(Role::Manager);
        assert!(!manager.contains(&Page::Settings));
        assert_eq!(manager.len(), admin.len() - 1);
    }

    #[test]
    fn staff_pages_are_closed_to_customers_by_url() {
        for page in [
            Page::Customers,
            Page::Orders,
            Page::Invoices,
            Page::Settings,
        ] {
            assert!(!page_allowed(Role::Customer, page), "{page:?}");
        }
        assert!(!page_allowed(Role::Reseller, Page::Settings));
        assert!(!page_allowed(Role::Manager, Page::Settings));
    }

    #[test]
    fn paths_map_to_areas_without_prefix_confusion() {
        assert_eq!(Page::from_path("/"), Some(Page::Home));
        assert_eq!(Page::from_path("/settings/outbox"), Some(Page::Settings));
        assert_eq!(Page::from_path("/customers"), Some(Page::Customers));
        assert_eq!(Page::from_path("/customersfoo"), None);
        assert_eq!(Page::from_path("/sign-in"), None);
    }

    #[test]
    fn only_staff_dispatch_and_plan_and_only_admins_configure_tickets() {
        for role in Role::ALL {
            let a = actor(role);
            let staff = matches!(role, Role::Admin | Role::Manager);
            assert_eq!(allowed(&a, Permission::DispatchTickets), staff, "{role:?}");
            assert_eq!(allowed(&a, Permission::PlanTickets), staff, "{role:?}");
            assert_eq!(
                allowed(&a, Permission::ManageTicketSettings),
                role == Role::Admin
            );
            assert_eq!(allowed(&a, Permission::FileTicket), role != Role::Engineer);
            assert!(Permission::WorkOnTickets.is_write());
        }
    }

    #[test]
    fn outbox_is_for_admins_only() {
        for role in Role::ALL {
            assert_eq!(
                allowed(&actor(role), Permission::ReadOutbox),
                role == Role::Admin
            );
        }
    }

    #[test]
    fn require_tells_apart_anonymous_and_forbidden() {
        assert_eq!(
            require(None, Permission::ListTickets),
            Err(Denied::SignInRequired)
        );
        let customer = actor(Role::Customer);
        assert_eq!(
            require(Some(&customer), Permission::ReadOutbox),
            Err(Denied::Forbidden)
        );
        assert!(require(Some(&customer), Permission::ListTickets).is_ok());
    }

    #[test]
    fn company_scope_confines_resellers_and_customers() {
        let reseller = actor(Role::Reseller);
        assert!(can_see_company(&reseller, 99, Some(7)));
        assert!(!can_see_company(&reseller, 99, Some(8)));
        assert!(!can_see_company(&reseller, 99, None));

        let customer = actor(Role::Customer);
        assert!(can_see_company(&customer, 10, None));
        assert!(!can_see_company(&customer, 12, None));

        let orphan = Actor {
            reseller_id: None,
            ..actor(Role::Reseller)
        };
        assert_eq!(company_scope(&orphan), CompanyScope::Nothing);
        assert!(!allowed(&orphan, Permission::ListCompanies));

        assert!(can_see_company(&actor(Role::Manager), 12, Some(3)));
    }

    #[test]
    fn only_admins_managers_and_own_resellers_manage_a_company() {
        assert!(can_manage_company(&actor(Role::Admin), Some(3)));
        assert!(can_manage_company(&actor(Role::Manager), None));
        assert!(can_manage_company(&actor(Role::Reseller), Some(7)));
        assert!(!can_manage_company(&actor(Role::Reseller), Some(8)));
        assert!(!can_manage_company(&actor(Role::Reseller), None));
        assert!(!can_manage_company(&actor(Role::Engineer), Some(7)));
        assert!(!can_manage_company(&actor(Role::Customer), None));
        assert!(allowed(&actor(Role::Admin), Permission::RestoreCustomers));
        assert!(!allowed(
            &actor(Role::Manager),
            Permission::RestoreCustomers
        ));
    }

    #[test]
    fn engineers_see_their_assignments_and_others_their_companies() {
        assert_eq!(
            ticket_scope(&actor(Role::Engineer)),
            TicketScope::Performer(1)
        );
        assert_eq!(
            ticket_scope(&actor(Role::Manager)),
            TicketScope::Companies(CompanyScope::All)
        );
        assert_eq!(
            ticket_scope(&actor(Role::Customer)),
            TicketScope::Companies(CompanyScope::Companies(vec![10, 11]))
        );
        let own = Actor {
            view: CustomerView::Own,
            ..actor(Role::Customer)
        };
        assert_eq!(
            ticket_scope(&own),
            TicketScope::Own {
                user_id: 1,
                companies: vec![10, 11]
            }
        );
        let scanned = Actor {
            view: CustomerView::Scanned,
            ..actor(Role::Customer)
        };
        assert_eq!(ticket_scope(&scanned), TicketScope::Scanned(1));
    }

    #[test]
    fn works_are_recorded_by_staff_and_performers_and_accepted_by_customers() {
        use crate::domain::workflow::Standing;
        for role in Role::ALL {
            let a = actor(role);
            assert_eq!(
                allowed(&a, Permission::RecordWorks),
                role.is_staff(),
                "{role:?}"
            );
            assert_eq!(
                allowed(&a, Permission::AcceptWorks),
                role == Role::Customer,
                "{role:?}"
            );
            assert_eq!(
                allowed(&a, Permission::ReadRatings),
                matches!(role, Role::Admin | Role::Manager),
                "{role:?}"
            );
        }
        assert!(may_record_works(Standing {
            role: Role::Engineer,
            performer: true
        }));
        assert!(!may_record_works(Standing {
            role: Role::Engineer,
            performer: false
        }));
        assert!(may_record_works(Standing {
            role: Role::Manager,
            performer: false
        }));
        assert!(!may_record_works(Standing {
            role: Role::Customer,
            performer: true
        }));
        assert!(Permission::AcceptWorks.is_write() && Permission::RecordWorks.is_write());
    }
}
