//! "Log in as": reason, read-only by default, explicit switch, no password or e-mail
//! changes, expiry, return, and the audit trail with both identities.

use crate::on_both;
use crate::support::{call, sign_in, world, PASSWORD};
use atrium::server::router;
use http::StatusCode;

on_both!(
    a_reseller_enters_its_customers_account_read_only_and_returns,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let reseller = sign_in(&app, "reseller-a@test.example").await;
        let company = w.company_a.to_string();
        let customer = w.customer_a.to_string();

        let no_reason = call(
            &app,
            Some(&reseller),
            "log_in_as",
            &[
                ("company_id", &company),
                ("user_id", &customer),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let started = call(
            &app,
            Some(&reseller),
            "log_in_as",
            &[
                ("company_id", &company),
                ("user_id", &customer),
                ("reason", "Checking a ticket together"),
            ],
        )
        .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);

        // The session now sees what the customer sees, and knows who is behind it.
        let me = call(&app, Some(&reseller), "get_me", &[]).await;
        assert!(
            me.body.contains("\"role\":\"Customer\"")
                && me.body.contains("\"by_name\":\"Test reseller\""),
            "{}",
            me.body
        );
        assert_eq!(
            call(&app, Some(&reseller), "home_figures", &[])
                .await
                .status,
            StatusCode::OK
        );

        // Read-only: changes are refused until explicitly allowed.
        let fields = [
            ("full_name", "Changed by staff"),
            ("email", "customer-a@test.example"),
            ("phone", ""),
            ("language", "en"),
        ];
        let refused = call(&app, Some(&reseller), "update_profile", &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("ReadOnly"));
        assert_eq!(
            call(
                &app,
                Some(&reseller),
                "acting_allow_changes",
                &[("allow", "true")]
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            call(&app, Some(&reseller), "update_profile", &fields)
                .await
                .status,
            StatusCode::OK
        );
        // Never the customer's password or sign-in e-mail, even with changes allowed.
        let password = call(
            &app,
            Some(&reseller),
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "staff chosen 1"),
                ("confirm_password", "staff chosen 1"),
            ],
        )
        .await;
        assert_eq!(password.status, StatusCode::FORBIDDEN);
        let email = call(
            &app,
            Some(&reseller),
            "update_profile",
            &[
                ("full_name", "X"),
                ("email", "staff@evil.test"),
                ("phone", ""),
                ("language", "en"),
                ("profile_password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(email.status, StatusCode::FORBIDDEN);
        let stored: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(w.customer_a)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(stored, "customer-a@test.example");

        // Return.
        assert_eq!(
            call(&app, Some(&reseller), "stop_acting", &[]).await.status,
            StatusCode::OK
        );
        let me = call(&app, Some(&reseller), "get_me", &[]).await;
        assert!(
            me.body.contains("\"role\":\"Reseller\"") && me.body.contains("\"acting\":null"),
            "{}",
            me.body
        );

        // Everything is in the audit log with both identities…
        let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT action, actor_user_id, on_behalf_of_user_id FROM audit_log WHERE on_behalf_of_user_id = $1 ORDER BY id",
    )
    .bind(w.customer_a)
    .fetch_all(&state.db)
    .await
    .unwrap();
        let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert!(
            actions.starts_with(&["log_in_as_started", "acting_call"]),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"log_in_as_write_on") && actions.contains(&"log_in_as_ended"),
            "{actions:?}"
        );
        assert!(
            rows.iter().all(|r| r.1 == Some(w.reseller_user_a)),
            "the real person is the actor"
        );
        // …and the customer sees the visits in their own history.
        let customer_session = sign_in(&app, "customer-a@test.example").await;
        let visits = call(&app, Some(&customer_session), "my_visits", &[]).await;
        assert!(
            visits.body.contains("Checking a ticket together")
                && visits.body.contains("Test reseller"),
            "{}",
            visits.body
        );
    }
);

on_both!(
    only_those_who_manage_the_customer_may_enter_and_visits_expire,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let reseller = sign_in(&app, "reseller-a@test.example").await;
        let customer = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let reason = "Support call with the customer";
        // Another reseller's customer: not found; a customer or an engineer: refused.
        let other = call(
            &app,
            Some(&reseller),
            "log_in_as",
            &[
                ("company_id", &w.company_b.to_string()),
                ("user_id", &w.customer_b.to_string()),
                ("reason", reason),
            ],
        )
        .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        // A user who is not a member of the named company: not found.
        let mismatch = call(
            &app,
            Some(&reseller),
            "log_in_as",
            &[
                ("company_id", &w.company_a.to_string()),
                ("user_id", &w.customer_b.to_string()),
                ("reason", reason),
            ],
        )
        .await;
        assert_eq!(mismatch.status, StatusCode::NOT_FOUND);
        for cookie in [&customer, &engineer] {
            let refused = call(
                &app,
                Some(cookie),
                "log_in_as",
                &[
                    ("company_id", &w.company_a.to_string()),
                    ("user_id", &w.customer_a.to_string()),
                    ("reason", reason),
                ],
            )
            .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
        }
        // Staff are never entered (only customer users).
        let manager = sign_in(&app, "manager@test.example").await;
        let staff = call(
            &app,
            Some(&manager),
            "log_in_as",
            &[
                ("company_id", &w.company_a.to_string()),
                ("user_id", &w.admin.to_string()),
                ("reason", reason),
            ],
        )
        .await;
        assert_eq!(staff.status, StatusCode::NOT_FOUND);

        // A visit ends by itself.
        assert_eq!(
            call(
                &app,
                Some(&manager),
                "log_in_as",
                &[
                    ("company_id", &w.company_a.to_string()),
                    ("user_id", &w.customer_a.to_string()),
                    ("reason", reason)
                ]
            )
            .await
            .status,
            StatusCode::OK
        );
        sqlx::query("UPDATE sessions SET acting_until = $1 WHERE acting_as_user_id IS NOT NULL")
            .bind(atrium::server::db::now() - 1)
            .execute(&state.db)
            .await
            .unwrap();
        let me = call(&app, Some(&manager), "get_me", &[]).await;
        assert!(
            me.body.contains("\"role\":\"Manager\"") && me.body.contains("\"acting\":null"),
            "{}",
            me.body
        );
    }
);
