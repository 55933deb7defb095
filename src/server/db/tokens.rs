//! Single-use tokens (stored hashed) and the failed-attempt log behind rate limiting.

use super::Db;

pub const PURPOSE_RESET: &str = "password_reset";

pub async fn create<'e, E>(
    executor: E,
    purpose: &str,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO auth_tokens (purpose, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(purpose)
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Marks a live token used and returns its user. The `used_at IS NULL` condition in the
/// UPDATE makes two concurrent uses of one token impossible: only one row update wins.
pub async fn consume<'e, E>(
    executor: E,
    purpose: &str,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar::<_, Option<i64>>(
        "UPDATE auth_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(executor)
    .await
    .map(Option::flatten)
}

/// Whether a token is live, without using it (to show the reset form or a clear refusal).
pub async fn is_live(db: &Db, purpose: &str, token_hash: &str, now: i64) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM auth_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(id.is_some())
}

/// Invalidates a user's other live tokens of a purpose (a new reset link replaces old ones).
pub async fn revoke_for_user<'e, E>(
    executor: E,
    purpose: &str,
    user_id: i64,
    now: i64,
) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE auth_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose)
        .execute(executor)
        .await?;
    Ok(())
}

/// Records an attempt; returns its id.
pub async fn record_failure(db: &Db, login_key: &str, ip: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO auth_failures (login_key, ip, at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(login_key)
    .bind(ip)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn forget_attempt(db: &Db, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM auth_failures WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Failures after `since` for an account key and for an address: `(by_login, by_ip, oldest)`.
pub async fn failures_since(
    db: &Db,
    login_key: &str,
    ip: &str,
    since: i64,
) -> sqlx::Result<(i64, i64, Option<i64>)> {
    let by_login: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM auth_failures WHERE login_key = $1 AND at > $2",
    )
    .bind(login_key)
    .bind(since)
    .fetch_one(db)
    .await?;
    let by_ip: (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM auth_failures WHERE ip = $1 AND at > $2")
            .bind(ip)
            .bind(since)
            .fetch_one(db)
            .await?;
    let oldest = match (by_login.1, by_ip.1) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Ok((by_login.0, by_ip.0, oldest))
}

pub async fn clear_failures(db: &Db, login_key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM auth_failures WHERE login_key = $1")
        .bind(login_key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn purge_failures(db: &Db, before: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM auth_failures WHERE at <= $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(())
}
