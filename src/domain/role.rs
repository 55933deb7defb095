//! Who a user is to Atrium. Every access decision starts from the role.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Service company: everything, including settings, staff and the outbox.
    Admin,
    /// Service company: customers, tickets, assignment, orders, invoices, acts.
    Manager,
    /// Service company: tickets assigned to them.
    Engineer,
    /// A reseller's user: only the reseller's own customer companies.
    Reseller,
    /// A customer company's user: only their companies' data.
    Customer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Engineer,
        Role::Reseller,
        Role::Customer,
    ];

    /// The value stored in `users.role`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Engineer => "engineer",
            Role::Reseller => "reseller",
            Role::Customer => "customer",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Staff of the service company (admin, manager, engineer).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Engineer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code("Admin"), None);
    }

    #[test]
    fn only_service_company_roles_are_staff() {
        assert!(Role::Admin.is_staff() && Role::Manager.is_staff() && Role::Engineer.is_staff());
        assert!(!Role::Reseller.is_staff() && !Role::Customer.is_staff());
    }
}
