//! The small design system's building blocks: fields with tooltips and errors, the
//! error summary, badges, empty states, page headers.

use crate::domain::ticket::Stage;
use crate::error::AppError;
use crate::i18n::use_tr;
use leptos::prelude::*;

pub mod language;
pub mod time;
pub use language::LanguageSwitch;
pub use time::LocalTime;

/// An "i" button that shows a hint on hover and keyboard focus (no JavaScript needed).
#[component]
pub fn InfoTip(text: &'static str, id: String) -> impl IntoView {
    let tip_id = format!("{id}-info");
    view! {
        <span class="info">
            <button type="button" class="info__button" aria-describedby=tip_id.clone() aria-label=text>
                "i"
            </button>
            <span class="info__tip" role="tooltip" id=tip_id>
                {text}
            </span>
        </span>
    }
}

/// A labelled input with an optional info tooltip and its error message. The value lives
/// in `value`, so a failed submit never loses what the user typed.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] info: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] optional_label: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let error_id = format!("{id}-error");
    // The initial value as an attribute, so that a page rendered after a plain form post
    // (JavaScript off) shows what the user typed; passwords are never written back.
    let initial = (kind != "password")
        .then(|| value.get_untracked())
        .filter(|v| !v.is_empty());
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <div class="field__label-row">
                <label class="field__label" for=id.clone()>
                    {label}
                    {optional_label.map(|text| view! { <span class="field__optional">" (" {text} ")"</span> })}
                </label>
                {info.map(|text| view! { <InfoTip text id=id.clone() /> })}
            </div>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field__error" id=error_id.clone()>
                                {message}
                            </p>
                        }
                    })
            }}
            <input
                class="input"
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                maxlength=maxlength.map(|n| n.to_string())
                value=initial
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                bind:value=value
            />
        </div>
    }
}

/// The field's problem in the user's language, if the error names that field.
pub fn field_error(
    error: RwSignal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let tr = use_tr();
    Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.field_problem(field))
                .map(|p| tr.problem(p))
        })
    })
}

/// GOV.UK-style summary at the top of a form: every problem, linking to its field.
#[component]
pub fn ErrorSummary(
    error: RwSignal<Option<AppError>>,
    #[prop(optional)] labels: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let tr = use_tr();
    move || {
        error.get().map(|error| {
            let items = match &error {
                AppError::Invalid(fields) if !fields.0.is_empty() => fields
                    .0
                    .iter()
                    .map(|f| {
                        let label = labels
                            .iter()
                            .find(|(n, _)| *n == f.field)
                            .map(|(_, l)| *l)
                            .unwrap_or("");
                        let text = if label.is_empty() {
                            tr.problem(f.problem)
                        } else {
                            format!("{label}: {}", tr.problem(f.problem))
                        };
                        view! {
                            <li>
                                <a href=format!("#f-{}", f.field)>{text}</a>
                            </li>
                        }
                        .into_any()
                    })
                    .collect::<Vec<_>>(),
                other => vec![view! { <li>{tr.error(other)}</li> }.into_any()],
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">{tr.error_summary_title}</h2>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

#[component]
pub fn Notice(
    #[prop(into)] text: String,
    #[prop(default = "success")] tone: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("notice notice--{tone}") role="status">
            {text}
        </div>
    }
}

#[component]
pub fn StageBadge(stage: Stage) -> impl IntoView {
    let tr = use_tr();
    view! { <span class=format!("badge badge--{}", stage.tone())>{tr.stage(stage)}</span> }
}

#[component]
pub fn PageHeader(
    title: &'static str,
    #[prop(optional)] lead: Option<&'static str>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1 class="page-title">{title}</h1>
            {lead.map(|lead| view! { <p class="page-lead">{lead}</p> })}
        </header>
    }
}

#[component]
pub fn EmptyState(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <div class="empty">
            <svg class="empty__icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 5h16v11H4z M8 19h8" fill="none" stroke="currentColor" stroke-width="1.5" />
            </svg>
            <h2 class="empty__title">{title}</h2>
            <p class="empty__text">{text}</p>
        </div>
    }
}

/// An error where content should be, in the user's language.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="notice notice--danger" role="alert">
            {tr.error(&error)}
        </div>
    }
}

/// Splits text into plain runs and http(s) links, for safe rendering as nodes (never as
/// HTML).
pub fn linkify(text: &str) -> Vec<(bool, String)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest
        .find("http://")
        .into_iter()
        .chain(rest.find("https://"))
        .min()
    {
        if start > 0 {
            parts.push((false, rest[..start].to_owned()));
        }
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(tail.len());
        parts.push((true, tail[..end].to_owned()));
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        parts.push((false, rest.to_owned()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_are_separated_from_text() {
        assert_eq!(
            linkify("Open http://x.test/reset?token=a_b now"),
            vec![
                (false, "Open ".into()),
                (true, "http://x.test/reset?token=a_b".into()),
                (false, " now".into())
            ]
        );
        assert_eq!(
            linkify("no links <b>"),
            vec![(false, "no links <b>".into())]
        );
        assert_eq!(
            linkify("https://a.test"),
            vec![(true, "https://a.test".into())]
        );
    }
}
