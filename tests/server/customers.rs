//! Customers: the clients list (scope, search, filters, keyset pages), the wizard with its
//! draft, duplicates, edits, delete and restore — and that a reseller or a customer of
//! another company reaches none of it, by any server function.

use crate::on_both;
use crate::support::{assert_outsiders_refused, call, call_json, sign_in, world, World};
use atrium::server::router;
use axum::Router;
use http::StatusCode;

fn account(name: &str, tax_id: &str, email: &str) -> serde_json::Value {
    serde_json::json!({
        "legal_name": name, "tax_id": tax_id, "country": "RU", "region": "", "city": "Казань",
        "street": "Баумана, 1", "postal_code": "420111", "phone": "+7 843 000-00-00", "email": email,
        "website": "", "contact_first_name": "Айгуль", "contact_last_name": "Хасанова",
        "contact_email": "aigul@example.test", "contact_phone": ""
    })
}

/// Goes through the wizard's five steps as `cookie`; returns the draft id.
async fn fill_wizard(
    app: &Router,
    cookie: &str,
    name: &str,
    tax_id: &str,
    email: &str,
    reseller: Option<i64>,
) -> i64 {
    let started = call(app, Some(cookie), "start_customer_draft", &[]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let id: i64 = started.body.parse().unwrap();
    let draft = serde_json::json!({
        "account": account(name, tax_id, email),
        "agreement": {"accepted": true, "accepted_by": "Айгуль Хасанова", "accepted_email": "aigul@example.test",
                      "accepted_on": "2026-11-20", "version": "2026-01"},
        "reseller_id": reseller,
        "subscriptions": []
    });
    for step in 1..=4 {
        let reply = call_json(
            app,
            cookie,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": step, "draft": draft}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "step {step}: {}", reply.body);
        assert_eq!(reply.body, (step + 1).to_string());
    }
    id
}

async fn offer(state: &atrium::server::state::AppState) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO offers (name, unit_price_minor, currency, billing_period, created_at) VALUES ('Support', 150000, 'RUB', 'monthly', 0) RETURNING id",
    )
    .fetch_one(&state.db)
    .await
    .unwrap()
}

on_both!(
    the_wizard_creates_a_customer_with_subscriptions_and_agreement,
    |state| async move {
        let w: World = world(&state).await;
        let offer_id = offer(&state).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let id = fill_wizard(
            &app,
            &manager,
            "ООО «Ромашка»",
            "1655000001",
            "office@romashka.test",
            Some(w.reseller_a),
        )
        .await;

        // Step 4 again with a subscription; bad counts are refused at the field.
        let mut draft: serde_json::Value = serde_json::from_str(
            &call(
                &app,
                Some(&manager),
                "get_customer_draft",
                &[("id", &id.to_string())],
            )
            .await
            .body,
        )
        .unwrap();
        let mut d = draft["draft"].take();
        d["subscriptions"] = serde_json::json!([{"offer_id": offer_id, "licences": 0}]);
        let bad = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 4, "draft": d}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains(&format!("licences-{offer_id}")),
            "{}",
            bad.body
        );
        d["subscriptions"] = serde_json::json!([{"offer_id": 999999, "licences": 1}]);
        let unknown = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 4, "draft": d}),
        )
        .await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an offer not in the catalog"
        );
        d["subscriptions"] = serde_json::json!([{"offer_id": offer_id, "licences": 25}]);
        let ok = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 4, "draft": d}),
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

        // Leaving and coming back loses nothing.
        let view: serde_json::Value = serde_json::from_str(
            &call(
                &app,
                Some(&manager),
                "get_customer_draft",
                &[("id", &id.to_string())],
            )
            .await
            .body,
        )
        .unwrap();
        assert_eq!(view["reached"], 5);
        assert_eq!(view["draft"]["account"]["legal_name"], "ООО «Ромашка»");
        assert_eq!(view["draft"]["subscriptions"][0]["licences"], 25);

        let created = call(
            &app,
            Some(&manager),
            "submit_customer_draft",
            &[("id", &id.to_string())],
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let company: i64 = created.body.parse().unwrap();
        let (name, reseller, by, version): (String, Option<i64>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT name, reseller_id, agreement_accepted_by, agreement_version FROM companies WHERE id = $1",
    )
    .bind(company)
    .fetch_one(&state.db)
    .await
    .unwrap();
        assert_eq!(
            (name.as_str(), reseller, by.as_deref(), version.as_deref()),
            (
                "ООО «Ромашка»",
                Some(w.reseller_a),
                Some("Айгуль Хасанова"),
                Some("2026-01")
            )
        );
        let licences: i64 =
            sqlx::query_scalar("SELECT licences FROM subscriptions WHERE company_id = $1")
                .bind(company)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(licences, 25);
        // The draft is gone and cannot be submitted twice.
        let again = call(
            &app,
            Some(&manager),
            "submit_customer_draft",
            &[("id", &id.to_string())],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        // The new customer is found by its Cyrillic name, in any case.
        let found = call(
            &app,
            Some(&manager),
            "list_companies",
            &[("search", "РОМАШКА")],
        )
        .await;
        assert!(found.body.contains("ООО «Ромашка»"), "{}", found.body);
    }
);

on_both!(
    the_wizard_refuses_bad_input_and_skipped_steps,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let id: i64 = call(&app, Some(&manager), "start_customer_draft", &[])
            .await
            .body
            .parse()
            .unwrap();
        let mut draft = serde_json::json!({"account": account("", "123", "not-an-email"), "agreement": {"accepted": false, "accepted_by": "", "accepted_email": "", "accepted_on": "", "version": ""}, "reseller_id": null, "subscriptions": []});
        let bad = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 1, "draft": draft}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["legal_name", "tax_id", "email"] {
            assert!(
                bad.body.contains(&format!("\"{field}\"")),
                "{field}: {}",
                bad.body
            );
        }
        // Step 3 before step 1 is done: refused.
        let skipped = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 3, "draft": draft}),
        )
        .await;
        assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Nothing was stored of the refused step.
        let view: serde_json::Value = serde_json::from_str(
            &call(
                &app,
                Some(&manager),
                "get_customer_draft",
                &[("id", &id.to_string())],
            )
            .await
            .body,
        )
        .unwrap();
        assert_eq!(view["reached"], 1);
        assert_eq!(view["draft"]["account"]["email"], "");
        // Without the agreement accepted, step 2 does not pass.
        draft["account"] = account("Valid Ltd", "1655000002", "valid@example.test");
        assert_eq!(
            call_json(
                &app,
                &manager,
                "save_customer_draft",
                serde_json::json!({"id": id, "step": 1, "draft": draft})
            )
            .await
            .status,
            StatusCode::OK
        );
        let refused = call_json(
            &app,
            &manager,
            "save_customer_draft",
            serde_json::json!({"id": id, "step": 2, "draft": draft}),
        )
        .await;
        assert!(refused.body.contains("\"accepted\""), "{}", refused.body);
        // Submitting an unfinished draft is refused.
        let early = call(
            &app,
            Some(&manager),
            "submit_customer_draft",
            &[("id", &id.to_string())],
        )
        .await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

on_both!(duplicates_are_detected_before_submit, |state| async move {
    let w = world(&state).await;
    sqlx::query(
        "UPDATE companies SET tax_id = '1655000003', email = 'beta@example.test' WHERE id = $1",
    )
    .bind(w.company_b)
    .execute(&state.db)
    .await
    .unwrap();
    let app = router(state.clone());
    let reseller = sign_in(&app, "reseller-a@test.example").await;
    let id = fill_wizard(
        &app,
        &reseller,
        "Beta Again",
        "1655000003",
        "new@example.test",
        None,
    )
    .await;
    let view = call(
        &app,
        Some(&reseller),
        "get_customer_draft",
        &[("id", &id.to_string())],
    )
    .await;
    assert!(view.body.contains("\"same_tax_id\":true"), "{}", view.body);
    // Beta Steel belongs to another reseller: its name is not revealed.
    assert!(!view.body.contains("Beta Steel"), "{}", view.body);
    let refused = call(
        &app,
        Some(&reseller),
        "submit_customer_draft",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("duplicate"), "{}", refused.body);
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM companies WHERE tax_id = '1655000003'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    assert_eq!(count, 1, "nothing half-created");
});

on_both!(a_resellers_customer_is_always_its_own, |state| async move {
    let w = world(&state).await;
    let app = router(state.clone());
    let reseller = sign_in(&app, "reseller-a@test.example").await;
    // Asks for reseller B: ignored, the customer is reseller A's.
    let id = fill_wizard(
        &app,
        &reseller,
        "Gamma Glass",
        "1655000004",
        "gamma@example.test",
        Some(w.reseller_b),
    )
    .await;
    let created = call(
        &app,
        Some(&reseller),
        "submit_customer_draft",
        &[("id", &id.to_string())],
    )
    .await;
    let company: i64 = created.body.parse().expect(&created.body);
    let owner: Option<i64> = sqlx::query_scalar("SELECT reseller_id FROM companies WHERE id = $1")
        .bind(company)
        .fetch_one(&state.db)
        .await
        .unwrap();
    assert_eq!(owner, Some(w.reseller_a));
});

on_both!(
    drafts_are_private_to_whoever_started_them,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let id: i64 = call(&app, Some(&manager), "start_customer_draft", &[])
            .await
            .body
            .parse()
            .unwrap();
        let reseller = sign_in(&app, "reseller-a@test.example").await;
        let admin = sign_in(&app, "admin@test.example").await;
        for cookie in [&reseller, &admin] {
            let reply = call(
                &app,
                Some(cookie),
                "get_customer_draft",
                &[("id", &id.to_string())],
            )
            .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            let submit = call(
                &app,
                Some(cookie),
                "submit_customer_draft",
                &[("id", &id.to_string())],
            )
            .await;
            assert_eq!(submit.status, StatusCode::NOT_FOUND);
        }
        let customer = sign_in(&app, "customer-a@test.example").await;
        assert_eq!(
            call(&app, Some(&customer), "start_customer_draft", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

on_both!(
    the_clients_list_searches_filters_sorts_and_pages,
    |state| async move {
        let w = world(&state).await;
        // 120 more companies of reseller A, to page through.
        for i in 0..120 {
            let name = format!("Zeta {i:03}");
            sqlx::query(
            "INSERT INTO companies (kind, name, name_search, search_text, tax_id, email, reseller_id, created_at, updated_at) \
             VALUES ('customer', $1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(&name)
        .bind(name.to_lowercase())
        .bind(format!("{} 77{i:08} zeta{i}@example.test", name.to_lowercase()))
        .bind(format!("77{i:08}"))
        .bind(format!("zeta{i}@example.test"))
        .bind(w.reseller_a)
        .bind(1_000 + i as i64)
        .execute(&state.db)
        .await
        .unwrap();
        }
        let app = router(state.clone());
        let admin = sign_in(&app, "admin@test.example").await;

        // Every row exactly once across the pages, in name order.
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut fields = vec![("reseller", w.reseller_a.to_string())];
            if let Some(c) = &cursor {
                fields.push(("cursor", c.clone()));
            }
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = call(&app, Some(&admin), "list_companies", &fields).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
            for item in page["items"].as_array().unwrap() {
                seen.push(item["name"].as_str().unwrap().to_owned());
            }
            match page["next"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 121, "Alpha Foods and the 120 Zetas");
        let mut sorted = seen.clone();
        sorted.sort_by_key(|s| s.to_lowercase());
        assert_eq!(seen, sorted);

        // Search by tax id and by e-mail; the direct filter.
        let by_tax = call(
            &app,
            Some(&admin),
            "list_companies",
            &[("search", "7700000042")],
        )
        .await;
        assert!(
            by_tax.body.contains("Zeta 042") && !by_tax.body.contains("Zeta 043"),
            "{}",
            by_tax.body
        );
        let by_mail = call(
            &app,
            Some(&admin),
            "list_companies",
            &[("search", "ZETA7@EXAMPLE")],
        )
        .await;
        assert!(by_mail.body.contains("Zeta 007"));
        let direct = call(
            &app,
            Some(&admin),
            "list_companies",
            &[("reseller", "direct")],
        )
        .await;
        assert!(direct.body.contains("Direct Dairy") && !direct.body.contains("Alpha Foods"));
        // Newest first.
        let newest = call(
            &app,
            Some(&admin),
            "list_companies",
            &[("sort", "newest"), ("reseller", &w.reseller_a.to_string())],
        )
        .await;
        let page: serde_json::Value = serde_json::from_str(&newest.body).unwrap();
        assert_eq!(page["items"][0]["name"], "Alpha Foods", "created last");
        // Wildcards are literal.
        let wildcard = call(&app, Some(&admin), "list_companies", &[("search", "%")]).await;
        assert!(wildcard.body.contains("\"items\":[]"), "{}", wildcard.body);
        // Garbage filters are refused, not a 500.
        for (k, v) in [
            ("status", "everything"),
            ("sort", "price"),
            ("reseller", "x"),
            ("cursor", "n:zz"),
        ] {
            assert_eq!(
                call(&app, Some(&admin), "list_companies", &[(k, v)])
                    .await
                    .status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{k}={v}"
            );
        }
        // Only admins see deleted customers.
        let manager = sign_in(&app, "manager@test.example").await;
        assert_eq!(
            call(
                &app,
                Some(&manager),
                "list_companies",
                &[("status", "deleted")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
);

on_both!(
    outsiders_cannot_open_edit_or_delete_a_customer,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let customer_a = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;
        let b = w.company_b.to_string();

        // Reseller A and a customer of A cannot open Beta Steel (reseller B's customer)…
        assert_outsiders_refused(
            &app,
            &[&reseller_a, &customer_a, &engineer],
            "get_company",
            &[("id", &b)],
            "Beta Steel",
        )
        .await;
        // …nor delete it, even knowing its name…
        assert_outsiders_refused(
            &app,
            &[&reseller_a, &customer_a, &engineer],
            "delete_company",
            &[("id", &b), ("confirm_name", "Beta Steel")],
            "Beta Steel",
        )
        .await;
        // …nor edit it.
        for cookie in [&reseller_a, &customer_a, &engineer] {
            let reply = call_json(&app, cookie, "update_company_general", serde_json::json!({"id": w.company_b, "account": account("Hacked", "1655000009", "x@example.test")})).await;
            assert!(
                matches!(reply.status.as_u16(), 403 | 404),
                "{} {}",
                reply.status,
                reply.body
            );
        }
        let name: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
            .bind(w.company_b)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(name, "Beta Steel");
        let deleted: Option<i64> =
            sqlx::query_scalar("SELECT deleted_at FROM companies WHERE id = $1")
                .bind(w.company_b)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(deleted, None);
        // Restore is for admins.
        assert_outsiders_refused(
            &app,
            &[&reseller_a],
            "restore_company",
            &[("id", &b)],
            "Beta Steel",
        )
        .await;

        // The list of resellers (the staff's filter) is not for resellers or customers.
        for cookie in [&reseller_a, &customer_a] {
            let reply = call(&app, Some(cookie), "list_resellers", &[]).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
            assert!(!reply.body.contains("Reseller B"));
        }

        // Reseller A manages its own customer.
        let own = call(
            &app,
            Some(&reseller_a),
            "get_company",
            &[("id", &w.company_a.to_string())],
        )
        .await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("\"can_manage\":true"));
    }
);

on_both!(
    edits_validate_per_tab_and_delete_restore_keep_records,
    |state| async move {
        let w = world(&state).await;
        crate::support::ticket(&state, w.company_a, "T-9", "Kept after delete", None).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let customer = sign_in(&app, "customer-a@test.example").await;

        // General: bad e-mail refused at the field, nothing stored.
        let mut a = account("Alpha Foods Renamed", "1655000010", "bad");
        let bad = call_json(
            &app,
            &manager,
            "update_company_general",
            serde_json::json!({"id": w.company_a, "account": a}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("\"email\""));
        a["email"] = serde_json::json!("alpha@example.test");
        let ok = call_json(
            &app,
            &manager,
            "update_company_general",
            serde_json::json!({"id": w.company_a, "account": a}),
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        // Address: a Russian postal code has six digits.
        a["postal_code"] = serde_json::json!("12345");
        let bad = call_json(
            &app,
            &manager,
            "update_company_address",
            serde_json::json!({"id": w.company_a, "account": a}),
        )
        .await;
        assert!(bad.body.contains("postal_code"), "{}", bad.body);

        // Delete needs the exact name.
        let wrong = call(
            &app,
            Some(&manager),
            "delete_company",
            &[("id", &w.company_a.to_string()), ("confirm_name", "Alpha")],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = call(
            &app,
            Some(&manager),
            "delete_company",
            &[
                ("id", &w.company_a.to_string()),
                ("confirm_name", "Alpha Foods Renamed"),
            ],
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        // Its user lost access at once; its ticket is kept.
        let after = call(&app, Some(&customer), "get_me", &[]).await;
        assert_eq!(after.body, "null", "the customer's session ended");
        let tickets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE company_id = $1")
            .bind(w.company_a)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(tickets, 1);
        // Gone from the list, back after an admin restores it.
        let list = call(&app, Some(&manager), "list_companies", &[]).await;
        assert!(!list.body.contains("Alpha Foods Renamed"));
        let admin = sign_in(&app, "admin@test.example").await;
        assert_eq!(
            call(
                &app,
                Some(&admin),
                "restore_company",
                &[("id", &w.company_a.to_string())]
            )
            .await
            .status,
            StatusCode::OK
        );
        let list = call(&app, Some(&manager), "list_companies", &[]).await;
        assert!(list.body.contains("Alpha Foods Renamed"));
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE company_id = $1 ORDER BY id")
                .bind(w.company_a)
                .fetch_all(&state.db)
                .await
                .unwrap();
        assert_eq!(
            actions,
            vec![
                "customer_general_updated",
                "customer_deleted",
                "customer_restored"
            ]
        );
    }
);

on_both!(
    the_catalog_is_admin_only_and_prices_are_checked,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let admin = sign_in(&app, "admin@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        let bad = call(
            &app,
            Some(&admin),
            "create_offer",
            &[
                ("name", "Backup"),
                ("price", "-5"),
                ("currency", "RUB"),
                ("billing_period", "weekly"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("offer_price") && bad.body.contains("offer_period"),
            "{}",
            bad.body
        );
        let ok = call(
            &app,
            Some(&admin),
            "create_offer",
            &[
                ("name", "Backup"),
                ("price", "1 234,50"),
                ("currency", "RUB"),
                ("billing_period", "monthly"),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let price: i64 =
            sqlx::query_scalar("SELECT unit_price_minor FROM offers WHERE name = 'Backup'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(price, 123_450);
        assert_eq!(
            call(
                &app,
                Some(&manager),
                "create_offer",
                &[
                    ("name", "X"),
                    ("price", "1"),
                    ("currency", "RUB"),
                    ("billing_period", "monthly")
                ]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, Some(&manager), "list_offers", &[]).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

on_both!(
    a_relationship_request_links_a_customer_only_when_its_admin_accepts,
    |state| async move {
        let w = world(&state).await;
        // Beta Steel (reseller B) has an administrator on the customer's side.
        sqlx::query("UPDATE memberships SET is_company_admin = 1 WHERE user_id = $1")
            .bind(w.customer_b)
            .execute(&state.db)
            .await
            .unwrap();
        let app = router(state.clone());
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let manager = sign_in(&app, "manager@test.example").await;
        assert_eq!(
            call(
                &app,
                Some(&manager),
                "request_relationship",
                &[("company_id", &w.company_b.to_string())]
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "staff do not ask"
        );
        let sent = call(
            &app,
            Some(&reseller_a),
            "request_relationship",
            &[("company_id", &w.company_b.to_string())],
        )
        .await;
        assert_eq!(
            (sent.status, sent.body.as_str()),
            (StatusCode::OK, "1"),
            "{}",
            sent.body
        );
        let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = 'customer-b@test.example' ORDER BY id DESC LIMIT 1")
        .fetch_one(&state.db)
        .await
        .unwrap();
        let start = body.find("/relationship?token=").unwrap() + "/relationship?token=".len();
        let token = body[start..].split_whitespace().next().unwrap().to_owned();
        let shown = call(&app, None, "check_relationship", &[("token", &token)]).await;
        assert!(
            shown.body.contains("Beta Steel") && shown.body.contains("Reseller A"),
            "{}",
            shown.body
        );

        // Nobody but the company's admin decides: not the reseller, not another customer.
        let customer_a = sign_in(&app, "customer-a@test.example").await;
        for cookie in [&reseller_a, &customer_a] {
            let refused = call(
                &app,
                Some(cookie),
                "decide_relationship",
                &[("token", &token), ("accept", "true")],
            )
            .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
        }
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT reseller_id FROM companies WHERE id = $1")
                .bind(w.company_b)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(
            owner,
            Some(w.reseller_b),
            "unchanged until the admin decides"
        );

        let admin_b = sign_in(&app, "customer-b@test.example").await;
        let accepted = call(
            &app,
            Some(&admin_b),
            "decide_relationship",
            &[("token", &token), ("accept", "true")],
        )
        .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT reseller_id FROM companies WHERE id = $1")
                .bind(w.company_b)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(owner, Some(w.reseller_a));
        // The link is spent.
        assert_eq!(
            call(&app, None, "check_relationship", &[("token", &token)])
                .await
                .body,
            "null"
        );
        let again = call(
            &app,
            Some(&admin_b),
            "decide_relationship",
            &[("token", &token), ("accept", "false")],
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Reseller A now lists Beta Steel.
        let list = call(&app, Some(&reseller_a), "list_companies", &[]).await;
        assert!(list.body.contains("Beta Steel"));
    }
);
