//! Mail through a real SMTP server on loopback: a minimal sink speaking SMTP, started by
//! the test, receiving what lettre sends.

use crate::on_both;
use atrium::server::mail::Mailer;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Accepts SMTP sessions and sends every received message (headers and body) on `tx`.
async fn smtp_sink() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
                let mut in_data = false;
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let _ = tx.send(std::mem::take(&mut message));
                            let _ = write.write_all(b"250 OK queued\r\n").await;
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, rx)
}

on_both!(
    email_is_delivered_through_smtp_and_recorded_as_sent,
    |state| async move {
        let (port, mut received) = smtp_sink().await;
        let mailer = Mailer::new(
            state.db.clone(),
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Atrium <no-reply@atrium.test>",
        )
        .expect("mailer");
        let id = mailer
            .send_email(
                "olga@example.test",
                "Сброс пароля Atrium",
                "Откройте ссылку: http://127.0.0.1:3000/reset-password?token=abc",
            )
            .await
            .expect("stored");
        let message = tokio::time::timeout(Duration::from_secs(20), received.recv())
            .await
            .expect("delivered in time")
            .expect("a message");
        assert!(message.contains("olga@example.test"), "{message}");
        assert!(message.contains("no-reply@atrium.test"), "{message}");

        // The outbox row turns to "sent" once the server has accepted it.
        let mut status = String::new();
        for _ in 0..100 {
            status = sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(&state.db)
                .await
                .unwrap();
            if status != "stored" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, "sent");
    }
);

on_both!(
    an_unreachable_smtp_server_marks_the_message_failed,
    |state| async move {
        // Bind and drop to get a port nobody listens on.
        let port = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mailer = Mailer::new(
            state.db.clone(),
            Some(&format!("smtp://127.0.0.1:{port}")),
            "Atrium <no-reply@atrium.test>",
        )
        .unwrap();
        let id = mailer
            .send_email("a@example.test", "Subject", "Body")
            .await
            .unwrap();
        let mut status = String::new();
        for _ in 0..200 {
            status = sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(&state.db)
                .await
                .unwrap();
            if status != "stored" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, "failed", "the admin sees the failure in the outbox");
    }
);

on_both!(
    without_smtp_messages_stay_in_the_outbox,
    |state| async move {
        let mailer = Mailer::new(state.db.clone(), None, "Atrium <no-reply@atrium.test>").unwrap();
        mailer
            .send_email("a@example.test", "Subject", "Body")
            .await
            .unwrap();
        mailer.send_sms("+79001112233", "Code 1234").await.unwrap();
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT channel, status FROM outbox ORDER BY id")
                .fetch_all(&state.db)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![
                ("email".into(), "stored".into()),
                ("sms".into(), "stored".into())
            ]
        );
    }
);
