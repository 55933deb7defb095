//! The equipment registry: scoped lists (search, filters, keyset) and passports, changes,
//! QR tokens, what the public QR page reads, the objects a QR-registered user scanned,
//! pending QR registrations and the public pages' rate-limit events.

use super::directory::{company_filter, ticket_filter};
use super::tickets::Sql;
use super::Db;
use crate::domain::equipment::CheckedEquipment;
use crate::domain::policy::{EquipmentScope, TicketScope};
use sqlx::AnyConnection;

/// A WHERE fragment over `e` (equipment) joined with `c` (its company), numbered from
/// `first`.
fn scope_filter(scope: &EquipmentScope, first: usize) -> (String, Vec<i64>) {
    match scope {
        EquipmentScope::Companies(companies) => company_filter(companies, first),
        EquipmentScope::Scanned(user_id) => (
            format!("e.id IN (SELECT ue.equipment_id FROM user_equipment ue WHERE ue.user_id = ${first})"),
            vec![*user_id],
        ),
    }
}

/// Stages in which a ticket is still open.
const OPEN_STAGES: &str = "('new', 'approval', 'in_work', 'work_completed')";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub name_search: String,
    pub company_id: i64,
    pub company: String,
    pub class: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub location: Option<String>,
    pub parent_name: Option<String>,
    pub grandparent_name: Option<String>,
    pub open_tickets: i64,
    pub retired: i64,
}

pub struct ListQuery<'a> {
    pub scope: &'a EquipmentScope,
    pub search: &'a str,
    pub company_id: Option<i64>,
    pub class: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub retired: bool,
    pub after: Option<(&'a str, i64)>,
    pub limit: i64,
}

/// One page of the registry, by name then id; `after` continues from a row (keyset).
pub async fn list(db: &Db, q: &ListQuery<'_>) -> sqlx::Result<Vec<ListRow>> {
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT e.id, e.kind, e.name, e.name_search, e.company_id, c.name AS company, e.class, e.model, \
                e.serial_number, e.location, p.name AS parent_name, g.name AS grandparent_name, \
                (SELECT COUNT(*) FROM tickets t WHERE t.equipment_id = e.id AND t.stage IN {OPEN_STAGES}) AS open_tickets, \
                CASE WHEN e.retired_at IS NULL THEN 0 ELSE 1 END AS retired \
         FROM equipment e JOIN companies c ON c.id = e.company_id \
         LEFT JOIN equipment p ON p.id = e.parent_id LEFT JOIN equipment g ON g.id = p.parent_id \
         WHERE c.deleted_at IS NULL AND "
    ));
    let first = sql.next_index();
    sql.fragment(scope_filter(q.scope, first));
    sql.push(if q.retired {
        " AND e.retired_at IS NOT NULL"
    } else {
        " AND e.retired_at IS NULL"
    });
    if let Some(company) = q.company_id {
        sql.push(" AND e.company_id = ").int(company);
    }
    if !q.class.is_empty() {
        sql.push(" AND e.class = ").str(q.class);
    }
    if !q.kind.is_empty() {
        sql.push(" AND e.kind = ").str(q.kind);
    }
    if let Some(parent) = q.parent_id {
        sql.push(" AND e.parent_id = ").int(parent);
    }
    let search = q.search.trim().to_lowercase();
    if !search.is_empty() {
        sql.push(" AND e.search_text LIKE ")
            .str(&super::like_pattern(&search))
            .push(" ESCAPE '\\'");
    }
    if let Some((name, id)) = q.after {
        sql.push(" AND (e.name_search > ")
            .str(name)
            .push(" OR (e.name_search = ")
            .str(name)
            .push(" AND e.id > ")
            .int(id)
            .push("))");
    }
    sql.push(" ORDER BY e.name_search, e.id LIMIT ")
        .int(q.limit);
    sql.query_as().fetch_all(db).await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PassportRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub company_id: i64,
    pub company: String,
    pub reseller_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub class: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub serial_number: Option<String>,
    pub installed_on: Option<String>,
    pub warranty_until: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
    pub photo_id: Option<i64>,
    pub qr_token: String,
    pub retired_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One object, if the scope reaches it.
pub async fn get(db: &Db, scope: &EquipmentScope, id: i64) -> sqlx::Result<Option<PassportRow>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT e.id, e.kind, e.name, e.company_id, c.name AS company, c.reseller_id, e.parent_id, e.class, \
                e.model, e.manufacturer, e.serial_number, e.installed_on, e.warranty_until, e.location, \
                e.notes, e.photo_id, e.qr_token, e.retired_at, e.created_at, e.updated_at \
         FROM equipment e JOIN companies c ON c.id = e.company_id \
         WHERE c.deleted_at IS NULL AND e.id = ",
    )
    .int(id)
    .push(" AND ");
    let first = sql.next_index();
    sql.fragment(scope_filter(scope, first));
    sql.query_as().fetch_optional(db).await
}

/// The path from the root to the object's parent: (id, name), root first.
pub async fn ancestors(db: &Db, parent_id: Option<i64>) -> sqlx::Result<Vec<(i64, String)>> {
    let mut path = Vec::new();
    let mut next = parent_id;
    // The tree has at most three levels.
    while let Some(id) = next.filter(|_| path.len() < 3) {
        let row: Option<(i64, String, Option<i64>)> =
            sqlx::query_as("SELECT id, name, parent_id FROM equipment WHERE id = $1")
                .bind(id)
                .fetch_optional(db)
                .await?;
        let Some((id, name, parent)) = row else { break };
        path.push((id, name));
        next = parent;
    }
    path.reverse();
    Ok(path)
}

/// A possible parent: its company, kind and whether it is retired.
pub async fn parent_of_choice(db: &Db, id: i64) -> sqlx::Result<Option<(i64, String, bool)>> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT company_id, kind, retired_at FROM equipment WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(company, kind, retired)| (company, kind, retired.is_some())))
}

/// The live children of an object: (id, kind, name).
pub async fn children(db: &Db, id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT id, kind, name FROM equipment WHERE parent_id = $1 AND retired_at IS NULL \
         ORDER BY name_search, id LIMIT 500",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Sites and rooms of a company that could hold an object: (id, kind, name).
pub async fn containers(db: &Db, company_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT id, kind, name FROM equipment WHERE company_id = $1 AND kind IN ('site', 'room') \
           AND retired_at IS NULL ORDER BY name_search, id LIMIT 500",
    )
    .bind(company_id)
    .fetch_all(db)
    .await
}

/// Distinct classes of the objects in scope, for the filter.
pub async fn classes(db: &Db, scope: &EquipmentScope) -> sqlx::Result<Vec<String>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT DISTINCT e.class FROM equipment e JOIN companies c ON c.id = e.company_id \
         WHERE e.class IS NOT NULL AND ",
    );
    let first = sql.next_index();
    sql.fragment(scope_filter(scope, first));
    sql.push(" ORDER BY e.class LIMIT 200");
    let rows: Vec<(String,)> = sql.query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

pub struct Change<'a> {
    pub company_id: i64,
    pub parent_id: Option<i64>,
    pub object: &'a CheckedEquipment,
    pub photo_id: Option<i64>,
    pub now: i64,
}

/// The object's own columns, `$1` to `$14`, in the order `insert` and `update` name them.
const OBJECT_COLUMNS: &str =
    "parent_id, kind, name, name_search, search_text, class, model, manufacturer, \
    serial_number, installed_on, warranty_until, location, notes, photo_id";

fn bind_object<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    c: &'q Change<'_>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let o = c.object;
    query
        .bind(c.parent_id)
        .bind(o.kind.code())
        .bind(&o.name)
        .bind(o.name.to_lowercase())
        .bind(o.search_text())
        .bind(&o.class)
        .bind(&o.model)
        .bind(&o.manufacturer)
        .bind(&o.serial_number)
        .bind(&o.installed_on)
        .bind(&o.warranty_until)
        .bind(&o.location)
        .bind(&o.notes)
        .bind(c.photo_id)
}

pub async fn insert(tx: &mut AnyConnection, c: &Change<'_>, token: &str) -> sqlx::Result<i64> {
    use sqlx::Row;
    let sql = format!(
        "INSERT INTO equipment ({OBJECT_COLUMNS}, company_id, qr_token, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id"
    );
    let row = bind_object(sqlx::query(&sql), c)
        .bind(c.company_id)
        .bind(token)
        .bind(c.now)
        .fetch_one(&mut *tx)
        .await?;
    row.try_get(0)
}

/// Changes an object; the company never changes (an object does not move between
/// customers).
pub async fn update(tx: &mut AnyConnection, id: i64, c: &Change<'_>) -> sqlx::Result<()> {
    let sql = format!(
        "UPDATE equipment SET ({OBJECT_COLUMNS}, updated_at) = \
            ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) WHERE id = $16"
    );
    bind_object(sqlx::query(&sql), c)
        .bind(c.now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Whether a file is the user's own upload, not attached to anything yet, or already
/// this object's photo.
pub async fn photo_usable(
    db: &Db,
    file_id: i64,
    user_id: i64,
    equipment_id: Option<i64>,
) -> sqlx::Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM attachments WHERE id = $1 AND ticket_id IS NULL AND message_id IS NULL \
           AND content_type LIKE 'image/%' \
           AND ((uploaded_by = $2 AND equipment_id IS NULL) OR equipment_id = $3)",
    )
    .bind(file_id)
    .bind(user_id)
    .bind(equipment_id.unwrap_or(0))
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

pub async fn claim_photo(
    tx: &mut AnyConnection,
    file_id: i64,
    equipment_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE attachments SET equipment_id = $1 WHERE id = $2")
        .bind(equipment_id)
        .bind(file_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub async fn set_retired(db: &Db, id: i64, at: Option<i64>, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE equipment SET retired_at = $1, updated_at = $2 WHERE id = $3")
        .bind(at)
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// A new token: every label printed before stops working.
pub async fn rotate(db: &Db, id: i64, token: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE equipment SET qr_token = $1, qr_rotated_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(token)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TicketLine {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub stage: String,
    pub created_at: i64,
}

/// The object's tickets the viewer may see, newest first.
pub async fn tickets_of(
    db: &Db,
    scope: &TicketScope,
    equipment_id: i64,
) -> sqlx::Result<Vec<TicketLine>> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT t.id, t.number, t.subject, t.stage, t.created_at FROM tickets t \
         JOIN companies c ON c.id = t.company_id WHERE t.equipment_id = ",
    )
    .int(equipment_id)
    .push(" AND ");
    let first = sql.next_index();
    sql.fragment(ticket_filter(scope, first));
    sql.push(" ORDER BY t.id DESC LIMIT 50");
    sql.query_as().fetch_all(db).await
}

/// Contracts that cover the object: those naming it, and those of its company naming none.
pub async fn contracts_covering(
    db: &Db,
    company_id: i64,
    equipment_id: i64,
) -> sqlx::Result<Vec<(i64, String, String, String, Option<String>)>> {
    sqlx::query_as(
        "SELECT k.id, k.number, k.title, k.starts_on, k.ends_on FROM contracts k WHERE k.company_id = $1 \
           AND (NOT EXISTS (SELECT 1 FROM contract_equipment x WHERE x.contract_id = k.id) \
                OR EXISTS (SELECT 1 FROM contract_equipment x WHERE x.contract_id = k.id AND x.equipment_id = $2)) \
         ORDER BY k.number, k.id",
    )
    .bind(company_id)
    .bind(equipment_id)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub class: Option<String>,
    pub location: Option<String>,
    pub photo_id: Option<i64>,
    pub company_id: i64,
    pub company: String,
    pub retired_at: Option<i64>,
}

/// The object a label names, whatever its state (the page explains a retired one).
pub async fn by_token(db: &Db, token: &str) -> sqlx::Result<Option<PublicRow>> {
    sqlx::query_as(
        "SELECT e.id, e.kind, e.name, e.class, e.location, e.photo_id, e.company_id, c.name AS company, \
                CASE WHEN c.deleted_at IS NULL THEN e.retired_at ELSE c.deleted_at END AS retired_at \
         FROM equipment e JOIN companies c ON c.id = e.company_id WHERE e.qr_token = $1",
    )
    .bind(token)
    .fetch_optional(db)
    .await
}

/// The newest open ticket of an object: (id, number, stage).
pub async fn open_ticket(
    db: &Db,
    equipment_id: i64,
) -> sqlx::Result<Option<(i64, String, String)>> {
    sqlx::query_as(&format!(
        "SELECT id, number, stage FROM tickets WHERE equipment_id = $1 AND stage IN {OPEN_STAGES} \
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(equipment_id)
    .fetch_optional(db)
    .await
}

/// Adds an object to what a QR-registered user sees. Returns whether it was new.
pub async fn add_scanned(
    tx: &mut AnyConnection,
    user_id: i64,
    equipment_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO user_equipment (user_id, equipment_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, equipment_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(equipment_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LabelRow {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub serial_number: Option<String>,
    pub qr_token: String,
}

/// The live objects among `ids` that the scope reaches, in the order of the registry.
pub async fn labels(db: &Db, scope: &EquipmentScope, ids: &[i64]) -> sqlx::Result<Vec<LabelRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    sql.push(
        "SELECT e.id, e.name, c.name AS company, e.serial_number, e.qr_token \
         FROM equipment e JOIN companies c ON c.id = e.company_id \
         WHERE c.deleted_at IS NULL AND e.retired_at IS NULL AND e.id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.int(*id);
    }
    sql.push(") AND ");
    let first = sql.next_index();
    sql.fragment(scope_filter(scope, first));
    sql.push(" ORDER BY c.name, e.name_search, e.id");
    sql.query_as().fetch_all(db).await
}

// ------------------------------------------------------------------ QR registrations

pub struct NewRegistration<'a> {
    pub token_hash: &'a str,
    pub equipment_id: i64,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
    pub language: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_registration(db: &Db, r: &NewRegistration<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO qr_registrations (token_hash, equipment_id, full_name, email, phone, password_hash, \
            language, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.token_hash)
    .bind(r.equipment_id)
    .bind(r.full_name)
    .bind(r.email)
    .bind(r.phone)
    .bind(r.password_hash)
    .bind(r.language)
    .bind(r.now)
    .bind(r.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RegistrationRow {
    pub equipment_id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: String,
    pub language: String,
}

/// Takes a live registration once: marks it used and returns it.
pub async fn take_registration(
    tx: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<RegistrationRow>> {
    let taken = sqlx::query(
        "UPDATE qr_registrations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT equipment_id, full_name, email, phone, password_hash, language FROM qr_registrations \
         WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await
}

// ------------------------------------------------------------------ rate limits

/// How many events of a bucket and key happened since `since`.
pub async fn recent_events(db: &Db, bucket: &str, key: &str, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND scope_key = $2 AND at >= $3",
    )
    .bind(bucket)
    .bind(key)
    .bind(since)
    .fetch_one(db)
    .await
}

pub async fn record_event(db: &Db, bucket: &str, key: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO rate_events (bucket, scope_key, at) VALUES ($1, $2, $3)")
        .bind(bucket)
        .bind(key)
        .bind(now)
        .execute(db)
        .await?;
    // Old events are of no use to any limit.
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(now - 86_400)
        .execute(db)
        .await?;
    Ok(())
}
