//! The audit log: who did what, on whose behalf, to which object.

use super::Db;

#[derive(Default)]
pub struct Entry<'a> {
    pub actor_user_id: Option<i64>,
    pub on_behalf_of_user_id: Option<i64>,
    pub company_id: Option<i64>,
    pub action: &'a str,
    pub object_type: Option<&'a str>,
    pub object_id: Option<i64>,
    pub detail: Option<&'a str>,
    pub ip: Option<&'a str>,
}

pub async fn record(db: &Db, entry: &Entry<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, on_behalf_of_user_id, company_id, action, object_type, object_id, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now)
    .bind(entry.actor_user_id)
    .bind(entry.on_behalf_of_user_id)
    .bind(entry.company_id)
    .bind(entry.action)
    .bind(entry.object_type)
    .bind(entry.object_id)
    .bind(entry.detail)
    .bind(entry.ip)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn actions_of(db: &Db, user_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE actor_user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(db)
        .await
}
