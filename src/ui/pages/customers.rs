//! Customers: the clients list, a client's details (tabs, edit in place), delete and
//! restore, the add-customer wizard, and the catalog of offers.

use crate::api::customers::{
    create_offer, delete_company, get_company, get_customer_draft, list_companies, list_offers,
    list_resellers, save_customer_draft, set_offer_active, submit_customer_draft, CompanyItem,
    CompanyView, DraftView, OfferItem,
};
use crate::domain::company::{
    AccountDetails, CustomerDraft, SubscriptionLine, AGREEMENT_VERSIONS, COUNTRIES,
};
use crate::domain::money::format_amount;
use crate::domain::policy::{allowed, Permission};
use crate::domain::role::Role;
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::LocalTime;
use crate::ui::components::{
    field_error, EmptyState, ErrorPanel, ErrorSummary, InfoTip, Notice, PageHeader, StageBadge,
    TextField,
};
use crate::ui::layout::use_me;
use crate::ui::pages::lists::paged_list;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// A notice shown above the details' tab, kept while the company reloads.
#[derive(Clone, Copy)]
pub struct Flash(pub RwSignal<Option<&'static str>>);

fn param(name: &'static str) -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

fn actor_can(permission: Permission) -> bool {
    use_me().is_some_and(|me| {
        let actor = crate::domain::policy::Actor {
            user_id: me.user_id,
            role: me.role,
            reseller_id: None,
            company_ids: vec![],
            view: Default::default(),
        };
        // Reseller users manage their own customers; the server checks which.
        allowed(&actor, permission)
            || (me.role == Role::Reseller && permission == Permission::ManageCustomers)
    })
}

fn is_customer_role() -> bool {
    use_me().is_some_and(|m| m.role == Role::Customer)
}

fn status_badge(tr: &'static Tr, status: &str, deleted: bool) -> impl IntoView {
    let (text, tone) = if deleted {
        (tr.customer_status_deleted, "danger")
    } else if status == "suspended" {
        (tr.customer_status_suspended, "warning")
    } else {
        (tr.customer_status_active, "success")
    };
    view! { <span class=format!("badge badge--{tone}")>{text}</span> }
}

/// "Add customer": a form so that it works without JavaScript too.
#[component]
fn AddCustomerButton() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let tr = use_tr();
    let action = ServerAction::<crate::api::customers::StartCustomerDraft>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/customers/new/{id}/1"), Default::default());
        }
    });
    view! {
        <form
            method="post"
            action=crate::api::customers::StartCustomerDraft::url()
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                action.dispatch(crate::api::customers::StartCustomerDraft {});
            }
        >
            <button class="btn btn--primary" type="submit" disabled=action.pending()>
                "+ "
                {tr.add_customer}
            </button>
        </form>
    }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let tr = use_tr();
    let is_staff = use_me().is_some_and(|m| m.role.is_staff());
    let can_add = actor_can(Permission::ManageCustomers);
    let can_restore = actor_can(Permission::RestoreCustomers);
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let notice = query
        .with_untracked(|q| q.get("deleted").is_some())
        .then_some(tr.customer_deleted_notice);
    let resellers = Resource::new(
        || (),
        move |_| async move {
            if is_staff {
                list_resellers().await.unwrap_or_default()
            } else {
                vec![]
            }
        },
    );

    let header = move || {
        view! {
            <thead>
                <tr>
                    <th scope="col">{tr.col_name}</th>
                    <th scope="col">{tr.col_tax_id}</th>
                    <th scope="col">{tr.col_contacts}</th>
                    <th scope="col">{tr.col_city}</th>
                    <th scope="col">{tr.col_reseller}</th>
                    <th scope="col">{tr.col_status}</th>
                    <th scope="col" class="num">{tr.col_open_tickets}</th>
                    <th scope="col">
                        <span class="visually-hidden">{tr.col_actions}</span>
                    </th>
                </tr>
            </thead>
        }
        .into_any()
    };
    let row = move |c: CompanyItem| {
        let href = format!("/customers/{}", c.id);
        let delete = format!("/customers/{}/delete", c.id);
        let contacts = [c.email.clone(), c.phone.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <tr>
                <td data-label=tr.col_name>
                    <a href=href.clone() class="strong-link">{c.name.clone()}</a>
                </td>
                <td data-label=tr.col_tax_id class="mono">{c.tax_id}</td>
                <td data-label=tr.col_contacts>{contacts}</td>
                <td data-label=tr.col_city>{c.city}</td>
                <td data-label=tr.col_reseller>{c.reseller.unwrap_or_else(|| tr.no_reseller.to_owned())}</td>
                <td data-label=tr.col_status>{status_badge(tr, &c.status, c.deleted)}</td>
                <td data-label=tr.col_open_tickets class="num">{c.open_tickets}</td>
                <td data-label=tr.col_actions class="row-actions">
                    <a href=href.clone() aria-label=format!("{} {}", tr.details, c.name)>{tr.details}</a>
                    {(can_add && !c.deleted && !is_customer_role()).then(|| {
                        view! {
                            <a href=format!("{href}?tab=users") aria-label=format!("{} {}", tr.log_in_as, c.name)>{tr.log_in_as}</a>
                        }
                    })}
                    {(can_add && !c.deleted)
                        .then(|| {
                            view! {
                                <a class="danger-link" href=delete aria-label=format!("{} {}", tr.delete, c.name)>
                                    {tr.delete}
                                </a>
                            }
                        })}
                </td>
            </tr>
        }
    };
    let key = move || (q("q"), q("reseller"), q("status"), q("sort"));
    view! {
        <Title text=format!("{} · Atrium", tr.nav_customers) />
        <div class="page-header page-header--row">
            <div>
                <h1 class="page-title">{tr.nav_customers}</h1>
                <p class="page-lead">{tr.customers_lead}</p>
            </div>
            {can_add.then(|| view! { <AddCustomerButton /> })}
        </div>
        {notice.map(|text| view! { <Notice text /> })}
        <Form method="GET" action="" attr:class="toolbar" attr:role="search">
            <div class="toolbar__field toolbar__field--grow">
                <label for="f-q">{tr.search_label}</label>
                <input class="input" id="f-q" type="search" name="q" value=q("q") placeholder=tr.customers_search_hint maxlength="100" />
            </div>
            {is_staff
                .then(|| {
                    view! {
                        <div class="toolbar__field">
                            <label for="f-reseller">{tr.col_reseller}</label>
                            <select class="input" id="f-reseller" name="reseller">
                                <option value="" selected=q("reseller").is_empty()>{tr.any}</option>
                                <option value="direct" selected=q("reseller") == "direct">{tr.no_reseller}</option>
                                <Suspense>
                                    {move || Suspend::new(async move {
                                        resellers
                                            .await
                                            .into_iter()
                                            .map(|r| {
                                                let selected = q("reseller") == r.id.to_string();
                                                view! { <option value=r.id.to_string() selected=selected>{r.name}</option> }
                                            })
                                            .collect::<Vec<_>>()
                                    })}
                                </Suspense>
                            </select>
                        </div>
                    }
                })}
            <div class="toolbar__field">
                <label for="f-status">{tr.col_status}</label>
                <select class="input" id="f-status" name="status">
                    <option value="" selected=q("status").is_empty()>{tr.any}</option>
                    <option value="active" selected=q("status") == "active">{tr.customer_status_active}</option>
                    <option value="suspended" selected=q("status") == "suspended">{tr.customer_status_suspended}</option>
                    {can_restore.then(|| view! { <option value="deleted" selected=q("status") == "deleted">{tr.customer_status_deleted}</option> })}
                </select>
            </div>
            <div class="toolbar__field">
                <label for="f-sort">{tr.sort_label}</label>
                <select class="input" id="f-sort" name="sort">
                    <option value="name" selected=q("sort") != "newest">{tr.sort_name}</option>
                    <option value="newest" selected=q("sort") == "newest">{tr.sort_newest}</option>
                </select>
            </div>
            <button class="btn btn--secondary" type="submit">{tr.apply}</button>
        </Form>
        {paged_list(
            key,
            |(search, reseller, status, sort), cursor| list_companies(search, reseller, status, sort, cursor),
            row,
            header,
            (tr.customers_empty, tr.customers_empty_hint),
        )}
    }
}

// ------------------------------------------------------------------ details

const TABS: [&str; 10] = [
    "general",
    "address",
    "users",
    "equipment",
    "subscriptions",
    "tickets",
    "orders",
    "invoices",
    "acts",
    "history",
];

fn tab_label(tr: &'static Tr, tab: &str) -> &'static str {
    match tab {
        "general" => tr.tab_general,
        "address" => tr.tab_address,
        "users" => tr.tab_users,
        "equipment" => tr.nav_equipment,
        "subscriptions" => tr.tab_subscriptions,
        "tickets" => tr.nav_tickets,
        "orders" => tr.nav_orders,
        "invoices" => tr.nav_invoices,
        "acts" => tr.tab_acts,
        _ => tr.tab_history,
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let tr = use_tr();
    let id = param("id");
    let query = use_query_map();
    let tab = Memo::new(move |_| {
        query
            .with(|q| q.get("tab"))
            .filter(|t| TABS.contains(&t.as_str()))
            .unwrap_or_else(|| "general".into())
    });
    let company = Resource::new(move || id.get(), get_company);
    // A message that survives the reload of the company after an action.
    let flash = RwSignal::new(None::<&'static str>);
    provide_context(Flash(flash));
    // Unsaved edits on the General or Address tab: leaving asks first.
    let dirty = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if dirty.get_untracked() {
                ev.prevent_default();
                ev.set_return_value("unsaved");
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match company.await {
                    Ok(c) => view! { <CustomerDetails c tab dirty refresh=move |_| company.refetch() /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerDetails(
    c: CompanyView,
    tab: Memo<String>,
    dirty: RwSignal<bool>,
    #[prop(into)] refresh: Callback<()>,
) -> impl IntoView {
    let tr = use_tr();
    let id = c.id;
    let tabs = TABS
        .into_iter()
        .map(|t| {
            let href = format!("/customers/{id}?tab={t}");
            view! {
                <a
                    class="tabs__tab"
                    href=href
                    aria-current=move || (tab.get() == t).then_some("page")
                    on:click=move |ev| {
                        if dirty.get_untracked() && !window().confirm_with_message(tr.unsaved_confirm).unwrap_or(true) {
                            ev.prevent_default();
                        } else {
                            dirty.set(false);
                        }
                    }
                >
                    {tab_label(tr, t)}
                </a>
            }
        })
        .collect::<Vec<_>>();
    let title = c.account.legal_name.clone();
    let c = StoredValue::new(c);
    view! {
        <Title text=format!("{title} · Atrium") />
        <div class="page-header page-header--row">
            <div>
                <h1 class="page-title">{title.clone()}</h1>
                <p class="page-lead">
                    {move || c.with_value(|c| c.account.tax_id.clone())} " · "
                    {move || c.with_value(|c| c.reseller.clone().unwrap_or_else(|| tr.no_reseller.to_owned()))} " · "
                    {move || c.with_value(|c| status_badge(tr, &c.status, c.deleted))}
                </p>
            </div>
            <div class="header-actions">
                <a class="btn btn--secondary" href=format!("/equipment?company={id}")>{tr.nav_equipment}</a>
                {move || c.with_value(|c| (c.can_manage && !c.deleted).then(|| {
                    view! { <a class="btn btn--secondary danger-text" href=format!("/customers/{id}/delete")>{tr.delete_customer}</a> }
                }))}
            </div>
        </div>
        {move || c.with_value(|c| (c.deleted && c.can_restore).then(|| view! { <RestoreBanner id /> }))}
        <nav class="tabs" aria-label=tr.customer_sections>{tabs}</nav>
        <section class="tab-panel">
            {move || use_context::<Flash>().and_then(|f| f.0.get()).map(|text| view! { <Notice text /> })}
            {move || {
                let t = tab.get();
                c.with_value(|c| match t.as_str() {
                    "general" => view! { <GeneralTab c=c.clone() dirty /> }.into_any(),
                    "address" => view! { <AddressTab c=c.clone() dirty /> }.into_any(),
                    "users" => view! {
                        <crate::ui::pages::users::UsersTab
                            company_id=c.id
                            company_name=c.account.legal_name.clone()
                            users=c.users.clone()
                            can_manage=c.can_manage && !c.deleted
                            refresh=move |_| refresh.run(())
                        />
                    }.into_any(),
                    "equipment" => equipment_tab(tr, c).into_any(),
                    "subscriptions" => subscriptions_tab(tr, c).into_any(),
                    "tickets" => tickets_tab(tr, c).into_any(),
                    "history" => history_tab(tr, c).into_any(),
                    other => view! { <EmptyState title=tab_label(tr, other) text=tr.tab_nothing_yet /> }.into_any(),
                })
            }}
        </section>
    }
}

#[component]
fn RestoreBanner(id: i64) -> impl IntoView {
    let tr = use_tr();
    let action = ServerAction::<crate::api::customers::RestoreCompany>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().reload();
        }
    });
    view! {
        <div class="notice notice--danger notice--row" role="status">
            <span>{tr.customer_is_deleted}</span>
            <button class="btn btn--secondary" type="button" on:click=move |_| { action.dispatch(crate::api::customers::RestoreCompany { id }); }>
                {tr.restore}
            </button>
        </div>
    }
}

fn account_signals(a: &AccountDetails) -> [RwSignal<String>; 14] {
    [
        RwSignal::new(a.legal_name.clone()),
        RwSignal::new(a.tax_id.clone()),
        RwSignal::new(a.country.clone()),
        RwSignal::new(a.region.clone()),
        RwSignal::new(a.city.clone()),
        RwSignal::new(a.street.clone()),
        RwSignal::new(a.postal_code.clone()),
        RwSignal::new(a.phone.clone()),
        RwSignal::new(a.email.clone()),
        RwSignal::new(a.website.clone()),
        RwSignal::new(a.contact_first_name.clone()),
        RwSignal::new(a.contact_last_name.clone()),
        RwSignal::new(a.contact_email.clone()),
        RwSignal::new(a.contact_phone.clone()),
    ]
}

fn account_from(s: &[RwSignal<String>; 14]) -> AccountDetails {
    AccountDetails {
        legal_name: s[0].get_untracked(),
        tax_id: s[1].get_untracked(),
        country: s[2].get_untracked(),
        region: s[3].get_untracked(),
        city: s[4].get_untracked(),
        street: s[5].get_untracked(),
        postal_code: s[6].get_untracked(),
        phone: s[7].get_untracked(),
        email: s[8].get_untracked(),
        website: s[9].get_untracked(),
        contact_first_name: s[10].get_untracked(),
        contact_last_name: s[11].get_untracked(),
        contact_email: s[12].get_untracked(),
        contact_phone: s[13].get_untracked(),
    }
}

#[component]
fn CountrySelect(value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for="f-country">{tr.country_label}</label>
            {move || error.get().map(|m| view! { <p class="field__error" id="f-country-error">{m}</p> })}
            <select class="input" id="f-country" name="country" bind:value=value>
                {COUNTRIES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}

/// The company and contact fields (wizard step 1 and the General tab).
fn general_fields(
    tr: &'static Tr,
    s: &[RwSignal<String>; 14],
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset">
            <legend>{tr.company_legend}</legend>
            <TextField name="legal_name" label=tr.legal_name_label info=tr.legal_name_info value=s[0] error=field_error(error, "legal_name") required=true />
            <TextField name="tax_id" label=tr.col_tax_id info=tr.tax_id_info value=s[1] error=field_error(error, "tax_id") required=true />
            <div class="grid-2">
                <TextField name="phone" label=tr.phone_label kind="tel" value=s[7] error=field_error(error, "phone") required=true />
                <TextField name="email" label=tr.email_label kind="email" value=s[8] error=field_error(error, "email") required=true />
            </div>
            <TextField name="website" label=tr.website_label value=s[9] error=field_error(error, "website") optional_label=tr.optional />
        </fieldset>
        <fieldset class="fieldset">
            <legend>{tr.contact_legend}</legend>
            <div class="grid-2">
                <TextField name="contact_first_name" label=tr.first_name_label value=s[10] error=field_error(error, "contact_first_name") required=true />
                <TextField name="contact_last_name" label=tr.last_name_label value=s[11] error=field_error(error, "contact_last_name") required=true />
                <TextField name="contact_email" label=tr.email_label kind="email" value=s[12] error=field_error(error, "contact_email") required=true />
                <TextField name="contact_phone" label=tr.phone_label kind="tel" value=s[13] error=field_error(error, "contact_phone") optional_label=tr.optional />
            </div>
        </fieldset>
    }
}

fn address_fields(
    tr: &'static Tr,
    s: &[RwSignal<String>; 14],
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset">
            <legend>{tr.tab_address}</legend>
            <CountrySelect value=s[2] error=field_error(error, "country") />
            <div class="grid-2">
                <TextField name="region" label=tr.region_label value=s[3] error=field_error(error, "region") optional_label=tr.optional />
                <TextField name="city" label=tr.col_city value=s[4] error=field_error(error, "city") required=true />
            </div>
            <TextField name="street" label=tr.street_label value=s[5] error=field_error(error, "street") required=true />
            <TextField name="postal_code" label=tr.postal_code_label info=tr.postal_code_info value=s[6] error=field_error(error, "postal_code") required=true />
        </fieldset>
    }
}

fn field_labels(tr: &'static Tr) -> Vec<(&'static str, &'static str)> {
    vec![
        ("legal_name", tr.legal_name_label),
        ("tax_id", tr.col_tax_id),
        ("country", tr.country_label),
        ("region", tr.region_label),
        ("city", tr.col_city),
        ("street", tr.street_label),
        ("postal_code", tr.postal_code_label),
        ("phone", tr.phone_label),
        ("email", tr.email_label),
        ("website", tr.website_label),
        ("contact_first_name", tr.first_name_label),
        ("contact_last_name", tr.last_name_label),
        ("contact_email", tr.contact_email_label),
        ("contact_phone", tr.contact_phone_label),
        ("accepted", tr.agreement_accepted_label),
        ("accepted_by", tr.accepted_by_label),
        ("accepted_email", tr.accepted_email_label),
        ("accepted_on", tr.accepted_on_label),
        ("version", tr.agreement_version_label),
        ("reseller_id", tr.col_reseller),
        ("confirm_name", tr.confirm_name_label),
    ]
}

/// One editable tab: its fields, Save, and the dirty flag for the leave warning.
#[component]
fn GeneralTab(c: CompanyView, dirty: RwSignal<bool>) -> impl IntoView {
    let tr = use_tr();
    let s = account_signals(&c.account);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(move |a: &AccountDetails| {
        crate::api::customers::update_company_general(c.id, a.clone())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            saved.set(true);
            dirty.set(false);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let fieldset = general_fields(tr, &s, error);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let account = account_from(&s);
        match account.validated() {
            Err(errors) => {
                let own: Vec<_> = errors
                    .0
                    .into_iter()
                    .filter(|e| crate::domain::company::is_general_field(&e.field))
                    .collect();
                if own.is_empty() {
                    error.set(None);
                    action.dispatch(account);
                } else {
                    error.set(Some(AppError::Invalid(
                        crate::domain::validate::FieldErrors(own),
                    )));
                }
            }
            Ok(_) => {
                error.set(None);
                action.dispatch(account);
            }
        }
    };
    if !c.can_manage {
        return read_only(tr, &c).into_any();
    }
    view! {
        {move || saved.get().then(|| view! { <Notice text=tr.saved_notice /> })}
        <ErrorSummary error labels=field_labels(tr) />
        <form class="form form--wide" on:submit=on_submit on:input=move |_| dirty.set(true) novalidate>
            {fieldset}
            <div class="form__actions">
                <button class="btn btn--primary" type="submit" disabled=action.pending()>{tr.save}</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn AddressTab(c: CompanyView, dirty: RwSignal<bool>) -> impl IntoView {
    let tr = use_tr();
    let s = account_signals(&c.account);
    if s[2].get_untracked().is_empty() {
        s[2].set("RU".into());
    }
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(move |a: &AccountDetails| {
        crate::api::customers::update_company_address(c.id, a.clone())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            saved.set(true);
            dirty.set(false);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let fieldset = address_fields(tr, &s, error);
    if !c.can_manage {
        return read_only(tr, &c).into_any();
    }
    view! {
        {move || saved.get().then(|| view! { <Notice text=tr.saved_notice /> })}
        <ErrorSummary error labels=field_labels(tr) />
        <form
            class="form form--wide"
            on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                saved.set(false);
                error.set(None);
                action.dispatch(account_from(&s));
            }
            on:input=move |_| dirty.set(true)
            on:change=move |_| dirty.set(true)
            novalidate
        >
            {fieldset}
            <div class="form__actions">
                <button class="btn btn--primary" type="submit" disabled=action.pending()>{tr.save}</button>
            </div>
        </form>
    }
    .into_any()
}

fn read_only(tr: &'static Tr, c: &CompanyView) -> impl IntoView {
    let a = &c.account;
    let rows = vec![
        (tr.legal_name_label, a.legal_name.clone()),
        (tr.col_tax_id, a.tax_id.clone()),
        (tr.email_label, a.email.clone()),
        (tr.phone_label, a.phone.clone()),
        (tr.website_label, a.website.clone()),
        (
            tr.contact_legend,
            format!(
                "{} {} · {} {}",
                a.contact_first_name, a.contact_last_name, a.contact_email, a.contact_phone
            ),
        ),
        (
            tr.tab_address,
            [
                a.postal_code.as_str(),
                a.country.as_str(),
                a.region.as_str(),
                a.city.as_str(),
                a.street.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ),
    ];
    view! {
        <dl class="summary">
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect::<Vec<_>>()}
        </dl>
    }
}

fn equipment_tab(tr: &'static Tr, c: &CompanyView) -> impl IntoView {
    if c.equipment.is_empty() {
        return view! { <EmptyState title=tr.nav_equipment text=tr.tab_nothing_yet /> }.into_any();
    }
    view! { <ul class="plain-list">{c.equipment.iter().map(|e| view! { <li>{e.name.clone()}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
}

fn subscriptions_tab(tr: &'static Tr, c: &CompanyView) -> impl IntoView {
    let agreement = c.agreement_accepted_by.clone().map(|by| {
        format!(
            "{}: {} <{}>, {}, {} {}",
            tr.agreement_title,
            by,
            c.agreement_accepted_email.clone().unwrap_or_default(),
            c.agreement_accepted_at.map(format_date).unwrap_or_default(),
            tr.agreement_version_label,
            c.agreement_version.clone().unwrap_or_default()
        )
    });
    view! {
        {agreement.map(|text| view! { <p class="muted">{text}</p> })}
        {if c.subscriptions.is_empty() {
            view! { <EmptyState title=tr.tab_subscriptions text=tr.subscriptions_empty /> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr><th scope="col">{tr.offer_label}</th><th scope="col" class="num">{tr.licences_label}</th><th scope="col" class="num">{tr.unit_price_label}</th><th scope="col">{tr.billing_period_label}</th></tr></thead>
                        <tbody>
                            {c.subscriptions.iter().map(|s| view! {
                                <tr>
                                    <td data-label=tr.offer_label>{s.offer.clone()}</td>
                                    <td data-label=tr.licences_label class="num">{s.licences}</td>
                                    <td data-label=tr.unit_price_label class="num nowrap">{format_amount(s.unit_price_minor, &s.currency)}</td>
                                    <td data-label=tr.billing_period_label>{period_label(tr, &s.billing_period)}</td>
                                </tr>
                            }).collect::<Vec<_>>()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

fn period_label(tr: &'static Tr, period: &str) -> &'static str {
    match period {
        "monthly" => tr.period_monthly,
        "yearly" => tr.period_yearly,
        _ => tr.period_one_time,
    }
}

fn tickets_tab(tr: &'static Tr, c: &CompanyView) -> impl IntoView {
    if c.tickets.is_empty() {
        return view! { <EmptyState title=tr.nav_tickets text=tr.tickets_empty /> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr><th scope="col">{tr.col_number}</th><th scope="col">{tr.col_subject}</th><th scope="col">{tr.col_stage}</th><th scope="col">{tr.col_created}</th></tr></thead>
                <tbody>
                    {c.tickets.iter().map(|t| view! {
                        <tr>
                            <td data-label=tr.col_number class="mono">{t.number.clone()}</td>
                            <td data-label=tr.col_subject>{t.subject.clone()}</td>
                            <td data-label=tr.col_stage><StageBadge stage=t.stage /></td>
                            <td data-label=tr.col_created class="nowrap"><LocalTime at=t.created_at /></td>
                        </tr>
                    }).collect::<Vec<_>>()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn history_tab(tr: &'static Tr, c: &CompanyView) -> impl IntoView {
    if c.history.is_empty() {
        return view! { <EmptyState title=tr.tab_history text=tr.tab_nothing_yet /> }.into_any();
    }
    view! {
        <ol class="timeline">
            {c.history.iter().map(|h| view! {
                <li>
                    <span class="muted nowrap"><LocalTime at=h.at /></span>
                    " "
                    <strong>{tr.audit_action(&h.action)}</strong>
                    {h.actor.clone().map(|a| view! { " · " {a} })}
                    {h.detail.clone().map(|d| view! { " · " <span class="muted">{d}</span> })}
                </li>
            }).collect::<Vec<_>>()}
        </ol>
    }
    .into_any()
}

// ------------------------------------------------------------------ delete

#[component]
pub fn DeleteCustomerPage() -> impl IntoView {
    let tr = use_tr();
    let id = param("id");
    let company = Resource::new(move || id.get(), get_company);
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let action = Action::new(move |(id, name): &(i64, String)| delete_company(*id, name.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => navigate("/customers?deleted=1", Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <Title text=format!("{} · Atrium", tr.delete_customer) />
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match company.await {
                    Ok(c) if c.can_manage && !c.deleted => {
                        let name = c.account.legal_name.clone();
                        let expected = name.clone();
                        view! {
                            <PageHeader title=tr.delete_customer />
                            <section class="card card--danger">
                                <h2 class="card__title">{name.clone()}</h2>
                                <p>{tr.delete_customer_explained}</p>
                                <ErrorSummary error labels=field_labels(tr) />
                                <form class="form" on:submit=move |ev: SubmitEvent| {
                                    ev.prevent_default();
                                    if typed.get_untracked().trim() != expected {
                                        error.set(Some(AppError::field("confirm_name", crate::domain::validate::Problem::ConfirmationMismatch)));
                                        return;
                                    }
                                    error.set(None);
                                    action.dispatch((c.id, typed.get_untracked()));
                                } novalidate>
                                    <TextField name="confirm_name" label=tr.confirm_name_label info=tr.confirm_name_info value=typed error=field_error(error, "confirm_name") autocomplete="off" />
                                    <div class="form__actions">
                                        <button class="btn btn--danger" type="submit" disabled=action.pending()>{tr.delete_customer}</button>
                                        <a class="btn btn--secondary" href=format!("/customers/{}", c.id)>{tr.cancel}</a>
                                    </div>
                                </form>
                            </section>
                        }.into_any()
                    }
                    Ok(_) => view! { <ErrorPanel error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

// ------------------------------------------------------------------ wizard

fn step_label(tr: &'static Tr, step: i64) -> &'static str {
    match step {
        1 => tr.step_account,
        2 => tr.step_agreement,
        3 => tr.step_reseller,
        4 => tr.step_subscriptions,
        _ => tr.step_review,
    }
}

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let tr = use_tr();
    let id = param("id");
    let step = param("step");
    let draft = Resource::new(
        move || (id.get(), step.get()),
        |(id, _)| get_customer_draft(id),
    );
    view! {
        <Title text=format!("{} · Atrium", tr.add_customer) />
        <PageHeader title=tr.add_customer lead=tr.wizard_lead />
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                let current = step.get_untracked().clamp(1, 5);
                match draft.await {
                    Ok(view) if current <= view.reached => view! { <Wizard view step=current /> }.into_any(),
                    Ok(view) => view! {
                        <Notice text=tr.wizard_step_locked tone="info" />
                        <a class="btn btn--primary" href=format!("/customers/new/{}/{}", view.id, view.reached)>{tr.continue_label}</a>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Stepper(id: i64, reached: i64, current: i64) -> impl IntoView {
    let tr = use_tr();
    view! {
        <ol class="stepper" aria-label=tr.wizard_progress>
            {(1..=5_i64).map(|n| {
                let label = format!("{n}. {}", step_label(tr, n));
                let state = if n == current { "current" } else if n < reached || (n <= reached && n != current) { "done" } else { "todo" };
                view! {
                    <li class=format!("stepper__step stepper__step--{state}") aria-current=(n == current).then_some("step")>
                        {if n <= reached && n != current {
                            view! { <a href=format!("/customers/new/{id}/{n}")>{label}</a> }.into_any()
                        } else {
                            view! { <span>{label}</span> }.into_any()
                        }}
                    </li>
                }
            }).collect::<Vec<_>>()}
        </ol>
    }
}

#[component]
fn Wizard(view: DraftView, step: i64) -> impl IntoView {
    let tr = use_tr();
    let id = view.id;
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let save = Action::new(move |(step, draft): &(i64, CustomerDraft)| {
        save_customer_draft(id, *step, draft.clone())
    });
    {
        let navigate = navigate.clone();
        Effect::new(move |_| match save.value().get() {
            Some(Ok(next)) => navigate(&format!("/customers/new/{id}/{next}"), Default::default()),
            Some(Err(e)) => error.set(Some(e)),
            None => {}
        });
    }
    let draft = view.draft.clone();
    let back = move || {
        (step > 1).then(|| view! { <a class="btn btn--secondary" href=format!("/customers/new/{id}/{}", step - 1)>{tr.back}</a> }.into_any())
    };
    let body = match step {
        1 => {
            let s = account_signals(&draft.account);
            let fields = view! { {general_fields(tr, &s, error)} {address_fields(tr, &s, error)} };
            let d = draft.clone();
            let submit = move |ev: SubmitEvent| {
                ev.prevent_default();
                let account = account_from(&s);
                if let Err(errors) = account.validated() {
                    error.set(Some(errors.into()));
                    return;
                }
                error.set(None);
                save.dispatch((
                    1,
                    CustomerDraft {
                        account,
                        ..d.clone()
                    },
                ));
            };
            view! { <form class="form form--wide" on:submit=submit novalidate>{fields}<WizardActions back=None pending=save.pending() /></form> }.into_any()
        }
        2 => {
            let a = &draft.agreement;
            let accepted = RwSignal::new(a.accepted);
            let by = RwSignal::new(if a.accepted_by.is_empty() {
                format!(
                    "{} {}",
                    draft.account.contact_first_name, draft.account.contact_last_name
                )
                .trim()
                .to_owned()
            } else {
                a.accepted_by.clone()
            });
            let email = RwSignal::new(if a.accepted_email.is_empty() {
                draft.account.contact_email.clone()
            } else {
                a.accepted_email.clone()
            });
            let on = RwSignal::new(a.accepted_on.clone());
            let version = RwSignal::new(if a.version.is_empty() {
                AGREEMENT_VERSIONS[0].to_owned()
            } else {
                a.version.clone()
            });
            let d = draft.clone();
            let submit = move |ev: SubmitEvent| {
                ev.prevent_default();
                let agreement = crate::domain::company::Agreement {
                    accepted: accepted.get_untracked(),
                    accepted_by: by.get_untracked(),
                    accepted_email: email.get_untracked(),
                    accepted_on: on.get_untracked(),
                    version: version.get_untracked(),
                };
                if let Err(errors) = agreement.validated() {
                    error.set(Some(errors.into()));
                    return;
                }
                error.set(None);
                save.dispatch((
                    2,
                    CustomerDraft {
                        agreement,
                        ..d.clone()
                    },
                ));
            };
            let accepted_error = field_error(error, "accepted");
            let version_error = field_error(error, "version");
            view! {
                <form class="form" on:submit=submit novalidate>
                    <p class="muted">{tr.agreement_explained}</p>
                    <div class="field" class:field--invalid=move || accepted_error.get().is_some()>
                        {move || accepted_error.get().map(|m| view! { <p class="field__error" id="f-accepted-error">{m}</p> })}
                        <label class="check">
                            <input type="checkbox" id="f-accepted" name="accepted" bind:checked=accepted />
                            <span>{tr.agreement_accepted_label}</span>
                        </label>
                    </div>
                    <TextField name="accepted_by" label=tr.accepted_by_label value=by error=field_error(error, "accepted_by") required=true />
                    <TextField name="accepted_email" label=tr.accepted_email_label kind="email" value=email error=field_error(error, "accepted_email") required=true />
                    <TextField name="accepted_on" label=tr.accepted_on_label kind="date" value=on error=field_error(error, "accepted_on") required=true />
                    <div class="field" class:field--invalid=move || version_error.get().is_some()>
                        <div class="field__label-row">
                            <label class="field__label" for="f-version">{tr.agreement_version_label}</label>
                            <InfoTip text=tr.agreement_version_info id="f-version".to_owned() />
                        </div>
                        {move || version_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                        <select class="input" id="f-version" bind:value=version>
                            {AGREEMENT_VERSIONS.iter().map(|v| view! { <option value=*v>{*v}</option> }).collect::<Vec<_>>()}
                        </select>
                    </div>
                    <WizardActions back=back() pending=save.pending() />
                </form>
            }
            .into_any()
        }
        3 => {
            let chosen =
                RwSignal::new(draft.reseller_id.map(|r| r.to_string()).unwrap_or_default());
            let d = draft.clone();
            let fixed = view.reseller_fixed;
            let submit = move |ev: SubmitEvent| {
                ev.prevent_default();
                let reseller_id = chosen.get_untracked().parse::<i64>().ok();
                error.set(None);
                save.dispatch((
                    3,
                    CustomerDraft {
                        reseller_id,
                        ..d.clone()
                    },
                ));
            };
            let options = view.resellers.clone();
            view! {
                <form class="form" on:submit=submit novalidate>
                    {if fixed {
                        view! { <p>{tr.reseller_fixed}</p> }.into_any()
                    } else {
                        view! {
                            <fieldset class="fieldset">
                                <legend>{tr.reseller_question}</legend>
                                <label class="check"><input type="radio" name="reseller_id" value="" prop:checked=move || chosen.get().is_empty() on:change=move |_| chosen.set(String::new()) /><span>{tr.no_reseller_long}</span></label>
                                {options.into_iter().map(|r| {
                                    let value = r.id.to_string();
                                    let v2 = value.clone();
                                    view! { <label class="check"><input type="radio" name="reseller_id" value=value.clone() prop:checked=move || chosen.get() == v2 on:change=move |_| chosen.set(value.clone()) /><span>{r.name}</span></label> }
                                }).collect::<Vec<_>>()}
                            </fieldset>
                        }.into_any()
                    }}
                    <WizardActions back=back() pending=save.pending() />
                </form>
            }
            .into_any()
        }
        4 => {
            let offers = view.offers.clone();
            let lines: Vec<(OfferItem, RwSignal<bool>, RwSignal<String>)> = offers
                .into_iter()
                .map(|o| {
                    let existing = draft.subscriptions.iter().find(|l| l.offer_id == o.id);
                    (
                        o,
                        RwSignal::new(existing.is_some()),
                        RwSignal::new(
                            existing
                                .map(|l| l.licences.to_string())
                                .unwrap_or_else(|| "1".into()),
                        ),
                    )
                })
                .collect();
            let lines = StoredValue::new(lines);
            let d = draft.clone();
            let submit = move |ev: SubmitEvent| {
                ev.prevent_default();
                let mut errors = crate::domain::validate::FieldErrors::new();
                let subscriptions: Vec<SubscriptionLine> = lines.with_value(|lines| {
                    lines
                        .iter()
                        .filter(|(_, on, _)| on.get_untracked())
                        .map(|(o, _, n)| {
                            let licences = n.get_untracked().trim().parse::<i64>().unwrap_or(0);
                            SubscriptionLine {
                                offer_id: o.id,
                                licences,
                            }
                        })
                        .collect()
                });
                if let Err(e) = crate::domain::company::validate_subscriptions(&subscriptions) {
                    errors = e;
                }
                if !errors.is_empty() {
                    error.set(Some(errors.into()));
                    return;
                }
                error.set(None);
                save.dispatch((
                    4,
                    CustomerDraft {
                        subscriptions,
                        ..d.clone()
                    },
                ));
            };
            view! {
                <form class="form form--wide" on:submit=submit novalidate>
                    <p class="muted">{tr.subscriptions_explained}</p>
                    <div class="offer-list">
                        {lines.with_value(|lines| lines.iter().map(|(o, on, n)| {
                            let (on, n) = (*on, *n);
                            let field = format!("licences-{}", o.id);
                            let err = {
                                let field = field.clone();
                                Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_problem(&field)).map(|p| tr.problem(p))))
                            };
                            let input_id = format!("f-{field}");
                            view! {
                                <div class="offer" class:offer--chosen=move || on.get() class:field--invalid=move || err.get().is_some()>
                                    <label class="check">
                                        <input type="checkbox" bind:checked=on />
                                        <span>
                                            <strong>{o.name.clone()}</strong>
                                            <span class="muted">" · " {format_amount(o.unit_price_minor, &o.currency)} " · " {period_label(tr, &o.billing_period)}</span>
                                        </span>
                                    </label>
                                    {move || err.get().map(|m| view! { <p class="field__error">{m}</p> })}
                                    <label class="offer__count" for=input_id.clone()>{tr.licences_label}</label>
                                    <input class="input input--narrow" id=input_id type="number" min="1" max="100000" inputmode="numeric" bind:value=n disabled=move || !on.get() />
                                </div>
                            }
                        }).collect::<Vec<_>>())}
                    </div>
                    <WizardActions back=back() pending=save.pending() />
                </form>
            }
            .into_any()
        }
        _ => view! { <Review view=view.clone() /> }.into_any(),
    };
    view! {
        <Stepper id reached=view.reached current=step />
        <section class="card wizard">
            <h2 class="card__title">{format!("{}. {}", step, step_label(tr, step))}</h2>
            <ErrorSummary error labels=field_labels(tr) />
            {body}
        </section>
    }
}

#[component]
fn WizardActions(back: Option<AnyView>, pending: Memo<bool>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="form__actions">
            {back}
            <button class="btn btn--primary" type="submit" disabled=pending>{tr.save_and_continue}</button>
        </div>
    }
}

#[component]
fn Review(view: DraftView) -> impl IntoView {
    let tr = use_tr();
    let id = view.id;
    let d = view.draft.clone();
    let a = d.account.clone();
    let error = RwSignal::new(None::<AppError>);
    let submit = Action::new(move |_: &()| submit_customer_draft(id));
    let navigate = use_navigate();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(company)) => navigate(&format!("/customers/created/{company}"), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let reseller = match d.reseller_id {
        None => tr.no_reseller_long.to_owned(),
        Some(r) => view
            .resellers
            .iter()
            .find(|c| c.id == r)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| tr.reseller_fixed_short.to_owned()),
    };
    let subs = if d.subscriptions.is_empty() {
        tr.subscriptions_none.to_owned()
    } else {
        d.subscriptions
            .iter()
            .map(|l| {
                let name = view
                    .offers
                    .iter()
                    .find(|o| o.id == l.offer_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                format!("{name} × {}", l.licences)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let section = |n: i64, rows: Vec<(&'static str, String)>| {
        view! {
            <div class="review__section">
                <div class="review__head">
                    <h3>{step_label(tr, n)}</h3>
                    <a href=format!("/customers/new/{id}/{n}") aria-label=format!("{} {}", tr.update, step_label(tr, n))>{tr.update}</a>
                </div>
                <dl class="summary">{rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect::<Vec<_>>()}</dl>
            </div>
        }
    };
    let duplicates = view.duplicates.clone();
    view! {
        {(!duplicates.is_empty()).then(|| view! {
            <div class="notice notice--danger" role="alert">
                <strong>{tr.duplicate_found}</strong>
                <ul>
                    {duplicates.iter().map(|m| {
                        let what = match (m.same_tax_id, m.same_email) { (true, true) => tr.duplicate_both, (true, false) => tr.duplicate_tax_id, _ => tr.duplicate_email };
                        let name = match m.name.clone() {
                            Some(name) => view! { <a href=format!("/customers/{}", m.company_id)>{name}</a> }.into_any(),
                            None => tr.duplicate_hidden.into_any(),
                        };
                        let company_id = m.company_id;
                        let ask = (view.reseller_fixed).then(|| view! { " " <RequestRelationship company_id /> });
                        view! { <li>{name} " — " {what} {ask}</li> }
                    }).collect::<Vec<_>>()}
                </ul>
                <p>{tr.duplicate_advice}</p>
            </div>
        })}
        {section(1, vec![
            (tr.legal_name_label, a.legal_name.clone()),
            (tr.col_tax_id, a.tax_id.clone()),
            (tr.tab_address, [a.postal_code.clone(), a.country.clone(), a.region.clone(), a.city.clone(), a.street.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")),
            (tr.phone_label, a.phone.clone()),
            (tr.email_label, a.email.clone()),
            (tr.website_label, a.website.clone()),
            (tr.contact_legend, format!("{} {}, {} {}", a.contact_first_name, a.contact_last_name, a.contact_email, a.contact_phone)),
        ])}
        {section(2, vec![
            (tr.accepted_by_label, d.agreement.accepted_by.clone()),
            (tr.accepted_email_label, d.agreement.accepted_email.clone()),
            (tr.accepted_on_label, d.agreement.accepted_on.clone()),
            (tr.agreement_version_label, d.agreement.version.clone()),
        ])}
        {section(3, vec![(tr.col_reseller, reseller)])}
        {section(4, vec![(tr.tab_subscriptions, subs)])}
        <div class="form__actions">
            <a class="btn btn--secondary" href=format!("/customers/new/{id}/4")>{tr.back}</a>
            <button class="btn btn--primary" type="button" disabled=move || submit.pending().get() || !duplicates.is_empty() on:click=move |_| { submit.dispatch(()); }>
                {tr.create_customer}
            </button>
        </div>
    }
}

#[component]
pub fn CustomerCreatedPage() -> impl IntoView {
    let tr = use_tr();
    let id = param("id");
    view! {
        <Title text=format!("{} · Atrium", tr.customer_created_title) />
        <section class="card done">
            <h1 class="page-title">{tr.customer_created_title}</h1>
            <p class="page-lead">{tr.customer_created_lead}</p>
            <ol class="next-steps">
                <li><a href=move || format!("/customers/{}?tab=users", id.get())>{tr.next_invite_users}</a></li>
                <li><a href=move || format!("/customers/{}?tab=address", id.get())>{tr.next_check_details}</a></li>
                <li><a href="/customers">{tr.next_back_to_list}</a></li>
            </ol>
        </section>
    }
}

// ------------------------------------------------------------------ catalog

#[component]
pub fn CatalogPage() -> impl IntoView {
    let tr = use_tr();
    let offers = Resource::new(|| (), |_| list_offers());
    let name = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let currency = RwSignal::new("RUB".to_owned());
    let period = RwSignal::new("monthly".to_owned());
    let error = RwSignal::new(None::<AppError>);
    let create = Action::new(move |(n, p, c, b): &(String, String, String, String)| {
        create_offer(n.clone(), p.clone(), c.clone(), b.clone())
    });
    let toggle = Action::new(move |(id, on): &(i64, bool)| set_offer_active(*id, *on));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            price.set(String::new());
            offers.refetch();
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        if toggle.value().get().is_some() {
            offers.refetch();
        }
    });
    view! {
        <Title text=format!("{} · Atrium", tr.catalog_title) />
        <PageHeader title=tr.catalog_title lead=tr.catalog_lead />
        <div class="columns">
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=tr.catalog_title text=tr.catalog_empty /> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <thead><tr><th scope="col">{tr.offer_label}</th><th scope="col" class="num">{tr.unit_price_label}</th><th scope="col">{tr.billing_period_label}</th><th scope="col">{tr.col_status}</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|o| {
                                            let (id, active) = (o.id, o.active);
                                            view! {
                                                <tr>
                                                    <td data-label=tr.offer_label>{o.name.clone()}</td>
                                                    <td data-label=tr.unit_price_label class="num nowrap">{format_amount(o.unit_price_minor, &o.currency)}</td>
                                                    <td data-label=tr.billing_period_label>{period_label(tr, &o.billing_period)}</td>
                                                    <td data-label=tr.col_status>
                                                        <button class="btn btn--small btn--secondary" type="button" on:click=move |_| { toggle.dispatch((id, !active)); }>
                                                            {if active { tr.offer_retire } else { tr.offer_reactivate }}
                                                        </button>
                                                        " "
                                                        {if active { view! { <span class="badge badge--success">{tr.customer_status_active}</span> } } else { view! { <span class="badge badge--neutral">{tr.offer_retired}</span> } }}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect::<Vec<_>>()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="card">
                <h2 class="card__title">{tr.offer_add}</h2>
                <ErrorSummary error labels=vec![("offer_name", tr.offer_label), ("offer_price", tr.unit_price_label), ("offer_currency", tr.currency_label), ("offer_period", tr.billing_period_label)] />
                <form class="form" on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    error.set(None);
                    create.dispatch((name.get_untracked(), price.get_untracked(), currency.get_untracked(), period.get_untracked()));
                } novalidate>
                    <TextField name="offer_name" label=tr.offer_label value=name error=field_error(error, "offer_name") required=true />
                    <TextField name="offer_price" label=tr.unit_price_label info=tr.price_info value=price error=field_error(error, "offer_price") required=true />
                    <div class="grid-2">
                        <div class="field">
                            <label class="field__label" for="f-offer_currency">{tr.currency_label}</label>
                            <select class="input" id="f-offer_currency" bind:value=currency>
                                <option value="RUB">"RUB"</option><option value="USD">"USD"</option><option value="EUR">"EUR"</option>
                            </select>
                        </div>
                        <div class="field">
                            <label class="field__label" for="f-offer_period">{tr.billing_period_label}</label>
                            <select class="input" id="f-offer_period" bind:value=period>
                                <option value="monthly">{tr.period_monthly}</option>
                                <option value="yearly">{tr.period_yearly}</option>
                                <option value="one_time">{tr.period_one_time}</option>
                            </select>
                        </div>
                    </div>
                    <button class="btn btn--primary" type="submit" disabled=create.pending()>{tr.offer_add}</button>
                </form>
            </section>
        </div>
    }
}

/// A reseller asks an existing customer to be linked to it.
#[component]
fn RequestRelationship(company_id: i64) -> impl IntoView {
    let tr = use_tr();
    let action = Action::new(move |_: &()| crate::api::customers::request_relationship(company_id));
    view! {
        {move || match action.value().get() {
            Some(Ok(_)) => view! { <span class="badge badge--success">{tr.relationship_sent}</span> }.into_any(),
            Some(Err(e)) => view! { <span class="badge badge--danger">{tr.error(&e)}</span> }.into_any(),
            None => view! {
                <button class="btn btn--small btn--secondary" type="button" disabled=action.pending() on:click=move |_| { action.dispatch(()); }>
                    {tr.request_relationship}
                </button>
            }.into_any(),
        }}
    }
}

/// The page a relationship request's link opens: the company's admin accepts or declines.
#[component]
pub fn RelationshipPage() -> impl IntoView {
    use crate::api::customers::{check_relationship, decide_relationship};
    let tr = use_tr();
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_default();
    let me = Resource::new_blocking(|| (), |_| crate::api::account::get_me());
    let request = Resource::new_blocking(
        {
            let t = token.clone();
            move || t.clone()
        },
        check_relationship,
    );
    let decision = Action::new({
        let t = token.clone();
        move |accept: &bool| decide_relationship(t.clone(), *accept)
    });
    let chosen = RwSignal::new(true);
    let here = format!("/relationship?token={}", token);
    view! {
        <Title text=format!("{} · Atrium", tr.relationship_title) />
        <div class="auth">
            <main class="auth__card" id="main">
                <h1 class="auth__title">{tr.relationship_title}</h1>
                <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                    {
                        let here = here.clone();
                        move || {
                            let here = here.clone();
                            Suspend::new(async move {
                                let signed_in = matches!(me.await, Ok(Some(_)));
                                match request.await {
                                    Ok(Some(r)) => view! {
                                        <p class="auth__lead">{tr.relationship_lead.replace("{reseller}", &r.reseller).replace("{company}", &r.company)}</p>
                                        {move || match decision.value().get() {
                                            Some(Ok(())) => None,
                                            Some(Err(e)) => Some(view! { <div class="notice notice--danger" role="alert">{tr.error(&e)}</div> }.into_any()),
                                            None => None,
                                        }}
                                        {if signed_in {
                                            view! {
                                                <div class="form__actions">
                                                    <button class="btn btn--primary" type="button" disabled=decision.pending() on:click=move |_| { chosen.set(true); decision.dispatch(true); }>{tr.accept}</button>
                                                    <button class="btn btn--secondary" type="button" disabled=decision.pending() on:click=move |_| { chosen.set(false); decision.dispatch(false); }>{tr.decline}</button>
                                                </div>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <p>{tr.relationship_sign_in}</p>
                                                <a class="btn btn--primary" href=format!("/sign-in?next={}", crate::domain::url::query_escape(&here))>{tr.sign_in_button}</a>
                                            }.into_any()
                                        }}
                                    }.into_any(),
                                    _ => view! { <div class="notice notice--danger" role="alert">{tr.relationship_invalid}</div> }.into_any(),
                                }
                            })
                        }
                    }
                </Suspense>
                {move || match decision.value().get() {
                    Some(Ok(())) => Some(view! { <Notice text=if chosen.get() { tr.relationship_accepted } else { tr.relationship_declined } /> }),
                    _ => None,
                }}
            </main>
        </div>
    }
}
