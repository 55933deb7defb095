//! Completed works, acts of completed work and ratings. Every change to a ticket's works
//! first takes the ticket's row (an `UPDATE` that also checks its stage), so a line can
//! never slip in beside a signature being written on another instance.

use super::tickets::{change_stage_in, StageChange};
use super::Db;
use crate::domain::act::{ActContent, ActStatus, ActView, Criterion, Requisites, Signature};
use crate::domain::works::{ValidLine, WorkLine};
use sqlx::AnyConnection;

/// Stages in which works may change (as SQL, for the row lock).
const EDITABLE_STAGES: &str = "('in_work', 'work_completed')";

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    is_material: i64,
    work_type: Option<String>,
    work_type_name: Option<String>,
    description: String,
    quantity_milli: i64,
    unit: String,
    unit_price_minor: i64,
    hours_milli: i64,
    amount_minor: i64,
}

/// A ticket's lines in their order, with their photos.
pub async fn lines(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<WorkLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.id, CAST(l.is_material AS BIGINT) AS is_material, l.work_type, w.name AS work_type_name, \
                l.description, l.quantity_milli, l.unit, l.unit_price_minor, l.hours_milli, l.amount_minor \
         FROM work_lines l LEFT JOIN work_types w ON w.code = l.work_type \
         WHERE l.ticket_id = $1 ORDER BY l.position, l.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await?;
    let photos: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT a.work_line_id, a.id, a.file_name FROM attachments a \
         WHERE a.ticket_id = $1 AND a.work_line_id IS NOT NULL ORDER BY a.id",
    )
    .bind(ticket_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkLine {
            photos: photos
                .iter()
                .filter(|(line, _, _)| *line == r.id)
                .map(|(_, id, name)| (*id, name.clone()))
                .collect(),
            id: r.id,
            is_material: r.is_material != 0,
            work_type: r.work_type,
            work_type_name: r.work_type_name,
            description: r.description,
            quantity_milli: r.quantity_milli,
            unit: r.unit,
            unit_price_minor: r.unit_price_minor,
            hours_milli: r.hours_milli,
            amount_minor: r.amount_minor,
        })
        .collect())
}

/// Why a change to the works was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorksRefusal {
    /// The ticket is not in work (or work completed) any more, or its act is signed.
    Locked,
    /// The ticket already has as many lines as allowed.
    Full,
    /// A photo was not the author's own unclaimed upload.
    File,
    /// No such line on this ticket.
    NoLine,
}

/// Takes the ticket's row if its works may change: in an editable stage and without a
/// signed act. Supersedes an act waiting for a signature (it no longer tells the truth).
async fn lock_works(conn: &mut AnyConnection, ticket_id: i64, now: i64) -> sqlx::Result<bool> {
    let locked = sqlx::query(&format!(
        "UPDATE tickets SET updated_at = $1, version = version + 1 WHERE id = $2 AND stage IN {EDITABLE_STAGES}"
    ))
    .bind(now)
    .bind(ticket_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if locked != 1 {
        return Ok(false);
    }
    let signed: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM acts WHERE ticket_id = $1 AND status = 'signed'")
            .bind(ticket_id)
            .fetch_optional(&mut *conn)
            .await?;
    if signed.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE acts SET status = 'superseded' WHERE ticket_id = $1 AND status = 'issued'")
        .bind(ticket_id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

async fn claim_photos(
    conn: &mut AnyConnection,
    ticket_id: i64,
    line_id: i64,
    user_id: i64,
    files: &[i64],
) -> sqlx::Result<bool> {
    let (held,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM attachments WHERE work_line_id = $1")
            .bind(line_id)
            .fetch_one(&mut *conn)
            .await?;
    if held as usize + files.len() > crate::domain::works::LINE_FILES_MAX {
        return Ok(false);
    }
    for file in files {
        let claimed = sqlx::query(
            "UPDATE attachments SET ticket_id = $1, work_line_id = $2 \
             WHERE id = $3 AND uploaded_by = $4 AND ticket_id IS NULL AND message_id IS NULL AND equipment_id IS NULL",
        )
        .bind(ticket_id)
        .bind(line_id)
        .bind(file)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Adds a line (`line_id: None`) or replaces one, in one transaction. Returns the line's id.
pub async fn save_line(
    db: &Db,
    ticket_id: i64,
    line_id: Option<i64>,
    line: &ValidLine,
    user_id: i64,
    max_lines: usize,
    now: i64,
) -> sqlx::Result<Result<i64, WorksRefusal>> {
    let mut tx = db.begin().await?;
    if !lock_works(&mut tx, ticket_id, now).await? {
        return Ok(Err(WorksRefusal::Locked));
    }
    let id = match line_id {
        None => {
            let (count, last): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MAX(position) FROM work_lines WHERE ticket_id = $1",
            )
            .bind(ticket_id)
            .fetch_one(&mut *tx)
            .await?;
            if count as usize >= max_lines {
                return Ok(Err(WorksRefusal::Full));
            }
            sqlx::query_scalar(
                "INSERT INTO work_lines (ticket_id, position, is_material, work_type, description, quantity_milli, unit, \
                     unit_price_minor, hours_milli, amount_minor, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(ticket_id)
            .bind(last.unwrap_or(0) + 1)
            .bind(i64::from(line.is_material))
            .bind(line.work_type.as_deref())
            .bind(&line.description)
            .bind(line.quantity_milli)
            .bind(&line.unit)
            .bind(line.unit_price_minor)
            .bind(line.hours_milli)
            .bind(line.amount_minor)
            .bind(user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
        }
        Some(id) => {
            let updated = sqlx::query(
                "UPDATE work_lines SET is_material = $1, work_type = $2, description = $3, quantity_milli = $4, unit = $5, \
                        unit_price_minor = $6, hours_milli = $7, amount_minor = $8, updated_at = $9 \
                 WHERE id = $10 AND ticket_id = $11",
            )
            .bind(i64::from(line.is_material))
            .bind(line.work_type.as_deref())
            .bind(&line.description)
            .bind(line.quantity_milli)
            .bind(&line.unit)
            .bind(line.unit_price_minor)
            .bind(line.hours_milli)
            .bind(line.amount_minor)
            .bind(now)
            .bind(id)
            .bind(ticket_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated != 1 {
                return Ok(Err(WorksRefusal::NoLine));
            }
            id
        }
    };
    if !claim_photos(&mut tx, ticket_id, id, user_id, &line.files).await? {
        return Ok(Err(WorksRefusal::File));
    }
    tx.commit().await?;
    Ok(Ok(id))
}

/// Removes a line; its photos stay among the ticket's attachments.
pub async fn delete_line(
    db: &Db,
    ticket_id: i64,
    line_id: i64,
    now: i64,
) -> sqlx::Result<Result<(), WorksRefusal>> {
    let mut tx = db.begin().await?;
    if !lock_works(&mut tx, ticket_id, now).await? {
        return Ok(Err(WorksRefusal::Locked));
    }
    sqlx::query(
        "UPDATE attachments SET work_line_id = NULL WHERE work_line_id = $1 AND ticket_id = $2",
    )
    .bind(line_id)
    .bind(ticket_id)
    .execute(&mut *tx)
    .await?;
    let deleted = sqlx::query("DELETE FROM work_lines WHERE id = $1 AND ticket_id = $2")
        .bind(line_id)
        .bind(ticket_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted != 1 {
        return Ok(Err(WorksRefusal::NoLine));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

#[derive(sqlx::FromRow)]
struct RequisitesRow {
    name: String,
    tax_id: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    region: Option<String>,
    city: Option<String>,
    street: Option<String>,
    bank_name: Option<String>,
    bank_account: Option<String>,
    bank_code: Option<String>,
}

const REQUISITES: &str = "SELECT name, tax_id, postal_code, country, region, city, street, bank_name, bank_account, bank_code \
                          FROM companies WHERE ";

fn requisites(row: Option<RequisitesRow>) -> Requisites {
    let Some(r) = row else {
        return Requisites::default();
    };
    let address: Vec<String> = [r.postal_code, r.country, r.region, r.city, r.street]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    Requisites {
        name: r.name,
        tax_id: r.tax_id.filter(|v| !v.is_empty()),
        address: (!address.is_empty()).then(|| address.join(", ")),
        bank_name: r.bank_name.filter(|v| !v.is_empty()),
        bank_account: r.bank_account.filter(|v| !v.is_empty()),
        bank_code: r.bank_code.filter(|v| !v.is_empty()),
    }
}

/// The service company's requisites as stored, for its form.
pub async fn service_company(db: &Db) -> sqlx::Result<Option<crate::domain::act::RequisitesInput>> {
    let row: Option<RequisitesRow> =
        sqlx::query_as(&format!("{REQUISITES}kind = 'service' ORDER BY id LIMIT 1"))
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| crate::domain::act::RequisitesInput {
        name: r.name,
        tax_id: r.tax_id.unwrap_or_default(),
        postal_code: r.postal_code.unwrap_or_default(),
        city: r.city.unwrap_or_default(),
        street: r.street.unwrap_or_default(),
        bank_name: r.bank_name.unwrap_or_default(),
        bank_account: r.bank_account.unwrap_or_default(),
        bank_code: r.bank_code.unwrap_or_default(),
    }))
}

/// Saves the service company's requisites (empty text is stored as NULL).
pub async fn save_service_company(
    db: &Db,
    r: &crate::domain::act::RequisitesInput,
    now: i64,
) -> sqlx::Result<bool> {
    let some = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
    Ok(sqlx::query(
        "UPDATE companies SET name = $1, name_search = $2, tax_id = $3, postal_code = $4, city = $5, street = $6, \
                bank_name = $7, bank_account = $8, bank_code = $9, updated_at = $10 WHERE kind = 'service'",
    )
    .bind(&r.name)
    .bind(r.name.to_lowercase())
    .bind(&r.tax_id)
    .bind(some(&r.postal_code))
    .bind(some(&r.city))
    .bind(some(&r.street))
    .bind(some(&r.bank_name))
    .bind(some(&r.bank_account))
    .bind(some(&r.bank_code))
    .bind(now)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// The service company's and a customer's requisites.
pub async fn parties(db: &Db, customer_id: i64) -> sqlx::Result<(Requisites, Requisites)> {
    let provider = sqlx::query_as(&format!("{REQUISITES}kind = 'service' ORDER BY id LIMIT 1"))
        .fetch_optional(db)
        .await?;
    let customer = sqlx::query_as(&format!("{REQUISITES}id = $1"))
        .bind(customer_id)
        .fetch_optional(db)
        .await?;
    Ok((requisites(provider), requisites(customer)))
}

/// The next act number, "A-00042".
async fn next_number(conn: &mut AnyConnection) -> sqlx::Result<String> {
    let n: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE name = 'act' RETURNING value",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!("A-{n:05}"))
}

/// Issues an act from `content`, made from the ticket as it stood at `version` (every
/// change to its works raises the version, so an act never prints lines that changed
/// meanwhile). Issuing raises the version too: a form made before it is stale. `None`: the
/// ticket has a current act already, left its stage, or its works changed meanwhile.
pub async fn issue(
    db: &Db,
    ticket_id: i64,
    version: i64,
    mut content: ActContent,
    user_id: i64,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let locked = sqlx::query(
        "UPDATE tickets SET updated_at = $1, version = version + 1 \
         WHERE id = $2 AND stage = 'work_completed' AND version = $3",
    )
    .bind(now)
    .bind(ticket_id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if locked != 1 {
        return Ok(None);
    }
    let current: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM acts WHERE ticket_id = $1 AND status IN ('issued', 'signed')",
    )
    .bind(ticket_id)
    .fetch_optional(&mut *tx)
    .await?;
    if current.is_some() {
        return Ok(None);
    }
    if content.lines.is_empty() {
        return Ok(None);
    }
    content.number = next_number(&mut tx).await?;
    content.issued_at = now;
    let json = serde_json::to_string(&content).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO acts (ticket_id, number, status, issued_at, issued_by, currency, net_minor, vat_minor, total_minor, \
             content, created_at) \
         VALUES ($1, $2, 'issued', $3, $4, $5, $6, $7, $8, $9, $3) RETURNING id",
    )
    .bind(ticket_id)
    .bind(&content.number)
    .bind(now)
    .bind(user_id)
    .bind(&content.currency)
    .bind(content.totals.net)
    .bind(content.totals.vat)
    .bind(content.totals.total)
    .bind(json)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

#[derive(sqlx::FromRow)]
struct ActRow {
    id: i64,
    ticket_id: i64,
    status: String,
    content: String,
    signed_by_name: Option<String>,
    signed_at: Option<i64>,
    device_owner: Option<String>,
    signature: Option<String>,
    content_hash: Option<String>,
    declined_at: Option<i64>,
    decline_comment: Option<String>,
}

const ACT_COLUMNS: &str = "a.id, a.ticket_id, a.status, a.content, a.signed_by_name, a.signed_at, \
     d.full_name AS device_owner, a.signature, a.content_hash, a.declined_at, a.decline_comment \
     FROM acts a LEFT JOIN users d ON d.id = a.signed_on_device_of";

fn act_view(row: ActRow) -> sqlx::Result<ActView> {
    let content: ActContent =
        serde_json::from_str(&row.content).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let signature = match row.signature {
        Some(text) => Some(
            serde_json::from_str::<Signature>(&text)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        ),
        None => None,
    };
    Ok(ActView {
        id: row.id,
        ticket_id: row.ticket_id,
        status: ActStatus::from_code(&row.status).unwrap_or(ActStatus::Superseded),
        content,
        signed_by_name: row.signed_by_name,
        signed_at: row.signed_at,
        signed_on_device_of: row.device_owner,
        signature,
        content_hash: row.content_hash,
        declined_at: row.declined_at,
        decline_comment: row.decline_comment,
    })
}

/// Every act of a ticket, newest first.
pub async fn of_ticket(db: &Db, ticket_id: i64) -> sqlx::Result<Vec<ActView>> {
    let rows: Vec<ActRow> = sqlx::query_as(&format!(
        "SELECT {ACT_COLUMNS} WHERE a.ticket_id = $1 ORDER BY a.id DESC"
    ))
    .bind(ticket_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(act_view).collect()
}

/// One act by id (the caller checks its ticket's scope).
pub async fn get(db: &Db, act_id: i64) -> sqlx::Result<Option<ActView>> {
    let row: Option<ActRow> = sqlx::query_as(&format!("SELECT {ACT_COLUMNS} WHERE a.id = $1"))
        .bind(act_id)
        .fetch_optional(db)
        .await?;
    row.map(act_view).transpose()
}

/// The ticket an act belongs to.
pub async fn ticket_of(db: &Db, act_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT ticket_id FROM acts WHERE id = $1")
        .bind(act_id)
        .fetch_optional(db)
        .await
}

pub async fn has_lines(db: &Db, ticket_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM work_lines WHERE ticket_id = $1 LIMIT 1")
            .bind(ticket_id)
            .fetch_optional(db)
            .await?;
    Ok(row.is_some())
}

pub async fn has_signed(db: &Db, ticket_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM acts WHERE ticket_id = $1 AND status = 'signed'")
            .bind(ticket_id)
            .fetch_optional(db)
            .await?;
    Ok(row.is_some())
}

/// One signature, as written.
pub struct SignatureRecord<'a> {
    pub act_id: i64,
    pub signer_name: &'a str,
    pub signer_user_id: Option<i64>,
    pub device_of: Option<i64>,
    pub signature_json: &'a str,
    pub hash: &'a str,
}

/// Signs the act and moves its ticket on (Work completed → Done, with its history row)
/// in one transaction. `false`: the ticket or the act changed meanwhile; nothing written.
pub async fn sign(
    db: &Db,
    s: &SignatureRecord<'_>,
    move_to: &StageChange<'_>,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    if !change_stage_in(&mut tx, move_to).await? {
        return Ok(false);
    }
    let signed = sqlx::query(
        "UPDATE acts SET status = 'signed', signed_by_name = $1, signed_by_user_id = $2, signed_on_device_of = $3, \
                signed_at = $4, signature = $5, content_hash = $6 \
         WHERE id = $7 AND ticket_id = $8 AND status = 'issued'",
    )
    .bind(s.signer_name)
    .bind(s.signer_user_id)
    .bind(s.device_of)
    .bind(move_to.now)
    .bind(s.signature_json)
    .bind(s.hash)
    .bind(s.act_id)
    .bind(move_to.ticket_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if signed != 1 {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// Declines the act and returns its ticket to work, in one transaction. `false`: stale.
pub async fn decline(
    db: &Db,
    act_id: i64,
    user_id: i64,
    move_to: &StageChange<'_>,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    if !change_stage_in(&mut tx, move_to).await? {
        return Ok(false);
    }
    let declined = sqlx::query(
        "UPDATE acts SET status = 'declined', declined_at = $1, declined_by = $2, decline_comment = $3 \
         WHERE id = $4 AND ticket_id = $5 AND status = 'issued'",
    )
    .bind(move_to.now)
    .bind(user_id)
    .bind(move_to.comment)
    .bind(act_id)
    .bind(move_to.ticket_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if declined != 1 {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// The act waiting for the customer's signature, if any.
pub async fn awaiting_signature(db: &Db, ticket_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM acts WHERE ticket_id = $1 AND status = 'issued'")
        .bind(ticket_id)
        .fetch_optional(db)
        .await
}

// ------------------------------------------------------------------ ratings

pub async fn criteria(db: &Db, with_archived: bool) -> sqlx::Result<Vec<(Criterion, bool)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, CAST(archived AS BIGINT) FROM rating_criteria \
         WHERE archived = 0 OR $1 = 1 ORDER BY position, id",
    )
    .bind(i64::from(with_archived))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, archived)| (Criterion { id, name }, archived != 0))
        .collect())
}

pub async fn add_criterion(db: &Db, name: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO rating_criteria (name, position, created_at) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2 FROM rating_criteria RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn update_criterion(db: &Db, id: i64, name: &str, archived: bool) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE rating_criteria SET name = $1, archived = $2 WHERE id = $3")
            .bind(name)
            .bind(i64::from(archived))
            .bind(id)
            .execute(db)
            .await?
            .rows_affected()
            == 1,
    )
}

/// A rater's rating of one performer of a ticket.
#[derive(Clone, Debug)]
pub struct StoredRating {
    pub id: i64,
    pub engineer_id: i64,
    pub scores: Vec<(i64, i64)>,
    pub comment: Option<String>,
    pub created_at: i64,
}

pub async fn ratings_by(db: &Db, ticket_id: i64, rater: i64) -> sqlx::Result<Vec<StoredRating>> {
    let rows: Vec<(i64, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, engineer_user_id, comment, created_at FROM ratings WHERE ticket_id = $1 AND rater_user_id = $2",
    )
    .bind(ticket_id)
    .bind(rater)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, engineer_id, comment, created_at) in rows {
        let scores: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT criterion_id, CAST(score AS BIGINT) FROM rating_scores WHERE rating_id = $1",
        )
        .bind(id)
        .fetch_all(db)
        .await?;
        out.push(StoredRating {
            id,
            engineer_id,
            scores,
            comment,
            created_at,
        });
    }
    Ok(out)
}

/// Writes a rating (new, or replacing the scores of the rater's earlier one while it is
/// still editable: created after `editable_since`). `false`: past its week.
#[allow(clippy::too_many_arguments)]
pub async fn save_rating(
    db: &Db,
    ticket_id: i64,
    rater: i64,
    engineer: i64,
    scores: &[(i64, i64)],
    score_centi: i64,
    comment: Option<&str>,
    editable_since: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO ratings (ticket_id, rater_user_id, engineer_user_id, score_centi, comment, created_at, updated_at) \
         VALUES ($1, $2, $3, 0, NULL, $4, $4) ON CONFLICT (ticket_id, rater_user_id, engineer_user_id) DO NOTHING",
    )
    .bind(ticket_id)
    .bind(rater)
    .bind(engineer)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE ratings SET score_centi = $1, comment = $2, updated_at = $3 \
         WHERE ticket_id = $4 AND rater_user_id = $5 AND engineer_user_id = $6 AND created_at >= $7 RETURNING id",
    )
    .bind(score_centi)
    .bind(comment)
    .bind(now)
    .bind(ticket_id)
    .bind(rater)
    .bind(engineer)
    .bind(editable_since)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    sqlx::query("DELETE FROM rating_scores WHERE rating_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (criterion, score) in scores {
        sqlx::query(
            "INSERT INTO rating_scores (rating_id, criterion_id, score) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(criterion)
        .bind(score)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// An engineer's ratings: the mean in hundredths and how many.
pub async fn engineer_summary(db: &Db, engineer: i64) -> sqlx::Result<(Option<i64>, i64)> {
    let (sum, count): (Option<i64>, i64) = sqlx::query_as(
        "SELECT CAST(SUM(score_centi) AS BIGINT), COUNT(*) FROM ratings WHERE engineer_user_id = $1",
    )
    .bind(engineer)
    .fetch_one(db)
    .await?;
    Ok((sum.filter(|_| count > 0).map(|s| s / count), count))
}

/// One row of the staff ratings report.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportRow {
    pub engineer_id: i64,
    pub name: String,
    pub sum_centi: Option<i64>,
    pub count: i64,
    pub last_at: Option<i64>,
}

/// Every engineer with their ratings, best first; unrated engineers last.
pub async fn report(db: &Db) -> sqlx::Result<Vec<ReportRow>> {
    sqlx::query_as(
        "SELECT u.id AS engineer_id, u.full_name AS name, CAST(SUM(r.score_centi) AS BIGINT) AS sum_centi, \
                COUNT(r.id) AS count, MAX(r.updated_at) AS last_at \
         FROM users u LEFT JOIN ratings r ON r.engineer_user_id = u.id \
         WHERE u.role = 'engineer' GROUP BY u.id, u.full_name ORDER BY u.full_name, u.id",
    )
    .fetch_all(db)
    .await
}

/// Per-criterion means of an engineer, in hundredths.
pub async fn engineer_by_criterion(
    db: &Db,
    engineer: i64,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "SELECT c.name, CAST(SUM(s.score) * 100 / COUNT(*) AS BIGINT), COUNT(*) \
         FROM rating_scores s JOIN ratings r ON r.id = s.rating_id JOIN rating_criteria c ON c.id = s.criterion_id \
         WHERE r.engineer_user_id = $1 GROUP BY c.id, c.name, c.position ORDER BY c.position, c.id",
    )
    .bind(engineer)
    .fetch_all(db)
    .await
}
