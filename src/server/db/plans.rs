//! Planned tickets: the schedules and the slots they have filled.

use super::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub equipment_id: Option<i64>,
    pub equipment_name: Option<String>,
    pub contract_id: Option<i64>,
    pub all_objects: i64,
    pub ticket_type: String,
    pub criticality: String,
    pub work_type: Option<String>,
    pub subject: String,
    pub description: String,
    pub performer_user_id: Option<i64>,
    pub performer_name: Option<String>,
    pub frequency: String,
    pub every_n: i64,
    pub weekday: i64,
    pub time_of_day: i64,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub max_count: Option<i64>,
    pub created_count: i64,
    pub paused: i64,
    pub next_run_at: Option<i64>,
    pub created_by: Option<i64>,
}

const SELECT: &str = "SELECT p.id, p.company_id, c.name AS company_name, p.equipment_id, e.name AS equipment_name, p.contract_id, \
    CAST(p.all_objects AS BIGINT) AS all_objects, p.ticket_type, p.criticality, p.work_type, p.subject, p.description, \
    p.performer_user_id, u.full_name AS performer_name, p.frequency, p.every_n, p.weekday, p.time_of_day, p.starts_on, \
    p.ends_on, p.max_count, p.created_count, CAST(p.paused AS BIGINT) AS paused, p.next_run_at, p.created_by \
    FROM ticket_plans p JOIN companies c ON c.id = p.company_id LEFT JOIN equipment e ON e.id = p.equipment_id \
    LEFT JOIN users u ON u.id = p.performer_user_id";

pub async fn list(db: &Db) -> sqlx::Result<Vec<PlanRow>> {
    sqlx::query_as(&format!("{SELECT} ORDER BY p.id DESC LIMIT 500"))
        .fetch_all(db)
        .await
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<PlanRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Plans with a slot due at `now`.
pub async fn due(db: &Db, now: i64) -> sqlx::Result<Vec<PlanRow>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE p.paused = 0 AND p.next_run_at IS NOT NULL AND p.next_run_at <= $1 ORDER BY p.next_run_at"
    ))
    .bind(now)
    .fetch_all(db)
    .await
}

pub struct PlanFields<'a> {
    pub company_id: i64,
    pub equipment_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub all_objects: bool,
    pub ticket_type: &'a str,
    pub criticality: &'a str,
    pub work_type: Option<&'a str>,
    pub subject: &'a str,
    pub description: &'a str,
    pub performer_user_id: Option<i64>,
    pub frequency: &'a str,
    pub every_n: i64,
    pub weekday: i64,
    pub time_of_day: i64,
    pub starts_on: &'a str,
    pub ends_on: Option<&'a str>,
    pub max_count: Option<i64>,
    pub next_run_at: Option<i64>,
}

pub async fn insert(db: &Db, p: &PlanFields<'_>, created_by: i64, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO ticket_plans (company_id, equipment_id, contract_id, all_objects, ticket_type, criticality, work_type, \
             subject, description, performer_user_id, frequency, every_n, weekday, time_of_day, starts_on, ends_on, max_count, \
             next_run_at, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id",
    )
    .bind(p.company_id)
    .bind(p.equipment_id)
    .bind(p.contract_id)
    .bind(i64::from(p.all_objects))
    .bind(p.ticket_type)
    .bind(p.criticality)
    .bind(p.work_type)
    .bind(p.subject)
    .bind(p.description)
    .bind(p.performer_user_id)
    .bind(p.frequency)
    .bind(p.every_n)
    .bind(p.weekday)
    .bind(p.time_of_day)
    .bind(p.starts_on)
    .bind(p.ends_on)
    .bind(p.max_count)
    .bind(p.next_run_at)
    .bind(created_by)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn update(db: &Db, id: i64, p: &PlanFields<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE ticket_plans SET company_id = $1, equipment_id = $2, contract_id = $3, all_objects = $4, ticket_type = $5, \
             criticality = $6, work_type = $7, subject = $8, description = $9, performer_user_id = $10, frequency = $11, \
             every_n = $12, weekday = $13, time_of_day = $14, starts_on = $15, ends_on = $16, max_count = $17, \
             next_run_at = $18, updated_at = $19 WHERE id = $20",
    )
    .bind(p.company_id)
    .bind(p.equipment_id)
    .bind(p.contract_id)
    .bind(i64::from(p.all_objects))
    .bind(p.ticket_type)
    .bind(p.criticality)
    .bind(p.work_type)
    .bind(p.subject)
    .bind(p.description)
    .bind(p.performer_user_id)
    .bind(p.frequency)
    .bind(p.every_n)
    .bind(p.weekday)
    .bind(p.time_of_day)
    .bind(p.starts_on)
    .bind(p.ends_on)
    .bind(p.max_count)
    .bind(p.next_run_at)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_paused(
    db: &Db,
    id: i64,
    paused: bool,
    next_run_at: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE ticket_plans SET paused = $1, next_run_at = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(i64::from(paused))
    .bind(next_run_at)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// The live objects a slot files tickets for: one, or all of the company (or contract).
pub async fn objects(db: &Db, plan: &PlanRow) -> sqlx::Result<Vec<i64>> {
    if plan.all_objects == 0 {
        return Ok(plan.equipment_id.into_iter().collect());
    }
    let rows: Vec<(i64,)> =
        match plan.contract_id {
            Some(contract) => sqlx::query_as(
                "SELECT e.id FROM equipment e JOIN contract_equipment x ON x.equipment_id = e.id \
             WHERE x.contract_id = $1 AND e.retired_at IS NULL ORDER BY e.id",
            )
            .bind(contract)
            .fetch_all(db)
            .await?,
            None => sqlx::query_as(
                "SELECT id FROM equipment WHERE company_id = $1 AND retired_at IS NULL ORDER BY id",
            )
            .bind(plan.company_id)
            .fetch_all(db)
            .await?,
        };
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
