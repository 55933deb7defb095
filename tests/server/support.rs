//! Test support: a fresh, migrated database per test on SQLite and on PostgreSQL, small
//! fixtures, and an HTTP client that drives the real router (server functions included).

use atrium::domain::policy::{Actor, CustomerView};
use atrium::domain::role::Role;
use atrium::server::config::Config;
use atrium::server::db::{self, users};
use atrium::server::passwords;
use atrium::server::state::AppState;
use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use leptos::config::LeptosOptions;
use std::future::Future;
use std::time::Duration;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";
const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "atrium_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A throw-away PostgreSQL database, or `None` when no server is reachable and
/// PostgreSQL is not required (`ATRIUM_REQUIRE_POSTGRES=1` makes its absence a failure).
pub async fn postgres_database() -> Option<(String, String)> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyConnection::connect(PG_ADMIN_URL).await;
    let mut admin = match admin {
        Ok(conn) => conn,
        Err(error) => {
            if std::env::var("ATRIUM_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PostgreSQL is required but not reachable at {PG_ADMIN_URL}: {error}");
            }
            eprintln!("PostgreSQL not reachable ({error}); skipping the PostgreSQL run");
            return None;
        }
    };
    let name = unique_name();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    Some((
        name.clone(),
        format!("postgres://postgres@127.0.0.1:5432/{name}"),
    ))
}

pub async fn drop_postgres_database(name: &str) {
    use sqlx::Connection;
    if let Ok(mut admin) = sqlx::AnyConnection::connect(PG_ADMIN_URL).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    }
}

pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("atrium")
        .site_root("target/site")
        .build()
}

pub async fn state_for(url: &str) -> AppState {
    let config = Config::for_tests(url);
    atrium::server::build_state(leptos_options(), config)
        .await
        .expect("state")
}

/// The longest one test may run: a test that hangs (a lost wake-up, a connection never
/// returned) fails with a message instead of stalling the whole run.
const TEST_LIMIT: Duration = Duration::from_secs(240);

/// Runs the test as a task; `None` when it ran out of time (it is then aborted).
async fn run_bounded<Fut>(test: Fut) -> Option<Result<(), tokio::task::JoinError>>
where
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut task = tokio::spawn(test);
    match tokio::time::timeout(TEST_LIMIT, &mut task).await {
        Ok(outcome) => Some(outcome),
        Err(_) => {
            task.abort();
            None
        }
    }
}

/// Fails the test as its task did, after the database was cleaned up.
fn conclude(outcome: Option<Result<(), tokio::task::JoinError>>) {
    match outcome {
        None => panic!("the test did not finish within {} s", TEST_LIMIT.as_secs()),
        Some(Err(error)) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Some(Err(error)) => panic!("the test's task failed: {error}"),
        Some(Ok(())) => {}
    }
}

/// Closes the pool, without waiting forever for a connection a failed test kept.
async fn close_bounded(state: &AppState) {
    if tokio::time::timeout(Duration::from_secs(10), state.db.close())
        .await
        .is_err()
    {
        eprintln!("the pool did not close within 10 s");
    }
}

/// Runs `test` against a fresh database of the given backend, then removes it. A
/// panic inside the test still removes the database and then fails the test. A test that
/// hangs is run once more on a fresh database, loudly: a hang seen once in a full run
/// (never alone) must not hide a real failure, nor stall or fail CI by itself.
pub async fn with_backend<F, Fut>(backend: Backend, test: F)
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Errors the server logs show in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .with_test_writer()
        .try_init();
    let Some(outcome) = attempt(backend, &test).await else {
        return;
    };
    if outcome.is_none() {
        eprintln!(
            "WARNING: the test did not finish within {} s; running it once more on a fresh database",
            TEST_LIMIT.as_secs()
        );
        conclude(attempt(backend, &test).await.flatten());
        return;
    }
    conclude(outcome);
}

/// One run on a fresh database; `None` when PostgreSQL is not reachable.
async fn attempt<F, Fut>(
    backend: Backend,
    test: &F,
) -> Option<Option<Result<(), tokio::task::JoinError>>>
where
    F: Fn(AppState) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique_name());
            let url = format!("sqlite://{}/atrium.db", dir.display());
            let state = state_for(&url).await;
            let outcome = run_bounded(test(state.clone())).await;
            close_bounded(&state).await;
            let _ = std::fs::remove_dir_all(&dir);
            Some(outcome)
        }
        Backend::Postgres => {
            let (name, url) = postgres_database().await?;
            let state = state_for(&url).await;
            let outcome = run_bounded(test(state.clone())).await;
            close_bounded(&state).await;
            drop_postgres_database(&name).await;
            Some(outcome)
        }
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::support::with_backend($crate::support::Backend::Sqlite, $body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::support::with_backend($crate::support::Backend::Postgres, $body).await;
            }
        }
    };
}

/// The fixtures most tests need: two resellers, three companies, a user per role.
pub struct World {
    pub reseller_a: i64,
    pub reseller_b: i64,
    /// Company of reseller A.
    pub company_a: i64,
    /// Company of reseller B.
    pub company_b: i64,
    pub admin: i64,
    pub manager: i64,
    pub engineer: i64,
    pub reseller_user_a: i64,
    pub customer_a: i64,
    pub customer_b: i64,
}

pub async fn company(state: &AppState, name: &str, reseller: Option<i64>) -> i64 {
    let now = db::now();
    sqlx::query_scalar(
        "INSERT INTO companies (kind, name, name_search, tax_id, reseller_id, created_at, updated_at) \
         VALUES ('customer', $1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(name)
    .bind(name.to_lowercase())
    .bind(format!("TAX-{name}"))
    .bind(reseller)
    .bind(now)
    .fetch_one(&state.db)
    .await
    .expect("company")
}

/// The hash of [`PASSWORD`], computed once per test process.
async fn password_hash() -> String {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async { passwords::hash(PASSWORD.to_owned()).await.expect("hash") })
        .await
        .clone()
}

pub async fn user(
    state: &AppState,
    role: &str,
    email: &str,
    reseller: Option<i64>,
    company: Option<i64>,
) -> i64 {
    let hash = password_hash().await;
    let id = users::insert(
        &state.db,
        &users::NewUser {
            role,
            full_name: &format!("Test {role}"),
            email: Some(email),
            phone: None,
            password_hash: Some(&hash),
            language: "en",
            reseller_id: reseller,
        },
        db::now(),
    )
    .await
    .expect("user");
    if let Some(company) = company {
        users::add_membership(&state.db, id, company, false, db::now())
            .await
            .expect("membership");
    }
    id
}

pub async fn ticket(
    state: &AppState,
    company: i64,
    number: &str,
    subject: &str,
    performer: Option<i64>,
) -> i64 {
    let now = db::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (number, company_id, ticket_type, criticality, subject, description, stage, created_at, updated_at) \
         VALUES ($1, $2, 'repair', 'normal', $3, $3, 'new', $4, $4) RETURNING id",
    )
    .bind(number)
    .bind(company)
    .bind(subject)
    .bind(now)
    .fetch_one(&state.db)
    .await
    .expect("ticket");
    if let Some(user) = performer {
        sqlx::query("INSERT INTO ticket_performers (ticket_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user)
            .execute(&state.db)
            .await
            .expect("performer");
    }
    id
}

pub async fn world(state: &AppState) -> World {
    let now = db::now();
    let mut resellers = Vec::new();
    for name in ["Reseller A", "Reseller B"] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resellers (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now)
        .fetch_one(&state.db)
        .await
        .expect("reseller");
        resellers.push(id);
    }
    let company_a = company(state, "Alpha Foods", Some(resellers[0])).await;
    let company_b = company(state, "Beta Steel", Some(resellers[1])).await;
    // A direct customer (no reseller), found by name in the tests.
    company(state, "Direct Dairy", None).await;
    World {
        reseller_a: resellers[0],
        reseller_b: resellers[1],
        company_a,
        company_b,
        admin: user(state, "admin", "admin@test.example", None, None).await,
        manager: user(state, "manager", "manager@test.example", None, None).await,
        engineer: user(state, "engineer", "engineer@test.example", None, None).await,
        reseller_user_a: user(
            state,
            "reseller",
            "reseller-a@test.example",
            Some(resellers[0]),
            None,
        )
        .await,
        customer_a: user(
            state,
            "customer",
            "customer-a@test.example",
            None,
            Some(company_a),
        )
        .await,
        customer_b: user(
            state,
            "customer",
            "customer-b@test.example",
            None,
            Some(company_b),
        )
        .await,
    }
}

/// A response as a test sees it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session cookie this response sets, as a `Cookie` header value.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("atrium_sid=") && !v.starts_with("atrium_sid=;"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let what = format!("{} {}", request.method(), request.uri());
    let exchange = async {
        let response = app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 10 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    };
    tokio::pin!(exchange);
    // A request that takes this long is named in the output (a hang is then traceable).
    match tokio::time::timeout(Duration::from_secs(30), &mut exchange).await {
        Ok(reply) => reply,
        Err(_) => {
            eprintln!("WARNING: no complete answer to {what} after 30 s; still waiting");
            exchange.await
        }
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", atrium::server::http_util::query_escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Calls a server function the way the browser's JavaScript does.
pub async fn call(
    app: &Router,
    cookie: Option<&str>,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(
        app,
        request
            .body(Body::from(form_body(fields)))
            .expect("request"),
    )
    .await
}

/// Posts a form the way a browser without JavaScript does.
pub async fn post_form(
    app: &Router,
    cookie: Option<&str>,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, "http://localhost/sign-in");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(
        app,
        request
            .body(Body::from(form_body(fields)))
            .expect("request"),
    )
    .await
}

pub async fn get(app: &Router, cookie: Option<&str>, path: &str) -> Reply {
    let mut request = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::empty()).expect("request")).await
}

/// Signs in through the server function and returns the session cookie.
pub async fn sign_in(app: &Router, email: &str) -> String {
    let reply = call(
        app,
        None,
        "sign_in",
        &[("login", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "sign in as {email}: {}",
        reply.body
    );
    reply.session_cookie().expect("session cookie")
}

/// The reusable authorisation check: `endpoint` called with `fields` by each of the
/// `outsiders` must be refused (401/403/404) or, for lists, must not mention `secret`.
pub async fn assert_outsiders_refused(
    app: &Router,
    outsiders: &[&str],
    endpoint: &str,
    fields: &[(&str, &str)],
    secret: &str,
) {
    for cookie in outsiders {
        let reply = call(app, Some(cookie), endpoint, fields).await;
        let refused = matches!(reply.status.as_u16(), 401 | 403 | 404);
        assert!(
            refused || (reply.status == StatusCode::OK && !reply.body.contains(secret)),
            "{endpoint} leaked {secret:?} to an outsider: {} {}",
            reply.status,
            reply.body
        );
    }
}

/// Calls a JSON-encoded server function.
pub async fn call_json(
    app: &Router,
    cookie: &str,
    endpoint: &str,
    body: serde_json::Value,
) -> Reply {
    let request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .expect("request");
    send(app, request).await
}

/// A user as the services see them, for calling a service directly.
pub fn actor(user_id: i64, role: Role, companies: Vec<i64>) -> Actor {
    Actor {
        user_id,
        role,
        reseller_id: None,
        company_ids: companies,
        view: CustomerView::Company,
    }
}
