//! Completed works, acts of completed work and ratings: the works tab, issuing an act,
//! the act's page and print, signing (by the customer, or on a performer's device) and
//! declining, the rating form, an engineer's ratings and the staff report, and the
//! admin's rating criteria. Rules live in `services::acts`.

use crate::domain::act::{ActView, Criterion, RatingInput, RequisitesInput, SignInput};
use crate::domain::works::{LineInput, Totals, VatMode, WorkLine};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

/// A ticket's works as the works tab shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Works {
    pub lines: Vec<WorkLine>,
    pub totals: Totals,
    pub vat: VatMode,
    pub currency: String,
    /// The viewer may add, change and remove lines now.
    pub can_edit: bool,
    /// The ticket's act is signed: the works are final.
    pub signed: bool,
    /// The viewer may issue an act now (work completed, lines, no current act).
    pub can_issue: bool,
    /// Work types for a line (code, name).
    pub work_types: Vec<(String, String)>,
}

/// One performer on the rating form, with the viewer's rating if given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedPerformer {
    pub id: i64,
    pub name: String,
    pub scores: Vec<(i64, i64)>,
    pub comment: String,
    pub rated_at: Option<i64>,
    /// Whether the viewer may (still) give or change it.
    pub editable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingForm {
    pub criteria: Vec<Criterion>,
    pub performers: Vec<RatedPerformer>,
}

/// An engineer's standing as their profile shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineerRating {
    pub average_centi: Option<i64>,
    pub count: i64,
    /// (criterion, mean in hundredths, count)
    pub by_criterion: Vec<(String, i64, i64)>,
}

/// One engineer in the staff report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub engineer_id: i64,
    pub name: String,
    pub average_centi: Option<i64>,
    pub count: i64,
    pub last_at: Option<i64>,
    pub by_criterion: Vec<(String, i64, i64)>,
}

/// An act with what the viewer may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActPage {
    pub act: ActView,
    /// The customer may sign or decline it now.
    pub can_accept: bool,
    /// A performer or staff member may hand their device to the customer to sign.
    pub can_collect: bool,
}

/// What the ticket page loads besides the ticket for the open tab: the works, the acts,
/// and (on every tab) the customer's rating form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSections {
    pub works: Option<Works>,
    pub acts: Option<Vec<ActView>>,
    pub rating: Option<RatingForm>,
}

/// The ticket page's extras in one call (a resource's server calls after its first
/// await would run outside the request's context on the server).
#[server(endpoint = "ticket_extras")]
pub async fn ticket_extras(ticket_id: i64, tab: String) -> Result<TicketSections, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ListTickets)?;
    Ok(TicketSections {
        works: if tab == "works" {
            Some(acts::works(&state, &actor, ticket_id).await?)
        } else {
            None
        },
        acts: if tab == "act" {
            Some(acts::acts_of(&state, &actor, ticket_id).await?)
        } else {
            None
        },
        rating: acts::rating_form(&state, &actor, ticket_id).await?,
    })
}

/// Adds a line (`line_id` empty) or changes one.
#[server(endpoint = "save_work_line", input = Json)]
pub async fn save_work_line(
    ticket_id: i64,
    line_id: Option<i64>,
    line: LineInput,
) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::RecordWorks)?;
    acts::save_line(&state, &actor, ticket_id, line_id, &line).await
}

#[server(endpoint = "delete_work_line")]
pub async fn delete_work_line(ticket_id: i64, line_id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::RecordWorks)?;
    acts::delete_line(&state, &actor, ticket_id, line_id).await
}

/// Issues a new act from the works as they are (after a change superseded the last one).
#[server(endpoint = "issue_act")]
pub async fn issue_act(ticket_id: i64) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::RecordWorks)?;
    acts::issue(&state, &actor, ticket_id).await
}

#[server(endpoint = "get_act")]
pub async fn get_act(act_id: i64) -> Result<ActPage, AppError> {
    use crate::domain::act::ActStatus;
    use crate::domain::policy::{self, Permission};
    use crate::domain::ticket::Stage;
    use crate::server::services::{acts, tickets};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListTickets)?;
    let act = acts::get(&state, &actor, act_id).await?;
    let ticket = tickets::load(&state, &actor, act.ticket_id).await?;
    let waiting = act.status == ActStatus::Issued && ticket.stage == Stage::WorkCompleted.code();
    let can_accept = waiting && ctx::authorize_in_person(&request, Permission::AcceptWorks).is_ok();
    let can_collect = waiting
        && ctx::authorize(&request, Permission::RecordWorks).is_ok()
        && policy::may_record_works(tickets::standing(&state, &actor, act.ticket_id).await?);
    Ok(ActPage {
        act,
        can_accept,
        can_collect,
    })
}

/// Signs an act; the ticket moves to Done. `on_device`: a performer's device, handed to
/// the customer (the signer is the name typed).
#[server(endpoint = "sign_act", input = Json)]
pub async fn sign_act(input: SignInput, on_device: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let permission = if on_device {
        Permission::RecordWorks
    } else {
        Permission::AcceptWorks
    };
    let actor = ctx::authorize_in_person(&ctx::request()?, permission)?;
    acts::sign(&state, &actor, &input, on_device).await
}

/// Declines an act with a comment; the ticket returns to work.
#[server(endpoint = "decline_act")]
pub async fn decline_act(act_id: i64, comment: String) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize_in_person(&ctx::request()?, Permission::AcceptWorks)?;
    acts::decline(&state, &actor, act_id, &comment).await
}

#[server(endpoint = "rate_performer", input = Json)]
pub async fn rate_performer(input: RatingInput) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize_in_person(&ctx::request()?, Permission::AcceptWorks)?;
    acts::rate(&state, &actor, &input).await
}

/// The signed-in engineer's ratings (`None` for other roles).
#[server(endpoint = "my_rating")]
pub async fn my_rating() -> Result<Option<EngineerRating>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ListTickets)?;
    acts::my_rating(&state, &actor).await
}

#[server(endpoint = "ratings_report")]
pub async fn ratings_report() -> Result<Vec<ReportLine>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ReadRatings)?;
    acts::report(&state, &actor).await
}

#[server(endpoint = "rating_criteria")]
pub async fn rating_criteria() -> Result<Vec<(Criterion, bool)>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    acts::criteria(&state, &actor).await
}

#[server(endpoint = "save_rating_criterion")]
pub async fn save_rating_criterion(
    id: Option<i64>,
    name: String,
    #[server(default)] archived: bool,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    acts::save_criterion(&state, &actor, id, &name, archived).await
}

/// The service company's requisites (admins).
#[server(endpoint = "service_requisites")]
pub async fn service_requisites() -> Result<RequisitesInput, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::EditServiceCompany)?;
    acts::service_requisites(&state, &actor).await
}

#[server(endpoint = "save_service_requisites", input = Json)]
pub async fn save_service_requisites(input: RequisitesInput) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::acts;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::EditServiceCompany)?;
    acts::save_service_requisites(&state, &actor, &input).await
}
