//! The profile: personal data, language, password.

use crate::api::account::{ChangePassword, UpdateProfile};
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::error::AppError;
use crate::i18n::{use_tr, Locale};
use crate::ui::components::{field_error, ErrorSummary, InfoTip, Notice, PageHeader, TextField};
use crate::ui::layout::use_me;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let tr = use_tr();
    view! {
        <Title text=format!("{} · Atrium", tr.profile_title) />
        <PageHeader title=tr.profile_title lead=tr.profile_lead />
        <div class="columns">
            <ProfileForm />
            <PasswordForm />
        </div>
        <div class="spaced">
            <NotificationSettings />
        </div>
        <EngineerRating />
        <div class="spaced">
            <crate::ui::pages::users::InviteColleague />
        </div>
        <div class="spaced">
            <crate::ui::pages::users::AccountHistory />
        </div>
    }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let tr = use_tr();
    let me = use_me();
    let full_name = RwSignal::new(me.as_ref().map(|m| m.full_name.clone()).unwrap_or_default());
    let email = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.email.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.phone.clone())
            .unwrap_or_default(),
    );
    let language = RwSignal::new(
        me.as_ref()
            .map(|m| m.language.clone())
            .unwrap_or_else(|| "en".into()),
    );
    let profile_password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = ServerAction::<UpdateProfile>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            profile_password.set(String::new());
            // The language may have changed: reload so every string follows.
            let current = use_context::<Locale>().map(|l| l.code()).unwrap_or("en");
            if language.get_untracked() != current {
                let _ = window().location().reload();
            } else {
                saved.set(true);
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pending = action.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let mut errors = FieldErrors::new();
        errors.check(
            "full_name",
            validate::text(&full_name.get_untracked(), validate::NAME_MAX),
        );
        let e = errors.check(
            "email",
            validate::optional(&email.get_untracked(), validate::email),
        );
        let p = errors.check(
            "phone",
            validate::optional(&phone.get_untracked(), validate::phone),
        );
        if let (Some(None), Some(None)) = (e, p) {
            errors.add("email", Problem::Required);
        }
        if !errors.is_empty() {
            error.set(Some(errors.into()));
            return;
        }
        error.set(None);
        action.dispatch(UpdateProfile {
            full_name: full_name.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            language: language.get_untracked(),
            profile_password: profile_password.get_untracked(),
        });
    };
    let language_error = field_error(error, "language");
    view! {
        <section class="card">
            <h2 class="card__title">{tr.profile_title}</h2>
            {move || saved.get().then(|| view! { <Notice text=tr.profile_saved /> })}
            <ErrorSummary
                error
                labels=vec![
                    ("full_name", tr.full_name_label),
                    ("email", tr.email_label),
                    ("phone", tr.phone_label),
                    ("language", tr.language),
                    ("profile_password", tr.profile_password_label),
                ]
            />
            <form class="form" method="post" action=UpdateProfile::url() on:submit=on_submit novalidate>
                <TextField
                    name="full_name"
                    label=tr.full_name_label
                    info=tr.full_name_info
                    value=full_name
                    error=field_error(error, "full_name")
                    autocomplete="name"
                    required=true
                />
                <TextField
                    name="email"
                    label=tr.email_label
                    info=tr.email_info
                    kind="email"
                    value=email
                    error=field_error(error, "email")
                    autocomplete="email"
                />
                <TextField
                    name="phone"
                    label=tr.phone_label
                    info=tr.phone_info
                    kind="tel"
                    value=phone
                    error=field_error(error, "phone")
                    autocomplete="tel"
                    optional_label=tr.optional
                />
                <div class="field" class:field--invalid=move || language_error.get().is_some()>
                    <div class="field__label-row">
                        <label class="field__label" for="f-language">
                            {tr.language}
                        </label>
                        <InfoTip text=tr.language_info id="f-language".to_owned() />
                    </div>
                    {move || language_error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <select class="input" id="f-language" name="language" bind:value=language>
                        {Locale::ALL
                            .into_iter()
                            .map(|l| view! { <option value=l.code()>{l.native_name()}</option> })
                            .collect::<Vec<_>>()}
                    </select>
                </div>
                <TextField
                    name="profile_password"
                    label=tr.profile_password_label
                    info=tr.profile_password_info
                    kind="password"
                    value=profile_password
                    error=field_error(error, "profile_password")
                    autocomplete="current-password"
                    optional_label=tr.profile_password_hint
                />
                <button class="btn btn--primary" type="submit" disabled=pending>
                    {move || if pending.get() { tr.saving } else { tr.save }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let tr = use_tr();
    let current_password = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let confirm_password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let action = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current_password.set(String::new());
            new_password.set(String::new());
            confirm_password.set(String::new());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pending = action.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let mut errors = FieldErrors::new();
        if current_password.with_untracked(String::is_empty) {
            errors.add("current_password", Problem::Required);
        }
        let password = errors.check(
            "new_password",
            validate::password(&new_password.get_untracked()),
        );
        let confirm = confirm_password.get_untracked();
        if confirm.is_empty() {
            errors.add("confirm_password", Problem::Required);
        } else if password.is_some_and(|p| p != confirm) {
            errors.add("confirm_password", Problem::Mismatch);
        }
        if !errors.is_empty() {
            error.set(Some(errors.into()));
            return;
        }
        error.set(None);
        action.dispatch(ChangePassword {
            current_password: current_password.get_untracked(),
            new_password: new_password.get_untracked(),
            confirm_password: confirm,
        });
    };
    view! {
        <section class="card">
            <h2 class="card__title">{tr.change_password_title}</h2>
            {move || done.get().then(|| view! { <Notice text=tr.password_changed /> })}
            <ErrorSummary
                error
                labels=vec![
                    ("current_password", tr.current_password_label),
                    ("new_password", tr.new_password_label),
                    ("confirm_password", tr.confirm_password_label),
                ]
            />
            <form class="form" method="post" action=ChangePassword::url() on:submit=on_submit novalidate>
                <TextField
                    name="current_password"
                    label=tr.current_password_label
                    kind="password"
                    value=current_password
                    error=field_error(error, "current_password")
                    autocomplete="current-password"
                />
                <TextField
                    name="new_password"
                    label=tr.new_password_label
                    info=tr.new_password_info
                    kind="password"
                    value=new_password
                    error=field_error(error, "new_password")
                    autocomplete="new-password"
                />
                <TextField
                    name="confirm_password"
                    label=tr.confirm_password_label
                    kind="password"
                    value=confirm_password
                    error=field_error(error, "confirm_password")
                    autocomplete="new-password"
                />
                <button class="btn btn--primary" type="submit" disabled=pending>
                    {tr.change_password_button}
                </button>
            </form>
        </section>
    }
}

/// E-mail copies of notifications: ticket events and unread messages, each on its own.
#[component]
fn NotificationSettings() -> impl IntoView {
    use crate::api::chat::{chat_email_notifications, set_chat_email_notifications};
    use crate::api::tickets::{email_notifications, set_email_notifications};
    let tr = use_tr();
    // Read in the browser after hydration (the server renders the card without them).
    let current = RwSignal::new(None::<Result<(bool, bool), AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let both = async {
                Ok::<_, AppError>((
                    email_notifications().await?,
                    chat_email_notifications().await?,
                ))
            };
            current.set(Some(both.await));
        });
    });
    let saved = RwSignal::new(false);
    let save = Action::new(move |(which, on): &(u8, bool)| {
        let (which, on) = (*which, *on);
        async move {
            let done = if which == 0 {
                set_email_notifications(on).await
            } else {
                set_chat_email_notifications(on).await
            };
            saved.set(done.is_ok());
        }
    });
    view! {
        <section class="card">
            <h2 class="card__title">{tr.notifications_settings}</h2>
            {move || match current.get() {
                None => view! { <p class="muted">{tr.loading}</p> }.into_any(),
                Some(Ok((tickets, chat))) => view! {
                    <label class="check">
                        <input type="checkbox" id="notify-tickets" checked=tickets
                            on:change=move |ev| { save.dispatch((0, event_target_checked(&ev))); } />
                        <span>{tr.notify_email_tickets}</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" id="notify-chat" checked=chat
                            on:change=move |ev| { save.dispatch((1, event_target_checked(&ev))); } />
                        <span>{tr.notify_email_chat}</span>
                    </label>
                    {move || saved.get().then(|| view! { <p class="muted small" role="status">{tr.saved}</p> })}
                }.into_any(),
                Some(Err(error)) => view! { <crate::ui::components::ErrorPanel error /> }.into_any(),
            }}
        </section>
    }
}

/// An engineer's own ratings (read in the browser after hydration, like the settings).
#[component]
fn EngineerRating() -> impl IntoView {
    let engineer = use_me().is_some_and(|m| m.role == crate::domain::role::Role::Engineer);
    let rating = RwSignal::new(None);
    Effect::new(move |_| {
        if engineer {
            leptos::task::spawn_local(async move {
                if let Ok(Some(r)) = crate::api::acts::my_rating().await {
                    rating.set(Some(r));
                }
            });
        }
    });
    move || {
        rating.get().map(|rating| {
            view! {
                <div class="spaced">
                    <crate::ui::pages::acts::MyRatingCard rating />
                </div>
            }
        })
    }
}
