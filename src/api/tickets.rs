//! Tickets: the form's choices, filing, the ticket page, stage moves, performers, the
//! deadline, favourites, the lists, and the notifications bell.

use crate::api::directory::Paged;
use crate::domain::ticket::{Criticality, FieldDef, Stage, TicketInput};
use crate::domain::workflow::Move;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectChoice {
    pub id: i64,
    pub name: String,
    pub class: Option<String>,
    pub location: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTypeChoice {
    pub code: String,
    pub name: String,
    /// Comma-separated equipment classes; empty: any object.
    pub classes: String,
}

/// What the ticket form offers for one company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFormChoices {
    pub companies: Vec<Choice>,
    pub company_id: i64,
    pub types: Vec<Choice>,
    pub work_types: Vec<WorkTypeChoice>,
    pub objects: Vec<ObjectChoice>,
    /// (contract id, label, ids of the objects it covers; empty = all)
    pub contracts: Vec<(i64, String)>,
    pub contacts: Vec<String>,
    pub fields: Vec<FieldDef>,
    /// A QR-registered user must name the object.
    pub object_required: bool,
}

#[server(endpoint = "ticket_form_options")]
pub async fn ticket_form_options(
    #[server(default)] company_id: i64,
    #[server(default)] equipment_id: i64,
) -> Result<TicketFormChoices, AppError> {
    use crate::domain::policy::{company_scope, CustomerView, Permission};
    use crate::domain::role::Role;
    use crate::server::db::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::FileTicket)?;
    let db = &state.db;
    let companies = tickets::companies_in_scope(db, &company_scope(&actor)).await?;
    let company_id = if companies.iter().any(|(id, _)| *id == company_id) {
        company_id
    } else if companies.len() == 1 || actor.role == Role::Customer {
        companies.first().map_or(0, |(id, _)| *id)
    } else {
        0
    };
    let scanned = actor.role == Role::Customer && actor.view == CustomerView::Scanned;
    let (objects, contracts, contacts) = if company_id > 0 {
        let objects =
            tickets::equipment_of(db, company_id, scanned.then_some(actor.user_id)).await?;
        let equipment = objects
            .iter()
            .any(|o| o.id == equipment_id)
            .then_some(equipment_id);
        let contracts = tickets::contracts_of(db, company_id, equipment).await?;
        let contacts = tickets::contacts_of(db, company_id).await?;
        (objects, contracts, contacts)
    } else {
        (vec![], vec![], vec![])
    };
    Ok(TicketFormChoices {
        companies: companies
            .into_iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        company_id,
        types: tickets::ticket_types(db)
            .await?
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
        work_types: tickets::work_types(db)
            .await?
            .into_iter()
            .map(|(code, name, classes)| WorkTypeChoice {
                code,
                name,
                classes,
            })
            .collect(),
        objects: objects
            .into_iter()
            .map(|o| ObjectChoice {
                id: o.id,
                name: o.name,
                class: o.class,
                location: o.location,
            })
            .collect(),
        contracts: contracts
            .into_iter()
            .map(|(id, number, title)| (id, format!("{number} · {title}")))
            .collect(),
        contacts: contacts
            .into_iter()
            .map(|(_, name, phone, email)| match phone.or(email) {
                Some(reach) => format!("{name}, {reach}"),
                None => name,
            })
            .collect(),
        fields: tickets::field_defs(db, actor.role.is_staff()).await?,
        object_required: scanned,
    })
}

#[server(endpoint = "create_ticket", input = Json)]
pub async fn create_ticket(input: TicketInput) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::FileTicket)?;
    let (id, _) = tickets::create(&state, &actor, &input).await?;
    Ok(id)
}

/// What `POST /api/uploads` answers for a stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
    pub is_image: bool,
}

/// Attaches the caller's uploads to an open ticket they can see.
#[server(endpoint = "attach_files", input = Json)]
pub async fn attach_files(id: i64, uploads: Vec<i64>) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::WorkOnTickets)?;
    tickets::attach(&state, &actor, id, &uploads).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub from: Option<Stage>,
    pub to: Stage,
    pub actor: Option<String>,
    pub comment: Option<String>,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentItem {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub is_image: bool,
    pub uploader: Option<String>,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveOption {
    pub to: Stage,
    pub action: Move,
    pub comment_required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub description: String,
    pub company: String,
    pub object: Option<String>,
    pub location: Option<String>,
    pub contract: Option<String>,
    pub ticket_type: String,
    pub criticality: Criticality,
    pub work_type: Option<String>,
    pub contact: Option<String>,
    pub stage: Stage,
    pub source: String,
    pub creator: Option<String>,
    pub created_at: i64,
    pub reaction_due_at: Option<i64>,
    pub resolution_due_at: Option<i64>,
    pub reacted_at: Option<i64>,
    pub paused_at: Option<i64>,
    /// `None`: no rule matched; `Some("")`: set by hand.
    pub sla_rule: Option<String>,
    pub deadline_manual: bool,
    pub version: i64,
    pub performers: Vec<(i64, String)>,
    pub history: Vec<HistoryItem>,
    pub fields: Vec<(String, String, String)>,
    pub attachments: Vec<AttachmentItem>,
    pub moves: Vec<MoveOption>,
    pub favourite: bool,
    /// Messages in the ticket's conversation the viewer has not read.
    pub unread_messages: i64,
    pub can_dispatch: bool,
    pub can_attach: bool,
    /// Who may be assigned (dispatchers only).
    pub candidates: Vec<(i64, String)>,
    /// The server's clock, so the countdown does not trust the device's.
    pub now: i64,
    /// The act waiting for a signature, when the viewer may sign it or collect the
    /// customer's signature on their device.
    pub act_to_sign: Option<i64>,
}

#[server(endpoint = "get_ticket")]
pub async fn get_ticket(id: i64) -> Result<TicketView, AppError> {
    use crate::domain::policy::{allowed, Permission};
    use crate::domain::workflow;
    use crate::server::db::{self, files, notifications, tickets as q};
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(
        &request,
        Permission::OpenPage(crate::domain::policy::Page::Tickets),
    )?;
    let t = tickets::load(&state, &actor, id).await?;
    let stage = Stage::from_code(&t.stage).ok_or(AppError::Internal)?;
    let performers = q::performers(&state.db, id).await?;
    let standing = crate::domain::workflow::Standing {
        role: actor.role,
        performer: performers.iter().any(|(user, _)| *user == actor.user_id),
    };
    let staff = actor.role.is_staff();
    let act_waiting = db::acts::awaiting_signature(&state.db, id).await?;
    let must_sign = stage == Stage::WorkCompleted && tickets::must_sign(&state, id).await?;
    let may_sign = ctx::authorize_in_person(&request, Permission::AcceptWorks).is_ok()
        || (ctx::authorize(&request, Permission::RecordWorks).is_ok()
            && crate::domain::policy::may_record_works(standing));
    let can_dispatch = allowed(&actor, Permission::DispatchTickets);
    let history = q::history(&state.db, id)
        .await?
        .into_iter()
        .filter_map(|h| {
            Some(HistoryItem {
                from: h.from_stage.as_deref().and_then(Stage::from_code),
                to: Stage::from_code(&h.to_stage)?,
                actor: h.actor_name,
                comment: h.comment,
                at: h.at,
            })
        })
        .collect();
    let attachments = files::of_ticket(&state.db, id)
        .await?
        .into_iter()
        .map(|f| AttachmentItem {
            id: f.id,
            is_image: f.content_type.starts_with("image/"),
            name: f.file_name,
            content_type: f.content_type,
            size_bytes: f.size_bytes,
            uploader: f.uploader_name,
            at: f.created_at,
        })
        .collect();
    let read_only = request
        .session
        .as_ref()
        .and_then(|s| s.acting.as_ref())
        .is_some_and(|a| !a.can_write);
    if !read_only {
        notifications::mark_ticket_read(&state.db, actor.user_id, id, db::now()).await?;
    }
    Ok(TicketView {
        id: t.id,
        number: t.number,
        subject: t.subject,
        description: t.description,
        company: t.company_name,
        object: t.equipment_name,
        location: t.equipment_location,
        contract: t.contract_number,
        ticket_type: t.type_name.unwrap_or(t.ticket_type),
        criticality: Criticality::from_code(&t.criticality).unwrap_or(Criticality::Normal),
        work_type: t.work_type_name.or(t.work_type),
        contact: t.contact,
        stage,
        source: t.source,
        creator: t.creator_name,
        created_at: t.created_at,
        reaction_due_at: t.reaction_due_at,
        resolution_due_at: t.resolution_due_at,
        reacted_at: t.reacted_at,
        paused_at: t.paused_at,
        sla_rule: if t.deadline_manual != 0 {
            Some(String::new())
        } else {
            t.sla_rule_name
        },
        deadline_manual: t.deadline_manual != 0,
        version: t.version,
        performers,
        history,
        fields: q::field_values(&state.db, id, staff).await?,
        attachments,
        moves: if read_only {
            vec![]
        } else {
            workflow::available(stage, standing)
                .into_iter()
                // With an act waiting, completion is confirmed by signing it.
                .filter(|t| !(t.action == workflow::Move::ConfirmCompletion && must_sign))
                .map(|t| MoveOption {
                    to: t.to,
                    action: t.action,
                    comment_required: t.comment_required,
                })
                .collect()
        },
        favourite: q::is_favourite(&state.db, actor.user_id, id).await?,
        act_to_sign: act_waiting.filter(|_| may_sign && stage == Stage::WorkCompleted),
        unread_messages: crate::server::db::chat::unread_count(&state.db, id, actor.user_id)
            .await?,
        can_attach: !read_only && stage.is_open(),
        candidates: if can_dispatch {
            q::performers_available(&state.db).await?
        } else {
            vec![]
        },
        can_dispatch: can_dispatch && !read_only,
        now: db::now(),
    })
}

#[server(endpoint = "move_ticket")]
pub async fn move_ticket(
    id: i64,
    version: i64,
    to: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::WorkOnTickets)?;
    tickets::move_stage(&state, &actor, id, version, &to, &comment).await
}

#[server(endpoint = "assign_performers", input = Json)]
pub async fn assign_performers(
    id: i64,
    version: i64,
    performers: Vec<i64>,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::DispatchTickets)?;
    tickets::assign(&state, &actor, id, version, &performers).await
}

#[server(endpoint = "set_ticket_deadline")]
pub async fn set_ticket_deadline(
    id: i64,
    version: i64,
    #[server(default)] due: String,
) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::DispatchTickets)?;
    tickets::set_deadline(&state, &actor, id, version, &due).await
}

#[server(endpoint = "set_favourite")]
pub async fn set_favourite(id: i64, on: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::WorkOnTickets)?;
    tickets::set_favourite(&state, &actor, id, on).await
}

// ------------------------------------------------------------------ lists

/// The list's tab and filters, as they stand in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketFilter {
    /// mine, approval, all (default), favourites, archive
    pub tab: String,
    pub search: String,
    /// A company's id (chosen from the list, or a link).
    pub company: String,
    /// Part of a company's name, where there are too many companies to list.
    pub company_name: String,
    pub performer: String,
    pub stage: String,
    pub ticket_type: String,
    pub criticality: String,
    /// "1": only overdue tickets.
    pub overdue: String,
    /// newest (default) or deadline
    pub sort: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketItem {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub company: String,
    pub object: Option<String>,
    pub stage: Stage,
    pub criticality: Criticality,
    pub resolution_due_at: Option<i64>,
    pub paused: bool,
    pub overdue: bool,
    pub performer: Option<String>,
    pub more_performers: i64,
    pub created_at: i64,
}

#[server(endpoint = "list_tickets", input = Json)]
pub async fn list_tickets(
    filter: TicketFilter,
    after: Option<String>,
) -> Result<Paged<TicketItem, String>, AppError> {
    use crate::domain::policy::{ticket_scope, Permission};
    use crate::domain::validate::{FieldErrors, Problem};
    use crate::server::db::{self, tickets as q};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListTickets)?;
    let mut errors = FieldErrors::new();
    let tab = match filter.tab.as_str() {
        "mine" => q::Tab::Mine,
        "approval" => q::Tab::Approval,
        "" | "all" => q::Tab::All,
        "favourites" => q::Tab::Favourites,
        "archive" => q::Tab::Archive,
        _ => {
            errors.add("tab", Problem::UnknownChoice);
            q::Tab::All
        }
    };
    let sort = match filter.sort.as_str() {
        "" | "newest" => q::Sort::Newest,
        "deadline" => q::Sort::Deadline,
        _ => {
            errors.add("sort", Problem::UnknownChoice);
            q::Sort::Newest
        }
    };
    let id_filter = |name: &str, value: &str, errors: &mut FieldErrors| -> Option<i64> {
        if value.is_empty() {
            return None;
        }
        let parsed = value.parse::<i64>().ok().filter(|v| *v > 0);
        if parsed.is_none() {
            errors.add(name, Problem::UnknownChoice);
        }
        parsed
    };
    let company = id_filter("company", &filter.company, &mut errors);
    let performer = id_filter("performer", &filter.performer, &mut errors);
    let stage = (!filter.stage.is_empty()).then(|| filter.stage.clone());
    if stage
        .as_deref()
        .is_some_and(|s| Stage::from_code(s).is_none())
    {
        errors.add("stage", Problem::UnknownChoice);
    }
    let criticality = (!filter.criticality.is_empty()).then(|| filter.criticality.clone());
    if criticality
        .as_deref()
        .is_some_and(|c| Criticality::from_code(c).is_none())
    {
        errors.add("criticality", Problem::UnknownChoice);
    }
    if filter.search.chars().count() > 200 || filter.ticket_type.len() > 64 {
        errors.add("search", Problem::TooLong { max: 200 });
    }
    if filter.company_name.chars().count() > 200 {
        errors.add("company_name", Problem::TooLong { max: 200 });
    }
    let after = match after.as_deref() {
        None | Some("") => None,
        Some(cursor) => {
            let parsed = cursor
                .split_once(':')
                .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
            if parsed.is_none() {
                errors.add("after", Problem::InvalidFormat);
            }
            parsed
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let company_name = filter.company_name.trim();
    let companies = if !company_name.is_empty() {
        let named = q::companies_named(
            &state.db,
            &crate::domain::policy::company_scope(&actor),
            company_name,
            NAMED_COMPANIES,
        )
        .await?;
        Some(match company {
            Some(id) => named.into_iter().filter(|n| *n == id).collect(),
            None => named,
        })
    } else {
        company.map(|id| vec![id])
    };
    let now = db::now();
    let rows = q::list(
        &state.db,
        state.backend,
        &ticket_scope(&actor),
        &q::ListQuery {
            user_id: actor.user_id,
            staff: actor.role.is_staff(),
            tab,
            sort,
            terms: q::search_terms(&filter.search),
            companies,
            performer,
            stage,
            ticket_type: (!filter.ticket_type.is_empty()).then(|| filter.ticket_type.clone()),
            criticality,
            overdue: filter.overdue == "1",
            after,
            now,
            limit: PAGE_SIZE + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let next = if more {
        rows.get(PAGE_SIZE as usize - 1)
            .map(|r| format!("{}:{}", r.due_key, r.id))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .filter_map(|r| {
            let stage = Stage::from_code(&r.stage)?;
            let reference = r.paused_at.unwrap_or(now);
            let overdue = stage.is_open()
                && (r.resolution_due_at.is_some_and(|d| d < reference)
                    || (r.reacted_at.is_none()
                        && r.reaction_due_at.is_some_and(|d| d < reference)));
            Some(TicketItem {
                id: r.id,
                number: r.number,
                subject: r.subject,
                company: r.company_name,
                object: r.equipment_name,
                stage,
                criticality: Criticality::from_code(&r.criticality).unwrap_or(Criticality::Normal),
                resolution_due_at: r.resolution_due_at,
                paused: r.paused_at.is_some(),
                overdue,
                performer: r.performer,
                more_performers: (r.performer_count - 1).max(0),
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(Paged { items, next })
}

/// A company filter lists the companies in a select up to this many; beyond, it is a
/// field for part of the name (a select of thousands helps nobody, and would be
/// rendered on every list page).
#[cfg(feature = "ssr")]
const COMPANY_SELECT_MAX: usize = 30;

/// A company name filter matches at most this many companies.
#[cfg(feature = "ssr")]
const NAMED_COMPANIES: i64 = 500;

/// What the list's filter bar offers a staff member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOptions {
    /// Empty when there are too many to list: `company_by_name` then.
    pub companies: Vec<Choice>,
    pub company_by_name: bool,
    pub performers: Vec<Choice>,
    pub types: Vec<Choice>,
    pub staff: bool,
    pub can_file: bool,
    pub can_plan: bool,
}

#[server(endpoint = "ticket_filter_options")]
pub async fn ticket_filter_options() -> Result<FilterOptions, AppError> {
    use crate::domain::policy::{allowed, company_scope, Permission};
    use crate::server::db::tickets as q;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListTickets)?;
    let staff = actor.role.is_staff() && actor.role != crate::domain::role::Role::Engineer;
    let choice = |(id, name): (i64, String)| Choice {
        value: id.to_string(),
        label: name,
    };
    let mut companies = if staff {
        q::companies_in_scope_up_to(
            &state.db,
            &company_scope(&actor),
            COMPANY_SELECT_MAX as i64 + 1,
        )
        .await?
    } else {
        vec![]
    };
    let company_by_name = companies.len() > COMPANY_SELECT_MAX;
    if company_by_name {
        companies.clear();
    }
    Ok(FilterOptions {
        companies: companies.into_iter().map(choice).collect(),
        company_by_name,
        performers: if staff {
            q::performers_available(&state.db)
                .await?
                .into_iter()
                .map(choice)
                .collect()
        } else {
            vec![]
        },
        types: q::ticket_types(&state.db)
            .await?
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
        staff,
        can_file: allowed(&actor, Permission::FileTicket),
        can_plan: allowed(&actor, Permission::PlanTickets),
    })
}

// ------------------------------------------------------------------ notifications

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub ticket_number: Option<String>,
    pub ticket_subject: Option<String>,
    pub kind: String,
    /// For a stage change, the stage reached.
    pub stage: Option<Stage>,
    /// For new messages, how many.
    pub count: Option<i64>,
    pub actor: Option<String>,
    pub at: i64,
    pub unread: bool,
}

#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::domain::policy::{Page, Permission};
    use crate::server::db::notifications;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Home))?;
    Ok(notifications::unread_count(&state.db, actor.user_id).await?)
}

#[server(endpoint = "list_notifications")]
pub async fn list_notifications(
    before: Option<i64>,
) -> Result<Paged<NotificationItem, i64>, AppError> {
    use crate::domain::policy::{Page, Permission};
    use crate::server::db::notifications;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Home))?;
    let rows = notifications::list(&state.db, actor.user_id, before, PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let items: Vec<NotificationItem> = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|n| NotificationItem {
            id: n.id,
            ticket_id: n.ticket_id,
            ticket_number: n.ticket_number,
            ticket_subject: n.ticket_subject,
            stage: (n.kind == "stage")
                .then(|| Stage::from_code(&n.detail))
                .flatten(),
            count: (n.kind == "message")
                .then(|| n.detail.parse().ok())
                .flatten(),
            kind: n.kind,
            actor: n.actor_name,
            at: n.created_at,
            unread: n.read_at.is_none(),
        })
        .collect();
    let next = if more {
        items.last().map(|n| n.id)
    } else {
        None
    };
    Ok(Paged { items, next })
}

#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::domain::policy::{Page, Permission};
    use crate::server::db::{self, notifications};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Home))?;
    notifications::mark_all_read(&state.db, actor.user_id, db::now()).await?;
    if ctx::is_plain_form_post() {
        ctx::redirect("/notifications");
    }
    Ok(())
}

#[server(endpoint = "set_email_notifications")]
pub async fn set_email_notifications(on: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::notifications;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    notifications::set_email_preference(
        &state.db,
        actor.user_id,
        notifications::Topic::Tickets,
        on,
    )
    .await?;
    Ok(())
}

#[server(endpoint = "email_notifications")]
pub async fn email_notifications() -> Result<bool, AppError> {
    use crate::domain::policy::{Page, Permission};
    use crate::server::db::notifications;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Profile))?;
    Ok(
        notifications::email_preference(&state.db, actor.user_id, notifications::Topic::Tickets)
            .await?,
    )
}
