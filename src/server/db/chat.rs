//! Ticket conversations: messages in their order, members, read markers, the Messages
//! page, and the queue of notices for unread messages.

use super::directory::ticket_filter;
use super::tickets::Sql;
use super::{Backend, Db};
use crate::domain::chat::{ChatFile, ChatMessage};
use crate::domain::policy::TicketScope;
use crate::domain::role::Role;
use sqlx::AnyConnection;

/// Puts a user into a ticket's conversation (nothing if they are in it already).
pub async fn add_member(
    conn: &mut AnyConnection,
    ticket_id: i64,
    user_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO chat_members (ticket_id, user_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (ticket_id, user_id) DO NOTHING",
    )
    .bind(ticket_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct MessageRow {
    id: i64,
    ticket_id: i64,
    seq: i64,
    author_user_id: Option<i64>,
    author_name: Option<String>,
    author_role: Option<String>,
    body: String,
    created_at: i64,
    client_key: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct FileRow {
    id: i64,
    message_id: i64,
    file_name: String,
    content_type: String,
    size_bytes: i64,
}

const MESSAGE_COLUMNS: &str =
    "m.id, m.ticket_id, m.seq, m.author_user_id, u.full_name AS author_name, u.role AS author_role, \
     m.body, m.created_at, m.client_key";

/// Messages with their files, in the order given.
async fn with_files(db: &Db, rows: Vec<MessageRow>) -> sqlx::Result<Vec<ChatMessage>> {
    let mut files: Vec<FileRow> = Vec::new();
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let (low, high) = (first.id.min(last.id), first.id.max(last.id));
        files = sqlx::query_as(
            "SELECT id, message_id, file_name, content_type, size_bytes FROM attachments \
             WHERE ticket_id = $1 AND message_id BETWEEN $2 AND $3 ORDER BY id",
        )
        .bind(first.ticket_id)
        .bind(low)
        .bind(high)
        .fetch_all(db)
        .await?;
    }
    Ok(rows
        .into_iter()
        .map(|r| ChatMessage {
            files: files
                .iter()
                .filter(|f| f.message_id == r.id)
                .map(|f| ChatFile {
                    id: f.id,
                    name: f.file_name.clone(),
                    size_bytes: f.size_bytes,
                    is_image: f.content_type.starts_with("image/"),
                })
                .collect(),
            id: r.id,
            ticket_id: r.ticket_id,
            seq: r.seq,
            author_id: r.author_user_id,
            author: r.author_name.unwrap_or_default(),
            role: r.author_role.as_deref().and_then(Role::from_code),
            body: r.body,
            at: r.created_at,
            client_key: r.client_key,
        })
        .collect())
}

/// Messages of a ticket after place `after`, oldest first.
pub async fn after(
    db: &Db,
    ticket_id: i64,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<ChatMessage>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_user_id \
         WHERE m.ticket_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
    ))
    .bind(ticket_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    with_files(db, rows).await
}

/// The last `limit` messages of a ticket before place `before`, oldest first.
pub async fn before(
    db: &Db,
    ticket_id: i64,
    before: i64,
    limit: i64,
) -> sqlx::Result<Vec<ChatMessage>> {
    let mut rows: Vec<MessageRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_user_id \
         WHERE m.ticket_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3"
    ))
    .bind(ticket_id)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.reverse();
    with_files(db, rows).await
}

pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<ChatMessage>> {
    let rows = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_user_id WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(with_files(db, rows).await?.pop())
}

/// The message an author already sent with this key (a retried send).
pub async fn by_client_key(
    db: &Db,
    author: i64,
    client_key: &str,
) -> sqlx::Result<Option<ChatMessage>> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM messages WHERE author_user_id = $1 AND client_key = $2")
            .bind(author)
            .bind(client_key)
            .fetch_optional(db)
            .await?;
    match id {
        Some(id) => by_id(db, id).await,
        None => Ok(None),
    }
}

pub struct NewMessage<'a> {
    pub ticket_id: i64,
    pub author: i64,
    pub client_key: &'a str,
    pub body: &'a str,
    pub files: &'a [i64],
    pub now: i64,
    /// When the members who have not read it hear about it.
    pub notice_due_at: i64,
}

/// Stores a message in one transaction: its place from the ticket's counter (which also
/// orders concurrent posts to one ticket), the claimed files, the author's membership
/// and read marker, and a pending notice for every other member. Returns (id, seq), or
/// `None` when one of the files was no longer the author's to attach (nothing stored).
pub async fn insert(db: &Db, m: &NewMessage<'_>) -> sqlx::Result<Option<(i64, i64)>> {
    let mut tx = db.begin().await?;
    let seq: i64 = sqlx::query_scalar(
        "UPDATE tickets SET message_count = message_count + 1, search_stale = 1 WHERE id = $1 RETURNING message_count",
    )
    .bind(m.ticket_id)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (ticket_id, author_user_id, client_key, body, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(m.ticket_id)
    .bind(m.author)
    .bind(m.client_key)
    .bind(m.body)
    .bind(m.now)
    .bind(seq)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE tickets SET last_message_id = $1 WHERE id = $2")
        .bind(id)
        .bind(m.ticket_id)
        .execute(&mut *tx)
        .await?;
    for file in m.files {
        let claimed = sqlx::query(
            "UPDATE attachments SET ticket_id = $1, message_id = $2 \
             WHERE id = $3 AND uploaded_by = $4 AND ticket_id IS NULL AND message_id IS NULL AND equipment_id IS NULL",
        )
        .bind(m.ticket_id)
        .bind(id)
        .bind(file)
        .bind(m.author)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            // Taken by another message meanwhile: store nothing.
            tx.rollback().await?;
            return Ok(None);
        }
    }
    add_member(&mut tx, m.ticket_id, m.author, m.now).await?;
    upsert_read(&mut tx, m.ticket_id, m.author, seq, id).await?;
    sqlx::query(
        "INSERT INTO chat_pending (user_id, ticket_id, first_message_id, due_at) \
         SELECT user_id, ticket_id, $1, $2 FROM chat_members WHERE ticket_id = $3 AND user_id <> $4 \
         ON CONFLICT (user_id, ticket_id) DO NOTHING",
    )
    .bind(id)
    .bind(m.notice_due_at)
    .bind(m.ticket_id)
    .bind(m.author)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((id, seq)))
}

async fn upsert_read(
    conn: &mut AnyConnection,
    ticket_id: i64,
    user_id: i64,
    seq: i64,
    message_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO message_reads (ticket_id, user_id, last_read_message_id, last_read_seq) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (ticket_id, user_id) DO UPDATE SET last_read_seq = EXCLUDED.last_read_seq, \
             last_read_message_id = EXCLUDED.last_read_message_id \
         WHERE message_reads.last_read_seq < EXCLUDED.last_read_seq",
    )
    .bind(ticket_id)
    .bind(user_id)
    .bind(message_id)
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the conversation read up to `seq` (never backwards) and drops the user's
/// pending notice once everything is read. Returns the marker as it now stands.
pub async fn mark_read(db: &Db, ticket_id: i64, user_id: i64, seq: i64) -> sqlx::Result<i64> {
    let mut tx = db.begin().await?;
    // Write first: this takes SQLite's write lock and PostgreSQL's lock on the ticket row,
    // the same one posting takes, so a message cannot slip between reading and writing.
    let count: Option<i64> = sqlx::query_scalar(
        "UPDATE tickets SET message_count = message_count WHERE id = $1 RETURNING message_count",
    )
    .bind(ticket_id)
    .fetch_optional(&mut *tx)
    .await?;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM messages WHERE ticket_id = $1 AND seq = $2")
            .bind(ticket_id)
            .bind(seq)
            .fetch_optional(&mut *tx)
            .await?;
    if let (Some(message_id), Some(count)) = (found, count) {
        upsert_read(&mut tx, ticket_id, user_id, seq, message_id).await?;
        if seq >= count {
            sqlx::query("DELETE FROM chat_pending WHERE user_id = $1 AND ticket_id = $2")
                .bind(user_id)
                .bind(ticket_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let now_at = read_seq(&mut tx, ticket_id, user_id).await?;
    tx.commit().await?;
    Ok(now_at)
}

async fn read_seq(conn: &mut AnyConnection, ticket_id: i64, user_id: i64) -> sqlx::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT last_read_seq FROM message_reads WHERE ticket_id = $1 AND user_id = $2",
    )
    .bind(ticket_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?
    .unwrap_or(0))
}

/// Where the user's reading stands, and how far the furthest other member has read.
pub async fn read_state(db: &Db, ticket_id: i64, user_id: i64) -> sqlx::Result<(i64, i64)> {
    let (mine, others): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MAX(CASE WHEN user_id = $2 THEN last_read_seq END), MAX(CASE WHEN user_id <> $2 THEN last_read_seq END) \
         FROM message_reads WHERE ticket_id = $1",
    )
    .bind(ticket_id)
    .bind(user_id)
    .fetch_one(db)
    .await?;
    Ok((mine.unwrap_or(0), others.unwrap_or(0)))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub full_name: String,
    pub role: String,
}

pub async fn members(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.role FROM chat_members m JOIN users u ON u.id = m.user_id \
         WHERE m.ticket_id = $1 ORDER BY m.added_at, u.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

/// Staff who see every ticket (admins and managers) and may be added to a conversation.
pub async fn staff_candidates(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name FROM users u WHERE u.role IN ('admin', 'manager') AND u.is_active = 1 \
           AND NOT EXISTS (SELECT 1 FROM chat_members m WHERE m.ticket_id = $1 AND m.user_id = u.id) \
         ORDER BY u.full_name_search, u.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await
}

pub async fn insert_member(db: &Db, ticket_id: i64, user_id: i64, now: i64) -> sqlx::Result<()> {
    let mut conn = db.acquire().await?;
    add_member(&mut conn, ticket_id, user_id, now).await
}

// ------------------------------------------------------------------ Messages page

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConversationRow {
    pub ticket_id: i64,
    pub number: String,
    pub subject: String,
    pub company_name: String,
    pub last_message_id: i64,
    pub last_body: String,
    pub last_at: i64,
    pub last_author: Option<String>,
    pub unread: i64,
}

/// The conversations the user takes part in and may still see, newest message first,
/// before `before` (a last-message id), optionally narrowed by full-text terms.
pub async fn conversations(
    db: &Db,
    backend: Backend,
    scope: &TicketScope,
    user_id: i64,
    terms: &[String],
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<ConversationRow>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT t.id AS ticket_id, t.number, t.subject, c.name AS company_name, t.last_message_id, \
                lm.body AS last_body, lm.created_at AS last_at, au.full_name AS last_author, \
                (SELECT COUNT(*) FROM messages x WHERE x.ticket_id = t.id \
                   AND x.seq > COALESCE((SELECT r.last_read_seq FROM message_reads r WHERE r.ticket_id = t.id AND r.user_id = cm.user_id), 0) \
                   AND (x.author_user_id IS NULL OR x.author_user_id <> cm.user_id)) AS unread \
         FROM chat_members cm JOIN tickets t ON t.id = cm.ticket_id JOIN companies c ON c.id = t.company_id \
         JOIN messages lm ON lm.id = t.last_message_id LEFT JOIN users au ON au.id = lm.author_user_id \
         WHERE cm.user_id = ",
    );
    sql.int(user_id).push(" AND c.deleted_at IS NULL AND ");
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    if let Some(before) = before {
        sql.push(" AND t.last_message_id < ").int(before);
    }
    super::tickets::push_search(&mut sql, backend, terms);
    sql.push(" ORDER BY t.last_message_id DESC LIMIT ")
        .int(limit);
    sql.query_as().fetch_all(db).await
}

/// Unread messages in all of the user's conversations, counted up to `cap`.
pub async fn unread_total(
    db: &Db,
    scope: &TicketScope,
    user_id: i64,
    cap: i64,
) -> sqlx::Result<i64> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT COUNT(*) FROM (SELECT 1 FROM chat_members cm JOIN tickets t ON t.id = cm.ticket_id \
           JOIN companies c ON c.id = t.company_id \
           LEFT JOIN message_reads r ON r.ticket_id = cm.ticket_id AND r.user_id = cm.user_id \
           JOIN messages x ON x.ticket_id = cm.ticket_id AND x.seq > COALESCE(r.last_read_seq, 0) \
         WHERE cm.user_id = ",
    );
    sql.int(user_id)
        .push(" AND t.message_count > COALESCE(r.last_read_seq, 0) AND (x.author_user_id IS NULL OR x.author_user_id <> ")
        .int(user_id)
        .push(") AND c.deleted_at IS NULL AND ");
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    sql.push(" LIMIT ").int(cap).push(") capped");
    Ok(sql.query_as::<(i64,)>().fetch_one(db).await?.0)
}

// ------------------------------------------------------------------ notices

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DueNotice {
    pub user_id: i64,
    pub ticket_id: i64,
    pub first_message_id: i64,
}

/// Takes the notices that are due: each row goes to exactly one taker, even with several
/// app instances.
pub async fn take_due(db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<DueNotice>> {
    let due: Vec<DueNotice> = sqlx::query_as(
        "SELECT user_id, ticket_id, first_message_id FROM chat_pending WHERE due_at <= $1 ORDER BY due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut taken = Vec::with_capacity(due.len());
    for notice in due {
        let deleted = sqlx::query(
            "DELETE FROM chat_pending WHERE user_id = $1 AND ticket_id = $2 AND first_message_id = $3",
        )
        .bind(notice.user_id)
        .bind(notice.ticket_id)
        .bind(notice.first_message_id)
        .execute(db)
        .await?
        .rows_affected();
        if deleted == 1 {
            taken.push(notice);
        }
    }
    Ok(taken)
}

/// Messages from others the user has not read in a ticket.
pub async fn unread_count(db: &Db, ticket_id: i64, user_id: i64) -> sqlx::Result<i64> {
    let (read, _) = read_state(db, ticket_id, user_id).await?;
    unread_after(db, ticket_id, user_id, read).await
}

async fn unread_after(db: &Db, ticket_id: i64, user_id: i64, read: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE ticket_id = $1 AND seq > $2 \
           AND (author_user_id IS NULL OR author_user_id <> $3)",
    )
    .bind(ticket_id)
    .bind(read)
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Messages from others the user has not read in a ticket, with the latest one.
pub async fn unread_in(
    db: &Db,
    ticket_id: i64,
    user_id: i64,
) -> sqlx::Result<(i64, Option<ChatMessage>)> {
    let (read, _) = read_state(db, ticket_id, user_id).await?;
    let count = unread_after(db, ticket_id, user_id, read).await?;
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM messages WHERE ticket_id = $1 AND seq > $2 \
           AND (author_user_id IS NULL OR author_user_id <> $3) ORDER BY seq DESC LIMIT 1",
    )
    .bind(ticket_id)
    .bind(read)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    let last = match last {
        Some(id) => by_id(db, id).await?,
        None => None,
    };
    Ok((count, last))
}

// ------------------------------------------------------------------ search index

/// Tickets whose search document waits for new messages.
pub async fn stale_search(db: &Db, limit: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM tickets WHERE search_stale = 1 ORDER BY id LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Rewrites one ticket's search document; a message posted meanwhile marks it stale
/// again, so nothing is missed.
pub async fn refresh_search(db: &Db, backend: Backend, ticket_id: i64) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE tickets SET search_stale = 0 WHERE id = $1")
        .bind(ticket_id)
        .execute(&mut *tx)
        .await?;
    super::tickets::reindex(&mut tx, backend, ticket_id).await?;
    tx.commit().await
}
