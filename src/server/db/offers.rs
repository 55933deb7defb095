//! The catalog of offers (admin-managed) and subscriptions to them.

use super::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OfferRow {
    pub id: i64,
    pub name: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub billing_period: String,
    pub is_active: i64,
}

pub async fn list(db: &Db, active_only: bool) -> sqlx::Result<Vec<OfferRow>> {
    sqlx::query_as::<_, OfferRow>(
        "SELECT id, name, unit_price_minor, currency, billing_period, CAST(is_active AS BIGINT) AS is_active FROM offers \
         WHERE is_active = 1 OR $1 = 0 ORDER BY name, id",
    )
    .bind(i64::from(active_only))
    .fetch_all(db)
    .await
}

pub async fn create(
    db: &Db,
    name: &str,
    unit_price_minor: i64,
    currency: &str,
    billing_period: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO offers (name, unit_price_minor, currency, billing_period, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(name)
    .bind(unit_price_minor)
    .bind(currency)
    .bind(billing_period)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> sqlx::Result<bool> {
    let result = sqlx::query("UPDATE offers SET is_active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The active offers among `ids` (to refuse a draft that names an unknown or retired offer).
pub async fn active_ids(db: &Db) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM offers WHERE is_active = 1")
        .fetch_all(db)
        .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: i64,
    pub offer_name: String,
    pub licences: i64,
    pub unit_price_minor: i64,
    pub currency: String,
    pub billing_period: String,
    pub status: String,
}

pub async fn subscriptions_of(db: &Db, company_id: i64) -> sqlx::Result<Vec<SubscriptionRow>> {
    sqlx::query_as::<_, SubscriptionRow>(
        "SELECT s.id, o.name AS offer_name, s.licences, o.unit_price_minor, o.currency, o.billing_period, s.status \
         FROM subscriptions s JOIN offers o ON o.id = s.offer_id WHERE s.company_id = $1 ORDER BY s.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await
}
