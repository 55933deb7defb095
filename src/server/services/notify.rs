//! Who hears about a ticket: an in-app notification for each person concerned (the
//! bell), and an e-mail copy through the mailer for those who keep the preference on.
//! The actor is never notified of their own action. A failure here is logged and never
//! undoes the change that caused it.

use crate::domain::ticket::Stage;
use crate::i18n::Locale;
use crate::server::db::{self, notifications};
use crate::server::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A customer filed a ticket (to the dispatchers).
    Filed,
    /// The ticket reached another stage (`detail`: the stage code).
    Stage,
    /// The user became a performer.
    Assigned,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Filed => "filed",
            Kind::Stage => "stage",
            Kind::Assigned => "assigned",
        }
    }
}

pub async fn ticket_event(
    state: &AppState,
    ticket_id: i64,
    actor: Option<i64>,
    kind: Kind,
    detail: &str,
    recipients: &[i64],
) {
    if let Err(error) = deliver(state, ticket_id, actor, kind, detail, recipients).await {
        tracing::error!(%error, ticket_id, "notification failed");
    }
}

async fn deliver(
    state: &AppState,
    ticket_id: i64,
    actor: Option<i64>,
    kind: Kind,
    detail: &str,
    recipients: &[i64],
) -> Result<(), sqlx::Error> {
    let mut ids: Vec<i64> = recipients
        .iter()
        .copied()
        .filter(|id| Some(*id) != actor)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let now = db::now();
    let (number, subject): (String, String) =
        sqlx::query_as("SELECT number, subject FROM tickets WHERE id = $1")
            .bind(ticket_id)
            .fetch_one(&state.db)
            .await?;
    let link = format!("{}/tickets/{ticket_id}", state.config.public_url);
    for recipient in notifications::recipients(&state.db, &ids).await? {
        notifications::insert(
            &state.db,
            recipient.id,
            ticket_id,
            kind.code(),
            detail,
            actor,
            now,
        )
        .await?;
        let Some(email) = recipient
            .email
            .as_deref()
            .filter(|_| recipient.notify_email != 0)
        else {
            continue;
        };
        let tr = Locale::from_code(&recipient.language)
            .unwrap_or(Locale::En)
            .tr();
        let what = match kind {
            Kind::Filed => tr.notice_filed.to_owned(),
            Kind::Assigned => tr.notice_assigned.to_owned(),
            Kind::Stage => Stage::from_code(detail)
                .map(|s| tr.notice_stage.replace("{}", tr.stage(s)))
                .unwrap_or_default(),
        };
        let mail_subject = format!("{number}: {what}");
        let body = tr
            .notice_mail_body
            .replace("{number}", &number)
            .replace("{subject}", &subject)
            .replace("{what}", &what)
            .replace("{link}", &link);
        if let Err(error) = state.mailer.send_email(email, &mail_subject, &body).await {
            tracing::error!(%error, "notification e-mail not stored");
        }
    }
    Ok(())
}
