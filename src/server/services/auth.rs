//! Sign-in, sign-out, password reset and password change: the rules that touch the
//! database. Server functions call these after the policy check; tests call them directly.

use crate::domain::validate::{self, FieldErrors, Login, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{self, audit, sessions, tokens, users};
use crate::server::http_util::{random_token, token_hash};
use crate::server::passwords;
use crate::server::session::RequestContext;
use crate::server::state::AppState;

/// A new session: the token goes into the cookie, nowhere else.
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
    pub language: String,
}

fn login_key(login: &Login) -> String {
    format!("login:{}", login.as_str())
}

/// Records an attempt *before* the password is checked, so that concurrent guesses all
/// count, then refuses when the account or the address has more attempts in the window
/// than allowed. Returns the attempt's id; a successful attempt clears the account's record.
async fn reserve_attempt(
    state: &AppState,
    key: &str,
    ip: &str,
    per_key: i64,
    now: i64,
) -> Result<i64, AppError> {
    let window = state.config.login_failure_window_minutes * 60;
    let attempt = tokens::record_failure(&state.db, key, ip, now).await?;
    let (by_key, by_ip, oldest) = tokens::failures_since(&state.db, key, ip, now - window).await?;
    if by_key > per_key || by_ip > state.config.login_failures_per_address {
        // A refused attempt does not prolong the lock.
        tokens::forget_attempt(&state.db, attempt).await?;
        let retry_after_secs = oldest.map_or(window, |t| (t + window - now).max(1));
        return Err(AppError::RateLimited { retry_after_secs });
    }
    Ok(attempt)
}

pub async fn sign_in(
    state: &AppState,
    request: &RequestContext,
    login: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let mut errors = FieldErrors::new();
    let login = errors.check("login", validate::login(login));
    if password.is_empty() {
        errors.add("password", Problem::Required);
    }
    let Some(login) = login.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let now = db::now();
    let key = login_key(&login);
    reserve_attempt(
        state,
        &key,
        &request.ip,
        state.config.login_failures_per_account,
        now,
    )
    .await?;

    let user = users::credentials_by_login(&state.db, &login).await?;
    let hash = user
        .as_ref()
        .filter(|u| u.is_active == 1)
        .and_then(|u| u.password_hash.clone());
    // Over-long input is never a valid password: skip the hashing work, not the failure.
    let valid = password.chars().count() <= validate::PASSWORD_MAX
        && passwords::verify(password.to_owned(), hash).await;
    let user = match user {
        Some(user) if valid => user,
        _ => return Err(AppError::field("password", Problem::BadCredentials)),
    };
    tokens::clear_failures(&state.db, &key).await?;

    let signed = open_session(state, request, user.id, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user.id),
            action: "sign_in",
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(signed)
}

/// A new server-side session for the user (a new id every time: no fixation).
pub async fn open_session(
    state: &AppState,
    request: &RequestContext,
    user_id: i64,
    now: i64,
) -> Result<SignedIn, AppError> {
    let token = random_token();
    sessions::create(
        &state.db,
        &sessions::NewSession {
            id_hash: &token_hash(&token),
            user_id,
            now,
            expires_at: now + state.config.session_absolute_hours * 3600,
            ip: &request.ip,
            user_agent: &request.user_agent,
        },
    )
    .await?;
    let language = users::get(&state.db, user_id)
        .await?
        .map(|u| u.language)
        .unwrap_or_else(|| "en".into());
    Ok(SignedIn {
        token,
        user_id,
        language,
    })
}

pub async fn sign_out(state: &AppState, request: &RequestContext) -> Result<(), AppError> {
    if let Some(session) = &request.session {
        sessions::delete(&state.db, &session.id_hash).await?;
        audit::record(
            &state.db,
            &audit::Entry {
                actor_user_id: Some(session.actor.user_id),
                action: "sign_out",
                ip: Some(&request.ip),
                ..Default::default()
            },
            db::now(),
        )
        .await?;
    }
    Ok(())
}

/// Sends a reset link to the account's e-mail (or by SMS when the login is a phone).
/// Answers the same whether or not the account exists.
pub async fn request_reset(
    state: &AppState,
    request: &RequestContext,
    login: &str,
) -> Result<(), AppError> {
    let login = validate::login(login).map_err(|p| AppError::field("login", p))?;
    let now = db::now();
    let key = format!("reset:{}", login.as_str());
    // Every request counts: a few links per account per window, then silence.
    let window = state.config.login_failure_window_minutes * 60;
    let (by_key, by_ip, _) =
        tokens::failures_since(&state.db, &key, &request.ip, now - window).await?;
    if by_ip >= state.config.login_failures_per_address {
        return Err(AppError::RateLimited {
            retry_after_secs: window,
        });
    }
    tokens::record_failure(&state.db, &key, &request.ip, now).await?;
    if by_key >= 3 {
        tracing::info!(key, "reset link suppressed by the per-account limit");
        return Ok(());
    }
    // The rest happens after the answer, so that its time says nothing about whether the
    // account exists.
    let (state, ip) = (state.clone(), request.ip.clone());
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&state, &login, &ip, now).await {
            tracing::error!(?error, "cannot send a reset link");
        }
    });
    Ok(())
}

async fn send_reset_link(
    state: &AppState,
    login: &Login,
    ip: &str,
    now: i64,
) -> Result<(), AppError> {
    let Some(user) = users::credentials_by_login(&state.db, login).await? else {
        return Ok(());
    };
    if user.is_active != 1 {
        return Ok(());
    }
    let token = random_token();
    let minutes = state.config.reset_token_minutes;
    // A new link replaces the old ones, atomically.
    let mut tx = state.db.begin().await?;
    tokens::revoke_for_user(&mut *tx, tokens::PURPOSE_RESET, user.id, now).await?;
    tokens::create(
        &mut *tx,
        tokens::PURPOSE_RESET,
        &token_hash(&token),
        user.id,
        now,
        now + minutes * 60,
    )
    .await?;
    tx.commit().await?;

    let link = format!("{}/reset-password?token={token}", state.config.public_url);
    let tr = Locale::from_code(&user.language).unwrap_or(Locale::En).tr();
    match (login, &user.email, &user.phone) {
        (Login::Phone(_), _, Some(phone)) | (_, None, Some(phone)) => {
            state
                .mailer
                .send_sms(phone, &tr.reset_sms_body(&link))
                .await?;
        }
        (_, Some(email), _) => {
            state
                .mailer
                .send_email(
                    email,
                    tr.mail_reset_subject,
                    &tr.reset_mail_body(&user.full_name, &link, minutes),
                )
                .await?;
        }
        (_, None, None) => {}
    }
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user.id),
            action: "password_reset_requested",
            ip: Some(ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn reset_link_is_live(state: &AppState, token: &str) -> Result<bool, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(false);
    }
    Ok(tokens::is_live(
        &state.db,
        tokens::PURPOSE_RESET,
        &token_hash(token),
        db::now(),
    )
    .await?)
}

fn new_password(password: &str, confirm: &str, errors: &mut FieldErrors) -> Option<String> {
    let password = errors.check("new_password", validate::password(password));
    if confirm.is_empty() {
        errors.add("confirm_password", Problem::Required);
    } else if password.as_deref().is_some_and(|p| p != confirm) {
        errors.add("confirm_password", Problem::Mismatch);
    }
    password.filter(|_| errors.is_empty())
}

/// Sets a new password through a reset link; every session of the user ends.
pub async fn reset_password(
    state: &AppState,
    request: &RequestContext,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::new();
    let password = new_password(password, confirm, &mut errors);
    let Some(password) = password else {
        return Err(errors.into());
    };
    // The (expensive) hash only for a link that can still be used.
    if !reset_link_is_live(state, token).await? {
        return Err(AppError::field("token", Problem::LinkInvalid));
    }
    let hash = passwords::hash(password).await.ok_or(AppError::Internal)?;
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let Some(user_id) =
        tokens::consume(&mut *tx, tokens::PURPOSE_RESET, &token_hash(token), now).await?
    else {
        return Err(AppError::field("token", Problem::LinkInvalid));
    };
    users::set_password(&mut *tx, user_id, &hash, now).await?;
    sessions::delete_for_user(&mut *tx, user_id, None).await?;
    tokens::revoke_for_user(&mut *tx, tokens::PURPOSE_RESET, user_id, now).await?;
    tx.commit().await?;
    // Whoever locked the account with wrong guesses no longer keeps its owner out.
    if let Some(user) = users::get(&state.db, user_id).await? {
        for login in [user.email.map(Login::Email), user.phone.map(Login::Phone)]
            .into_iter()
            .flatten()
        {
            tokens::clear_failures(&state.db, &login_key(&login)).await?;
        }
    }
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user_id),
            action: "password_reset",
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(user_id)
}

/// Checks the signed-in user's own password before a sensitive change, counting wrong
/// guesses like sign-in attempts; the problem is reported on `field`.
async fn confirm_own_password(
    state: &AppState,
    request: &RequestContext,
    user_id: i64,
    password: &str,
    field: &str,
    now: i64,
) -> Result<(), AppError> {
    let key = format!("password:{user_id}");
    reserve_attempt(
        state,
        &key,
        &request.ip,
        state.config.login_failures_per_account,
        now,
    )
    .await?;
    let stored = users::password_hash(&state.db, user_id).await?;
    if password.chars().count() > validate::PASSWORD_MAX
        || !passwords::verify(password.to_owned(), stored).await
    {
        return Err(AppError::field(field, Problem::WrongPassword));
    }
    tokens::clear_failures(&state.db, &key).await?;
    Ok(())
}

/// Changes the password of the signed-in user; their other sessions end.
pub async fn change_password(
    state: &AppState,
    request: &RequestContext,
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let session = request.session.as_ref().ok_or(AppError::Unauthenticated)?;
    // Staff acting as a customer never touch the customer's password.
    if session.acting.is_some() {
        return Err(AppError::Forbidden);
    }
    let user_id = session.actor.user_id;
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.add("current_password", Problem::Required);
    }
    let password = new_password(password, confirm, &mut errors);
    let Some(password) = password else {
        return Err(errors.into());
    };
    let now = db::now();
    confirm_own_password(state, request, user_id, current, "current_password", now).await?;
    let hash = passwords::hash(password).await.ok_or(AppError::Internal)?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut *tx, user_id, &hash, now).await?;
    sessions::delete_for_user(&mut *tx, user_id, Some(&session.id_hash)).await?;
    // A reset link sent before the change must not undo it.
    tokens::revoke_for_user(&mut *tx, tokens::PURPOSE_RESET, user_id, now).await?;
    tx.commit().await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user_id),
            action: "password_changed",
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// The cleaned profile fields.
pub struct ProfileInput {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Locale,
}

pub fn validate_profile(
    full_name: &str,
    email: &str,
    phone: &str,
    language: &str,
) -> Result<ProfileInput, AppError> {
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", validate::text(full_name, validate::NAME_MAX));
    let email = errors.check("email", validate::optional(email, validate::email));
    let phone = errors.check("phone", validate::optional(phone, validate::phone));
    let language = errors.check(
        "language",
        Locale::from_code(language).ok_or(Problem::UnknownChoice),
    );
    if let (Some(None), Some(None)) = (&email, &phone) {
        // Someone must be able to sign in: keep at least one of the two.
        errors.add("email", Problem::Required);
    }
    match (full_name, email, phone, language) {
        (Some(full_name), Some(email), Some(phone), Some(language)) if errors.is_empty() => {
            Ok(ProfileInput {
                full_name,
                email,
                phone,
                language,
            })
        }
        _ => Err(errors.into()),
    }
}

/// Saves the profile. Changing the e-mail or the phone (the sign-in identifiers) needs the
/// current password, and then ends the user's other sessions and pending reset links.
pub async fn update_profile(
    state: &AppState,
    request: &RequestContext,
    input: &ProfileInput,
    current_password: &str,
) -> Result<(), AppError> {
    let session = request.session.as_ref().ok_or(AppError::Unauthenticated)?;
    let user_id = session.actor.user_id;
    let identifiers_change = input.email != session.email || input.phone != session.phone;
    // …nor the e-mail or phone the customer signs in with.
    if identifiers_change && session.acting.is_some() {
        return Err(AppError::Forbidden);
    }
    let now = db::now();
    if identifiers_change {
        if current_password.is_empty() {
            return Err(AppError::field("profile_password", Problem::Required));
        }
        confirm_own_password(
            state,
            request,
            user_id,
            current_password,
            "profile_password",
            now,
        )
        .await?;
    }
    let mut errors = FieldErrors::new();
    if let Some(email) = &input.email {
        if users::contact_taken(&state.db, user_id, "email", email).await? {
            errors.add("email", Problem::Taken);
        }
    }
    if let Some(phone) = &input.phone {
        if users::contact_taken(&state.db, user_id, "phone", phone).await? {
            errors.add("phone", Problem::Taken);
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let update = users::ProfileUpdate {
        full_name: &input.full_name,
        email: input.email.as_deref(),
        phone: input.phone.as_deref(),
        language: input.language.code(),
    };
    if let Err(error) = users::update_profile(&state.db, user_id, &update, now).await {
        // Two people claiming the same address at once: the unique index decides.
        if matches!(&error, sqlx::Error::Database(e) if e.is_unique_violation()) {
            let field = if input.email.is_some() && input.email != session.email {
                "email"
            } else {
                "phone"
            };
            return Err(AppError::field(field, Problem::Taken));
        }
        return Err(error.into());
    }
    if identifiers_change {
        let mut tx = state.db.begin().await?;
        sessions::delete_for_user(&mut *tx, user_id, Some(&session.id_hash)).await?;
        tokens::revoke_for_user(&mut *tx, tokens::PURPOSE_RESET, user_id, now).await?;
        tx.commit().await?;
    }
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(user_id),
            action: "profile_updated",
            ip: Some(&request.ip),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}
