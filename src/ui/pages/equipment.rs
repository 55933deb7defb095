//! The equipment registry (list with filters and label selection, passport, form), the
//! printable label sheet, and the public pages a label leads to: the object's public
//! passport with "report a problem" and registration, and the confirmation link's page.

use crate::api::equipment::{
    confirm_registration, equipment_containers, equipment_form, equipment_labels, equipment_list,
    equipment_options, equipment_passport, public_object, register_by_qr, retire_equipment,
    rotate_qr, save_equipment, LabelState, PublicLabel,
};
use crate::domain::equipment::{
    EquipmentFilter, EquipmentInput, EquipmentRow, Kind, RegisterInput,
};
use crate::domain::ticket::Stage;
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::{
    field_error, ErrorPanel, ErrorSummary, InfoTip, LocalTime, Notice, StageBadge, TextField,
};
use crate::ui::pages::auth::AuthFrame;
use crate::ui::pages::lists::paged_list;
use crate::ui::pages::tickets::{FilePicker, Upload};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn kind_label(tr: &'static Tr, kind: Kind) -> &'static str {
    let e = tr.equipment;
    match kind {
        Kind::Site => e.kind_site,
        Kind::Room => e.kind_room,
        Kind::Unit => e.kind_unit,
    }
}

fn kind_badge(tr: &'static Tr, kind: Kind) -> impl IntoView {
    let tone = match kind {
        Kind::Site => "accent",
        Kind::Room => "info",
        Kind::Unit => "neutral",
    };
    view! { <span class=format!("badge badge--{tone}")>{kind_label(tr, kind)}</span> }
}

// ------------------------------------------------------------------ the registry

/// `/equipment`: the objects the viewer may see, with search, filters and keyset pages;
/// those who manage them tick rows to print their labels.
#[component]
pub fn EquipmentPage() -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let options = Resource::new(|| (), |_| equipment_options());
    let selected = RwSignal::new(Vec::<i64>::new());
    let filter = move || EquipmentFilter {
        search: q("q"),
        company_id: q("company").parse().ok(),
        class: q("class"),
        kind: q("kind"),
        parent_id: q("parent").parse().ok(),
        retired: q("retired") == "1",
        after: None,
    };
    // Selecting rows for labels needs the browser: the column appears once the page is
    // interactive (an effect runs only there), so server and browser render alike.
    let can_manage = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(o)) = options.get() {
            can_manage.set(o.can_manage);
        }
    });
    let header = move || {
        view! {
            <thead>
                <tr>
                    {move || can_manage.get().then(|| view! { <th scope="col" class="table__check"><span class="visually-hidden">{e.select}</span></th> })}
                    <th scope="col">{e.col_name}</th>
                    <th scope="col">{tr.col_company}</th>
                    <th scope="col">{e.col_class}</th>
                    <th scope="col">{e.col_model_serial}</th>
                    <th scope="col">{e.col_location}</th>
                    <th scope="col">{e.col_open}</th>
                </tr>
            </thead>
        }
        .into_any()
    };
    let row = move |r: EquipmentRow| {
        let href = format!("/equipment/{}", r.id);
        let id = r.id;
        let check_label = format!("{} {}", e.select, r.name);
        let model_serial = [r.model.clone(), r.serial_number.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <tr>
                {move || can_manage.get().then(|| view! {
                    <td class="table__check"><div>
                        <input type="checkbox" aria-label=check_label.clone()
                            prop:checked=move || selected.with(|s| s.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|x| *x != id);
                                    if on { s.push(id); }
                                });
                            } />
                    </div></td>
                })}
                <td data-label=e.col_name><div>
                    <a class="strong-link" href=href>{r.name.clone()}</a>
                    {(r.kind != Kind::Unit).then(|| view! { " " {kind_badge(tr, r.kind)} })}
                    {r.retired.then(|| view! { " " <span class="badge badge--neutral">{e.retired_badge}</span> })}
                    {(!r.path.is_empty()).then(|| view! { <p class="muted small">{r.path.clone()}</p> })}
                </div></td>
                <td data-label=tr.col_company><div>{r.company.clone()}</div></td>
                <td data-label=e.col_class><div>{r.class.clone().unwrap_or_else(|| "—".into())}</div></td>
                <td data-label=e.col_model_serial><div>{if model_serial.is_empty() { "—".to_owned() } else { model_serial }}</div></td>
                <td data-label=e.col_location><div>{r.location.clone().unwrap_or_else(|| "—".into())}</div></td>
                <td data-label=e.col_open><div>
                    {if r.open_tickets > 0 {
                        view! { <span class="badge badge--warning">{r.open_tickets}</span> }.into_any()
                    } else {
                        view! { <span class="muted">"0"</span> }.into_any()
                    }}
                </div></td>
            </tr>
        }
    };
    let labels_href = move || {
        let ids = selected.with(|s| {
            s.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        });
        format!("/equipment/labels?ids={ids}")
    };
    view! {
        <Title text=format!("{} · Atrium", tr.nav_equipment) />
        <div class="page-header page-header--row">
            <div>
                <h1 class="page-title">{tr.nav_equipment}</h1>
                <p class="page-lead">{e.lead}</p>
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let o = options.await.unwrap_or_default();
                    o.can_manage.then(|| view! {
                        <div class="header-actions">
                            <a class="btn btn--secondary" href=labels_href
                                class:btn--disabled=move || selected.with(|s| s.is_empty())
                                aria-disabled=move || selected.with(|s| s.is_empty()).to_string()
                                data-testid="print-labels">
                                {move || {
                                    let n = selected.with(|s| s.len());
                                    if n == 0 { e.print_labels.to_owned() } else { format!("{} ({n})", e.print_labels) }
                                }}
                            </a>
                            <a class="btn btn--primary" href="/equipment/new">{e.add}</a>
                        </div>
                    })
                })}
            </Suspense>
        </div>
        <Form method="GET" action="" attr:class="toolbar" attr:role="search">
            <div class="toolbar__field toolbar__field--grow">
                <label for="f-q">{tr.search_label}</label>
                <input class="input" id="f-q" type="search" name="q" value=q("q") placeholder=e.search_hint maxlength="200" />
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let o = options.await.unwrap_or_default();
                    let current_company = q("company");
                    let current_class = q("class");
                    view! {
                        {(o.companies.len() > 1).then(|| view! {
                            <div class="toolbar__field">
                                <label for="f-company">{tr.col_company}</label>
                                <select class="input" id="f-company" name="company">
                                    <option value="" selected=current_company.is_empty()>{tr.any}</option>
                                    {o.companies.iter().map(|(id, name)| {
                                        let selected = id.to_string() == current_company;
                                        view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
                                    }).collect::<Vec<_>>()}
                                </select>
                            </div>
                        })}
                        <div class="toolbar__field">
                            <label for="f-class">{e.col_class}</label>
                            <select class="input" id="f-class" name="class">
                                <option value="" selected=current_class.is_empty()>{tr.any}</option>
                                {o.classes.iter().map(|c| {
                                    let selected = *c == current_class;
                                    view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                                }).collect::<Vec<_>>()}
                            </select>
                        </div>
                    }
                })}
            </Suspense>
            <div class="toolbar__field">
                <label for="f-kind">{e.kind_label}</label>
                <select class="input" id="f-kind" name="kind">
                    <option value="" selected=move || q("kind").is_empty()>{tr.any}</option>
                    {Kind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() selected=move || q("kind") == k.code()>{kind_label(tr, k)}</option>
                    }).collect::<Vec<_>>()}
                </select>
            </div>
            {move || (!q("parent").is_empty()).then(|| view! { <input type="hidden" name="parent" value=q("parent") /> })}
            <label class="check check--inline">
                <input type="checkbox" name="retired" value="1" checked=move || q("retired") == "1" />
                <span>{e.retired_only}</span>
            </label>
            <button class="btn btn--secondary" type="submit">{tr.apply}</button>
        </Form>
        {paged_list(
            filter,
            |f, cursor| equipment_list(EquipmentFilter { after: cursor, ..f }),
            row,
            header,
            (e.empty, e.empty_hint),
        )}
    }
}

// ------------------------------------------------------------------ the passport

#[component]
pub fn PassportPage() -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let reload = RwSignal::new(0u32);
    let page = Resource::new(
        move || (id(), reload.get()),
        |(id, _)| equipment_passport(id),
    );
    let action_error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<&'static str>);
    let retire = Action::new(move |args: &(i64, bool)| retire_equipment(args.0, args.1));
    let rotate = Action::new(move |id: &i64| rotate_qr(*id));
    Effect::new(move |_| {
        if let Some(outcome) = retire.value().get() {
            match outcome {
                Ok(()) => reload.update(|n| *n += 1),
                Err(err) => action_error.set(Some(err)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = rotate.value().get() {
            match outcome {
                Ok(()) => {
                    notice.set(Some(e.rotated));
                    reload.update(|n| *n += 1);
                }
                Err(err) => action_error.set(Some(err)),
            }
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok(p) => {
                        let o = p.passport.clone();
                        let oid = o.id;
                        let retired = o.retired_at.is_some();
                        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
                        view! {
                            <Title text=format!("{} · Atrium", o.name) />
                            <div class="page-header page-header--row">
                                <div>
                                    <p class="muted small">
                                        <a href=format!("/equipment?company={}", o.company_id)>{o.company.clone()}</a>
                                        {o.path.iter().map(|(pid, name)| view! {
                                            " › " <a href=format!("/equipment/{pid}")>{name.clone()}</a>
                                        }).collect::<Vec<_>>()}
                                    </p>
                                    <h1 class="page-title">{o.name.clone()}" " {kind_badge(tr, o.kind)}
                                        {retired.then(|| view! { " " <span class="badge badge--neutral">{e.retired_badge}</span> })}
                                    </h1>
                                </div>
                                <div class="header-actions">
                                    {p.can_file.then(|| view! {
                                        <a class="btn btn--primary" href=format!("/tickets/new?company={}&equipment={oid}", o.company_id)>{e.file_ticket}</a>
                                    })}
                                    {p.can_manage.then(|| view! {
                                        <a class="btn btn--secondary" href=format!("/equipment/{oid}/edit")>{e.edit}</a>
                                        {if retired {
                                            view! { <button type="button" class="btn btn--secondary" on:click=move |_| { action_error.set(None); retire.dispatch((oid, false)); }>{e.restore}</button> }.into_any()
                                        } else {
                                            view! { <button type="button" class="btn btn--secondary" on:click=move |_| { action_error.set(None); retire.dispatch((oid, true)); }>{e.retire}</button> }.into_any()
                                        }}
                                    })}
                                </div>
                            </div>
                            {move || action_error.get().map(|err| {
                                let text = err.field_problem("retire").map(|p| tr.problem(p)).unwrap_or_else(|| tr.error(&err));
                                view! { <div class="notice notice--danger" role="alert">{text}</div> }
                            })}
                            {move || notice.get().map(|n| view! { <Notice text=n /> })}
                            <div class="passport">
                                <div class="stack">
                                    <section class="card">
                                        <h2 class="card__title">{e.passport}</h2>
                                        <div class="passport__body">
                                            {o.photo_id.map(|photo| view! {
                                                <img class="passport__photo" src=format!("/files/{photo}/thumb") alt=e.photo />
                                            })}
                                            <dl class="summary">
                                                <dt>{e.col_class}</dt><dd>{text(&o.class)}</dd>
                                                <dt>{e.model}</dt><dd>{text(&o.model)}</dd>
                                                <dt>{e.manufacturer}</dt><dd>{text(&o.manufacturer)}</dd>
                                                <dt>{e.serial}</dt><dd class="mono">{text(&o.serial_number)}</dd>
                                                <dt>{e.installed_on}</dt><dd>{text(&o.installed_on)}</dd>
                                                <dt>{e.warranty_until}</dt><dd>{text(&o.warranty_until)}</dd>
                                                <dt>{e.col_location}</dt><dd>{text(&o.location)}</dd>
                                            </dl>
                                        </div>
                                        {o.notes.clone().map(|n| view! { <h3 class="card__subtitle">{e.notes}</h3><p class="prewrap">{n}</p> })}
                                    </section>
                                    <section class="card">
                                        <h2 class="card__title">{e.tickets}</h2>
                                        {if p.tickets.is_empty() {
                                            view! { <p class="muted">{e.no_tickets}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="plain-list" data-testid="object-tickets">
                                                    {p.tickets.iter().map(|(tid, number, subject, stage, at)| {
                                                        let stage = Stage::from_code(stage).unwrap_or(Stage::New);
                                                        view! {
                                                            <li class="plain-list__item">
                                                                <a class="strong-link mono" href=format!("/tickets/{tid}")>{number.clone()}</a>" "
                                                                <span>{subject.clone()}</span>" "
                                                                <StageBadge stage />
                                                                <span class="muted small">" · "<LocalTime at=*at /></span>
                                                            </li>
                                                        }
                                                    }).collect::<Vec<_>>()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </section>
                                    {(!p.children.is_empty() || (p.can_manage && o.kind != Kind::Unit)).then(|| view! {
                                        <section class="card">
                                            <h2 class="card__title">{e.inside}</h2>
                                            <ul class="plain-list">
                                                {p.children.iter().map(|(cid, kind, name)| view! {
                                                    <li class="plain-list__item"><a href=format!("/equipment/{cid}")>{name.clone()}</a>" " {kind_badge(tr, *kind)}</li>
                                                }).collect::<Vec<_>>()}
                                            </ul>
                                            {(p.can_manage && o.kind != Kind::Unit && !retired).then(|| view! {
                                                <a class="btn btn--secondary btn--small" href=format!("/equipment/new?company={}&parent={oid}", o.company_id)>{e.add_inside}</a>
                                            })}
                                        </section>
                                    })}
                                </div>
                                <div class="stack">
                                    {p.qr_svg.clone().map(|svg| {
                                        let url = p.qr_url.clone().unwrap_or_default();
                                        view! {
                                            <section class="card qr-card">
                                                <h2 class="card__title">{e.label}</h2>
                                                <div class="qr-card__code" data-testid="qr" inner_html=svg></div>
                                                <p class="qr-card__url mono small"><a href=url.clone() data-testid="qr-url">{url.clone()}</a></p>
                                                <p class="muted small">{e.label_hint}</p>
                                                <div class="form__actions">
                                                    <a class="btn btn--secondary btn--small" href=format!("/equipment/labels?ids={oid}")>{e.print_label}</a>
                                                    <button type="button" class="btn btn--ghost btn--small" data-testid="rotate"
                                                        on:click=move |_| {
                                                            #[cfg(feature = "hydrate")]
                                                            {
                                                                if !window().confirm_with_message(e.rotate_confirm).unwrap_or(false) { return; }
                                                            }
                                                            action_error.set(None);
                                                            rotate.dispatch(oid);
                                                        }>
                                                        {e.rotate}
                                                    </button>
                                                </div>
                                            </section>
                                        }
                                    })}
                                    <section class="card">
                                        <h2 class="card__title">{e.contracts}</h2>
                                        {if p.contracts.is_empty() {
                                            view! { <p class="muted">{e.no_contracts}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="plain-list">
                                                    {p.contracts.iter().map(|(_, number, title, starts, ends)| view! {
                                                        <li class="plain-list__item">
                                                            <strong>{number.clone()}</strong>" · "{title.clone()}
                                                            <span class="muted small">" · "{starts.clone()}" — "{ends.clone().unwrap_or_else(|| "…".into())}</span>
                                                        </li>
                                                    }).collect::<Vec<_>>()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </section>
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

// ------------------------------------------------------------------ the form

/// `/equipment/new` and `/equipment/:id/edit`.
#[component]
pub fn EquipmentFormPage() -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .with_untracked(|p| p.get("id"))
        .and_then(|v| v.parse::<i64>().ok());
    let preset = |k: &str| {
        query
            .with_untracked(|q| q.get(k))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let (company_q, parent_q) = (preset("company"), preset("parent"));
    let data = Resource::new(|| (), move |_| equipment_form(id, company_q, parent_q));
    view! {
        <Title text=format!("{} · Atrium", if id.is_some() { e.edit_title } else { e.new_title }) />
        <header class="page-header">
            <h1 class="page-title">{if id.is_some() { e.edit_title } else { e.new_title }}</h1>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <EquipmentForm id data=d /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A text field of the object form: name, label, tooltip, input type, value.
type TextSpec = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    RwSignal<String>,
);

#[component]
fn EquipmentForm(id: Option<i64>, data: crate::api::equipment::EquipmentFormData) -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let i = data.input.clone();
    let company = RwSignal::new(i.company_id);
    let parent = RwSignal::new(i.parent_id.unwrap_or(0));
    let kind = RwSignal::new(i.kind.clone());
    let text_fields: [TextSpec; 9] = [
        (
            "name",
            e.col_name,
            Some(e.name_info),
            "text",
            RwSignal::new(i.name.clone()),
        ),
        (
            "class",
            e.col_class,
            Some(e.class_info),
            "text",
            RwSignal::new(i.class.clone()),
        ),
        (
            "model",
            e.model,
            None,
            "text",
            RwSignal::new(i.model.clone()),
        ),
        (
            "manufacturer",
            e.manufacturer,
            None,
            "text",
            RwSignal::new(i.manufacturer.clone()),
        ),
        (
            "serial_number",
            e.serial,
            Some(e.serial_info),
            "text",
            RwSignal::new(i.serial_number.clone()),
        ),
        (
            "installed_on",
            e.installed_on,
            None,
            "date",
            RwSignal::new(i.installed_on.clone()),
        ),
        (
            "warranty_until",
            e.warranty_until,
            Some(e.warranty_info),
            "date",
            RwSignal::new(i.warranty_until.clone()),
        ),
        (
            "location",
            e.col_location,
            Some(e.location_info),
            "text",
            RwSignal::new(i.location.clone()),
        ),
        (
            "notes",
            e.notes,
            None,
            "textarea",
            RwSignal::new(i.notes.clone()),
        ),
    ];
    let value = move |n: usize| text_fields[n].4.get_untracked();
    let notes = text_fields[8].4;
    let containers = RwSignal::new(data.containers.clone());
    let photo = RwSignal::new(i.photo_id);
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<AppError>);
    let load_containers = Action::new(move |company: &i64| equipment_containers(*company));
    Effect::new(move |_| {
        if let Some(Ok(list)) = load_containers.value().get() {
            containers.set(list);
        }
    });
    // The newest stored upload becomes the photo.
    Effect::new(move |_| {
        uploads.with(|u| {
            if let Some(id) = u.iter().rev().find_map(|x| match x {
                Upload::Stored(f) if f.is_image => Some(f.id),
                _ => None,
            }) {
                photo.set(Some(id));
            }
        })
    });
    let save = Action::new(move |input: &EquipmentInput| save_equipment(id, input.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => navigate(&format!("/equipment/{saved}"), Default::default()),
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        save.dispatch(EquipmentInput {
            company_id: company.get_untracked(),
            parent_id: Some(parent.get_untracked()).filter(|p| *p > 0),
            kind: kind.get_untracked(),
            name: value(0),
            class: value(1),
            model: value(2),
            manufacturer: value(3),
            serial_number: value(4),
            installed_on: value(5),
            warranty_until: value(6),
            location: value(7),
            notes: value(8),
            photo_id: photo.get_untracked(),
        });
    };
    let labels: Vec<(&'static str, &'static str)> = [
        ("company", tr.col_company),
        ("parent", e.parent),
        ("kind", e.kind_label),
        ("photo", e.photo),
    ]
    .into_iter()
    .chain(text_fields.iter().map(|f| (f.0, f.1)))
    .collect();
    let company_error = field_error(error, "company");
    let parent_error = field_error(error, "parent");
    let kind_error = field_error(error, "kind");
    let photo_error = field_error(error, "photo");
    let notes_error = field_error(error, "notes");
    let companies = data.companies.clone();
    let company_name = data.company_name.clone();
    let cancel_href = id.map_or_else(|| "/equipment".to_owned(), |id| format!("/equipment/{id}"));
    view! {
        <form class="form card form--wide" novalidate on:submit=submit>
            <ErrorSummary error labels />
            <div class="grid-2">
                <div class="field" class:field--invalid=move || company_error.get().is_some()>
                    <label class="field__label" for="f-company">{tr.col_company}</label>
                    {move || company_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    {if id.is_some() {
                        view! { <input class="input" id="f-company" type="text" readonly value=company_name.clone() /> }.into_any()
                    } else {
                        view! {
                            <select class="input" id="f-company" on:change=move |ev| {
                                let c = event_target_value(&ev).parse().unwrap_or(0);
                                company.set(c);
                                parent.set(0);
                                containers.set(Vec::new());
                                if c > 0 { load_containers.dispatch(c); }
                            }>
                                <option value="0" selected=company.get_untracked() == 0>{tr.choose}</option>
                                {companies.iter().map(|(cid, name)| {
                                    let selected = company.get_untracked() == *cid;
                                    view! { <option value=cid.to_string() selected=selected>{name.clone()}</option> }
                                }).collect::<Vec<_>>()}
                            </select>
                        }.into_any()
                    }}
                </div>
                <div class="field" class:field--invalid=move || kind_error.get().is_some()>
                    <div class="field__label-row">
                        <label class="field__label" for="f-kind">{e.kind_label}</label>
                        <InfoTip text=e.kind_info id="f-kind".to_owned() />
                    </div>
                    {move || kind_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <select class="input" id="f-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {Kind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=kind.get_untracked() == k.code()>{kind_label(tr, k)}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div class="field" class:field--invalid=move || parent_error.get().is_some()>
                    <label class="field__label" for="f-parent">{e.parent}</label>
                    {move || parent_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <select class="input" id="f-parent" on:change=move |ev| parent.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0" selected=move || parent.get() == 0>{e.parent_none}</option>
                        {move || containers.get().into_iter().map(|(cid, k, name)| view! {
                            <option value=cid.to_string() selected=parent.get_untracked() == cid>{format!("{name} ({})", kind_label(tr, k))}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
                {text_fields.into_iter().filter(|f| f.3 != "textarea").map(|(name, label, info, kind, value)| {
                    let message = field_error(error, name);
                    match info {
                        Some(info) => view! { <TextField name label value error=message info kind maxlength=300 /> }.into_any(),
                        None => view! { <TextField name label value error=message kind maxlength=300 /> }.into_any(),
                    }
                }).collect::<Vec<_>>()}
            </div>
            <div class="field" class:field--invalid=move || notes_error.get().is_some()>
                <label class="field__label" for="f-notes">{e.notes}</label>
                {move || notes_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                <textarea class="input" id="f-notes" rows="4" maxlength="4000" bind:value=notes></textarea>
            </div>
            {move || photo.get().map(|p| view! { <img class="passport__photo passport__photo--small" src=format!("/files/{p}/thumb") alt=e.photo /> })}
            <FilePicker uploads error=photo_error photo=e.photo />
            <div class="form__actions">
                <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{e.save}</button>
                <a class="btn btn--ghost" href=cancel_href>{tr.acts.cancel}</a>
            </div>
        </form>
    }
}

// ------------------------------------------------------------------ the label sheet

/// Labels on a sheet of A4 label paper: 3 × 8 labels of 70 × 37 mm per page.
pub const LABELS_PER_SHEET: usize = 24;

/// `/equipment/labels?ids=1,2,3`: the printable sheet (outside the layout).
#[component]
pub fn LabelsPage() -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let query = use_query_map();
    let ids = query.with_untracked(|q| q.get("ids").unwrap_or_default());
    let labels = Resource::new(|| (), move |_| equipment_labels(ids.clone()));
    view! {
        <Title text=format!("{} · Atrium", e.labels_title) />
        <div class="print-page print-page--labels">
            <div class="print-page__bar no-print">
                <a class="btn btn--secondary btn--small" href="/equipment">"← "{tr.nav_equipment}</a>
                <span class="muted small">{e.labels_lead}</span>
                <button type="button" class="btn btn--primary btn--small" data-testid="print"
                    on:click=move |_| {
                        #[cfg(feature = "hydrate")]
                        { let _ = window().print(); }
                    }>
                    {tr.acts.print}
                </button>
            </div>
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {move || Suspend::new(async move {
                    match labels.await {
                        Ok(list) if list.is_empty() => view! { <p class="notice notice--info no-print">{e.labels_none}</p> }.into_any(),
                        Ok(list) => view! {
                            {list.chunks(LABELS_PER_SHEET).map(|sheet| view! {
                                <div class="label-sheet">
                                    {sheet.iter().map(|l| view! {
                                        <div class="label" data-testid="label">
                                            <div class="label__code" inner_html=l.qr_svg.clone()></div>
                                            <div class="label__text">
                                                <span class="label__company">{l.company.clone()}</span>
                                                <strong class="label__name">{l.name.clone()}</strong>
                                                {l.serial_number.clone().map(|s| view! { <span class="label__serial">"S/N "{s}</span> })}
                                                <span class="label__hint">{e.label_scan}</span>
                                                <span class="label__url">{l.short_url.clone()}</span>
                                            </div>
                                        </div>
                                    }).collect::<Vec<_>>()}
                                </div>
                            }).collect::<Vec<_>>()}
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

// ------------------------------------------------------------------ public pages

/// `/q/:token`: what anyone who scans a label sees.
#[component]
pub fn PublicObjectPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let object = Resource::new(|| (), {
        let token = token.clone();
        move |_| public_object(token.clone())
    });
    let body = move || {
        let token = token.clone();
        Suspend::new(async move {
            match object.await {
                Ok(o) => public_body(tr, token, o).into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            }
        })
    };
    view! {
        <AuthFrame wide=true>
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {body}
            </Suspense>
        </AuthFrame>
    }
}

fn public_body(tr: &'static Tr, token: String, o: PublicLabel) -> impl IntoView {
    let e = tr.equipment;
    match o.state {
        LabelState::Unknown | LabelState::Retired => {
            let (title, text) = if o.state == LabelState::Unknown {
                (e.invalid_title, e.invalid_text)
            } else {
                (e.retired_title, e.retired_text)
            };
            view! {
                <Title text=format!("{title} · Atrium") />
                <h1 class="auth__title" data-testid="label-state">{title}</h1>
                <p class="auth__lead">{text}</p>
            }
            .into_any()
        }
        LabelState::Live => {
            let query = use_query_map();
            let q = move |k: &str| query.with_untracked(|q| q.get(k));
            let reported = q("reported");
            let photo_src = format!("/q/{token}/photo");
            view! {
                <Title text=format!("{} · Atrium", o.name) />
                <p class="muted small">{o.company.clone()}</p>
                <h1 class="auth__title">{o.name.clone()}</h1>
                <div class="public__passport">
                    {o.has_photo.then(|| view! { <img class="passport__photo" src=photo_src alt=e.photo /> })}
                    <dl class="summary summary--narrow">
                        <dt>{e.kind_label}</dt><dd>{kind_label(tr, o.kind)}</dd>
                        {o.class.clone().map(|c| view! { <dt>{e.col_class}</dt><dd>{c}</dd> })}
                        {o.location.clone().map(|l| view! { <dt>{e.col_location}</dt><dd>{l}</dd> })}
                    </dl>
                </div>
                {o.added.then(|| view! { <Notice text=e.added /> })}
                {o.passport.map(|id| view! {
                    <p><a class="btn btn--secondary btn--block" href=format!("/equipment/{id}")>{e.open_in_app}</a></p>
                })}
                {match reported {
                    Some(number) => {
                        let text = if number.is_empty() { e.received.to_owned() } else { e.reported.replace("{}", &number) };
                        view! { <div class="notice notice--success" role="status" data-testid="reported">{text}</div> }.into_any()
                    }
                    None => view! {
                        {o.open_ticket.clone().map(|t| {
                            let stage = Stage::from_code(&t.stage).unwrap_or(Stage::New);
                            view! {
                                <div class="notice notice--info" data-testid="already-reported">
                                    <strong>{e.already_title}</strong>" "
                                    {e.already_text.split("{}").next().unwrap_or("").to_owned()}
                                    <strong class="nowrap">{t.number.clone()}</strong>
                                    {e.already_text.split("{}").nth(1).unwrap_or("").to_owned()}" "
                                    <StageBadge stage />
                                    {t.link.map(|id| view! { " " <a href=format!("/tickets/{id}")>{e.follow}</a> })}
                                </div>
                            }
                        })}
                        <ReportForm token=token.clone() />
                    }.into_any(),
                }}
                {(!o.signed_in).then(|| view! { <RegisterForm token=token.clone() /> })}
            }
            .into_any()
        }
    }
}

/// "Report a problem": a plain multipart form (a photo, and no JavaScript needed); a
/// refused report comes back with the error and what was typed.
#[component]
fn ReportForm(token: String) -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let error = RwSignal::new(
        query
            .with_untracked(|q| q.get("error"))
            .and_then(|e| serde_json::from_str::<AppError>(&e).ok()),
    );
    let description = RwSignal::new(q("description"));
    let name = RwSignal::new(q("name"));
    let contact = RwSignal::new(q("contact"));
    let description_error = field_error(error, "description");
    let photo_error = field_error(error, "photo");
    let labels = vec![
        ("description", e.description),
        ("name", e.your_name),
        ("contact", e.contact),
        ("photo", e.photo),
    ];
    view! {
        <section class="public__section" id="report">
            <h2 class="card__title">{e.report_title}</h2>
            <form class="form" method="post" enctype="multipart/form-data" novalidate action=format!("/q/{token}/report")>
                <ErrorSummary error labels />
                <div class="field" class:field--invalid=move || description_error.get().is_some()>
                    <label class="field__label" for="f-description">{e.description}</label>
                    <p class="field__hint">{e.description_hint}</p>
                    {move || description_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <textarea class="input" id="f-description" name="description" rows="4" maxlength="4000"
                        prop:value=move || description.get()>{description.get_untracked()}</textarea>
                </div>
                <div class="field-set-inline">
                    <NamedField name="name" label=e.your_name value=name error=field_error(error, "name") autocomplete="name" />
                    <NamedField name="contact" label=e.contact value=contact error=field_error(error, "contact") autocomplete="tel" info=e.contact_info />
                </div>
                <div class="field" class:field--invalid=move || photo_error.get().is_some()>
                    <label class="field__label" for="f-photo">{e.photo}</label>
                    {move || photo_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <input class="input" id="f-photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" />
                </div>
                // The honeypot: hidden from people (and from screen readers), filled by bots.
                <div class="honeypot" aria-hidden="true">
                    <label for="f-website">"Website"</label>
                    <input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off" />
                </div>
                <button class="btn btn--primary btn--block" type="submit">{e.send_report}</button>
            </form>
        </section>
    }
}

/// A text input that posts under its name (for the plain report form).
#[component]
fn NamedField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    autocomplete: &'static str,
    #[prop(optional)] info: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <div class="field__label-row">
                <label class="field__label" for=id.clone()>{label}</label>
                {info.map(|text| view! { <InfoTip text id=id.clone() /> })}
            </div>
            {move || error.get().map(|m| view! { <p class="field__error">{m}</p> })}
            <input class="input" id=id.clone() name=name type="text" maxlength="200" autocomplete=autocomplete
                value=value.get_untracked() on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// Registering through the label: an account that sees only the objects scanned.
#[component]
fn RegisterForm(token: String) -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(None::<String>);
    let register = Action::new(move |input: &(String, RegisterInput)| {
        register_by_qr(input.0.clone(), input.1.clone())
    });
    Effect::new(move |_| match register.value().get() {
        Some(Ok(to)) => sent.set(Some(to)),
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    let sign_in_href = format!(
        "/sign-in?next={}",
        crate::domain::url::query_escape(&format!("/q/{token}"))
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        register.dispatch((
            token.clone(),
            RegisterInput {
                name: name.get_untracked(),
                login: login.get_untracked(),
                password: password.get_untracked(),
                website: website.get_untracked(),
            },
        ));
    };
    let labels = vec![
        ("name", e.your_name),
        ("login", tr.login_label),
        ("password", tr.password_label),
    ];
    view! {
        <section class="public__section" id="register">
            <h2 class="card__title">{e.register_title}</h2>
            <p class="muted">{e.register_lead}</p>
            {move || match sent.get() {
                Some(to) => view! { <div class="notice notice--success" role="status" data-testid="registration-sent">{e.sent.replace("{}", &to)}</div> }.into_any(),
                None => view! {
                    <form class="form" novalidate on:submit=submit.clone()>
                        <ErrorSummary error labels=labels.clone() />
                        <TextField name="reg_name" label=e.your_name value=name error=field_error(error, "name") autocomplete="name" maxlength=120 />
                        <TextField name="login" label=tr.login_label value=login error=field_error(error, "login") autocomplete="username" info=e.login_info maxlength=200 />
                        <TextField name="password" label=tr.password_label value=password error=field_error(error, "password") kind="password" autocomplete="new-password" maxlength=128 />
                        <div class="honeypot" aria-hidden="true">
                            <label for="f-website2">"Website"</label>
                            <input id="f-website2" type="text" tabindex="-1" autocomplete="off" bind:value=website />
                        </div>
                        <button class="btn btn--secondary btn--block" type="submit" disabled=move || register.pending().get()>{e.register}</button>
                    </form>
                }.into_any(),
            }}
            <p class="auth__links"><a href=sign_in_href>{e.have_account}</a></p>
        </section>
    }
}

/// `/register/confirm?token=…`: the link sent when registering through a label.
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let tr = use_tr();
    let e = tr.equipment;
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let confirm = Action::new(move |token: &String| confirm_registration(token.clone()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = confirm.value().get() {
            // A full load, so that the whole app starts with the new session.
            #[cfg(feature = "hydrate")]
            {
                let _ = window().location().set_href(&format!("/equipment/{id}"));
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    let failed = move || confirm.value().get().is_some_and(|r| r.is_err());
    view! {
        <AuthFrame wide=true>
            <Title text=format!("{} · Atrium", e.confirm_title) />
            <h1 class="auth__title">{e.confirm_title}</h1>
            {move || if failed() {
                view! { <div class="notice notice--danger" role="alert" data-testid="confirm-failed">{e.confirm_failed}</div> }.into_any()
            } else {
                view! { <p class="auth__lead">{e.confirm_lead}</p> }.into_any()
            }}
            <button class="btn btn--primary btn--block" type="button" data-testid="confirm"
                disabled=move || confirm.pending().get()
                on:click=move |_| { confirm.dispatch(token.clone()); }>
                {e.confirm_button}
            </button>
        </AuthFrame>
    }
}
