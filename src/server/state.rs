//! The shared state of the server: one pool, the settings, the mailer, the chat bus.

use super::config::Config;
use super::db::{Backend, Db};
use super::mail::Mailer;
use super::realtime::ChatBus;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub backend: Backend,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Conversation events for open streams (in-process, or across instances on PostgreSQL).
    pub chat: Arc<dyn ChatBus>,
}
