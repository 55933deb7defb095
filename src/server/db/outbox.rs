//! The stored outbox of e-mails and SMS.

use super::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

pub async fn insert(
    db: &Db,
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (channel, recipient, subject, body, status, created_at) \
         VALUES ($1, $2, $3, $4, 'stored', $5) RETURNING id",
    )
    .bind(channel)
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn mark(
    db: &Db,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET status = $1, error = $2, sent_at = $3 WHERE id = $4")
        .bind(status)
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Newest first; `before` is the id of the last row already shown (keyset pagination).
pub async fn list(db: &Db, before: Option<i64>, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
    sqlx::query_as::<_, OutboxRow>(
        "SELECT id, channel, recipient, subject, body, status, created_at FROM outbox \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(db)
        .await
}
