pub mod auth;
pub mod home;
pub mod lists;
pub mod profile;
