//! The add-customer wizard's drafts, one row per draft, the fields as JSON.

use super::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DraftRow {
    pub id: i64,
    pub owner_user_id: i64,
    pub step: i64,
    pub data: String,
    pub updated_at: i64,
}

pub async fn create(db: &Db, owner: i64, data: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO customer_drafts (owner_user_id, step, data, created_at, updated_at) VALUES ($1, 1, $2, $3, $3) RETURNING id",
    )
    .bind(owner)
    .bind(data)
    .bind(now)
    .fetch_one(db)
    .await
}

/// The draft, only if it belongs to `owner` (a draft is private to whoever started it).
pub async fn get(db: &Db, id: i64, owner: i64) -> sqlx::Result<Option<DraftRow>> {
    sqlx::query_as::<_, DraftRow>(
        "SELECT id, owner_user_id, CAST(step AS BIGINT) AS step, data, updated_at FROM customer_drafts \
         WHERE id = $1 AND owner_user_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(db)
    .await
}

pub async fn save(
    db: &Db,
    id: i64,
    owner: i64,
    step: i64,
    data: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE customer_drafts SET step = $1, data = $2, updated_at = $3 WHERE id = $4 AND owner_user_id = $5")
        .bind(step)
        .bind(data)
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, id: i64, owner: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM customer_drafts WHERE id = $1 AND owner_user_id = $2")
        .bind(id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(())
}

/// The owner's unfinished drafts, newest first.
pub async fn list(db: &Db, owner: i64) -> sqlx::Result<Vec<DraftRow>> {
    sqlx::query_as::<_, DraftRow>(
        "SELECT id, owner_user_id, CAST(step AS BIGINT) AS step, data, updated_at FROM customer_drafts \
         WHERE owner_user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 20",
    )
    .bind(owner)
    .fetch_all(db)
    .await
}
