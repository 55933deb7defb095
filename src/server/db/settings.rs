//! The admin's ticket settings: ticket types and work types (archived, never deleted:
//! tickets keep their codes) and the SLA rules.

use super::Db;
use crate::domain::settings::CatalogEntry;
use crate::domain::sla::SlaRule;

/// Which list of the settings page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Catalog {
    TicketTypes,
    WorkTypes,
}

impl Catalog {
    fn table(self) -> &'static str {
        match self {
            Catalog::TicketTypes => "ticket_types",
            Catalog::WorkTypes => "work_types",
        }
    }

    fn classes(self) -> &'static str {
        match self {
            Catalog::TicketTypes => "''",
            Catalog::WorkTypes => "equipment_classes",
        }
    }
}

pub async fn entries(db: &Db, catalog: Catalog) -> sqlx::Result<Vec<CatalogEntry>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT code, name, {} AS classes, CAST(archived AS BIGINT) FROM {} ORDER BY archived, position, name",
        catalog.classes(),
        catalog.table()
    ))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, classes, archived)| CatalogEntry {
            code,
            name,
            classes,
            archived: archived != 0,
        })
        .collect())
}

/// Adds an entry under the first free code from `base` (`base`, `base_2`, …).
pub async fn insert(
    db: &Db,
    catalog: Catalog,
    base: &str,
    name: &str,
    classes: &str,
) -> sqlx::Result<String> {
    let taken: Vec<(String,)> = sqlx::query_as(&format!("SELECT code FROM {}", catalog.table()))
        .fetch_all(db)
        .await?;
    let code = (1..)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}_{n}")
            }
        })
        .find(|c| !taken.iter().any(|(t,)| t == c))
        .unwrap_or_else(|| base.to_owned());
    let position: i64 = sqlx::query_scalar(&format!(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM {}",
        catalog.table()
    ))
    .fetch_one(db)
    .await?;
    let sql = match catalog {
        Catalog::TicketTypes => "INSERT INTO ticket_types (code, name, position) VALUES ($1, $2, $3)",
        Catalog::WorkTypes => {
            "INSERT INTO work_types (code, name, position, equipment_classes) VALUES ($1, $2, $3, $4)"
        }
    };
    let mut query = sqlx::query(sql).bind(&code).bind(name).bind(position);
    if catalog == Catalog::WorkTypes {
        query = query.bind(classes);
    }
    query.execute(db).await?;
    Ok(code)
}

/// Renames, re-classes, archives or restores an entry. Returns whether it exists.
pub async fn update(
    db: &Db,
    catalog: Catalog,
    code: &str,
    name: &str,
    classes: &str,
    archived: bool,
) -> sqlx::Result<bool> {
    let done = match catalog {
        Catalog::TicketTypes => {
            sqlx::query("UPDATE ticket_types SET name = $1, archived = $2 WHERE code = $3")
                .bind(name)
                .bind(i64::from(archived))
                .bind(code)
                .execute(db)
                .await?
        }
        Catalog::WorkTypes => {
            sqlx::query("UPDATE work_types SET name = $1, archived = $2, equipment_classes = $3 WHERE code = $4")
                .bind(name)
                .bind(i64::from(archived))
                .bind(classes)
                .bind(code)
                .execute(db)
                .await?
        }
    };
    Ok(done.rows_affected() > 0)
}

/// Every additional field, archived last.
pub async fn fields(db: &Db) -> sqlx::Result<Vec<crate::domain::settings::FieldEntry>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, label, kind, unit, choices, CAST(required AS BIGINT), CAST(staff_only AS BIGINT), \
                CAST(archived AS BIGINT) FROM ticket_fields ORDER BY archived, position, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, label, kind, unit, choices, required, staff_only, archived)| {
                crate::domain::settings::FieldEntry {
                    id,
                    input: crate::domain::settings::FieldInput {
                        label,
                        kind,
                        unit,
                        choices,
                        required: required != 0,
                        staff_only: staff_only != 0,
                    },
                    archived: archived != 0,
                }
            },
        )
        .collect())
}

pub struct FieldChange<'a> {
    pub field: &'a crate::domain::settings::CheckedField,
    pub required: bool,
    pub staff_only: bool,
    pub archived: bool,
}

pub async fn insert_field(db: &Db, c: &FieldChange<'_>, now: i64) -> sqlx::Result<i64> {
    let position: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM ticket_fields")
            .fetch_one(db)
            .await?;
    sqlx::query_scalar(
        "INSERT INTO ticket_fields (label, kind, unit, choices, required, staff_only, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&c.field.label)
    .bind(c.field.kind.code())
    .bind(&c.field.unit)
    .bind(&c.field.choices)
    .bind(i64::from(c.required))
    .bind(i64::from(c.staff_only))
    .bind(position)
    .bind(now)
    .fetch_one(db)
    .await
}

/// Changes a field; its kind stays (values already given keep their meaning). Returns
/// whether it exists.
pub async fn update_field(db: &Db, id: i64, c: &FieldChange<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE ticket_fields SET label = $1, unit = $2, choices = $3, required = $4, staff_only = $5, \
            archived = $6 WHERE id = $7 AND kind = $8",
    )
    .bind(&c.field.label)
    .bind(&c.field.unit)
    .bind(&c.field.choices)
    .bind(i64::from(c.required))
    .bind(i64::from(c.staff_only))
    .bind(i64::from(c.archived))
    .bind(id)
    .bind(c.field.kind.code())
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Every rule with its contract's number, for the settings page.
pub async fn rules(db: &Db) -> sqlx::Result<Vec<(SlaRule, Option<String>)>> {
    let rules = super::tickets::all_sla_rules(db).await?;
    let contracts: Vec<(i64, String)> = sqlx::query_as(
        "SELECT k.id, k.number FROM contracts k WHERE k.id IN (SELECT contract_id FROM sla_rules WHERE contract_id IS NOT NULL)",
    )
    .fetch_all(db)
    .await?;
    Ok(rules
        .into_iter()
        .map(|r| {
            let number = r.contract_id.and_then(|id| {
                contracts
                    .iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, n)| n.clone())
            });
            (r, number)
        })
        .collect())
}

pub struct RuleChange<'a> {
    pub name: &'a str,
    pub ticket_type: Option<&'a str>,
    pub criticality: Option<&'a str>,
    pub work_type: Option<&'a str>,
    pub reaction_minutes: i64,
    pub resolution_minutes: i64,
}

/// Adds a rule of the service company (under any contract). Returns its id.
pub async fn insert_rule(db: &Db, r: &RuleChange<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sla_rules (contract_id, name, ticket_type, criticality, work_type, reaction_minutes, resolution_minutes) \
         VALUES (NULL, $1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(r.name)
    .bind(r.ticket_type)
    .bind(r.criticality)
    .bind(r.work_type)
    .bind(r.reaction_minutes)
    .bind(r.resolution_minutes)
    .fetch_one(db)
    .await
}

/// Changes a rule (its contract stays). Returns whether it exists.
pub async fn update_rule(db: &Db, id: i64, r: &RuleChange<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sla_rules SET name = $1, ticket_type = $2, criticality = $3, work_type = $4, \
            reaction_minutes = $5, resolution_minutes = $6 WHERE id = $7",
    )
    .bind(r.name)
    .bind(r.ticket_type)
    .bind(r.criticality)
    .bind(r.work_type)
    .bind(r.reaction_minutes)
    .bind(r.resolution_minutes)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a rule. Tickets keep the deadlines it gave them (they are stored).
pub async fn delete_rule(db: &Db, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM sla_rules WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
