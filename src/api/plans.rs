//! Planned tickets: the schedules staff keep, their form's choices, pause and resume.

use crate::api::tickets::Choice;
use crate::domain::plan::PlanInput;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: i64,
    pub company: String,
    pub object: Option<String>,
    pub all_objects: bool,
    pub subject: String,
    pub frequency: String,
    pub every_n: i64,
    pub weekday: i64,
    pub time_of_day: i64,
    pub performer: Option<String>,
    pub created_count: i64,
    pub paused: bool,
    pub next_run_at: Option<i64>,
    pub input: PlanInput,
}

#[server(endpoint = "list_plans")]
pub async fn list_plans() -> Result<Vec<PlanItem>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::plans;
    let state = ctx::state()?;
    let request = ctx::request()?;
    ctx::authorize(&request, Permission::PlanTickets)?;
    Ok(plans::list(&state.db)
        .await?
        .into_iter()
        .map(|p| PlanItem {
            id: p.id,
            input: PlanInput {
                company_id: p.company_id,
                equipment_id: p.equipment_id,
                all_objects: p.all_objects != 0,
                contract_id: p.contract_id,
                ticket_type: p.ticket_type.clone(),
                criticality: p.criticality.clone(),
                subject: p.subject.clone(),
                description: p.description.clone(),
                performer_id: p.performer_user_id,
                frequency: p.frequency.clone(),
                every_n: p.every_n,
                weekday: p.weekday,
                time: format!("{:02}:{:02}", p.time_of_day / 60, p.time_of_day % 60),
                starts_on: p.starts_on.clone(),
                ends_on: p.ends_on.clone().unwrap_or_default(),
                max_count: p.max_count,
            },
            company: p.company_name,
            object: p.equipment_name,
            all_objects: p.all_objects != 0,
            subject: p.subject,
            frequency: p.frequency,
            every_n: p.every_n,
            weekday: p.weekday,
            time_of_day: p.time_of_day,
            performer: p.performer_name,
            created_count: p.created_count,
            paused: p.paused != 0,
            next_run_at: p.next_run_at,
        })
        .collect())
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFormChoices {
    pub companies: Vec<Choice>,
    pub objects: Vec<Choice>,
    pub contracts: Vec<Choice>,
    pub performers: Vec<Choice>,
    pub types: Vec<Choice>,
}

#[server(endpoint = "plan_choices")]
pub async fn plan_choices(#[server(default)] company_id: i64) -> Result<PlanFormChoices, AppError> {
    use crate::domain::policy::{CompanyScope, Permission};
    use crate::server::db::tickets as q;
    let state = ctx::state()?;
    let request = ctx::request()?;
    ctx::authorize(&request, Permission::PlanTickets)?;
    let choice = |(id, label): (i64, String)| Choice {
        value: id.to_string(),
        label,
    };
    Ok(PlanFormChoices {
        companies: q::companies_in_scope(&state.db, &CompanyScope::All)
            .await?
            .into_iter()
            .map(choice)
            .collect(),
        objects: q::equipment_of(&state.db, company_id, None)
            .await?
            .into_iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: o.name,
            })
            .collect(),
        contracts: q::contracts_of(&state.db, company_id, None)
            .await?
            .into_iter()
            .map(|(id, number, title)| Choice {
                value: id.to_string(),
                label: format!("{number} · {title}"),
            })
            .collect(),
        performers: q::performers_available(&state.db)
            .await?
            .into_iter()
            .map(choice)
            .collect(),
        types: q::ticket_types(&state.db)
            .await?
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
    })
}

/// Creates a plan (`id` 0) or edits one.
#[server(endpoint = "save_plan", input = Json)]
pub async fn save_plan(id: i64, input: PlanInput) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::plans;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::PlanTickets)?;
    if id == 0 {
        plans::create(&state, &actor, &input).await
    } else {
        plans::update(&state, &actor, id, &input).await.map(|()| id)
    }
}

#[server(endpoint = "set_plan_paused")]
pub async fn set_plan_paused(id: i64, paused: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::plans;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::PlanTickets)?;
    plans::set_paused(&state, &actor, id, paused).await
}
