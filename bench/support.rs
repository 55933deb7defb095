//! What the benchmarks that go through the whole router share: a fresh database, a
//! manager to sign in as, and the session cookie of that sign-in. Included by `#[path]`
//! into each benchmark.

use atrium::server::config::Config;
use atrium::server::state::AppState;
use axum::body::Body;
use http::{header, Request};
use std::path::PathBuf;
use tower::ServiceExt;

/// The application on a fresh database: SQLite in a temporary folder (returned, to be
/// removed at the end), or `BENCH_DATABASE_URL` when `env_url` allows it.
pub async fn fresh_state(name: &str, env_url: bool) -> (AppState, PathBuf) {
    let dir = std::env::temp_dir().join(format!("atrium-bench-{name}-{}", std::process::id()));
    let sqlite = format!("sqlite://{}/bench.db", dir.display());
    let url = if env_url {
        std::env::var("BENCH_DATABASE_URL").unwrap_or(sqlite)
    } else {
        sqlite
    };
    let options = leptos::config::LeptosOptions::builder()
        .output_name("atrium")
        .build();
    let state = atrium::server::build_state(options, Config::for_tests(&url))
        .await
        .expect("database");
    (state, dir)
}

const LOGIN: &str = "manager@bench.test";
const PASSWORD: &str = "bench password";

/// Adds the benchmark's manager (who sees every ticket).
pub async fn add_manager(state: &AppState, now: i64) {
    let hash = atrium::server::passwords::hash(PASSWORD.to_owned())
        .await
        .expect("hash");
    sqlx::query(
        "INSERT INTO users (role, full_name, full_name_search, email, password_hash, created_at, updated_at) \
         VALUES ('manager', 'Bench Manager', 'bench manager', $1, $2, $3, $3)",
    )
    .bind(LOGIN)
    .bind(&hash)
    .bind(now)
    .execute(&state.db)
    .await
    .expect("user");
}

/// Signs the manager in through the `sign_in` server function; returns the `Cookie` value.
#[allow(dead_code)] // not every benchmark signs in
pub async fn manager_cookie(app: &axum::Router) -> String {
    let body = format!(
        "login={}&password={}",
        LOGIN.replace('@', "%40"),
        PASSWORD.replace(' ', "+")
    );
    let signed_in = app
        .clone()
        .oneshot(
            Request::post("/api/sign_in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("sign in");
    signed_in
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{}=", atrium::server::session::SESSION_COOKIE)))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned()
}
