//! Sign-in, sessions, rate limits, password reset and change, profile — at the service
//! level, on both databases.

use crate::on_both;
use crate::support::{world, PASSWORD};
use atrium::domain::validate::Problem;
use atrium::error::AppError;
use atrium::server::db::{self, sessions};
use atrium::server::services::auth;
use atrium::server::session::{resolve, RequestContext};
use atrium::server::state::AppState;

fn anonymous(ip: &str) -> RequestContext {
    RequestContext {
        session: None,
        ip: ip.to_owned(),
        user_agent: "test".to_owned(),
    }
}

async fn signed_in(state: &AppState, login: &str) -> (String, RequestContext) {
    let signed = auth::sign_in(state, &anonymous("10.0.0.1"), login, PASSWORD)
        .await
        .expect("sign in");
    let session = resolve(state, &signed.token)
        .await
        .expect("lookup")
        .expect("live session");
    (
        signed.token,
        RequestContext {
            session: Some(session),
            ip: "10.0.0.1".into(),
            user_agent: "test".into(),
        },
    )
}

/// Messages in the outbox to `recipient`.
async fn outbox_count(state: &AppState, recipient: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1")
        .bind(recipient)
        .fetch_one(&state.db)
        .await
        .unwrap()
}

/// Waits until the outbox holds `count` messages to `recipient` (reset links are sent
/// after the answer, so that its timing reveals nothing).
async fn wait_for_outbox(state: &AppState, recipient: &str, count: i64) {
    for _ in 0..200 {
        if outbox_count(state, recipient).await >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("fewer than {count} messages to {recipient} in the outbox");
}

/// The reset link's token from the `nth` outbox message to `recipient` (the newest).
async fn reset_token_from_outbox(state: &AppState, recipient: &str, nth: i64) -> String {
    wait_for_outbox(state, recipient, nth).await;
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
            .bind(recipient)
            .fetch_one(&state.db)
            .await
            .expect("a message in the outbox");
    let start = body.find("token=").expect("link with a token") + "token=".len();
    body[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

on_both!(
    sign_in_by_email_or_phone_creates_a_session,
    |state| async move {
        let w = world(&state).await;
        sqlx::query("UPDATE users SET phone = '+79123456789' WHERE id = $1")
            .bind(w.manager)
            .execute(&state.db)
            .await
            .unwrap();

        let (token, ctx) = signed_in(&state, "Manager@Test.Example").await;
        let session = ctx.session.unwrap();
        assert_eq!(session.actor.user_id, w.manager);
        // The database holds a hash, never the token itself.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
            .bind(&token)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(stored, 0);

        let by_phone = auth::sign_in(
            &state,
            &anonymous("10.0.0.2"),
            "8 (912) 345-67-89",
            PASSWORD,
        )
        .await
        .unwrap();
        assert_ne!(by_phone.token, token, "every sign-in gets a new session id");
        assert_eq!(
            sessions::count_for_user(&state.db, w.manager)
                .await
                .unwrap(),
            2
        );
    }
);

on_both!(
    unknown_user_and_wrong_password_get_the_same_answer,
    |state| async move {
        world(&state).await;
        let wrong = auth::sign_in(
            &state,
            &anonymous("10.0.0.3"),
            "admin@test.example",
            "wrong password",
        )
        .await
        .err();
        let unknown = auth::sign_in(
            &state,
            &anonymous("10.0.0.3"),
            "nobody@test.example",
            PASSWORD,
        )
        .await
        .err();
        assert_eq!(
            wrong,
            Some(AppError::field("password", Problem::BadCredentials))
        );
        assert_eq!(wrong, unknown);
    }
);

on_both!(
    sign_in_input_is_validated_before_anything_is_looked_up,
    |state| async move {
        world(&state).await;
        let long = "x".repeat(10 * 1024);
        let cases: Vec<(&str, &str, &str, Problem)> = vec![
            ("", PASSWORD, "login", Problem::Required),
            ("admin@test.example", "", "password", Problem::Required),
            (&long, PASSWORD, "login", Problem::TooLong { max: 254 }),
            (
                "<script>alert(1)</script>",
                PASSWORD,
                "login",
                Problem::InvalidLogin,
            ),
            ("' OR 1=1 --", PASSWORD, "login", Problem::InvalidLogin),
        ];
        for (login, password, field, problem) in cases {
            let error = auth::sign_in(&state, &anonymous("10.0.0.4"), login, password)
                .await
                .err()
                .expect("refused");
            assert_eq!(error.field_problem(field), Some(problem), "{login:.20}");
        }
        // A 10 kB password is simply wrong, not an error of the server.
        let error = auth::sign_in(&state, &anonymous("10.0.0.4"), "admin@test.example", &long)
            .await
            .err();
        assert_eq!(
            error,
            Some(AppError::field("password", Problem::BadCredentials))
        );
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(sessions, 0);
    }
);

on_both!(
    sign_in_is_rate_limited_per_account_and_per_address,
    |state| async move {
        world(&state).await;
        // Five failures lock the account, even for the right password, from any address.
        for _ in 0..5 {
            let _ = auth::sign_in(
                &state,
                &anonymous("10.0.1.1"),
                "admin@test.example",
                "wrong password",
            )
            .await;
        }
        let locked = auth::sign_in(
            &state,
            &anonymous("10.0.1.2"),
            "admin@test.example",
            PASSWORD,
        )
        .await
        .err();
        assert!(
            matches!(locked, Some(AppError::RateLimited { retry_after_secs }) if retry_after_secs > 0),
            "{locked:?}"
        );
        // Another account is not affected…
        assert!(auth::sign_in(
            &state,
            &anonymous("10.0.1.2"),
            "manager@test.example",
            PASSWORD
        )
        .await
        .is_ok());
        // …but one address trying many accounts is stopped.
        for i in 0..30 {
            let _ = auth::sign_in(
                &state,
                &anonymous("10.0.1.3"),
                &format!("guess{i}@test.example"),
                "wrong password",
            )
            .await;
        }
        let blocked = auth::sign_in(
            &state,
            &anonymous("10.0.1.3"),
            "engineer@test.example",
            PASSWORD,
        )
        .await
        .err();
        assert!(
            matches!(blocked, Some(AppError::RateLimited { .. })),
            "{blocked:?}"
        );
    }
);

on_both!(
    sessions_end_when_idle_too_long_or_past_their_absolute_end,
    |state| async move {
        world(&state).await;
        let (idle_token, _) = signed_in(&state, "admin@test.example").await;
        let (old_token, _) = signed_in(&state, "admin@test.example").await;
        let (fresh_token, _) = signed_in(&state, "admin@test.example").await;
        let now = db::now();
        let idle = state.config.session_idle_minutes * 60;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now - idle - 1)
            .bind(atrium::server::http_util::token_hash(&idle_token))
            .execute(&state.db)
            .await
            .unwrap();
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
            .bind(now - 1)
            .bind(atrium::server::http_util::token_hash(&old_token))
            .execute(&state.db)
            .await
            .unwrap();
        assert!(
            resolve(&state, &idle_token).await.unwrap().is_none(),
            "idle session must end"
        );
        assert!(
            resolve(&state, &old_token).await.unwrap().is_none(),
            "expired session must end"
        );
        assert!(resolve(&state, &fresh_token).await.unwrap().is_some());
        assert!(resolve(&state, "forged-token").await.unwrap().is_none());
        assert_eq!(
            sessions::purge_expired(&state.db, now, idle).await.unwrap(),
            2
        );
    }
);

on_both!(sign_out_ends_the_session, |state| async move {
    world(&state).await;
    let (token, ctx) = signed_in(&state, "admin@test.example").await;
    auth::sign_out(&state, &ctx).await.unwrap();
    assert!(resolve(&state, &token).await.unwrap().is_none());
});

on_both!(
    disabled_users_cannot_sign_in_and_lose_their_sessions,
    |state| async move {
        let w = world(&state).await;
        let (token, _) = signed_in(&state, "customer-a@test.example").await;
        sqlx::query("UPDATE users SET is_active = 0 WHERE id = $1")
            .bind(w.customer_a)
            .execute(&state.db)
            .await
            .unwrap();
        assert!(resolve(&state, &token).await.unwrap().is_none());
        let refused = auth::sign_in(
            &state,
            &anonymous("10.0.0.9"),
            "customer-a@test.example",
            PASSWORD,
        )
        .await
        .err();
        assert_eq!(
            refused,
            Some(AppError::field("password", Problem::BadCredentials))
        );
    }
);

on_both!(
    password_reset_through_the_outbox_ends_every_session,
    |state| async move {
        world(&state).await;
        let (old_token, _) = signed_in(&state, "customer-a@test.example").await;
        auth::request_reset(&state, &anonymous("10.0.2.1"), "customer-a@test.example")
            .await
            .unwrap();
        let token = reset_token_from_outbox(&state, "customer-a@test.example", 1).await;
        assert!(auth::reset_link_is_live(&state, &token).await.unwrap());
        // The token is stored hashed.
        let plain: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(plain, 0);

        let mismatch = auth::reset_password(
            &state,
            &anonymous("10.0.2.1"),
            &token,
            "new password 1",
            "new password 2",
        )
        .await
        .err();
        assert_eq!(
            mismatch.and_then(|e| e.field_problem("confirm_password")),
            Some(Problem::Mismatch)
        );
        let short = auth::reset_password(&state, &anonymous("10.0.2.1"), &token, "short", "short")
            .await
            .err();
        assert_eq!(
            short.and_then(|e| e.field_problem("new_password")),
            Some(Problem::TooShort { min: 8 })
        );
        assert!(
            auth::reset_link_is_live(&state, &token).await.unwrap(),
            "a refused form does not use the link"
        );

        auth::reset_password(
            &state,
            &anonymous("10.0.2.1"),
            &token,
            "a brand new secret",
            "a brand new secret",
        )
        .await
        .unwrap();
        assert!(
            resolve(&state, &old_token).await.unwrap().is_none(),
            "the old session is gone"
        );
        assert!(auth::sign_in(
            &state,
            &anonymous("10.0.2.1"),
            "customer-a@test.example",
            PASSWORD
        )
        .await
        .is_err());
        assert!(auth::sign_in(
            &state,
            &anonymous("10.0.2.1"),
            "customer-a@test.example",
            "a brand new secret"
        )
        .await
        .is_ok());

        let again = auth::reset_password(
            &state,
            &anonymous("10.0.2.1"),
            &token,
            "yet another secret",
            "yet another secret",
        )
        .await
        .err();
        assert_eq!(
            again,
            Some(AppError::field("token", Problem::LinkInvalid)),
            "links work once"
        );
    }
);

on_both!(
    reset_links_expire_and_a_new_link_replaces_the_old,
    |state| async move {
        world(&state).await;
        auth::request_reset(&state, &anonymous("10.0.3.1"), "manager@test.example")
            .await
            .unwrap();
        let first = reset_token_from_outbox(&state, "manager@test.example", 1).await;
        auth::request_reset(&state, &anonymous("10.0.3.1"), "manager@test.example")
            .await
            .unwrap();
        let second = reset_token_from_outbox(&state, "manager@test.example", 2).await;
        assert_ne!(first, second);
        assert!(
            !auth::reset_link_is_live(&state, &first).await.unwrap(),
            "the older link is revoked"
        );

        sqlx::query("UPDATE auth_tokens SET expires_at = $1")
            .bind(db::now() - 1)
            .execute(&state.db)
            .await
            .unwrap();
        let expired = auth::reset_password(
            &state,
            &anonymous("10.0.3.1"),
            &second,
            "a brand new secret",
            "a brand new secret",
        )
        .await
        .err();
        assert_eq!(
            expired,
            Some(AppError::field("token", Problem::LinkInvalid))
        );
    }
);

on_both!(
    reset_requests_reveal_nothing_and_are_limited,
    |state| async move {
        world(&state).await;
        // An unknown account gets the same answer and no message.
        auth::request_reset(&state, &anonymous("10.0.4.1"), "nobody@test.example")
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(sent, 0);
        // A flood of requests for one account sends only a few links.
        for _ in 0..6 {
            auth::request_reset(&state, &anonymous("10.0.4.2"), "admin@test.example")
                .await
                .unwrap();
        }
        wait_for_outbox(&state, "admin@test.example", 3).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(outbox_count(&state, "admin@test.example").await, 3);
    }
);

on_both!(
    a_phone_login_gets_its_reset_link_by_sms,
    |state| async move {
        let w = world(&state).await;
        sqlx::query("UPDATE users SET phone = '+79001112233' WHERE id = $1")
            .bind(w.engineer)
            .execute(&state.db)
            .await
            .unwrap();
        auth::request_reset(&state, &anonymous("10.0.5.1"), "+7 900 111-22-33")
            .await
            .unwrap();
        wait_for_outbox(&state, "+79001112233", 1).await;
        let (channel, body): (String, String) =
            sqlx::query_as("SELECT channel, body FROM outbox WHERE recipient = '+79001112233'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(channel, "sms");
        assert!(body.contains("/reset-password?token="));
    }
);

on_both!(
    changing_the_password_ends_the_other_sessions_only,
    |state| async move {
        world(&state).await;
        let (other, _) = signed_in(&state, "admin@test.example").await;
        let (current, ctx) = signed_in(&state, "admin@test.example").await;
        let wrong = auth::change_password(
            &state,
            &ctx,
            "not my password",
            "new secret 123",
            "new secret 123",
        )
        .await
        .err();
        assert_eq!(
            wrong.and_then(|e| e.field_problem("current_password")),
            Some(Problem::WrongPassword)
        );
        auth::change_password(&state, &ctx, PASSWORD, "new secret 123", "new secret 123")
            .await
            .unwrap();
        assert!(resolve(&state, &other).await.unwrap().is_none());
        assert!(resolve(&state, &current).await.unwrap().is_some());
    }
);

on_both!(
    profile_updates_validate_every_field_and_store_nothing_on_error,
    |state| async move {
        let w = world(&state).await;
        let (_, ctx) = signed_in(&state, "customer-a@test.example").await;
        let before: (String, Option<String>) =
            sqlx::query_as("SELECT full_name, email FROM users WHERE id = $1")
                .bind(w.customer_a)
                .fetch_one(&state.db)
                .await
                .unwrap();

        let long = "я".repeat(10 * 1024);
        for (name, email, phone, lang, field) in [
            ("", "a@b.ru", "", "en", "full_name"),
            (long.as_str(), "a@b.ru", "", "en", "full_name"),
            ("Ольга", "not-an-email", "", "en", "email"),
            ("Ольга", "a@b.ru", "<script>", "en", "phone"),
            ("Ольга", "a@b.ru", "", "xx", "language"),
            ("Ольга", "", "", "en", "email"),
        ] {
            let result = auth::validate_profile(name, email, phone, lang);
            assert!(
                result
                    .as_ref()
                    .err()
                    .and_then(|e| e.field_problem(field))
                    .is_some(),
                "{field}: {name:.10} {email} {phone}"
            );
        }
        // Taken by someone else.
        let taken = auth::validate_profile("Ольга", "admin@test.example", "", "ru").unwrap();
        // A new e-mail needs the current password…
        let error = auth::update_profile(&state, &ctx, &taken, "").await.err();
        assert_eq!(
            error.and_then(|e| e.field_problem("profile_password")),
            Some(Problem::Required)
        );
        let error = auth::update_profile(&state, &ctx, &taken, "wrong password")
            .await
            .err();
        assert_eq!(
            error.and_then(|e| e.field_problem("profile_password")),
            Some(Problem::WrongPassword)
        );
        // …and then must not belong to someone else.
        let error = auth::update_profile(&state, &ctx, &taken, PASSWORD)
            .await
            .err();
        assert_eq!(
            error.and_then(|e| e.field_problem("email")),
            Some(Problem::Taken)
        );
        let after: (String, Option<String>) =
            sqlx::query_as("SELECT full_name, email FROM users WHERE id = $1")
                .bind(w.customer_a)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(before, after, "a refused update changes nothing");

        // Unicode, HTML and SQL metacharacters are stored as typed.
        let input = auth::validate_profile(
            "Ольга <b>O'Brien</b>; DROP TABLE users; --",
            "olga@пример.рф",
            "+98 21 1234 5678",
            "ru",
        )
        .unwrap();
        let (other_session, _) = signed_in(&state, "customer-a@test.example").await;
        auth::update_profile(&state, &ctx, &input, PASSWORD)
            .await
            .unwrap();
        assert!(
            resolve(&state, &other_session).await.unwrap().is_none(),
            "a new sign-in e-mail ends the other sessions"
        );
        assert!(
            resolve(&state, &other_session).await.unwrap().is_none(),
            "a new sign-in e-mail ends the other sessions"
        );
        let (name, email, phone, lang): (String, Option<String>, Option<String>, String) =
            sqlx::query_as("SELECT full_name, email, phone, language FROM users WHERE id = $1")
                .bind(w.customer_a)
                .fetch_one(&state.db)
                .await
                .unwrap();
        assert_eq!(name, "Ольга <b>O'Brien</b>; DROP TABLE users; --");
        assert_eq!(email.as_deref(), Some("olga@пример.рф"));
        assert_eq!(phone.as_deref(), Some("+982112345678"));
        assert_eq!(lang, "ru");
    }
);

on_both!(
    demo_data_loads_once_into_an_empty_database,
    |state| async move {
        assert!(
            atrium::server::demo::seed_if_empty(&state.db, state.backend)
                .await
                .unwrap()
        );
        assert!(
            !atrium::server::demo::seed_if_empty(&state.db, state.backend)
                .await
                .unwrap(),
            "never twice"
        );
        let stages: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT stage FROM tickets ORDER BY stage")
                .fetch_all(&state.db)
                .await
                .unwrap();
        assert_eq!(
            stages.len(),
            atrium::domain::ticket::Stage::ALL.len(),
            "a ticket in every stage"
        );
        let memberships: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'customer@atrium.demo'",
    )
    .fetch_one(&state.db)
    .await
    .unwrap();
        assert_eq!(memberships, 2, "the demo customer belongs to two companies");
        for (_, login) in atrium::server::demo::DEMO_LOGINS {
            let signed = auth::sign_in(
                &state,
                &anonymous("10.9.9.9"),
                login,
                atrium::server::demo::DEMO_PASSWORD,
            )
            .await;
            assert!(signed.is_ok(), "{login}");
        }
    }
);
