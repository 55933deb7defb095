//! Read models for the first lists: customer companies, tickets and the home figures,
//! always filtered by the caller's scope inside the query.

use super::Db;
use crate::domain::policy::{CompanyScope, TicketScope};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

/// A WHERE fragment over `c` (companies) and the values it binds, numbered from `first`.
pub(super) fn company_filter(scope: &CompanyScope, first: usize) -> (String, Vec<i64>) {
    match scope {
        CompanyScope::All => ("1 = 1".into(), vec![]),
        CompanyScope::Nothing => ("1 = 0".into(), vec![]),
        CompanyScope::Reseller(reseller) => (format!("c.reseller_id = ${first}"), vec![*reseller]),
        CompanyScope::Companies(ids) => in_list("c.id", ids, first),
    }
}

/// `column IN (…)` over the ids (none: nothing), numbered from `first`.
pub(super) fn in_list(column: &str, ids: &[i64], first: usize) -> (String, Vec<i64>) {
    if ids.is_empty() {
        return ("1 = 0".into(), vec![]);
    }
    let placeholders = (0..ids.len())
        .map(|i| format!("${}", first + i))
        .collect::<Vec<_>>()
        .join(", ");
    (format!("{column} IN ({placeholders})"), ids.to_vec())
}

pub(super) fn ticket_filter(scope: &TicketScope, first: usize) -> (String, Vec<i64>) {
    match scope {
        // On the ticket's own column, so a company's tickets are walked by its index.
        TicketScope::Companies(CompanyScope::Companies(ids)) => in_list("t.company_id", ids, first),
        TicketScope::Companies(companies) => company_filter(companies, first),
        TicketScope::Performer(user_id) => (
            format!("EXISTS (SELECT 1 FROM ticket_performers p WHERE p.ticket_id = t.id AND p.user_id = ${first})"),
            vec![*user_id],
        ),
        TicketScope::Own { user_id, companies } => {
            let (company_sql, mut values) = in_list("t.company_id", companies, first + 1);
            values.insert(0, *user_id);
            (format!("t.created_by = ${first} AND {company_sql}"), values)
        }
        TicketScope::Scanned(user_id) => (
            format!("t.equipment_id IN (SELECT ue.equipment_id FROM user_equipment ue WHERE ue.user_id = ${first})"),
            vec![*user_id],
        ),
    }
}

pub(super) fn bind_all<'q, O>(
    mut query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    values: Vec<i64>,
) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
    for value in values {
        query = query.bind(value);
    }
    query
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CompanyUserRow {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_company_admin: i64,
    pub is_active: i64,
    pub has_password: i64,
}

/// The users of one company (the caller has checked the company is in scope).
pub async fn company_users(db: &Db, company_id: i64) -> sqlx::Result<Vec<CompanyUserRow>> {
    sqlx::query_as::<_, CompanyUserRow>(
        "SELECT u.id, u.full_name, u.email, u.phone, CAST(m.is_company_admin AS BIGINT) AS is_company_admin, \
                CAST(u.is_active AS BIGINT) AS is_active, \
                CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password \
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 ORDER BY u.full_name_search, u.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CompanyTicketRow {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub stage: String,
    pub created_at: i64,
}

pub async fn company_tickets(
    db: &Db,
    company_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<CompanyTicketRow>> {
    sqlx::query_as::<_, CompanyTicketRow>(
        "SELECT id, number, subject, stage, created_at FROM tickets WHERE company_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(company_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn company_equipment(db: &Db, company_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, name FROM equipment WHERE company_id = $1 AND retired_at IS NULL ORDER BY name_search, id LIMIT 200",
    )
    .bind(company_id)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub at: i64,
    pub action: String,
    pub actor_name: Option<String>,
    pub detail: Option<String>,
}

pub async fn company_history(
    db: &Db,
    company_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as::<_, HistoryRow>(
        "SELECT a.at, a.action, u.full_name AS actor_name, a.detail FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_user_id WHERE a.company_id = $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(company_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct Figures {
    pub open_tickets: i64,
    pub companies: i64,
    pub equipment: i64,
}

/// The home page's figures for a scope.
pub async fn figures(
    db: &Db,
    companies: &CompanyScope,
    tickets: &TicketScope,
) -> sqlx::Result<Figures> {
    let (ticket_where, ticket_values) = ticket_filter(tickets, 1);
    let open_tickets = bind_all(
        sqlx::query_as::<_, (i64,)>(&format!(
            "SELECT COUNT(*) FROM tickets t JOIN companies c ON c.id = t.company_id \
             WHERE c.deleted_at IS NULL AND {ticket_where} AND t.stage IN ('new', 'approval', 'in_work', 'work_completed')"
        )),
        ticket_values,
    )
    .fetch_one(db)
    .await?
    .0;
    let (company_where, company_values) = company_filter(companies, 1);
    let company_count = bind_all(
        sqlx::query_as::<_, (i64,)>(&format!(
            "SELECT COUNT(*) FROM companies c WHERE c.kind = 'customer' AND c.deleted_at IS NULL AND {company_where}"
        )),
        company_values.clone(),
    )
    .fetch_one(db)
    .await?
    .0;
    let equipment = bind_all(
        sqlx::query_as::<_, (i64,)>(&format!(
            "SELECT COUNT(*) FROM equipment e JOIN companies c ON c.id = e.company_id \
             WHERE e.retired_at IS NULL AND c.deleted_at IS NULL AND {company_where}"
        )),
        company_values,
    )
    .fetch_one(db)
    .await?
    .0;
    Ok(Figures {
        open_tickets,
        companies: company_count,
        equipment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_number_their_placeholders_from_the_given_start() {
        assert_eq!(
            company_filter(&CompanyScope::Companies(vec![5, 9]), 4),
            ("c.id IN ($4, $5)".into(), vec![5, 9])
        );
        assert_eq!(
            company_filter(&CompanyScope::Reseller(3), 2),
            ("c.reseller_id = $2".into(), vec![3])
        );
        assert_eq!(company_filter(&CompanyScope::Nothing, 1).0, "1 = 0");
        assert_eq!(
            company_filter(&CompanyScope::Companies(vec![]), 1).0,
            "1 = 0"
        );
        assert_eq!(
            ticket_filter(&TicketScope::Companies(CompanyScope::Companies(vec![7])), 2),
            ("t.company_id IN ($2)".into(), vec![7])
        );
        assert_eq!(
            ticket_filter(
                &TicketScope::Own {
                    user_id: 4,
                    companies: vec![7, 8]
                },
                1
            ),
            (
                "t.created_by = $1 AND t.company_id IN ($2, $3)".into(),
                vec![4, 7, 8]
            )
        );
        assert!(ticket_filter(&TicketScope::Performer(8), 3)
            .0
            .contains("p.user_id = $3"));
    }
}
