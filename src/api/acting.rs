//! "Log in as": start, allow changes, return; and the visits a customer sees.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

#[server(endpoint = "log_in_as")]
pub async fn log_in_as(company_id: i64, user_id: i64, reason: String) -> Result<(), AppError> {
    use crate::server::services::acting;
    // Authorised inside (Permission::LogInAs and the company's manager).
    let state = ctx::state()?;
    let request = ctx::request()?;
    acting::start(&state, &request, company_id, user_id, &reason).await
}

#[server(endpoint = "acting_allow_changes")]
pub async fn acting_allow_changes(allow: bool) -> Result<(), AppError> {
    use crate::server::services::acting;
    // Only a session that acts as someone may switch (checked inside).
    let state = ctx::state()?;
    let request = ctx::request()?;
    acting::set_write(&state, &request, allow).await
}

#[server(endpoint = "stop_acting")]
pub async fn stop_acting() -> Result<(), AppError> {
    use crate::server::services::acting;
    // Public to any session: returning to oneself is always allowed.
    let state = ctx::state()?;
    let request = ctx::request()?;
    acting::stop(&state, &request).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitItem {
    pub at: i64,
    pub by: Option<String>,
    pub action: String,
    pub reason: Option<String>,
}

/// Staff visits to the signed-in user's own account (not shown to the visitors themselves).
#[server(endpoint = "my_visits")]
pub async fn my_visits() -> Result<Vec<VisitItem>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acting;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(
        &request,
        Permission::OpenPage(crate::domain::policy::Page::Profile),
    )?;
    if request.session.as_ref().is_some_and(|s| s.acting.is_some()) {
        return Ok(vec![]);
    }
    Ok(acting::visits(&state, actor.user_id)
        .await?
        .into_iter()
        .map(|v| VisitItem {
            at: v.at,
            by: v.by_name,
            action: v.action,
            reason: v.detail,
        })
        .collect())
}
