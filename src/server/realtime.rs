//! Delivery of conversation events to every open view, behind one interface.
//!
//! [`LocalBus`] fans events out inside one process. [`PgBus`] serves several app
//! instances sharing one PostgreSQL database: an event becomes a `NOTIFY` carrying only
//! ids, and each instance's listener loads the message once and fans it out locally.
//! Neither guarantees order or completeness on its own; streams do (see
//! `services::chat::stream`): every message has a gap-free place in its conversation,
//! and a stream that sees a gap, or falls behind, reads what it missed from the database.

use super::db::{self, Db};
use crate::domain::chat::{ChatMessage, ReadMark};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Events a stream may fall behind by before it is told it lagged (and catches up from
/// the database).
const BUFFER: usize = 256;
const CHANNEL: &str = "atrium_chat";

#[derive(Clone, Debug)]
pub enum ChatEvent {
    Message(Arc<ChatMessage>),
    Read(ReadMark),
    /// Events of this ticket may have been missed (the bus reconnected): streams read
    /// what they lack from the database.
    Resync(i64),
}

impl ChatEvent {
    pub fn ticket_id(&self) -> i64 {
        match self {
            ChatEvent::Message(m) => m.ticket_id,
            ChatEvent::Read(r) => r.ticket_id,
            ChatEvent::Resync(ticket_id) => *ticket_id,
        }
    }
}

/// Where services announce conversation events and streams listen for them.
pub trait ChatBus: Send + Sync + 'static {
    fn publish(&self, event: ChatEvent);
    fn subscribe(&self, ticket_id: i64) -> broadcast::Receiver<ChatEvent>;
    /// Open subscriptions, for the figures and tests.
    fn subscribers(&self) -> usize;
}

/// One broadcast channel per ticket with listeners, inside this process.
#[derive(Default)]
pub struct LocalBus {
    channels: Mutex<HashMap<i64, broadcast::Sender<ChatEvent>>>,
}

impl ChatBus for LocalBus {
    fn publish(&self, event: ChatEvent) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let ticket_id = event.ticket_id();
        if let Some(sender) = channels.get(&ticket_id) {
            if sender.send(event).is_err() {
                // Nobody listens any more.
                channels.remove(&ticket_id);
            }
        }
    }

    fn subscribe(&self, ticket_id: i64) -> broadcast::Receiver<ChatEvent> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if channels.len() > 1_024 {
            channels.retain(|_, s| s.receiver_count() > 0);
        }
        channels
            .entry(ticket_id)
            .or_insert_with(|| broadcast::channel(BUFFER).0)
            .subscribe()
    }

    fn subscribers(&self) -> usize {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels
            .values()
            .map(broadcast::Sender::receiver_count)
            .sum()
    }
}

impl LocalBus {
    /// Tells every open stream to check the database for what it may have missed.
    pub fn resync_all(&self) {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        for (ticket_id, sender) in channels.iter() {
            let _ = sender.send(ChatEvent::Resync(*ticket_id));
        }
    }
}

/// Several instances on one PostgreSQL database: `NOTIFY atrium_chat` carries
/// `m:<message id>` or `r:<ticket>:<user>:<seq>`; every instance (this one included)
/// hears it and publishes to its own [`LocalBus`].
pub struct PgBus {
    local: Arc<LocalBus>,
    db: Db,
}

impl PgBus {
    /// Connects the listener and starts relaying. It reconnects by itself; what a stream
    /// misses meanwhile it reads from the database at the next event or reconnect.
    pub async fn start(url: &str, db: Db) -> Result<Arc<PgBus>, sqlx::Error> {
        let mut listener = sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        let bus = Arc::new(PgBus {
            local: Arc::new(LocalBus::default()),
            db: db.clone(),
        });
        let local = bus.local.clone();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => relay(&db, &local, notification.payload()).await,
                    // The connection dropped (the next call reconnects): whatever was
                    // announced meanwhile is only in the database now.
                    Ok(None) => {
                        tracing::warn!("chat listener reconnecting");
                        local.resync_all();
                    }
                    Err(error) => {
                        tracing::warn!(%error, "chat listener interrupted");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        local.resync_all();
                    }
                }
            }
        });
        Ok(bus)
    }
}

async fn relay(db: &Db, local: &LocalBus, payload: &str) {
    let parts: Vec<i64> = payload
        .split(':')
        .skip(1)
        .filter_map(|p| p.parse().ok())
        .collect();
    match (payload.split(':').next(), parts.as_slice()) {
        (Some("m"), [id]) => match db::chat::by_id(db, *id).await {
            Ok(Some(message)) => local.publish(ChatEvent::Message(Arc::new(message))),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "chat relay could not load a message"),
        },
        (Some("r"), [ticket_id, user_id, seq]) => local.publish(ChatEvent::Read(ReadMark {
            ticket_id: *ticket_id,
            user_id: *user_id,
            seq: *seq,
        })),
        _ => tracing::warn!(payload, "unknown chat notification"),
    }
}

impl ChatBus for PgBus {
    fn publish(&self, event: ChatEvent) {
        let payload = match &event {
            ChatEvent::Message(m) => format!("m:{}", m.id),
            ChatEvent::Read(r) => format!("r:{}:{}:{}", r.ticket_id, r.user_id, r.seq),
            // Local only: each instance resyncs its own streams.
            ChatEvent::Resync(_) => return self.local.publish(event),
        };
        let db = self.db.clone();
        tokio::spawn(async move {
            if let Err(error) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&db)
                .await
            {
                tracing::warn!(%error, "chat notify failed");
            }
        });
    }

    fn subscribe(&self, ticket_id: i64) -> broadcast::Receiver<ChatEvent> {
        self.local.subscribe(ticket_id)
    }

    fn subscribers(&self) -> usize {
        self.local.subscribers()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(ticket_id: i64, seq: i64) -> ChatEvent {
        ChatEvent::Message(Arc::new(ChatMessage {
            id: seq,
            ticket_id,
            seq,
            author_id: None,
            author: String::new(),
            role: None,
            body: format!("m{seq}"),
            at: 0,
            client_key: None,
            files: vec![],
        }))
    }

    #[tokio::test]
    async fn a_ticket_hears_only_its_own_events() {
        let bus = LocalBus::default();
        let mut one = bus.subscribe(1);
        let mut two = bus.subscribe(2);
        bus.publish(message(1, 1));
        bus.publish(message(2, 1));
        assert_eq!(one.recv().await.unwrap().ticket_id(), 1);
        assert!(one.try_recv().is_err());
        assert_eq!(two.recv().await.unwrap().ticket_id(), 2);
        assert_eq!(bus.subscribers(), 2);
        drop(one);
        bus.publish(message(1, 2));
        assert_eq!(bus.subscribers(), 1);
    }
}
