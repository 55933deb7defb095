//! Planned tickets: the schedules, a form to add or edit one, pause and resume.

use crate::api::plans::{list_plans, plan_choices, save_plan, set_plan_paused, PlanItem};
use crate::domain::plan::PlanInput;
use crate::domain::ticket::Criticality;
use crate::domain::time::format_utc;
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::{field_error, ErrorPanel, ErrorSummary, Notice, PageHeader};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

fn schedule_text(tr: &'static Tr, p: &PlanItem) -> String {
    let time = format!("{:02}:{:02} UTC", p.time_of_day / 60, p.time_of_day % 60);
    if p.frequency == "weekly" {
        let day = tr
            .weekdays
            .get((p.weekday - 1).clamp(0, 6) as usize)
            .copied()
            .unwrap_or("");
        tr.plan_weekly
            .replace("{n}", &p.every_n.to_string())
            .replace("{day}", day)
            .replace("{time}", &time)
    } else {
        tr.plan_daily
            .replace("{n}", &p.every_n.to_string())
            .replace("{time}", &time)
    }
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let tr = use_tr();
    let version = RwSignal::new(0u32);
    let plans = Resource::new(move || version.get(), |_| list_plans());
    let editing = RwSignal::new(None::<(i64, PlanInput)>);
    let toggle = Action::new(move |(id, paused): &(i64, bool)| set_plan_paused(*id, *paused));
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <Title text=format!("{} · Atrium", tr.plans_title) />
        <PageHeader title=tr.plans_title lead=tr.plans_lead />
        <Transition fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match plans.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{tr.plans_empty}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{tr.col_subject}</th>
                                        <th scope="col">{tr.col_company}</th>
                                        <th scope="col">{tr.plan_schedule}</th>
                                        <th scope="col">{tr.col_performer}</th>
                                        <th scope="col">{tr.plan_next}</th>
                                        <th scope="col" class="num">{tr.plan_created}</th>
                                        <th scope="col"><span class="visually-hidden">{tr.col_actions}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|p| {
                                        let (id, paused) = (p.id, p.paused);
                                        let input = p.input.clone();
                                        view! {
                                            <tr>
                                                <td data-label=tr.col_subject>{p.subject.clone()}
                                                    {p.paused.then(|| view! { " " <span class="badge badge--warning">{tr.plan_paused}</span> })}
                                                </td>
                                                <td data-label=tr.col_company>{p.company.clone()}" · "
                                                    {if p.all_objects { tr.plan_all_objects.to_owned() } else { p.object.clone().unwrap_or_default() }}
                                                </td>
                                                <td data-label=tr.plan_schedule>{schedule_text(tr, &p)}</td>
                                                <td data-label=tr.col_performer>{p.performer.clone()}</td>
                                                <td data-label=tr.plan_next class="nowrap">{p.next_run_at.filter(|_| !p.paused).map(format_utc).unwrap_or_else(|| "—".into())}</td>
                                                <td data-label=tr.plan_created class="num">{p.created_count}</td>
                                                <td data-label=tr.col_actions class="row-actions">
                                                    <button type="button" class="btn btn--small btn--secondary" on:click=move |_| { toggle.dispatch((id, !paused)); }>
                                                        {if paused { tr.plan_resume } else { tr.plan_pause }}
                                                    </button>
                                                    <button type="button" class="btn btn--small btn--secondary" on:click=move |_| editing.set(Some((id, input.clone())))>
                                                        {tr.edit}
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect::<Vec<_>>()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        {move || {
            let (id, input) = editing.get().unwrap_or_else(|| (0, PlanInput {
                frequency: "weekly".into(),
                every_n: 1,
                weekday: 1,
                time: "09:00".into(),
                criticality: "normal".into(),
                ticket_type: "maintenance".into(),
                ..PlanInput::default()
            }));
            view! { <PlanForm id input version editing /> }
        }}
    }
}

#[component]
fn PlanForm(
    id: i64,
    input: PlanInput,
    version: RwSignal<u32>,
    editing: RwSignal<Option<(i64, PlanInput)>>,
) -> impl IntoView {
    let tr = use_tr();
    let form = RwSignal::new(input);
    let company = Memo::new(move |_| form.with(|f| f.company_id));
    let choices = Resource::new(move || company.get(), plan_choices);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |input: &PlanInput| save_plan(id, input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            saved.set(true);
            error.set(None);
            version.update(|v| *v += 1);
            if id != 0 {
                editing.set(None);
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let text = move |name: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     get: fn(&PlanInput) -> String,
                     set: fn(&mut PlanInput, String)| {
        let message = field_error(error, name);
        let dom = format!("p-{name}");
        view! {
            <div class="field" class:field--invalid=move || message.get().is_some()>
                <label class="field__label" for=dom.clone()>{label}</label>
                {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                <input class="input" type=kind id=dom prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    let select = move |name: &'static str,
                       label: &'static str,
                       options: Vec<(String, String)>,
                       get: fn(&PlanInput) -> String,
                       set: fn(&mut PlanInput, String)| {
        let message = field_error(error, name);
        let dom = format!("p-{name}");
        let current = form.with_untracked(get);
        view! {
            <div class="field" class:field--invalid=move || message.get().is_some()>
                <label class="field__label" for=dom.clone()>{label}</label>
                {move || message.get().map(|m| view! { <p class="field__error">{m}</p> })}
                <select class="input" id=dom on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))>
                    <option value="" selected=current.is_empty() || current == "0">{tr.choose}</option>
                    {options.into_iter().map(|(v, l)| { let s = v == current; view! { <option value=v selected=s>{l}</option> } }).collect::<Vec<_>>()}
                </select>
            </div>
        }
    };
    let pairs = |c: Vec<crate::api::tickets::Choice>| {
        c.into_iter()
            .map(|c| (c.value, c.label))
            .collect::<Vec<_>>()
    };
    view! {
        <section class="card plan-form">
            <h2 class="card__title">{if id == 0 { tr.plan_new } else { tr.plan_edit }}</h2>
            {move || saved.get().then(|| view! { <Notice text=tr.saved_notice /> })}
            <ErrorSummary error />
            <form class="form form--wide" novalidate on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                saved.set(false);
                save.dispatch(form.get_untracked());
            }>
                <Transition>
                    {move || Suspend::new(async move {
                        let c = choices.await.unwrap_or_default();
                        view! {
                            <div class="grid-2">
                                {select("company", tr.col_company, pairs(c.companies), |f| f.company_id.to_string(), |f, v| { f.company_id = v.parse().unwrap_or(0); f.equipment_id = None; f.contract_id = None; })}
                                {select("equipment", tr.col_equipment, std::iter::once(("all".to_owned(), tr.plan_all_objects.to_owned())).chain(pairs(c.objects)).collect(),
                                    |f| if f.all_objects { "all".into() } else { f.equipment_id.map(|e| e.to_string()).unwrap_or_default() },
                                    |f, v| { f.all_objects = v == "all"; f.equipment_id = v.parse().ok(); })}
                                {select("contract", tr.contract, pairs(c.contracts), |f| f.contract_id.map(|e| e.to_string()).unwrap_or_default(), |f, v| f.contract_id = v.parse().ok())}
                                {select("performer", tr.col_performer, pairs(c.performers), |f| f.performer_id.map(|e| e.to_string()).unwrap_or_default(), |f, v| f.performer_id = v.parse().ok())}
                                {select("ticket_type", tr.ticket_type, pairs(c.types), |f| f.ticket_type.clone(), |f, v| f.ticket_type = v)}
                                {select("criticality", tr.criticality_label, Criticality::ALL.into_iter().map(|c| (c.code().to_owned(), tr.criticality(c).to_owned())).collect(), |f| f.criticality.clone(), |f, v| f.criticality = v)}
                            </div>
                        }
                    })}
                </Transition>
                {text("subject", tr.col_subject, "text", |f| f.subject.clone(), |f, v| f.subject = v)}
                {text("description", tr.description, "text", |f| f.description.clone(), |f, v| f.description = v)}
                <div class="grid-2">
                    {select("frequency", tr.plan_frequency, vec![("daily".into(), tr.plan_freq_daily.into()), ("weekly".into(), tr.plan_freq_weekly.into())], |f| f.frequency.clone(), |f, v| f.frequency = v)}
                    {text("every_n", tr.plan_every_n, "number", |f| f.every_n.to_string(), |f, v| f.every_n = v.parse().unwrap_or(0))}
                    {select("weekday", tr.plan_weekday, tr.weekdays.iter().enumerate().map(|(i, d)| ((i + 1).to_string(), (*d).to_owned())).collect(), |f| f.weekday.to_string(), |f, v| f.weekday = v.parse().unwrap_or(0))}
                    {text("time", tr.plan_time, "time", |f| f.time.clone(), |f, v| f.time = v)}
                    {text("starts_on", tr.plan_starts_on, "date", |f| f.starts_on.clone(), |f, v| f.starts_on = v)}
                    {text("ends_on", tr.plan_ends_on, "date", |f| f.ends_on.clone(), |f, v| f.ends_on = v)}
                    {text("max_count", tr.plan_max_count, "number", |f| f.max_count.map(|n| n.to_string()).unwrap_or_default(), |f, v| f.max_count = v.parse().ok())}
                </div>
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{tr.save}</button>
                    {(id != 0).then(|| view! { <button class="btn btn--secondary" type="button" on:click=move |_| editing.set(None)>{tr.cancel}</button> })}
                </div>
            </form>
        </section>
    }
}
