//! Customer users: invitations through the outbox, acceptance, resend, disable — and who
//! may invite into which company.

use crate::on_both;
use crate::support::{call, sign_in, world};
use atrium::server::router;
use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};

async fn invite(
    app: &Router,
    cookie: &str,
    company: i64,
    name: &str,
    email: &str,
    admin: bool,
) -> crate::support::Reply {
    let body = serde_json::json!({"form": {"company_id": company, "full_name": name, "email": email, "phone": "",
        "sees": "company", "company_admin": admin, "channel": "email"}});
    let request = Request::post("/api/invite_customer_user")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap();
    crate::support::send(app, request).await
}

/// The invitation token in the newest message to `email`.
async fn token_for(state: &atrium::server::state::AppState, email: &str) -> String {
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
            .bind(email)
            .fetch_one(&state.db)
            .await
            .expect("an invitation in the outbox");
    let start = body.find("/invitation?token=").expect("a link") + "/invitation?token=".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

on_both!(
    an_invited_customer_sets_a_password_and_is_signed_in,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let reply = invite(
            &app,
            &manager,
            w.company_a,
            "Зарина Ахмедова",
            "zarina@example.test",
            false,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let token = token_for(&state, "zarina@example.test").await;

        // The link shows who is invited where; a wrong token shows nothing.
        let check = call(&app, None, "check_invitation", &[("token", &token)]).await;
        assert!(
            check.body.contains("Зарина Ахмедова") && check.body.contains("Alpha Foods"),
            "{}",
            check.body
        );
        assert_eq!(
            call(&app, None, "check_invitation", &[("token", "forged")])
                .await
                .body,
            "null"
        );

        // Until then the user cannot sign in.
        let early = call(
            &app,
            None,
            "sign_in",
            &[("login", "zarina@example.test"), ("password", "a password")],
        )
        .await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);

        let short = call(
            &app,
            None,
            "accept_invitation",
            &[
                ("token", &token),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let accepted = call(
            &app,
            None,
            "accept_invitation",
            &[
                ("token", &token),
                ("new_password", "zarina secret"),
                ("confirm_password", "zarina secret"),
            ],
        )
        .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        let cookie = accepted.session_cookie().expect("signed in");
        let me = call(&app, Some(&cookie), "get_me", &[]).await;
        assert!(
            me.body.contains("Зарина Ахмедова") && me.body.contains("Customer"),
            "{}",
            me.body
        );
        // Signed in as a customer of Alpha Foods only.
        let tickets = call(&app, Some(&cookie), "home_figures", &[]).await;
        assert_eq!(tickets.status, StatusCode::OK);

        // The link works once.
        let again = call(
            &app,
            None,
            "accept_invitation",
            &[
                ("token", &token),
                ("new_password", "other secret"),
                ("confirm_password", "other secret"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("LinkInvalid"));
    }
);

on_both!(
    only_those_who_manage_a_company_invite_into_it,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let customer_a = sign_in(&app, "customer-a@test.example").await;
        let engineer = sign_in(&app, "engineer@test.example").await;

        // Reseller A into reseller B's customer: refused; into its own: fine.
        let refused = invite(
            &app,
            &reseller_a,
            w.company_b,
            "Intruder",
            "intruder@example.test",
            false,
        )
        .await;
        assert!(
            matches!(refused.status.as_u16(), 403 | 404),
            "{}",
            refused.status
        );
        assert_eq!(
            invite(
                &app,
                &reseller_a,
                w.company_a,
                "Own",
                "own@example.test",
                false
            )
            .await
            .status,
            StatusCode::OK
        );
        // An engineer or an ordinary customer user may not invite at all.
        assert!(matches!(
            invite(&app, &engineer, w.company_a, "X", "x1@example.test", false)
                .await
                .status
                .as_u16(),
            403 | 404
        ));
        assert!(matches!(
            invite(
                &app,
                &customer_a,
                w.company_a,
                "X",
                "x2@example.test",
                false
            )
            .await
            .status
            .as_u16(),
            403 | 404
        ));
        // A customer who administers the company invites colleagues there — and only there.
        sqlx::query("UPDATE memberships SET is_company_admin = 1 WHERE user_id = $1")
            .bind(w.customer_a)
            .execute(&state.db)
            .await
            .unwrap();
        assert_eq!(
            invite(
                &app,
                &customer_a,
                w.company_a,
                "Colleague",
                "colleague@example.test",
                false
            )
            .await
            .status,
            StatusCode::OK
        );
        assert!(matches!(
            invite(
                &app,
                &customer_a,
                w.company_b,
                "X",
                "x3@example.test",
                false
            )
            .await
            .status
            .as_u16(),
            403 | 404
        ));
        let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email IN ('intruder@example.test', 'x1@example.test', 'x2@example.test', 'x3@example.test')")
        .fetch_one(&state.db)
        .await
        .unwrap();
        assert_eq!(leaked, 0, "nothing was created by a refused invitation");
        // A staff account's e-mail cannot be taken over as a customer.
        let taken = invite(
            &app,
            &reseller_a,
            w.company_a,
            "Admin?",
            "admin@test.example",
            false,
        )
        .await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

on_both!(
    resend_replaces_the_link_and_disable_ends_access,
    |state| async move {
        let w = world(&state).await;
        let app = router(state.clone());
        let manager = sign_in(&app, "manager@test.example").await;
        let reply = invite(
            &app,
            &manager,
            w.company_a,
            "Pending",
            "pending@example.test",
            false,
        )
        .await;
        let user: i64 = reply.body.parse().unwrap();
        let first = token_for(&state, "pending@example.test").await;
        let resent = call(
            &app,
            Some(&manager),
            "resend_invitation",
            &[
                ("company_id", &w.company_a.to_string()),
                ("user_id", &user.to_string()),
            ],
        )
        .await;
        assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
        let second = token_for(&state, "pending@example.test").await;
        assert_ne!(first, second);
        assert_eq!(
            call(&app, None, "check_invitation", &[("token", &first)])
                .await
                .body,
            "null",
            "the old link stopped working"
        );

        // Disabling a signed-in customer ends their session; enabling lets them back.
        let customer = sign_in(&app, "customer-a@test.example").await;
        let off = call(
            &app,
            Some(&manager),
            "set_user_active",
            &[
                ("company_id", &w.company_a.to_string()),
                ("user_id", &w.customer_a.to_string()),
                ("active", "false"),
            ],
        )
        .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
        assert_eq!(
            call(&app, Some(&customer), "get_me", &[]).await.body,
            "null"
        );
        let refused = call(
            &app,
            None,
            "sign_in",
            &[
                ("login", "customer-a@test.example"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        call(
            &app,
            Some(&manager),
            "set_user_active",
            &[
                ("company_id", &w.company_a.to_string()),
                ("user_id", &w.customer_a.to_string()),
                ("active", "true"),
            ],
        )
        .await;
        sign_in(&app, "customer-a@test.example").await;

        // A reseller cannot disable another reseller's customer's user.
        let reseller_a = sign_in(&app, "reseller-a@test.example").await;
        let other = call(
            &app,
            Some(&reseller_a),
            "set_user_active",
            &[
                ("company_id", &w.company_b.to_string()),
                ("user_id", &w.customer_b.to_string()),
                ("active", "false"),
            ],
        )
        .await;
        assert!(matches!(other.status.as_u16(), 403 | 404));
        let active: i64 =
            sqlx::query_scalar("SELECT CAST(is_active AS BIGINT) FROM users WHERE id = $1")
                .bind(w.customer_b)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(active, 1);
    }
);
