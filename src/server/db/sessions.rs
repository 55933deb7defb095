//! Server-side sessions. Only the SHA-256 of the cookie's token is stored.

use super::Db;

/// The user behind a live session, as loaded once per request.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionUser {
    pub user_id: i64,
    pub role: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub reseller_id: Option<i64>,
    pub ticket_scope: String,
    pub last_seen_at: i64,
    /// "Log in as": the customer user this session acts as, until when, and whether it may change things.
    pub acting_as_user_id: Option<i64>,
    pub acting_reason: Option<String>,
    pub acting_can_write: i64,
    pub acting_until: Option<i64>,
}

pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub now: i64,
    pub expires_at: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub async fn create(db: &Db, session: &NewSession<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(session.id_hash)
    .bind(session.user_id)
    .bind(session.now)
    .bind(session.expires_at)
    .bind(session.ip)
    .bind(session.user_agent)
    .execute(db)
    .await?;
    Ok(())
}

/// The session's user if the session has neither reached its absolute end nor been idle
/// longer than `idle_secs`, and the user is still active.
pub async fn lookup(
    db: &Db,
    id_hash: &str,
    now: i64,
    idle_secs: i64,
) -> sqlx::Result<Option<SessionUser>> {
    sqlx::query_as::<_, SessionUser>(
        "SELECT u.id AS user_id, u.role, u.full_name, u.email, u.phone, u.language, u.reseller_id, u.ticket_scope, \
                s.last_seen_at, s.acting_as_user_id, s.acting_reason, CAST(s.acting_can_write AS BIGINT) AS acting_can_write, \
                s.acting_until \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.is_active = 1",
    )
    .bind(id_hash)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_optional(db)
    .await
}

pub async fn touch(db: &Db, id_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, id_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user but, optionally, the one making the request.
pub async fn delete_for_user<'e, E>(
    executor: E,
    user_id: i64,
    keep: Option<&str>,
) -> sqlx::Result<u64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(executor)
        .await?;
    Ok(result.rows_affected())
}

pub async fn count_for_user(db: &Db, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// Removes sessions past their absolute end or idle beyond `idle_secs`.
pub async fn purge_expired(db: &Db, now: i64, idle_secs: i64) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle_secs)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Starts acting as a customer user (read-only) until `until`.
pub async fn start_acting(
    db: &Db,
    id_hash: &str,
    target: i64,
    reason: &str,
    until: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sessions SET acting_as_user_id = $1, acting_reason = $2, acting_can_write = 0, acting_until = $3 WHERE id_hash = $4",
    )
    .bind(target)
    .bind(reason)
    .bind(until)
    .bind(id_hash)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_acting_write(db: &Db, id_hash: &str, can_write: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET acting_can_write = $1 WHERE id_hash = $2 AND acting_as_user_id IS NOT NULL")
        .bind(i64::from(can_write))
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn stop_acting(db: &Db, id_hash: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sessions SET acting_as_user_id = NULL, acting_reason = NULL, acting_can_write = 0, acting_until = NULL \
         WHERE id_hash = $1",
    )
    .bind(id_hash)
    .execute(db)
    .await?;
    Ok(())
}
