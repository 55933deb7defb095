//! Outgoing e-mail and SMS. Every message is stored in the outbox first; e-mail is then
//! delivered through SMTP when `SMTP_URL` is set. SMS has no gateway yet: it stays in the
//! outbox, where admins can read it.

use super::db::{self, outbox, Db};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;

#[derive(Clone)]
pub struct Mailer {
    db: Db,
    smtp: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid SMTP_URL: {0}")]
    Url(String),
    #[error("invalid sender address: {0}")]
    From(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl Mailer {
    pub fn new(db: Db, smtp_url: Option<&str>, from: &str) -> Result<Mailer, MailError> {
        let smtp = match smtp_url {
            Some(url) => Some(Arc::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Url(e.to_string()))?
                    .timeout(Some(std::time::Duration::from_secs(15)))
                    .build(),
            )),
            None => None,
        };
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailError::From(e.to_string()))?;
        Ok(Mailer { db, smtp, from })
    }

    /// Stores the e-mail and, with SMTP configured, delivers it in the background (the
    /// request that caused it does not wait for, or reveal anything through, the SMTP
    /// round trip). Returns the outbox id.
    pub async fn send_email(&self, to: &str, subject: &str, body: &str) -> Result<i64, MailError> {
        let id = outbox::insert(&self.db, "email", to, subject, body, db::now()).await?;
        if let Some(smtp) = self.smtp.clone() {
            let this = self.clone();
            let (to, subject, body) = (to.to_owned(), subject.to_owned(), body.to_owned());
            tokio::spawn(async move { this.deliver(smtp, id, &to, &subject, &body).await });
        }
        Ok(id)
    }

    pub async fn send_sms(&self, to: &str, body: &str) -> Result<i64, MailError> {
        Ok(outbox::insert(&self.db, "sms", to, "", body, db::now()).await?)
    }

    async fn deliver(
        &self,
        smtp: Arc<AsyncSmtpTransport<Tokio1Executor>>,
        id: i64,
        to: &str,
        subject: &str,
        body: &str,
    ) {
        let outcome = match to.parse::<Mailbox>() {
            Ok(recipient) => match Message::builder()
                .from(self.from.clone())
                .to(recipient)
                .subject(subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(body.to_owned())
            {
                Ok(message) => smtp
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        let (status, error) = match &outcome {
            Ok(()) => ("sent", None),
            Err(e) => {
                tracing::warn!(outbox_id = id, error = %e, "e-mail delivery failed");
                ("failed", Some(e.as_str()))
            }
        };
        if let Err(e) = outbox::mark(&self.db, id, status, error, db::now()).await {
            tracing::error!(outbox_id = id, error = %e, "cannot record delivery outcome");
        }
    }
}
