//! Customer users: invite, resend, disable/enable, and accepting an invitation.
//! Authorisation is in `server::services::invitations::may_invite` (policy first).

use super::customers::Choice;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteForm {
    pub company_id: i64,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// `company` or `own`.
    pub sees: String,
    pub company_admin: bool,
    /// `email`, `sms` or `both`.
    pub channel: String,
}

#[server(endpoint = "invite_customer_user", input = Json)]
pub async fn invite_customer_user(form: InviteForm) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::invitations::{self, InviteInput};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    let input = InviteInput {
        full_name: &form.full_name,
        email: &form.email,
        phone: &form.phone,
        sees: &form.sees,
        company_admin: form.company_admin,
        channel: &form.channel,
    };
    invitations::invite(&state, &actor, form.company_id, &input).await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(company_id: i64, user_id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::invitations;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    invitations::resend(&state, &actor, company_id, user_id).await
}

#[server(endpoint = "set_user_active")]
pub async fn set_user_active(company_id: i64, user_id: i64, active: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::invitations;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    invitations::set_active(&state, &actor, company_id, user_id, active).await
}

/// The companies whose users the signed-in customer administers.
#[server(endpoint = "administered_companies")]
pub async fn administered_companies() -> Result<Vec<Choice>, AppError> {
    use crate::domain::policy::Permission;
    use crate::domain::role::Role;
    use crate::server::db::users;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    if actor.role != Role::Customer {
        return Ok(vec![]);
    }
    Ok(users::administered_companies(&state.db, actor.user_id)
        .await?
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub full_name: String,
    pub companies: Vec<String>,
}

/// What an invitation link leads to, or `None` when it is unknown, used or expired.
#[server(endpoint = "check_invitation")]
pub async fn check_invitation(token: String) -> Result<Option<InvitationView>, AppError> {
    use crate::server::services::invitations;
    // Public: the token itself is the credential.
    let state = ctx::state()?;
    Ok(invitations::check(&state, &token)
        .await?
        .map(|i| InvitationView {
            full_name: i.full_name,
            companies: i.companies,
        }))
}

/// Sets the password and signs the invited user in; returns where to go.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<String, AppError> {
    use crate::server::services::invitations;
    use crate::server::session::session_cookie;
    let result = async {
        // Public: the token itself is the credential.
        let state = ctx::state()?;
        let request = ctx::request()?;
        let signed =
            invitations::accept(&state, &request, &token, &new_password, &confirm_password).await?;
        ctx::set_cookie(&session_cookie(&state, &signed.token));
        Ok("/".to_owned())
    }
    .await;
    if ctx::is_plain_form_post() {
        match &result {
            Ok(next) => ctx::redirect(next),
            Err(error) => ctx::redirect_with_error("/invitation", error, &[("token", &token)]),
        }
    }
    result
}
