//! The HTTP surface: cookies, plain-form (no JavaScript) flows, errors and status codes.

use crate::on_both;
use crate::support::{call, get, post_form, sign_in, world, PASSWORD};
use atrium::server::router;
use http::StatusCode;

on_both!(
    the_session_cookie_is_http_only_and_same_site,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let reply = call(
            &app,
            None,
            "sign_in",
            &[("login", "admin@test.example"), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        let cookie = reply
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("atrium_sid="))
            .expect("session cookie")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "plain http in tests");
        assert!(reply
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or("").starts_with("atrium_lang=en")));
    }
);

on_both!(
    a_wrong_password_answers_422_with_the_field,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let reply = call(
            &app,
            None,
            "sign_in",
            &[("login", "admin@test.example"), ("password", "nope nope")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("BadCredentials"), "{}", reply.body);
        assert!(reply.session_cookie().is_none());
    }
);

on_both!(
    sign_in_without_javascript_redirects_with_the_error_and_the_login,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let failed = post_form(
            &app,
            None,
            "sign_in",
            &[
                ("login", "admin@test.example"),
                ("password", "nope nope"),
                ("next", "/tickets"),
            ],
        )
        .await;
        assert_eq!(failed.status, StatusCode::FOUND);
        let location = failed.headers["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/sign-in?error="), "{location}");
        assert!(
            location.contains("login=admin%40test.example") && location.contains("next=%2Ftickets"),
            "{location}"
        );
        assert!(
            !location.contains("nope"),
            "the password never travels back"
        );

        let ok = post_form(
            &app,
            None,
            "sign_in",
            &[
                ("login", "admin@test.example"),
                ("password", PASSWORD),
                ("next", "/tickets"),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::FOUND);
        assert_eq!(ok.headers["location"], "/tickets");
        let cookie = ok.session_cookie().expect("cookie");
        assert_eq!(
            get(&app, Some(&cookie), "/tickets").await.status,
            StatusCode::OK
        );

        // An open redirect is not possible through `next`.
        let evil = post_form(
            &app,
            None,
            "sign_in",
            &[
                ("login", "admin@test.example"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
        assert_eq!(evil.headers["location"], "/");

        let out = post_form(&app, Some(&cookie), "sign_out", &[]).await;
        assert_eq!(out.headers["location"], "/sign-in?signed_out=1");
        let after = get(&app, Some(&cookie), "/tickets").await;
        assert_eq!(
            after.status,
            StatusCode::SEE_OTHER,
            "the old cookie no longer opens pages"
        );
    }
);

on_both!(pages_render_in_the_chosen_language, |state| async move {
    world(&state).await;
    let app = router(state.clone());
    let english = get(&app, None, "/sign-in").await;
    assert!(english.body.contains("lang=\"en\"") && english.body.contains("Sign in to Atrium"));
    let request = http::Request::get("/sign-in")
        .header("accept-language", "ru-RU,ru;q=0.9")
        .body(axum::body::Body::empty())
        .unwrap();
    let russian = crate::support::send(&app, request).await;
    assert!(
        russian.body.contains("lang=\"ru\"") && russian.body.contains("Вход в Atrium"),
        "{}",
        &russian.body[..300.min(russian.body.len())]
    );

    let cookie = sign_in(&app, "admin@test.example").await;
    let switched = call(&app, Some(&cookie), "set_language", &[("lang", "ru")]).await;
    assert_eq!(switched.status, StatusCode::OK);
    let stored: String =
        sqlx::query_scalar("SELECT language FROM users WHERE email = 'admin@test.example'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    assert_eq!(stored, "ru");
    let bad = call(&app, Some(&cookie), "set_language", &[("lang", "<script>")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
});

on_both!(
    unknown_pages_answer_404_and_malformed_calls_never_500,
    |state| async move {
        world(&state).await;
        let app = router(state.clone());
        let missing = get(&app, None, "/no/such/page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found"));

        let cookie = sign_in(&app, "admin@test.example").await;
        // Missing arguments, wrong types, garbage bodies.
        for (endpoint, fields) in [
            ("sign_in", vec![("login", "x")]),
            ("list_tickets", vec![("before", "not-a-number")]),
            ("update_profile", vec![("full_name", "x")]),
        ] {
            let reply = call(&app, Some(&cookie), endpoint, &fields).await;
            assert!(
                reply.status.is_client_error(),
                "{endpoint}: {} {}",
                reply.status,
                reply.body
            );
        }
        let huge = "x".repeat(10 * 1024);
        let reply = call(&app, None, "request_password_reset", &[("login", &huge)]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

on_both!(cross_site_posts_are_refused, |state| async move {
    world(&state).await;
    let app = router(state.clone());
    let request = http::Request::post("/api/sign_in")
        .header("host", "desk.example")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "login=admin%40test.example&password={}",
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    let reply = crate::support::send(&app, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.session_cookie().is_none());
});
