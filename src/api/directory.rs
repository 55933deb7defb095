//! Read-only lists: the home figures and the outbox. Each query is filtered by the caller's scope from the policy.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

pub const PAGE_SIZE: i64 = 50;

/// A page of a list and the cursor of the next page, if there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeStats {
    pub open_tickets: i64,
    /// `None` when the user may not list companies.
    pub companies: Option<i64>,
    pub equipment: Option<i64>,
    /// Admins only.
    pub outbox: Option<i64>,
}

#[server(endpoint = "home_figures")]
pub async fn home_figures() -> Result<HomeStats, AppError> {
    use crate::domain::policy::{allowed, company_scope, ticket_scope, Page, Permission};
    use crate::server::db::{directory, outbox};
    async {
        let state = ctx::state()?;
        let request = ctx::request()?;
        let actor = ctx::authorize(&request, Permission::OpenPage(Page::Home))?;
        let figures =
            directory::figures(&state.db, &company_scope(&actor), &ticket_scope(&actor)).await?;
        let outbox = if allowed(&actor, Permission::ReadOutbox) {
            Some(outbox::count(&state.db).await?)
        } else {
            None
        };
        let sees_companies = allowed(&actor, Permission::ListCompanies);
        Ok(HomeStats {
            open_tickets: figures.open_tickets,
            companies: sees_companies.then_some(figures.companies),
            equipment: sees_companies.then_some(figures.equipment),
            outbox,
        })
    }
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

#[server(endpoint = "list_outbox")]
pub async fn list_outbox(before: Option<i64>) -> Result<Paged<OutboxItem, i64>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::outbox;
    async {
        let state = ctx::state()?;
        let request = ctx::request()?;
        ctx::authorize(&request, Permission::ReadOutbox)?;
        let rows = outbox::list(&state.db, before, PAGE_SIZE + 1).await?;
        let more = rows.len() as i64 > PAGE_SIZE;
        let items: Vec<OutboxItem> = rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|r| OutboxItem {
                id: r.id,
                channel: r.channel,
                recipient: r.recipient,
                subject: r.subject,
                body: r.body,
                status: r.status,
                created_at: r.created_at,
            })
            .collect();
        let next = if more {
            items.last().map(|i| i.id)
        } else {
            None
        };
        Ok(Paged { items, next })
    }
    .await
}
