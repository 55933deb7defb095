//! The admin's ticket settings (`/settings/tickets`): ticket types, work types and SLA
//! rules. Rules live in `services::settings`.

use crate::domain::settings::{CatalogEntry, CatalogInput, FieldEntry, FieldInput, SlaRuleInput};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

/// An SLA rule as the settings page lists it (conditions `None`: any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLine {
    pub id: i64,
    pub name: String,
    /// The contract's number, for a rule of one contract.
    pub contract: Option<String>,
    pub ticket_type: Option<String>,
    pub criticality: Option<String>,
    pub work_type: Option<String>,
    pub reaction_minutes: i64,
    pub resolution_minutes: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSettingsData {
    pub ticket_types: Vec<CatalogEntry>,
    pub work_types: Vec<CatalogEntry>,
    pub fields: Vec<FieldEntry>,
    pub rules: Vec<RuleLine>,
}

#[server(endpoint = "ticket_settings")]
pub async fn ticket_settings() -> Result<TicketSettingsData, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::settings;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    settings::load(&state, &actor).await
}

/// Adds a type (`code` empty) or renames, archives or restores one; `work` picks the
/// list of work types. Returns its code.
#[server(endpoint = "save_type_entry", input = Json)]
pub async fn save_type_entry(
    work: bool,
    code: Option<String>,
    input: CatalogInput,
    archived: bool,
) -> Result<String, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::settings::Catalog;
    use crate::server::services::settings;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    let catalog = if work {
        Catalog::WorkTypes
    } else {
        Catalog::TicketTypes
    };
    settings::save_entry(&state, &actor, catalog, code.as_deref(), &input, archived).await
}

/// Adds an additional field of the ticket form (`id` empty), or changes, archives or
/// restores one. Returns its id.
#[server(endpoint = "save_ticket_field", input = Json)]
pub async fn save_ticket_field(
    id: Option<i64>,
    input: FieldInput,
    archived: bool,
) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::settings;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    settings::save_field(&state, &actor, id, &input, archived).await
}

#[server(endpoint = "save_sla_rule", input = Json)]
pub async fn save_sla_rule(id: Option<i64>, input: SlaRuleInput) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::settings;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    settings::save_rule(&state, &actor, id, &input).await
}

#[server(endpoint = "delete_sla_rule")]
pub async fn delete_sla_rule(id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::settings;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageTicketSettings)?;
    settings::delete_rule(&state, &actor, id).await
}
