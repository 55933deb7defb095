//! Customer companies: the clients list, details and edits, delete and restore, and the
//! add-customer wizard with its server-side draft. Every function takes the actor and
//! checks the company against the policy; a company outside the actor's scope answers
//! "not found", so that its existence is not revealed either.

use crate::domain::company::{self, AccountDetails, CustomerDraft};
use crate::domain::policy::{self, company_scope, Actor, Permission};
use crate::domain::role::Role;
use crate::domain::validate::{FieldErrors, Problem};
use crate::error::AppError;
use crate::server::db::companies::{self, CompanyRecord, Cursor, ListQuery, ListRow, Sort, Status};
use crate::server::db::{self, audit, drafts, offers};
use crate::server::state::AppState;

pub const PAGE_SIZE: i64 = 50;

/// The clients list's filters, as the browser sends them.
pub struct ListParams<'a> {
    pub search: &'a str,
    /// `""` any, `"direct"` without reseller, or a reseller id.
    pub reseller: &'a str,
    /// `active`, `suspended`, `deleted` or `""` (all live ones).
    pub status: &'a str,
    /// `name` or `newest`.
    pub sort: &'a str,
    pub cursor: Option<&'a str>,
}

fn encode_cursor(row: &ListRow, sort: Sort) -> String {
    match sort {
        Sort::Name => format!("n:{}:{}", row.id, row.name_search),
        Sort::Newest => format!("t:{}:{}", row.created_at, row.id),
    }
}

fn decode_cursor(cursor: &str) -> Option<Cursor> {
    let (kind, rest) = cursor.split_once(':')?;
    let (a, b) = rest.split_once(':')?;
    match kind {
        "n" => Some(Cursor::Name(b.to_owned(), a.parse().ok()?)),
        "t" => Some(Cursor::Newest(a.parse().ok()?, b.parse().ok()?)),
        _ => None,
    }
}

/// One page of the clients list and the cursor of the next.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    params: &ListParams<'_>,
) -> Result<(Vec<ListRow>, Option<String>), AppError> {
    policy::require(Some(actor), Permission::ListCompanies)?;
    let status = match params.status {
        "" => Status::Any,
        "active" => Status::Active,
        "suspended" => Status::Suspended,
        "deleted" => {
            policy::require(Some(actor), Permission::RestoreCustomers)?;
            Status::Deleted
        }
        _ => return Err(AppError::field("status", Problem::UnknownChoice)),
    };
    let sort = match params.sort {
        "" | "name" => Sort::Name,
        "newest" => Sort::Newest,
        _ => return Err(AppError::field("sort", Problem::UnknownChoice)),
    };
    // Resellers are confined by their scope; the filter is the staff's.
    let (reseller, direct_only) = match (actor.role, params.reseller) {
        (Role::Reseller, _) | (_, "") => (None, false),
        (_, "direct") => (None, true),
        (_, id) => (
            Some(
                id.parse::<i64>()
                    .map_err(|_| AppError::field("reseller", Problem::UnknownChoice))?,
            ),
            false,
        ),
    };
    if params.search.chars().count() > 100 {
        return Err(AppError::field("search", Problem::TooLong { max: 100 }));
    }
    let after = match params.cursor.filter(|c| !c.is_empty()) {
        Some(c) => Some(decode_cursor(c).ok_or(AppError::field("cursor", Problem::InvalidFormat))?),
        None => None,
    };
    let scope = company_scope(actor);
    let mut rows = companies::list(
        &state.db,
        &ListQuery {
            scope: &scope,
            search: params.search,
            reseller,
            direct_only,
            status,
            sort,
            after,
            limit: PAGE_SIZE + 1,
        },
    )
    .await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| encode_cursor(r, sort))
    } else {
        None
    };
    Ok((rows, next))
}

/// A company the actor may see, else `NotFound`. Deleted companies only for admins.
pub async fn visible_company(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<CompanyRecord, AppError> {
    let record = companies::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let deleted_visible =
        record.deleted_at.is_none() || policy::allowed(actor, Permission::RestoreCustomers);
    if !policy::can_see_company(actor, record.id, record.reseller_id) || !deleted_visible {
        return Err(AppError::NotFound);
    }
    Ok(record)
}

/// A company the actor may change, else `NotFound`/`Forbidden`.
pub async fn managed_company(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<CompanyRecord, AppError> {
    policy::require(Some(actor), Permission::ManageCustomers)?;
    let record = visible_company(state, actor, id).await?;
    if !policy::can_manage_company(actor, record.reseller_id) {
        return Err(AppError::Forbidden);
    }
    Ok(record)
}

fn account_of(record: &CompanyRecord) -> AccountDetails {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    AccountDetails {
        legal_name: record.name.clone(),
        tax_id: s(&record.tax_id),
        country: s(&record.country),
        region: s(&record.region),
        city: s(&record.city),
        street: s(&record.street),
        postal_code: s(&record.postal_code),
        phone: s(&record.phone),
        email: s(&record.email),
        website: s(&record.website),
        contact_first_name: s(&record.contact_first_name),
        contact_last_name: s(&record.contact_last_name),
        contact_email: s(&record.contact_email),
        contact_phone: s(&record.contact_phone),
    }
}

/// Only the errors of the given fields (a tab validates its own fields).
fn errors_within(errors: FieldErrors, fields: &[&str]) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .filter(|e| fields.contains(&e.field.as_str()))
            .collect(),
    )
}

/// Saves the General tab (the address stays as stored).
pub async fn update_general(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &AccountDetails,
) -> Result<(), AppError> {
    let record = managed_company(state, actor, id).await?;
    let stored = account_of(&record);
    let merged = AccountDetails {
        country: stored.country,
        region: stored.region,
        city: stored.city,
        street: stored.street,
        postal_code: stored.postal_code,
        ..input.clone()
    };
    let clean = match merged.validated() {
        Ok(clean) => clean,
        Err(errors) => {
            let own = errors_within(errors, &company::GENERAL_FIELDS);
            // The stored address may predate today's rules; only this tab's fields count here.
            if !own.is_empty() {
                return Err(own.into());
            }
            clean_without_checks(&merged)
        }
    };
    let now = db::now();
    companies::update_general(&state.db, id, &clean, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(id),
            action: "customer_general_updated",
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

fn clean_without_checks(a: &AccountDetails) -> AccountDetails {
    let t = |s: &str| s.trim().to_owned();
    AccountDetails {
        legal_name: t(&a.legal_name),
        tax_id: t(&a.tax_id),
        country: t(&a.country),
        region: t(&a.region),
        city: t(&a.city),
        street: t(&a.street),
        postal_code: t(&a.postal_code),
        phone: t(&a.phone),
        email: t(&a.email).to_lowercase(),
        website: t(&a.website),
        contact_first_name: t(&a.contact_first_name),
        contact_last_name: t(&a.contact_last_name),
        contact_email: t(&a.contact_email).to_lowercase(),
        contact_phone: t(&a.contact_phone),
    }
}

/// Saves the Address tab.
pub async fn update_address(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &AccountDetails,
) -> Result<(), AppError> {
    let record = managed_company(state, actor, id).await?;
    let mut errors = FieldErrors::new();
    let country = errors
        .check(
            "country",
            company::COUNTRIES
                .iter()
                .find(|(c, _)| *c == input.country)
                .map(|(c, _)| c.to_string())
                .ok_or(Problem::UnknownChoice),
        )
        .unwrap_or_default();
    let region = errors
        .check(
            "region",
            crate::domain::validate::optional(&input.region, |v| {
                crate::domain::validate::text(v, 120)
            }),
        )
        .flatten()
        .unwrap_or_default();
    let city = errors
        .check("city", crate::domain::validate::text(&input.city, 120))
        .unwrap_or_default();
    let street = errors
        .check("street", crate::domain::validate::text(&input.street, 200))
        .unwrap_or_default();
    let postal_code = errors
        .check(
            "postal_code",
            company::postal_code(&country, &input.postal_code),
        )
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let clean = AccountDetails {
        country,
        region,
        city,
        street,
        postal_code,
        ..account_of(&record)
    };
    let now = db::now();
    companies::update_address(&state.db, id, &clean, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(id),
            action: "customer_address_updated",
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// Deletes after the user typed the company's name: access ends at once, records stay.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: i64,
    typed_name: &str,
) -> Result<(), AppError> {
    let record = managed_company(state, actor, id).await?;
    if record.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if typed_name.trim() != record.name {
        return Err(AppError::field(
            "confirm_name",
            Problem::ConfirmationMismatch,
        ));
    }
    let now = db::now();
    companies::soft_delete(&state.db, id, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(id),
            action: "customer_deleted",
            detail: Some(&record.name),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn restore(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::RestoreCustomers)?;
    let record = visible_company(state, actor, id).await?;
    if record.deleted_at.is_none() {
        return Ok(());
    }
    let now = db::now();
    companies::restore(&state.db, id, now).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(id),
            action: "customer_restored",
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- the wizard

pub async fn start_draft(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::ManageCustomers)?;
    let mut draft = CustomerDraft::default();
    draft.account.country = "RU".into();
    draft.agreement.version = company::AGREEMENT_VERSIONS[0].into();
    // A reseller's customer always belongs to that reseller.
    if actor.role == Role::Reseller {
        draft.reseller_id = actor.reseller_id;
    }
    let data = serde_json::to_string(&draft).map_err(|_| AppError::Internal)?;
    Ok(drafts::create(&state.db, actor.user_id, &data, db::now()).await?)
}

/// The draft and the furthest step reached; only its owner can open it.
pub async fn get_draft(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(i64, CustomerDraft), AppError> {
    policy::require(Some(actor), Permission::ManageCustomers)?;
    let row = drafts::get(&state.db, id, actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = serde_json::from_str::<CustomerDraft>(&row.data).map_err(|error| {
        tracing::error!(%error, draft = id, "unreadable draft");
        AppError::Internal
    })?;
    Ok((row.step, draft))
}

/// Validates one step, stores it, and returns the step to show next.
pub async fn save_step(
    state: &AppState,
    actor: &Actor,
    id: i64,
    step: i64,
    input: &CustomerDraft,
) -> Result<i64, AppError> {
    let (reached, mut draft) = get_draft(state, actor, id).await?;
    // A step cannot be saved before the ones it follows.
    if !(1..=reached.min(4)).contains(&step) {
        return Err(AppError::field("step", Problem::UnknownChoice));
    }
    match step {
        1 => draft.account = input.account.validated()?,
        2 => draft.agreement = input.agreement.validated()?,
        3 => {
            draft.reseller_id = match actor.role {
                Role::Reseller => actor.reseller_id,
                _ => match input.reseller_id {
                    Some(r) if companies::reseller_exists(&state.db, r).await? => Some(r),
                    Some(_) => return Err(AppError::field("reseller_id", Problem::UnknownChoice)),
                    None => None,
                },
            }
        }
        4 => {
            let lines = company::validate_subscriptions(&input.subscriptions)?;
            let active = offers::active_ids(&state.db).await?;
            if let Some(unknown) = lines.iter().find(|l| !active.contains(&l.offer_id)) {
                return Err(AppError::field(
                    &format!("licences-{}", unknown.offer_id),
                    Problem::UnknownChoice,
                ));
            }
            draft.subscriptions = lines;
        }
        _ => return Err(AppError::field("step", Problem::UnknownChoice)),
    }
    let next = (step + 1).min(5);
    let data = serde_json::to_string(&draft).map_err(|_| AppError::Internal)?;
    drafts::save(
        &state.db,
        id,
        actor.user_id,
        reached.max(next),
        &data,
        db::now(),
    )
    .await?;
    Ok(next)
}

/// An existing company that matches the draft's tax id or e-mail. Outside the actor's
/// scope only the fact is told, not the name.
#[derive(Clone, Debug)]
pub struct Match {
    pub company_id: i64,
    pub name: Option<String>,
    pub same_tax_id: bool,
    pub same_email: bool,
}

pub async fn duplicates(
    state: &AppState,
    actor: &Actor,
    draft: &CustomerDraft,
) -> Result<Vec<Match>, AppError> {
    let rows =
        companies::duplicates(&state.db, &draft.account.tax_id, &draft.account.email).await?;
    Ok(rows
        .into_iter()
        .map(|d| Match {
            company_id: d.id,
            name: policy::can_see_company(actor, d.id, d.reseller_id).then_some(d.name),
            same_tax_id: d.tax_id.as_deref() == Some(draft.account.tax_id.as_str()),
            same_email: d.email.as_deref() == Some(draft.account.email.as_str()),
        })
        .collect())
}

/// Creates the company from a complete draft. Refuses while a duplicate exists.
pub async fn submit(state: &AppState, actor: &Actor, id: i64) -> Result<i64, AppError> {
    let (reached, draft) = get_draft(state, actor, id).await?;
    if reached < 5 {
        return Err(AppError::field("step", Problem::Required));
    }
    // Everything again: the draft may be older than today's rules or catalog.
    let account = draft.account.validated()?;
    let agreement = draft.agreement.validated()?;
    let subscriptions = company::validate_subscriptions(&draft.subscriptions)?;
    let reseller_id = if actor.role == Role::Reseller {
        actor.reseller_id
    } else {
        draft.reseller_id
    };
    if !duplicates(
        state,
        actor,
        &CustomerDraft {
            account: account.clone(),
            ..draft.clone()
        },
    )
    .await?
    .is_empty()
    {
        return Err(AppError::field("duplicate", Problem::Taken));
    }
    let accepted_at = date_to_unix(&agreement.accepted_on)
        .ok_or(AppError::field("accepted_on", Problem::InvalidFormat))?;
    let now = db::now();
    let company_id = companies::create(
        &state.db,
        &account,
        &agreement,
        accepted_at,
        reseller_id,
        &subscriptions,
        now,
    )
    .await?;
    drafts::delete(&state.db, id, actor.user_id).await?;
    audit::record(
        &state.db,
        &audit::Entry {
            actor_user_id: Some(actor.user_id),
            company_id: Some(company_id),
            action: "customer_created",
            detail: Some(&account.legal_name),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(company_id)
}

/// `YYYY-MM-DD` → seconds at midnight UTC.
fn date_to_unix(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>());
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    // days from civil (Howard Hinnant)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(
            decode_cursor("n:42:ромашка: ооо"),
            Some(Cursor::Name("ромашка: ооо".into(), 42))
        );
        assert_eq!(
            decode_cursor("t:1700000000:7"),
            Some(Cursor::Newest(1_700_000_000, 7))
        );
        for bad in ["", "x:1:2", "n:abc:x", "t:1", "t:a:b"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_become_midnight_utc() {
        assert_eq!(date_to_unix("1970-01-01"), Some(0));
        assert_eq!(date_to_unix("2026-11-22"), Some(1_795_305_600));
        assert_eq!(
            crate::domain::time::format_date(date_to_unix("2024-02-29").unwrap()),
            "2024-02-29"
        );
    }
}
