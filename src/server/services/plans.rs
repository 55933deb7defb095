//! Planned tickets: staff define a schedule; the scheduler files its tickets. Each slot
//! is claimed by inserting `(plan, slot)` into `ticket_plan_runs` in the same
//! transaction that creates the tickets and moves the plan on, so a slot is filled once —
//! across restarts and across instances sharing the database.

use crate::domain::plan::{Frequency, PlanInput, Schedule};
use crate::domain::policy::{self, Actor, Permission};
use crate::domain::sla::{self, TicketTerms};
use crate::domain::ticket::{Criticality, DESCRIPTION_MAX, SUBJECT_MAX};
use crate::domain::time::parse_date;
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::db::{self, plans, tickets};
use crate::server::services::notify;
use crate::server::state::AppState;

struct Checked {
    schedule: Schedule,
    subject: String,
    description: String,
}

async fn check(state: &AppState, actor: &Actor, input: &PlanInput) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::new();
    if !crate::server::services::tickets::may_file_for(state, actor, input.company_id).await? {
        errors.add("company", Problem::UnknownChoice);
    }
    let objects = tickets::equipment_of(&state.db, input.company_id, None).await?;
    match input.equipment_id {
        Some(id) if !objects.iter().any(|o| o.id == id) => {
            errors.add("equipment", Problem::UnknownChoice)
        }
        None if !input.all_objects => errors.add("equipment", Problem::Required),
        _ => {}
    }
    if let Some(contract) = input.contract_id {
        let contracts = tickets::contracts_of(&state.db, input.company_id, None).await?;
        if !contracts.iter().any(|(id, _, _)| *id == contract) {
            errors.add("contract", Problem::UnknownChoice);
        }
    }
    if !tickets::ticket_types(&state.db)
        .await?
        .iter()
        .any(|(c, _)| *c == input.ticket_type)
    {
        errors.add("ticket_type", Problem::UnknownChoice);
    }
    if Criticality::from_code(&input.criticality).is_none() {
        errors.add("criticality", Problem::UnknownChoice);
    }
    if let Some(performer) = input.performer_id {
        let available = tickets::performers_available(&state.db).await?;
        if !available.iter().any(|(id, _)| *id == performer) {
            errors.add("performer", Problem::UnknownChoice);
        }
    }
    let subject = errors.check("subject", validate::text(&input.subject, SUBJECT_MAX));
    let description = errors.check(
        "description",
        validate::multiline(&input.description, DESCRIPTION_MAX),
    );
    let frequency = Frequency::from_code(&input.frequency);
    if frequency.is_none() {
        errors.add("frequency", Problem::UnknownChoice);
    }
    let time = input
        .time
        .split_once(':')
        .and_then(|(h, m)| Some((h.trim().parse::<i64>().ok()?, m.trim().parse::<i64>().ok()?)))
        .filter(|(h, m)| (0..24).contains(h) && (0..60).contains(m))
        .map(|(h, m)| h * 60 + m);
    if time.is_none() {
        errors.add("time", Problem::InvalidFormat);
    }
    let starts_on = parse_date(&input.starts_on);
    if starts_on.is_none() {
        errors.add("starts_on", Problem::InvalidFormat);
    }
    let ends_on = if input.ends_on.trim().is_empty() {
        None
    } else {
        let parsed = parse_date(&input.ends_on);
        if parsed.is_none() {
            errors.add("ends_on", Problem::InvalidFormat);
        }
        parsed
    };
    let (Some(frequency), Some(time), Some(starts_on), Some(subject), Some(description)) =
        (frequency, time, starts_on, subject, description)
    else {
        return Err(AppError::Invalid(errors));
    };
    let schedule = Schedule {
        frequency,
        every_n: input.every_n,
        weekday: input.weekday,
        time_of_day: time,
        starts_on,
        ends_on,
        max_count: input.max_count,
    };
    if let Err(more) = schedule.check() {
        errors.0.extend(more.0);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Checked {
        schedule,
        subject,
        description,
    })
}

fn fields<'a>(
    input: &'a PlanInput,
    c: &'a Checked,
    next_run_at: Option<i64>,
) -> plans::PlanFields<'a> {
    plans::PlanFields {
        company_id: input.company_id,
        equipment_id: if input.all_objects {
            None
        } else {
            input.equipment_id
        },
        contract_id: input.contract_id,
        all_objects: input.all_objects,
        ticket_type: &input.ticket_type,
        criticality: &input.criticality,
        work_type: None,
        subject: &c.subject,
        description: &c.description,
        performer_user_id: input.performer_id,
        frequency: c.schedule.frequency.code(),
        every_n: c.schedule.every_n,
        weekday: c.schedule.weekday,
        time_of_day: c.schedule.time_of_day,
        starts_on: input.starts_on.trim(),
        ends_on: Some(input.ends_on.trim()).filter(|e| !e.is_empty()),
        max_count: input.max_count,
        next_run_at,
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &PlanInput) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::PlanTickets)?;
    let checked = check(state, actor, input).await?;
    let now = db::now();
    let next = checked.schedule.slot_at_or_after(now, 0);
    Ok(plans::insert(
        &state.db,
        &fields(input, &checked, next),
        actor.user_id,
        now,
    )
    .await?)
}

/// Edits a plan; its next slot is recomputed from now (slots already filled stay filled).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &PlanInput,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::PlanTickets)?;
    let plan = plans::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let checked = check(state, actor, input).await?;
    let now = db::now();
    let next = checked.schedule.slot_at_or_after(now, plan.created_count);
    plans::update(&state.db, id, &fields(input, &checked, next), now).await?;
    Ok(())
}

/// Pauses a plan, or resumes it from the next slot after now (missed slots are skipped).
pub async fn set_paused(
    state: &AppState,
    actor: &Actor,
    id: i64,
    paused: bool,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::PlanTickets)?;
    let plan = plans::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let next = if paused {
        plan.next_run_at
    } else {
        schedule_of(&plan).and_then(|s| s.slot_at_or_after(db::now(), plan.created_count))
    };
    plans::set_paused(&state.db, id, paused, next, db::now()).await?;
    Ok(())
}

pub fn schedule_of(plan: &plans::PlanRow) -> Option<Schedule> {
    Some(Schedule {
        frequency: Frequency::from_code(&plan.frequency)?,
        every_n: plan.every_n,
        weekday: plan.weekday,
        time_of_day: plan.time_of_day,
        starts_on: parse_date(&plan.starts_on)?,
        ends_on: plan.ends_on.as_deref().and_then(parse_date),
        max_count: plan.max_count,
    })
}

/// Files the tickets of every slot due at `now`; returns how many tickets were created.
/// At most 20 slots per plan per call, so a long outage does not flood the desk at once.
pub async fn run_due(state: &AppState, now: i64) -> Result<usize, AppError> {
    let mut created = 0;
    for plan in plans::due(&state.db, now).await? {
        let Some(schedule) = schedule_of(&plan) else {
            continue;
        };
        let mut slot = plan.next_run_at;
        let mut count = plan.created_count;
        for _ in 0..20 {
            let Some(at) = slot.filter(|s| *s <= now) else {
                break;
            };
            let next = schedule.next_after(at, count + 1);
            match fill_slot(state, &plan, at, next, count).await? {
                Some(n) => {
                    created += n;
                    count += 1;
                    slot = next;
                }
                // Another instance filled it (or moved the plan): leave the plan to it.
                None => break,
            }
        }
    }
    Ok(created)
}

/// Claims one slot and files its tickets in one transaction. `None`: already claimed.
async fn fill_slot(
    state: &AppState,
    plan: &plans::PlanRow,
    slot: i64,
    next: Option<i64>,
    count: i64,
) -> Result<Option<usize>, AppError> {
    let objects = plans::objects(&state.db, plan).await?;
    let rules = tickets::sla_rules(&state.db, plan.contract_id).await?;
    let rule = sla::choose(
        &rules,
        &TicketTerms {
            contract_id: plan.contract_id,
            ticket_type: &plan.ticket_type,
            criticality: &plan.criticality,
            work_type: plan.work_type.as_deref(),
        },
    );
    let now = db::now();
    let deadlines = rule.map(|r| sla::deadlines(r, now));
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO ticket_plan_runs (plan_id, slot_at, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(plan.id)
    .bind(slot)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let moved = sqlx::query(
        "UPDATE ticket_plans SET next_run_at = $1, created_count = created_count + 1, updated_at = $2 \
         WHERE id = $3 AND next_run_at = $4 AND created_count = $5",
    )
    .bind(next)
    .bind(now)
    .bind(plan.id)
    .bind(slot)
    .bind(count)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 || moved != 1 {
        tx.rollback().await?;
        return Ok(None);
    }
    let targets: Vec<Option<i64>> = if objects.is_empty() && plan.all_objects == 0 {
        vec![None]
    } else {
        objects.into_iter().map(Some).collect()
    };
    let performers: Vec<i64> = plan.performer_user_id.into_iter().collect();
    let mut ids = Vec::new();
    for equipment in &targets {
        let (id, _) = tickets::insert(
            &mut tx,
            state.backend,
            &tickets::NewTicket {
                company_id: plan.company_id,
                equipment_id: *equipment,
                contract_id: plan.contract_id,
                created_by: plan.created_by,
                ticket_type: &plan.ticket_type,
                criticality: &plan.criticality,
                work_type: plan.work_type.as_deref(),
                subject: &plan.subject,
                description: &plan.description,
                contact: None,
                source: crate::server::services::tickets::Source::Planned.code(),
                reaction_due_at: deadlines.map(|d| d.reaction_due_at),
                resolution_due_at: deadlines.map(|d| d.resolution_due_at),
                sla_rule_name: rule.map(|r| r.name.as_str()),
                plan_id: Some(plan.id),
                fields: &[],
                attachments: &[],
                performers: &performers,
                now,
            },
        )
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    for id in &ids {
        notify::ticket_event(state, *id, None, notify::Kind::Assigned, "", &performers).await;
    }
    Ok(Some(ids.len()))
}

/// The scheduler: looks for due slots at start and then every 30 seconds.
pub fn spawn_scheduler(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            interval.tick().await;
            match run_due(&state, db::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(tickets = n, "planned tickets filed"),
                Err(error) => tracing::warn!(?error, "planned tickets failed"),
            }
        }
    });
}
