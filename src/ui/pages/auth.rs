//! Sign in, forgot password, reset password. Each form is a real HTML form posting to its
//! server function, so it works with JavaScript off; with JavaScript on, the same form is
//! validated in the browser first and submitted without a page load.

use crate::api::account::{check_reset_link, RequestPasswordReset, ResetPassword, SignIn};
use crate::domain::validate::{self, FieldErrors, Problem};
use crate::error::AppError;
use crate::i18n::use_tr;
use crate::ui::components::{field_error, ErrorSummary, LanguageSwitch, Notice, TextField};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A query parameter of the current URL, read once.
fn query_param(name: &'static str) -> Option<String> {
    use_query_map()
        .with_untracked(|q| q.get(name))
        .filter(|v| !v.is_empty())
}

/// An error a no-JavaScript post brought back in the URL.
fn error_from_query() -> Option<AppError> {
    query_param("error").and_then(|e| serde_json::from_str::<AppError>(&e).ok())
}

/// The centred card the signed-out pages share (and the public pages of equipment
/// labels, which bring their own heading: `title` and `lead` are then left out).
#[component]
pub fn AuthFrame(
    #[prop(optional)] title: Option<&'static str>,
    #[prop(optional)] lead: Option<&'static str>,
    /// A wider card (the public label page).
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        {title.map(|title| view! { <Title text=format!("{title} · Atrium") /> })}
        <div class="auth">
            <main class="auth__card" class:public__card=wide id="main">
                <a class="brand brand--large" href="/sign-in">
                    <span class="brand__mark" aria-hidden="true">"A"</span>
                    <span class="brand__name">{tr.app_name}</span>
                </a>
                {title.map(|title| view! { <h1 class="auth__title">{title}</h1> })}
                {lead.map(|lead| view! { <p class="auth__lead">{lead}</p> })}
                {children()}
            </main>
            <footer class="auth__footer">
                <LanguageSwitch />
            </footer>
        </div>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let tr = use_tr();
    let login = RwSignal::new(query_param("login").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let next = query_param("next");
    let error = RwSignal::new(error_from_query());
    let notice = if query_param("reset").is_some() {
        Some(tr.reset_done_notice)
    } else if query_param("signed_out").is_some() {
        Some(tr.signed_out_notice)
    } else if query_param("expired").is_some() {
        Some(tr.session_ended_notice)
    } else {
        None
    };

    let action = ServerAction::<SignIn>::new();
    Effect::new(move |_| match action.value().get() {
        // A full load: the whole app starts again as the signed-in user.
        Some(Ok(next)) => {
            let _ = window().location().set_href(&next);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pending = action.pending();
    let on_submit = {
        let next = next.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut errors = FieldErrors::new();
            errors.check("login", validate::login(&login.get_untracked()));
            if password.with_untracked(String::is_empty) {
                errors.add("password", Problem::Required);
            }
            if !errors.is_empty() {
                error.set(Some(errors.into()));
                return;
            }
            error.set(None);
            action.dispatch(SignIn {
                login: login.get_untracked(),
                password: password.get_untracked(),
                next: next.clone(),
            });
        }
    };

    view! {
        <AuthFrame title=tr.sign_in_title lead=tr.sign_in_lead>
            {notice.map(|text| view! { <Notice text=text /> })}
            <ErrorSummary error labels=vec![("login", tr.login_label), ("password", tr.password_label)] />
            <form class="form" method="post" action=SignIn::url() on:submit=on_submit novalidate>
                <input type="hidden" name="next" value=next.unwrap_or_default() />
                <TextField
                    name="login"
                    label=tr.login_label
                    info=tr.login_info
                    value=login
                    error=field_error(error, "login")
                    autocomplete="username"
                    required=true
                />
                <TextField
                    name="password"
                    label=tr.password_label
                    info=tr.password_info
                    kind="password"
                    value=password
                    error=field_error(error, "password")
                    autocomplete="current-password"
                    required=true
                />
                <button class="btn btn--primary btn--block" type="submit" disabled=pending>
                    {move || if pending.get() { tr.signing_in } else { tr.sign_in_button }}
                </button>
            </form>
            <p class="auth__links">
                <a href="/forgot-password">{tr.forgot_link}</a>
            </p>
        </AuthFrame>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let tr = use_tr();
    let login = RwSignal::new(query_param("login").unwrap_or_default());
    let error = RwSignal::new(error_from_query());
    let sent = RwSignal::new(query_param("sent").is_some());
    let action = ServerAction::<RequestPasswordReset>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => sent.set(true),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pending = action.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Err(problem) = validate::login(&login.get_untracked()) {
            error.set(Some(AppError::field("login", problem)));
            return;
        }
        error.set(None);
        sent.set(false);
        action.dispatch(RequestPasswordReset {
            login: login.get_untracked(),
        });
    };
    view! {
        <AuthFrame title=tr.forgot_title lead=tr.forgot_lead>
            {move || sent.get().then(|| view! { <Notice text=tr.forgot_sent /> })}
            <ErrorSummary error labels=vec![("login", tr.login_label)] />
            <form class="form" method="post" action=RequestPasswordReset::url() on:submit=on_submit novalidate>
                <TextField
                    name="login"
                    label=tr.login_label
                    info=tr.login_info
                    value=login
                    error=field_error(error, "login")
                    autocomplete="username"
                    required=true
                />
                <button class="btn btn--primary btn--block" type="submit" disabled=pending>
                    {tr.forgot_button}
                </button>
            </form>
            <p class="auth__links">
                <a href="/sign-in">{tr.back_to_sign_in}</a>
            </p>
        </AuthFrame>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let tr = use_tr();
    let token = query_param("token").unwrap_or_default();
    let new_password = RwSignal::new(String::new());
    let confirm_password = RwSignal::new(String::new());
    let error = RwSignal::new(error_from_query());
    let live = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| async move {
            if token.is_empty() {
                Ok(false)
            } else {
                check_reset_link(token).await
            }
        },
    );
    let action = ServerAction::<ResetPassword>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            let _ = window().location().set_href("/sign-in?reset=1");
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pending = action.pending();
    let on_submit = {
        let token = token.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut errors = FieldErrors::new();
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
            action.dispatch(ResetPassword {
                token: token.clone(),
                new_password: new_password.get_untracked(),
                confirm_password: confirm,
            });
        }
    };
    let form = move |token: String| {
        view! {
            <ErrorSummary
                error
                labels=vec![
                    ("new_password", tr.new_password_label),
                    ("confirm_password", tr.confirm_password_label),
                ]
            />
            <form class="form" method="post" action=ResetPassword::url() on:submit=on_submit.clone() novalidate>
                <input type="hidden" name="token" value=token />
                <TextField
                    name="new_password"
                    label=tr.new_password_label
                    info=tr.new_password_info
                    kind="password"
                    value=new_password
                    error=field_error(error, "new_password")
                    autocomplete="new-password"
                    required=true
                />
                <TextField
                    name="confirm_password"
                    label=tr.confirm_password_label
                    kind="password"
                    value=confirm_password
                    error=field_error(error, "confirm_password")
                    autocomplete="new-password"
                    required=true
                />
                <button class="btn btn--primary btn--block" type="submit" disabled=pending>
                    {tr.reset_button}
                </button>
            </form>
        }
    };
    let invalid = move || {
        view! {
            <div class="notice notice--danger" role="alert">
                {if query_param("token").is_some() { tr.problem_link_invalid } else { tr.reset_link_missing }}
            </div>
            <p class="auth__links">
                <a class="btn btn--secondary btn--block" href="/forgot-password">
                    {tr.forgot_button}
                </a>
            </p>
        }
    };
    view! {
        <AuthFrame title=tr.reset_title lead=tr.reset_lead>
            <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
                {
                    let token = token.clone();
                    let form = form.clone();
                    move || {
                        let token = token.clone();
                        let form = form.clone();
                        Suspend::new(async move {
                            match live.await {
                                Ok(true) => form(token).into_any(),
                                _ => invalid().into_any(),
                            }
                        })
                    }
                }
            </Suspense>
            <p class="auth__links">
                <a href="/sign-in">{tr.back_to_sign_in}</a>
            </p>
        </AuthFrame>
    }
}
