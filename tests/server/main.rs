//! Server integration tests: services, sessions, tokens, policy and the HTTP surface,
//! each on a fresh SQLite database and a fresh PostgreSQL database.

mod support;

mod acting;
mod acts;
mod auth;
mod chat;
mod customers;
mod equipment;
mod http_surface;
mod invitations;
mod mail;
mod policy;
mod settings;
mod tickets;
