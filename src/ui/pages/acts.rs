//! Completed works, the act of completed work and ratings: the ticket page's Works and Act
//! tabs, the signature pad, the act's print page (A4), the rating card, the staff
//! ratings report and the admin's rating criteria.

use crate::api::acts::{
    decline_act, delete_work_line, get_act, issue_act, rate_performer, rating_criteria,
    ratings_report, save_rating_criterion, save_work_line, sign_act, EngineerRating,
    RatedPerformer, RatingForm, Works,
};
use crate::domain::act::{
    format_score, ActStatus, ActView, Criterion, RatingInput, SignInput, Signature, PAD_HEIGHT,
    PAD_WIDTH,
};
use crate::domain::money::format_amount;
use crate::domain::role::Role;
use crate::domain::works::{format_milli, LineInput, Totals, VatMode, WorkLine};
use crate::error::AppError;
use crate::i18n::{acts::ActsTr, use_tr};
use crate::ui::components::{field_error, ErrorPanel, ErrorSummary, InfoTip, LocalTime, Notice};
use crate::ui::layout::use_me;
use crate::ui::pages::tickets::{stored_ids, FilePicker, Upload};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn percent(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        (bp / 100).to_string()
    } else {
        format!("{},{:02}", bp / 100, bp % 100)
            .trim_end_matches('0')
            .to_owned()
    }
}

fn vat_label(a: &ActsTr, vat: VatMode) -> String {
    match vat {
        VatMode::None => a.no_vat.to_owned(),
        VatMode::OnTop(bp) => a.vat_on_top.replace("{}", &percent(bp)),
        VatMode::Included(bp) => a.vat_included.replace("{}", &percent(bp)),
    }
}

/// The totals block under a table of lines.
#[component]
fn TotalsTable(totals: Totals, vat: VatMode, currency: String) -> impl IntoView {
    let a = use_tr().acts;
    let money = move |m: i64| format_amount(m, &currency);
    view! {
        <dl class="totals" data-testid="totals">
            {(vat != VatMode::None).then(|| view! { <dt>{a.net}</dt><dd class="num">{money(totals.net)}</dd> })}
            <dt>{vat_label(a, vat)}</dt>
            <dd class="num">{if vat == VatMode::None { "—".to_owned() } else { money(totals.vat) }}</dd>
            <dt class="totals__grand">{a.total}</dt>
            <dd class="num totals__grand" data-testid="grand-total">{money(totals.total)}</dd>
        </dl>
    }
}

/// The lines of works as a table (the works tab and the act alike).
#[component]
fn LinesTable(
    lines: Vec<WorkLine>,
    currency: String,
    #[prop(default = None)] actions: Option<Callback<WorkLine, AnyView>>,
) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    view! {
        <div class="table-wrap">
            <table class="table table--lines">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">{a.col_item}</th>
                        <th scope="col" class="num">{a.col_qty}</th>
                        <th scope="col" class="num">{a.col_price}</th>
                        <th scope="col" class="num">{a.col_hours}</th>
                        <th scope="col" class="num">{a.col_amount}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().enumerate().map(|(i, l)| {
                        let kind = if l.is_material { a.kind_material } else { a.kind_work };
                        let photos = l.photos.clone();
                        let action = actions.map(|f| f.run(l.clone()));
                        view! {
                            <tr data-testid="work-line">
                                <td class="num" data-label="#"><div>{i + 1}</div></td>
                                <td data-label=a.col_item>
                                    <div>
                                        <span class="badge badge--neutral">{kind}</span>
                                        {l.work_type_name.clone().map(|w| view! { " " <span class="muted small">{w}</span> })}
                                        <div class="line__text">{l.description.clone()}</div>
                                        {(!photos.is_empty()).then(|| view! {
                                            <div class="line__photos">
                                                {photos.into_iter().map(|(id, name)| view! {
                                                    <a href=format!("/files/{id}") target="_blank" rel="noopener">
                                                        <img class="line__photo" src=format!("/files/{id}/thumb") alt=name loading="lazy" />
                                                    </a>
                                                }).collect::<Vec<_>>()}
                                            </div>
                                        })}
                                        {action}
                                    </div>
                                </td>
                                <td class="num" data-label=a.col_qty><div>{format_milli(l.quantity_milli)}" "{l.unit.clone()}</div></td>
                                <td class="num" data-label=a.col_price><div>{format_amount(l.unit_price_minor, &currency)}</div></td>
                                <td class="num" data-label=a.col_hours><div>{if l.hours_milli > 0 { format_milli(l.hours_milli) } else { "—".into() }}</div></td>
                                <td class="num" data-label=a.col_amount><div>{format_amount(l.amount_minor, &currency)}</div></td>
                            </tr>
                        }
                    }).collect::<Vec<_>>()}
                </tbody>
            </table>
        </div>
    }
}

// ------------------------------------------------------------------ the works tab

#[component]
pub fn WorksTab(id: i64, works: Works, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let editing = RwSignal::new(None::<Option<WorkLine>>);
    let error = RwSignal::new(None::<AppError>);
    let remove = Action::new(move |line: &i64| delete_work_line(id, *line));
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let issue = Action::new(move |_: &()| issue_act(id));
    Effect::new(move |_| match issue.value().get() {
        Some(Ok(_)) => {
            #[cfg(feature = "hydrate")]
            {
                let _ = window()
                    .location()
                    .set_href(&format!("/tickets/{id}?tab=act"));
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let can_edit = works.can_edit;
    let actions = can_edit.then(|| {
        Callback::new(move |line: WorkLine| {
            let line_id = line.id;
            view! {
                <div class="line__actions">
                    <button type="button" class="btn btn--small btn--secondary"
                        on:click=move |_| { error.set(None); editing.set(Some(Some(line.clone()))); }>
                        {a.edit}
                    </button>
                    <button type="button" class="btn btn--small btn--ghost"
                        on:click=move |_| { error.set(None); remove.dispatch(line_id); }>
                        {a.delete}
                    </button>
                </div>
            }
            .into_any()
        })
    });
    let empty = works.lines.is_empty();
    let work_types = works.work_types.clone();
    let currency = works.currency.clone();
    view! {
        <section class="card" data-testid="works">
            <div class="card__head">
                <h2 class="card__title">{a.works_title}</h2>
                {can_edit.then(|| view! {
                    <button type="button" class="btn btn--primary btn--small" data-testid="add-line"
                        on:click=move |_| { error.set(None); editing.set(Some(None)); }>
                        {a.add_line}
                    </button>
                })}
            </div>
            {move || error.get().map(|error| view! { <ErrorPanel error /> })}
            {empty.then(|| view! {
                <p class="muted">{a.works_empty}" "{(!can_edit).then_some(a.works_when)}</p>
            })}
            {(!empty).then(|| view! {
                <LinesTable lines=works.lines.clone() currency=currency.clone() actions=actions />
                <TotalsTable totals=works.totals vat=works.vat currency=currency.clone() />
            })}
            {works.signed.then(|| view! { <p class="muted small" data-testid="works-locked">{a.works_locked}</p> })}
            {works.can_issue.then(|| view! {
                <div class="notice notice--info notice--row">
                    <span>{a.issue_hint}</span>
                    <button type="button" class="btn btn--primary btn--small" data-testid="issue-act"
                        disabled=move || issue.pending().get() on:click=move |_| { issue.dispatch(()); }>
                        {a.issue_act}
                    </button>
                </div>
            })}
        </section>
        {move || editing.get().map(|line| view! {
            <LineForm id line work_types=work_types.clone() editing reload />
        })}
    }
}

#[component]
fn LineForm(
    id: i64,
    line: Option<WorkLine>,
    work_types: Vec<(String, String)>,
    editing: RwSignal<Option<Option<WorkLine>>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let line_id = line.as_ref().map(|l| l.id);
    let material = RwSignal::new(line.as_ref().is_some_and(|l| l.is_material));
    let work_type = RwSignal::new(
        line.as_ref()
            .and_then(|l| l.work_type.clone())
            .unwrap_or_default(),
    );
    let description = RwSignal::new(
        line.as_ref()
            .map(|l| l.description.clone())
            .unwrap_or_default(),
    );
    let quantity = RwSignal::new(
        line.as_ref()
            .map(|l| format_milli(l.quantity_milli))
            .unwrap_or_else(|| "1".into()),
    );
    let unit = RwSignal::new(line.as_ref().map(|l| l.unit.clone()).unwrap_or_default());
    let price = RwSignal::new(
        line.as_ref()
            .map(|l| {
                format!(
                    "{},{:02}",
                    l.unit_price_minor / 100,
                    l.unit_price_minor % 100
                )
            })
            .unwrap_or_default(),
    );
    let hours = RwSignal::new(
        line.as_ref()
            .filter(|l| l.hours_milli > 0)
            .map(|l| format_milli(l.hours_milli))
            .unwrap_or_default(),
    );
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &LineInput| save_work_line(id, line_id, input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            editing.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let input = LineInput {
            is_material: material.get_untracked(),
            work_type: work_type.get_untracked(),
            description: description.get_untracked(),
            quantity: quantity.get_untracked(),
            unit: unit.get_untracked(),
            unit_price: price.get_untracked(),
            hours: hours.get_untracked(),
            files: stored_ids(&uploads.get_untracked()),
        };
        // The same rules as the server, so most mistakes show before a round trip.
        match input.check() {
            Ok(_) => {
                save.dispatch(input);
            }
            Err(fields) => error.set(Some(AppError::Invalid(fields))),
        }
    };
    let labels = vec![
        ("description", a.description),
        ("quantity", a.quantity),
        ("unit", a.unit),
        ("unit_price", a.unit_price),
        ("hours", a.hours),
        ("work_type", tr.work_type),
        ("files", a.photos),
    ];
    let input = move |name: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      mode: &'static str,
                      info: Option<&'static str>| {
        let err = field_error(error, name);
        let id = format!("f-{name}");
        view! {
            <div class="field" class:field--invalid=move || err.get().is_some()>
                <div class="field__label-row">
                    <label class="field__label" for=id.clone()>{label}</label>
                    {info.map(|text| view! { <InfoTip text id=id.clone() /> })}
                </div>
                {move || err.get().map(|m| view! { <p class="field__error">{m}</p> })}
                <input class="input" id=id.clone() name=name type="text" inputmode=mode bind:value=value />
            </div>
        }
    };
    view! {
        <section class="card" data-testid="line-form">
            <h2 class="card__title">{if line_id.is_some() { a.edit_line } else { a.new_line }}</h2>
            <ErrorSummary error labels />
            <form class="form" on:submit=submit novalidate>
                <fieldset class="fieldset fieldset--plain">
                    <legend class="field__label">{a.kind}</legend>
                    <div class="segmented">
                        <label class="segmented__item">
                            <input type="radio" name="kind" prop:checked=move || !material.get() on:change=move |_| material.set(false) />
                            <span>{a.kind_work}</span>
                        </label>
                        <label class="segmented__item">
                            <input type="radio" name="kind" prop:checked=move || material.get() on:change=move |_| material.set(true) />
                            <span>{a.kind_material}</span>
                        </label>
                    </div>
                </fieldset>
                {move || (!material.get()).then(|| {
                    let types = work_types.clone();
                    view! {
                        <div class="field">
                            <label class="field__label" for="f-work_type">{tr.work_type}</label>
                            <select class="input" id="f-work_type" prop:value=move || work_type.get()
                                on:change=move |ev| work_type.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {types.into_iter().map(|(code, name)| view! { <option value=code.clone() selected={work_type.get_untracked() == code}>{name}</option> }).collect::<Vec<_>>()}
                            </select>
                        </div>
                    }
                })}
                {input("description", a.description, description, "text", None)}
                <div class="form__row">
                    {input("quantity", a.quantity, quantity, "decimal", Some(a.tip_quantity))}
                    {input("unit", a.unit, unit, "text", None)}
                    {input("unit_price", a.unit_price, price, "decimal", Some(a.tip_price))}
                    {move || (!material.get()).then(|| input("hours", a.hours, hours, "decimal", None))}
                </div>
                <FilePicker uploads error=field_error(error, "files") />
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" data-testid="save-line"
                        disabled=move || save.pending().get() || uploads.with(|u| u.iter().any(|x| matches!(x, Upload::Sending(..))))>
                        {a.save_line}
                    </button>
                    <button class="btn btn--secondary" type="button" on:click=move |_| editing.set(None)>{a.cancel}</button>
                </div>
            </form>
        </section>
    }
}

// ------------------------------------------------------------------ the act

fn status_label(a: &ActsTr, status: ActStatus) -> (&'static str, &'static str) {
    match status {
        ActStatus::Issued => (a.status_issued, "warning"),
        ActStatus::Signed => (a.status_signed, "success"),
        ActStatus::Declined => (a.status_declined, "danger"),
        ActStatus::Superseded => (a.status_superseded, "neutral"),
    }
}

#[component]
fn Party(title: &'static str, p: crate::domain::act::Requisites) -> impl IntoView {
    let a = use_tr().acts;
    let row = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <div><span class="muted">{label}": "</span>{v}</div> })
    };
    view! {
        <div class="party">
            <h3 class="party__title">{title}</h3>
            <div class="party__name">{p.name.clone()}</div>
            {row(a.tax_id, p.tax_id.clone())}
            {row(a.address, p.address.clone())}
            {row(a.bank, p.bank_name.clone())}
            {row(a.account, p.bank_account.clone())}
            {row(a.bank_code, p.bank_code.clone())}
        </div>
    }
}

/// The act itself, as printed: requisites, object, lines, totals, signatures.
#[component]
pub fn ActDocument(act: ActView) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let c = act.content.clone();
    let (status, tone) = status_label(a, act.status);
    let signature = act.signature.clone().map(|s: Signature| s.svg_path());
    view! {
        <article class="act" data-testid="act">
            <header class="act__head">
                <h2 class="act__title">{a.act_title.replace("{}", &c.number)}</h2>
                <p class="act__date">{a.dated.replace("{}", "")}<LocalTime at=c.issued_at />
                    " " <span class=format!("badge badge--{tone} no-print")>{status}</span>
                </p>
            </header>
            <div class="act__parties">
                <Party title=a.provider p=c.provider.clone() />
                <Party title=a.customer p=c.customer.clone() />
            </div>
            <dl class="summary act__facts">
                <dt>{a.ticket}</dt><dd>{c.ticket_number.clone()}" · "{c.ticket_subject.clone()}</dd>
                <dt>{a.object}</dt><dd>{c.equipment.clone().unwrap_or_else(|| "—".into())}{c.location.clone().map(|l| format!(" · {l}"))}</dd>
                <dt>{a.contract}</dt><dd>{c.contract.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{a.performers}</dt><dd>{if c.performers.is_empty() { "—".to_owned() } else { c.performers.join(", ") }}</dd>
            </dl>
            <LinesTable lines=c.lines.clone() currency=c.currency.clone() />
            <TotalsTable totals=c.totals vat=c.vat currency=c.currency.clone() />
            <p class="act__statement">{a.statement}</p>
            <div class="act__signatures">
                <div class="sigblock">
                    <div class="sigblock__title">{a.sig_contractor}</div>
                    <div class="sigblock__line"></div>
                    <div class="muted small">{c.provider.name.clone()}</div>
                </div>
                <div class="sigblock">
                    <div class="sigblock__title">{a.sig_customer}</div>
                    {match signature {
                        Some(path) => view! {
                            <svg class="sigblock__signature" viewBox=format!("0 0 {PAD_WIDTH} {PAD_HEIGHT}") role="img"
                                aria-label=a.signature data-testid="signature">
                                <path d=path fill="none" stroke="#1b2540" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" />
                            </svg>
                        }.into_any(),
                        None => view! { <div class="sigblock__line"></div> }.into_any(),
                    }}
                    <div class="small">
                        {act.signed_by_name.clone().unwrap_or_else(|| c.customer.name.clone())}
                    </div>
                    {act.signed_at.map(|at| view! {
                        <div class="muted small" data-testid="signed-line">
                            {a.status_signed}" · "<LocalTime at />
                            {act.signed_on_device_of.clone().map(|d| format!(" · {}", a.signed_on_device.replace("{}", &d)))}
                        </div>
                    })}
                </div>
            </div>
            {act.content_hash.clone().map(|h| view! {
                <p class="act__hash small"><span class="muted">{a.content_hash}": "</span><span class="mono" data-testid="act-hash">{h}</span></p>
            })}
            {act.decline_comment.clone().map(|c| view! {
                <p class="notice notice--danger no-print">{a.declined_with.replace("{}", &c)}</p>
            })}
        </article>
    }
}

#[component]
pub fn ActTab(
    id: i64,
    acts: Vec<ActView>,
    act_to_sign: Option<i64>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let customer = use_me().is_some_and(|m| m.role == Role::Customer);
    let mut acts = acts.into_iter();
    let Some(current) = acts.next() else {
        return view! {
            <section class="card"><p class="muted" data-testid="no-act">{a.act_none}</p></section>
        }
        .into_any();
    };
    let earlier: Vec<ActView> = acts.collect();
    let act_id = current.id;
    let signing = act_to_sign == Some(act_id);
    let signed = current.status == ActStatus::Signed;
    view! {
        {signed.then(|| view! { <Notice text=a.act_signed_notice /> })}
        <section class="card card--act">
            <div class="card__head no-print">
                <span></span>
                <a class="btn btn--secondary btn--small" href=format!("/tickets/{id}/act/{act_id}/print") data-testid="print-link">
                    {a.open_print}
                </a>
            </div>
            <ActDocument act=current />
        </section>
        {signing.then(|| if customer {
            view! { <SignPanel act_id on_device=false reload /> <DeclinePanel act_id reload /> }.into_any()
        } else {
            view! { <SignPanel act_id on_device=true reload /> }.into_any()
        })}
        {(!earlier.is_empty()).then(|| view! {
            <section class="card">
                <h2 class="card__title">{a.earlier_acts}</h2>
                <ul class="plain-list">
                    {earlier.into_iter().map(|e| {
                        let (label, tone) = status_label(a, e.status);
                        view! {
                            <li>
                                <a href=format!("/tickets/{id}/act/{}/print", e.id)>{a.act_title.replace("{}", &e.content.number)}</a>
                                " " <span class=format!("badge badge--{tone}")>{label}</span>
                                " " <span class="muted small"><LocalTime at=e.content.issued_at /></span>
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        })}
    }
    .into_any()
}

/// A canvas the customer signs on with a finger, a pen or a mouse. Points are kept in
/// the pad's box (1000 × 400) whatever the canvas's size on screen.
#[component]
pub fn SignaturePad(strokes: RwSignal<Vec<Vec<(i32, i32)>>>, label: &'static str) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawing = StoredValue::new(false);
    #[cfg(feature = "hydrate")]
    let context = move || {
        use wasm_bindgen::JsCast;
        let c = canvas.get_untracked()?;
        let ctx = c
            .get_context("2d")
            .ok()
            .flatten()?
            .dyn_into::<web_sys::CanvasRenderingContext2d>()
            .ok()?;
        ctx.set_line_width(6.0);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        ctx.set_stroke_style_str("#1b2540");
        Some(ctx)
    };
    #[cfg(feature = "hydrate")]
    let point = move |ev: &web_sys::PointerEvent| -> Option<(i32, i32)> {
        let c = canvas.get_untracked()?;
        let rect = c.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let x = (f64::from(ev.client_x()) - rect.left()) / rect.width() * f64::from(PAD_WIDTH);
        let y = (f64::from(ev.client_y()) - rect.top()) / rect.height() * f64::from(PAD_HEIGHT);
        Some((
            (x.round() as i32).clamp(0, PAD_WIDTH),
            (y.round() as i32).clamp(0, PAD_HEIGHT),
        ))
    };
    let down = move |ev: leptos::ev::PointerEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let full = strokes.with_untracked(|s| s.iter().map(Vec::len).sum::<usize>())
                >= crate::domain::act::POINTS_MAX;
            if let (Some(p), false) = (point(&ev), full) {
                if let Some(c) = canvas.get_untracked() {
                    let _ = c.set_pointer_capture(ev.pointer_id());
                }
                drawing.set_value(true);
                strokes.update(|s| s.push(vec![p]));
                if let Some(ctx) = context() {
                    ctx.begin_path();
                    ctx.arc(
                        f64::from(p.0),
                        f64::from(p.1),
                        2.0,
                        0.0,
                        std::f64::consts::TAU,
                    )
                    .ok();
                    ctx.stroke();
                }
            }
        }
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let full = strokes.with_untracked(|s| s.iter().map(Vec::len).sum::<usize>())
                >= crate::domain::act::POINTS_MAX;
            let Some(p) = point(&ev) else { return };
            let last = strokes.with_untracked(|s| s.last().and_then(|l| l.last().copied()));
            if full || last == Some(p) {
                return;
            }
            strokes.update(|s| {
                if let Some(l) = s.last_mut() {
                    l.push(p);
                }
            });
            if let (Some(ctx), Some(from)) = (context(), last) {
                ctx.begin_path();
                ctx.move_to(f64::from(from.0), f64::from(from.1));
                ctx.line_to(f64::from(p.0), f64::from(p.1));
                ctx.stroke();
            }
        }
    };
    let up = move |_| drawing.set_value(false);
    // Clearing the strokes clears the canvas.
    Effect::new(move |_| {
        let empty = strokes.with(Vec::is_empty);
        #[cfg(feature = "hydrate")]
        {
            if empty {
                if let Some(ctx) = context() {
                    ctx.clear_rect(0.0, 0.0, f64::from(PAD_WIDTH), f64::from(PAD_HEIGHT));
                }
            }
        }
        let _ = empty;
    });
    view! {
        <canvas
            node_ref=canvas
            class="sigpad"
            width=PAD_WIDTH.to_string()
            height=PAD_HEIGHT.to_string()
            role="img"
            aria-label=label
            data-testid="signature-pad"
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointercancel=up
        ></canvas>
    }
}

#[component]
fn SignPanel(act_id: i64, on_device: bool, reload: RwSignal<u32>) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let me = use_me();
    let name = RwSignal::new(if on_device {
        String::new()
    } else {
        me.map(|m| m.full_name).unwrap_or_default()
    });
    let strokes = RwSignal::new(Vec::<Vec<(i32, i32)>>::new());
    let error = RwSignal::new(None::<AppError>);
    let sign = Action::new(move |input: &SignInput| sign_act(input.clone(), on_device));
    Effect::new(move |_| match sign.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let input = SignInput {
            act_id,
            signer_name: name.get_untracked(),
            signature: Signature {
                strokes: strokes.get_untracked(),
            },
        };
        match input.check() {
            Ok(_) => {
                sign.dispatch(input);
            }
            Err(fields) => error.set(Some(AppError::Invalid(fields))),
        }
    };
    let name_error = field_error(error, "signer_name");
    let pad_error = field_error(error, "signature");
    let general = move || {
        error.get().and_then(|e| match e {
            AppError::Invalid(ref f)
                if f.get("signer_name").is_some() || f.get("signature").is_some() =>
            {
                None
            }
            other => Some(view! { <ErrorPanel error=other /> }),
        })
    };
    view! {
        <section class="card" id="sign" data-testid="sign-panel">
            <h2 class="card__title">{if on_device { a.collect_title } else { a.sign_title }}</h2>
            {on_device.then(|| view! { <p class="muted">{a.collect_hint}</p> })}
            {general}
            <form class="form" on:submit=submit novalidate>
                <div class="field" class:field--invalid=move || name_error.get().is_some()>
                    <label class="field__label" for="f-signer_name">{a.signer_name}</label>
                    {move || name_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <input class="input" id="f-signer_name" type="text" autocomplete="name" maxlength="200" bind:value=name />
                </div>
                <div class="field" class:field--invalid=move || pad_error.get().is_some()>
                    <div class="field__label-row">
                        <span class="field__label" id="f-signature">{a.signature}</span>
                        <button type="button" class="btn btn--ghost btn--small" on:click=move |_| strokes.set(Vec::new())>{a.clear}</button>
                    </div>
                    <p class="field__hint">{a.sign_hint}</p>
                    {move || pad_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <SignaturePad strokes label=a.signature />
                </div>
                <button class="btn btn--primary btn--block" type="submit" data-testid="sign-act" disabled=move || sign.pending().get()>
                    {a.sign}
                </button>
            </form>
        </section>
    }
}

#[component]
fn DeclinePanel(act_id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let a = use_tr().acts;
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let decline = Action::new(move |text: &String| decline_act(act_id, text.clone()));
    Effect::new(move |_| match decline.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let comment_error = field_error(error, "comment");
    view! {
        <details class="card disclosure">
            <summary class="disclosure__summary">{a.decline_title}</summary>
            {move || error.get().filter(|e| e.field_problem("comment").is_none()).map(|error| view! { <ErrorPanel error /> })}
            <form class="form" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); error.set(None); decline.dispatch(comment.get_untracked()); } novalidate>
                <div class="field" class:field--invalid=move || comment_error.get().is_some()>
                    <label class="field__label" for="f-decline">{a.decline_comment}</label>
                    {move || comment_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <textarea class="input textarea" id="f-decline" rows="3" maxlength="2000" bind:value=comment></textarea>
                </div>
                <button class="btn btn--secondary" type="submit" data-testid="decline-act" disabled=move || decline.pending().get()>{a.decline_send}</button>
            </form>
        </details>
    }
}

/// `/tickets/{id}/act/{act}/print`: the act alone, for the browser's print (A4).
#[component]
pub fn ActPrintPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let act_id = params.with_untracked(|p| {
        p.get("act")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let ticket_id =
        params.with_untracked(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let act = Resource::new(move || act_id, get_act);
    view! {
        <div class="print-page">
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {move || Suspend::new(async move {
                    match act.await {
                        Ok(page) if page.act.ticket_id == ticket_id => {
                            let number = page.act.content.number.clone();
                            view! {
                                <Title text=format!("{} · Atrium", tr.acts.act_title.replace("{}", &number)) />
                                <div class="print-page__bar no-print">
                                    <a class="btn btn--secondary btn--small" href=format!("/tickets/{ticket_id}?tab=act")>"← "{tr.acts.tab_act}</a>
                                    <button type="button" class="btn btn--primary btn--small" data-testid="print"
                                        on:click=move |_| {
                                            #[cfg(feature = "hydrate")]
                                            { let _ = window().print(); }
                                        }>
                                        {tr.acts.print}
                                    </button>
                                </div>
                                <ActDocument act=page.act />
                            }.into_any()
                        }
                        Ok(_) => view! { <ErrorPanel error=AppError::NotFound /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

// ------------------------------------------------------------------ ratings

#[component]
pub fn RatingCard(ticket_id: i64, form: RatingForm) -> impl IntoView {
    let a = use_tr().acts;
    if form.performers.is_empty() || form.criteria.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card" data-testid="rating">
            <h2 class="card__title">{a.rate_title}</h2>
            <p class="muted small">{a.rate_hint}</p>
            {form.performers.into_iter().map(|p| view! {
                <RatePerformer ticket_id criteria=form.criteria.clone() p />
            }).collect::<Vec<_>>()}
        </section>
    }
    .into_any()
}

#[component]
fn RatePerformer(ticket_id: i64, criteria: Vec<Criterion>, p: RatedPerformer) -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let scores = RwSignal::new(p.scores.clone());
    let comment = RwSignal::new(p.comment.clone());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let engineer = p.id;
    let save = Action::new(move |input: &RatingInput| rate_performer(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => saved.set(true),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let editable = p.editable;
    let ids: Vec<i64> = criteria.iter().map(|c| c.id).collect();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let input = RatingInput {
            ticket_id,
            engineer_id: engineer,
            scores: scores.get_untracked(),
            comment: comment.get_untracked(),
        };
        match input.check(&ids) {
            Ok(_) => {
                save.dispatch(input);
            }
            Err(fields) => error.set(Some(AppError::Invalid(fields))),
        }
    };
    view! {
        <form class="form rate" on:submit=submit novalidate data-testid=format!("rate-{engineer}")>
            <h3 class="rate__name">{p.name.clone()}</h3>
            {(!editable).then(|| view! {
                <p class="muted small">{p.rated_at.map(|at| a.rating_locked.replace("{}", &crate::domain::time::format_date(at)))}</p>
            })}
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|error| view! { <ErrorPanel error /> })}
            {criteria.into_iter().map(|c| {
                let cid = c.id;
                let field = format!("score_{cid}");
                let err = Signal::derive(move || {
                    error.with(|e| e.as_ref().and_then(|e| e.field_problem(&field)).map(|p| tr.problem(p)))
                });
                view! {
                    <fieldset class="stars" class:field--invalid=move || err.get().is_some() disabled=!editable>
                        <legend class="stars__label">{c.name.clone()}</legend>
                        {move || err.get().map(|m| view! { <p class="field__error">{m}</p> })}
                        <div class="stars__row">
                            {(1..=5i64).map(|n| {
                                let on = move || scores.with(|s| s.iter().any(|(k, v)| *k == cid && *v >= n));
                                view! {
                                    <label class="stars__star" class:stars__star--on=on title=a.score_of.replace("{}", &n.to_string())>
                                        <input type="radio" class="visually-hidden" name=format!("s-{engineer}-{cid}") value=n.to_string()
                                            prop:checked=move || scores.with(|s| s.iter().any(|(k, v)| *k == cid && *v == n))
                                            on:change=move |_| scores.update(|s| {
                                                s.retain(|(k, _)| *k != cid);
                                                s.push((cid, n));
                                            }) />
                                        <span aria-hidden="true">"★"</span>
                                        <span class="visually-hidden">{a.score_of.replace("{}", &n.to_string())}</span>
                                    </label>
                                }
                            }).collect::<Vec<_>>()}
                        </div>
                    </fieldset>
                }
            }).collect::<Vec<_>>()}
            <div class="field">
                <label class="field__label" for=format!("f-rc-{engineer}")>{a.rating_comment}</label>
                <textarea class="input textarea" id=format!("f-rc-{engineer}") rows="2" maxlength="2000" bind:value=comment disabled=!editable></textarea>
            </div>
            {move || saved.get().then(|| view! { <Notice text=a.rating_saved /> })}
            {editable.then(|| view! {
                <button class="btn btn--primary btn--small" type="submit" disabled=move || save.pending().get()>{a.save_rating}</button>
            })}
        </form>
    }
}

/// An engineer's own ratings, on their profile.
#[component]
pub fn MyRatingCard(rating: EngineerRating) -> impl IntoView {
    let a = use_tr().acts;
    view! {
        <section class="card" data-testid="my-rating">
            <h2 class="card__title">{a.my_rating}</h2>
            {match rating.average_centi {
                None => view! { <p class="muted">{a.no_ratings}</p> }.into_any(),
                Some(avg) => view! {
                    <p class="score"><span class="score__value" data-testid="my-average">{format_score(avg)}</span>
                        <span class="muted">" / 5 · "{a.ratings_count}": "<span data-testid="my-count">{rating.count}</span></span></p>
                    <dl class="summary">
                        {rating.by_criterion.into_iter().map(|(name, avg, _)| view! { <dt>{name}</dt><dd>{format_score(avg)}</dd> }).collect::<Vec<_>>()}
                    </dl>
                }.into_any(),
            }}
        </section>
    }
}

/// `/ratings`: every engineer's ratings (admins and managers).
#[component]
pub fn RatingsReportPage() -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let report = Resource::new(|| (), |_| ratings_report());
    view! {
        <Title text=format!("{} · Atrium", a.report_title) />
        <header class="page-header">
            <h1 class="page-title">{a.report_title}</h1>
            <p class="page-lead">{a.report_lead}</p>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(lines) => view! {
                        <div class="table-wrap card card--flush">
                            <table class="table" data-testid="ratings-report">
                                <thead><tr>
                                    <th scope="col">{a.col_engineer}</th>
                                    <th scope="col" class="num">{a.average}</th>
                                    <th scope="col" class="num">{a.ratings_count}</th>
                                    <th scope="col">{a.col_by_criterion}</th>
                                    <th scope="col">{a.col_last}</th>
                                </tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|l| view! {
                                        <tr>
                                            <td data-label=a.col_engineer><div>{l.name}</div></td>
                                            <td class="num" data-label=a.average><div>{l.average_centi.map(format_score).unwrap_or_else(|| "—".into())}</div></td>
                                            <td class="num" data-label=a.ratings_count><div>{l.count}</div></td>
                                            <td data-label=a.col_by_criterion><div class="small">
                                                {l.by_criterion.into_iter().map(|(n, s, _)| format!("{n}: {}", format_score(s))).collect::<Vec<_>>().join(" · ")}
                                            </div></td>
                                            <td data-label=a.col_last><div>{l.last_at.map(|at| view! { <LocalTime at /> })}</div></td>
                                        </tr>
                                    }).collect::<Vec<_>>()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/settings/ratings`: the admin's rating criteria.
#[component]
pub fn CriteriaPage() -> impl IntoView {
    let tr = use_tr();
    let a = tr.acts;
    let reload = RwSignal::new(0u32);
    let list = Resource::new(move || reload.get(), |_| rating_criteria());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |args: &(Option<i64>, String, bool)| {
        save_rating_criterion(args.0, args.1.clone(), args.2)
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            name.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let name_error = field_error(error, "name");
    view! {
        <Title text=format!("{} · Atrium", a.criteria_title) />
        <header class="page-header">
            <h1 class="page-title">{a.criteria_title}</h1>
            <p class="page-lead">{a.criteria_lead}</p>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) => view! {
                        <div class="table-wrap card card--flush">
                            <table class="table" data-testid="criteria">
                                <thead><tr><th scope="col">{a.criterion_name}</th><th scope="col">{tr.col_status}</th><th scope="col"></th></tr></thead>
                                <tbody>
                                    {items.into_iter().map(|(c, archived)| {
                                        let label = if archived { a.archived } else { a.active };
                                        let cname = c.name.clone();
                                        view! {
                                            <tr>
                                                <td data-label=a.criterion_name><div>{c.name.clone()}</div></td>
                                                <td data-label=tr.col_status><div><span class=if archived { "badge badge--neutral" } else { "badge badge--success" }>{label}</span></div></td>
                                                <td class="table__actions"><div>
                                                    <button type="button" class="btn btn--small btn--secondary"
                                                        on:click=move |_| { error.set(None); save.dispatch((Some(c.id), cname.clone(), !archived)); }>
                                                        {if archived { a.restore } else { a.archive }}
                                                    </button>
                                                </div></td>
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
        <section class="card spaced">
            <h2 class="card__title">{a.add_criterion}</h2>
            <form class="form form--inline" novalidate on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                error.set(None);
                save.dispatch((None, name.get_untracked(), false));
            }>
                <div class="field" class:field--invalid=move || name_error.get().is_some()>
                    <label class="field__label" for="f-name">{a.criterion_name}</label>
                    {move || name_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <input class="input" id="f-name" type="text" maxlength="100" bind:value=name />
                </div>
                <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{a.add_criterion}</button>
            </form>
        </section>
    }
}

/// `/settings/company`: the service company's requisites (admins), printed on new acts.
#[component]
pub fn ServiceCompanyPage() -> impl IntoView {
    use crate::api::acts::{save_service_requisites, service_requisites};
    use crate::domain::act::RequisitesInput;
    use crate::ui::components::TextField;
    let tr = use_tr();
    let a = tr.acts;
    let fields: [(&'static str, &'static str, RwSignal<String>); 8] = [
        ("name", tr.legal_name_label, RwSignal::new(String::new())),
        ("tax_id", a.tax_id, RwSignal::new(String::new())),
        (
            "postal_code",
            tr.postal_code_label,
            RwSignal::new(String::new()),
        ),
        ("city", a.city, RwSignal::new(String::new())),
        ("street", tr.street_label, RwSignal::new(String::new())),
        ("bank_name", a.bank_name, RwSignal::new(String::new())),
        ("bank_account", a.bank_account, RwSignal::new(String::new())),
        ("bank_code", a.bank_code_label, RwSignal::new(String::new())),
    ];
    let value = move |i: usize| fields[i].2;
    let loaded = Resource::new(|| (), |_| service_requisites());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |input: &RequisitesInput| save_service_requisites(input.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => saved.set(true),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let input = RequisitesInput {
            name: value(0).get_untracked(),
            tax_id: value(1).get_untracked(),
            postal_code: value(2).get_untracked(),
            city: value(3).get_untracked(),
            street: value(4).get_untracked(),
            bank_name: value(5).get_untracked(),
            bank_account: value(6).get_untracked(),
            bank_code: value(7).get_untracked(),
        };
        match input.check() {
            Ok(_) => {
                save.dispatch(input);
            }
            Err(problems) => error.set(Some(AppError::Invalid(problems))),
        }
    };
    view! {
        <Title text=format!("{} · Atrium", a.company_title) />
        <header class="page-header">
            <h1 class="page-title">{a.company_title}</h1>
            <p class="page-lead">{a.company_lead}</p>
        </header>
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(r) => {
                        for (i, v) in [r.name, r.tax_id, r.postal_code, r.city, r.street, r.bank_name, r.bank_account, r.bank_code]
                            .into_iter()
                            .enumerate()
                        {
                            value(i).set(v);
                        }
                        view! {
                            <section class="card">
                                <ErrorSummary error labels=fields.iter().map(|(n, l, _)| (*n, *l)).collect() />
                                {move || saved.get().then(|| view! { <Notice text=tr.saved_notice /> })}
                                <form class="form" on:submit=submit novalidate>
                                    {fields.into_iter().enumerate().map(|(i, (name, label, v))| view! {
                                        {(i == 5).then(|| view! { <p class="field__hint">{a.bank_hint}</p> })}
                                        <TextField name label value=v error=field_error(error, name) required={i < 2} />
                                    }).collect::<Vec<_>>()}
                                    <div class="form__actions">
                                        <button class="btn btn--primary" type="submit" disabled=move || save.pending().get()>{a.save}</button>
                                    </div>
                                </form>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
