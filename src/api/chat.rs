//! Ticket conversations: the thread, posting, read markers, members, the Messages page
//! and its unread badge, and the e-mail preference for new messages. The live stream is
//! a plain axum route (`services::chat::stream_handler`), since server functions answer
//! once.

use crate::api::directory::Paged;
use crate::domain::chat::ChatMessage;
use crate::domain::role::Role;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub role: Option<Role>,
}

/// A conversation as its page opens: the latest messages, where reading stands, who
/// takes part, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub ticket_id: i64,
    pub me: i64,
    pub messages: Vec<ChatMessage>,
    /// Older messages exist before the first one here.
    pub earlier: bool,
    /// The viewer has read up to this place…
    pub my_read: i64,
    /// …and the furthest other member up to this one.
    pub others_read: i64,
    pub members: Vec<Member>,
    pub can_post: bool,
    /// Admins and managers a dispatcher may add (empty for everyone else).
    pub candidates: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub ticket_id: i64,
    pub number: String,
    pub subject: String,
    pub company: String,
    pub last_author: Option<String>,
    pub last_text: String,
    pub last_at: i64,
    pub unread: i64,
}

#[server(endpoint = "chat_thread")]
pub async fn chat_thread(ticket_id: i64, before: Option<i64>) -> Result<ThreadView, AppError> {
    use crate::domain::chat::PAGE;
    use crate::domain::policy::{allowed, Page, Permission};
    use crate::domain::ticket::Stage;
    use crate::server::db::chat;
    use crate::server::services::tickets;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Tickets))?;
    let ticket = tickets::load(&state, &actor, ticket_id).await?;
    let before = before.filter(|b| *b > 0).unwrap_or(i64::MAX);
    let mut messages = chat::before(&state.db, ticket_id, before, PAGE + 1).await?;
    let earlier = messages.len() as i64 > PAGE;
    if earlier {
        messages.remove(0);
    }
    let (my_read, others_read) = chat::read_state(&state.db, ticket_id, actor.user_id).await?;
    let members = chat::members(&state.db, ticket_id)
        .await?
        .into_iter()
        .map(|m| Member {
            id: m.id,
            name: m.full_name,
            role: Role::from_code(&m.role),
        })
        .collect();
    // The same check posting makes (refused, for instance, while staff visit read-only).
    let may_write = ctx::authorize(&request, Permission::WriteMessages).is_ok();
    let candidates = if allowed(&actor, Permission::DispatchTickets) {
        chat::staff_candidates(&state.db, ticket_id).await?
    } else {
        vec![]
    };
    Ok(ThreadView {
        ticket_id,
        me: actor.user_id,
        messages,
        earlier,
        my_read,
        others_read,
        members,
        can_post: may_write && Stage::from_code(&ticket.stage).is_some_and(Stage::is_open),
        candidates,
    })
}

/// Sends a message. `client_key` is chosen by the browser once per message: sending
/// again with it (after a lost answer) returns the stored message instead of a copy.
/// The author is always the signed-in user.
#[server(endpoint = "post_message", input = Json)]
pub async fn post_message(
    ticket_id: i64,
    client_key: String,
    body: String,
    #[server(default)] attachments: Vec<i64>,
) -> Result<ChatMessage, AppError> {
    use crate::domain::chat::MessageInput;
    use crate::domain::policy::Permission;
    use crate::server::services::chat;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::WriteMessages)?;
    let input = MessageInput {
        body,
        client_key,
        attachments,
    };
    chat::post(&state, &actor, ticket_id, &input).await
}

/// The viewer has seen the conversation up to `seq`. Returns the marker.
#[server(endpoint = "mark_chat_read")]
pub async fn mark_chat_read(ticket_id: i64, seq: i64) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::chat;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::WriteMessages)?;
    chat::mark_read(&state, &actor, ticket_id, seq).await
}

#[server(endpoint = "add_chat_member")]
pub async fn add_chat_member(ticket_id: i64, user_id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::chat;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::DispatchTickets)?;
    chat::add_member(&state, &actor, ticket_id, user_id).await
}

pub const CONVERSATIONS_PAGE: i64 = 30;

/// The conversations the viewer takes part in, newest message first, optionally
/// searched (ticket number, subject, description and messages).
#[server(endpoint = "list_conversations")]
pub async fn list_conversations(
    #[server(default)] q: String,
    before: Option<i64>,
) -> Result<Paged<Conversation, i64>, AppError> {
    use crate::domain::chat::excerpt;
    use crate::domain::policy::{ticket_scope, Page, Permission};
    use crate::domain::validate::Problem;
    use crate::server::db::{chat, tickets};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Messages))?;
    if q.chars().count() > 200 {
        return Err(AppError::field("q", Problem::TooLong { max: 200 }));
    }
    let terms = tickets::search_terms(&q);
    let rows = chat::conversations(
        &state.db,
        state.backend,
        &ticket_scope(&actor),
        actor.user_id,
        &terms,
        before,
        CONVERSATIONS_PAGE + 1,
    )
    .await?;
    let next = (rows.len() as i64 > CONVERSATIONS_PAGE)
        .then(|| rows[CONVERSATIONS_PAGE as usize - 1].last_message_id);
    let items: Vec<Conversation> = rows
        .into_iter()
        .take(CONVERSATIONS_PAGE as usize)
        .map(|r| Conversation {
            ticket_id: r.ticket_id,
            number: r.number,
            subject: r.subject,
            company: r.company_name,
            last_author: r.last_author,
            last_text: excerpt(&r.last_body, 160),
            last_at: r.last_at,
            unread: r.unread,
        })
        .collect();
    Ok(Paged { items, next })
}

/// Unread messages across the viewer's conversations (counted up to 100), for the
/// navigation badge and the app icon.
#[server(endpoint = "unread_messages")]
pub async fn unread_messages() -> Result<i64, AppError> {
    use crate::domain::policy::{ticket_scope, Page, Permission};
    use crate::server::db::chat;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Messages))?;
    Ok(chat::unread_total(&state.db, &ticket_scope(&actor), actor.user_id, 100).await?)
}

#[server(endpoint = "chat_email_notifications")]
pub async fn chat_email_notifications() -> Result<bool, AppError> {
    use crate::domain::policy::{Page, Permission};
    use crate::server::db::notifications::{email_preference, Topic};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::OpenPage(Page::Profile))?;
    Ok(email_preference(&state.db, actor.user_id, Topic::Chat).await?)
}

#[server(endpoint = "set_chat_email_notifications")]
pub async fn set_chat_email_notifications(on: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::db::notifications::{set_email_preference, Topic};
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::EditOwnProfile)?;
    set_email_preference(&state.db, actor.user_id, Topic::Chat, on).await?;
    Ok(())
}
