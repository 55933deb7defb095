pub mod auth;
pub mod customers;
pub mod home;
pub mod lists;
pub mod plans;
pub mod profile;
pub mod tickets;
pub mod users;
