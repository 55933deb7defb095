//! The admin's ticket settings: ticket types and work types (archived, never deleted),
//! SLA rules by field and their effect on new tickets — and "use the SLA rule" after a
//! deadline set by hand, which counts the pauses the ticket already had.

use crate::on_both;
use crate::support::{actor, call, call_json, sign_in, world};
use atrium::domain::role::Role;
use atrium::domain::settings::{CatalogInput, FieldInput, SlaRuleInput};
use atrium::domain::ticket::TicketInput;
use atrium::domain::validate::Problem;
use atrium::server::db::settings::Catalog;
use atrium::server::db::tickets as q;
use atrium::server::router;
use atrium::server::services::{settings, tickets};
use atrium::server::state::AppState;
use http::StatusCode;
use serde_json::json;

fn rule(name: &str, criticality: &str, reaction: &str, resolution: &str) -> SlaRuleInput {
    SlaRuleInput {
        name: name.into(),
        criticality: criticality.into(),
        reaction_hours: reaction.into(),
        resolution_hours: resolution.into(),
        ..Default::default()
    }
}

async fn rules(state: &AppState) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sla_rules")
        .fetch_one(&state.db)
        .await
        .unwrap()
}

on_both!(
    only_admins_change_the_ticket_settings,
    |state: AppState| async move {
        world(&state).await;
        let app = router(state.clone());
        let admin = sign_in(&app, "admin@test.example").await;
        for login in [
            "manager@test.example",
            "engineer@test.example",
            "customer-a@test.example",
            "reseller-a@test.example",
        ] {
            let cookie = sign_in(&app, login).await;
            assert_eq!(
                call(&app, Some(&cookie), "ticket_settings", &[])
                    .await
                    .status,
                StatusCode::FORBIDDEN,
                "{login}"
            );
            let reply = call_json(
                &app,
                &cookie,
                "save_sla_rule",
                json!({ "id": null, "input": rule("Mine", "", "1", "2") }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login}");
            let reply = call_json(&app, &cookie, "save_type_entry", json!({ "work": false, "code": null, "input": { "name": "Mine", "classes": "" }, "archived": false })).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login}");
            let field = json!({ "label": "Mine", "kind": "text", "unit": "", "choices": "", "required": false, "staff_only": false });
            let reply = call_json(
                &app,
                &cookie,
                "save_ticket_field",
                json!({ "id": null, "input": field, "archived": false }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login}");
            // The demo-like rule every database starts without: any id is refused first.
            assert_eq!(
                call(&app, Some(&cookie), "delete_sla_rule", &[("id", "1")])
                    .await
                    .status,
                StatusCode::FORBIDDEN,
                "{login}"
            );
        }
        assert_eq!(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM ticket_fields")
                .fetch_one(&state.db)
                .await
                .unwrap(),
            0
        );
        assert_eq!(rules(&state).await, 0);
        let reply = call_json(
            &app,
            &admin,
            "save_sla_rule",
            json!({ "id": null, "input": rule("Everything", "", "4", "72") }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let page = call(&app, Some(&admin), "ticket_settings", &[]).await;
        assert!(
            page.body.contains("Everything") && page.body.contains("warranty"),
            "{}",
            page.body
        );
    }
);

on_both!(
    types_are_added_and_archived_and_rules_set_deadlines,
    |state: AppState| async move {
        let w = world(&state).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);

        // A new type gets a code from its name, and the form offers it.
        let input = CatalogInput {
            name: "Emergency call-out".into(),
            classes: String::new(),
        };
        let code = settings::save_entry(&state, &admin, Catalog::TicketTypes, None, &input, false)
            .await
            .unwrap();
        assert_eq!(code, "emergency_call_out");
        let again = settings::save_entry(&state, &admin, Catalog::TicketTypes, None, &input, false)
            .await
            .unwrap();
        assert_eq!(again, "emergency_call_out_2");
        let cyrillic = CatalogInput {
            name: "Аварийный выезд".into(),
            classes: String::new(),
        };
        assert_eq!(
            settings::save_entry(&state, &admin, Catalog::TicketTypes, None, &cyrillic, false)
                .await
                .unwrap(),
            "type"
        );
        assert!(q::ticket_types(&state.db)
            .await
            .unwrap()
            .iter()
            .any(|(c, _)| c == "emergency_call_out"));
        let work = CatalogInput {
            name: "Leak test".into(),
            classes: "HVAC, Lift, hvac".into(),
        };
        let work_code =
            settings::save_entry(&state, &admin, Catalog::WorkTypes, None, &work, false)
                .await
                .unwrap();
        assert!(q::work_types(&state.db)
            .await
            .unwrap()
            .iter()
            .any(|(c, _, classes)| *c == work_code && classes == "HVAC,Lift"));
        let err = settings::save_entry(
            &state,
            &admin,
            Catalog::WorkTypes,
            None,
            &CatalogInput {
                name: " ".into(),
                classes: "x".repeat(51),
            },
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_problem("name"), Some(Problem::Required));
        assert_eq!(
            err.field_problem("classes"),
            Some(Problem::TooLong { max: 50 })
        );

        // Archived: no longer offered, and a ticket cannot be filed with it.
        settings::save_entry(
            &state,
            &admin,
            Catalog::TicketTypes,
            Some("emergency_call_out"),
            &input,
            true,
        )
        .await
        .unwrap();
        assert!(!q::ticket_types(&state.db)
            .await
            .unwrap()
            .iter()
            .any(|(c, _)| c == "emergency_call_out"));
        let filing = TicketInput {
            company_id: w.company_a,
            ticket_type: "emergency_call_out".into(),
            criticality: "urgent".into(),
            subject: "Flood".into(),
            description: "Water everywhere".into(),
            ..TicketInput::default()
        };
        let err = tickets::create(&state, &customer, &filing)
            .await
            .unwrap_err();
        assert_eq!(
            err.field_problem("ticket_type"),
            Some(Problem::UnknownChoice)
        );

        // Rules: bad input by field, unknown conditions refused, nothing stored.
        let err = settings::save_rule(
            &state,
            &admin,
            None,
            &SlaRuleInput {
                ticket_type: "nope".into(),
                ..rule("", "", "-1", "0.001")
            },
        )
        .await
        .unwrap_err();
        for (field, problem) in [
            ("name", Problem::Required),
            ("reaction_hours", Problem::InvalidFormat),
            ("resolution_hours", Problem::InvalidFormat),
            ("ticket_type", Problem::UnknownChoice),
        ] {
            assert_eq!(err.field_problem(field), Some(problem), "{field}");
        }
        let err = settings::save_rule(&state, &admin, None, &rule("Backwards", "", "8", "2"))
            .await
            .unwrap_err();
        assert_eq!(
            err.field_problem("resolution_hours"),
            Some(Problem::ResolutionBeforeReaction)
        );
        assert_eq!(rules(&state).await, 0);

        // The shortest matching rule sets a new ticket's deadlines.
        settings::save_rule(&state, &admin, None, &rule("Standard", "", "8", "72"))
            .await
            .unwrap();
        let urgent =
            settings::save_rule(&state, &admin, None, &rule("Urgent", "urgent", "0,5", "4"))
                .await
                .unwrap();
        let (id, _) = tickets::create(
            &state,
            &customer,
            &TicketInput {
                ticket_type: "repair".into(),
                ..filing.clone()
            },
        )
        .await
        .unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        assert_eq!(t.sla_rule_name.as_deref(), Some("Urgent"));
        assert_eq!(t.resolution_due_at, Some(t.created_at + 4 * 3600));
        assert_eq!(t.reaction_due_at, Some(t.created_at + 30 * 60));
        // Deleting the rule keeps the deadlines it gave.
        settings::delete_rule(&state, &admin, urgent).await.unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        assert_eq!(t.resolution_due_at, Some(t.created_at + 4 * 3600));
        assert!(settings::delete_rule(&state, &admin, urgent).await.is_err());
    }
);

on_both!(
    additional_fields_reach_the_form_by_role_and_are_archived,
    |state: AppState| async move {
        let w = world(&state).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        let bad = FieldInput {
            label: "Floor".into(),
            kind: "choice".into(),
            choices: "Ground".into(),
            ..Default::default()
        };
        let err = settings::save_field(&state, &admin, None, &bad, false)
            .await
            .unwrap_err();
        assert_eq!(
            err.field_problem("choices"),
            Some(Problem::TooShort { min: 2 })
        );
        let manager = actor(w.manager, Role::Manager, vec![]);
        assert!(settings::save_field(&state, &manager, None, &bad, false)
            .await
            .is_err());
        let floor = settings::save_field(
            &state,
            &admin,
            None,
            &FieldInput {
                choices: "Ground\nFirst".into(),
                required: true,
                ..bad.clone()
            },
            false,
        )
        .await
        .unwrap();
        let cost = FieldInput {
            label: "Internal cost centre".into(),
            kind: "text".into(),
            staff_only: true,
            ..Default::default()
        };
        settings::save_field(&state, &admin, None, &cost, false)
            .await
            .unwrap();
        let for_customers = q::field_defs(&state.db, false).await.unwrap();
        assert_eq!(
            for_customers
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>(),
            ["Floor"]
        );
        assert_eq!(q::field_defs(&state.db, true).await.unwrap().len(), 2);
        assert_eq!(for_customers[0].choices, ["Ground", "First"]);

        // Required: a ticket without it is refused; archived, it is no longer asked.
        let filing = TicketInput {
            company_id: w.company_a,
            ticket_type: "repair".into(),
            criticality: "normal".into(),
            subject: "Door".into(),
            description: "Stuck".into(),
            ..TicketInput::default()
        };
        assert!(matches!(
            tickets::create(&state, &customer, &filing).await,
            Err(atrium::error::AppError::Invalid(_))
        ));
        // Its kind cannot change.
        let as_text = FieldInput {
            kind: "text".into(),
            ..bad.clone()
        };
        assert!(
            settings::save_field(&state, &admin, Some(floor), &as_text, true)
                .await
                .is_err()
        );
        settings::save_field(
            &state,
            &admin,
            Some(floor),
            &FieldInput {
                choices: "Ground\nFirst".into(),
                required: true,
                ..bad
            },
            true,
        )
        .await
        .unwrap();
        assert!(q::field_defs(&state.db, false).await.unwrap().is_empty());
        tickets::create(&state, &customer, &filing)
            .await
            .expect("filed without the archived field");
    }
);

on_both!(
    using_the_rule_again_counts_the_pauses_already_had,
    |state: AppState| async move {
        let w = world(&state).await;
        let admin = actor(w.admin, Role::Admin, vec![]);
        let manager = actor(w.manager, Role::Manager, vec![]);
        let customer = actor(w.customer_a, Role::Customer, vec![w.company_a]);
        settings::save_rule(&state, &admin, None, &rule("Standard", "", "4", "24"))
            .await
            .unwrap();
        let (id, _) = tickets::create(
            &state,
            &customer,
            &TicketInput {
                company_id: w.company_a,
                ticket_type: "repair".into(),
                criticality: "normal".into(),
                subject: "Quote needed".into(),
                description: "Replace the compressor".into(),
                ..TicketInput::default()
            },
        )
        .await
        .unwrap();
        let version = |t: &q::TicketRecord| t.version;
        let t = tickets::load(&state, &admin, id).await.unwrap();
        tickets::move_stage(&state, &manager, id, version(&t), "approval", "")
            .await
            .unwrap();
        // The customer took two hours to approve.
        sqlx::query("UPDATE tickets SET paused_at = paused_at - 7200 WHERE id = $1")
            .bind(id)
            .execute(&state.db)
            .await
            .unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        tickets::move_stage(&state, &customer, id, version(&t), "in_work", "")
            .await
            .unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        assert!(
            (7200..7210).contains(&t.paused_seconds),
            "{}",
            t.paused_seconds
        );
        let by_rule = t.resolution_due_at.unwrap();
        assert_eq!(by_rule, t.created_at + 24 * 3600 + t.paused_seconds);

        // A deadline by hand, then back to the rule: the two hours still count.
        tickets::set_deadline(&state, &manager, id, t.version, "2030-01-01T10:00")
            .await
            .unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        assert_eq!(t.deadline_manual, 1);
        tickets::set_deadline(&state, &manager, id, t.version, "")
            .await
            .unwrap();
        let t = tickets::load(&state, &admin, id).await.unwrap();
        assert_eq!((t.deadline_manual, t.resolution_due_at), (0, Some(by_rule)));
        assert_eq!(t.sla_rule_name.as_deref(), Some("Standard"));
    }
);
