//! The signed-in user: who they are, signing in and out, passwords, profile, language.
//!
//! The sign-in, reset and language forms work without JavaScript: their server functions
//! notice a plain form post and answer with a redirect (carrying the error, if any).

use crate::domain::policy::Page;
use crate::domain::role::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

/// What the browser knows about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub language: String,
    /// The navigation the policy grants this user.
    pub nav: Vec<Page>,
    /// Set while staff act as this customer ("log in as").
    pub acting: Option<ActingView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingView {
    pub by_name: String,
    pub reason: String,
    pub can_write: bool,
    pub until: i64,
}

#[server(endpoint = "get_me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    // Public: answers "nobody" to anonymous callers.
    current_me()
}

/// The signed-in user of the request being served, read without waiting (the session
/// layer has already resolved it).
#[cfg(feature = "ssr")]
pub fn current_me() -> Result<Option<Me>, AppError> {
    let request = ctx::request()?;
    Ok(request.session.map(|s| Me {
        acting: s.acting.map(|a| ActingView {
            by_name: a.by_name,
            reason: a.reason,
            can_write: a.can_write,
            until: a.until,
        }),
        user_id: s.actor.user_id,
        nav: crate::domain::policy::navigation(s.actor.role),
        role: s.actor.role,
        full_name: s.full_name,
        email: s.email,
        phone: s.phone,
        language: s.language,
    }))
}

#[cfg(feature = "ssr")]
fn lang_cookie(code: &str) -> String {
    crate::server::http_util::set_cookie(&crate::server::http_util::CookieSpec {
        name: crate::i18n::LANG_COOKIE,
        value: code,
        max_age_secs: 365 * 86_400,
        http_only: false,
        secure: false,
    })
}

/// Signs in with an e-mail or phone and a password. Returns where to go next.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{http_util::safe_next, services::auth, session::session_cookie};
    let next = safe_next(next.as_deref());
    let result = async {
        // Public: signing in is how one gets an actor.
        let state = ctx::state()?;
        let request = ctx::request()?;
        let signed_in = auth::sign_in(&state, &request, &login, &password).await?;
        ctx::set_cookie(&session_cookie(&state, &signed_in.token));
        ctx::set_cookie(&lang_cookie(&signed_in.language));
        Ok(next.clone())
    }
    .await;
    if ctx::is_plain_form_post() {
        match &result {
            Ok(next) => ctx::redirect(next),
            Err(error) => {
                ctx::redirect_with_error("/sign-in", error, &[("login", &login), ("next", &next)])
            }
        }
        return result;
    }
    result
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{services::auth, session::clear_session_cookie};
    let result = async {
        // Public: signing out without a session is harmless.
        let state = ctx::state()?;
        let request = ctx::request()?;
        auth::sign_out(&state, &request).await?;
        ctx::set_cookie(&clear_session_cookie(&state));
        Ok(())
    }
    .await;
    if ctx::is_plain_form_post() && result.is_ok() {
        ctx::redirect("/sign-in?signed_out=1");
        return result;
    }
    result
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(login: String) -> Result<(), AppError> {
    use crate::server::services::auth;
    let result = async {
        // Public, and answers alike whether or not the account exists.
        let state = ctx::state()?;
        let request = ctx::request()?;
        auth::request_reset(&state, &request, &login).await
    }
    .await;
    if ctx::is_plain_form_post() {
        match &result {
            Ok(()) => ctx::redirect("/forgot-password?sent=1"),
            Err(error) => ctx::redirect_with_error("/forgot-password", error, &[("login", &login)]),
        }
        return result;
    }
    result
}

/// Whether a reset link can still be used (so the page can say so before the user types).
#[server(endpoint = "check_reset_link")]
pub async fn check_reset_link(token: String) -> Result<bool, AppError> {
    use crate::server::services::auth;
    // Public: the token itself is the credential.
    let state = ctx::state()?;
    auth::reset_link_is_live(&state, &token).await
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::server::services::auth;
    let result = async {
        // Public: the token itself is the credential.
        let state = ctx::state()?;
        let request = ctx::request()?;
        auth::reset_password(&state, &request, &token, &new_password, &confirm_password)
            .await
            .map(|_| ())
    }
    .await;
    if ctx::is_plain_form_post() {
        match &result {
            Ok(()) => ctx::redirect("/sign-in?reset=1"),
            Err(error) => ctx::redirect_with_error("/reset-password", error, &[("token", &token)]),
        }
        return result;
    }
    result
}

/// Switches the interface language (and saves it for a signed-in user).
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AppError> {
    use crate::domain::validate::Problem;
    use crate::i18n::Locale;
    use crate::server::{db, http_util::safe_next};
    let result = async {
        // Public: anonymous visitors choose a language too.
        let state = ctx::state()?;
        let request = ctx::request()?;
        let locale =
            Locale::from_code(&lang).ok_or(AppError::field("lang", Problem::UnknownChoice))?;
        // The person at the keyboard: while acting as a customer, the staff member's own setting.
        let person = request
            .session
            .as_ref()
            .map(|s| s.acting.as_ref().map_or(s.actor.user_id, |a| a.by.user_id));
        if let Some(user_id) = person {
            db::users::set_language(&state.db, user_id, locale.code(), db::now()).await?;
        }
        ctx::set_cookie(&lang_cookie(locale.code()));
        Ok(())
    }
    .await;
    if ctx::is_plain_form_post() {
        ctx::redirect(&safe_next(back.as_deref()));
        return result;
    }
    result
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(
    full_name: String,
    email: String,
    phone: String,
    language: String,
    #[server(default)] profile_password: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::auth;
    async {
        let state = ctx::state()?;
        let request = ctx::request()?;
        ctx::authorize(&request, Permission::EditOwnProfile)?;
        let input = auth::validate_profile(&full_name, &email, &phone, &language)?;
        auth::update_profile(&state, &request, &input, &profile_password).await?;
        ctx::set_cookie(&lang_cookie(input.language.code()));
        Ok(())
    }
    .await
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::auth;
    async {
        let state = ctx::state()?;
        let request = ctx::request()?;
        ctx::authorize(&request, Permission::EditOwnProfile)?;
        auth::change_password(
            &state,
            &request,
            &current_password,
            &new_password,
            &confirm_password,
        )
        .await
    }
    .await
}
