//! `/settings/tickets`: the admin's ticket types, work types and SLA rules.

use crate::api::ticket_settings::{
    delete_sla_rule, save_sla_rule, save_ticket_field, save_type_entry, ticket_settings, RuleLine,
    TicketSettingsData,
};
use crate::domain::settings::{
    format_hours, CatalogEntry, CatalogInput, FieldEntry, FieldInput, SlaRuleInput,
};
use crate::domain::ticket::{Criticality, FieldKind};
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::{field_error, ErrorPanel, ErrorSummary, TextField};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TicketSettingsPage() -> impl IntoView {
    let tr = use_tr();
    let s = tr.settings;
    let reload = RwSignal::new(0u32);
    let data = Resource::new(move || reload.get(), |_| ticket_settings());
    view! {
        <Title text=format!("{} · Atrium", s.title) />
        <header class="page-header">
            <h1 class="page-title">{s.title}</h1>
            <p class="page-lead">{s.lead}</p>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <div class="stack">
                            <CatalogSection work=false entries=d.ticket_types.clone() reload />
                            <CatalogSection work=true entries=d.work_types.clone() reload />
                            <FieldsSection fields=d.fields.clone() reload />
                            <RulesSection data=d reload />
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Ticket types or work types: the list with archive/restore, and the form to add one.
#[component]
fn CatalogSection(work: bool, entries: Vec<CatalogEntry>, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let s = tr.settings;
    let name = RwSignal::new(String::new());
    let classes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |args: &(Option<String>, CatalogInput, bool)| {
        save_type_entry(work, args.0.clone(), args.1.clone(), args.2)
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            classes.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let prefix = if work { "work" } else { "type" };
    let title = if work {
        s.work_types_title
    } else {
        s.types_title
    };
    view! {
        <section class="card" data-testid=format!("{prefix}-section")>
            <h2 class="card__title">{title}</h2>
            <p class="muted">{if work { s.work_types_lead } else { s.types_lead }}</p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{s.col_name}</th>
                        <th scope="col">{s.col_code}</th>
                        {work.then(|| view! { <th scope="col">{s.col_classes}</th> })}
                        <th scope="col">{tr.col_status}</th>
                        <th scope="col"><span class="visually-hidden">{s.actions}</span></th>
                    </tr></thead>
                    <tbody>
                        {entries.into_iter().map(|e| {
                            let (code, ename, eclasses, archived) = (e.code.clone(), e.name.clone(), e.classes.clone(), e.archived);
                            view! {
                                <tr>
                                    <td data-label=s.col_name><div>{e.name.clone()}</div></td>
                                    <td data-label=s.col_code><div class="mono">{e.code.clone()}</div></td>
                                    {work.then(|| view! { <td data-label=s.col_classes><div>{if e.classes.is_empty() { s.any_class.to_owned() } else { e.classes.replace(',', ", ") }}</div></td> })}
                                    <td data-label=tr.col_status><div>
                                        <span class=if archived { "badge badge--neutral" } else { "badge badge--success" }>{if archived { s.archived } else { s.active }}</span>
                                    </div></td>
                                    <td class="table__actions"><div>
                                        <button type="button" class="btn btn--small btn--secondary"
                                            aria-label=format!("{} {}", if archived { s.restore } else { s.archive }, e.name)
                                            on:click=move |_| {
                                                error.set(None);
                                                save.dispatch((Some(code.clone()), CatalogInput { name: ename.clone(), classes: eclasses.clone() }, !archived));
                                            }>
                                            {if archived { s.restore } else { s.archive }}
                                        </button>
                                    </div></td>
                                </tr>
                            }
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            </div>
            <form class="form--row spaced" novalidate on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                error.set(None);
                save.dispatch((None, CatalogInput { name: name.get_untracked(), classes: classes.get_untracked() }, false));
            }>
                <TextField name=if work { "work_name" } else { "type_name" } label=s.col_name value=name error=field_error(error, "name") maxlength=100 />
                {work.then(|| view! {
                    <TextField name="work_classes" label=s.col_classes value=classes error=field_error(error, "classes") info=s.classes_info maxlength=300 />
                })}
                <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>
                    {if work { s.add_work_type } else { s.add_type }}
                </button>
            </form>
        </section>
    }
}

fn kind_label(tr: &'static Tr, kind: FieldKind) -> &'static str {
    let s = tr.settings;
    match kind {
        FieldKind::Text => s.kind_text,
        FieldKind::Number => s.kind_number,
        FieldKind::Date => s.kind_date,
        FieldKind::Choice => s.kind_choice,
    }
}

/// The additional fields of the ticket form.
#[component]
fn FieldsSection(fields: Vec<FieldEntry>, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let s = tr.settings;
    let label = RwSignal::new(String::new());
    let kind = RwSignal::new(FieldKind::Text.code().to_owned());
    let unit = RwSignal::new(String::new());
    let choices = RwSignal::new(String::new());
    let required = RwSignal::new(false);
    let staff_only = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |args: &(Option<i64>, FieldInput, bool)| {
        save_ticket_field(args.0, args.1.clone(), args.2)
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            label.set(String::new());
            unit.set(String::new());
            choices.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let choices_error = field_error(error, "choices");
    let labels = vec![
        ("label", s.col_label),
        ("kind", s.col_kind),
        ("unit", s.col_unit),
        ("choices", s.col_choices),
    ];
    view! {
        <section class="card" data-testid="field-section">
            <h2 class="card__title">{s.fields_title}</h2>
            <p class="muted">{s.fields_lead}</p>
            {(!fields.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{s.col_label}</th>
                            <th scope="col">{s.col_kind}</th>
                            <th scope="col">{s.col_who}</th>
                            <th scope="col">{tr.col_status}</th>
                            <th scope="col"><span class="visually-hidden">{s.actions}</span></th>
                        </tr></thead>
                        <tbody>
                            {fields.into_iter().map(|f| {
                                let k = FieldKind::from_code(&f.input.kind).unwrap_or(FieldKind::Text);
                                let detail = match k {
                                    FieldKind::Number if !f.input.unit.is_empty() => format!("{} · {}", kind_label(tr, k), f.input.unit),
                                    FieldKind::Choice => format!("{} · {}", kind_label(tr, k), f.input.choices.lines().collect::<Vec<_>>().join(", ")),
                                    _ => kind_label(tr, k).to_owned(),
                                };
                                let who = format!(
                                    "{}{}",
                                    if f.input.staff_only { s.staff_only } else { s.everyone },
                                    if f.input.required { format!(" · {}", s.required) } else { String::new() }
                                );
                                let (id, archived, input) = (f.id, f.archived, f.input.clone());
                                view! {
                                    <tr>
                                        <td data-label=s.col_label><div>{f.input.label.clone()}</div></td>
                                        <td data-label=s.col_kind><div>{detail}</div></td>
                                        <td data-label=s.col_who><div>{who}</div></td>
                                        <td data-label=tr.col_status><div>
                                            <span class=if archived { "badge badge--neutral" } else { "badge badge--success" }>{if archived { s.archived } else { s.active }}</span>
                                        </div></td>
                                        <td class="table__actions"><div>
                                            <button type="button" class="btn btn--small btn--secondary"
                                                aria-label=format!("{} {}", if archived { s.restore } else { s.archive }, f.input.label)
                                                on:click=move |_| { error.set(None); save.dispatch((Some(id), input.clone(), !archived)); }>
                                                {if archived { s.restore } else { s.archive }}
                                            </button>
                                        </div></td>
                                    </tr>
                                }
                            }).collect::<Vec<_>>()}
                        </tbody>
                    </table>
                </div>
            })}
            <h3 class="card__subtitle">{s.add_field}</h3>
            <form class="form" novalidate on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                error.set(None);
                save.dispatch((None, FieldInput {
                    label: label.get_untracked(),
                    kind: kind.get_untracked(),
                    unit: unit.get_untracked(),
                    choices: choices.get_untracked(),
                    required: required.get_untracked(),
                    staff_only: staff_only.get_untracked(),
                }, false));
            }>
                <ErrorSummary error labels />
                <div class="grid-2">
                    <TextField name="field_label" label=s.col_label value=label error=field_error(error, "label") maxlength=100 />
                    <div class="field">
                        <label class="field__label" for="f-field_kind">{s.col_kind}</label>
                        <select class="input" id="f-field_kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {FieldKind::ALL.into_iter().map(|k| view! {
                                <option value=k.code() selected=move || kind.get() == k.code()>{kind_label(tr, k)}</option>
                            }).collect::<Vec<_>>()}
                        </select>
                    </div>
                    <div hidden=move || kind.get() != FieldKind::Number.code()>
                        <TextField name="field_unit" label=s.col_unit value=unit error=field_error(error, "unit") maxlength=20 />
                    </div>
                    <div class="field" class:field--invalid=move || choices_error.get().is_some() hidden=move || kind.get() != FieldKind::Choice.code()>
                        <label class="field__label" for="f-field_choices">{s.col_choices}</label>
                        {move || choices_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                        <textarea class="input" id="f-field_choices" rows="4" bind:value=choices></textarea>
                    </div>
                </div>
                <div class="form__checks">
                    <label class="check">
                        <input type="checkbox" bind:checked=required />
                        <span>{s.required}</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" bind:checked=staff_only />
                        <span>{s.staff_only}</span>
                    </label>
                </div>
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{s.add_field}</button>
                </div>
            </form>
        </section>
    }
}

fn rule_terms(tr: &'static Tr, d: &TicketSettingsData, r: &RuleLine) -> String {
    let s = tr.settings;
    let name_of = |list: &[CatalogEntry], code: &str| {
        list.iter()
            .find(|e| e.code == code)
            .map_or_else(|| code.to_owned(), |e| e.name.clone())
    };
    let mut terms = Vec::new();
    if let Some(t) = &r.ticket_type {
        terms.push(name_of(&d.ticket_types, t));
    }
    if let Some(c) = r.criticality.as_deref().and_then(Criticality::from_code) {
        terms.push(tr.criticality(c).to_owned());
    }
    if let Some(w) = &r.work_type {
        terms.push(name_of(&d.work_types, w));
    }
    terms.push(match &r.contract {
        Some(number) => s.contract_rule.replace("{}", number),
        None => s.any_contract.to_owned(),
    });
    terms.join(" · ")
}

#[component]
fn RulesSection(data: TicketSettingsData, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let s = tr.settings;
    let fields: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [name, ticket_type, criticality, work_type, reaction, resolution] = fields;
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &SlaRuleInput| save_sla_rule(None, input.clone()));
    let delete = Action::new(move |id: &i64| delete_sla_rule(*id));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            for f in fields {
                f.set(String::new());
            }
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let select = move |id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       choices: Vec<(String, String)>| {
        let message = field_error(error, id);
        view! {
            <div class="field" class:field--invalid=move || message.get().is_some()>
                <label class="field__label" for=format!("f-{id}")>{label}</label>
                {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                <select class="input" id=format!("f-{id}") on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="" selected=move || value.get().is_empty()>{tr.any}</option>
                    {choices.into_iter().map(|(code, label)| {
                        let c = code.clone();
                        view! { <option value=code selected=move || value.get() == c>{label}</option> }
                    }).collect::<Vec<_>>()}
                </select>
            </div>
        }
    };
    let active = |list: &[CatalogEntry]| {
        list.iter()
            .filter(|e| !e.archived)
            .map(|e| (e.code.clone(), e.name.clone()))
            .collect::<Vec<_>>()
    };
    let labels = vec![
        ("name", s.col_name),
        ("ticket_type", tr.ticket_type),
        ("criticality", tr.criticality_label),
        ("work_type", tr.work_type),
        ("reaction_hours", s.reaction_hours),
        ("resolution_hours", s.resolution_hours),
    ];
    let lines = data
        .rules
        .iter()
        .map(|r| (r.clone(), rule_terms(tr, &data, r)))
        .collect::<Vec<_>>();
    view! {
        <section class="card" data-testid="rules-section">
            <h2 class="card__title">{s.rules_title}</h2>
            <p class="muted">{s.rules_lead}</p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{s.col_name}</th>
                        <th scope="col">{s.col_applies}</th>
                        <th scope="col">{s.col_reaction}</th>
                        <th scope="col">{s.col_resolution}</th>
                        <th scope="col"><span class="visually-hidden">{s.actions}</span></th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|(r, terms)| {
                            let id = r.id;
                            view! {
                                <tr>
                                    <td data-label=s.col_name><div>{r.name.clone()}</div></td>
                                    <td data-label=s.col_applies><div>{terms}</div></td>
                                    <td data-label=s.col_reaction><div class="nowrap">{format!("{} {}", format_hours(r.reaction_minutes), s.hours_unit)}</div></td>
                                    <td data-label=s.col_resolution><div class="nowrap">{format!("{} {}", format_hours(r.resolution_minutes), s.hours_unit)}</div></td>
                                    <td class="table__actions"><div>
                                        <button type="button" class="btn btn--small btn--ghost"
                                            aria-label=format!("{} {}", s.delete, r.name)
                                            on:click=move |_| { error.set(None); delete.dispatch(id); }>
                                            {s.delete}
                                        </button>
                                    </div></td>
                                </tr>
                            }
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            </div>
            <h3 class="card__subtitle">{s.add_rule}</h3>
            <form class="form" novalidate on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                error.set(None);
                save.dispatch(SlaRuleInput {
                    name: name.get_untracked(),
                    ticket_type: ticket_type.get_untracked(),
                    criticality: criticality.get_untracked(),
                    work_type: work_type.get_untracked(),
                    reaction_hours: reaction.get_untracked(),
                    resolution_hours: resolution.get_untracked(),
                });
            }>
                <ErrorSummary error labels />
                <div class="grid-2">
                    <TextField name="name" label=s.col_name value=name error=field_error(error, "name") maxlength=100 />
                    {select("ticket_type", tr.ticket_type, ticket_type, active(&data.ticket_types))}
                    {select("criticality", tr.criticality_label, criticality, Criticality::ALL.into_iter().map(|c| (c.code().to_owned(), tr.criticality(c).to_owned())).collect())}
                    {select("work_type", tr.work_type, work_type, active(&data.work_types))}
                    <TextField name="reaction_hours" label=s.reaction_hours value=reaction error=field_error(error, "reaction_hours") info=s.hours_info maxlength=10 />
                    <TextField name="resolution_hours" label=s.resolution_hours value=resolution error=field_error(error, "resolution_hours") info=s.hours_info maxlength=10 />
                </div>
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{s.add_rule}</button>
                </div>
            </form>
        </section>
    }
}
