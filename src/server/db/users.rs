//! Users, their memberships and their passwords.

use super::Db;
use crate::domain::validate::Login;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub role: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub reseller_id: Option<i64>,
}

/// What sign-in needs. The hash never leaves the server: this type is not `Serialize`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub password_hash: Option<String>,
    pub is_active: i64,
}

const USER_COLUMNS: &str = "id, role, full_name, email, phone, language, reseller_id";

pub async fn credentials_by_login(db: &Db, login: &Login) -> sqlx::Result<Option<Credentials>> {
    let column = match login {
        Login::Email(_) => "email",
        Login::Phone(_) => "phone",
    };
    sqlx::query_as::<_, Credentials>(&format!(
        "SELECT id, full_name, email, phone, language, password_hash, CAST(is_active AS INTEGER) AS is_active \
         FROM users WHERE {column} = $1"
    ))
    .bind(login.as_str())
    .fetch_optional(db)
    .await
}

pub async fn password_hash(db: &Db, user_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar::<_, Option<String>>("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

pub async fn get(db: &Db, user_id: i64) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as::<_, UserRow>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(db)
        .await
}

pub async fn company_ids(db: &Db, user_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar::<_, i64>(
        "SELECT m.company_id FROM memberships m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 AND c.deleted_at IS NULL ORDER BY m.company_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Another user already holding this e-mail or phone.
pub async fn contact_taken(db: &Db, user_id: i64, column: &str, value: &str) -> sqlx::Result<bool> {
    debug_assert!(column == "email" || column == "phone");
    let other: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM users WHERE {column} = $1 AND id <> $2"
    ))
    .bind(value)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(other.is_some())
}

pub struct ProfileUpdate<'a> {
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub language: &'a str,
}

pub async fn update_profile(
    db: &Db,
    user_id: i64,
    update: &ProfileUpdate<'_>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET full_name = $1, full_name_search = $2, email = $3, phone = $4, language = $5, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(update.full_name)
    .bind(update.full_name.to_lowercase())
    .bind(update.email)
    .bind(update.phone)
    .bind(update.language)
    .bind(now)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_language(db: &Db, user_id: i64, language: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET language = $1, updated_at = $2 WHERE id = $3")
        .bind(language)
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_password<'e, E>(
    executor: E,
    user_id: i64,
    hash: &str,
    now: i64,
) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

pub struct NewUser<'a> {
    pub role: &'a str,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub language: &'a str,
    pub reseller_id: Option<i64>,
}

pub async fn insert(db: &Db, user: &NewUser<'_>, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (role, full_name, full_name_search, email, phone, password_hash, language, reseller_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(user.role)
    .bind(user.full_name)
    .bind(user.full_name.to_lowercase())
    .bind(user.email)
    .bind(user.phone)
    .bind(user.password_hash)
    .bind(user.language)
    .bind(user.reseller_id)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn add_membership(
    db: &Db,
    user_id: i64,
    company_id: i64,
    is_company_admin: bool,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO memberships (user_id, company_id, is_company_admin, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(company_id)
        .bind(i64::from(is_company_admin))
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}

/// An existing account holding an e-mail or phone: `(id, role, has_password)`.
pub async fn find_by_contact(
    db: &Db,
    email: Option<&str>,
    phone: Option<&str>,
) -> sqlx::Result<Option<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT id, role, CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM users \
         WHERE (email = $1 AND $1 IS NOT NULL) OR (phone = $2 AND $2 IS NOT NULL) ORDER BY id LIMIT 1",
    )
    .bind(email)
    .bind(phone)
    .fetch_optional(db)
    .await
}

pub async fn is_member(db: &Db, user_id: i64, company_id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM memberships WHERE user_id = $1 AND company_id = $2",
    )
    .bind(user_id)
    .bind(company_id)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Whether the user administers this company on the customer's side.
pub async fn is_company_admin(db: &Db, user_id: i64, company_id: i64) -> sqlx::Result<bool> {
    let flag: Option<i64> =
        sqlx::query_scalar("SELECT CAST(is_company_admin AS BIGINT) FROM memberships WHERE user_id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(company_id)
            .fetch_optional(db)
            .await?;
    Ok(flag == Some(1))
}

/// Companies the user administers (customer admins may invite colleagues there).
pub async fn administered_companies(db: &Db, user_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT c.id, c.name FROM memberships m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 AND m.is_company_admin = 1 AND c.deleted_at IS NULL ORDER BY c.name_search, c.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

pub async fn set_ticket_scope(db: &Db, user_id: i64, scope: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET ticket_scope = $1, updated_at = $2 WHERE id = $3")
        .bind(scope)
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_active<'e, E>(
    executor: E,
    user_id: i64,
    active: bool,
    now: i64,
) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE users SET is_active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// The invitation's greeting: the user's name and the companies they were invited to.
pub async fn invitation_subject(
    db: &Db,
    user_id: i64,
) -> sqlx::Result<Option<(String, Option<String>, Option<String>, String)>> {
    let user: Option<(String, Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT full_name, email, phone, language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(user)
}

pub async fn company_names(db: &Db, user_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT c.name FROM memberships m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 AND c.deleted_at IS NULL ORDER BY c.name_search",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// What a session needs to act as a user.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ActorRow {
    pub id: i64,
    pub role: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub reseller_id: Option<i64>,
    pub ticket_scope: String,
    pub is_active: i64,
}

pub async fn actor_row(db: &Db, user_id: i64) -> sqlx::Result<Option<ActorRow>> {
    sqlx::query_as::<_, ActorRow>(
        "SELECT id, role, full_name, email, phone, language, reseller_id, ticket_scope, CAST(is_active AS BIGINT) AS is_active \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}
