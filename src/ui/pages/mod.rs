pub mod auth;
pub mod customers;
pub mod home;
pub mod lists;
pub mod profile;
pub mod users;
pub mod tickets;
pub mod plans;
