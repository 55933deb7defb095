//! Ticket conversations: messages both ways, idempotent retries, unread counts and the
//! Messages page, the live stream with resume, batched notices, the bus across app
//! instances — and that nobody outside the ticket reads, writes or listens.

use crate::on_both;
use crate::support::{
    actor, assert_outsiders_refused, call, call_json, send, sign_in, world, World,
};
use atrium::domain::role::Role;
use atrium::domain::ticket::TicketInput;
use atrium::server::router;
use atrium::server::services::{chat, tickets};
use atrium::server::state::AppState;
use axum::body::Body;
use futures::StreamExt;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// A ticket filed by customer A and performed by the engineer (both in its chat).
async fn ticket(state: &AppState, w: &World, subject: &str) -> i64 {
    let (id, _) = tickets::create(
        state,
        &actor(w.customer_a, Role::Customer, vec![w.company_a]),
        &TicketInput {
            company_id: w.company_a,
            ticket_type: "repair".into(),
            criticality: "normal".into(),
            subject: subject.into(),
            description: format!("{subject}: details"),
            ..TicketInput::default()
        },
    )
    .await
    .expect("filed");
    let version: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db)
        .await
        .unwrap();
    tickets::assign(
        state,
        &actor(w.admin, Role::Admin, vec![]),
        id,
        version,
        &[w.engineer],
    )
    .await
    .expect("assigned");
    id
}

async fn post(
    app: &axum::Router,
    cookie: &str,
    ticket: i64,
    key: &str,
    body: &str,
) -> (StatusCode, Value) {
    let reply = call_json(
        app,
        cookie,
        "post_message",
        json!({ "ticket_id": ticket, "client_key": key, "body": body }),
    )
    .await;
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

async fn scalar(state: &AppState, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

on_both!(
    messages_go_both_ways_once_and_are_counted_until_read,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let t = ticket(&state, &w, "Chiller is noisy").await;
        let other = ticket(&state, &w, "Door sticks").await;

        let (status, first) = post(
            &app,
            &customer,
            t,
            "key-customer-1",
            "Hello, when can you come?",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["seq"], 1);
        assert_eq!(first["author_id"], w.customer_a);
        // The same send retried (its answer was lost): the stored message, not a copy.
        let (status, again) = post(
            &app,
            &customer,
            t,
            "key-customer-1",
            "Hello, when can you come?",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["id"], first["id"]);
        assert_eq!(
            scalar(
                &state,
                "SELECT COUNT(*) FROM messages WHERE ticket_id = $1",
                t
            )
            .await,
            1
        );
        // The key cannot be reused on another ticket.
        let (status, _) = post(&app, &customer, other, "key-customer-1", "x").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The engineer has one unread message, on the badge and on the Messages page.
        let unread = call(&app, Some(&engineer), "unread_messages", &[]).await;
        assert_eq!(unread.body, "1");
        let page = call(&app, Some(&engineer), "list_conversations", &[]).await;
        let page: Value = serde_json::from_str(&page.body).unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert_eq!(page["items"][0]["ticket_id"], t);
        assert_eq!(page["items"][0]["unread"], 1);
        let ticket_page = call(
            &app,
            Some(&engineer),
            "get_ticket",
            &[("id", &t.to_string())],
        )
        .await;
        let ticket_page: Value = serde_json::from_str(&ticket_page.body).unwrap();
        assert_eq!(
            ticket_page["unread_messages"], 1,
            "the ticket's Messages tab counts it too"
        );

        // The engineer answers; then the other ticket gets a newer message.
        let (status, answer) = post(
            &app,
            &engineer,
            t,
            "key-engineer-1",
            "Tomorrow at 10:00, see https://example.test/plan",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["seq"], 2);
        // Writing reads what came before.
        assert_eq!(
            call(&app, Some(&engineer), "unread_messages", &[])
                .await
                .body,
            "0"
        );
        let (status, _) = post(
            &app,
            &customer,
            other,
            "key-customer-2",
            "And the door on floor 2",
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        // The customer sees both conversations, newest first, with the right counts.
        let page = call(&app, Some(&customer), "list_conversations", &[]).await;
        let page: Value = serde_json::from_str(&page.body).unwrap();
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["ticket_id"], other);
        assert_eq!(items[0]["unread"], 0);
        assert_eq!(items[1]["ticket_id"], t);
        assert_eq!(items[1]["unread"], 1);
        assert_eq!(
            call(&app, Some(&customer), "unread_messages", &[])
                .await
                .body,
            "1"
        );

        // Reading the thread shows both messages in order; marking read clears the count.
        let thread = call(
            &app,
            Some(&customer),
            "chat_thread",
            &[("ticket_id", &t.to_string())],
        )
        .await;
        let thread: Value = serde_json::from_str(&thread.body).unwrap();
        let bodies: Vec<&str> = thread["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                "Hello, when can you come?",
                "Tomorrow at 10:00, see https://example.test/plan"
            ]
        );
        assert_eq!(thread["others_read"], 2, "the engineer has read everything");
        let marked = call(
            &app,
            Some(&customer),
            "mark_chat_read",
            &[("ticket_id", &t.to_string()), ("seq", "2")],
        )
        .await;
        assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
        assert_eq!(
            call(&app, Some(&customer), "unread_messages", &[])
                .await
                .body,
            "0"
        );

        // Search finds a conversation by a word of its messages once the index caught up.
        chat::refresh_search(&state).await.unwrap();
        let found = call(
            &app,
            Some(&customer),
            "list_conversations",
            &[("q", "floor")],
        )
        .await;
        let found: Value = serde_json::from_str(&found.body).unwrap();
        let ids: Vec<i64> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["ticket_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [other]);
    }
);

on_both!(
    outsiders_cannot_read_write_mark_or_listen,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let t = ticket(&state, &w, "Secret chiller").await;
        let (status, _) = post(&app, &customer, t, "key-secret-1", "the code is 4711").await;
        assert_eq!(status, StatusCode::OK);

        // Another company's customer, another reseller's user, an engineer not performing it.
        let company_b = atrium::server::services::tickets::create(
            &state,
            &actor(w.customer_b, Role::Customer, vec![w.company_b]),
            &TicketInput {
                company_id: w.company_b,
                ticket_type: "repair".into(),
                criticality: "normal".into(),
                subject: "B's own".into(),
                description: "B's own ticket".into(),
                ..TicketInput::default()
            },
        )
        .await;
        assert!(company_b.is_ok());
        let other_engineer =
            crate::support::user(&state, "engineer", "engineer-2@test.example", None, None).await;
        assert!(other_engineer > 0);
        let reseller_b = crate::support::user(
            &state,
            "reseller",
            "reseller-b@test.example",
            Some(w.reseller_b),
            None,
        )
        .await;
        assert!(reseller_b > 0);
        let outsiders = [
            sign_in(&app, "customer-b@test.example").await,
            sign_in(&app, "engineer-2@test.example").await,
            sign_in(&app, "reseller-b@test.example").await,
        ];
        let outsiders: Vec<&str> = outsiders.iter().map(String::as_str).collect();
        let id = t.to_string();
        assert_outsiders_refused(
            &app,
            &outsiders,
            "chat_thread",
            &[("ticket_id", &id)],
            "4711",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "mark_chat_read",
            &[("ticket_id", &id), ("seq", "1")],
            "4711",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "list_conversations",
            &[("q", "chiller")],
            "4711",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "add_chat_member",
            &[("ticket_id", &id), ("user_id", &w.manager.to_string())],
            "4711",
        )
        .await;
        for cookie in &outsiders {
            let (status, _) = post(&app, cookie, t, "key-outsider-1", "let me in").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "an outsider posted");
            let stream = send(
                &app,
                Request::get(format!("/api/tickets/{t}/chat/stream"))
                    .header(header::COOKIE, *cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(
                stream.status,
                StatusCode::NOT_FOUND,
                "an outsider subscribed"
            );
            assert!(!stream.body.contains("4711"));
        }
        // Signed out: no stream either.
        let anonymous = send(
            &app,
            Request::get(format!("/api/tickets/{t}/chat/stream"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            scalar(
                &state,
                "SELECT COUNT(*) FROM messages WHERE ticket_id = $1",
                t
            )
            .await,
            1
        );
    }
);

on_both!(
    bad_messages_are_refused_and_markup_is_kept_as_text,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let t = ticket(&state, &w, "Leaking pipe").await;

        let (status, error) = post(&app, &customer, t, "key-empty-01", "   ").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error.to_string().contains("body"), "{error}");
        let huge = "x".repeat(1_000_000);
        let (status, error) = post(&app, &customer, t, "key-huge-001", &huge).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        let (status, _) = post(&app, &customer, t, "bad key!", "hello").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            scalar(
                &state,
                "SELECT COUNT(*) FROM messages WHERE ticket_id = $1",
                t
            )
            .await,
            0
        );

        // Markup is stored as typed and never rendered as markup.
        let script = "<script>alert('x')</script> <b>bold</b>";
        let (status, stored) = post(&app, &customer, t, "key-script-1", script).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored["body"], script);

        // A forged author is ignored: the author is whoever is signed in.
        let forged = call_json(
        &app,
        &customer,
        "post_message",
        json!({ "ticket_id": t, "client_key": "key-forged-1", "body": "forged", "author_id": w.admin, "author_user_id": w.admin }),
    )
    .await;
        if forged.status == StatusCode::OK {
            let forged: Value = serde_json::from_str(&forged.body).unwrap();
            assert_eq!(forged["author_id"], w.customer_a);
        } else {
            assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let authors: Vec<i64> =
            sqlx::query_scalar("SELECT author_user_id FROM messages WHERE ticket_id = $1")
                .bind(t)
                .fetch_all(&state.db)
                .await
                .unwrap();
        assert!(authors.iter().all(|a| *a == w.customer_a), "{authors:?}");

        // Another user's upload cannot ride along.
        let engineer_upload: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (uploaded_by, file_name, content_type, size_bytes, storage_key, created_at) \
         VALUES ($1, 'x.txt', 'text/plain', 1, 'k-foreign', 0) RETURNING id",
    )
    .bind(w.engineer)
    .fetch_one(&state.db)
    .await
    .unwrap();
        let reply = call_json(
        &app,
        &customer,
        "post_message",
        json!({ "ticket_id": t, "client_key": "key-file-001", "body": "see file", "attachments": [engineer_upload] }),
    )
    .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );

        // A malformed resume point is refused.
        for bad in ["-1", "abc", "1e9", "99999999999999999999"] {
            let reply = send(
                &app,
                Request::get(format!("/api/tickets/{t}/chat/stream"))
                    .header(header::COOKIE, &customer)
                    .header("last-event-id", bad)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "resume id {bad}"
            );
        }

        // A closed ticket's conversation is read-only.
        sqlx::query("UPDATE tickets SET stage = 'closed' WHERE id = $1")
            .bind(t)
            .execute(&state.db)
            .await
            .unwrap();
        let (status, _) = post(&app, &customer, t, "key-closed-1", "still there?").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // …but a retry of a message stored before the close still gets its answer.
        let (status, again) = post(&app, &customer, t, "key-script-1", script).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["id"], stored["id"]);
        assert_eq!(
            scalar(
                &state,
                "SELECT COUNT(*) FROM messages WHERE ticket_id = $1",
                t
            )
            .await,
            2
        );

        // The ticket page renders the markup as text.
        let page =
            crate::support::get(&app, Some(&customer), &format!("/tickets/{t}?tab=messages")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("<script>alert('x')</script>"),
            "markup rendered as markup"
        );
    }
);

/// The events of an SSE body: (id, event, data), read until `n` messages arrived.
async fn read_messages(body: Body, n: usize) -> Vec<(String, Value)> {
    let mut stream = body.into_data_stream();
    let mut text = String::new();
    let mut found = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while found.len() < n {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("stream delivered in time")
            .expect("stream open")
            .expect("chunk");
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let mut id = String::new();
            let mut event = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if event == "message" {
                found.push((id, serde_json::from_str(&data).unwrap()));
            }
        }
    }
    found
}

on_both!(
    streams_deliver_live_and_resume_from_the_last_event,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let t = ticket(&state, &w, "Compressor trips").await;
        let quiet = ticket(&state, &w, "Quiet ticket").await;

        let open = |cookie: String, path: String, last: Option<&'static str>| {
            let app = app.clone();
            async move {
                let mut request = Request::get(path).header(header::COOKIE, cookie);
                if let Some(last) = last {
                    request = request.header("last-event-id", last);
                }
                let response =
                    tower::ServiceExt::oneshot(app, request.body(Body::empty()).unwrap())
                        .await
                        .unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                assert_eq!(
                    response.headers()[header::CONTENT_TYPE],
                    "text/event-stream"
                );
                response.into_body()
            }
        };
        let live = open(
            engineer.clone(),
            format!("/api/tickets/{t}/chat/stream"),
            None,
        )
        .await;
        let other = open(
            engineer.clone(),
            format!("/api/tickets/{quiet}/chat/stream"),
            None,
        )
        .await;
        for i in 1..=3 {
            let (status, _) = post(
                &app,
                &customer,
                t,
                &format!("key-live-{i:04}"),
                &format!("message {i}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
        let got = read_messages(live, 3).await;
        let seqs: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(seqs, ["1", "2", "3"]);
        assert_eq!(got[2].1["body"], "message 3");

        // The other ticket's stream carries none of it.
        let mut other = other.into_data_stream();
        let mut carried = String::new();
        while let Ok(Some(Ok(chunk))) =
            tokio::time::timeout(Duration::from_millis(300), other.next()).await
        {
            carried.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert!(!carried.contains("message"), "{carried}");

        // A browser that saw up to 1 reconnects and gets 2 and 3, in order, then live ones.
        let resumed = open(
            engineer.clone(),
            format!("/api/tickets/{t}/chat/stream?after=0"),
            Some("1"),
        )
        .await;
        let (status, _) = post(&app, &customer, t, "key-live-0004", "message 4").await;
        assert_eq!(status, StatusCode::OK);
        let got = read_messages(resumed, 3).await;
        let bodies: Vec<&str> = got
            .iter()
            .map(|(_, m)| m["body"].as_str().unwrap())
            .collect();
        assert_eq!(bodies, ["message 2", "message 3", "message 4"]);
    }
);

on_both!(
    unread_messages_become_one_notice_per_ticket_and_one_email,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let t = ticket(&state, &w, "Fridge warm").await;
        let u = ticket(&state, &w, "Lights flicker").await;
        for (i, ticket) in [t, t, u].into_iter().enumerate() {
            let (status, _) = post(
                &app,
                &customer,
                ticket,
                &format!("key-notice-{i:03}"),
                "please help",
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
        // The admin who assigned is not a member; the engineer is. Nothing is due yet.
        let later = atrium::server::db::now() + state.config.chat_notice_seconds + 1;
        assert_eq!(
            chat::send_due_notices(&state, atrium::server::db::now())
                .await
                .unwrap(),
            0
        );
        // The engineer reads ticket u in time: only t is announced, in one e-mail.
        let marked = call(
            &app,
            Some(&engineer),
            "mark_chat_read",
            &[("ticket_id", &u.to_string()), ("seq", "1")],
        )
        .await;
        assert_eq!(marked.status, StatusCode::OK);
        let outbox_before = scalar(
            &state,
            "SELECT COUNT(*) FROM outbox WHERE recipient = (SELECT email FROM users WHERE id = $1)",
            w.engineer,
        )
        .await;
        assert_eq!(chat::send_due_notices(&state, later).await.unwrap(), 1);
        let notices: Vec<(i64, String)> = sqlx::query_as(
            "SELECT ticket_id, detail FROM notifications WHERE user_id = $1 AND kind = 'message'",
        )
        .bind(w.engineer)
        .fetch_all(&state.db)
        .await
        .unwrap();
        assert_eq!(notices, [(t, "2".to_owned())]);
        let mails: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE recipient = (SELECT email FROM users WHERE id = $1) ORDER BY id",
    )
    .bind(w.engineer)
    .fetch_all(&state.db)
    .await
    .unwrap();
        assert_eq!(mails.len() as i64, outbox_before + 1);
        let (subject, body) = mails.last().unwrap();
        assert!(subject.contains('2'), "{subject}");
        assert!(
            body.contains(&format!("/tickets/{t}?tab=messages"))
                && !body.contains(&format!("/tickets/{u}?")),
            "{body}"
        );
        // Taken once: a second run sends nothing.
        assert_eq!(chat::send_due_notices(&state, later).await.unwrap(), 0);

        // With the preference off: the in-app notice only.
        let off = call(
            &app,
            Some(&engineer),
            "set_chat_email_notifications",
            &[("on", "false")],
        )
        .await;
        assert_eq!(off.status, StatusCode::OK);
        let (status, _) = post(&app, &customer, t, "key-notice-100", "still warm").await;
        assert_eq!(status, StatusCode::OK);
        let later = atrium::server::db::now() + state.config.chat_notice_seconds + 1;
        assert_eq!(chat::send_due_notices(&state, later).await.unwrap(), 1);
        let mails_after = scalar(
            &state,
            "SELECT COUNT(*) FROM outbox WHERE recipient = (SELECT email FROM users WHERE id = $1)",
            w.engineer,
        )
        .await;
        assert_eq!(mails_after, outbox_before + 1);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_share_one_conversation() {
    use crate::support::{drop_postgres_database, postgres_database, state_for};
    let Some((name, url)) = postgres_database().await else {
        return;
    };
    let one = state_for(&url).await;
    let two = state_for(&url).await;
    let w = world(&one).await;
    let t = ticket(&one, &w, "Shared chiller").await;
    let app_one = router(one.clone());
    let app_two = router(two.clone());
    let customer = sign_in(&app_one, "customer-a@test.example").await;
    let engineer = sign_in(&app_two, "engineer@test.example").await;
    // The engineer listens on instance two; the customer writes on instance one.
    let response = tower::ServiceExt::oneshot(
        app_two.clone(),
        Request::get(format!("/api/tickets/{t}/chat/stream"))
            .header(header::COOKIE, &engineer)
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = post(&app_one, &customer, t, "key-shared-01", "from instance one").await;
    assert_eq!(status, StatusCode::OK);
    let got = read_messages(response.into_body(), 1).await;
    assert_eq!(got[0].1["body"], "from instance one");
    one.db.close().await;
    two.db.close().await;
    drop_postgres_database(&name).await;
}
