//! Customer users: the invite form (company details' Users tab, and the profile of a
//! customer's company administrator), and the page an invitation link opens.

use crate::api::customers::{Choice, CompanyUser};
use crate::api::users::{
    administered_companies, check_invitation, invite_customer_user, resend_invitation,
    set_user_active, AcceptInvitation, InviteForm,
};
use crate::error::AppError;
use crate::i18n::{use_tr, Tr};
use crate::ui::components::LocalTime;
use crate::ui::components::{field_error, ErrorSummary, LanguageSwitch, Notice, TextField};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn invite_labels(tr: &'static Tr) -> Vec<(&'static str, &'static str)> {
    vec![
        ("invite_name", tr.invite_name_label),
        ("invite_email", tr.email_label),
        ("invite_phone", tr.phone_label),
        ("invite_sees", tr.invite_sees_label),
        ("invite_channel", tr.invite_channel_label),
        ("invite_company", tr.company_label),
    ]
}

/// The invite form. With one company it is fixed; with several the user picks one.
#[component]
pub fn InviteUser(
    companies: Vec<Choice>,
    #[prop(into)] on_done: Callback<()>,
    #[prop(optional)] allow_admin: bool,
) -> impl IntoView {
    let tr = use_tr();
    let company = RwSignal::new(
        companies
            .first()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    );
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let sees = RwSignal::new("company".to_owned());
    let admin = RwSignal::new(false);
    let channel = RwSignal::new("email".to_owned());
    let error = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(false);
    let action = Action::new(move |form: &InviteForm| invite_customer_user(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            sent.set(true);
            name.set(String::new());
            email.set(String::new());
            phone.set(String::new());
            on_done.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let several = companies.len() > 1;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        sent.set(false);
        let mut errors = crate::domain::validate::FieldErrors::new();
        errors.check(
            "invite_name",
            crate::domain::validate::text(&name.get_untracked(), crate::domain::validate::NAME_MAX),
        );
        errors.check(
            "invite_email",
            crate::domain::validate::optional(
                &email.get_untracked(),
                crate::domain::validate::email,
            ),
        );
        errors.check(
            "invite_phone",
            crate::domain::validate::optional(
                &phone.get_untracked(),
                crate::domain::validate::phone,
            ),
        );
        if !errors.is_empty() {
            error.set(Some(errors.into()));
            return;
        }
        error.set(None);
        action.dispatch(InviteForm {
            company_id: company.get_untracked().parse().unwrap_or(0),
            full_name: name.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            sees: sees.get_untracked(),
            company_admin: admin.get_untracked(),
            channel: channel.get_untracked(),
        });
    };
    let radio = move |signal: RwSignal<String>,
                      group: &'static str,
                      value: &'static str,
                      label: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name=group value=value prop:checked=move || signal.get() == value on:change=move |_| signal.set(value.to_owned()) />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <section class="card">
            <h2 class="card__title">{tr.invite_title}</h2>
            <p class="muted">{tr.invite_lead}</p>
            {move || sent.get().then(|| view! { <Notice text=tr.invited_notice /> })}
            <ErrorSummary error labels=invite_labels(tr) />
            <form class="form" on:submit=on_submit novalidate>
                {several.then(|| view! {
                    <div class="field">
                        <label class="field__label" for="f-invite_company">{tr.company_label}</label>
                        <select class="input" id="f-invite_company" bind:value=company>
                            {companies.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect::<Vec<_>>()}
                        </select>
                    </div>
                })}
                <TextField name="invite_name" label=tr.invite_name_label value=name error=field_error(error, "invite_name") required=true autocomplete="off" />
                <div class="grid-2">
                    <TextField name="invite_email" label=tr.email_label kind="email" value=email error=field_error(error, "invite_email") autocomplete="off" />
                    <TextField name="invite_phone" label=tr.phone_label kind="tel" value=phone error=field_error(error, "invite_phone") autocomplete="off" optional_label=tr.optional />
                </div>
                <fieldset class="fieldset">
                    <legend class="field__label">{tr.invite_sees_label}</legend>
                    {radio(sees, "sees", "company", tr.sees_company)}
                    {radio(sees, "sees", "own", tr.sees_own)}
                </fieldset>
                {allow_admin.then(|| view! {
                    <label class="check">
                        <input type="checkbox" bind:checked=admin />
                        <span>{tr.invite_admin_label}</span>
                    </label>
                })}
                <fieldset class="fieldset">
                    <legend class="field__label">{tr.invite_channel_label}</legend>
                    {radio(channel, "channel", "email", tr.channel_email)}
                    {radio(channel, "channel", "sms", tr.channel_sms)}
                    {radio(channel, "channel", "both", tr.channel_both)}
                </fieldset>
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" disabled=action.pending()>{tr.invite_button}</button>
                </div>
            </form>
        </section>
    }
}

/// The Users tab of a company: who has access, with Resend and Disable/Enable.
#[component]
pub fn UsersTab(
    company_id: i64,
    company_name: String,
    users: Vec<CompanyUser>,
    can_manage: bool,
    #[prop(into)] refresh: Callback<()>,
) -> impl IntoView {
    let tr = use_tr();
    // Staff who manage the company and its reseller may enter a user's account.
    let can_log_in_as = can_manage
        && crate::ui::layout::use_me()
            .is_some_and(|m| m.acting.is_none() && m.role != crate::domain::role::Role::Customer);
    let entering = RwSignal::new(None::<i64>);
    let error = RwSignal::new(None::<AppError>);
    let flash = use_context::<crate::ui::pages::customers::Flash>();
    let resend = Action::new(move |user: &i64| resend_invitation(company_id, *user));
    let toggle =
        Action::new(move |(user, on): &(i64, bool)| set_user_active(company_id, *user, *on));
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(())) => {
            if let Some(f) = flash {
                f.0.set(Some(tr.invited_notice));
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(())) => refresh.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let rows = users
        .into_iter()
        .map(|u| {
            let (status, tone) = if !u.active {
                (tr.user_disabled, "danger")
            } else if u.invited {
                (tr.user_invited, "warning")
            } else {
                (tr.user_active, "success")
            };
            let (id, active, invited, name) = (u.id, u.active, u.invited, u.full_name.clone());
            view! {
                <tr>
                    <td data-label=tr.col_name>
                        {u.full_name.clone()}
                        {u.is_company_admin.then(|| view! { " " <span class="badge badge--info">{tr.company_admin}</span> })}
                    </td>
                    <td data-label=tr.email_label>{u.email.clone()}</td>
                    <td data-label=tr.phone_label>{u.phone.clone()}</td>
                    <td data-label=tr.col_status><span class=format!("badge badge--{tone}")>{status}</span></td>
                    <td data-label=tr.col_actions class="row-actions">
                        {(can_manage && invited && active).then(|| {
                            let label = format!("{} {}", tr.resend, name);
                            view! { <button class="btn btn--small btn--secondary" type="button" aria-label=label on:click=move |_| { resend.dispatch(id); }>{tr.resend}</button> }
                        })}
                        {(can_log_in_as && active).then(|| {
                            let label = format!("{} {}", tr.log_in_as, name);
                            view! { <button class="btn btn--small btn--secondary" type="button" aria-label=label on:click=move |_| entering.set(Some(id))>{tr.log_in_as}</button> }
                        })}
                        {can_manage.then(|| {
                            let label = format!("{} {}", if active { tr.disable } else { tr.enable }, name);
                            view! {
                                <button class="btn btn--small btn--secondary" type="button" aria-label=label on:click=move |_| { toggle.dispatch((id, !active)); }>
                                    {if active { tr.disable } else { tr.enable }}
                                </button>
                            }
                        })}
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let empty = rows.is_empty();
    view! {
        {move || entering.get().map(|user_id| view! { <LogInAsForm company_id user_id on_cancel=move |_| entering.set(None) /> })}
        {move || error.get().map(|e| view! { <div class="notice notice--danger" role="alert">{tr.error(&e)}</div> })}
        {if empty {
            view! { <p class="muted">{tr.users_empty}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{tr.col_name}</th><th scope="col">{tr.email_label}</th><th scope="col">{tr.phone_label}</th>
                            <th scope="col">{tr.col_status}</th><th scope="col"><span class="visually-hidden">{tr.col_actions}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {can_manage.then(|| view! {
            <div class="spaced">
                <InviteUser
                    companies=vec![Choice { id: company_id, name: company_name.clone() }]
                    on_done=move |_| {
                        if let Some(f) = flash {
                            f.0.set(Some(tr.invited_notice));
                        }
                        refresh.run(())
                    }
                    allow_admin=true
                />
            </div>
        })}
    }
}

/// On the profile of a customer who administers companies: invite a colleague.
#[component]
pub fn InviteColleague() -> impl IntoView {
    let tr = use_tr();
    let companies = Resource::new(|| (), |_| administered_companies());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let list = companies.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <div>
                        <p class="muted">{tr.colleagues_lead}</p>
                        <InviteUser companies=list on_done=|_| {} />
                    </div>
                })
            })}
        </Suspense>
    }
}

/// The page an invitation link opens: choose a password, and you are in.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let initial_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|e| serde_json::from_str::<AppError>(&e).ok());
    let invitation = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_invitation,
    );
    let new_password = RwSignal::new(String::new());
    let confirm_password = RwSignal::new(String::new());
    let error = RwSignal::new(initial_error);
    let action = ServerAction::<AcceptInvitation>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(next)) => {
            let _ = window().location().set_href(&next);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let token_for_form = token.clone();
    view! {
        <Title text=format!("{} · Atrium", tr.invitation_title) />
        <div class="auth">
            <main class="auth__card" id="main">
                <span class="brand brand--large"><span class="brand__mark" aria-hidden="true">"A"</span><span class="brand__name">{tr.app_name}</span></span>
                <h1 class="auth__title">{tr.invitation_title}</h1>
                <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                    {
                        let token = token_for_form.clone();
                        move || {
                            let token = token.clone();
                            Suspend::new(async move {
                                match invitation.await {
                                    Ok(Some(inv)) => {
                                        let on_submit = {
                                            let token = token.clone();
                                            move |ev: SubmitEvent| {
                                                ev.prevent_default();
                                                let mut errors = crate::domain::validate::FieldErrors::new();
                                                let password = errors.check("new_password", crate::domain::validate::password(&new_password.get_untracked()));
                                                let confirm = confirm_password.get_untracked();
                                                if confirm.is_empty() {
                                                    errors.add("confirm_password", crate::domain::validate::Problem::Required);
                                                } else if password.is_some_and(|p| p != confirm) {
                                                    errors.add("confirm_password", crate::domain::validate::Problem::Mismatch);
                                                }
                                                if !errors.is_empty() {
                                                    error.set(Some(errors.into()));
                                                    return;
                                                }
                                                error.set(None);
                                                action.dispatch(AcceptInvitation { token: token.clone(), new_password: new_password.get_untracked(), confirm_password: confirm });
                                            }
                                        };
                                        view! {
                                            <p class="auth__lead">{tr.greeting(&inv.full_name)} ". " {tr.invitation_lead}</p>
                                            <p><span class="muted">{tr.invitation_for} ": "</span><strong>{inv.companies.join(", ")}</strong></p>
                                            <ErrorSummary error labels=vec![("new_password", tr.new_password_label), ("confirm_password", tr.confirm_password_label)] />
                                            <form class="form" method="post" action=AcceptInvitation::url() on:submit=on_submit novalidate>
                                                <input type="hidden" name="token" value=token.clone() />
                                                <TextField name="new_password" label=tr.new_password_label info=tr.new_password_info kind="password" value=new_password error=field_error(error, "new_password") autocomplete="new-password" required=true />
                                                <TextField name="confirm_password" label=tr.confirm_password_label kind="password" value=confirm_password error=field_error(error, "confirm_password") autocomplete="new-password" required=true />
                                                <button class="btn btn--primary btn--block" type="submit" disabled=action.pending()>{tr.invitation_button}</button>
                                            </form>
                                        }.into_any()
                                    }
                                    _ => view! {
                                        <div class="notice notice--danger" role="alert">{tr.invitation_invalid}</div>
                                        <p class="auth__links"><a href="/sign-in">{tr.back_to_sign_in}</a></p>
                                    }.into_any(),
                                }
                            })
                        }
                    }
                </Suspense>
            </main>
            <footer class="auth__footer"><LanguageSwitch /></footer>
        </div>
    }
}

/// Asks for the reason, then enters the user's account.
#[component]
fn LogInAsForm(
    company_id: i64,
    user_id: i64,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    use crate::api::acting::log_in_as;
    let tr = use_tr();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let action = Action::new(move |reason: &String| log_in_as(company_id, user_id, reason.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            let _ = window().location().set_href("/");
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <section class="card card--accent">
            <h2 class="card__title">{tr.log_in_as}</h2>
            <p class="muted">{tr.log_in_as_explained}</p>
            <ErrorSummary error labels=vec![("reason", tr.log_in_as_reason_label)] />
            <form class="form" on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                if let Err(p) = crate::domain::validate::text(&reason.get_untracked(), 500) {
                    error.set(Some(AppError::field("reason", p)));
                    return;
                }
                error.set(None);
                action.dispatch(reason.get_untracked());
            } novalidate>
                <TextField name="reason" label=tr.log_in_as_reason_label info=tr.log_in_as_reason_info value=reason error=field_error(error, "reason") required=true autocomplete="off" />
                <div class="form__actions">
                    <button class="btn btn--primary" type="submit" disabled=action.pending()>{tr.log_in_as}</button>
                    <button class="btn btn--secondary" type="button" on:click=move |_| on_cancel.run(())>{tr.cancel}</button>
                </div>
            </form>
        </section>
    }
}

/// The staff visits to the signed-in user's account (shown on the profile).
#[component]
pub fn AccountHistory() -> impl IntoView {
    use crate::api::acting::my_visits;
    let tr = use_tr();
    let visits = Resource::new(|| (), |_| my_visits());
    view! {
        <section class="card">
            <h2 class="card__title">{tr.visits_title}</h2>
            <p class="muted">{tr.visits_lead}</p>
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {move || Suspend::new(async move {
                    let list = visits.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p>{tr.visits_empty}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="timeline">
                                {list.into_iter().map(|v| {
                                    let what = match v.action.as_str() {
                                        "log_in_as_started" => tr.visit_started,
                                        "log_in_as_write_on" => tr.visit_write,
                                        _ => tr.visit_ended,
                                    };
                                    view! {
                                        <li>
                                            <span class="muted nowrap"><LocalTime at=v.at /></span> " "
                                            <strong>{v.by.unwrap_or_default()}</strong> " " {what}
                                            {v.reason.map(|r| view! { ": " <em>{r}</em> })}
                                        </li>
                                    }
                                }).collect::<Vec<_>>()}
                            </ol>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
