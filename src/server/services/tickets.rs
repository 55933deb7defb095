//! Tickets: filing one (every choice checked against what the actor may see), moving it
//! along the workflow (the table in `domain::workflow`, the version against stale
//! forms, the SLA clock paused while the customer decides), performers, the deadline set
//! by hand, favourites, and who hears about it.

use crate::domain::policy::{self, ticket_scope, Actor, CustomerView, Permission};
use crate::domain::role::Role;
use crate::domain::sla::{self, TicketTerms};
use crate::domain::ticket::{Stage, TicketInput, COMMENT_MAX};
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::domain::workflow::{self, Refusal, Standing};
use crate::error::AppError;
use crate::server::db::{self, files, tickets, tickets::TicketRecord};
use crate::server::services::notify;
use crate::server::state::AppState;

/// Where a ticket came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Portal,
    Staff,
    Qr,
    Planned,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Portal => "portal",
            Source::Staff => "staff",
            Source::Qr => "qr",
            Source::Planned => "planned",
        }
    }
}

/// Whether the actor may file tickets for the company: a live customer company in their
/// scope. One row is read, whatever the number of companies.
pub async fn may_file_for(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
) -> Result<bool, AppError> {
    Ok(db::companies::get(&state.db, company_id)
        .await?
        .is_some_and(|c| {
            c.deleted_at.is_none() && policy::can_see_company(actor, c.id, c.reseller_id)
        }))
}

/// Files a ticket. Returns its id and number.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &TicketInput,
) -> Result<(i64, String), AppError> {
    policy::require(Some(actor), Permission::FileTicket)?;
    let staff = actor.role.is_staff();
    let defs = tickets::field_defs(&state.db, staff).await?;
    let (checked, mut errors) = FieldErrors::split(input.check(&defs));
    if input.company_id > 0 && !may_file_for(state, actor, input.company_id).await? {
        // Refused at the field, without saying whether the company exists.
        errors.add("company", Problem::UnknownChoice);
    }
    if !input.ticket_type.is_empty()
        && !tickets::ticket_types(&state.db)
            .await?
            .iter()
            .any(|(code, _)| *code == input.ticket_type)
    {
        errors.add("ticket_type", Problem::UnknownChoice);
    }
    // The object must be the company's (and, for a QR-registered user, one they scanned).
    let scanned_only = (actor.role == Role::Customer && actor.view == CustomerView::Scanned)
        .then_some(actor.user_id);
    let objects = tickets::equipment_of(&state.db, input.company_id, scanned_only).await?;
    let object = match input.equipment_id {
        Some(id) => {
            let found = objects.iter().find(|e| e.id == id);
            if found.is_none() {
                errors.add("equipment", Problem::UnknownChoice);
            }
            found
        }
        None if scanned_only.is_some() => {
            errors.add("equipment", Problem::Required);
            None
        }
        None => None,
    };
    let work_type = (!input.work_type.is_empty()).then_some(input.work_type.as_str());
    if let Some(code) = work_type {
        let class = object.and_then(|o| o.class.as_deref());
        let fits = tickets::work_types(&state.db)
            .await?
            .iter()
            .any(|(c, _, classes)| {
                c == code && crate::domain::ticket::work_type_fits(classes, class)
            });
        if !fits {
            errors.add("work_type", Problem::UnknownChoice);
        }
    }
    if let Some(contract) = input.contract_id {
        let contracts =
            tickets::contracts_of(&state.db, input.company_id, input.equipment_id).await?;
        if !contracts.iter().any(|(id, _, _)| *id == contract) {
            errors.add("contract", Problem::UnknownChoice);
        }
    }
    let mut uploads = input.attachments.clone();
    uploads.sort_unstable();
    uploads.dedup();
    if files::unclaimed_of(&state.db, actor.user_id, &uploads).await? != uploads.len() {
        errors.add("attachments", Problem::UnknownChoice);
    }
    let checked = match checked {
        Some(checked) if errors.is_empty() => checked,
        _ => return Err(AppError::Invalid(errors)),
    };

    let now = db::now();
    let rules = tickets::sla_rules(&state.db, input.contract_id).await?;
    let rule = sla::choose(
        &rules,
        &TicketTerms {
            contract_id: input.contract_id,
            ticket_type: &input.ticket_type,
            criticality: checked.criticality.code(),
            work_type,
        },
    );
    let deadlines = rule.map(|r| sla::deadlines(r, now));
    let source = if staff { Source::Staff } else { Source::Portal };
    let mut tx = state.db.begin().await?;
    let (id, number) = tickets::insert(
        &mut tx,
        state.backend,
        &tickets::NewTicket {
            company_id: input.company_id,
            equipment_id: input.equipment_id,
            contract_id: input.contract_id,
            created_by: Some(actor.user_id),
            ticket_type: &input.ticket_type,
            criticality: checked.criticality.code(),
            work_type,
            subject: &checked.subject,
            description: &checked.description,
            contact: checked.contact.as_deref(),
            source: source.code(),
            reaction_due_at: deadlines.map(|d| d.reaction_due_at),
            resolution_due_at: deadlines.map(|d| d.resolution_due_at),
            sla_rule_name: rule.map(|r| r.name.as_str()),
            plan_id: None,
            fields: &checked.fields,
            attachments: &uploads,
            performers: &[],
            now,
        },
    )
    .await?;
    tx.commit().await?;
    if !staff {
        let dispatchers = db::notifications::dispatchers(&state.db).await?;
        notify::ticket_event(
            state,
            id,
            Some(actor.user_id),
            notify::Kind::Filed,
            "",
            &dispatchers,
        )
        .await;
    }
    Ok((id, number))
}

/// The ticket, if the actor's scope reaches it; otherwise "not found".
pub async fn load(state: &AppState, actor: &Actor, id: i64) -> Result<TicketRecord, AppError> {
    tickets::get(&state.db, &ticket_scope(actor), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn standing(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
) -> Result<Standing, AppError> {
    let performers = tickets::performers(&state.db, ticket_id).await?;
    Ok(Standing {
        role: actor.role,
        performer: performers.iter().any(|(id, _)| *id == actor.user_id),
    })
}

/// Moves a ticket to another stage, if the workflow lets this actor, and the form was
/// made from the ticket as it still is.
pub async fn move_stage(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i64,
    to: &str,
    comment: &str,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::WorkOnTickets)?;
    let ticket = load(state, actor, id).await?;
    let from = Stage::from_code(&ticket.stage).ok_or(AppError::Internal)?;
    let to =
        Stage::from_code(to).ok_or_else(|| AppError::field("stage", Problem::UnknownChoice))?;
    if ticket.version != version {
        return Err(AppError::Stale);
    }
    let comment = validate::optional(comment, |c| validate::multiline(c, COMMENT_MAX))
        .map_err(|p| AppError::field("comment", p))?;
    let standing = standing(state, actor, id).await?;
    workflow::check(from, to, standing, comment.as_deref().unwrap_or("")).map_err(|refusal| {
        match refusal {
            Refusal::CommentRequired => AppError::field("comment", Problem::Required),
            Refusal::NoSuchTransition | Refusal::NotYours => {
                AppError::field("stage", Problem::NotAllowed)
            }
        }
    })?;

    if from == Stage::WorkCompleted && to == Stage::Done && must_sign(state, id).await? {
        return Err(AppError::field("stage", Problem::SignTheAct));
    }
    let change = planned_move(
        &ticket,
        from,
        to,
        actor.user_id,
        comment.as_deref(),
        db::now(),
    );
    // Returning the works to the performer declines an act waiting for a signature, in
    // the same transaction as the move.
    let waiting = if from == Stage::WorkCompleted && to == Stage::InWork {
        db::acts::awaiting_signature(&state.db, id).await?
    } else {
        None
    };
    let applied = match waiting {
        Some(act) => db::acts::decline(&state.db, act, actor.user_id, &change).await?,
        None => tickets::change_stage(&state.db, &change).await?,
    };
    if !applied {
        return Err(AppError::Stale);
    }
    if to == Stage::WorkCompleted {
        // The works recorded so far become the act the customer signs. Should that fail,
        // the move stands and the works tab offers to issue the act again.
        if let Err(error) =
            crate::server::services::acts::issue_if_works(state, id, actor.user_id).await
        {
            tracing::warn!(
                ticket = id,
                ?error,
                "the act was not issued with the completed work"
            );
        }
    }
    announce_move(state, &ticket, to, actor.user_id).await?;
    Ok(())
}

/// Whether completing the ticket needs the customer's signature: it has works, and no
/// signed act (with or without an act waiting: the performer issues a new one after a
/// change). The signing itself moves the ticket to Done.
pub async fn must_sign(state: &AppState, ticket_id: i64) -> Result<bool, AppError> {
    Ok(db::acts::has_lines(&state.db, ticket_id).await?
        && !db::acts::has_signed(&state.db, ticket_id).await?)
}

/// The row change a move makes: the SLA clock paused or resumed by the move, the first
/// reaction, the closing time.
pub fn planned_move<'a>(
    ticket: &TicketRecord,
    from: Stage,
    to: Stage,
    actor_user_id: i64,
    comment: Option<&'a str>,
    now: i64,
) -> tickets::StageChange<'a> {
    let mut reaction = ticket.reaction_due_at;
    let mut resolution = ticket.resolution_due_at;
    let mut paused_at = ticket.paused_at;
    let mut paused_seconds = ticket.paused_seconds;
    match (
        workflow::waits_on_customer(from),
        workflow::waits_on_customer(to),
    ) {
        (false, true) => paused_at = Some(now),
        (true, false) => {
            if let Some(since) = ticket.paused_at {
                reaction = sla::resume(reaction, since, now);
                resolution = sla::resume(resolution, since, now);
                paused_seconds += (now - since).max(0);
            }
            paused_at = None;
        }
        _ => {}
    }
    let reacted_at = ticket.reacted_at.or((from == Stage::New).then_some(now));
    let closed_at = if to.is_open() {
        None
    } else {
        ticket.closed_at.or(Some(now))
    };
    tickets::StageChange {
        ticket_id: ticket.id,
        version: ticket.version,
        from_stage: from.code(),
        to_stage: to.code(),
        actor_user_id,
        comment,
        reaction_due_at: reaction,
        resolution_due_at: resolution,
        paused_at,
        paused_seconds,
        reacted_at,
        closed_at,
        now,
    }
}

/// Tells the people concerned that a ticket moved.
pub async fn announce_move(
    state: &AppState,
    ticket: &TicketRecord,
    to: Stage,
    actor_user_id: i64,
) -> Result<(), AppError> {
    let mut concerned: Vec<i64> = tickets::performers(&state.db, ticket.id)
        .await?
        .into_iter()
        .map(|(user, _)| user)
        .collect();
    concerned.extend(ticket.created_by);
    if matches!(to, Stage::Done | Stage::Refused) {
        concerned.extend(db::notifications::dispatchers(&state.db).await?);
    }
    notify::ticket_event(
        state,
        ticket.id,
        Some(actor_user_id),
        notify::Kind::Stage,
        to.code(),
        &concerned,
    )
    .await;
    Ok(())
}

/// Replaces the performers (staff only).
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i64,
    user_ids: &[i64],
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::DispatchTickets)?;
    let ticket = load(state, actor, id).await?;
    if ticket.version != version {
        return Err(AppError::Stale);
    }
    let mut wanted = user_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.len() > 10 {
        return Err(AppError::field(
            "performers",
            Problem::OutOfRange { min: 0, max: 10 },
        ));
    }
    let available = tickets::performers_available(&state.db).await?;
    if !wanted
        .iter()
        .all(|w| available.iter().any(|(id, _)| id == w))
    {
        return Err(AppError::field("performers", Problem::UnknownChoice));
    }
    let before: Vec<i64> = tickets::performers(&state.db, id)
        .await?
        .into_iter()
        .map(|(user, _)| user)
        .collect();
    if !tickets::set_performers(&state.db, id, version, &wanted, db::now()).await? {
        return Err(AppError::Stale);
    }
    let added: Vec<i64> = wanted
        .iter()
        .copied()
        .filter(|w| !before.contains(w))
        .collect();
    notify::ticket_event(
        state,
        id,
        Some(actor.user_id),
        notify::Kind::Assigned,
        "",
        &added,
    )
    .await;
    Ok(())
}

/// Sets the resolution deadline by hand (`YYYY-MM-DDTHH:MM`, UTC), or with an empty
/// value returns to the SLA rule's.
pub async fn set_deadline(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i64,
    due: &str,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::DispatchTickets)?;
    let ticket = load(state, actor, id).await?;
    if ticket.version != version {
        return Err(AppError::Stale);
    }
    let now = db::now();
    let (due_at, manual, rule_name) = if due.trim().is_empty() {
        let rules = tickets::sla_rules(&state.db, ticket.contract_id).await?;
        let rule = sla::choose(
            &rules,
            &TicketTerms {
                contract_id: ticket.contract_id,
                ticket_type: &ticket.ticket_type,
                criticality: &ticket.criticality,
                work_type: ticket.work_type.as_deref(),
            },
        );
        // The rule's deadline, moved on by every pause the ticket has had (a pause
        // under way moves it on when it ends, as for any deadline).
        (
            rule.map(|r| {
                sla::deadlines(r, ticket.created_at).resolution_due_at + ticket.paused_seconds
            }),
            false,
            rule.map(|r| r.name.clone()),
        )
    } else {
        let at = crate::domain::time::parse_datetime(due)
            .ok_or_else(|| AppError::field("deadline", Problem::InvalidFormat))?;
        if at < ticket.created_at || at > now + 5 * 365 * 86_400 {
            return Err(AppError::field("deadline", Problem::InvalidFormat));
        }
        (Some(at), true, None)
    };
    if !tickets::set_deadline(
        &state.db,
        id,
        version,
        due_at,
        manual,
        rule_name.as_deref(),
        now,
    )
    .await?
    {
        return Err(AppError::Stale);
    }
    Ok(())
}

pub async fn set_favourite(
    state: &AppState,
    actor: &Actor,
    id: i64,
    on: bool,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::WorkOnTickets)?;
    load(state, actor, id).await?;
    tickets::set_favourite(&state.db, actor.user_id, id, on).await?;
    Ok(())
}

/// Attaches the actor's own unclaimed uploads to an open ticket in scope.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    id: i64,
    uploads: &[i64],
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::WorkOnTickets)?;
    let ticket = load(state, actor, id).await?;
    if !Stage::from_code(&ticket.stage).is_some_and(Stage::is_open) {
        return Err(AppError::field("attachments", Problem::NotAllowed));
    }
    let mut ids = uploads.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > crate::domain::ticket::ATTACHMENTS_MAX {
        return Err(AppError::field(
            "attachments",
            Problem::OutOfRange {
                min: 1,
                max: crate::domain::ticket::ATTACHMENTS_MAX as i64,
            },
        ));
    }
    if files::unclaimed_of(&state.db, actor.user_id, &ids).await? != ids.len() {
        return Err(AppError::field("attachments", Problem::UnknownChoice));
    }
    files::claim(&state.db, id, actor.user_id, &ids).await?;
    Ok(())
}
