//! Completed works, the act of completed work and ratings, through the HTTP surface:
//! server-side totals, the act issued when work is completed, signing (and signing
//! twice), declining, a change superseding an unsigned act, ratings and their week — and
//! that nobody outside the ticket's company and performers reads, signs or rates.

use crate::on_both;
use crate::support::{
    actor, assert_outsiders_refused, call, call_json, sign_in, user, world, World,
};
use atrium::domain::role::Role;
use atrium::domain::ticket::TicketInput;
use atrium::server::router;
use atrium::server::services::{acts, tickets};
use atrium::server::state::AppState;
use axum::Router;
use http::StatusCode;
use serde_json::{json, Value};

async fn version(state: &AppState, ticket: i64) -> i64 {
    sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(ticket)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

async fn stage(state: &AppState, ticket: i64) -> String {
    sqlx::query_scalar("SELECT stage FROM tickets WHERE id = $1")
        .bind(ticket)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

/// A ticket of company A filed by its customer, performed by the engineer, in work.
async fn ticket_in_work(state: &AppState, w: &World, subject: &str) -> i64 {
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
    let admin = actor(w.admin, Role::Admin, vec![]);
    tickets::assign(state, &admin, id, version(state, id).await, &[w.engineer])
        .await
        .expect("assigned");
    tickets::move_stage(state, &admin, id, version(state, id).await, "in_work", "")
        .await
        .expect("in work");
    id
}

fn line(description: &str, quantity: &str, price: &str) -> Value {
    json!({
        "is_material": false,
        "work_type": "repair",
        "description": description,
        "quantity": quantity,
        "unit": "pcs",
        "unit_price": price,
        "hours": "1,5",
        "files": [],
    })
}

async fn add_line(app: &Router, cookie: &str, ticket: i64, line: Value) -> (StatusCode, String) {
    let reply = call_json(
        app,
        cookie,
        "save_work_line",
        json!({ "ticket_id": ticket, "line_id": null, "line": line }),
    )
    .await;
    (reply.status, reply.body)
}

async fn move_to(
    app: &Router,
    state: &AppState,
    cookie: &str,
    ticket: i64,
    to: &str,
    comment: &str,
) -> StatusCode {
    let v = version(state, ticket).await.to_string();
    let id = ticket.to_string();
    call(
        app,
        Some(cookie),
        "move_ticket",
        &[
            ("id", &id),
            ("version", &v),
            ("to", to),
            ("comment", comment),
        ],
    )
    .await
    .status
}

async fn acts_of(app: &Router, cookie: &str, ticket: i64) -> Vec<Value> {
    let reply = call(
        app,
        Some(cookie),
        "ticket_extras",
        &[("ticket_id", &ticket.to_string()), ("tab", "act")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let sections: Value = serde_json::from_str(&reply.body).unwrap();
    serde_json::from_value(sections["acts"].clone()).unwrap()
}

fn strokes() -> Value {
    json!({ "strokes": [[[100, 200], [300, 120], [500, 260], [700, 150]]] })
}

async fn sign(
    app: &Router,
    cookie: &str,
    act: i64,
    name: &str,
    signature: Value,
    on_device: bool,
) -> (StatusCode, String) {
    let reply = call_json(
        app,
        cookie,
        "sign_act",
        json!({
            "input": { "act_id": act, "signer_name": name, "signature": signature },
            "on_device": on_device,
        }),
    )
    .await;
    (reply.status, reply.body)
}

async fn count(state: &AppState, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

on_both!(
    works_become_a_signed_act_and_then_never_change,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let t = ticket_in_work(&state, &w, "Compressor relay").await;

        // Totals are the server's, in minor units, VAT 20 % on top (the default).
        let (status, body) = add_line(
            &app,
            &engineer,
            t,
            line("Replaced the relay", "2", "1500,50"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = add_line(
            &app,
            &engineer,
            t,
            json!({ "is_material": true, "work_type": "", "description": "Relay RT-12", "quantity": "1,5",
                    "unit": "pcs", "unit_price": "333", "hours": "", "files": [] }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let sections: Value = serde_json::from_str(
            &call(
                &app,
                Some(&engineer),
                "ticket_extras",
                &[("ticket_id", &t.to_string()), ("tab", "works")],
            )
            .await
            .body,
        )
        .unwrap();
        let works = &sections["works"];
        assert_eq!(works["lines"][0]["amount_minor"], 300_100);
        assert_eq!(works["lines"][1]["amount_minor"], 49_950);
        assert_eq!(
            works["totals"],
            json!({ "net": 350_050, "vat": 70_010, "total": 420_060 })
        );
        assert_eq!(works["can_edit"], true);

        // Completing the work issues the act; the customer cannot just confirm completion.
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        let list = acts_of(&app, &customer, t).await;
        assert_eq!(list.len(), 1);
        let act = list[0]["id"].as_i64().unwrap();
        assert_eq!(list[0]["status"], "Issued");
        assert_eq!(list[0]["content"]["totals"]["total"], 420_060);
        assert_eq!(list[0]["content"]["lines"].as_array().unwrap().len(), 2);
        assert_eq!(list[0]["content"]["performers"], json!(["Test engineer"]));
        assert_eq!(
            move_to(&app, &state, &customer, t, "done", "").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(stage(&state, t).await, "work_completed");

        // An empty pad and a missing name are refused by field, and nothing changes.
        let (status, body) = sign(
            &app,
            &customer,
            act,
            " ",
            json!({ "strokes": [[[10, 10]]] }),
            false,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("SignatureEmpty") && body.contains("signer_name"),
            "{body}"
        );
        assert_eq!(stage(&state, t).await, "work_completed");

        // The customer signs: the ticket is Done, the act carries the hash of what was signed.
        let (status, body) = sign(&app, &customer, act, "Anna Customer", strokes(), false).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(stage(&state, t).await, "done");
        let signed = &acts_of(&app, &customer, t).await[0];
        assert_eq!(signed["status"], "Signed");
        assert_eq!(signed["signed_by_name"], "Anna Customer");
        let hash = signed["content_hash"].as_str().unwrap();
        let content = serde_json::to_string(
            &serde_json::from_value::<atrium::domain::act::ActContent>(signed["content"].clone())
                .unwrap(),
        )
        .unwrap();
        let signature = serde_json::to_string(
            &serde_json::from_value::<atrium::domain::act::Signature>(signed["signature"].clone())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            hash,
            acts::content_hash(
                &content,
                &signature,
                "Anna Customer",
                signed["signed_at"].as_i64().unwrap()
            )
        );
        let history = count(
            &state,
            "SELECT COUNT(*) FROM ticket_stage_history WHERE ticket_id = $1 AND to_stage = 'done'",
            t,
        )
        .await;
        assert_eq!(history, 1);

        // Signed means final: no new line, no second signature, no new act.
        let (status, _) = add_line(&app, &engineer, t, line("One more thing", "1", "10")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = sign(&app, &customer, act, "Someone Else", strokes(), false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let reply = call(
            &app,
            Some(&engineer),
            "issue_act",
            &[("ticket_id", &t.to_string())],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(
                &state,
                "SELECT COUNT(*) FROM work_lines WHERE ticket_id = $1",
                t
            )
            .await,
            2
        );
        assert_eq!(
            count(&state, "SELECT COUNT(*) FROM acts WHERE ticket_id = $1", t).await,
            1
        );
        let again = &acts_of(&app, &customer, t).await[0];
        assert_eq!(again["signed_by_name"], "Anna Customer");
        assert_eq!(again["content_hash"].as_str(), Some(hash));
    }
);

on_both!(
    bad_lines_are_refused_by_field_and_store_nothing,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let engineer = sign_in(&app, "engineer@test.example").await;
        let customer = sign_in(&app, "customer-a@test.example").await;
        let t = ticket_in_work(&state, &w, "Bad input").await;
        for (bad, field) in [
            (line("Negative", "-1", "10"), "quantity"),
            (line("Zero", "0", "10"), "quantity"),
            (line("Price", "1", "-5"), "unit_price"),
            (line("Overflow", "1000000", "10000000000"), "unit_price"),
            (line("Absurd", "99999999999999999999", "1"), "quantity"),
            (line("", "1", "1"), "description"),
            (
                json!({ "is_material": false, "work_type": "teleportation", "description": "x", "quantity": "1",
                     "unit": "pcs", "unit_price": "1", "hours": "", "files": [] }),
                "work_type",
            ),
            (
                json!({ "is_material": false, "work_type": "", "description": "x", "quantity": "1",
                     "unit": "pcs", "unit_price": "1", "hours": "", "files": [999_999] }),
                "files",
            ),
        ] {
            let (status, body) = add_line(&app, &engineer, t, bad).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
            assert!(body.contains(field), "{field}: {body}");
        }
        // The customer does not record works.
        let (status, _) = add_line(&app, &customer, t, line("Mine", "1", "1")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            count(
                &state,
                "SELECT COUNT(*) FROM work_lines WHERE ticket_id = $1",
                t
            )
            .await,
            0
        );
    }
);

on_both!(
    declining_returns_to_work_and_a_change_replaces_the_unsigned_act,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let t = ticket_in_work(&state, &w, "Leaking valve").await;
        add_line(&app, &engineer, t, line("Valve", "1", "100")).await;
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        let first = acts_of(&app, &customer, t).await[0]["id"].as_i64().unwrap();

        // A decline needs a comment; with one, the ticket returns to work.
        let reply = call(
            &app,
            Some(&customer),
            "decline_act",
            &[("act_id", &first.to_string()), ("comment", " ")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(stage(&state, t).await, "work_completed");
        let reply = call(
            &app,
            Some(&customer),
            "decline_act",
            &[("act_id", &first.to_string()), ("comment", "Still leaking")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(stage(&state, t).await, "in_work");
        assert_eq!(acts_of(&app, &customer, t).await[0]["status"], "Declined");

        // Work completed again: a new act with a new number.
        add_line(&app, &engineer, t, line("Seal", "2", "50")).await;
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        let list = acts_of(&app, &customer, t).await;
        assert_eq!(list.len(), 2);
        assert_ne!(list[0]["content"]["number"], list[1]["content"]["number"]);
        let second = list[0]["id"].as_i64().unwrap();
        assert_eq!(list[0]["content"]["totals"]["net"], 20_000);

        // A change while it waits supersedes it: the old act can no longer be signed.
        add_line(&app, &engineer, t, line("Extra check", "1", "10")).await;
        assert_eq!(acts_of(&app, &customer, t).await[0]["status"], "Superseded");
        let (status, _) = sign(&app, &customer, second, "Anna", strokes(), false).await;
        assert_eq!(status, StatusCode::CONFLICT);
        // Nor can the customer confirm completion of works nobody signed for.
        assert_eq!(
            move_to(&app, &state, &customer, t, "done", "").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(stage(&state, t).await, "work_completed");
        let reply = call(
            &app,
            Some(&engineer),
            "issue_act",
            &[("ticket_id", &t.to_string())],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let third = acts_of(&app, &customer, t).await[0].clone();
        assert_eq!(third["status"], "Issued");
        assert_eq!(third["content"]["totals"]["net"], 21_000);

        // The engineer hands over the phone: the customer signs on it, by name.
        let (status, body) = sign(
            &app,
            &engineer,
            third["id"].as_i64().unwrap(),
            "Boris Onsite",
            strokes(),
            true,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let signed = &acts_of(&app, &customer, t).await[0];
        assert_eq!(signed["signed_by_name"], "Boris Onsite");
        assert_eq!(signed["signed_on_device_of"], "Test engineer");
        assert_eq!(stage(&state, t).await, "done");
    }
);

on_both!(
    customers_rate_done_tickets_for_a_week,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        let t = ticket_in_work(&state, &w, "Rated work").await;
        let sections: Value = serde_json::from_str(
            &call(
                &app,
                Some(&customer),
                "ticket_extras",
                &[("ticket_id", &t.to_string()), ("tab", "")],
            )
            .await
            .body,
        )
        .unwrap();
        assert_eq!(
            sections["rating"],
            Value::Null,
            "no rating before the ticket is done"
        );
        let criteria: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM rating_criteria WHERE archived = 0 ORDER BY position",
        )
        .fetch_all(&state.db)
        .await
        .unwrap();
        assert_eq!(criteria.len(), 3);
        let rating = |scores: [i64; 3], comment: &str| {
            json!({ "input": {
                "ticket_id": t, "engineer_id": w.engineer,
                "scores": criteria.iter().zip(scores).map(|(c, s)| json!([c, s])).collect::<Vec<_>>(),
                "comment": comment,
            }})
        };
        let reply = call_json(
            &app,
            &customer,
            "rate_performer",
            rating([5, 5, 5], "early"),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not done yet: {}",
            reply.body
        );

        // Done without works: confirmed directly (no act to sign).
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        assert!(acts_of(&app, &customer, t).await.is_empty());
        assert_eq!(
            move_to(&app, &state, &customer, t, "done", "").await,
            StatusCode::OK
        );

        let reply = call_json(&app, &customer, "rate_performer", rating([5, 6, 4], "")).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a score of 6"
        );
        let reply = call_json(
            &app,
            &customer,
            "rate_performer",
            rating([5, 4, 4], "Quick and tidy"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let mine: Value =
            serde_json::from_str(&call(&app, Some(&engineer), "my_rating", &[]).await.body)
                .unwrap();
        assert_eq!(mine["average_centi"], 433);
        assert_eq!(mine["count"], 1);
        // Changed within the week: still one rating, new average.
        let reply = call_json(
            &app,
            &customer,
            "rate_performer",
            rating([5, 5, 5], "Even better"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        let mine: Value =
            serde_json::from_str(&call(&app, Some(&engineer), "my_rating", &[]).await.body)
                .unwrap();
        assert_eq!(
            (mine["average_centi"].as_i64(), mine["count"].as_i64()),
            (Some(500), Some(1))
        );
        let report: Value =
            serde_json::from_str(&call(&app, Some(&manager), "ratings_report", &[]).await.body)
                .unwrap();
        let row = report
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["engineer_id"] == w.engineer)
            .unwrap();
        assert_eq!(row["average_centi"], 500);
        assert_eq!(
            call(&app, Some(&customer), "ratings_report", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, Some(&engineer), "ratings_report", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // A week later it is final.
        sqlx::query("UPDATE ratings SET created_at = created_at - 8 * 86400 WHERE ticket_id = $1")
            .bind(t)
            .execute(&state.db)
            .await
            .unwrap();
        let reply = call_json(
            &app,
            &customer,
            "rate_performer",
            rating([1, 1, 1], "changed my mind"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mine: Value =
            serde_json::from_str(&call(&app, Some(&engineer), "my_rating", &[]).await.body)
                .unwrap();
        assert_eq!(mine["average_centi"], 500);
        // Only performers can be rated.
        let reply = call_json(
            &app,
            &customer,
            "rate_performer",
            json!({ "input": { "ticket_id": t, "engineer_id": w.admin, "scores": [], "comment": "" } }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

on_both!(
    nobody_outside_the_ticket_reads_signs_or_rates,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let engineer = sign_in(&app, "engineer@test.example").await;
        user(&state, "engineer", "engineer-2@test.example", None, None).await;
        let t = ticket_in_work(&state, &w, "Secret works").await;
        add_line(&app, &engineer, t, line("Secret line 4711", "1", "100")).await;
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        let act: i64 = sqlx::query_scalar("SELECT id FROM acts WHERE ticket_id = $1")
            .bind(t)
            .fetch_one(&state.db)
            .await
            .unwrap();
        let outsiders = [
            sign_in(&app, "customer-b@test.example").await,
            sign_in(&app, "engineer-2@test.example").await,
        ];
        let outsiders: Vec<&str> = outsiders.iter().map(String::as_str).collect();
        let ticket = t.to_string();
        let act_id = act.to_string();
        for (endpoint, fields) in [
            (
                "ticket_extras",
                vec![("ticket_id", ticket.as_str()), ("tab", "works")],
            ),
            (
                "ticket_extras",
                vec![("ticket_id", ticket.as_str()), ("tab", "act")],
            ),
            (
                "ticket_extras",
                vec![("ticket_id", ticket.as_str()), ("tab", "")],
            ),
            ("get_act", vec![("act_id", act_id.as_str())]),
            ("issue_act", vec![("ticket_id", ticket.as_str())]),
            (
                "decline_act",
                vec![("act_id", act_id.as_str()), ("comment", "not mine")],
            ),
            (
                "delete_work_line",
                vec![("ticket_id", ticket.as_str()), ("line_id", "1")],
            ),
        ] {
            assert_outsiders_refused(&app, &outsiders, endpoint, &fields, "4711").await;
        }
        for cookie in &outsiders {
            for on_device in [false, true] {
                let (status, _) = sign(&app, cookie, act, "Intruder", strokes(), on_device).await;
                assert!(
                    matches!(status.as_u16(), 403 | 404),
                    "sign_act by an outsider: {status}"
                );
            }
            let (status, _) = add_line(&app, cookie, t, line("Intruder", "1", "1")).await;
            assert!(
                matches!(status.as_u16(), 403 | 404),
                "save_work_line by an outsider: {status}"
            );
        }
        // Nothing changed: one line, the act still waits, the ticket still waits.
        assert_eq!(
            count(
                &state,
                "SELECT COUNT(*) FROM work_lines WHERE ticket_id = $1",
                t
            )
            .await,
            1
        );
        let status: String = sqlx::query_scalar("SELECT status FROM acts WHERE id = $1")
            .bind(act)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(status, "issued");
        assert_eq!(stage(&state, t).await, "work_completed");
        // The print page of the act is "not found" for another company's customer.
        let page = crate::support::get(
            &app,
            Some(outsiders[0]),
            &format!("/tickets/{t}/act/{act}/print"),
        )
        .await;
        assert!(!page.body.contains("4711"), "the print page leaked the act");
    }
);

on_both!(
    admins_define_the_rating_criteria,
    |state: AppState| async move {
        world(&state).await;
        let app = router(state.clone());
        let admin = sign_in(&app, "admin@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        let reply = call(
            &app,
            Some(&admin),
            "save_rating_criterion",
            &[("name", "Cleanliness")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let reply = call(
            &app,
            Some(&admin),
            "save_rating_criterion",
            &[("name", "  ")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("name"), "{}", reply.body);
        let reply = call(
            &app,
            Some(&manager),
            "save_rating_criterion",
            &[("name", "Sneaky")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let list: Value =
            serde_json::from_str(&call(&app, Some(&admin), "rating_criteria", &[]).await.body)
                .unwrap();
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[0]["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            vec![
                "Quality of work",
                "Punctuality",
                "Politeness",
                "Cleanliness"
            ]
        );
        // Archived criteria leave the customers' form.
        let id = list[0][0]["id"].as_i64().unwrap().to_string();
        let reply = call(
            &app,
            Some(&admin),
            "save_rating_criterion",
            &[
                ("id", &id),
                ("name", "Quality of work"),
                ("archived", "true"),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let active: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM rating_criteria WHERE archived = 0")
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(active, 3);
    }
);

on_both!(
    the_admin_keeps_the_requisites_printed_on_new_acts,
    |state: AppState| async move {
        let w = world(&state).await;
        sqlx::query(
            "INSERT INTO companies (kind, name, name_search, created_at, updated_at) VALUES ('service', 'Old name', 'old name', 0, 0)",
        )
        .execute(&state.db)
        .await
        .unwrap();
        let app = router(state.clone());
        let admin = sign_in(&app, "admin@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let customer = sign_in(&app, "customer-a@test.example").await;
        let good = json!({ "input": {
            "name": "Atrium Service LLC", "tax_id": "7700000001", "postal_code": "125047", "city": "Moscow",
            "street": "Lesnaya 5", "bank_name": "Demo Bank", "bank_account": "4070 2810 9000 0000 0001", "bank_code": "044525000",
        }});
        assert_eq!(
            call_json(&app, &manager, "save_service_requisites", good.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, Some(&customer), "service_requisites", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut bad = good.clone();
        bad["input"]["bank_code"] = json!("12");
        bad["input"]["name"] = json!("");
        let reply = call_json(&app, &admin, "save_service_requisites", bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.body.contains("bank_code") && reply.body.contains("name"),
            "{}",
            reply.body
        );
        let stored: Value = serde_json::from_str(
            &call(&app, Some(&admin), "service_requisites", &[])
                .await
                .body,
        )
        .unwrap();
        assert_eq!(stored["name"], "Old name", "a refused form changes nothing");

        let reply = call_json(&app, &admin, "save_service_requisites", good).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        // The next act prints them.
        let t = ticket_in_work(&state, &w, "Requisites on the act").await;
        add_line(&app, &engineer, t, line("Check", "1", "10")).await;
        assert_eq!(
            move_to(&app, &state, &engineer, t, "work_completed", "").await,
            StatusCode::OK
        );
        let act = &acts_of(&app, &customer, t).await[0];
        assert_eq!(act["content"]["provider"]["name"], "Atrium Service LLC");
        assert_eq!(
            act["content"]["provider"]["bank_account"],
            "40702810900000000001"
        );
        assert_eq!(
            act["content"]["provider"]["address"],
            "125047, Moscow, Lesnaya 5"
        );
    }
);
