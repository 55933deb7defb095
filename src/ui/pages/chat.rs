//! The ticket's conversation (a tab of the ticket page), the Messages page, and the
//! unread badge of the navigation.
//!
//! A message the user sends appears at once as "sending" and is posted with a random
//! client key until the server has it (the key makes retries idempotent). Other views
//! receive messages through the ticket's event stream, which resumes after a lost
//! connection from the last message it delivered.

use crate::api::chat::{
    add_chat_member, chat_thread, list_conversations, post_message, unread_messages, Conversation,
    ThreadView,
};
use crate::domain::chat::{ChatMessage, MessageInput};
use crate::error::AppError;
use crate::i18n::use_tr;
use crate::ui::components::{linkify, LocalTime};
use crate::ui::pages::lists::paged_list;
use crate::ui::pages::tickets::{format_size, stored_ids, FilePicker, Upload};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_query_map};

/// One message of the user's on its way to the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    ticket_id: i64,
    key: String,
    body: String,
    files: Vec<i64>,
    state: Sending,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Sending {
    Sending,
    /// The network failed; trying again.
    Retrying,
    /// The server refused it; the text is kept for editing.
    Refused(String),
}

/// Messages on their way to the server, kept by the ticket page rather than by the
/// conversation: when the page rebuilds the conversation (after the user's own stage
/// move, say), sends under way go on and stay in view.
#[derive(Clone, Copy)]
pub struct ChatOutbox(RwSignal<Vec<Pending>>);

pub fn provide_chat_outbox() {
    provide_context(ChatOutbox(RwSignal::new(Vec::new())));
}

/// A fresh idempotency key for one message.
fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut key = format!("{:x}", js_sys::Date::now() as u64);
        for _ in 0..3 {
            key.push_str(&format!(
                "{:08x}",
                (js_sys::Math::random() * 4_294_967_295.0) as u32
            ));
        }
        key
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::from("server-render-key")
    }
}

#[cfg(feature = "hydrate")]
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(feature = "hydrate")]
fn page_visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Inserts a message in place order, once.
fn insert(messages: RwSignal<Vec<ChatMessage>>, message: ChatMessage) {
    // `try_`: an answer may arrive after the conversation was closed.
    messages.try_update(|list| {
        if list.iter().all(|m| m.seq != message.seq) {
            let at = list.partition_point(|m| m.seq < message.seq);
            list.insert(at, message);
        }
    });
}

/// The conversation tab of a ticket: its messages, the composer and the participants.
#[component]
pub fn Thread(t: ThreadView) -> impl IntoView {
    let tr = use_tr();
    let ticket_id = t.ticket_id;
    let me = t.me;
    let messages = RwSignal::new(t.messages);
    let pending = use_context::<ChatOutbox>().map_or_else(|| RwSignal::new(Vec::new()), |o| o.0);
    let others_read = RwSignal::new(t.others_read);
    let my_read = RwSignal::new(t.my_read);
    let earlier = RwSignal::new(t.earlier);
    let live = RwSignal::new(true);
    let draft = RwSignal::new(String::new());
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let error = RwSignal::new(None::<String>);
    let members = RwSignal::new(t.members);
    let candidates = RwSignal::new(t.candidates);
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    // The live stream, for as long as the tab is open.
    #[cfg(feature = "hydrate")]
    {
        use crate::api::chat::mark_chat_read;
        use crate::domain::chat::ReadMark;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let unread = use_context::<UnreadMessages>();

        // Read up to the newest message from others, while the page is in front.
        let mark_latest = move || {
            if !page_visible() {
                return;
            }
            let newest = messages.with_untracked(|m| m.last().map_or(0, |m| m.seq));
            let before = my_read.get_untracked();
            if newest > before {
                my_read.set(newest);
                leptos::task::spawn_local(async move {
                    if mark_chat_read(ticket_id, newest).await.is_ok() {
                        if let Some(unread) = unread {
                            unread.again.update(|n| *n += 1);
                        }
                    } else {
                        // Not recorded: try again with the next message or visit.
                        my_read.try_update(|r| {
                            if *r == newest {
                                *r = before;
                            }
                        });
                    }
                });
            }
        };
        let source = StoredValue::new_local(None::<web_sys::EventSource>);
        let reconnect = RwSignal::new(0u32);
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                if let Ok(message) = serde_json::from_str::<ChatMessage>(&text) {
                    if let Some(key) = &message.client_key {
                        pending.update(|p| p.retain(|x| &x.key != key));
                    }
                    insert(messages, message);
                    mark_latest();
                }
            });
        let on_read =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                if let Ok(mark) = serde_json::from_str::<ReadMark>(&text) {
                    if mark.user_id != me && mark.seq > others_read.get_untracked() {
                        others_read.set(mark.seq);
                    }
                }
            });
        let on_open = Closure::<dyn FnMut()>::new(move || live.set(true));
        // The browser retries a dropped connection by itself, but gives up after an HTTP
        // error (a proxy's 502, a restart answering 503): then open a new stream.
        let on_error = Closure::<dyn FnMut()>::new(move || {
            live.set(false);
            let closed = source.with_value(|s| {
                s.as_ref()
                    .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED)
            });
            if closed {
                set_timeout(
                    move || {
                        let _ = reconnect.try_update(|n| *n += 1);
                    },
                    std::time::Duration::from_secs(3),
                );
            }
        });
        let on_visible = Closure::<dyn FnMut()>::new(mark_latest);
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
        let handlers =
            StoredValue::new_local(Some((on_message, on_read, on_open, on_error, on_visible)));
        // (Re)opens the stream from the last message this view has.
        Effect::new(move |_| {
            reconnect.track();
            let after = messages.with_untracked(|m| m.last().map_or(0, |m| m.seq));
            let url = format!("/api/tickets/{ticket_id}/chat/stream?after={after}");
            let Ok(opened) = web_sys::EventSource::new(&url) else {
                return;
            };
            handlers.with_value(|h| {
                if let Some((message, read, open, error, _)) = h {
                    let _ = opened.add_event_listener_with_callback(
                        "message",
                        message.as_ref().unchecked_ref(),
                    );
                    let _ = opened
                        .add_event_listener_with_callback("read", read.as_ref().unchecked_ref());
                    opened.set_onopen(Some(open.as_ref().unchecked_ref()));
                    opened.set_onerror(Some(error.as_ref().unchecked_ref()));
                }
            });
            if let Some(Some(old)) = source.try_update_value(|s| s.replace(opened)) {
                old.close();
            }
        });
        on_cleanup(move || {
            if let Some(Some(open)) = source.try_update_value(Option::take) {
                open.close();
            }
            if let Some(Some((_, _, _, _, visible))) = handlers.try_update_value(Option::take) {
                let _ = document().remove_event_listener_with_callback(
                    "visibilitychange",
                    visible.as_ref().unchecked_ref(),
                );
            }
        });
        Effect::new(move |_| mark_latest());
    }

    // Keep the newest message in view (not when earlier ones are added above).
    let newest = Memo::new(move |_| {
        (
            messages.with(|m| m.last().map_or(0, |m| m.seq)),
            pending.with(Vec::len),
        )
    });
    Effect::new(move |_| {
        newest.track();
        if let Some(list) = list_ref.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });

    // Posts one pending message until the server has it or refuses it.
    let deliver = move |key: String| {
        leptos::task::spawn_local(async move {
            #[cfg(feature = "hydrate")]
            let mut delay = 1_000;
            // The server renders no pending messages, so there its retry arm returns.
            #[cfg_attr(not(feature = "hydrate"), allow(clippy::never_loop))]
            loop {
                // Gone: delivered, dropped by the user, or the conversation was closed.
                let Some(Some(p)) =
                    pending.try_with_untracked(|p| p.iter().find(|x| x.key == key).cloned())
                else {
                    return;
                };
                match post_message(ticket_id, p.key.clone(), p.body.clone(), p.files.clone()).await
                {
                    Ok(message) => {
                        pending.try_update(|p| p.retain(|x| x.key != key));
                        my_read.try_update(|r| *r = (*r).max(message.seq));
                        insert(messages, message);
                        return;
                    }
                    Err(AppError::Transport | AppError::Internal) => {
                        pending.try_update(|p| {
                            if let Some(x) = p.iter_mut().find(|x| x.key == key) {
                                x.state = Sending::Retrying;
                            }
                        });
                        #[cfg(feature = "hydrate")]
                        {
                            sleep_ms(delay).await;
                            delay = (delay * 2).min(8_000);
                        }
                        #[cfg(not(feature = "hydrate"))]
                        return;
                    }
                    Err(e) => {
                        let text = e
                            .field_problem("body")
                            .or_else(|| e.field_problem("attachments"))
                            .map(|p| tr.problem(p))
                            .unwrap_or_else(|| tr.error(&e));
                        pending.try_update(|p| {
                            if let Some(x) = p.iter_mut().find(|x| x.key == key) {
                                x.state = Sending::Refused(text);
                            }
                        });
                        return;
                    }
                }
            }
        });
    };

    let send = move || {
        if uploads.with_untracked(|u| u.iter().any(|x| matches!(x, Upload::Sending(..)))) {
            error.set(Some(tr.wait_for_uploads.to_owned()));
            return;
        }
        let input = MessageInput {
            body: draft.get_untracked(),
            client_key: new_key(),
            attachments: stored_ids(&uploads.get_untracked()),
        };
        match input.check() {
            Err(errors) => {
                error.set(
                    errors
                        .get("body")
                        .or_else(|| errors.get("attachments"))
                        .map(|p| tr.problem(p)),
                );
            }
            Ok((body, files)) => {
                error.set(None);
                let key = input.client_key.clone();
                pending.update(|p| {
                    p.push(Pending {
                        ticket_id,
                        key: key.clone(),
                        body,
                        files,
                        state: Sending::Sending,
                    })
                });
                draft.set(String::new());
                uploads.set(Vec::new());
                deliver(key);
            }
        }
    };

    let load_earlier = Action::new(move |_: &()| async move {
        let first = messages.with_untracked(|m| m.first().map_or(0, |m| m.seq));
        if let Ok(page) = chat_thread(ticket_id, Some(first)).await {
            earlier.set(page.earlier);
            for m in page.messages {
                insert(messages, m);
            }
        }
    });
    let add = Action::new(move |user: &i64| {
        let user = *user;
        async move {
            if add_chat_member(ticket_id, user).await.is_ok() {
                if let Ok(t) = chat_thread(ticket_id, None).await {
                    members.set(t.members);
                    candidates.set(t.candidates);
                }
            }
        }
    });
    let chosen = RwSignal::new(String::new());

    let message_view = move |m: ChatMessage| {
        let mine = m.author_id == Some(me);
        let seq = m.seq;
        let body = linkify(&m.body)
            .into_iter()
            .map(|(is_link, text)| {
                if is_link {
                    view! { <a href=text.clone() rel="noreferrer noopener" target="_blank">{text.clone()}</a> }.into_any()
                } else {
                    text.into_any()
                }
            })
            .collect::<Vec<_>>();
        view! {
            <li class="msg" class:msg--mine=mine data-seq=seq>
                <div class="msg__meta">
                    <strong class="msg__author">{m.author.clone()}</strong>
                    {m.role.map(|r| view! { <span class="badge badge--neutral">{tr.role(r)}</span> })}
                    <span class="muted small"><LocalTime at=m.at /></span>
                </div>
                {(!m.body.is_empty()).then(|| view! { <p class="msg__body prewrap">{body}</p> })}
                {(!m.files.is_empty()).then(|| view! {
                    <ul class="msg__files">
                        {m.files.iter().map(|f| {
                            let href = format!("/files/{}", f.id);
                            view! {
                                <li>
                                    <a href=href.clone() target="_blank" rel="noopener">
                                        {if f.is_image {
                                            view! { <img class="msg__thumb" src=format!("{href}/thumb") alt=f.name.clone() loading="lazy" /> }.into_any()
                                        } else {
                                            view! { <span>"📄 "{f.name.clone()}</span> }.into_any()
                                        }}
                                    </a>
                                    <span class="muted small">" "{format_size(f.size_bytes)}</span>
                                </li>
                            }
                        }).collect::<Vec<_>>()}
                    </ul>
                })}
                {mine.then(|| view! {
                    <span class="msg__state muted small">
                        {move || if others_read.get() >= seq { tr.chat_read } else { tr.chat_delivered }}
                    </span>
                })}
            </li>
        }
    };

    view! {
        <section class="card chat" aria-label=tr.chat_title>
            <div class="chat__head">
                <h2 class="card__title">{tr.chat_title}</h2>
                <span class="chat__live muted small" data-testid="chat-live" data-live=move || live.get().to_string()>
                    {move || if live.get() { tr.chat_live } else { tr.chat_reconnecting }}
                </span>
            </div>
            <ol class="chat__list" node_ref=list_ref aria-live="polite" data-testid="chat-list">
                {move || earlier.get().then(|| view! {
                    <li class="chat__earlier">
                        <button type="button" class="btn btn--small btn--secondary" on:click=move |_| { load_earlier.dispatch(()); }>
                            {tr.chat_earlier}
                        </button>
                    </li>
                })}
                {move || messages.with(Vec::is_empty).then(|| view! { <li class="chat__empty muted">{tr.chat_empty}</li> })}
                <For each=move || messages.get() key=|m| m.seq children=message_view />
                <For
                    each=move || pending.with(|p| p.iter().filter(|x| x.ticket_id == ticket_id).cloned().collect::<Vec<_>>())
                    key=|p| (p.key.clone(), format!("{:?}", p.state))
                    children=move |p: Pending| {
                        let key = p.key.clone();
                        let body = p.body.clone();
                        let refused = matches!(p.state, Sending::Refused(_));
                        view! {
                            <li class="msg msg--mine msg--pending" class:msg--refused=refused data-pending="true">
                                <p class="msg__body prewrap">{p.body.clone()}</p>
                                {(!p.files.is_empty()).then(|| view! { <p class="muted small">{format!("📎 {}", p.files.len())}</p> })}
                                <span class="msg__state small" role=if refused { "alert" } else { "status" }>
                                    {match &p.state {
                                        Sending::Sending => tr.chat_sending.to_owned(),
                                        Sending::Retrying => tr.chat_retrying.to_owned(),
                                        Sending::Refused(why) => why.clone(),
                                    }}
                                </span>
                                {refused.then(|| view! {
                                    <button type="button" class="btn btn--small btn--secondary" on:click=move |_| {
                                        pending.update(|p| p.retain(|x| x.key != key));
                                        draft.set(body.clone());
                                    }>{tr.chat_edit}</button>
                                })}
                            </li>
                        }
                    }
                />
            </ol>
            {t.can_post.then(|| view! {
                <form class="chat__composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
                    <label class="visually-hidden" for="chat-body">{tr.chat_message}</label>
                    <textarea
                        id="chat-body"
                        class="input chat__input"
                        rows="2"
                        placeholder=tr.chat_placeholder
                        aria-invalid=move || error.get().is_some().to_string()
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                ev.prevent_default();
                                send();
                            }
                        }
                    ></textarea>
                    {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                    <div class="chat__actions">
                        <FilePicker uploads error=Signal::derive(|| None::<String>) />
                        <button type="submit" class="btn btn--primary">{tr.chat_send}</button>
                    </div>
                </form>
            })}
            {(!t.can_post).then(|| view! { <p class="muted">{tr.chat_closed}</p> })}
            <div class="chat__members">
                <span class="muted small">{tr.chat_members}": "</span>
                {move || members.get().into_iter().map(|m| view! {
                    <span class="chip">{m.name}{m.role.map(|r| format!(" · {}", tr.role(r)))}</span>
                }).collect::<Vec<_>>()}
                {move || (!candidates.with(Vec::is_empty)).then(|| view! {
                    <span class="chat__add">
                        <label class="visually-hidden" for="chat-add">{tr.chat_add_member}</label>
                        <select id="chat-add" class="input input--small" on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">{tr.chat_add_member}</option>
                            {candidates.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect::<Vec<_>>()}
                        </select>
                        <button type="button" class="btn btn--small btn--secondary" on:click=move |_| {
                            if let Ok(id) = chosen.get_untracked().parse::<i64>() { add.dispatch(id); }
                        }>{tr.add}</button>
                    </span>
                })}
            </div>
        </section>
    }
}

// ------------------------------------------------------------------ Messages page

#[component]
pub fn MessagesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|p| p.get("q").unwrap_or_default()));
    let header = move || {
        view! {
            <thead>
                <tr>
                    <th scope="col">{tr.col_ticket}</th>
                    <th scope="col">{tr.col_last_message}</th>
                    <th scope="col">{tr.col_when}</th>
                    <th scope="col">{tr.col_unread}</th>
                </tr>
            </thead>
        }
        .into_any()
    };
    let row = move |c: Conversation| {
        let href = format!("/tickets/{}?tab=messages", c.ticket_id);
        let unread = c.unread > 0;
        view! {
            <tr class:row--unread=unread data-testid="conversation">
                <td data-label=tr.col_ticket>
                    <div>
                        <a class="strong-link" href=href>{c.number.clone()}</a>
                        " · " {c.subject.clone()}
                        <div class="muted small">{c.company.clone()}</div>
                    </div>
                </td>
                <td data-label=tr.col_last_message>
                    <div>
                        {c.last_author.clone().map(|a| view! { <strong>{a}": "</strong> })}
                        {c.last_text.clone()}
                    </div>
                </td>
                <td data-label=tr.col_when class="nowrap"><LocalTime at=c.last_at /></td>
                <td data-label=tr.col_unread>
                    {(c.unread > 0).then(|| view! { <span class="badge badge--accent" data-testid="conversation-unread">{c.unread}</span> })}
                </td>
            </tr>
        }
    };
    view! {
        <Title text=format!("{} · Atrium", tr.nav_messages) />
        <div class="page-header">
            <h1 class="page-title">{tr.nav_messages}</h1>
            <p class="page-lead">{tr.messages_lead}</p>
        </div>
        <Form method="GET" action="/messages" attr:class="toolbar" attr:role="search">
            <div class="toolbar__field toolbar__field--grow">
                <label for="messages-q">{tr.search_label}</label>
                <input id="messages-q" class="input" type="search" name="q" maxlength="200" placeholder=tr.messages_search prop:value=move || q.get() />
            </div>
            <button class="btn btn--secondary" type="submit">{tr.search}</button>
        </Form>
        {paged_list(move || q.get(), list_conversations, row, header, (tr.messages_empty, tr.messages_lead))}
    }
}

/// The viewer's unread messages, shared by every badge of the frame.
#[derive(Clone, Copy)]
pub struct UnreadMessages {
    count: RwSignal<i64>,
    /// Bumped to fetch the count again (e.g. after reading a conversation).
    again: RwSignal<u32>,
}

/// Fetches the unread count after hydration, on every navigation, every 15 seconds and
/// on request, and shows it on the installed app's icon too.
pub fn provide_unread_messages() {
    let location = use_location();
    let unread = UnreadMessages {
        count: RwSignal::new(0),
        again: RwSignal::new(0),
    };
    provide_context(unread);
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        unread.again.track();
        leptos::task::spawn_local(async move {
            if let Ok(n) = unread_messages().await {
                unread.count.set(n);
                #[cfg(feature = "hydrate")]
                set_app_badge(n);
            }
        });
    });
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                // Only while someone can see it (and so not keeping an idle session alive).
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    unread.again.update(|n| *n += 1);
                }
            },
            std::time::Duration::from_secs(15),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
}

/// The unread count next to "Messages" in the navigation. The number is drawn by CSS
/// from `data-count` and named for assistive technology by `aria-label`, so the link's
/// text stays "Messages".
#[component]
pub fn UnreadBadge() -> impl IntoView {
    let tr = use_tr();
    let count = use_context::<UnreadMessages>().map_or(RwSignal::new(0), |u| u.count);
    let shown = move || {
        let n = count.get();
        if n >= 100 {
            "99+".to_owned()
        } else {
            n.to_string()
        }
    };
    view! {
        <span
            class="nav-badge"
            role="img"
            data-testid="messages-unread"
            data-count=shown
            aria-label=move || tr.chat_unread_count.replace("{}", &shown())
            hidden=move || count.get() == 0
        ></span>
    }
}

/// The installed app's icon badge, where the browser has one.
#[cfg(feature = "hydrate")]
fn set_app_badge(n: i64) {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    let name = if n > 0 {
        "setAppBadge"
    } else {
        "clearAppBadge"
    };
    if let Ok(f) = js_sys::Reflect::get(&navigator, &wasm_bindgen::JsValue::from_str(name)) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = if n > 0 {
                f.call1(&navigator, &wasm_bindgen::JsValue::from_f64(n as f64))
            } else {
                f.call0(&navigator)
            };
        }
    }
}
