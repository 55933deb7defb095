//! The admin's ticket settings: ticket types, work types and SLA rules. Only admins
//! (`Permission::ManageTicketSettings`); every condition of a rule must name a type,
//! criticality or work type in force.

use crate::api::ticket_settings::{RuleLine, TicketSettingsData};
use crate::domain::policy::{self, Actor, Permission};
use crate::domain::settings::{code_from_name, CatalogInput, SlaRuleInput};
use crate::domain::ticket::Criticality;
use crate::domain::validate::{FieldErrors, Problem};
use crate::error::AppError;
use crate::server::db::settings::{self as q, Catalog, RuleChange};
use crate::server::db::tickets;
use crate::server::state::AppState;

pub async fn load(state: &AppState, actor: &Actor) -> Result<TicketSettingsData, AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    Ok(TicketSettingsData {
        ticket_types: q::entries(&state.db, Catalog::TicketTypes).await?,
        fields: q::fields(&state.db).await?,
        work_types: q::entries(&state.db, Catalog::WorkTypes).await?,
        rules: q::rules(&state.db)
            .await?
            .into_iter()
            .map(|(r, contract)| RuleLine {
                id: r.id,
                name: r.name,
                contract,
                ticket_type: r.ticket_type,
                criticality: r.criticality,
                work_type: r.work_type,
                reaction_minutes: r.reaction_minutes,
                resolution_minutes: r.resolution_minutes,
            })
            .collect(),
    })
}

/// Adds an entry (`code` empty) or renames, re-classes, archives or restores one.
/// Returns its code.
pub async fn save_entry(
    state: &AppState,
    actor: &Actor,
    catalog: Catalog,
    code: Option<&str>,
    input: &CatalogInput,
    archived: bool,
) -> Result<String, AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    let (name, classes) = input.check().map_err(AppError::Invalid)?;
    let classes = if catalog == Catalog::WorkTypes {
        classes
    } else {
        String::new()
    };
    match code {
        Some(code) => {
            if !q::update(&state.db, catalog, code, &name, &classes, archived).await? {
                return Err(AppError::NotFound);
            }
            Ok(code.to_owned())
        }
        None => {
            let base = code_from_name(&name).unwrap_or_else(|| match catalog {
                Catalog::TicketTypes => "type".into(),
                Catalog::WorkTypes => "work".into(),
            });
            Ok(q::insert(&state.db, catalog, &base, &name, &classes).await?)
        }
    }
}

/// Adds an additional field (`id` empty) or changes, archives or restores one (its kind
/// cannot change). Returns its id.
pub async fn save_field(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    input: &crate::domain::settings::FieldInput,
    archived: bool,
) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    let field = input.check().map_err(AppError::Invalid)?;
    let change = q::FieldChange {
        field: &field,
        required: input.required,
        staff_only: input.staff_only,
        archived,
    };
    match id {
        Some(id) => {
            if !q::update_field(&state.db, id, &change).await? {
                return Err(AppError::NotFound);
            }
            Ok(id)
        }
        None => Ok(q::insert_field(&state.db, &change, crate::server::db::now()).await?),
    }
}

/// Adds a rule (`id` empty) or changes one. Returns its id.
pub async fn save_rule(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    input: &SlaRuleInput,
) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    let (checked, mut errors) = FieldErrors::split(input.check());
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let (ticket_type, criticality, work_type) = (
        some(&input.ticket_type),
        some(&input.criticality),
        some(&input.work_type),
    );
    if let Some(t) = &ticket_type {
        if !tickets::ticket_types(&state.db)
            .await?
            .iter()
            .any(|(c, _)| c == t)
        {
            errors.add("ticket_type", Problem::UnknownChoice);
        }
    }
    if criticality
        .as_deref()
        .is_some_and(|c| Criticality::from_code(c).is_none())
    {
        errors.add("criticality", Problem::UnknownChoice);
    }
    if let Some(w) = &work_type {
        if !tickets::work_types(&state.db)
            .await?
            .iter()
            .any(|(c, _, _)| c == w)
        {
            errors.add("work_type", Problem::UnknownChoice);
        }
    }
    let checked = match checked {
        Some(c) if errors.is_empty() => c,
        _ => return Err(AppError::Invalid(errors)),
    };
    let change = RuleChange {
        name: &checked.name,
        ticket_type: ticket_type.as_deref(),
        criticality: criticality.as_deref(),
        work_type: work_type.as_deref(),
        reaction_minutes: checked.reaction_minutes,
        resolution_minutes: checked.resolution_minutes,
    };
    match id {
        Some(id) => {
            if !q::update_rule(&state.db, id, &change).await? {
                return Err(AppError::NotFound);
            }
            Ok(id)
        }
        None => Ok(q::insert_rule(&state.db, &change).await?),
    }
}

pub async fn delete_rule(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::ManageTicketSettings)?;
    if !q::delete_rule(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
