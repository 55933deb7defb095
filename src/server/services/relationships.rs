//! Relationship requests (Partner Center): a reseller asks an existing customer company to
//! be linked to it. The company's administrators get a link by e-mail; one of them, signed
//! in, accepts or declines. Nothing changes until they do.

use crate::domain::policy::{self, Actor};
use crate::domain::role::Role;
use crate::domain::validate::Problem;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{self, audit, companies};
use crate::server::http_util::{random_token, token_hash};
use crate::server::state::AppState;

pub const VALID_DAYS: i64 = 14;

/// Sends the request; returns how many administrators were written to.
pub async fn request(state: &AppState, actor: &Actor, company_id: i64) -> Result<usize, AppError> {
    let reseller_id = match (actor.role, actor.reseller_id) {
        (Role::Reseller, Some(r)) => r,
        _ => return Err(AppError::Forbidden),
    };
    let company = companies::get(&state.db, company_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if company.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if company.reseller_id == Some(reseller_id) {
        return Err(AppError::field("company", Problem::Taken));
    }
    let reseller_name: String = sqlx::query_scalar("SELECT name FROM resellers WHERE id = $1")
        .bind(reseller_id)
        .fetch_one(&state.db)
        .await?;
    // The company's administrators, or its contact when it has none yet.
    let mut recipients: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.company_id = $1 AND m.is_company_admin = 1 AND u.is_active = 1 AND u.email IS NOT NULL ORDER BY u.id",
    )
    .bind(company_id)
    .fetch_all(&state.db)
    .await?;
    if recipients.is_empty() {
        recipients.extend(company.contact_email.clone().or(company.email.clone()));
    }
    let token = random_token();
    let now = db::now();
    sqlx::query(
        "INSERT INTO relationship_requests (company_id, reseller_id, requested_by, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(company_id)
    .bind(reseller_id)
    .bind(actor.user_id)
    .bind(token_hash(&token))
    .bind(now)
    .bind(now + VALID_DAYS * 86_400)
    .execute(&state.db)
    .await?;
    let link = format!("{}/relationship?token={token}", state.config.public_url);
    let tr = Locale::Ru.tr();
    for email in &recipients {
        state
            .mailer
            .send_email(
                email,
                &tr.relationship_subject(&reseller_name),
                &tr.relationship_body(&reseller_name, &company.name, &link),
            )
            .await?;
    }
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(company_id),
            action: "relationship_requested",
            detail: Some(&reseller_name),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(recipients.len())
}

/// A pending request: `(request id, company id, company name, reseller id, reseller name)`.
type Pending = (i64, i64, String, i64, String);

async fn pending(state: &AppState, token: &str) -> Result<Option<Pending>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    Ok(sqlx::query_as::<_, Pending>(
        "SELECT q.id, c.id, c.name, r.id, r.name FROM relationship_requests q \
         JOIN companies c ON c.id = q.company_id JOIN resellers r ON r.id = q.reseller_id \
         WHERE q.token_hash = $1 AND q.status = 'pending' AND q.expires_at > $2 AND c.deleted_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(db::now())
    .fetch_optional(&state.db)
    .await?)
}

/// What the link shows: the company and the reseller, if the request can still be decided.
pub async fn check(state: &AppState, token: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(pending(state, token)
        .await?
        .map(|(_, _, company, _, reseller)| (company, reseller)))
}

/// Accepts or declines, as an administrator of that company.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    token: &str,
    accept: bool,
) -> Result<(), AppError> {
    let (request_id, company_id, _, reseller_id, reseller_name) = pending(state, token)
        .await?
        .ok_or(AppError::field("token", Problem::LinkInvalid))?;
    let administers = actor.role == Role::Customer
        && policy::can_see_company(actor, company_id, None)
        && crate::server::db::users::is_company_admin(&state.db, actor.user_id, company_id).await?;
    if !administers {
        return Err(AppError::Forbidden);
    }
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE relationship_requests SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'",
    )
    .bind(if accept { "accepted" } else { "declined" })
    .bind(now)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::field("token", Problem::LinkInvalid));
    }
    if accept {
        sqlx::query("UPDATE companies SET reseller_id = $1, updated_at = $2 WHERE id = $3")
            .bind(reseller_id)
            .bind(now)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(company_id),
            action: if accept {
                "relationship_accepted"
            } else {
                "relationship_declined"
            },
            detail: Some(&reseller_name),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}
