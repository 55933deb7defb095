//! In-app notifications (the bell) and the e-mail preference.

use super::Db;

pub async fn insert(
    db: &Db,
    user_id: i64,
    ticket_id: i64,
    kind: &str,
    detail: &str,
    actor_user_id: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notifications (user_id, ticket_id, kind, detail, actor_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(ticket_id)
    .bind(kind)
    .bind(detail)
    .bind(actor_user_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn unread_count(db: &Db, user_id: i64) -> sqlx::Result<i64> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db)
    .await?
    .0)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub ticket_number: Option<String>,
    pub ticket_subject: Option<String>,
    pub kind: String,
    pub detail: String,
    pub actor_name: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// The user's notifications, newest first, before the given id.
pub async fn list(
    db: &Db,
    user_id: i64,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(
        "SELECT n.id, n.ticket_id, t.number AS ticket_number, t.subject AS ticket_subject, n.kind, n.detail, \
                u.full_name AS actor_name, n.created_at, n.read_at \
         FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id LEFT JOIN users u ON u.id = n.actor_user_id \
         WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3",
    )
    .bind(user_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn mark_all_read(db: &Db, user_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks what concerns one ticket as read (the user opened it).
pub async fn mark_ticket_read(db: &Db, user_id: i64, ticket_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND ticket_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(ticket_id)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    pub id: i64,
    pub email: Option<String>,
    pub language: String,
    pub notify_email: i64,
}

/// Active users among `ids`, with what their e-mail copy needs.
pub async fn recipients(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<Recipient>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id, email, language, CAST(notify_email AS BIGINT) AS notify_email FROM users \
         WHERE is_active = 1 AND id IN ({placeholders})"
    );
    let mut query = sqlx::query_as::<_, Recipient>(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(db).await
}

/// The service company's dispatchers: admins and managers.
pub async fn dispatchers(db: &Db) -> sqlx::Result<Vec<i64>> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT id FROM users WHERE role IN ('admin', 'manager') AND is_active = 1",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id,)| id)
    .collect())
}

/// What an e-mail copy is about; each has its own preference (a column of `users`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Ticket events: filed, assigned, stage changes.
    Tickets,
    /// Unread chat messages (batched).
    Chat,
}

impl Topic {
    fn column(self) -> &'static str {
        match self {
            Topic::Tickets => "notify_email",
            Topic::Chat => "notify_chat_email",
        }
    }
}

pub async fn email_preference(db: &Db, user_id: i64, topic: Topic) -> sqlx::Result<bool> {
    let on: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT CAST({} AS BIGINT) FROM users WHERE id = $1",
        topic.column()
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(on.is_some_and(|v| v != 0))
}

pub async fn set_email_preference(
    db: &Db,
    user_id: i64,
    topic: Topic,
    on: bool,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "UPDATE users SET {} = $1 WHERE id = $2",
        topic.column()
    ))
    .bind(i64::from(on))
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}
