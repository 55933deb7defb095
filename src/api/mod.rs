//! Server functions: the application's public API. Each one authorises through the
//! policy first, then calls a service or a query, then maps errors to `AppError`.

pub mod account;
pub mod acting;
pub mod acts;
pub mod chat;
pub mod customers;
pub mod directory;
pub mod equipment;
pub mod plans;
pub mod ticket_settings;
pub mod tickets;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    //! The request's state, context and response, as server functions see them.

    use crate::domain::policy::{self, Actor, Permission};
    use crate::error::AppError;
    use crate::server::http_util;
    use crate::server::session::RequestContext;
    use crate::server::state::AppState;
    use http::HeaderValue;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from context");
            AppError::Internal
        })
    }

    pub fn request() -> Result<RequestContext, AppError> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
            .ok_or_else(|| {
                tracing::error!("RequestContext missing: is the session layer installed?");
                AppError::Internal
            })
    }

    /// The policy check every server function starts with. While staff act as a customer
    /// read-only, anything that changes data is refused.
    pub fn authorize(request: &RequestContext, permission: Permission) -> Result<Actor, AppError> {
        let actor = policy::require(request.actor(), permission)?.clone();
        let read_only = request
            .session
            .as_ref()
            .and_then(|s| s.acting.as_ref())
            .is_some_and(|a| !a.can_write);
        if read_only && permission.is_write() {
            return Err(AppError::ReadOnly);
        }
        Ok(actor)
    }

    /// For what a customer does in their own name — signing or declining an act, rating
    /// a performer: refused while staff act as the customer, whatever the visit allows.
    pub fn authorize_in_person(
        request: &RequestContext,
        permission: Permission,
    ) -> Result<Actor, AppError> {
        let actor = authorize(request, permission)?;
        if request.session.as_ref().is_some_and(|s| s.acting.is_some()) {
            return Err(AppError::Forbidden);
        }
        Ok(actor)
    }

    pub fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Whether this call came from a plain HTML form (JavaScript off).
    pub fn is_plain_form_post() -> bool {
        use_context::<http::request::Parts>()
            .is_some_and(|parts| http_util::is_plain_form_post(&parts.headers))
    }

    /// For plain form posts: go to `path` (the browser follows it).
    pub fn redirect(path: &str) {
        leptos_axum::redirect(path);
    }

    /// For plain form posts that failed: back to `page` with the error and the values
    /// the user typed (never passwords) in the query, so the page can show them.
    pub fn redirect_with_error(page: &str, error: &AppError, keep: &[(&str, &str)]) {
        let mut url = format!(
            "{page}?error={}",
            http_util::query_escape(&serde_json::to_string(error).unwrap_or_default())
        );
        for (name, value) in keep {
            // Only what a valid value could be: an over-long input is not echoed back.
            let value: String = value.chars().take(256).collect();
            url.push_str(&format!("&{name}={}", http_util::query_escape(&value)));
        }
        leptos_axum::redirect(&url);
    }
}
