//! The first lists: customer companies and tickets, newest pages appended on demand.

use crate::api::directory::{list_outbox, OutboxItem, Paged};
use crate::error::AppError;
use crate::i18n::use_tr;
use crate::ui::components::LocalTime;
use crate::ui::components::{linkify, EmptyState, ErrorPanel, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

/// A keyset-paginated list: the first page is rendered on the server, "Show more"
/// fetches the next one after the last cursor. `key` is reactive (e.g. the filters in
/// the URL): when it changes, the list starts again from the first page.
pub fn paged_list<K, T, C, Fut, Fetch, Row, RowView>(
    key: impl Fn() -> K + Send + Sync + 'static,
    fetch: Fetch,
    row: Row,
    header: impl Fn() -> AnyView + Send + Sync + Clone + 'static,
    empty: (&'static str, &'static str),
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    C: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: Future<Output = Result<Paged<T, C>, AppError>> + Send + 'static,
    K: Clone + PartialEq + Send + Sync + 'static,
    Fetch: Fn(K, Option<C>) -> Fut + Copy + Send + Sync + 'static,
    Row: Fn(T) -> RowView + Copy + Send + Sync + 'static,
    RowView: IntoView + 'static,
{
    let tr = use_tr();
    let key = Memo::new(move |_| key());
    let first = Resource::new(move || key.get(), move |k| fetch(k, None));
    let more = RwSignal::new(Vec::<T>::new());
    let cursor = RwSignal::new(None::<Option<C>>);
    let more_error = RwSignal::new(None::<AppError>);
    // New filters: forget the pages appended under the old ones.
    Effect::new(move |previous: Option<K>| {
        let current = key.get();
        if previous.is_some_and(|p| p != current) {
            more.set(Vec::new());
            cursor.set(None);
            more_error.set(None);
        }
        current
    });
    let load_more = Action::new(move |after: &Option<C>| {
        let after = after.clone();
        let k = key.get_untracked();
        async move {
            match fetch(k, after).await {
                Ok(page) => {
                    more.update(|items| items.extend(page.items));
                    cursor.set(Some(page.next));
                }
                Err(error) => more_error.set(Some(error)),
            }
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr.loading}</p> }>
            {move || {
                let header = header.clone();
                Suspend::new(async move {
                match first.await {
                    Ok(page) if page.items.is_empty() => view! { <EmptyState title=empty.0 text=empty.1 /> }.into_any(),
                    Ok(page) => {
                        let next = move || cursor.get().unwrap_or_else(|| page.next.clone());
                        view! {
                            <div class="table-wrap">
                                <table class="table">
                                    {header()}
                                    <tbody>
                                        {page.items.clone().into_iter().map(row).collect::<Vec<_>>()}
                                        {move || more.get().into_iter().map(row).collect::<Vec<_>>()}
                                    </tbody>
                                </table>
                            </div>
                            {move || more_error.get().map(|error| view! { <ErrorPanel error /> })}
                            {move || {
                                next()
                                    .map(|after| {
                                        view! {
                                            <button
                                                class="btn btn--secondary load-more"
                                                type="button"
                                                disabled=move || load_more.pending().get()
                                                on:click=move |_| {
                                                    load_more.dispatch(Some(after.clone()));
                                                }
                                            >
                                                {tr.load_more}
                                            </button>
                                        }
                                    })
                            }}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let tr = use_tr();
    view! {
        <Title text=format!("{} · Atrium", tr.nav_settings) />
        <PageHeader title=tr.nav_settings lead=tr.settings_lead />
        <div class="cards">
            <a class="card card--link" href="/settings/outbox">
                <h2 class="card__title">{tr.outbox_title}</h2>
                <p class="muted">{tr.outbox_card}</p>
            </a>
            <a class="card card--link" href="/settings/catalog">
                <h2 class="card__title">{tr.nav_catalog}</h2>
                <p class="muted">{tr.catalog_card}</p>
            </a>
            <a class="card card--link" href="/settings/company">
                <h2 class="card__title">{tr.acts.company_title}</h2>
                <p class="muted">{tr.acts.company_card}</p>
            </a>
            <a class="card card--link" href="/settings/tickets">
                <h2 class="card__title">{tr.settings.title}</h2>
                <p class="muted">{tr.settings.card}</p>
            </a>
            <a class="card card--link" href="/settings/ratings">
                <h2 class="card__title">{tr.acts.criteria_title}</h2>
                <p class="muted">{tr.acts.criteria_lead}</p>
            </a>
        </div>
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let tr = use_tr();
    let header = move || {
        view! {
        <thead>
            <tr>
                <th scope="col">{tr.col_when}</th>
                <th scope="col">{tr.col_channel}</th>
                <th scope="col">{tr.col_recipient}</th>
                <th scope="col">{tr.col_message}</th>
                <th scope="col">{tr.col_status}</th>
            </tr>
        </thead>
        }
        .into_any()
    };
    let row = move |m: OutboxItem| {
        let channel = if m.channel == "sms" {
            tr.channel_sms
        } else {
            tr.channel_email
        };
        let (status, tone) = match m.status.as_str() {
            "sent" => (tr.status_sent, "success"),
            "failed" => (tr.status_failed, "danger"),
            _ => (tr.status_stored, "neutral"),
        };
        let body = linkify(&m.body)
            .into_iter()
            .map(|(is_link, text)| {
                if is_link {
                    view! { <a href=text.clone() rel="noreferrer">{text.clone()}</a> }.into_any()
                } else {
                    text.into_any()
                }
            })
            .collect::<Vec<_>>();
        view! {
            <tr>
                <td data-label=tr.col_when class="nowrap"><LocalTime at=m.created_at /></td>
                <td data-label=tr.col_channel>{channel}</td>
                <td data-label=tr.col_recipient class="break">{m.recipient}</td>
                <td data-label=tr.col_message>
                    {(!m.subject.is_empty()).then(|| view! { <strong class="outbox__subject">{m.subject}</strong> })}
                    <div class="outbox__body">{body}</div>
                </td>
                <td data-label=tr.col_status>
                    <span class=format!("badge badge--{tone}")>{status}</span>
                </td>
            </tr>
        }
    };
    view! {
        <Title text=format!("{} · Atrium", tr.outbox_title) />
        <PageHeader title=tr.outbox_title lead=tr.outbox_lead />
        {paged_list(|| (), |_, c| list_outbox(c), row, header, (tr.outbox_title, tr.outbox_empty))}
    }
}
