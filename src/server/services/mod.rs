pub mod acting;
pub mod auth;
pub mod customers;
pub mod invitations;
pub mod notify;
pub mod plans;
pub mod relationships;
pub mod tickets;
