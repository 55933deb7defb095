//! Completed works, the act of completed work and ratings: who may record works (staff
//! and the ticket's performers, while it is in work), when an act is issued (when work
//! is completed, from the works as they are), signing (the customer, or the customer on a
//! performer's device) and declining, and the customer's ratings of the performers.

use crate::api::acts::{EngineerRating, RatedPerformer, RatingForm, ReportLine, Works};
use crate::domain::act::{
    ActContent, ActStatus, ActView, Criterion, RatingInput, SignInput, RATING_EDIT_SECONDS,
};
use crate::domain::policy::{self, Actor, Permission};
use crate::domain::role::Role;
use crate::domain::ticket::{Stage, COMMENT_MAX};
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::domain::workflow::{self, Refusal};
use crate::domain::works::{self, LineInput, LINES_MAX};
use crate::error::AppError;
use crate::server::db::{self, acts, acts::WorksRefusal, tickets};
use crate::server::services::tickets::{announce_move, load, planned_move, standing};
use crate::server::state::AppState;
use sha2::{Digest, Sha256};

fn works_editable(stage: Stage) -> bool {
    matches!(stage, Stage::InWork | Stage::WorkCompleted)
}

fn refusal(r: WorksRefusal) -> AppError {
    match r {
        WorksRefusal::Locked => AppError::field("works", Problem::Locked),
        WorksRefusal::Full => AppError::field(
            "works",
            Problem::OutOfRange {
                min: 0,
                max: LINES_MAX as i64,
            },
        ),
        WorksRefusal::File => AppError::field("files", Problem::NotAllowed),
        WorksRefusal::NoLine => AppError::NotFound,
    }
}

/// Whether the actor records works on this ticket (staff, or one of its performers).
async fn records_works(state: &AppState, actor: &Actor, ticket_id: i64) -> Result<bool, AppError> {
    Ok(policy::allowed(actor, Permission::RecordWorks)
        && policy::may_record_works(standing(state, actor, ticket_id).await?))
}

pub async fn works(state: &AppState, actor: &Actor, ticket_id: i64) -> Result<Works, AppError> {
    policy::require(Some(actor), Permission::ListTickets)?;
    let ticket = load(state, actor, ticket_id).await?;
    let stage = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    let lines = acts::lines(&state.db, ticket_id).await?;
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount_minor).collect();
    let totals = works::totals(&amounts, state.config.vat).ok_or(AppError::Internal)?;
    let records = records_works(state, actor, ticket_id).await?;
    let signed = acts::has_signed(&state.db, ticket_id).await?;
    let can_edit = records && works_editable(stage) && !signed;
    let current = signed
        || acts::awaiting_signature(&state.db, ticket_id)
            .await?
            .is_some();
    Ok(Works {
        can_issue: records && stage == Stage::WorkCompleted && !lines.is_empty() && !current,
        lines,
        totals,
        vat: state.config.vat,
        currency: state.config.currency.clone(),
        can_edit,
        signed,
        work_types: tickets::work_types(&state.db)
            .await?
            .into_iter()
            .map(|(code, name, _)| (code, name))
            .collect(),
    })
}

/// Adds a line (`line_id: None`) or changes one. Any act waiting for a signature is
/// superseded: it no longer shows the works.
pub async fn save_line(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
    line_id: Option<i64>,
    input: &LineInput,
) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::RecordWorks)?;
    let ticket = load(state, actor, ticket_id).await?;
    if !records_works(state, actor, ticket_id).await? {
        return Err(AppError::Forbidden);
    }
    let stage = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    if !works_editable(stage) {
        return Err(AppError::field("works", Problem::Locked));
    }
    let line = input.check().map_err(AppError::Invalid)?;
    if let Some(code) = &line.work_type {
        let known = tickets::work_types(&state.db).await?;
        if !known.iter().any(|(c, _, _)| c == code) {
            return Err(AppError::field("work_type", Problem::UnknownChoice));
        }
    }
    let id = acts::save_line(
        &state.db,
        ticket_id,
        line_id,
        &line,
        actor.user_id,
        LINES_MAX,
        db::now(),
    )
    .await?
    .map_err(refusal)?;
    Ok(id)
}

pub async fn delete_line(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
    line_id: i64,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::RecordWorks)?;
    load(state, actor, ticket_id).await?;
    if !records_works(state, actor, ticket_id).await? {
        return Err(AppError::Forbidden);
    }
    acts::delete_line(&state.db, ticket_id, line_id, db::now())
        .await?
        .map_err(refusal)
}

/// The act's content from the ticket and its works as they are now.
async fn content(state: &AppState, ticket_id: i64) -> Result<(i64, ActContent), AppError> {
    // The ticket (and its version) first: a change to the works after this point raises
    // the version, and issuing then refuses the content read here.
    let ticket = tickets::get(
        &state.db,
        &policy::TicketScope::Companies(policy::CompanyScope::All),
        ticket_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let lines = acts::lines(&state.db, ticket_id).await?;
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount_minor).collect();
    let totals = works::totals(&amounts, state.config.vat).ok_or_else(|| {
        AppError::field(
            "works",
            Problem::OutOfRange {
                min: 0,
                max: works::TOTAL_MAX / 100,
            },
        )
    })?;
    let (provider, customer) = acts::parties(&state.db, ticket.company_id).await?;
    let performers = tickets::performers(&state.db, ticket_id)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    Ok((
        ticket.version,
        ActContent {
            number: String::new(),
            issued_at: 0,
            ticket_number: ticket.number,
            ticket_subject: ticket.subject,
            provider,
            customer,
            equipment: ticket.equipment_name,
            location: ticket.equipment_location,
            contract: ticket.contract_number,
            lines,
            currency: state.config.currency.clone(),
            vat: state.config.vat,
            totals,
            performers,
        },
    ))
}

/// Issues the act when the ticket has works and no current act (called when work is
/// completed). A ticket without works is confirmed without an act.
pub async fn issue_if_works(
    state: &AppState,
    ticket_id: i64,
    user_id: i64,
) -> Result<Option<i64>, AppError> {
    let (version, content) = content(state, ticket_id).await?;
    if content.lines.is_empty() {
        return Ok(None);
    }
    Ok(acts::issue(&state.db, ticket_id, version, content, user_id, db::now()).await?)
}

/// Issues a new act after the works changed (the previous one was superseded or declined).
pub async fn issue(state: &AppState, actor: &Actor, ticket_id: i64) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::RecordWorks)?;
    load(state, actor, ticket_id).await?;
    if !records_works(state, actor, ticket_id).await? {
        return Err(AppError::Forbidden);
    }
    issue_if_works(state, ticket_id, actor.user_id)
        .await?
        .ok_or_else(|| AppError::field("act", Problem::NotAllowed))
}

/// Every act of a ticket the actor may see, newest first.
pub async fn acts_of(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
) -> Result<Vec<ActView>, AppError> {
    policy::require(Some(actor), Permission::ListTickets)?;
    load(state, actor, ticket_id).await?;
    Ok(acts::of_ticket(&state.db, ticket_id).await?)
}

/// One act, if its ticket is in the actor's scope; otherwise "not found".
pub async fn get(state: &AppState, actor: &Actor, act_id: i64) -> Result<ActView, AppError> {
    policy::require(Some(actor), Permission::ListTickets)?;
    let ticket_id = acts::ticket_of(&state.db, act_id)
        .await?
        .ok_or(AppError::NotFound)?;
    load(state, actor, ticket_id).await?;
    acts::get(&state.db, act_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The hash a signed act carries: SHA-256 over its content, the strokes, the signer and
/// the time, hex-encoded.
pub fn content_hash(content_json: &str, signature_json: &str, signer: &str, at: i64) -> String {
    let mut hasher = Sha256::new();
    for part in [content_json, signature_json, signer, &at.to_string()] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs an act: by the customer (`on_device: false`), or by the customer on the device
/// of a performer or staff member who hands it over (`on_device: true`; the signer is
/// then only a name). The ticket moves to Done in the same transaction.
pub async fn sign(
    state: &AppState,
    actor: &Actor,
    input: &SignInput,
    on_device: bool,
) -> Result<(), AppError> {
    let permission = if on_device {
        Permission::RecordWorks
    } else {
        Permission::AcceptWorks
    };
    policy::require(Some(actor), permission)?;
    let ticket_id = acts::ticket_of(&state.db, input.act_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ticket = load(state, actor, ticket_id).await?;
    if on_device && !records_works(state, actor, ticket_id).await? {
        return Err(AppError::Forbidden);
    }
    let signer = input.check().map_err(AppError::Invalid)?;
    let act = acts::get(&state.db, input.act_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match act.status {
        ActStatus::Issued => {}
        ActStatus::Signed => return Err(AppError::field("act", Problem::Locked)),
        ActStatus::Declined | ActStatus::Superseded => return Err(AppError::Stale),
    }
    let from = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    if from != Stage::WorkCompleted {
        return Err(AppError::field("act", Problem::NotAllowed));
    }
    let now = db::now();
    let content_json = serde_json::to_string(&act.content).map_err(|_| AppError::Internal)?;
    let signature_json = serde_json::to_string(&input.signature).map_err(|_| AppError::Internal)?;
    let hash = content_hash(&content_json, &signature_json, &signer, now);
    let change = planned_move(&ticket, from, Stage::Done, actor.user_id, None, now);
    let signed = acts::sign(
        &state.db,
        &acts::SignatureRecord {
            act_id: act.id,
            signer_name: &signer,
            signer_user_id: (!on_device).then_some(actor.user_id),
            device_of: on_device.then_some(actor.user_id),
            signature_json: &signature_json,
            hash: &hash,
        },
        &change,
    )
    .await?;
    if !signed {
        return Err(AppError::Stale);
    }
    announce_move(state, &ticket, Stage::Done, actor.user_id).await?;
    Ok(())
}

/// The customer declines the act with a comment: the ticket returns to work.
pub async fn decline(
    state: &AppState,
    actor: &Actor,
    act_id: i64,
    comment: &str,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::AcceptWorks)?;
    let ticket_id = acts::ticket_of(&state.db, act_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ticket = load(state, actor, ticket_id).await?;
    let comment = validate::multiline(comment, COMMENT_MAX.min(crate::domain::act::DECLINE_MAX))
        .map_err(|p| AppError::field("comment", p))?;
    let from = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    if from != Stage::WorkCompleted {
        return Err(AppError::field("act", Problem::NotAllowed));
    }
    let standing = standing(state, actor, ticket_id).await?;
    workflow::check(from, Stage::InWork, standing, &comment).map_err(|r| match r {
        Refusal::CommentRequired => AppError::field("comment", Problem::Required),
        Refusal::NoSuchTransition | Refusal::NotYours => {
            AppError::field("act", Problem::NotAllowed)
        }
    })?;
    let change = planned_move(
        &ticket,
        from,
        Stage::InWork,
        actor.user_id,
        Some(&comment),
        db::now(),
    );
    if !acts::decline(&state.db, act_id, actor.user_id, &change).await? {
        return Err(AppError::Stale);
    }
    announce_move(state, &ticket, Stage::InWork, actor.user_id).await?;
    Ok(())
}

// ------------------------------------------------------------------ ratings

/// A ticket can be rated once its works were accepted: Done, or Closed after Done (not
/// one closed after the customer refused it).
async fn ratable(state: &AppState, ticket_id: i64, stage: Stage) -> Result<bool, AppError> {
    Ok(match stage {
        Stage::Done => true,
        Stage::Closed => tickets::history(&state.db, ticket_id)
            .await?
            .iter()
            .any(|h| h.to_stage == Stage::Done.code()),
        _ => false,
    })
}

/// The rating form of a ticket for a customer; `None` while it cannot be rated (not Done
/// or Closed yet, or the viewer is not a customer).
pub async fn rating_form(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
) -> Result<Option<RatingForm>, AppError> {
    policy::require(Some(actor), Permission::ListTickets)?;
    let ticket = load(state, actor, ticket_id).await?;
    let stage = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    if actor.role != Role::Customer || !ratable(state, ticket_id, stage).await? {
        return Ok(None);
    }
    let criteria: Vec<Criterion> = acts::criteria(&state.db, false)
        .await?
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let mine = acts::ratings_by(&state.db, ticket_id, actor.user_id).await?;
    let since = db::now() - RATING_EDIT_SECONDS;
    let performers = tickets::performers(&state.db, ticket_id)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let given = mine.iter().find(|r| r.engineer_id == id);
            RatedPerformer {
                id,
                name,
                scores: given.map(|r| r.scores.clone()).unwrap_or_default(),
                comment: given.and_then(|r| r.comment.clone()).unwrap_or_default(),
                rated_at: given.map(|r| r.created_at),
                editable: given.is_none_or(|r| r.created_at >= since),
            }
        })
        .collect();
    Ok(Some(RatingForm {
        criteria,
        performers,
    }))
}

/// The customer rates one performer of a Done or Closed ticket (or changes their rating
/// within a week of giving it).
pub async fn rate(state: &AppState, actor: &Actor, input: &RatingInput) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::AcceptWorks)?;
    let ticket = load(state, actor, input.ticket_id).await?;
    let stage = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    if !ratable(state, input.ticket_id, stage).await? {
        return Err(AppError::field("rating", Problem::NotAllowed));
    }
    let performers = tickets::performers(&state.db, input.ticket_id).await?;
    if !performers.iter().any(|(id, _)| *id == input.engineer_id) {
        return Err(AppError::field("engineer", Problem::UnknownChoice));
    }
    let criteria: Vec<i64> = acts::criteria(&state.db, false)
        .await?
        .into_iter()
        .map(|(c, _)| c.id)
        .collect();
    let (comment, score) = input.check(&criteria).map_err(AppError::Invalid)?;
    let now = db::now();
    let saved = acts::save_rating(
        &state.db,
        input.ticket_id,
        actor.user_id,
        input.engineer_id,
        &input.scores,
        score,
        comment.as_deref(),
        now - RATING_EDIT_SECONDS,
        now,
    )
    .await?;
    if !saved {
        return Err(AppError::field("rating", Problem::Locked));
    }
    Ok(())
}

/// The viewer's own ratings (engineers); `None` for other roles.
pub async fn my_rating(
    state: &AppState,
    actor: &Actor,
) -> Result<Option<EngineerRating>, AppError> {
    policy::require(Some(actor), Permission::ListTickets)?;
    if actor.role != Role::Engineer {
        return Ok(None);
    }
    engineer_rating(state, actor.user_id).await.map(Some)
}

async fn engineer_rating(state: &AppState, engineer: i64) -> Result<EngineerRating, AppError> {
    let (average_centi, count) = acts::engineer_summary(&state.db, engineer).await?;
    Ok(EngineerRating {
        average_centi,
        count,
        by_criterion: acts::engineer_by_criterion(&state.db, engineer).await?,
    })
}

/// Every engineer's ratings, best average first (staff).
pub async fn report(state: &AppState, actor: &Actor) -> Result<Vec<ReportLine>, AppError> {
    policy::require(Some(actor), Permission::ReadRatings)?;
    let mut lines = Vec::new();
    for row in acts::report(&state.db).await? {
        lines.push(ReportLine {
            average_centi: row
                .sum_centi
                .filter(|_| row.count > 0)
                .map(|s| s / row.count),
            by_criterion: if row.count > 0 {
                acts::engineer_by_criterion(&state.db, row.engineer_id).await?
            } else {
                Vec::new()
            },
            engineer_id: row.engineer_id,
            name: row.name,
            count: row.count,
            last_at: row.last_at,
        });
    }
    lines.sort_by(|a, b| {
        b.average_centi
            .cmp(&a.average_centi)
            .then(a.name.cmp(&b.name))
    });
    Ok(lines)
}

/// The admin's list of criteria, with archived ones.
pub async fn criteria(state: &AppState, actor: &Actor) -> Result<Vec<(Criterion, bool)>, AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    Ok(acts::criteria(&state.db, true).await?)
}

/// Adds (`id: None`) or renames and archives a criterion (admins).
pub async fn save_criterion(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    name: &str,
    archived: bool,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    let name =
        validate::text(name, 100).map_err(|p| AppError::Invalid(FieldErrors::single("name", p)))?;
    match id {
        None => {
            acts::add_criterion(&state.db, &name, db::now()).await?;
        }
        Some(id) => {
            if !acts::update_criterion(&state.db, id, &name, archived).await? {
                return Err(AppError::NotFound);
            }
        }
    }
    Ok(())
}

/// The service company's requisites, for the admin's form.
pub async fn service_requisites(
    state: &AppState,
    actor: &Actor,
) -> Result<crate::domain::act::RequisitesInput, AppError> {
    policy::require(Some(actor), Permission::EditServiceCompany)?;
    acts::service_company(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Saves the service company's requisites; acts issued from now on print them (issued
/// acts keep theirs).
pub async fn save_service_requisites(
    state: &AppState,
    actor: &Actor,
    input: &crate::domain::act::RequisitesInput,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::EditServiceCompany)?;
    let valid = input.check().map_err(AppError::Invalid)?;
    if !acts::save_service_company(&state.db, &valid, db::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
