//! Customer users (HubEx "creating a customer"): staff, the customer's reseller, or the
//! customer's own administrator invite a user into a company; the user opens the link,
//! chooses a password and is signed in. Resend, disable and enable.

use crate::domain::policy::{self, Actor, CustomerView, Permission};
use crate::domain::role::Role;
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{self, audit, companies, sessions, tokens, users};
use crate::server::http_util::{random_token, token_hash};
use crate::server::passwords;
use crate::server::services::auth::SignedIn;
use crate::server::session::RequestContext;
use crate::server::state::AppState;

pub const PURPOSE_INVITATION: &str = "invitation";
pub const INVITATION_DAYS: i64 = 7;

/// Who may add users to a company: whoever manages it (admin, manager, its reseller), or
/// a customer user who administers that very company.
async fn may_invite(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
) -> Result<companies::CompanyRecord, AppError> {
    let record = companies::get(&state.db, company_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.deleted_at.is_some() || !policy::can_see_company(actor, record.id, record.reseller_id)
    {
        return Err(AppError::NotFound);
    }
    let manages = policy::allowed(actor, Permission::ManageCustomers)
        && policy::can_manage_company(actor, record.reseller_id);
    let administers = actor.role == Role::Customer
        && users::is_company_admin(&state.db, actor.user_id, company_id).await?;
    if manages || administers {
        Ok(record)
    } else {
        Err(AppError::Forbidden)
    }
}

pub struct InviteInput<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    /// `company` or `own`.
    pub sees: &'a str,
    pub company_admin: bool,
    /// `email`, `sms` or `both`.
    pub channel: &'a str,
}

/// Creates (or links) the user and sends the invitation. Returns the user's id.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
    input: &InviteInput<'_>,
) -> Result<i64, AppError> {
    let company = may_invite(state, actor, company_id).await?;
    let mut errors = FieldErrors::new();
    let full_name = errors.check(
        "invite_name",
        validate::text(input.full_name, validate::NAME_MAX),
    );
    let email = errors.check(
        "invite_email",
        validate::optional(input.email, validate::email),
    );
    let phone = errors.check(
        "invite_phone",
        validate::optional(input.phone, validate::phone),
    );
    let sees = errors.check(
        "invite_sees",
        CustomerView::from_code(input.sees)
            .filter(|v| *v != CustomerView::Scanned)
            .ok_or(Problem::UnknownChoice),
    );
    let channel = errors.check(
        "invite_channel",
        ["email", "sms", "both"]
            .contains(&input.channel)
            .then_some(input.channel)
            .ok_or(Problem::UnknownChoice),
    );
    if let (Some(email), Some(phone), Some(channel)) = (&email, &phone, channel) {
        if matches!(channel, "email" | "both") && email.is_none() {
            errors.add("invite_email", Problem::Required);
        }
        if matches!(channel, "sms" | "both") && phone.is_none() {
            errors.add("invite_phone", Problem::Required);
        }
    }
    let (Some(full_name), Some(email), Some(phone), Some(sees), Some(channel)) =
        (full_name, email, phone, sees, channel)
    else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let now = db::now();
    let user_id = match users::find_by_contact(&state.db, email.as_deref(), phone.as_deref())
        .await?
    {
        // An existing customer is linked to one more company.
        Some((id, role, has_password)) if role == "customer" => {
            if !users::is_member(&state.db, id, company_id).await? {
                users::add_membership(&state.db, id, company_id, input.company_admin, now).await?;
            }
            if has_password == 1 {
                audit_invite(state, actor, company_id, id, now).await?;
                return Ok(id);
            }
            id
        }
        Some(_) => {
            let field = if email.is_some() {
                "invite_email"
            } else {
                "invite_phone"
            };
            return Err(AppError::field(field, Problem::Taken));
        }
        None => {
            let id = users::insert(
                &state.db,
                &users::NewUser {
                    role: "customer",
                    full_name: &full_name,
                    email: email.as_deref(),
                    phone: phone.as_deref(),
                    password_hash: None,
                    language: "ru",
                    reseller_id: None,
                },
                now,
            )
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_unique_violation() => {
                    AppError::field("invite_email", Problem::Taken)
                }
                _ => e.into(),
            })?;
            users::set_ticket_scope(&state.db, id, sees.code(), now).await?;
            users::add_membership(&state.db, id, company_id, input.company_admin, now).await?;
            id
        }
    };
    send_invitation(state, user_id, &company.name, channel, now).await?;
    audit_invite(state, actor, company_id, user_id, now).await?;
    Ok(user_id)
}

async fn audit_invite(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), AppError> {
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(company_id),
            action: "user_invited",
            object_type: Some("user"),
            object_id: Some(user_id),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// A new invitation link (older ones stop working), by e-mail and/or SMS.
async fn send_invitation(
    state: &AppState,
    user_id: i64,
    company: &str,
    channel: &str,
    now: i64,
) -> Result<(), AppError> {
    let (full_name, email, phone, language) = users::invitation_subject(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = random_token();
    let mut tx = state.db.begin().await?;
    tokens::revoke_for_user(&mut *tx, PURPOSE_INVITATION, user_id, now).await?;
    tokens::create(
        &mut *tx,
        PURPOSE_INVITATION,
        &token_hash(&token),
        user_id,
        now,
        now + INVITATION_DAYS * 86_400,
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/invitation?token={token}", state.config.public_url);
    let tr = Locale::from_code(&language).unwrap_or(Locale::Ru).tr();
    if matches!(channel, "email" | "both") {
        if let Some(email) = &email {
            state
                .mailer
                .send_email(
                    email,
                    &tr.invitation_subject(company),
                    &tr.invitation_body(&full_name, company, &link, INVITATION_DAYS),
                )
                .await?;
        }
    }
    if matches!(channel, "sms" | "both") {
        if let Some(phone) = &phone {
            state
                .mailer
                .send_sms(phone, &tr.invitation_sms(company, &link))
                .await?;
        }
    }
    Ok(())
}

/// Sends the invitation again to a user who has not accepted it yet.
pub async fn resend(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let company = may_invite(state, actor, company_id).await?;
    if !users::is_member(&state.db, user_id, company_id).await? {
        return Err(AppError::NotFound);
    }
    if users::password_hash(&state.db, user_id).await?.is_some() {
        return Err(AppError::field("user", Problem::Taken));
    }
    let now = db::now();
    send_invitation(state, user_id, &company.name, "both", now).await?;
    audit_invite(state, actor, company_id, user_id, now).await
}

/// Disables (all sessions end, sign-in refused) or re-enables a user of the company.
pub async fn set_active(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    may_invite(state, actor, company_id).await?;
    if !users::is_member(&state.db, user_id, company_id).await? || user_id == actor.user_id {
        return Err(AppError::NotFound);
    }
    let now = db::now();
    let mut tx = state.db.begin().await?;
    users::set_active(&mut *tx, user_id, active, now).await?;
    if !active {
        sessions::delete_for_user(&mut *tx, user_id, None).await?;
    }
    tx.commit().await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(company_id),
            action: if active {
                "user_enabled"
            } else {
                "user_disabled"
            },
            object_type: Some("user"),
            object_id: Some(user_id),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// What the invitation page shows before the password is chosen.
pub struct Invitation {
    pub full_name: String,
    pub companies: Vec<String>,
}

pub async fn check(state: &AppState, token: &str) -> Result<Option<Invitation>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let hash = token_hash(token);
    if !tokens::is_live(&state.db, PURPOSE_INVITATION, &hash, db::now()).await? {
        return Ok(None);
    }
    let user_id: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM auth_tokens WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(&state.db)
            .await?
            .flatten();
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let Some((full_name, ..)) = users::invitation_subject(&state.db, user_id).await? else {
        return Ok(None);
    };
    Ok(Some(Invitation {
        full_name,
        companies: users::company_names(&state.db, user_id).await?,
    }))
}

/// Accepts the invitation: the password is set, the link is used up, the user is signed in.
pub async fn accept(
    state: &AppState,
    request: &RequestContext,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<SignedIn, AppError> {
    let mut errors = FieldErrors::new();
    let password = errors.check("new_password", validate::password(password));
    if confirm.is_empty() {
        errors.add("confirm_password", Problem::Required);
    } else if password.as_deref().is_some_and(|p| p != confirm) {
        errors.add("confirm_password", Problem::Mismatch);
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    if check(state, token).await?.is_none() {
        return Err(AppError::field("token", Problem::LinkInvalid));
    }
    let hash = passwords::hash(password).await.ok_or(AppError::Internal)?;
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let Some(user_id) =
        tokens::consume(&mut *tx, PURPOSE_INVITATION, &token_hash(token), now).await?
    else {
        return Err(AppError::field("token", Problem::LinkInvalid));
    };
    users::set_password(&mut *tx, user_id, &hash, now).await?;
    tx.commit().await?;
    let signed = crate::server::services::auth::open_session(state, request, user_id, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user_id),
            action: "invitation_accepted",
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(signed)
}
