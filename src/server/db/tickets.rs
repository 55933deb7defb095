//! Tickets: creation with its number, history and search document; the scoped read of
//! one ticket and its parts; stage moves and performer changes guarded by the version;
//! the lists with their tabs, filters, keyset and full-text search.

use super::directory::{company_filter, ticket_filter};
use super::{Backend, Db};
use crate::domain::policy::{CompanyScope, TicketScope};
use crate::domain::sla::SlaRule;
use crate::domain::ticket::{FieldDef, FieldKind};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyConnection};

/// A SQL text with its `$n` placeholders and the values they bind, built piece by piece.
#[derive(Default)]
pub struct Sql {
    pub text: String,
    binds: Vec<Bind>,
}

#[derive(Clone, Debug)]
enum Bind {
    Int(i64),
    Text(String),
}

impl Sql {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for an integer.
    pub fn int(&mut self, value: i64) -> &mut Self {
        self.binds.push(Bind::Int(value));
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    pub fn str(&mut self, value: &str) -> &mut Self {
        self.binds.push(Bind::Text(value.to_owned()));
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }

    /// Appends a fragment numbered from the next placeholder and its integer values.
    pub fn fragment(&mut self, (text, values): (String, Vec<i64>)) -> &mut Self {
        self.text.push_str(&text);
        self.binds.extend(values.into_iter().map(Bind::Int));
        self
    }

    pub fn next_index(&self) -> usize {
        self.binds.len() + 1
    }

    pub fn query_as<'q, O>(&'q self) -> QueryAs<'q, Any, O, AnyArguments<'q>>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as::<_, O>(&self.text);
        for bind in &self.binds {
            query = match bind {
                Bind::Int(v) => query.bind(*v),
                Bind::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }
}

// ------------------------------------------------------------------ form options

pub async fn ticket_types(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT code, name FROM ticket_types WHERE archived = 0 ORDER BY position, name")
        .fetch_all(db)
        .await
}

/// Work types with the equipment classes they apply to (empty: any).
pub async fn work_types(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT code, name, equipment_classes FROM work_types WHERE archived = 0 ORDER BY position, name",
    )
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct FieldRow {
    id: i64,
    label: String,
    kind: String,
    unit: String,
    choices: String,
    required: i64,
    staff_only: i64,
}

/// The additional fields in force; customers do not get the staff-only ones.
pub async fn field_defs(db: &Db, with_staff_only: bool) -> sqlx::Result<Vec<FieldDef>> {
    let rows = sqlx::query_as::<_, FieldRow>(
        "SELECT id, label, kind, unit, choices, CAST(required AS BIGINT) AS required, \
                CAST(staff_only AS BIGINT) AS staff_only \
         FROM ticket_fields WHERE archived = 0 AND (staff_only = 0 OR $1 = 1) ORDER BY position, id",
    )
    .bind(i64::from(with_staff_only))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(FieldDef {
                id: r.id,
                kind: FieldKind::from_code(&r.kind)?,
                label: r.label,
                unit: r.unit,
                choices: r
                    .choices
                    .lines()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
                required: r.required != 0,
                staff_only: r.staff_only != 0,
            })
        })
        .collect())
}

/// Companies a ticket may be filed for, by name.
pub async fn companies_in_scope(db: &Db, scope: &CompanyScope) -> sqlx::Result<Vec<(i64, String)>> {
    companies_in_scope_up_to(db, scope, 1000).await
}

/// The first `limit` customer companies in scope, by name.
pub async fn companies_in_scope_up_to(
    db: &Db,
    scope: &CompanyScope,
    limit: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    let mut sql = Sql::default();
    sql.push("SELECT c.id, c.name FROM companies c WHERE c.kind = 'customer' AND c.deleted_at IS NULL AND ");
    let first = sql.next_index();
    sql.fragment(company_filter(scope, first));
    sql.push(" ORDER BY c.name_search, c.id LIMIT ").int(limit);
    sql.query_as().fetch_all(db).await
}

/// The ids of up to `limit` companies in scope whose name contains `text` (any case).
pub async fn companies_named(
    db: &Db,
    scope: &CompanyScope,
    text: &str,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT c.id FROM companies c WHERE c.kind = 'customer' AND c.deleted_at IS NULL AND ",
    );
    let first = sql.next_index();
    sql.fragment(company_filter(scope, first));
    sql.push(" AND c.name_search LIKE ")
        .str(&super::like_pattern(&text.trim().to_lowercase()))
        .push(" ESCAPE '\\' ORDER BY c.id LIMIT ")
        .int(limit);
    Ok(sql
        .query_as::<(i64,)>()
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EquipmentOption {
    pub id: i64,
    pub name: String,
    pub class: Option<String>,
    pub location: Option<String>,
}

/// The live objects of a company; `only_scanned_by` keeps those a QR-registered user scanned.
pub async fn equipment_of(
    db: &Db,
    company_id: i64,
    only_scanned_by: Option<i64>,
) -> sqlx::Result<Vec<EquipmentOption>> {
    sqlx::query_as(
        "SELECT e.id, e.name, e.class, e.location FROM equipment e \
         WHERE e.company_id = $1 AND e.retired_at IS NULL \
           AND ($2 = 0 OR e.id IN (SELECT ue.equipment_id FROM user_equipment ue WHERE ue.user_id = $2)) \
         ORDER BY e.name_search, e.id LIMIT 500",
    )
    .bind(company_id)
    .bind(only_scanned_by.unwrap_or(0))
    .fetch_all(db)
    .await
}

/// Contracts of a company in force; with an object, those that cover it (or cover all).
pub async fn contracts_of(
    db: &Db,
    company_id: i64,
    equipment_id: Option<i64>,
) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT k.id, k.number, k.title FROM contracts k WHERE k.company_id = $1 \
           AND ($2 = 0 OR NOT EXISTS (SELECT 1 FROM contract_equipment x WHERE x.contract_id = k.id) \
                OR EXISTS (SELECT 1 FROM contract_equipment x WHERE x.contract_id = k.id AND x.equipment_id = $2)) \
         ORDER BY k.number, k.id",
    )
    .bind(company_id)
    .bind(equipment_id.unwrap_or(0))
    .fetch_all(db)
    .await
}

/// The company's active users, as contacts.
pub async fn contacts_of(
    db: &Db,
    company_id: i64,
) -> sqlx::Result<Vec<(i64, String, Option<String>, Option<String>)>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.phone, u.email FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.company_id = $1 AND u.is_active = 1 ORDER BY u.full_name_search, u.id LIMIT 200",
    )
    .bind(company_id)
    .fetch_all(db)
    .await
}

/// Active engineers and managers who can perform tickets.
pub async fn performers_available(db: &Db) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, full_name FROM users WHERE role IN ('engineer', 'manager', 'admin') AND is_active = 1 \
         ORDER BY CASE role WHEN 'engineer' THEN 0 ELSE 1 END, full_name_search, id",
    )
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct SlaRow {
    id: i64,
    name: String,
    contract_id: Option<i64>,
    ticket_type: Option<String>,
    criticality: Option<String>,
    work_type: Option<String>,
    reaction_minutes: i64,
    resolution_minutes: i64,
}

/// The rules that may apply to a ticket under this contract (and the general ones).
pub async fn sla_rules(db: &Db, contract_id: Option<i64>) -> sqlx::Result<Vec<SlaRule>> {
    let rows = sqlx::query_as::<_, SlaRow>(
        "SELECT id, name, contract_id, ticket_type, criticality, work_type, reaction_minutes, resolution_minutes \
         FROM sla_rules WHERE contract_id IS NULL OR contract_id = $1 ORDER BY id",
    )
    .bind(contract_id.unwrap_or(0))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(sla_rule).collect())
}

fn sla_rule(r: SlaRow) -> SlaRule {
    SlaRule {
        id: r.id,
        name: r.name,
        contract_id: r.contract_id,
        ticket_type: r.ticket_type,
        criticality: r.criticality,
        work_type: r.work_type,
        reaction_minutes: r.reaction_minutes,
        resolution_minutes: r.resolution_minutes,
    }
}

/// Every rule, for the settings page.
pub async fn all_sla_rules(db: &Db) -> sqlx::Result<Vec<SlaRule>> {
    let rows = sqlx::query_as::<_, SlaRow>(
        "SELECT id, name, contract_id, ticket_type, criticality, work_type, reaction_minutes, resolution_minutes \
         FROM sla_rules ORDER BY contract_id IS NOT NULL, id LIMIT 1000",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(sla_rule).collect())
}

// ------------------------------------------------------------------ creation

/// Everything a new ticket row needs, checked by the service.
pub struct NewTicket<'a> {
    pub company_id: i64,
    pub equipment_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub created_by: Option<i64>,
    pub ticket_type: &'a str,
    pub criticality: &'a str,
    pub work_type: Option<&'a str>,
    pub subject: &'a str,
    pub description: &'a str,
    pub contact: Option<&'a str>,
    pub source: &'a str,
    pub reaction_due_at: Option<i64>,
    pub resolution_due_at: Option<i64>,
    pub sla_rule_name: Option<&'a str>,
    pub plan_id: Option<i64>,
    pub fields: &'a [(i64, String)],
    pub attachments: &'a [i64],
    pub performers: &'a [i64],
    pub now: i64,
}

/// Inserts a ticket with its number, first history row, field values, claimed uploads,
/// performers and search document, on the caller's transaction.
pub async fn insert(
    conn: &mut AnyConnection,
    backend: Backend,
    t: &NewTicket<'_>,
) -> sqlx::Result<(i64, String)> {
    let number: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE name = 'ticket' RETURNING value",
    )
    .fetch_one(&mut *conn)
    .await?;
    let number = format!("T-{number}");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (number, company_id, equipment_id, contract_id, created_by, ticket_type, criticality, \
             work_type, subject, description, contact, stage, source, reaction_due_at, resolution_due_at, sla_rule_name, \
             plan_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', $12, $13, $14, $15, $16, $17, $17) RETURNING id",
    )
    .bind(&number)
    .bind(t.company_id)
    .bind(t.equipment_id)
    .bind(t.contract_id)
    .bind(t.created_by)
    .bind(t.ticket_type)
    .bind(t.criticality)
    .bind(t.work_type)
    .bind(t.subject)
    .bind(t.description)
    .bind(t.contact)
    .bind(t.source)
    .bind(t.reaction_due_at)
    .bind(t.resolution_due_at)
    .bind(t.sla_rule_name)
    .bind(t.plan_id)
    .bind(t.now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO ticket_stage_history (ticket_id, from_stage, to_stage, actor_user_id, at) VALUES ($1, NULL, 'new', $2, $3)",
    )
    .bind(id)
    .bind(t.created_by)
    .bind(t.now)
    .execute(&mut *conn)
    .await?;
    for (field_id, value) in t.fields {
        sqlx::query(
            "INSERT INTO ticket_field_values (ticket_id, field_id, value) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(field_id)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    for upload in t.attachments {
        sqlx::query(
            "UPDATE attachments SET ticket_id = $1 WHERE id = $2 AND ticket_id IS NULL AND message_id IS NULL AND uploaded_by = $3",
        )
        .bind(id)
        .bind(upload)
        .bind(t.created_by)
        .execute(&mut *conn)
        .await?;
    }
    for user_id in t.performers {
        sqlx::query("INSERT INTO ticket_performers (ticket_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    for user_id in t.created_by.iter().chain(t.performers) {
        super::chat::add_member(&mut *conn, id, *user_id, t.now).await?;
    }
    reindex(conn, backend, id).await?;
    Ok((id, number))
}

/// Rewrites the ticket's search document from its number, subject, description and
/// messages.
pub async fn reindex(
    conn: &mut AnyConnection,
    backend: Backend,
    ticket_id: i64,
) -> sqlx::Result<()> {
    let (number, subject, description): (String, String, String) =
        sqlx::query_as("SELECT number, subject, description FROM tickets WHERE id = $1")
            .bind(ticket_id)
            .fetch_one(&mut *conn)
            .await?;
    let messages: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM messages WHERE ticket_id = $1 ORDER BY id DESC LIMIT 500")
            .bind(ticket_id)
            .fetch_all(&mut *conn)
            .await?;
    // The number both whole ("T-1042") and as its digits, so "1042" finds it.
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let mut body = format!("{number} {digits} {subject}\n{description}");
    for (message,) in messages {
        body.push('\n');
        body.push_str(&message);
    }
    match backend {
        Backend::Sqlite => {
            sqlx::query("DELETE FROM ticket_search WHERE rowid = $1")
                .bind(ticket_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO ticket_search (rowid, body) VALUES ($1, $2)")
                .bind(ticket_id)
                .bind(body)
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO ticket_search (ticket_id, doc) VALUES ($1, to_tsvector('simple', $2)) \
                 ON CONFLICT (ticket_id) DO UPDATE SET doc = EXCLUDED.doc",
            )
            .bind(ticket_id)
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ one ticket

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TicketRecord {
    pub id: i64,
    pub number: String,
    pub company_id: i64,
    pub company_name: String,
    pub equipment_id: Option<i64>,
    pub equipment_name: Option<String>,
    pub equipment_location: Option<String>,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub created_by: Option<i64>,
    pub creator_name: Option<String>,
    pub ticket_type: String,
    pub type_name: Option<String>,
    pub criticality: String,
    pub work_type: Option<String>,
    pub work_type_name: Option<String>,
    pub subject: String,
    pub description: String,
    pub contact: Option<String>,
    pub stage: String,
    pub source: String,
    pub reaction_due_at: Option<i64>,
    pub resolution_due_at: Option<i64>,
    pub sla_rule_name: Option<String>,
    pub deadline_manual: i64,
    pub reacted_at: Option<i64>,
    pub paused_at: Option<i64>,
    /// Seconds spent waiting on the customer over the finished pauses.
    pub paused_seconds: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

/// One ticket, if the scope reaches it: a ticket outside it is not loaded at all.
pub async fn get(db: &Db, scope: &TicketScope, id: i64) -> sqlx::Result<Option<TicketRecord>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT t.id, t.number, t.company_id, c.name AS company_name, t.equipment_id, e.name AS equipment_name, \
                e.location AS equipment_location, t.contract_id, k.number AS contract_number, t.created_by, \
                u.full_name AS creator_name, t.ticket_type, tt.name AS type_name, t.criticality, t.work_type, \
                wt.name AS work_type_name, t.subject, t.description, t.contact, t.stage, t.source, \
                t.reaction_due_at, t.resolution_due_at, t.sla_rule_name, CAST(t.deadline_manual AS BIGINT) AS deadline_manual, \
                t.reacted_at, t.paused_at, t.paused_seconds, t.version, t.created_at, t.updated_at, t.closed_at \
         FROM tickets t JOIN companies c ON c.id = t.company_id \
         LEFT JOIN equipment e ON e.id = t.equipment_id LEFT JOIN contracts k ON k.id = t.contract_id \
         LEFT JOIN users u ON u.id = t.created_by LEFT JOIN ticket_types tt ON tt.code = t.ticket_type \
         LEFT JOIN work_types wt ON wt.code = t.work_type \
         WHERE t.id = ",
    );
    sql.int(id).push(" AND c.deleted_at IS NULL AND ");
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    sql.query_as().fetch_optional(db).await
}

/// Whether the ticket is in scope, without loading it (for file downloads and the like).
pub async fn in_scope(db: &Db, scope: &TicketScope, id: i64) -> sqlx::Result<bool> {
    let mut sql = Sql::default();
    sql.push("SELECT t.id FROM tickets t JOIN companies c ON c.id = t.company_id WHERE t.id = ");
    sql.int(id).push(" AND c.deleted_at IS NULL AND ");
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    Ok(sql.query_as::<(i64,)>().fetch_optional(db).await?.is_some())
}

pub async fn performers(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name FROM ticket_performers p JOIN users u ON u.id = p.user_id \
         WHERE p.ticket_id = $1 ORDER BY u.full_name_search, u.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    pub at: i64,
}

pub async fn history(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as(
        "SELECT h.from_stage, h.to_stage, u.full_name AS actor_name, h.comment, h.at \
         FROM ticket_stage_history h LEFT JOIN users u ON u.id = h.actor_user_id \
         WHERE h.ticket_id = $1 ORDER BY h.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// The additional fields' values: (label, value, unit), staff-only ones when asked.
pub async fn field_values(
    db: &Db,
    ticket_id: i64,
    with_staff_only: bool,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT f.label, v.value, f.unit FROM ticket_field_values v JOIN ticket_fields f ON f.id = v.field_id \
         WHERE v.ticket_id = $1 AND (f.staff_only = 0 OR $2 = 1) ORDER BY f.position, f.id",
    )
    .bind(ticket_id)
    .bind(i64::from(with_staff_only))
    .fetch_all(db)
    .await
}

pub async fn is_favourite(db: &Db, user_id: i64, ticket_id: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT ticket_id FROM favourites WHERE user_id = $1 AND ticket_id = $2",
    )
    .bind(user_id)
    .bind(ticket_id)
    .fetch_optional(db)
    .await?
    .is_some())
}

pub async fn set_favourite(db: &Db, user_id: i64, ticket_id: i64, on: bool) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM favourites WHERE user_id = $1 AND ticket_id = $2")
        .bind(user_id)
        .bind(ticket_id)
        .execute(db)
        .await?;
    if on {
        sqlx::query("INSERT INTO favourites (user_id, ticket_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(ticket_id)
            .execute(db)
            .await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ changes

/// A stage move, applied only if the ticket still has `version` and `from_stage`.
pub struct StageChange<'a> {
    pub ticket_id: i64,
    pub version: i64,
    pub from_stage: &'a str,
    pub to_stage: &'a str,
    pub actor_user_id: i64,
    pub comment: Option<&'a str>,
    /// The new deadlines when the move ends a pause.
    pub reaction_due_at: Option<i64>,
    pub resolution_due_at: Option<i64>,
    pub paused_at: Option<i64>,
    pub paused_seconds: i64,
    pub reacted_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub now: i64,
}

/// Applies a stage move and its history row in one transaction. `false`: the ticket
/// changed meanwhile (stale form) and nothing was written.
pub async fn change_stage(db: &Db, c: &StageChange<'_>) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    if !change_stage_in(&mut tx, c).await? {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// [`change_stage`] inside a caller's transaction (signing an act moves its ticket).
pub async fn change_stage_in(tx: &mut AnyConnection, c: &StageChange<'_>) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE tickets SET stage = $1, version = version + 1, updated_at = $2, reaction_due_at = $3, \
                resolution_due_at = $4, paused_at = $5, reacted_at = $6, closed_at = $7, paused_seconds = $11 \
         WHERE id = $8 AND version = $9 AND stage = $10",
    )
    .bind(c.to_stage)
    .bind(c.now)
    .bind(c.reaction_due_at)
    .bind(c.resolution_due_at)
    .bind(c.paused_at)
    .bind(c.reacted_at)
    .bind(c.closed_at)
    .bind(c.ticket_id)
    .bind(c.version)
    .bind(c.from_stage)
    .bind(c.paused_seconds)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO ticket_stage_history (ticket_id, from_stage, to_stage, actor_user_id, comment, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.ticket_id)
    .bind(c.from_stage)
    .bind(c.to_stage)
    .bind(c.actor_user_id)
    .bind(c.comment)
    .bind(c.now)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// Replaces the performers if the ticket still has `version`. `false`: stale.
pub async fn set_performers(
    db: &Db,
    ticket_id: i64,
    version: i64,
    user_ids: &[i64],
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE tickets SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
    )
    .bind(now)
    .bind(ticket_id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM ticket_performers WHERE ticket_id = $1")
        .bind(ticket_id)
        .execute(&mut *tx)
        .await?;
    for user_id in user_ids {
        sqlx::query("INSERT INTO ticket_performers (ticket_id, user_id) VALUES ($1, $2)")
            .bind(ticket_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        super::chat::add_member(&mut tx, ticket_id, *user_id, now).await?;
    }
    // An engineer who no longer performs the ticket no longer sees it: out of its chat.
    sqlx::query(
        "DELETE FROM chat_members WHERE ticket_id = $1 \
           AND user_id IN (SELECT id FROM users WHERE role = 'engineer') \
           AND user_id NOT IN (SELECT user_id FROM ticket_performers WHERE ticket_id = $1)",
    )
    .bind(ticket_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Sets the resolution deadline by hand (it then wins over the rules), or returns it to
/// the rule's. `false`: stale.
pub async fn set_deadline(
    db: &Db,
    ticket_id: i64,
    version: i64,
    resolution_due_at: Option<i64>,
    manual: bool,
    rule_name: Option<&str>,
    now: i64,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE tickets SET resolution_due_at = $1, deadline_manual = $2, sla_rule_name = $3, version = version + 1, \
                updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(resolution_due_at)
    .bind(i64::from(manual))
    .bind(rule_name)
    .bind(now)
    .bind(ticket_id)
    .bind(version)
    .execute(db)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

// ------------------------------------------------------------------ lists

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Mine,
    Approval,
    All,
    Favourites,
    Archive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Newest,
    Deadline,
}

/// Tickets with no deadline sort after every real one.
pub const NO_DEADLINE: i64 = 9_000_000_000_000;

#[derive(Clone, Debug)]
pub struct ListQuery {
    pub user_id: i64,
    /// Staff: "Mine" is what they perform; customers: what they filed.
    pub staff: bool,
    pub tab: Tab,
    pub sort: Sort,
    /// Full-text terms, already reduced to letters and digits.
    pub terms: Vec<String>,
    /// Only these companies' tickets (by id, or those named like the filter's text).
    pub companies: Option<Vec<i64>>,
    pub performer: Option<i64>,
    pub stage: Option<String>,
    pub ticket_type: Option<String>,
    pub criticality: Option<String>,
    pub overdue: bool,
    /// Newest: the last id; Deadline: (deadline key, id).
    pub after: Option<(i64, i64)>,
    pub now: i64,
    pub limit: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub company_name: String,
    pub equipment_name: Option<String>,
    pub stage: String,
    pub criticality: String,
    pub reaction_due_at: Option<i64>,
    pub resolution_due_at: Option<i64>,
    pub reacted_at: Option<i64>,
    pub paused_at: Option<i64>,
    pub performer: Option<String>,
    pub performer_count: i64,
    pub created_at: i64,
    pub due_key: i64,
}

const OPEN: &str = "('new', 'approval', 'in_work', 'work_completed')";
const ARCHIVED: &str = "('closed', 'refused')";

/// Where a page's ids are read from. The list walks the index that already holds the
/// page's order (a user's favourites or performances, the full-text index in id order,
/// or the tickets themselves), so a page stops after `limit` rows instead of gathering
/// and sorting every match; the growth budget of the ticket lists rests on this.
enum Source {
    Tickets,
    Favourites(i64),
    Performing(i64),
    /// SQLite's full-text index (FTS5 yields its rowids in descending order).
    Search(String),
}

impl Source {
    fn choose(backend: Backend, scope: &TicketScope, q: &ListQuery) -> Source {
        match q.tab {
            Tab::Favourites => return Source::Favourites(q.user_id),
            Tab::Mine if q.staff => return Source::Performing(q.user_id),
            _ => {}
        }
        if let TicketScope::Performer(user_id) = scope {
            return Source::Performing(*user_id);
        }
        if let Some(performer) = q.performer {
            return Source::Performing(performer);
        }
        match backend {
            Backend::Sqlite if !q.terms.is_empty() => Source::Search(fts_query(&q.terms)),
            _ => Source::Tickets,
        }
    }

    /// The FROM clause (always ending in `tickets t`, joined on `t.id = <id>` in the
    /// WHERE clause) and the column that is the id. `CROSS JOIN` tells SQLite to keep the source as the outer loop (its planner
    /// otherwise may walk a company's tickets and probe the source for each);
    /// PostgreSQL plans it as any inner join.
    fn from(&self) -> (&'static str, &'static str) {
        match self {
            Source::Tickets => ("tickets t", "t.id"),
            Source::Favourites(_) => ("favourites d CROSS JOIN tickets t", "d.ticket_id"),
            Source::Performing(_) => ("ticket_performers d CROSS JOIN tickets t", "d.ticket_id"),
            Source::Search(_) => ("ticket_search d CROSS JOIN tickets t", "d.rowid"),
        }
    }
}

/// One page of a ticket list. Every condition is in the SQL (scope first), the order
/// has a unique tail (id) and the keyset continues after the last row: no OFFSET, no
/// COUNT. The page's ids are chosen first; the columns (and the performer subqueries)
/// are then read for those rows only.
pub async fn list(
    db: &Db,
    backend: Backend,
    scope: &TicketScope,
    q: &ListQuery,
) -> sqlx::Result<Vec<ListRow>> {
    let source = Source::choose(backend, scope, q);
    let (from, id) = source.from();
    let due_key = format!("COALESCE(t.resolution_due_at, {NO_DEADLINE})");
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT t.id, t.number, t.subject, c.name AS company_name, e.name AS equipment_name, t.stage, t.criticality, \
                t.reaction_due_at, t.resolution_due_at, t.reacted_at, t.paused_at, \
                (SELECT MIN(u.full_name) FROM ticket_performers p JOIN users u ON u.id = p.user_id WHERE p.ticket_id = t.id) AS performer, \
                (SELECT COUNT(*) FROM ticket_performers p WHERE p.ticket_id = t.id) AS performer_count, \
                t.created_at, page.due_key \
         FROM (SELECT {id} AS id, {due_key} AS due_key \
               FROM {from} JOIN companies c ON c.id = t.company_id \
               WHERE c.deleted_at IS NULL AND "
    ));
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    match &source {
        Source::Tickets => {}
        Source::Favourites(user) | Source::Performing(user) => {
            sql.push(" AND t.id = d.ticket_id AND d.user_id = ")
                .int(*user);
        }
        Source::Search(query) => {
            sql.push(" AND t.id = d.rowid AND ticket_search MATCH ")
                .str(query);
        }
    }
    match q.tab {
        Tab::Mine if q.staff => {
            sql.push(" AND t.stage NOT IN ").push(ARCHIVED);
            if !matches!(source, Source::Performing(user) if user == q.user_id) {
                sql.push(" AND t.id IN (SELECT mp.ticket_id FROM ticket_performers mp WHERE mp.user_id = ");
                sql.int(q.user_id).push(")");
            }
        }
        Tab::Mine => {
            sql.push(" AND t.stage NOT IN ")
                .push(ARCHIVED)
                .push(" AND t.created_by = ");
            sql.int(q.user_id);
        }
        Tab::Approval => {
            sql.push(" AND t.stage = 'approval'");
        }
        Tab::All => {
            sql.push(" AND t.stage NOT IN ").push(ARCHIVED);
        }
        Tab::Favourites => {}
        Tab::Archive => {
            // `|| ''` keeps SQLite off the (stage, id) index, which would read every
            // archived ticket and sort them; walking ids downwards stops after one page.
            sql.push(" AND t.stage || '' IN ").push(ARCHIVED);
        }
    }
    if let Some(companies) = &q.companies {
        let first = sql.next_index();
        sql.push(" AND ")
            .fragment(super::directory::in_list("t.company_id", companies, first));
    }
    if let Some(performer) = q.performer {
        if !matches!(source, Source::Performing(user) if user == performer) {
            sql.push(
                " AND t.id IN (SELECT fp.ticket_id FROM ticket_performers fp WHERE fp.user_id = ",
            );
            sql.int(performer).push(")");
        }
    }
    if let Some(stage) = &q.stage {
        sql.push(" AND t.stage = ").str(stage);
    }
    if let Some(ticket_type) = &q.ticket_type {
        sql.push(" AND t.ticket_type = ").str(ticket_type);
    }
    if let Some(criticality) = &q.criticality {
        sql.push(" AND t.criticality = ").str(criticality);
    }
    if q.overdue {
        sql.push(" AND t.stage IN ")
            .push(OPEN)
            .push(" AND (t.resolution_due_at < COALESCE(t.paused_at, ");
        sql.int(q.now)
            .push(") OR (t.reacted_at IS NULL AND t.reaction_due_at < COALESCE(t.paused_at, ");
        sql.int(q.now).push(")))");
    }
    if !matches!(source, Source::Search(_)) {
        push_search(&mut sql, backend, &q.terms);
    }
    match (q.sort, q.after) {
        (Sort::Newest, Some((_, after))) => {
            sql.push(&format!(" AND {id} < ")).int(after);
        }
        (Sort::Deadline, Some((due, after))) => {
            sql.push(&format!(" AND ({due_key}, t.id) > ("))
                .int(due)
                .push(", ")
                .int(after)
                .push(")");
        }
        (_, None) => {}
    }
    match q.sort {
        Sort::Newest => sql.push(&format!(" ORDER BY {id} DESC LIMIT ")),
        Sort::Deadline => sql.push(&format!(" ORDER BY {due_key}, t.id LIMIT ")),
    };
    sql.int(q.limit);
    sql.push(
        ") page JOIN tickets t ON t.id = page.id JOIN companies c ON c.id = t.company_id \
         LEFT JOIN equipment e ON e.id = t.equipment_id ORDER BY ",
    );
    sql.push(match q.sort {
        Sort::Newest => "page.id DESC",
        Sort::Deadline => "page.due_key, page.id",
    });
    sql.query_as().fetch_all(db).await
}

/// Full-text terms as an FTS5 query: each term a quoted prefix, all of them required.
fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Narrows a ticket query (alias `t`) to the full-text terms, if any.
pub fn push_search(sql: &mut Sql, backend: Backend, terms: &[String]) {
    if !terms.is_empty() {
        match backend {
            Backend::Sqlite => {
                let query = fts_query(terms);
                sql.push(
                    " AND t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ",
                );
                sql.str(&query).push(")");
            }
            Backend::Postgres => {
                let query = terms
                    .iter()
                    .map(|t| format!("{t}:*"))
                    .collect::<Vec<_>>()
                    .join(" & ");
                sql.push(" AND t.id IN (SELECT ticket_id FROM ticket_search WHERE doc @@ to_tsquery('simple', ");
                sql.str(&query).push("))");
            }
        }
    }
}

/// Search terms from what a user typed: letters and digits only (so nothing reaches
/// the full-text syntax), lower-cased, at most eight.
pub fn search_terms(input: &str) -> Vec<String> {
    input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(40).collect::<String>().to_lowercase())
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_keep_only_words() {
        assert_eq!(
            search_terms("T-1042 \"chiller\" OR* ЛИФТ)("),
            vec!["t", "1042", "chiller", "or", "лифт"]
        );
        assert!(search_terms("  ** -- ").is_empty());
    }

    #[test]
    fn sql_numbers_placeholders_in_order() {
        let mut sql = Sql::default();
        sql.push("a = ")
            .int(1)
            .push(" AND b = ")
            .str("x")
            .push(" AND ");
        let first = sql.next_index();
        sql.fragment(company_filter(&CompanyScope::Companies(vec![7, 8]), first));
        assert_eq!(sql.text, "a = $1 AND b = $2 AND c.id IN ($3, $4)");
    }
}
