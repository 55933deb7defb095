//! Authorisation through the real HTTP surface: every server function is a public
//! endpoint, so each is called by users who must be refused or must see only their scope.

use crate::on_both;
use crate::support::{assert_outsiders_refused, call, get, sign_in, ticket, world};
use atrium::server::router;
use http::StatusCode;

on_both!(
    anonymous_callers_are_refused_by_every_private_function,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        for endpoint in [
            "list_outbox",
            "list_companies",
            "list_tickets",
            "home_figures",
            "change_password",
            "update_profile",
        ] {
            let reply = call(&app, None, endpoint, &[]).await;
            assert!(
                matches!(reply.status.as_u16(), 401 | 422),
                "{endpoint}: {} {}",
                reply.status,
                reply.body
            );
            assert!(
                !reply.body.contains("atrium"),
                "{endpoint} leaked something: {}",
                reply.body
            );
        }
        let me = call(&app, None, "get_me", &[]).await;
        assert_eq!((me.status, me.body.as_str()), (StatusCode::OK, "null"));
    }
);

on_both!(only_admins_read_the_outbox, |state| async move {
    world(&state).await;
    let app = router(state.clone());
    state
        .mailer
        .send_email(
            "victim@test.example",
            "Reset",
            "http://x.test/reset-password?token=SECRET-TOKEN",
        )
        .await
        .unwrap();
    let admin = sign_in(&app, "admin@test.example").await;
    let reply = call(&app, Some(&admin), "list_outbox", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("SECRET-TOKEN"));

    let mut others = Vec::new();
    for email in [
        "manager@test.example",
        "engineer@test.example",
        "reseller-a@test.example",
        "customer-a@test.example",
    ] {
        others.push(sign_in(&app, email).await);
    }
    let others: Vec<&str> = others.iter().map(String::as_str).collect();
    assert_outsiders_refused(&app, &others, "list_outbox", &[], "SECRET-TOKEN").await;
    let customer = call(&app, Some(others[3]), "list_outbox", &[]).await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
});

on_both!(resellers_see_only_their_own_customers, |state| async move {
    let w = world(&state).await;
    let app = router(state.clone());
    let reseller = sign_in(&app, "reseller-a@test.example").await;
    let reply = call(&app, Some(&reseller), "list_companies", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Alpha Foods"));
    assert!(
        !reply.body.contains("Beta Steel") && !reply.body.contains("Direct Dairy"),
        "{}",
        reply.body
    );

    let manager = sign_in(&app, "manager@test.example").await;
    let all = call(&app, Some(&manager), "list_companies", &[]).await;
    assert!(
        all.body.contains("Alpha Foods")
            && all.body.contains("Beta Steel")
            && all.body.contains("Direct Dairy")
    );

    // Customers are not given the companies list at all.
    let customer = sign_in(&app, "customer-a@test.example").await;
    assert_outsiders_refused(
        &app,
        &[&customer, &reseller],
        "list_companies",
        &[],
        "Beta Steel",
    )
    .await;
    let _ = w;
});

on_both!(
    tickets_stay_within_the_company_and_the_assignment,
    |state| async move {
        let w = world(&state).await;
        ticket(
            &state,
            w.company_a,
            "T-A1",
            "Alpha chiller leaks",
            Some(w.engineer),
        )
        .await;
        ticket(&state, w.company_b, "T-B1", "Beta furnace alarm", None).await;
        let app = router(state.clone());

        let customer_a = sign_in(&app, "customer-a@test.example").await;
        let customer_b = sign_in(&app, "customer-b@test.example").await;
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;

        let list = |cookie: String| {
            let app = app.clone();
            async move {
                let filter = serde_json::json!({ "tab": "", "search": "", "company": "", "performer": "", "stage": "",
                    "ticket_type": "", "criticality": "", "overdue": "", "sort": "" });
                let reply = crate::support::call_json(
                    &app,
                    &cookie,
                    "list_tickets",
                    serde_json::json!({ "filter": filter, "after": null }),
                )
                .await;
                assert_eq!(reply.status, http::StatusCode::OK, "{}", reply.body);
                reply.body
            }
        };
        assert!(list(customer_a.clone())
            .await
            .contains("Alpha chiller leaks"));
        // Another company's customer, another reseller, an engineer not assigned: none sees Beta's ticket…
        for outsider in [&customer_a, &reseller_a, &engineer] {
            assert!(!list(outsider.clone()).await.contains("Beta furnace alarm"));
        }
        // …and Beta's customer does not see Alpha's.
        assert!(!list(customer_b.clone())
            .await
            .contains("Alpha chiller leaks"));
        assert!(
            list(engineer.clone()).await.contains("Alpha chiller leaks"),
            "engineers see their assignments"
        );

        // The home figures count only what the caller may see.
        let figures = call(&app, Some(&customer_b), "home_figures", &[]).await;
        assert!(
            figures.body.contains("\"open_tickets\":1"),
            "{}",
            figures.body
        );
    }
);

on_both!(pages_are_guarded_by_the_policy, |state| async move {
    world(&state).await;
    let app = router(state.clone());
    // Anonymous: every page sends to sign-in, remembering where the user wanted to go.
    let anonymous = get(&app, None, "/customers?page=2").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers["location"],
        "/sign-in?next=%2Fcustomers%3Fpage%3D2"
    );

    let customer = sign_in(&app, "customer-a@test.example").await;
    for path in [
        "/customers",
        "/settings",
        "/settings/outbox",
        "/equipment/labels",
        "/orders",
        "/invoices",
    ] {
        let reply = get(&app, Some(&customer), path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    for path in [
        "/",
        "/tickets",
        "/messages",
        "/equipment",
        "/analytics",
        "/profile",
    ] {
        let reply = get(&app, Some(&customer), path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
    }
    let manager = sign_in(&app, "manager@test.example").await;
    assert_eq!(
        get(&app, Some(&manager), "/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = sign_in(&app, "admin@test.example").await;
    assert_eq!(
        get(&app, Some(&admin), "/settings/outbox").await.status,
        StatusCode::OK
    );
});
