//! Ticket conversations: posting (idempotent per client key), read markers, members,
//! the live stream of a conversation, and the background work a message leaves behind
//! (batched notices, the search document).
//!
//! Every entry point checks the policy and the ticket's scope first: a user who may not
//! see the ticket can neither read, write, mark nor subscribe to its conversation, and
//! is told "not found".

use crate::domain::chat::{self as rules, ChatMessage, MessageInput, ReadMark};
use crate::domain::policy::{self, ticket_scope, Actor, Permission};
use crate::domain::ticket::Stage;
use crate::domain::validate::Problem;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{self, chat, files, notifications, tickets};
use crate::server::realtime::ChatEvent;
use crate::server::session::{self, RequestContext};
use crate::server::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// A stream ends after this long and the browser reconnects at once (resuming where it
/// was), so access is checked again regularly.
const STREAM_LIFETIME: Duration = Duration::from_secs(300);
/// How often an open stream checks that its viewer may still see the ticket.
const ACCESS_CHECK: Duration = Duration::from_secs(30);
/// Messages read from the database per step when a stream catches up.
const CATCH_UP: i64 = 200;

/// Posts a message as the actor. A retry with the same client key returns the message
/// stored the first time, never a second copy.
pub async fn post(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
    input: &MessageInput,
) -> Result<ChatMessage, AppError> {
    policy::require(Some(actor), Permission::WriteMessages)?;
    let ticket = super::tickets::load(state, actor, ticket_id).await?;
    let (body, files) = input.check()?;
    if let Some(sent) = chat::by_client_key(&state.db, actor.user_id, &input.client_key).await? {
        return if sent.ticket_id == ticket_id {
            Ok(sent)
        } else {
            Err(AppError::field("client_key", Problem::Taken))
        };
    }
    if !Stage::from_code(&ticket.stage).is_some_and(Stage::is_open) {
        return Err(AppError::field("body", Problem::NotAllowed));
    }
    if !files.is_empty()
        && files::unclaimed_of(&state.db, actor.user_id, &files).await? != files.len()
    {
        return Err(AppError::field("attachments", Problem::UnknownChoice));
    }
    let now = db::now();
    let stored = chat::insert(
        &state.db,
        &chat::NewMessage {
            ticket_id,
            author: actor.user_id,
            client_key: &input.client_key,
            body: &body,
            files: &files,
            now,
            notice_due_at: now + state.config.chat_notice_seconds,
        },
    )
    .await;
    let id = match stored {
        Ok(Some((id, _))) => id,
        Ok(None) => return Err(AppError::field("attachments", Problem::UnknownChoice)),
        // The same send, retried while the first was still being stored.
        Err(error) if db::is_unique_violation(&error, "messages_by_client_key") => {
            return chat::by_client_key(&state.db, actor.user_id, &input.client_key)
                .await?
                .filter(|m| m.ticket_id == ticket_id)
                .ok_or(AppError::field("client_key", Problem::Taken));
        }
        Err(error) => return Err(error.into()),
    };
    let message = chat::by_id(&state.db, id)
        .await?
        .ok_or(AppError::Internal)?;
    state
        .chat
        .publish(ChatEvent::Message(Arc::new(message.clone())));
    state.chat.publish(ChatEvent::Read(ReadMark {
        ticket_id,
        user_id: actor.user_id,
        seq: message.seq,
    }));
    Ok(message)
}

/// Marks the conversation read up to `seq` for the actor and tells the other views.
pub async fn mark_read(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
    seq: i64,
) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::WriteMessages)?;
    if !tickets::in_scope(&state.db, &ticket_scope(actor), ticket_id).await? {
        return Err(AppError::NotFound);
    }
    if seq < 0 {
        return Err(AppError::field(
            "seq",
            Problem::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
        ));
    }
    let marker = chat::mark_read(&state.db, ticket_id, actor.user_id, seq).await?;
    state.chat.publish(ChatEvent::Read(ReadMark {
        ticket_id,
        user_id: actor.user_id,
        seq: marker,
    }));
    Ok(marker)
}

/// Adds an admin or manager to the conversation (dispatchers only).
pub async fn add_member(
    state: &AppState,
    actor: &Actor,
    ticket_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::DispatchTickets)?;
    super::tickets::load(state, actor, ticket_id).await?;
    let candidates = chat::staff_candidates(&state.db, ticket_id).await?;
    if !candidates.iter().any(|(id, _)| *id == user_id) {
        return Err(AppError::field("member", Problem::UnknownChoice));
    }
    chat::insert_member(&state.db, ticket_id, user_id, db::now()).await?;
    Ok(())
}

// ------------------------------------------------------------------ the stream

/// `GET /api/tickets/{id}/chat/stream`: server-sent events of one conversation. Each
/// message is an event whose id is its place, so a reconnecting browser sends
/// `Last-Event-ID` and receives exactly what it missed, in order; `?after=` does the same
/// for the first connection. Read markers come as `read` events.
pub async fn stream_handler(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
    Path(ticket_id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let error = crate::server::files::error_response;
    let Some(actor) = request.actor() else {
        return error(AppError::Unauthenticated);
    };
    let last_event_id = headers
        .get("last-event-id")
        .map(|v| v.to_str().unwrap_or("?"));
    let Some(after) = rules::resume_point(last_event_id, query.get("after").map(String::as_str))
    else {
        return error(AppError::field("after", Problem::InvalidFormat));
    };
    match tickets::in_scope(&state.db, &ticket_scope(actor), ticket_id).await {
        Ok(true) => {}
        Ok(false) => return error(AppError::NotFound),
        Err(e) => return error(e.into()),
    }
    let (sender, receiver) = mpsc::channel::<Event>(32);
    // Subscribe before reading the backlog: nothing falls between the two.
    let events = state.chat.subscribe(ticket_id);
    let access = Access {
        scope: ticket_scope(actor),
        session: request
            .session
            .as_ref()
            .map(|s| s.id_hash.clone())
            .unwrap_or_default(),
    };
    tokio::spawn(pump(state, ticket_id, after, access, events, sender));
    let stream = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|event| (Ok::<_, std::convert::Infallible>(event), receiver))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

fn message_event(message: &ChatMessage) -> Event {
    Event::default()
        .id(message.seq.to_string())
        .event("message")
        .data(serde_json::to_string(message).unwrap_or_default())
}

/// Sends everything after `*last` from the database. `false`: the browser has gone.
async fn catch_up(
    state: &AppState,
    ticket_id: i64,
    last: &mut i64,
    sender: &mpsc::Sender<Event>,
) -> bool {
    loop {
        let batch = match chat::after(&state.db, ticket_id, *last, CATCH_UP).await {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, ticket_id, "chat stream could not catch up");
                return false;
            }
        };
        for message in &batch {
            if sender.send(message_event(message)).await.is_err() {
                return false;
            }
            *last = message.seq;
        }
        if (batch.len() as i64) < CATCH_UP {
            return true;
        }
    }
}

/// What a stream re-checks while it is open: the session still lives and the ticket is
/// still in the viewer's scope (an engineer taken off it, a signed-out session).
struct Access {
    scope: crate::domain::policy::TicketScope,
    session: String,
}

impl Access {
    async fn still(&self, state: &AppState, ticket_id: i64) -> bool {
        let idle = state.config.session_idle_minutes * 60;
        let alive = db::sessions::lookup(&state.db, &self.session, db::now(), idle)
            .await
            .is_ok_and(|s| s.is_some());
        alive
            && tickets::in_scope(&state.db, &self.scope, ticket_id)
                .await
                .unwrap_or(false)
    }
}

async fn pump(
    state: AppState,
    ticket_id: i64,
    mut last: i64,
    access: Access,
    mut events: broadcast::Receiver<ChatEvent>,
    sender: mpsc::Sender<Event>,
) {
    let _ = sender
        .send(
            Event::default()
                .retry(Duration::from_secs(2))
                .comment("ready"),
        )
        .await;
    if !catch_up(&state, ticket_id, &mut last, &sender).await {
        return;
    }
    let end = tokio::time::sleep(STREAM_LIFETIME);
    tokio::pin!(end);
    let mut check = tokio::time::interval(ACCESS_CHECK);
    check.tick().await;
    loop {
        let event = tokio::select! {
            () = sender.closed() => return,
            () = &mut end => return,
            _ = check.tick() => {
                if access.still(&state, ticket_id).await {
                    continue;
                }
                return;
            }
            event = events.recv() => event,
        };
        let delivered = match event {
            Ok(ChatEvent::Message(message)) if message.seq == last + 1 => {
                last = message.seq;
                sender.send(message_event(&message)).await.is_ok()
            }
            Ok(ChatEvent::Message(message)) if message.seq <= last => true,
            // A gap (messages announced out of order, or by another instance, or a bus that
            // reconnected): read it.
            Ok(ChatEvent::Message(_) | ChatEvent::Resync(_))
            | Err(broadcast::error::RecvError::Lagged(_)) => {
                catch_up(&state, ticket_id, &mut last, &sender).await
            }
            Ok(ChatEvent::Read(mark)) => sender
                .send(
                    Event::default()
                        .event("read")
                        .data(serde_json::to_string(&mark).unwrap_or_default()),
                )
                .await
                .is_ok(),
            Err(broadcast::error::RecvError::Closed) => false,
        };
        if !delivered {
            return;
        }
    }
}

// ------------------------------------------------------------------ background work

/// The notifier and the search indexer, for the life of the server.
pub fn spawn_workers(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(5));
        let mut tick = 0u64;
        loop {
            interval.tick().await;
            tick += 1;
            if let Err(error) = refresh_search(&state).await {
                tracing::warn!(%error, "chat search refresh failed");
            }
            if tick.is_multiple_of(3) {
                if let Err(error) = send_due_notices(&state, db::now()).await {
                    tracing::warn!(%error, "chat notices failed");
                }
            }
        }
    });
}

/// Rewrites the search documents of tickets with new messages. Returns how many.
pub async fn refresh_search(state: &AppState) -> Result<usize, sqlx::Error> {
    let stale = chat::stale_search(&state.db, 200).await?;
    for ticket_id in &stale {
        chat::refresh_search(&state.db, state.backend, *ticket_id).await?;
    }
    Ok(stale.len())
}

/// Sends the notices that are due: for each member who still has unread messages in a
/// conversation they may still see, one in-app notice per ticket and, if they keep the
/// preference, one e-mail listing all such tickets. Returns the in-app notices made.
pub async fn send_due_notices(state: &AppState, now: i64) -> Result<usize, AppError> {
    let due = chat::take_due(&state.db, now, 500).await?;
    let mut by_user: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for notice in due {
        by_user
            .entry(notice.user_id)
            .or_default()
            .push(notice.ticket_id);
    }
    let mut made = 0;
    for (user_id, ticket_ids) in by_user {
        // One user's failure must not drop the others' notices.
        match notify_user(state, now, user_id, &ticket_ids).await {
            Ok(n) => made += n,
            Err(error) => tracing::error!(%error, user_id, "chat notice failed"),
        }
    }
    Ok(made)
}

async fn notify_user(
    state: &AppState,
    now: i64,
    user_id: i64,
    ticket_ids: &[i64],
) -> Result<usize, AppError> {
    let mut made = 0;
    let Some(actor) = session::actor_by_id(state, user_id).await? else {
        return Ok(0);
    };
    let scope = ticket_scope(&actor);
    let mut lines = Vec::new();
    for &ticket_id in ticket_ids {
        if !tickets::in_scope(&state.db, &scope, ticket_id).await? {
            continue;
        }
        let (count, last) = chat::unread_in(&state.db, ticket_id, user_id).await?;
        let Some(last) = last.filter(|_| count > 0) else {
            continue;
        };
        notifications::insert(
            &state.db,
            user_id,
            ticket_id,
            "message",
            &count.to_string(),
            last.author_id,
            now,
        )
        .await?;
        made += 1;
        lines.push((ticket_id, count, last));
    }
    if lines.is_empty()
        || !notifications::email_preference(&state.db, user_id, notifications::Topic::Chat).await?
    {
        return Ok(made);
    }
    let Some(recipient) = notifications::recipients(&state.db, &[user_id])
        .await?
        .into_iter()
        .next()
    else {
        return Ok(made);
    };
    let Some(email) = recipient.email.as_deref() else {
        return Ok(made);
    };
    let tr = Locale::from_code(&recipient.language)
        .unwrap_or(Locale::En)
        .tr();
    let mut body = String::from(tr.chat_mail_intro);
    body.push_str("\n\n");
    for (ticket_id, count, last) in &lines {
        let (number, subject): (String, String) =
            sqlx::query_as("SELECT number, subject FROM tickets WHERE id = $1")
                .bind(ticket_id)
                .fetch_one(&state.db)
                .await?;
        body.push_str(&format!(
            "{number} · {subject}\n{}\n{}: {}\n{}/tickets/{ticket_id}?tab=messages\n\n",
            tr.chat_unread_count.replace("{}", &count.to_string()),
            last.author,
            rules::excerpt(&last.body, 140),
            state.config.public_url,
        ));
    }
    body.push_str(tr.chat_mail_footer);
    let subject = tr
        .chat_mail_subject
        .replace("{}", &lines.iter().map(|l| l.1).sum::<i64>().to_string());
    if let Err(error) = state.mailer.send_email(email, &subject, &body).await {
        tracing::error!(%error, "chat notice e-mail not stored");
    }
    Ok(made)
}
