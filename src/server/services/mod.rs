pub mod auth;
pub mod customers;
