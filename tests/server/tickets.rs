//! Tickets: filing with every choice checked, the life cycle end to end, SLA choice and
//! pause, stale forms, lists (tabs, filters, keyset, full-text search), uploads and file
//! URLs, notifications — and that no outsider reaches another company's ticket.

use crate::on_both;
use crate::support::{
    actor, assert_outsiders_refused, call, call_json, send, sign_in, world, World,
};
use atrium::domain::policy::Actor;
use atrium::domain::role::Role;
use atrium::domain::ticket::TicketInput;
use atrium::domain::validate::Problem;
use atrium::error::AppError;
use atrium::server::db::tickets as q;
use atrium::server::router;
use atrium::server::services::tickets;
use atrium::server::state::AppState;
use axum::body::Body;
use http::{header, Request, StatusCode};

fn input(company: i64, subject: &str) -> TicketInput {
    TicketInput {
        company_id: company,
        ticket_type: "repair".into(),
        criticality: "urgent".into(),
        subject: subject.into(),
        description: format!("{subject}: details"),
        ..TicketInput::default()
    }
}

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

async fn equipment(state: &AppState, company: i64, name: &str, class: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO equipment (company_id, name, name_search, class, qr_token, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, 0) RETURNING id",
    )
    .bind(company)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(class)
    .bind(format!("qr-{company}-{name}"))
    .fetch_one(&state.db)
    .await
    .unwrap()
}

async fn contract(state: &AppState, company: i64, number: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO contracts (company_id, number, title, starts_on, created_at) VALUES ($1, $2, 'Service', '2026-01-01', 0) RETURNING id",
    )
    .bind(company)
    .bind(number)
    .fetch_one(&state.db)
    .await
    .unwrap()
}

async fn rule(
    state: &AppState,
    contract: Option<i64>,
    name: &str,
    criticality: Option<&str>,
    reaction: i64,
    resolution: i64,
) {
    sqlx::query(
        "INSERT INTO sla_rules (contract_id, name, criticality, reaction_minutes, resolution_minutes) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contract)
    .bind(name)
    .bind(criticality)
    .bind(reaction)
    .bind(resolution)
    .execute(&state.db)
    .await
    .unwrap();
}

fn field_problem(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> Option<Problem> {
    match result {
        Err(error) => error.field_problem(field),
        Ok(v) => panic!("expected a refusal of {field}, got {v:?}"),
    }
}

on_both!(
    filing_checks_every_choice_and_numbers_the_ticket,
    |state: AppState| async move {
        let w = world(&state).await;
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let pump = equipment(&state, w.company_a, "Pump", "HVAC").await;
        let foreign_pump = equipment(&state, w.company_b, "Their pump", "HVAC").await;
        let k = contract(&state, w.company_a, "SC-1").await;
        let foreign_k = contract(&state, w.company_b, "SC-2").await;
        rule(&state, None, "Default 4h/3d", None, 240, 4_320).await;
        rule(&state, Some(k), "Urgent 1h/8h", Some("urgent"), 60, 480).await;

        // Other companies' objects, contracts and the company itself: refused, nothing stored.
        let before = count(&state, "SELECT COUNT(*) FROM tickets").await;
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                company_id: w.company_b,
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(field_problem(bad, "company"), Some(Problem::UnknownChoice));
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                equipment_id: Some(foreign_pump),
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(
            field_problem(bad, "equipment"),
            Some(Problem::UnknownChoice)
        );
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                contract_id: Some(foreign_k),
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(field_problem(bad, "contract"), Some(Problem::UnknownChoice));
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                ticket_type: "teleport".into(),
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(
            field_problem(bad, "ticket_type"),
            Some(Problem::UnknownChoice)
        );
        // Refrigerant top-up is for HVAC objects only.
        let lift = equipment(&state, w.company_a, "Lift", "Lift").await;
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                equipment_id: Some(lift),
                work_type: "refrigerant".into(),
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(
            field_problem(bad, "work_type"),
            Some(Problem::UnknownChoice)
        );
        let bad = tickets::create(
            &state,
            &customer,
            &TicketInput {
                subject: " ".into(),
                ..input(w.company_a, "x")
            },
        )
        .await;
        assert_eq!(field_problem(bad, "subject"), Some(Problem::Required));
        assert_eq!(count(&state, "SELECT COUNT(*) FROM tickets").await, before);

        // A good one: the contract's urgent rule wins over the default, deadlines from it.
        let (id, number) = tickets::create(
            &state,
            &customer,
            &TicketInput {
                equipment_id: Some(pump),
                contract_id: Some(k),
                work_type: "refrigerant".into(),
                ..input(w.company_a, "Pump leaks")
            },
        )
        .await
        .unwrap();
        let (_, second) = tickets::create(&state, &customer, &input(w.company_a, "Second"))
            .await
            .unwrap();
        let n1: i64 = number.trim_start_matches("T-").parse().unwrap();
        let n2: i64 = second.trim_start_matches("T-").parse().unwrap();
        assert_eq!(n2, n1 + 1, "numbers are consecutive");
        let t = tickets::load(&state, &customer, id).await.unwrap();
        assert_eq!(t.stage, "new");
        assert_eq!(t.source, "portal");
        assert_eq!(t.sla_rule_name.as_deref(), Some("Urgent 1h/8h"));
        assert_eq!(t.reaction_due_at.unwrap() - t.created_at, 3_600);
        assert_eq!(t.resolution_due_at.unwrap() - t.created_at, 8 * 3_600);
        assert_eq!(q::history(&state.db, id).await.unwrap().len(), 1);
        // Without the contract only the default applies.
        let (plain, _) = tickets::create(&state, &customer, &input(w.company_a, "Plain"))
            .await
            .unwrap();
        let t = tickets::load(&state, &customer, plain).await.unwrap();
        assert_eq!(t.sla_rule_name.as_deref(), Some("Default 4h/3d"));
        // The dispatchers hear about it.
        assert!(
            count(
                &state,
                "SELECT COUNT(*) FROM notifications WHERE kind = 'filed'"
            )
            .await
                >= 2
        );
        // The other company's customer cannot load it.
        let other = actor(w.customer_b, Role::Customer, vec![w.company_b]);
        assert!(matches!(
            tickets::load(&state, &other, id).await,
            Err(AppError::NotFound)
        ));
    }
);

on_both!(
    the_life_cycle_runs_end_to_end_with_the_clock_paused,
    |state: AppState| async move {
        let w = world(&state).await;
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let manager = actor(w.manager, Role::Manager, vec![]);
        let engineer = actor(w.engineer, Role::Engineer, vec![]);
        rule(&state, None, "Default", None, 60, 600).await;
        let (id, _) = tickets::create(&state, &customer, &input(w.company_a, "Chiller"))
            .await
            .unwrap();
        let v = |state: AppState| async move {
            tickets::load(&state, &actor(0, Role::Admin, vec![]), id)
                .await
                .unwrap()
        };

        // The engineer is no performer yet: cannot even see it.
        let refused = tickets::move_stage(&state, &engineer, id, 1, "approval", "").await;
        assert!(matches!(refused, Err(AppError::NotFound)));
        // The customer may not send it for approval.
        let refused = tickets::move_stage(&state, &customer, id, 1, "approval", "").await;
        assert_eq!(field_problem(refused, "stage"), Some(Problem::NotAllowed));
        // Unknown stage.
        let refused = tickets::move_stage(&state, &manager, id, 1, "teleported", "").await;
        assert_eq!(
            field_problem(refused, "stage"),
            Some(Problem::UnknownChoice)
        );

        tickets::assign(&state, &manager, id, 1, &[w.engineer])
            .await
            .unwrap();
        // A form made before the assignment is stale now.
        let stale = tickets::move_stage(&state, &manager, id, 1, "approval", "").await;
        assert!(matches!(stale, Err(AppError::Stale)));
        tickets::move_stage(&state, &engineer, id, 2, "approval", "")
            .await
            .unwrap();
        let t = v(state.clone()).await;
        assert!(t.reacted_at.is_some(), "leaving New is the reaction");
        assert!(t.paused_at.is_some(), "approval waits on the customer");
        let due_before = t.resolution_due_at.unwrap();
        // Pretend the customer took an hour to decide.
        sqlx::query("UPDATE tickets SET paused_at = paused_at - 3600 WHERE id = $1")
            .bind(id)
            .execute(&state.db)
            .await
            .unwrap();
        // Refusing needs a comment.
        let refused = tickets::move_stage(&state, &customer, id, 3, "refused", "").await;
        assert_eq!(field_problem(refused, "comment"), Some(Problem::Required));
        tickets::move_stage(&state, &customer, id, 3, "in_work", "")
            .await
            .unwrap();
        let t = v(state.clone()).await;
        assert!(t.paused_at.is_none());
        let shift = t.resolution_due_at.unwrap() - due_before;
        assert!(
            (3_600..3_700).contains(&shift),
            "deadline moved on by the pause: {shift}"
        );
        tickets::move_stage(&state, &engineer, id, 4, "work_completed", "")
            .await
            .unwrap();
        tickets::move_stage(&state, &customer, id, 5, "in_work", "The leak is back")
            .await
            .unwrap();
        tickets::move_stage(&state, &engineer, id, 6, "work_completed", "")
            .await
            .unwrap();
        tickets::move_stage(&state, &customer, id, 7, "done", "")
            .await
            .unwrap();
        // Closing is for staff.
        let refused = tickets::move_stage(&state, &customer, id, 8, "closed", "").await;
        assert_eq!(field_problem(refused, "stage"), Some(Problem::NotAllowed));
        tickets::move_stage(&state, &manager, id, 8, "closed", "")
            .await
            .unwrap();
        let t = v(state.clone()).await;
        assert_eq!(t.stage, "closed");
        assert!(t.closed_at.is_some());
        let history = q::history(&state.db, id).await.unwrap();
        let path: Vec<&str> = history.iter().map(|h| h.to_stage.as_str()).collect();
        assert_eq!(
            path,
            [
                "new",
                "approval",
                "in_work",
                "work_completed",
                "in_work",
                "work_completed",
                "done",
                "closed"
            ]
        );
        assert_eq!(history[4].comment.as_deref(), Some("The leak is back"));
        // Everyone concerned heard of the stages; the actor never of their own move.
        let own = count(
            &state,
            &format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND actor_user_id = {}",
                w.customer_a, w.customer_a
            ),
        )
        .await;
        assert_eq!(own, 0);
        let to_customer = count(
            &state,
            &format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'stage'",
                w.customer_a
            ),
        )
        .await;
        assert_eq!(to_customer, 4);
        let assigned = count(
            &state,
            &format!(
                "SELECT COUNT(*) FROM notifications WHERE user_id = {} AND kind = 'assigned'",
                w.engineer
            ),
        )
        .await;
        assert_eq!(assigned, 1);
        assert!(
            count(
                &state,
                "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'T-%'"
            )
            .await
                >= 4,
            "e-mail copies"
        );
    }
);

on_both!(
    email_copies_follow_the_preference,
    |state: AppState| async move {
        let w = world(&state).await;
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let manager = actor(w.manager, Role::Manager, vec![]);
        sqlx::query("UPDATE users SET notify_email = 0")
            .execute(&state.db)
            .await
            .unwrap();
        let (id, _) = tickets::create(&state, &customer, &input(w.company_a, "Quiet"))
            .await
            .unwrap();
        tickets::move_stage(&state, &manager, id, 1, "in_work", "")
            .await
            .unwrap();
        assert_eq!(count(&state, "SELECT COUNT(*) FROM outbox").await, 0);
        assert!(
            count(&state, "SELECT COUNT(*) FROM notifications").await > 0,
            "in-app still"
        );
    }
);

async fn list(
    state: &AppState,
    who: &Actor,
    tab: q::Tab,
    terms: &str,
    after: Option<(i64, i64)>,
) -> Vec<q::ListRow> {
    page_of(state, who, tab, terms, after, 50).await
}

async fn page_of(
    state: &AppState,
    who: &Actor,
    tab: q::Tab,
    terms: &str,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Vec<q::ListRow> {
    q::list(
        &state.db,
        state.backend,
        &atrium::domain::policy::ticket_scope(who),
        &q::ListQuery {
            user_id: who.user_id,
            staff: who.role.is_staff(),
            tab,
            sort: q::Sort::Newest,
            terms: q::search_terms(terms),
            companies: None,
            performer: None,
            stage: None,
            ticket_type: None,
            criticality: None,
            overdue: false,
            after,
            now: atrium::server::db::now(),
            limit,
        },
    )
    .await
    .unwrap()
}

on_both!(lists_tabs_pages_and_search, |state: AppState| async move {
    let w = world(&state).await;
    let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
    let other = actor(w.customer_b, Role::Customer, vec![w.company_b]);
    let manager = actor(w.manager, Role::Manager, vec![]);
    for i in 0..120 {
        tickets::create(
            &state,
            &customer,
            &input(w.company_a, &format!("Routine check {i}")),
        )
        .await
        .unwrap();
    }
    let (lift, lift_number) = tickets::create(
        &state,
        &customer,
        &input(w.company_a, "Лифт застрял между этажами"),
    )
    .await
    .unwrap();
    tickets::create(&state, &other, &input(w.company_b, "Лифт у соседей"))
        .await
        .unwrap();

    // Keyset pages: every ticket once, newest first, no duplicates.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = list(&state, &customer, q::Tab::All, "", after).await;
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| (r.due_key, r.id));
        seen.extend(page.into_iter().map(|r| r.id));
    }
    assert_eq!(seen.len(), 121);
    assert!(seen.windows(2).all(|p| p[0] > p[1]));

    // Search: Cyrillic in another case, a prefix, the number, never the other company's.
    let found = list(&state, &customer, q::Tab::All, "ЛИФТ", None).await;
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![lift]);
    assert_eq!(
        list(&state, &customer, q::Tab::All, "застр", None)
            .await
            .len(),
        1
    );
    let digits = lift_number.trim_start_matches("T-");
    assert_eq!(
        list(&state, &customer, q::Tab::All, digits, None)
            .await
            .first()
            .map(|r| r.id),
        Some(lift)
    );
    assert_eq!(
        list(&state, &customer, q::Tab::All, "\"OR* ) NEAR(", None)
            .await
            .len(),
        0,
        "syntax is inert"
    );
    assert_eq!(
        list(&state, &manager, q::Tab::All, "лифт", None)
            .await
            .len(),
        2
    );

    // Tabs.
    tickets::move_stage(&state, &manager, lift, 1, "approval", "")
        .await
        .unwrap();
    let approval = list(&state, &customer, q::Tab::Approval, "", None).await;
    assert_eq!(
        approval.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![lift]
    );
    tickets::move_stage(&state, &customer, lift, 2, "refused", "Too expensive")
        .await
        .unwrap();
    let archive = list(&state, &customer, q::Tab::Archive, "", None).await;
    assert_eq!(archive.iter().map(|r| r.id).collect::<Vec<_>>(), vec![lift]);
    assert!(!list(&state, &customer, q::Tab::All, "лифт", None)
        .await
        .iter()
        .any(|r| r.id == lift));
    tickets::set_favourite(&state, &customer, lift, true)
        .await
        .unwrap();
    let favourites = list(&state, &customer, q::Tab::Favourites, "", None).await;
    assert_eq!(
        favourites.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![lift]
    );
    assert!(
        list(&state, &manager, q::Tab::Favourites, "", None)
            .await
            .is_empty(),
        "favourites are per user"
    );
    // Mine: what the customer filed; for staff, what they perform.
    assert_eq!(
        list(&state, &customer, q::Tab::Mine, "", None).await.len(),
        50
    );
    assert!(list(&state, &manager, q::Tab::Mine, "", None)
        .await
        .is_empty());
});

/// Every page of a list, seven rows at a time, following the keyset: the ids in the
/// order shown.
async fn every_page(state: &AppState, who: &Actor, tab: q::Tab, terms: &str) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = page_of(state, who, tab, terms, after, 7).await;
        if page.is_empty() {
            return seen;
        }
        after = page.last().map(|r| (r.due_key, r.id));
        seen.extend(page.into_iter().map(|r| r.id));
    }
}

on_both!(
    lists_walk_favourites_performances_and_search_in_scope,
    |state: AppState| async move {
        let w = world(&state).await;
        let alice = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let bob = actor(w.customer_b, Role::Customer, vec![w.company_b]);
        let manager = actor(w.manager, Role::Manager, vec![]);
        let engineer = actor(w.engineer, Role::Engineer, vec![]);
        let (mut assigned, mut favourites, mut alpha_pumps) = (Vec::new(), Vec::new(), Vec::new());
        let mut bobs_ticket = 0;
        for i in 0..64 {
            let (who, company) = if i % 2 == 0 {
                (&alice, w.company_a)
            } else {
                (&bob, w.company_b)
            };
            let subject = if i % 4 < 2 {
                format!("Pump {i} leaks")
            } else {
                format!("Door {i} sticks")
            };
            let (id, _) = tickets::create(&state, who, &input(company, &subject))
                .await
                .unwrap();
            if company == w.company_b {
                bobs_ticket = id;
            }
            if i % 3 == 0 {
                tickets::assign(&state, &manager, id, 1, &[w.engineer])
                    .await
                    .unwrap();
                assigned.push(id);
            }
            if i % 5 != 0 {
                tickets::set_favourite(&state, &manager, id, true)
                    .await
                    .unwrap();
                favourites.push(id);
            }
            if company == w.company_a && i % 4 < 2 {
                alpha_pumps.push(id);
            }
        }
        let newest_first = |mut ids: Vec<i64>| {
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids
        };
        // More than one page of each, every row once, newest first.
        assert_eq!(
            every_page(&state, &manager, q::Tab::Favourites, "").await,
            newest_first(favourites.clone())
        );
        assert_eq!(
            every_page(&state, &engineer, q::Tab::All, "").await,
            newest_first(assigned.clone())
        );
        assert_eq!(
            every_page(&state, &engineer, q::Tab::Mine, "").await,
            newest_first(assigned.clone())
        );
        assert_eq!(
            every_page(&state, &alice, q::Tab::All, "pump").await,
            newest_first(alpha_pumps.clone())
        );
        assert_eq!(
            every_page(&state, &manager, q::Tab::All, "pump")
                .await
                .len(),
            32
        );

        // A favourite left behind in another company (say, after a membership ended)
        // is not shown: the source never widens the scope.
        sqlx::query("INSERT INTO favourites (user_id, ticket_id) VALUES ($1, $2)")
            .bind(w.customer_a)
            .bind(bobs_ticket)
            .execute(&state.db)
            .await
            .unwrap();
        assert!(every_page(&state, &alice, q::Tab::Favourites, "")
            .await
            .is_empty());

        // The company filter by part of the name, through the server function.
        let app = router(state.clone());
        let manager_cookie = sign_in(&app, "manager@test.example").await;
        let bob_cookie = sign_in(&app, "customer-b@test.example").await;
        let filter =
            |name: &str| serde_json::json!({ "filter": { "company_name": name }, "after": null });
        let reply = call_json(&app, &manager_cookie, "list_tickets", filter("ALPHA")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.body.contains("Alpha Foods") && !reply.body.contains("Beta Steel"));
        let reply = call_json(&app, &bob_cookie, "list_tickets", filter("alpha")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(
            !reply.body.contains("Alpha Foods") && !reply.body.contains("Pump"),
            "{}",
            reply.body
        );
        let reply = call_json(&app, &manager_cookie, "list_tickets", filter("%")).await;
        assert!(
            !reply.body.contains("Alpha Foods"),
            "a wildcard is a literal"
        );
        let reply = call_json(
            &app,
            &manager_cookie,
            "list_tickets",
            filter(&"x".repeat(201)),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("company_name"));

        // The page is built once per request: the newest ticket is rendered once and
        // serialised for hydration once (not once per pass of the server renderer).
        let page = get(&app, &manager_cookie, "/tickets").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("Door 63 sticks").count(),
            2,
            "{}",
            page.body
        );
    }
);

on_both!(
    overdue_tickets_are_found_and_paused_ones_wait,
    |state: AppState| async move {
        let w = world(&state).await;
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let manager = actor(w.manager, Role::Manager, vec![]);
        rule(&state, None, "Tight", None, 1, 2).await;
        let (late, _) = tickets::create(&state, &customer, &input(w.company_a, "Late"))
            .await
            .unwrap();
        let (waiting, _) = tickets::create(&state, &customer, &input(w.company_a, "Waiting"))
            .await
            .unwrap();
        tickets::move_stage(&state, &manager, waiting, 1, "approval", "")
            .await
            .unwrap();
        // An hour passes: both deadlines are behind, but the waiting one was paused in time.
        sqlx::query("UPDATE tickets SET created_at = created_at - 3600, reaction_due_at = reaction_due_at - 3600, resolution_due_at = resolution_due_at - 3600 WHERE id = $1")
        .bind(late).execute(&state.db).await.unwrap();
        sqlx::query("UPDATE tickets SET reaction_due_at = reaction_due_at + 60, resolution_due_at = resolution_due_at + 60, paused_at = $2 WHERE id = $1")
        .bind(waiting).bind(atrium::server::db::now()).execute(&state.db).await.unwrap();
        let mut query = q::ListQuery {
            user_id: w.manager,
            staff: true,
            tab: q::Tab::All,
            sort: q::Sort::Deadline,
            terms: vec![],
            companies: Some(vec![w.company_a]),
            performer: None,
            stage: None,
            ticket_type: None,
            criticality: None,
            overdue: true,
            after: None,
            now: atrium::server::db::now(),
            limit: 50,
        };
        let rows = q::list(
            &state.db,
            state.backend,
            &atrium::domain::policy::ticket_scope(&manager),
            &query,
        )
        .await
        .unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![late]);
        query.overdue = false;
        let rows = q::list(
            &state.db,
            state.backend,
            &atrium::domain::policy::ticket_scope(&manager),
            &query,
        )
        .await
        .unwrap();
        assert_eq!(
            rows.first().map(|r| r.id),
            Some(late),
            "deadline order: the late one first"
        );
    }
);

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "atrium-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &axum::Router,
    cookie: &str,
    name: &str,
    bytes: &[u8],
) -> crate::support::Reply {
    let (content_type, body) = multipart(name, bytes);
    let request = Request::post("/api/uploads")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn get(app: &axum::Router, cookie: &str, path: &str) -> crate::support::Reply {
    crate::support::get(app, Some(cookie), path).await
}

on_both!(
    files_reach_only_those_who_see_the_ticket,
    |state: AppState| async move {
        let w: World = world(&state).await;
        let app = router(state.clone());
        let alice = sign_in(&app, "customer-a@test.example").await;
        let bob = sign_in(&app, "customer-b@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;

        // Refusals first: nothing is stored for them.
        let reply = upload(&app, &alice, "photo.jpg", &png()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a PNG named .jpg"
        );
        let reply = upload(&app, &alice, "page.html", b"<script>alert(1)</script>").await;
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let reply = upload(&app, &alice, "fake.png", b"\x89PNG\r\n\x1a\nnot really").await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a PNG that does not decode"
        );
        let big = vec![b'a'; 11 * 1024 * 1024];
        let reply = upload(&app, &alice, "big.txt", &big).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(count(&state, "SELECT COUNT(*) FROM attachments").await, 0);
        let anonymous = send(
            &app,
            Request::post("/api/uploads")
                .header(header::CONTENT_TYPE, multipart("a.txt", b"x").0)
                .body(Body::from(multipart("a.txt", b"x").1))
                .unwrap(),
        )
        .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        let reply = upload(&app, &alice, "leak.png", &png()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let stored: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        let file = stored["id"].as_i64().unwrap();
        assert_eq!(stored["is_image"], true);
        // Unclaimed: only its uploader reaches it.
        assert_eq!(
            get(&app, &alice, &format!("/files/{file}/thumb"))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, &bob, &format!("/files/{file}")).await.status,
            StatusCode::NOT_FOUND
        );
        // Bob cannot claim Alice's upload into his ticket.
        let mut theirs = serde_json::to_value(input(w.company_b, "Theirs")).unwrap();
        theirs["attachments"] = serde_json::json!([file]);
        let reply = call_json(
            &app,
            &bob,
            "create_ticket",
            serde_json::json!({ "input": theirs }),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );

        let mut mine = serde_json::to_value(input(w.company_a, "Leak in the boiler room")).unwrap();
        mine["attachments"] = serde_json::json!([file]);
        let reply = call_json(
            &app,
            &alice,
            "create_ticket",
            serde_json::json!({ "input": mine }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let ticket: i64 = reply.body.trim().parse().unwrap();

        let original = get(&app, &alice, &format!("/files/{file}")).await;
        assert_eq!(original.status, StatusCode::OK);
        assert_eq!(original.headers[header::CONTENT_TYPE], "image/png");
        assert!(original.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox"));
        assert_eq!(
            get(&app, &manager, &format!("/files/{file}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, &bob, &format!("/files/{file}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, &bob, &format!("/files/{file}/thumb"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Every ticket function refuses Bob (or shows him nothing of it).
        let id = ticket.to_string();
        let outsiders = [bob.as_str()];
        assert_outsiders_refused(&app, &outsiders, "get_ticket", &[("id", &id)], "boiler").await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "move_ticket",
            &[
                ("id", &id),
                ("version", "1"),
                ("to", "refused"),
                ("comment", "x"),
            ],
            "boiler",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "set_favourite",
            &[("id", &id), ("on", "true")],
            "boiler",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "set_ticket_deadline",
            &[("id", &id), ("version", "1"), ("due", "")],
            "boiler",
        )
        .await;
        let reply = call_json(&app, &bob, "list_tickets", serde_json::json!({ "filter": { "tab": "all", "search": "boiler", "company": "", "performer": "", "stage": "", "ticket_type": "", "criticality": "", "overdue": "", "sort": "" }, "after": null })).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!reply.body.contains("boiler"));
        let reply = call_json(
            &app,
            &bob,
            "assign_performers",
            serde_json::json!({ "id": ticket, "version": 1, "performers": [w.engineer] }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = upload(&app, &bob, "mine.txt", b"hello").await;
        let bobs: i64 = serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let reply = call_json(
            &app,
            &bob,
            "attach_files",
            serde_json::json!({ "id": ticket, "uploads": [bobs] }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert!(matches!(
            tickets::load(
                &state,
                &actor(w.customer_b, Role::Customer, vec![w.company_b]),
                ticket
            )
            .await,
            Err(AppError::NotFound)
        ));
        // The engineer, no performer, does not see it; the unchanged row proves nothing moved.
        let engineer = sign_in(&app, "engineer@test.example").await;
        assert_eq!(
            call(&app, Some(&engineer), "get_ticket", &[("id", &id)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            count(
                &state,
                &format!("SELECT version FROM tickets WHERE id = {ticket}")
            )
            .await,
            1
        );
    }
);

on_both!(
    bad_list_arguments_answer_422,
    |state: AppState| async move {
        world(&state).await;
        let app = router(state.clone());
        let alice = sign_in(&app, "customer-a@test.example").await;
        for filter in [
            serde_json::json!({ "tab": "secret" }),
            serde_json::json!({ "stage": "deleted" }),
            serde_json::json!({ "company": "1 OR 1=1" }),
            serde_json::json!({ "sort": "id; DROP TABLE tickets" }),
        ] {
            let mut full = serde_json::json!({ "tab": "", "search": "", "company": "", "performer": "", "stage": "", "ticket_type": "", "criticality": "", "overdue": "", "sort": "" });
            for (k, v) in filter.as_object().unwrap() {
                full[k] = v.clone();
            }
            let reply = call_json(
                &app,
                &alice,
                "list_tickets",
                serde_json::json!({ "filter": full, "after": null }),
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{filter}: {}",
                reply.body
            );
        }
        let reply = call_json(&app, &alice, "list_tickets", serde_json::json!({ "filter": { "tab": "", "search": "", "company": "", "performer": "", "stage": "", "ticket_type": "", "criticality": "", "overdue": "", "sort": "" }, "after": "x:y" })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

fn plan(company: i64, equipment: Option<i64>, starts_on: &str) -> atrium::domain::plan::PlanInput {
    atrium::domain::plan::PlanInput {
        company_id: company,
        equipment_id: equipment,
        all_objects: equipment.is_none(),
        ticket_type: "maintenance".into(),
        criticality: "normal".into(),
        subject: "Monthly inspection".into(),
        description: "Check the filters".into(),
        frequency: "daily".into(),
        every_n: 1,
        weekday: 1,
        time: "00:00".into(),
        starts_on: starts_on.into(),
        ..Default::default()
    }
}

on_both!(
    planned_tickets_fill_each_slot_once_across_restarts,
    |state: AppState| async move {
        use atrium::server::services::plans;
        let w = world(&state).await;
        let manager = actor(w.manager, Role::Manager, vec![]);
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let a = equipment(&state, w.company_a, "Boiler", "HVAC").await;
        equipment(&state, w.company_a, "Pump", "HVAC").await;
        let now = atrium::server::db::now();
        let today = atrium::domain::time::format_date(now);

        // Only staff plan, and bad schedules are named.
        assert!(matches!(
            plans::create(&state, &customer, &plan(w.company_a, Some(a), &today)).await,
            Err(AppError::Forbidden)
        ));
        let bad = atrium::domain::plan::PlanInput {
            every_n: 0,
            time: "25:00".into(),
            starts_on: "2026-02-30".into(),
            ..plan(w.company_a, Some(a), &today)
        };
        let errors = plans::create(&state, &manager, &bad).await.unwrap_err();
        assert!(
            errors.field_problem("time").is_some() && errors.field_problem("starts_on").is_some()
        );

        // One object, daily at 00:00 from today: today's slot is due now.
        let single = plans::create(
            &state,
            &manager,
            &atrium::domain::plan::PlanInput {
                performer_id: Some(w.engineer),
                ..plan(w.company_a, Some(a), &today)
            },
        )
        .await
        .unwrap();
        // Every object of the company, started two days ago: three slots so far (with today's).
        let start = atrium::domain::time::format_date(now - 2 * 86_400);
        let all = plans::create(&state, &manager, &plan(w.company_a, None, &start))
            .await
            .unwrap();
        // Slots start at or after the plan's creation: today's midnight has passed.
        assert_eq!(plans::run_due(&state, now).await.unwrap(), 0);
        let tomorrow = now + 86_400;
        assert_eq!(
            plans::run_due(&state, tomorrow).await.unwrap(),
            1 + 2,
            "one object, and every object"
        );
        assert_eq!(
            plans::run_due(&state, tomorrow).await.unwrap(),
            0,
            "a second run files nothing"
        );

        // A "restart": a new state on the same database files nothing twice either.
        let again = crate::support::state_for(&state.config.database_url).await;
        assert_eq!(plans::run_due(&again, tomorrow).await.unwrap(), 0);
        // The next slot comes once, even when two instances race for it.
        let later = now + 2 * 86_400;
        let (x, y) = tokio::join!(plans::run_due(&state, later), plans::run_due(&again, later));
        assert_eq!(x.unwrap() + y.unwrap(), 3);
        let runs = count(
            &state,
            &format!("SELECT COUNT(*) FROM ticket_plan_runs WHERE plan_id = {single}"),
        )
        .await;
        assert_eq!(runs, 2);
        let planned = count(
            &state,
            "SELECT COUNT(*) FROM tickets WHERE source = 'planned'",
        )
        .await;
        assert_eq!(planned, 6);
        let performed = count(
            &state,
            &format!(
                "SELECT COUNT(*) FROM ticket_performers WHERE user_id = {}",
                w.engineer
            ),
        )
        .await;
        assert_eq!(performed, 2, "the plan's performer is assigned");

        // Paused: nothing; resumed: from the next slot, missed ones skipped.
        plans::set_paused(&state, &manager, all, true)
            .await
            .unwrap();
        assert_eq!(
            plans::run_due(&state, now + 3 * 86_400).await.unwrap(),
            1,
            "only the single plan"
        );
        plans::set_paused(&state, &manager, all, false)
            .await
            .unwrap();
        let next: Option<i64> =
            sqlx::query_scalar("SELECT next_run_at FROM ticket_plans WHERE id = $1")
                .bind(all)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert!(next.unwrap() > now, "resumes in the future");
        again.db.close().await;
    }
);

on_both!(
    plans_notifications_and_form_choices_stay_in_scope,
    |state: AppState| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let alice = sign_in(&app, "customer-a@test.example").await;
        let bob = sign_in(&app, "customer-b@test.example").await;
        let reseller = sign_in(&app, "reseller-a@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        let id = atrium::server::services::plans::create(
            &state,
            &actor(w.manager, Role::Manager, vec![]),
            &plan(
                w.company_a,
                None,
                &atrium::domain::time::format_date(atrium::server::db::now()),
            ),
        )
        .await
        .unwrap()
        .to_string();
        // Planning is for the service company's staff only.
        let outsiders = [alice.as_str(), bob.as_str(), reseller.as_str()];
        assert_outsiders_refused(&app, &outsiders, "list_plans", &[], "Monthly inspection").await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "plan_choices",
            &[("company_id", &w.company_a.to_string())],
            "Alpha Foods",
        )
        .await;
        assert_outsiders_refused(
            &app,
            &outsiders,
            "set_plan_paused",
            &[("id", &id), ("paused", "true")],
            "",
        )
        .await;
        let saved = call_json(
            &app,
            &bob,
            "save_plan",
            serde_json::json!({ "id": 0, "input": plan(w.company_a, None, "2026-12-01") }),
        )
        .await;
        assert_eq!(saved.status, StatusCode::FORBIDDEN);
        assert_eq!(
            count(&state, "SELECT CAST(paused AS BIGINT) FROM ticket_plans").await,
            0,
            "still running"
        );
        assert_eq!(
            call(&app, Some(&manager), "list_plans", &[]).await.status,
            StatusCode::OK
        );

        // The form offers Bob only his own company, whatever id he asks for.
        let choices = call(
            &app,
            Some(&bob),
            "ticket_form_options",
            &[("company_id", &w.company_a.to_string())],
        )
        .await;
        assert_eq!(choices.status, StatusCode::OK);
        assert!(!choices.body.contains("Alpha Foods"), "{}", choices.body);
        assert!(choices.body.contains("Beta Steel"));

        // Notifications are per user: Alice's ticket tells Bob nothing.
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let (ticket, _) = tickets::create(&state, &customer, &input(w.company_a, "Secret boiler"))
            .await
            .unwrap();
        tickets::move_stage(
            &state,
            &actor(w.manager, Role::Manager, vec![]),
            ticket,
            1,
            "in_work",
            "",
        )
        .await
        .unwrap();
        let mine = call(&app, Some(&alice), "list_notifications", &[]).await;
        assert!(mine.body.contains("Secret boiler"), "{}", mine.body);
        assert_outsiders_refused(
            &app,
            &[bob.as_str(), reseller.as_str()],
            "list_notifications",
            &[],
            "Secret boiler",
        )
        .await;
        assert_eq!(
            call(&app, Some(&bob), "unread_notifications", &[])
                .await
                .body,
            "0"
        );
    }
);
