//! Tickets: the list with its tabs and filters, the ticket form with uploads, the ticket
//! page (status and moves, deadlines with a live countdown, performers, attachments,
//! history), and the notifications page with the bell.

use crate::api::tickets::{
    assign_performers, attach_files, create_ticket, get_ticket, list_notifications, list_tickets,
    move_ticket, set_favourite, set_ticket_deadline, ticket_filter_options, ticket_form_options,
    unread_notifications, AttachmentItem, NotificationItem, TicketFilter, TicketFormChoices,
    TicketItem, TicketView, UploadedFile,
};
use crate::domain::sla::{clock, short_duration, Clock};
use crate::domain::ticket::{
    field_key, work_type_fits, Criticality, FieldKind, Stage, TicketInput,
};
use crate::domain::time::format_datetime_input;
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::LocalTime;
use crate::ui::components::{
    field_error, linkify, ErrorPanel, ErrorSummary, InfoTip, Notice, PageHeader, StageBadge,
};
use crate::ui::pages::lists::paged_list;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use std::collections::BTreeMap;

const TABS: [&str; 5] = ["mine", "approval", "all", "favourites", "archive"];

fn tab_label(tr: &'static Tr, tab: &str) -> &'static str {
    match tab {
        "mine" => tr.tab_mine,
        "approval" => tr.tab_approval,
        "favourites" => tr.tab_favourites,
        "archive" => tr.tab_archive,
        _ => tr.tab_all,
    }
}

#[component]
pub fn CriticalityBadge(criticality: Criticality) -> impl IntoView {
    let tr = use_tr();
    view! { <span class=format!("badge badge--{}", criticality.tone())>{tr.criticality(criticality)}</span> }
}

/// "in 3 h 05 min", "overdue by 2 d 1 h", "paused: 40 min left".
fn deadline_text(tr: &'static Tr, c: Clock) -> (String, &'static str) {
    let d = |s| short_duration(s, tr.unit_day, tr.unit_hour, tr.unit_minute);
    match c {
        Clock::Running(left) => (
            tr.due_in.replace("{}", &d(left)),
            if left < 3_600 { "warning" } else { "neutral" },
        ),
        Clock::Paused(left) => (tr.due_paused.replace("{}", &d(left)), "info"),
        Clock::Overdue(by) => (tr.due_overdue.replace("{}", &d(by)), "danger"),
        Clock::Stopped => (String::new(), "neutral"),
    }
}

// ------------------------------------------------------------------ the list

#[component]
pub fn TicketsPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let options = Resource::new(|| (), |_| ticket_filter_options());
    let filter = move || TicketFilter {
        tab: q("tab"),
        search: q("q"),
        company: q("company"),
        company_name: q("company_name"),
        performer: q("performer"),
        stage: q("stage"),
        ticket_type: q("type"),
        criticality: q("criticality"),
        overdue: q("overdue"),
        sort: q("sort"),
    };
    let current_tab = move || {
        let tab = q("tab");
        if TABS.contains(&tab.as_str()) {
            tab
        } else {
            "all".to_owned()
        }
    };
    let header = move || {
        view! {
            <thead>
                <tr>
                    <th scope="col">{tr.col_number}</th>
                    <th scope="col">{tr.col_subject}</th>
                    <th scope="col">{tr.col_company}</th>
                    <th scope="col">{tr.col_equipment}</th>
                    <th scope="col">{tr.col_stage}</th>
                    <th scope="col">{tr.col_deadline}</th>
                    <th scope="col">{tr.col_performer}</th>
                </tr>
            </thead>
        }
        .into_any()
    };
    let row = move |t: TicketItem| {
        let href = format!("/tickets/{}", t.id);
        let deadline = t.resolution_due_at.map(|due| {
            let tone = if t.overdue {
                "danger"
            } else if t.paused {
                "info"
            } else {
                "neutral"
            };
            (due, tone)
        });
        view! {
            <tr class:row--urgent=t.criticality == Criticality::Urgent class:row--overdue=t.overdue>
                <td data-label=tr.col_number class="mono nowrap">
                    <a href=href.clone() class="strong-link">{t.number.clone()}</a>
                </td>
                <td data-label=tr.col_subject>
                    <a href=href class="plain-link">{t.subject}</a>
                    {(t.criticality != Criticality::Normal).then(|| view! { " " <CriticalityBadge criticality=t.criticality /> })}
                </td>
                <td data-label=tr.col_company>{t.company}</td>
                <td data-label=tr.col_equipment>{t.object}</td>
                <td data-label=tr.col_stage>
                    <StageBadge stage=t.stage />
                </td>
                <td data-label=tr.col_deadline>
                    {deadline.map(|(due, tone)| view! {
                        <span class=format!("deadline deadline--{tone}")>
                            {t.overdue.then(|| view! { <span class="badge badge--danger">{tr.overdue}</span> " " })}
                            <LocalTime at=due />
                        </span>
                    })}
                </td>
                <td data-label=tr.col_performer>
                    {t.performer}
                    {(t.more_performers > 0).then(|| format!(" +{}", t.more_performers))}
                </td>
            </tr>
        }
    };
    let tab_href = move |tab: &str| {
        let search = q("q");
        if search.is_empty() {
            format!("/tickets?tab={tab}")
        } else {
            format!(
                "/tickets?tab={tab}&q={}",
                crate::domain::url::query_escape(&search)
            )
        }
    };
    view! {
        <Title text=format!("{} · Atrium", tr.nav_tickets) />
        <div class="page-header page-header--row">
            <div>
                <h1 class="page-title">{tr.nav_tickets}</h1>
                <p class="page-lead">{tr.tickets_lead}</p>
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let o = options.await.unwrap_or_default();
                    view! {
                        <div class="header-actions">
                            {o.can_plan.then(|| view! {
                                <a class="btn btn--secondary" href="/tickets/ratings">{tr.acts.report_title}</a>
                                <a class="btn btn--secondary" href="/tickets/plans">{tr.plans_title}</a>
                            })}
                            {o.can_file.then(|| view! { <a class="btn btn--primary" href="/tickets/new">{tr.new_ticket}</a> })}
                        </div>
                    }
                })}
            </Suspense>
        </div>
        <nav class="tabs" aria-label=tr.ticket_tabs>
            {TABS
                .into_iter()
                .map(|tab| {
                    view! {
                        <a
                            class="tabs__tab"
                            href=move || tab_href(tab)
                            aria-current=move || (current_tab() == tab).then_some("page")
                        >
                            {tab_label(tr, tab)}
                        </a>
                    }
                })
                .collect::<Vec<_>>()}
        </nav>
        <Form method="GET" action="" attr:class="toolbar" attr:role="search">
            <input type="hidden" name="tab" value=current_tab />
            <div class="toolbar__field toolbar__field--grow">
                <label for="f-q">{tr.search_label}</label>
                <input class="input" id="f-q" type="search" name="q" value=q("q") placeholder=tr.tickets_search_hint maxlength="200" />
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let o = options.await.unwrap_or_default();
                    let select = move |id: &'static str, name: &'static str, label: &'static str, choices: Vec<(String, String)>| {
                        let current = q(name);
                        view! {
                            <div class="toolbar__field">
                                <label for=id>{label}</label>
                                <select class="input" id=id name=name>
                                    <option value="" selected=current.is_empty()>{tr.any}</option>
                                    {choices
                                        .into_iter()
                                        .map(|(value, text)| {
                                            let selected = value == current;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        })
                                        .collect::<Vec<_>>()}
                                </select>
                            </div>
                        }
                    };
                    let pairs = |c: Vec<crate::api::tickets::Choice>| c.into_iter().map(|c| (c.value, c.label)).collect::<Vec<_>>();
                    let (by_name, companies) = (o.company_by_name, o.companies.clone());
                    let company = move || {
                        if by_name {
                            view! {
                                <div class="toolbar__field">
                                    <label for="f-company">{tr.col_company}</label>
                                    <input class="input" id="f-company" type="search" name="company_name" value=q("company_name") placeholder=tr.company_name_hint maxlength="200" />
                                </div>
                            }
                            .into_any()
                        } else {
                            select("f-company", "company", tr.col_company, pairs(companies)).into_any()
                        }
                    };
                    view! {
                        {o.staff.then(company)}
                        {o.staff.then(|| select("f-performer", "performer", tr.col_performer, pairs(o.performers.clone())))}
                        {select("f-stage", "stage", tr.col_stage, Stage::ALL.into_iter().map(|s| (s.code().to_owned(), tr.stage(s).to_owned())).collect())}
                        {o.staff.then(|| select("f-type", "type", tr.ticket_type, pairs(o.types.clone())))}
                        {o.staff.then(|| select("f-criticality", "criticality", tr.criticality_label, Criticality::ALL.into_iter().map(|c| (c.code().to_owned(), tr.criticality(c).to_owned())).collect()))}
                    }
                })}
            </Suspense>
            <div class="toolbar__field">
                <label for="f-sort">{tr.sort_label}</label>
                <select class="input" id="f-sort" name="sort">
                    <option value="newest" selected=move || q("sort") != "deadline">{tr.sort_newest}</option>
                    <option value="deadline" selected=move || q("sort") == "deadline">{tr.sort_deadline}</option>
                </select>
            </div>
            <label class="check check--inline">
                <input type="checkbox" name="overdue" value="1" checked=move || q("overdue") == "1" />
                <span>{tr.only_overdue}</span>
            </label>
            <button class="btn btn--secondary" type="submit">{tr.apply}</button>
        </Form>
        {paged_list(
            filter,
            list_tickets,
            row,
            header,
            (tr.tickets_empty, tr.tickets_empty_hint),
        )}
    }
}

// ------------------------------------------------------------------ uploads

/// One file chosen on a form: being sent, stored (with its id), or refused.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
pub enum Upload {
    Sending(u32, String),
    Stored(UploadedFile),
    Refused(String, String),
}

#[cfg(feature = "hydrate")]
async fn send_file(file: web_sys::File) -> Result<UploadedFile, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let form = web_sys::FormData::new().map_err(|_| AppError::Transport)?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(|_| AppError::Transport)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let window = web_sys::window().ok_or(AppError::Transport)?;
    let response = JsFuture::from(window.fetch_with_str_and_init("/api/uploads", &init))
        .await
        .map_err(|_| AppError::Transport)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| AppError::Transport)?;
    let text = JsFuture::from(response.text().map_err(|_| AppError::Transport)?)
        .await
        .map_err(|_| AppError::Transport)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| AppError::Transport)
    } else {
        Err(serde_json::from_str(&text).unwrap_or(AppError::Transport))
    }
}

/// A file input that uploads what is chosen at once and lists the files with their
/// thumbnails or refusals; `uploads` holds them for the form.
#[component]
pub fn FilePicker(
    uploads: RwSignal<Vec<Upload>>,
    #[prop(into)] error: Signal<Option<String>>,
    /// A picker for one picture (an object's photo) instead of attachments.
    #[prop(optional)]
    photo: Option<&'static str>,
) -> impl IntoView {
    let tr = use_tr();
    let counter = StoredValue::new(0u32);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(list) = input.files() else { return };
            for i in 0..list.length() {
                let Some(file) = list.get(i) else { continue };
                let n = counter.get_value() + 1;
                counter.set_value(n);
                let name = file.name();
                uploads.update(|u| u.push(Upload::Sending(n, name.clone())));
                leptos::task::spawn_local(async move {
                    let outcome = send_file(file).await;
                    uploads.update(|u| {
                        if let Some(slot) = u
                            .iter_mut()
                            .find(|x| matches!(x, Upload::Sending(k, _) if *k == n))
                        {
                            *slot = match outcome {
                                Ok(stored) => Upload::Stored(stored),
                                Err(error) => {
                                    let message = error
                                        .field_problem("file")
                                        .map(|p| tr.problem(p))
                                        .unwrap_or_else(|| tr.error(&error));
                                    Upload::Refused(name.clone(), message)
                                }
                            };
                        }
                    });
                });
            }
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, counter);
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <div class="field__label-row">
                <label class="field__label" for="f-files">{photo.unwrap_or(tr.attachments)}</label>
                {photo.is_none().then(|| view! { <InfoTip text=tr.attachments_info id="f-files".to_owned() /> })}
            </div>
            {move || error.get().map(|m| view! { <p class="field__error">{m}</p> })}
            <input
                class="input input--file"
                id="f-files"
                type="file"
                multiple=photo.is_none()
                accept=if photo.is_some() { "image/jpeg,image/png,image/webp" } else { "image/jpeg,image/png,image/webp,application/pdf,.docx,.xlsx,.txt,.csv" }
                on:change=on_change
            />
            <ul class="uploads">
                {move || {
                    uploads
                        .get()
                        .into_iter()
                        .map(|u| match u {
                            Upload::Sending(_, name) => view! {
                                <li class="upload upload--sending">
                                    <span class="upload__name">{name}</span>
                                    <span class="muted">{tr.uploading}</span>
                                </li>
                            }.into_any(),
                            Upload::Stored(f) => {
                                let id = f.id;
                                view! {
                                    <li class="upload">
                                        {f.is_image.then(|| view! { <img class="upload__thumb" src=format!("/files/{id}/thumb") alt="" /> })}
                                        <span class="upload__name">{f.name.clone()}</span>
                                        <span class="muted">{format_size(f.size_bytes)}</span>
                                        <button
                                            type="button"
                                            class="btn btn--small btn--secondary"
                                            aria-label=format!("{} {}", tr.remove, f.name)
                                            on:click=move |_| uploads.update(|u| u.retain(|x| !matches!(x, Upload::Stored(s) if s.id == id)))
                                        >
                                            {tr.remove}
                                        </button>
                                    </li>
                                }.into_any()
                            }
                            Upload::Refused(name, message) => view! {
                                <li class="upload upload--refused" role="alert">
                                    <span class="upload__name">{name}</span>
                                    <span class="danger-text">{message}</span>
                                </li>
                            }.into_any(),
                        })
                        .collect::<Vec<_>>()
                }}
            </ul>
        </div>
    }
}

pub(crate) fn stored_ids(uploads: &[Upload]) -> Vec<i64> {
    uploads
        .iter()
        .filter_map(|u| match u {
            Upload::Stored(f) => Some(f.id),
            _ => None,
        })
        .collect()
}

pub(crate) fn format_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

// ------------------------------------------------------------------ the form

fn form_labels(tr: &'static Tr) -> Vec<(&'static str, &'static str)> {
    vec![
        ("company", tr.col_company),
        ("ticket_type", tr.ticket_type),
        ("criticality", tr.criticality_label),
        ("subject", tr.col_subject),
        ("description", tr.description),
        ("equipment", tr.col_equipment),
        ("work_type", tr.work_type),
        ("contract", tr.contract),
        ("contact", tr.contact),
        ("attachments", tr.attachments),
    ]
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let preset = |k: &str| {
        query.with_untracked(|q| q.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
    };
    let company = RwSignal::new(preset("company"));
    let equipment = RwSignal::new(preset("equipment"));
    let ticket_type = RwSignal::new(String::new());
    let criticality = RwSignal::new("normal".to_owned());
    let subject = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let work_type = RwSignal::new(String::new());
    let contract = RwSignal::new(0i64);
    let contact = RwSignal::new(String::new());
    let values = RwSignal::new(BTreeMap::<i64, String>::new());
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<AppError>);
    let options = Resource::new(
        move || (company.get(), equipment.get()),
        |(c, e)| ticket_form_options(c, e),
    );
    let navigate = use_navigate();
    let action = Action::new(move |input: &TicketInput| create_ticket(input.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(id)) => navigate(&format!("/tickets/{id}?filed=1"), Default::default()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let sending =
        Memo::new(move |_| uploads.with(|u| u.iter().any(|x| matches!(x, Upload::Sending(..)))));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(o)) = options.get_untracked() else {
            return;
        };
        let input = TicketInput {
            company_id: o.company_id,
            ticket_type: ticket_type.get_untracked(),
            criticality: criticality.get_untracked(),
            subject: subject.get_untracked(),
            description: description.get_untracked(),
            equipment_id: Some(equipment.get_untracked()).filter(|e| *e > 0),
            work_type: work_type.get_untracked(),
            contract_id: Some(contract.get_untracked()).filter(|c| *c > 0),
            contact: contact.get_untracked(),
            fields: values
                .get_untracked()
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .collect(),
            attachments: stored_ids(&uploads.get_untracked()),
        };
        match input.check(&o.fields) {
            Err(errors) => error.set(Some(AppError::Invalid(errors))),
            Ok(_) => {
                error.set(None);
                action.dispatch(input);
            }
        }
    };
    let mut labels = form_labels(tr);
    labels.push(("fields", tr.additional_fields));

    view! {
        <Title text=format!("{} · Atrium", tr.new_ticket) />
        <PageHeader title=tr.new_ticket lead=tr.new_ticket_lead />
        <ErrorSummary error labels />
        <form class="form form--wide" on:submit=on_submit novalidate>
            <Transition fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(o) => {
                            if ticket_type.get_untracked().is_empty() {
                                if let Some(first) = o.types.first() {
                                    ticket_type.set(first.value.clone());
                                }
                            }
                            view! { <TicketForm o error company equipment ticket_type criticality subject description work_type contract contact values uploads /> }.into_any()
                        }
                    }
                })}
            </Transition>
            <div class="form__actions">
                <button class="btn btn--primary" type="submit" disabled=move || action.pending().get() || sending.get()>
                    {move || if sending.get() { tr.uploading } else { tr.file_ticket }}
                </button>
                <a class="btn btn--secondary" href="/tickets">{tr.cancel}</a>
            </div>
        </form>
    }
}

#[allow(clippy::too_many_arguments)]
#[component]
fn TicketForm(
    o: TicketFormChoices,
    error: RwSignal<Option<AppError>>,
    company: RwSignal<i64>,
    equipment: RwSignal<i64>,
    ticket_type: RwSignal<String>,
    criticality: RwSignal<String>,
    subject: RwSignal<String>,
    description: RwSignal<String>,
    work_type: RwSignal<String>,
    contract: RwSignal<i64>,
    contact: RwSignal<String>,
    values: RwSignal<BTreeMap<i64, String>>,
    uploads: RwSignal<Vec<Upload>>,
) -> impl IntoView {
    let tr = use_tr();
    if o.company_id != company.get_untracked() {
        company.set(o.company_id);
    }
    let object_class = {
        let objects = o.objects.clone();
        move || {
            let id = equipment.get();
            objects
                .iter()
                .find(|x| x.id == id)
                .and_then(|x| x.class.clone())
        }
    };
    let object_location = {
        let objects = o.objects.clone();
        move || {
            let id = equipment.get();
            objects
                .iter()
                .find(|x| x.id == id)
                .and_then(|x| x.location.clone())
        }
    };
    let work_types = o.work_types.clone();
    let fits = move |classes: &str| work_type_fits(classes, object_class().as_deref());
    let select_field = move |name: &'static str,
                             label: &'static str,
                             info: Option<&'static str>,
                             body: AnyView| {
        let id = format!("f-{name}");
        let message = field_error(error, name);
        view! {
            <div class="field" class:field--invalid=move || message.get().is_some()>
                <div class="field__label-row">
                    <label class="field__label" for=id.clone()>{label}</label>
                    {info.map(|text| view! { <InfoTip text id=id.clone() /> })}
                </div>
                {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                {body}
            </div>
        }
    };
    let companies = o.companies.clone();
    let single_company = companies.len() == 1;
    view! {
        <div class="ticket-form">
            <fieldset class="fieldset">
                <legend>{tr.ticket_what}</legend>
                {(!single_company).then(|| select_field("company", tr.col_company, Some(tr.company_info), view! {
                    <select class="input" id="f-company"
                        on:change=move |ev| {
                            company.set(event_target_value(&ev).parse().unwrap_or(0));
                            equipment.set(0);
                            contract.set(0);
                        }>
                        <option value="0" selected=o.company_id == 0>{tr.choose}</option>
                        {companies.iter().map(|c| {
                            let selected = c.value == o.company_id.to_string();
                            view! { <option value=c.value.clone() selected=selected>{c.label.clone()}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                }.into_any()))}
                <div class="grid-2">
                    {select_field("ticket_type", tr.ticket_type, Some(tr.ticket_type_info), view! {
                        <select class="input" id="f-ticket_type" on:change=move |ev| ticket_type.set(event_target_value(&ev))>
                            {o.types.iter().map(|t| {
                                let v = t.value.clone();
                                let selected = ticket_type.get_untracked() == v;
                                view! { <option value=v selected=selected>{t.label.clone()}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    }.into_any())}
                    {select_field("criticality", tr.criticality_label, Some(tr.criticality_info), view! {
                        <select class="input" id="f-criticality" on:change=move |ev| criticality.set(event_target_value(&ev))>
                            {Criticality::ALL.into_iter().map(|c| {
                                let selected = criticality.get_untracked() == c.code();
                                view! { <option value=c.code() selected=selected>{tr.criticality(c)}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    }.into_any())}
                </div>
                {select_field("subject", tr.col_subject, None, view! {
                    <input class="input" id="f-subject" type="text" maxlength="150" bind:value=subject
                        value=subject.get_untracked() placeholder=tr.subject_hint />
                }.into_any())}
                {select_field("description", tr.description, Some(tr.description_info), view! {
                    <textarea class="input textarea" id="f-description" rows="6" maxlength="5000"
                        bind:value=description>{description.get_untracked()}</textarea>
                }.into_any())}
            </fieldset>
            <fieldset class="fieldset">
                <legend>{tr.ticket_where}</legend>
                {select_field("equipment", tr.col_equipment, Some(tr.equipment_info), view! {
                    <select class="input" id="f-equipment"
                        on:change=move |ev| {
                            equipment.set(event_target_value(&ev).parse().unwrap_or(0));
                            contract.set(0);
                        }>
                        <option value="0" selected=equipment.get_untracked() == 0>{if o.object_required { tr.choose } else { tr.not_set }}</option>
                        {o.objects.iter().map(|x| {
                            let selected = equipment.get_untracked() == x.id;
                            let label = match &x.class { Some(c) => format!("{} · {c}", x.name), None => x.name.clone() };
                            view! { <option value=x.id.to_string() selected=selected>{label}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                    {move || object_location().map(|l| view! { <p class="field__hint">{tr.location}": " {l}</p> })}
                }.into_any())}
                <div class="grid-2">
                    {select_field("work_type", tr.work_type, Some(tr.work_type_info), view! {
                        <select class="input" id="f-work_type" on:change=move |ev| work_type.set(event_target_value(&ev))>
                            <option value="" selected=move || work_type.get().is_empty()>{tr.not_set}</option>
                            {move || work_types.iter().filter(|w| fits(&w.classes)).map(|w| {
                                let v = w.code.clone();
                                let selected = work_type.get_untracked() == v;
                                view! { <option value=v selected=selected>{w.name.clone()}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    }.into_any())}
                    {select_field("contract", tr.contract, Some(tr.contract_info), view! {
                        <select class="input" id="f-contract" on:change=move |ev| contract.set(event_target_value(&ev).parse().unwrap_or(0))>
                            <option value="0" selected=contract.get_untracked() == 0>{tr.not_set}</option>
                            {o.contracts.iter().map(|(id, label)| {
                                let selected = contract.get_untracked() == *id;
                                view! { <option value=id.to_string() selected=selected>{label.clone()}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    }.into_any())}
                </div>
                {select_field("contact", tr.contact, Some(tr.contact_info), view! {
                    <input class="input" id="f-contact" type="text" maxlength="200" list="contacts"
                        bind:value=contact value=contact.get_untracked() />
                    <datalist id="contacts">
                        {o.contacts.iter().map(|c| view! { <option value=c.clone()></option> }).collect::<Vec<_>>()}
                    </datalist>
                }.into_any())}
            </fieldset>
            {(!o.fields.is_empty()).then(|| view! {
                <fieldset class="fieldset">
                    <legend>{tr.additional_fields}</legend>
                    {o.fields.iter().cloned().map(|f| {
                        let id = f.id;
                        let dom_id = format!("f-{}", field_key(id));
                        let key = field_key(id);
                        let message = Signal::derive(move || {
                            error.with(|e| e.as_ref().and_then(|e| e.field_problem(&key)).map(|p| tr.problem(p)))
                        });
                        let current = values.with_untracked(|v| v.get(&id).cloned().unwrap_or_default());
                        let set = move |ev: leptos::ev::Event| values.update(|v| { v.insert(id, event_target_value(&ev)); });
                        let input = match f.kind {
                            FieldKind::Choice => view! {
                                <select class="input" id=dom_id.clone() on:change=set>
                                    <option value="">{tr.not_set}</option>
                                    {f.choices.iter().map(|c| {
                                        let selected = *c == current;
                                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                                    }).collect::<Vec<_>>()}
                                </select>
                            }.into_any(),
                            FieldKind::Date => view! { <input class="input input--narrow" type="date" id=dom_id.clone() value=current on:input=set /> }.into_any(),
                            FieldKind::Number => view! {
                                <span class="input-unit">
                                    <input class="input input--narrow" type="text" inputmode="decimal" id=dom_id.clone() value=current on:input=set />
                                    <span class="muted">{f.unit.clone()}</span>
                                </span>
                            }.into_any(),
                            FieldKind::Text => view! { <input class="input" type="text" maxlength="500" id=dom_id.clone() value=current on:input=set /> }.into_any(),
                        };
                        view! {
                            <div class="field" class:field--invalid=move || message.get().is_some()>
                                <label class="field__label" for=dom_id.clone()>
                                    {f.label.clone()}
                                    {(!f.required).then(|| view! { <span class="field__optional">" (" {tr.optional} ")"</span> })}
                                </label>
                                {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                                {input}
                            </div>
                        }
                    }).collect::<Vec<_>>()}
                </fieldset>
            })}
            <fieldset class="fieldset">
                <legend>{tr.attachments}</legend>
                <FilePicker uploads error=field_error(error, "attachments") />
            </fieldset>
        </div>
    }
}

// ------------------------------------------------------------------ the ticket page

#[component]
pub fn TicketPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
    });
    let reload = RwSignal::new(0u32);
    crate::ui::pages::chat::provide_chat_outbox();
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| q.get("tab").unwrap_or_default()));
    let chat_tab = Memo::new(move |_| tab.get() == "messages");
    // Works, acts and the rating form, for the tab that shows them.
    let extras = Resource::new(
        move || (id.get(), tab.get(), reload.get()),
        |(id, tab, _)| crate::api::acts::ticket_extras(id, tab),
    );
    let ticket = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_ticket(id));
    // The conversation loads with the page when its tab is open (rendered on the server too).
    let thread = Resource::new(
        move || (id.get(), chat_tab.get(), reload.get()),
        |(id, open, _)| async move {
            if open {
                crate::api::chat::chat_thread(id, None).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let filed = query.with_untracked(|q| q.get("filed").is_some());
    view! {
        <Transition fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                let t = ticket.await;
                let thread = thread.await;
                let extras = extras.await;
                match t {
                    Ok(t) => view! { <TicketDetails t thread extras reload filed /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TicketDetails(
    t: TicketView,
    thread: Result<Option<crate::api::chat::ThreadView>, AppError>,
    extras: Result<crate::api::acts::TicketSections, AppError>,
    reload: RwSignal<u32>,
    filed: bool,
) -> impl IntoView {
    use crate::ui::pages::acts::{ActTab, RatingCard, WorksTab};
    let tr = use_tr();
    let chat_tab = !matches!(thread, Ok(None));
    let (section, rating, section_tab) = match extras {
        Ok(x) => {
            let rating = x
                .rating
                .map(|form| view! { <RatingCard ticket_id=t.id form /> });
            let (section, tab) = match (x.works, x.acts) {
                (Some(works), _) => (
                    Some(view! { <WorksTab id=t.id works reload /> }.into_any()),
                    "works",
                ),
                (None, Some(acts)) => (
                    Some(
                        view! { <ActTab id=t.id acts act_to_sign=t.act_to_sign reload /> }
                            .into_any(),
                    ),
                    "act",
                ),
                (None, None) => (None, ""),
            };
            (section, rating, tab)
        }
        Err(error) => (
            Some(view! { <ErrorPanel error /> }.into_any()),
            None,
            "error",
        ),
    };
    let details_tab = !chat_tab && section.is_none();
    let conversation = match thread {
        Ok(Some(t)) => Some(view! { <crate::ui::pages::chat::Thread t /> }.into_any()),
        Ok(None) => None,
        Err(error) => Some(view! { <ErrorPanel error /> }.into_any()),
    };
    let id = t.id;
    let version = t.version;
    let title = format!("{} · {}", t.number, t.subject);
    let favourite = RwSignal::new(t.favourite);
    let star = Action::new(move |on: &bool| set_favourite(id, *on));
    let description = linkify(&t.description)
        .into_iter()
        .map(|(is_link, text)| {
            if is_link {
                view! { <a href=text.clone() rel="noreferrer noopener" target="_blank">{text.clone()}</a> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect::<Vec<_>>();
    let source = match t.source.as_str() {
        "qr" => tr.source_qr,
        "planned" => tr.source_planned,
        "staff" => tr.source_staff,
        _ => tr.source_portal,
    };
    view! {
        <Title text=format!("{title} · Atrium") />
        <div class="page-header page-header--row">
            <div>
                <p class="eyebrow mono">{t.number.clone()}</p>
                <h1 class="page-title">{t.subject.clone()}</h1>
                <p class="page-lead badges">
                    <StageBadge stage=t.stage />
                    " "
                    <CriticalityBadge criticality=t.criticality />
                    " "
                    <span class="muted">{t.company.clone()}</span>
                </p>
            </div>
            <button
                type="button"
                class="btn btn--secondary star"
                aria-pressed=move || favourite.get().to_string()
                on:click=move |_| {
                    let on = !favourite.get_untracked();
                    favourite.set(on);
                    star.dispatch(on);
                }
            >
                <span aria-hidden="true">{move || if favourite.get() { "★" } else { "☆" }}</span>
                " "
                {move || if favourite.get() { tr.unstar } else { tr.star }}
            </button>
        </div>
        {filed.then(|| view! { <Notice text=tr.ticket_filed_notice /> })}
        <nav class="tabs" aria-label=tr.ticket_sections>
            <a href=format!("/tickets/{id}") class="tabs__tab" aria-current=details_tab.then_some("page")>{tr.ticket_details}</a>
            <a href=format!("/tickets/{id}?tab=messages") class="tabs__tab" aria-current=chat_tab.then_some("page")>
                {tr.nav_messages}
                {(t.unread_messages > 0 && !chat_tab).then(|| view! { " " <span class="badge badge--accent" data-testid="ticket-unread">{t.unread_messages}</span> })}
            </a>
            <a href=format!("/tickets/{id}?tab=works") class="tabs__tab" aria-current=(section_tab == "works").then_some("page")>{tr.acts.tab_works}</a>
            <a href=format!("/tickets/{id}?tab=act") class="tabs__tab" aria-current=(section_tab == "act").then_some("page")>
                {tr.acts.tab_act}
                {t.act_to_sign.is_some().then(|| view! { " " <span class="badge badge--warning">"!"</span> })}
            </a>
        </nav>
        <div class="ticket" class:ticket--chat=chat_tab>
            <div class="ticket__main">
                {conversation}
                {section.map(|s| view! { <div class="stack">{s}</div> })}
                <div class="stack" hidden=!details_tab>
                <section class="card">
                    <h2 class="card__title">{tr.description}</h2>
                    <p class="prewrap">{description}</p>
                    <dl class="summary">
                        <dt>{tr.ticket_type}</dt><dd>{t.ticket_type.clone()}</dd>
                        <dt>{tr.work_type}</dt><dd>{t.work_type.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{tr.col_equipment}</dt><dd>{t.object.clone().unwrap_or_else(|| "—".into())}</dd>
                        {t.location.clone().map(|l| view! { <dt>{tr.location}</dt><dd>{l}</dd> })}
                        <dt>{tr.contract}</dt><dd>{t.contract.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{tr.contact}</dt><dd>{t.contact.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{tr.filed_by}</dt><dd>{t.creator.clone().unwrap_or_else(|| "—".into())}" · "<LocalTime at=t.created_at />" · "{source}</dd>
                        {t.fields.iter().map(|(label, value, unit)| view! {
                            <dt>{label.clone()}</dt><dd>{value.clone()}{(!unit.is_empty()).then(|| format!(" {unit}"))}</dd>
                        }).collect::<Vec<_>>()}
                    </dl>
                </section>
                <Attachments id items=t.attachments.clone() can_attach=t.can_attach reload />
                <section class="card">
                    <h2 class="card__title">{tr.history}</h2>
                    <ol class="timeline">
                        {t.history.iter().rev().map(|h| view! {
                            <li class="timeline__item">
                                <div class="timeline__head">
                                    {h.from.map(|f| view! { <StageBadge stage=f /> " → " })}
                                    <StageBadge stage=h.to />
                                </div>
                                <div class="muted">{h.actor.clone().unwrap_or_else(|| tr.system.to_owned())}" · "<LocalTime at=h.at /></div>
                                {h.comment.clone().map(|c| view! { <p class="timeline__comment prewrap">{c}</p> })}
                            </li>
                        }).collect::<Vec<_>>()}
                    </ol>
                </section>
                </div>
            </div>
            <aside class="ticket__side">
                {rating}
                <Moves id version moves=t.moves.clone() act_to_sign=t.act_to_sign reload />
                <Deadlines t=t.clone() reload />
                <Performers id version performers=t.performers.clone() candidates=t.candidates.clone() can_dispatch=t.can_dispatch reload />
            </aside>
        </div>
    }
}

/// The stale-form message with a way to see the other person's change.
fn stale_notice(tr: &'static Tr, reload: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="notice notice--danger notice--row" role="alert">
            <span>{tr.error_stale}</span>
            <button type="button" class="btn btn--small btn--secondary" on:click=move |_| reload.update(|n| *n += 1)>
                {tr.reload}
            </button>
        </div>
    }
}

#[component]
fn Moves(
    id: i64,
    version: i64,
    moves: Vec<crate::api::tickets::MoveOption>,
    act_to_sign: Option<i64>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let action = Action::new(move |to: &Stage| {
        move_ticket(id, version, to.code().to_owned(), comment.get_untracked())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            comment.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let comment_error = field_error(error, "comment");
    let general = move || {
        error.get().map(|e| match e {
            AppError::Stale => stale_notice(tr, reload).into_any(),
            AppError::Invalid(ref f) if f.get("comment").is_some() => ().into_any(),
            other => view! { <ErrorPanel error=other /> }.into_any(),
        })
    };
    let sign_link = act_to_sign.map(|_| {
        view! {
            <a class="btn btn--primary btn--block moves__sign" href=format!("/tickets/{id}?tab=act#sign") data-testid="sign-prompt">
                {tr.acts.sign_prompt}
            </a>
        }
    });
    if moves.is_empty() && sign_link.is_some() {
        return view! {
            <section class="card">
                <h2 class="card__title">{tr.next_step}</h2>
                {sign_link}
            </section>
        }
        .into_any();
    }
    if moves.is_empty() {
        return view! {
            <section class="card">
                <h2 class="card__title">{tr.status}</h2>
                <p class="muted">{tr.no_moves}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card">
            <h2 class="card__title">{tr.next_step}</h2>
            {sign_link}
            {general}
            <form class="form" on:submit=|ev: SubmitEvent| ev.prevent_default() novalidate>
                <div class="field" class:field--invalid=move || comment_error.get().is_some()>
                    <label class="field__label" for="f-comment">{tr.comment}
                        <span class="field__optional">" (" {tr.comment_when_refusing} ")"</span>
                    </label>
                    {move || comment_error.get().map(|m| view! { <p class="field__error" id="f-comment-error">{m}</p> })}
                    <textarea class="input textarea" id="f-comment" rows="3" maxlength="2000" bind:value=comment></textarea>
                </div>
                <div class="moves">
                    {moves.into_iter().map(|m| {
                        let class = if m.action.is_negative() { "btn btn--secondary" } else { "btn btn--primary" };
                        view! {
                            <button type="button" class=class disabled=move || action.pending().get()
                                on:click=move |_| { error.set(None); action.dispatch(m.to); }>
                                {tr.move_label(m.action)}
                            </button>
                        }
                    }).collect::<Vec<_>>()}
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Deadlines(t: TicketView, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    // The server's clock at load, advanced by the device's seconds since then.
    let now = RwSignal::new(t.now);
    #[cfg(feature = "hydrate")]
    {
        let started = js_sys::Date::now();
        let server_now = t.now;
        if let Ok(handle) = set_interval_with_handle(
            move || now.set(server_now + ((js_sys::Date::now() - started) / 1000.0) as i64),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let finished = !t.stage.is_open();
    let paused = t.paused_at;
    let reaction = t.reaction_due_at.map(|due| (due, t.reacted_at.is_some()));
    let resolution = t.resolution_due_at;
    let rule = match &t.sla_rule {
        Some(name) if name.is_empty() => tr.deadline_by_hand.to_owned(),
        Some(name) => tr.deadline_rule.replace("{}", name),
        None => tr.deadline_no_rule.to_owned(),
    };
    let due_input = RwSignal::new(
        t.resolution_due_at
            .map(format_datetime_input)
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<AppError>);
    let (id, version) = (t.id, t.version);
    let save = Action::new(move |due: &String| set_ticket_deadline(id, version, due.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let line = move |label: &'static str, due: i64, done: bool| {
        view! {
            <dt>{label}</dt>
            <dd>
                <span class="nowrap"><LocalTime at=due /></span>
                {move || {
                    let (text, tone) = deadline_text(tr, clock(due, now.get(), paused, finished || done));
                    (!text.is_empty()).then(|| view! { <div class=format!("countdown countdown--{tone}") aria-live="off">{text}</div> })
                }}
            </dd>
        }
    };
    let message = field_error(error, "deadline");
    view! {
        <section class="card">
            <h2 class="card__title">{tr.deadlines}</h2>
            {(reaction.is_none() && resolution.is_none()).then(|| view! { <p class="muted">{tr.no_deadline}</p> })}
            <dl class="summary summary--narrow">
                {reaction.map(|(due, done)| line(tr.reaction, due, done))}
                {resolution.map(|due| line(tr.resolution, due, false))}
            </dl>
            <p class="muted small">{rule}</p>
            {t.can_dispatch.then(|| view! {
                {move || matches!(error.get(), Some(AppError::Stale)).then(|| stale_notice(tr, reload))}
                <form class="form form--inline" novalidate on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    error.set(None);
                    save.dispatch(due_input.get_untracked());
                }>
                    <div class="field" class:field--invalid=move || message.get().is_some()>
                        <label class="field__label" for="f-deadline">{tr.set_deadline}" (UTC)"</label>
                        {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                        <input class="input" type="datetime-local" id="f-deadline" bind:value=due_input />
                    </div>
                    <div class="form__actions">
                        <button class="btn btn--secondary btn--small" type="submit">{tr.save}</button>
                        <button class="btn btn--secondary btn--small" type="button" on:click=move |_| {
                            error.set(None);
                            save.dispatch(String::new());
                        }>{tr.deadline_from_rule}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

#[component]
fn Performers(
    id: i64,
    version: i64,
    performers: Vec<(i64, String)>,
    candidates: Vec<(i64, String)>,
    can_dispatch: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let chosen = RwSignal::new(performers.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |ids: &Vec<i64>| assign_performers(id, version, ids.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <section class="card">
            <h2 class="card__title">{tr.performers}</h2>
            {performers.is_empty().then(|| view! { <p class="muted">{tr.no_performers}</p> })}
            <ul class="plain-list">
                {performers.iter().map(|(_, name)| view! { <li>{name.clone()}</li> }).collect::<Vec<_>>()}
            </ul>
            {can_dispatch.then(|| view! {
                <details class="assign">
                    <summary class="btn btn--secondary btn--small">{tr.assign}</summary>
                    {move || error.get().map(|e| match e {
                        AppError::Stale => stale_notice(tr, reload).into_any(),
                        other => view! { <ErrorPanel error=other /> }.into_any(),
                    })}
                    <form class="form" novalidate on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        error.set(None);
                        save.dispatch(chosen.get_untracked());
                    }>
                        <fieldset class="fieldset fieldset--plain">
                            <legend class="visually-hidden">{tr.performers}</legend>
                            {candidates.iter().cloned().map(|(user, name)| view! {
                                <label class="check">
                                    <input type="checkbox" value=user.to_string()
                                        checked=chosen.get_untracked().contains(&user)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { c.retain(|x| *x != user); if on { c.push(user); } });
                                        } />
                                    <span>{name}</span>
                                </label>
                            }).collect::<Vec<_>>()}
                        </fieldset>
                        <button class="btn btn--primary btn--small" type="submit" disabled=move || save.pending().get()>{tr.save}</button>
                    </form>
                </details>
            })}
        </section>
    }
}

#[component]
fn Attachments(
    id: i64,
    items: Vec<AttachmentItem>,
    can_attach: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<AppError>);
    let attach = Action::new(move |ids: &Vec<i64>| attach_files(id, ids.clone()));
    Effect::new(move |_| match attach.value().get() {
        Some(Ok(())) => {
            uploads.set(Vec::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let ready = Memo::new(move |_| {
        uploads.with(|u| {
            !stored_ids(u).is_empty() && !u.iter().any(|x| matches!(x, Upload::Sending(..)))
        })
    });
    view! {
        <section class="card">
            <h2 class="card__title">{tr.attachments}</h2>
            {items.is_empty().then(|| view! { <p class="muted">{tr.no_attachments}</p> })}
            <ul class="attachments">
                {items.into_iter().map(|a| {
                    let href = format!("/files/{}", a.id);
                    view! {
                        <li class="attachment">
                            <a href=href.clone() target="_blank" rel="noopener">
                                {if a.is_image {
                                    view! { <img class="attachment__thumb" src=format!("{href}/thumb") alt=a.name.clone() loading="lazy" /> }.into_any()
                                } else {
                                    view! { <span class="attachment__icon" aria-hidden="true">"📄"</span> }.into_any()
                                }}
                                <span class="attachment__name">{a.name.clone()}</span>
                            </a>
                            <span class="muted small">{format_size(a.size_bytes)}" · "{a.uploader.clone().unwrap_or_default()}</span>
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ul>
            {can_attach.then(|| view! {
                <FilePicker uploads error=field_error(error, "attachments") />
                {move || ready.get().then(|| view! {
                    <button class="btn btn--primary btn--small" type="button" disabled=move || attach.pending().get()
                        on:click=move |_| { error.set(None); attach.dispatch(stored_ids(&uploads.get_untracked())); }>
                        {tr.attach}
                    </button>
                })}
            })}
        </section>
    }
}

// ------------------------------------------------------------------ notifications

/// The bell in the top bar: the unread count, fetched in the browser after hydration
/// and again on every navigation (the server renders it empty, so the two never differ).
#[component]
pub fn Bell() -> impl IntoView {
    let tr = use_tr();
    let location = use_location();
    let count = RwSignal::new(0i64);
    Effect::new(move |_| {
        location.pathname.track();
        leptos::task::spawn_local(async move {
            if let Ok(n) = unread_notifications().await {
                count.set(n);
            }
        });
    });
    view! {
        <a class="bell" href="/notifications" aria-label=move || format!("{} ({})", tr.notifications, count.get())>
            <svg viewBox="0 0 24 24" class="icon" aria-hidden="true">
                <path d="M6 17h12l-1.5-2V11a4.5 4.5 0 0 0-9 0v4z M10 19.5a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.6" />
            </svg>
            <span class="bell__count" data-testid="bell-count" hidden=move || count.get() == 0>
                {move || if count.get() > 99 { "99+".to_owned() } else { count.get().to_string() }}
            </span>
        </a>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let tr = use_tr();
    let version = RwSignal::new(0u32);
    let mark = ServerAction::<crate::api::tickets::MarkNotificationsRead>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = mark.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let header = move || {
        view! {
            <thead>
                <tr>
                    <th scope="col">{tr.col_when}</th>
                    <th scope="col">{tr.col_message}</th>
                </tr>
            </thead>
        }
        .into_any()
    };
    let row = move |n: NotificationItem| {
        let what = match (n.kind.as_str(), n.stage) {
            ("stage", Some(stage)) => tr.notice_stage.replace("{}", tr.stage(stage)),
            ("assigned", _) => tr.notice_assigned.to_owned(),
            ("filed", _) => tr.notice_filed.to_owned(),
            ("message", _) => tr
                .notice_messages
                .replace("{}", &n.count.unwrap_or(1).to_string()),
            _ => n.kind.clone(),
        };
        let link = n.ticket_id.map(|id| {
            if n.kind == "message" {
                format!("/tickets/{id}?tab=messages")
            } else {
                format!("/tickets/{id}")
            }
        });
        view! {
            <tr class:row--unread=n.unread>
                <td data-label=tr.col_when class="nowrap"><LocalTime at=n.at /></td>
                <td data-label=tr.col_message>
                    {n.unread.then(|| view! { <span class="badge badge--accent">{tr.unread}</span> " " })}
                    <a class="strong-link" href=link.unwrap_or_default()>{n.ticket_number.unwrap_or_default()}</a>
                    " · " {n.ticket_subject.unwrap_or_default()}
                    <div>{what}{n.actor.map(|a| format!(" — {a}"))}</div>
                </td>
            </tr>
        }
    };
    view! {
        <Title text=format!("{} · Atrium", tr.notifications) />
        <div class="page-header page-header--row">
            <div>
                <h1 class="page-title">{tr.notifications}</h1>
                <p class="page-lead">{tr.notifications_lead}</p>
            </div>
            <ActionForm action=mark>
                <button class="btn btn--secondary" type="submit">{tr.mark_all_read}</button>
            </ActionForm>
        </div>
        {paged_list(move || version.get(), |_, c| list_notifications(c), row, header, (tr.notifications_empty, tr.notifications_lead))}
    }
}
