//! "Log in as" a customer user (ResellerHub): staff who manage the customer, or its
//! reseller, enter the customer's account for a stated reason, read-only unless they
//! explicitly switch to act, for a limited time. Every step and every action taken is in
//! the audit log with both identities; the customer sees the visits in their history.

use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, Problem};
use crate::error::AppError;
use crate::server::db::{self, audit, companies, sessions, users};
use crate::server::session::RequestContext;
use crate::server::state::AppState;

/// How long a visit lasts before the session returns to its owner by itself.
pub const VISIT_MINUTES: i64 = 30;

pub async fn start(
    state: &AppState,
    request: &RequestContext,
    company_id: i64,
    user_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let session = request.session.as_ref().ok_or(AppError::Unauthenticated)?;
    if session.acting.is_some() {
        return Err(AppError::Forbidden);
    }
    let actor = policy::require(Some(&session.actor), Permission::LogInAs)?;
    let company = companies::get(&state.db, company_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if company.deleted_at.is_some()
        || !policy::can_see_company(actor, company.id, company.reseller_id)
    {
        return Err(AppError::NotFound);
    }
    if !policy::can_manage_company(actor, company.reseller_id) {
        return Err(AppError::Forbidden);
    }
    let target = users::actor_row(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role != "customer"
        || target.is_active != 1
        || !users::is_member(&state.db, user_id, company_id).await?
    {
        return Err(AppError::NotFound);
    }
    let reason = validate::text(reason, 500).map_err(|p| AppError::field("reason", p))?;
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", Problem::TooShort { min: 5 }));
    }
    let now = db::now();
    sessions::start_acting(
        &state.db,
        &session.id_hash,
        user_id,
        &reason,
        now + VISIT_MINUTES * 60,
    )
    .await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            on_behalf_of_user_id: Some(user_id),
            company_id: Some(company_id),
            action: "log_in_as_started",
            detail: Some(&reason),
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// The explicit switch from viewing to acting (and back).
pub async fn set_write(
    state: &AppState,
    request: &RequestContext,
    can_write: bool,
) -> Result<(), AppError> {
    let session = request.session.as_ref().ok_or(AppError::Unauthenticated)?;
    let acting = session.acting.as_ref().ok_or(AppError::Forbidden)?;
    sessions::set_acting_write(&state.db, &session.id_hash, can_write).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(acting.by.user_id),
            on_behalf_of_user_id: Some(session.actor.user_id),
            action: if can_write {
                "log_in_as_write_on"
            } else {
                "log_in_as_write_off"
            },
            ip: Some(&request.ip),
            ..Default::default()
        },
        db::now(),
    )
    .await?;
    Ok(())
}

/// Back to one's own account.
pub async fn stop(state: &AppState, request: &RequestContext) -> Result<(), AppError> {
    let session = request.session.as_ref().ok_or(AppError::Unauthenticated)?;
    let Some(acting) = &session.acting else {
        return Ok(());
    };
    sessions::stop_acting(&state.db, &session.id_hash).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(acting.by.user_id),
            on_behalf_of_user_id: Some(session.actor.user_id),
            action: "log_in_as_ended",
            ip: Some(&request.ip),
            ..Default::default()
        },
        db::now(),
    )
    .await?;
    Ok(())
}

/// Visits of staff to this user's account, newest first.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Visit {
    pub at: i64,
    pub by_name: Option<String>,
    pub action: String,
    pub detail: Option<String>,
}

pub async fn visits(state: &AppState, user_id: i64) -> Result<Vec<Visit>, AppError> {
    Ok(sqlx::query_as::<_, Visit>(
        "SELECT a.at, u.full_name AS by_name, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
         WHERE a.on_behalf_of_user_id = $1 AND a.action IN ('log_in_as_started', 'log_in_as_write_on', 'log_in_as_ended') \
         ORDER BY a.id DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(&state.db)
    .await?)
}
