//! Customer companies: the clients list, details, edits, delete/restore, the add-customer
//! wizard and the catalog of offers. Authorisation lives in `server::services::customers`
//! (each function there starts with the policy) and, for the catalog, here.

use super::directory::Paged;
use crate::domain::company::{AccountDetails, CustomerDraft};
use crate::domain::ticket::Stage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyItem {
    pub id: i64,
    pub name: String,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub reseller: Option<String>,
    pub status: String,
    pub deleted: bool,
    pub open_tickets: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[server(endpoint = "list_companies")]
pub async fn list_companies(
    #[server(default)] search: String,
    #[server(default)] reseller: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
    cursor: Option<String>,
) -> Result<Paged<CompanyItem, String>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers::{self, ListParams};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListCompanies)?;
    let params = ListParams {
        search: &search,
        reseller: &reseller,
        status: &status,
        sort: &sort,
        cursor: cursor.as_deref(),
    };
    let (rows, next) = customers::list(&state, &actor, &params).await?;
    Ok(Paged {
        items: rows
            .into_iter()
            .map(|r| CompanyItem {
                id: r.id,
                name: r.name,
                tax_id: r.tax_id,
                email: r.email,
                phone: r.phone,
                city: r.city,
                reseller: r.reseller_name,
                status: r.status,
                deleted: r.deleted_at.is_some(),
                open_tickets: r.open_tickets,
            })
            .collect(),
        next,
    })
}

/// Resellers, for the staff's filter and the wizard's step 3 (not shown to resellers).
#[server(endpoint = "list_resellers")]
pub async fn list_resellers() -> Result<Vec<Choice>, AppError> {
    use crate::domain::policy::Permission;
    use crate::domain::role::Role;
    use crate::server::db::companies;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListCompanies)?;
    if actor.role == Role::Reseller {
        return Err(AppError::Forbidden);
    }
    Ok(companies::resellers(&state.db)
        .await?
        .into_iter()
        .map(|r| Choice {
            id: r.id,
            name: r.name,
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyUser {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_company_admin: bool,
    pub active: bool,
    pub invited: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionItem {
    pub offer: String,
    pub licences: i64,
    pub unit_price_minor: i64,
    pub currency: String,
    pub billing_period: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyTicket {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub stage: Stage,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub at: i64,
    pub action: String,
    pub actor: Option<String>,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: i64,
    pub account: AccountDetails,
    pub reseller: Option<String>,
    pub agreement_accepted_by: Option<String>,
    pub agreement_accepted_email: Option<String>,
    pub agreement_accepted_at: Option<i64>,
    pub agreement_version: Option<String>,
    pub status: String,
    pub deleted: bool,
    pub created_at: i64,
    pub can_manage: bool,
    pub can_restore: bool,
    pub users: Vec<CompanyUser>,
    pub subscriptions: Vec<SubscriptionItem>,
    pub tickets: Vec<CompanyTicket>,
    pub equipment: Vec<Choice>,
    pub history: Vec<HistoryItem>,
}

#[server(endpoint = "get_company")]
pub async fn get_company(id: i64) -> Result<CompanyView, AppError> {
    use crate::domain::policy::{self, Permission};
    use crate::server::db::{directory, offers};
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ListCompanies)?;
    let r = customers::visible_company(&state, &actor, id).await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let account = AccountDetails {
        legal_name: r.name.clone(),
        tax_id: s(&r.tax_id),
        country: s(&r.country),
        region: s(&r.region),
        city: s(&r.city),
        street: s(&r.street),
        postal_code: s(&r.postal_code),
        phone: s(&r.phone),
        email: s(&r.email),
        website: s(&r.website),
        contact_first_name: s(&r.contact_first_name),
        contact_last_name: s(&r.contact_last_name),
        contact_email: s(&r.contact_email),
        contact_phone: s(&r.contact_phone),
    };
    let users = directory::company_users(&state.db, id)
        .await?
        .into_iter()
        .map(|u| CompanyUser {
            id: u.id,
            full_name: u.full_name,
            email: u.email,
            phone: u.phone,
            is_company_admin: u.is_company_admin == 1,
            active: u.is_active == 1,
            invited: u.has_password == 0,
        })
        .collect();
    let subscriptions = offers::subscriptions_of(&state.db, id)
        .await?
        .into_iter()
        .map(|s| SubscriptionItem {
            offer: s.offer_name,
            licences: s.licences,
            unit_price_minor: s.unit_price_minor,
            currency: s.currency,
            billing_period: s.billing_period,
        })
        .collect();
    let tickets = directory::company_tickets(&state.db, id, 20)
        .await?
        .into_iter()
        .filter_map(|t| {
            Some(CompanyTicket {
                stage: Stage::from_code(&t.stage)?,
                id: t.id,
                number: t.number,
                subject: t.subject,
                created_at: t.created_at,
            })
        })
        .collect();
    let equipment = directory::company_equipment(&state.db, id)
        .await?
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect();
    let history = directory::company_history(&state.db, id, 50)
        .await?
        .into_iter()
        .map(|h| HistoryItem {
            at: h.at,
            action: h.action,
            actor: h.actor_name,
            detail: h.detail,
        })
        .collect();
    Ok(CompanyView {
        id: r.id,
        account,
        reseller: r.reseller_name.clone(),
        agreement_accepted_by: r.agreement_accepted_by.clone(),
        agreement_accepted_email: r.agreement_accepted_email.clone(),
        agreement_accepted_at: r.agreement_accepted_at,
        agreement_version: r.agreement_version.clone(),
        status: r.status.clone(),
        deleted: r.deleted_at.is_some(),
        created_at: r.created_at,
        can_manage: policy::allowed(&actor, Permission::ManageCustomers)
            && policy::can_manage_company(&actor, r.reseller_id),
        can_restore: policy::allowed(&actor, Permission::RestoreCustomers),
        users,
        subscriptions,
        tickets,
        equipment,
        history,
    })
}

#[server(endpoint = "update_company_general", input = Json)]
pub async fn update_company_general(id: i64, account: AccountDetails) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    customers::update_general(&state, &actor, id, &account).await
}

#[server(endpoint = "update_company_address", input = Json)]
pub async fn update_company_address(id: i64, account: AccountDetails) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    customers::update_address(&state, &actor, id, &account).await
}

#[server(endpoint = "delete_company")]
pub async fn delete_company(id: i64, confirm_name: String) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    customers::delete(&state, &actor, id, &confirm_name).await
}

#[server(endpoint = "restore_company")]
pub async fn restore_company(id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::RestoreCustomers)?;
    customers::restore(&state, &actor, id).await
}

// ------------------------------------------------------------------ the wizard

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferItem {
    pub id: i64,
    pub name: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub billing_period: String,
    pub active: bool,
}

#[cfg(feature = "ssr")]
impl From<crate::server::db::offers::OfferRow> for OfferItem {
    fn from(o: crate::server::db::offers::OfferRow) -> Self {
        OfferItem {
            id: o.id,
            name: o.name,
            unit_price_minor: o.unit_price_minor,
            currency: o.currency,
            billing_period: o.billing_period,
            active: o.is_active == 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateItem {
    pub company_id: i64,
    /// `None` when the company is outside the user's scope.
    pub name: Option<String>,
    pub same_tax_id: bool,
    pub same_email: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    /// The furthest step reached.
    pub reached: i64,
    pub draft: CustomerDraft,
    pub offers: Vec<OfferItem>,
    /// Empty for a reseller user (fixed to their reseller).
    pub resellers: Vec<Choice>,
    pub reseller_fixed: bool,
    pub duplicates: Vec<DuplicateItem>,
}

#[server(endpoint = "start_customer_draft")]
pub async fn start_customer_draft() -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    let id = customers::start_draft(&state, &actor).await?;
    if ctx::is_plain_form_post() {
        ctx::redirect(&format!("/customers/new/{id}/1"));
    }
    Ok(id)
}

#[server(endpoint = "get_customer_draft")]
pub async fn get_customer_draft(id: i64) -> Result<DraftView, AppError> {
    use crate::domain::policy::Permission;
    use crate::domain::role::Role;
    use crate::server::db::{companies, offers};
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    let (reached, draft) = customers::get_draft(&state, &actor, id).await?;
    let offers = offers::list(&state.db, true)
        .await?
        .into_iter()
        .map(OfferItem::from)
        .collect();
    let reseller_fixed = actor.role == Role::Reseller;
    let resellers = if reseller_fixed {
        vec![]
    } else {
        companies::resellers(&state.db)
            .await?
            .into_iter()
            .map(|r| Choice {
                id: r.id,
                name: r.name,
            })
            .collect()
    };
    let duplicates = if draft.account.tax_id.is_empty() {
        vec![]
    } else {
        customers::duplicates(&state, &actor, &draft)
            .await?
            .into_iter()
            .map(|m| DuplicateItem {
                company_id: m.company_id,
                name: m.name,
                same_tax_id: m.same_tax_id,
                same_email: m.same_email,
            })
            .collect()
    };
    Ok(DraftView {
        id,
        reached,
        draft,
        offers,
        resellers,
        reseller_fixed,
        duplicates,
    })
}

/// Saves one step of the draft; returns the next step.
#[server(endpoint = "save_customer_draft", input = Json)]
pub async fn save_customer_draft(
    id: i64,
    step: i64,
    draft: CustomerDraft,
) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    customers::save_step(&state, &actor, id, step, &draft).await
}

/// Creates the customer; returns its id.
#[server(endpoint = "submit_customer_draft")]
pub async fn submit_customer_draft(id: i64) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::customers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    customers::submit(&state, &actor, id).await
}

// ------------------------------------------------------------------ the catalog

#[server(endpoint = "list_offers")]
pub async fn list_offers() -> Result<Vec<OfferItem>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::offers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    ctx::authorize(&request, Permission::ManageCatalog)?;
    Ok(offers::list(&state.db, false)
        .await?
        .into_iter()
        .map(OfferItem::from)
        .collect())
}

/// Adds an offer. The price is typed as text ("1 500,00") and kept in minor units.
#[server(endpoint = "create_offer")]
pub async fn create_offer(
    name: String,
    price: String,
    currency: String,
    billing_period: String,
) -> Result<i64, AppError> {
    use crate::domain::money::parse_amount;
    use crate::domain::policy::Permission;
    use crate::domain::validate::{self, FieldErrors, Problem};
    use crate::server::db::{self, audit, offers};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCatalog)?;
    let mut errors = FieldErrors::new();
    let name = errors.check("offer_name", validate::text(&name, 120));
    let price = errors.check("offer_price", parse_amount(&price));
    let currency = errors.check(
        "offer_currency",
        ["RUB", "USD", "EUR"]
            .contains(&currency.as_str())
            .then_some(currency)
            .ok_or(Problem::UnknownChoice),
    );
    let period = errors.check(
        "offer_period",
        ["one_time", "monthly", "yearly"]
            .contains(&billing_period.as_str())
            .then_some(billing_period)
            .ok_or(Problem::UnknownChoice),
    );
    let (Some(name), Some(price), Some(currency), Some(period)) = (name, price, currency, period)
    else {
        return Err(errors.into());
    };
    let now = db::now();
    let id = offers::create(&state.db, &name, price, &currency, &period, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            action: "offer_created",
            object_type: Some("offer"),
            object_id: Some(id),
            detail: Some(&name),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(id)
}

#[server(endpoint = "set_offer_active")]
pub async fn set_offer_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::offers;
    let state = ctx::state()?;
    let request = ctx::request()?;
    ctx::authorize(&request, Permission::ManageCatalog)?;
    if offers::set_active(&state.db, id, active).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

// ------------------------------------------------------------------ relationships

/// A reseller asks an existing customer to be linked to it (an e-mail to its admins).
#[server(endpoint = "request_relationship")]
pub async fn request_relationship(company_id: i64) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::relationships;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ManageCustomers)?;
    Ok(relationships::request(&state, &actor, company_id).await? as i64)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipView {
    pub company: String,
    pub reseller: String,
}

#[server(endpoint = "check_relationship")]
pub async fn check_relationship(token: String) -> Result<Option<RelationshipView>, AppError> {
    use crate::server::services::relationships;
    // Public: the token itself shows only the two names; deciding needs the company's admin.
    let state = ctx::state()?;
    Ok(relationships::check(&state, &token)
        .await?
        .map(|(company, reseller)| RelationshipView { company, reseller }))
}

#[server(endpoint = "decide_relationship")]
pub async fn decide_relationship(token: String, accept: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::relationships;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    relationships::decide(&state, &actor, &token, accept).await
}
