//! Attachment records. The bytes live on disk under the files folder, named by a random
//! key; a record without a ticket is an upload waiting for its form to be submitted.

use super::Db;

pub struct NewFile<'a> {
    /// Nobody for a photo sent through the public QR page.
    pub uploaded_by: Option<i64>,
    pub ticket_id: Option<i64>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
    pub now: i64,
}

pub async fn insert<'e, E>(executor: E, f: &NewFile<'_>) -> sqlx::Result<i64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "INSERT INTO attachments (ticket_id, uploaded_by, file_name, content_type, size_bytes, storage_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(f.ticket_id)
    .bind(f.uploaded_by)
    .bind(f.file_name)
    .bind(f.content_type)
    .bind(f.size_bytes)
    .bind(f.storage_key)
    .bind(f.now)
    .fetch_one(executor)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub equipment_id: Option<i64>,
    pub uploaded_by: Option<i64>,
    pub uploader_name: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "a.id, a.ticket_id, a.equipment_id, a.uploaded_by, u.full_name AS uploader_name, a.file_name, a.content_type, \
                       a.size_bytes, a.storage_key, a.created_at";

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<FileRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn of_ticket(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by \
         WHERE a.ticket_id = $1 AND a.message_id IS NULL AND a.work_line_id IS NULL ORDER BY a.id"
    ))
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// How many of `ids` are the user's own uploads not yet attached to anything.
pub async fn unclaimed_of(db: &Db, user_id: i64, ids: &[i64]) -> sqlx::Result<usize> {
    let mut n = 0;
    for id in ids {
        let found = sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM attachments WHERE id = $1 AND uploaded_by = $2 AND ticket_id IS NULL AND message_id IS NULL \
           AND equipment_id IS NULL",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(db)
        .await?;
        n += usize::from(found.is_some());
    }
    Ok(n)
}

/// Attaches the user's unclaimed uploads to a ticket.
pub async fn claim(db: &Db, ticket_id: i64, user_id: i64, ids: &[i64]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for id in ids {
        sqlx::query(
            "UPDATE attachments SET ticket_id = $1 WHERE id = $2 AND uploaded_by = $3 AND ticket_id IS NULL \
               AND message_id IS NULL AND equipment_id IS NULL",
        )
        .bind(ticket_id)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Uploads nobody claimed within a day: their records go, the caller removes the bytes.
pub async fn take_abandoned(db: &Db, older_than: i64) -> sqlx::Result<Vec<String>> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "SELECT storage_key FROM attachments WHERE ticket_id IS NULL AND message_id IS NULL AND equipment_id IS NULL \
           AND created_at < $1",
    )
    .bind(older_than)
    .fetch_all(db)
    .await?;
    sqlx::query(
        "DELETE FROM attachments WHERE ticket_id IS NULL AND message_id IS NULL AND equipment_id IS NULL \
           AND created_at < $1",
    )
        .bind(older_than)
        .execute(db)
        .await?;
    Ok(keys.into_iter().map(|(k,)| k).collect())
}
