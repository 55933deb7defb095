//! The one error type of the application. Server functions return it; the browser turns
//! it into a translated message. Internal details are logged on the server and never
//! travel: `Internal` carries no text.

use crate::domain::validate::{FieldErrors, Problem};
use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, ServerFnErrorErr};

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Acting as a customer in read-only mode.
    #[error("read-only")]
    ReadOnly,
    #[error("not found")]
    NotFound,
    /// Someone else changed the object after the form was loaded; nothing was saved.
    #[error("changed by someone else")]
    Stale,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("too many attempts")]
    RateLimited { retry_after_secs: i64 },
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("transport error")]
    Transport,
}

impl AppError {
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(FieldErrors::single(field, problem))
    }

    /// The HTTP status the error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::ReadOnly => 403,
            AppError::NotFound => 404,
            AppError::Stale => 409,
            AppError::Invalid(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal => 500,
            AppError::Transport => 502,
        }
    }

    /// The problem of one field, if this is a validation error that names it.
    pub fn field_problem(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(errors) => errors.get(field),
            _ => None,
        }
    }
}

impl From<crate::domain::policy::Denied> for AppError {
    fn from(denied: crate::domain::policy::Denied) -> Self {
        match denied {
            crate::domain::policy::Denied::SignInRequired => AppError::Unauthenticated,
            crate::domain::policy::Denied::Forbidden => AppError::Forbidden,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = server_fn_error::JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the client's fault, not ours.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Invalid(FieldErrors::new()),
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Transport,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(AppError::Unauthenticated.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(
            AppError::field("email", Problem::Required).status_code(),
            422
        );
        assert_eq!(
            AppError::RateLimited {
                retry_after_secs: 60
            }
            .status_code(),
            429
        );
    }

    #[test]
    fn internal_errors_carry_no_detail_over_the_wire() {
        let json = serde_json::to_string(&AppError::Internal).unwrap();
        assert_eq!(json, "\"Internal\"");
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::mail::MailError> for AppError {
    fn from(error: crate::server::mail::MailError) -> Self {
        tracing::error!(%error, "mail error");
        AppError::Internal
    }
}
