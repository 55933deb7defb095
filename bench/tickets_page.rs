//! Server-side rendering cost of the signed-in ticket list (a benchmark, not a test):
//! requests per second of `GET /tickets` through the whole router (session, page guard,
//! Leptos SSR with its resources), against a plain axum handler that reads the same
//! session, runs the same list query and writes the same rows as bare HTML. Both run in
//! one process, on one database, one after the other. Budget: SSR ≥ 0.33× the plain one.
//!
//!     cargo bench --features ssr --bench tickets_page

#[path = "support.rs"]
mod support;

use atrium::domain::policy::ticket_scope;
use atrium::server::db::tickets::{self as q, ListQuery, Sort, Tab};
use atrium::server::session::RequestContext;
use atrium::server::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::response::Html;
use axum::{Extension, Router};
use http::{header, Request, StatusCode};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TICKETS: i64 = 10_000;
const CONCURRENCY: usize = 8;
const WINDOW: Duration = Duration::from_secs(5);

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The baseline: the same rows, no framework around them.
async fn plain_list(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
) -> Result<Html<String>, StatusCode> {
    let actor = request.actor().ok_or(StatusCode::UNAUTHORIZED)?;
    let rows = q::list(
        &state.db,
        state.backend,
        &ticket_scope(actor),
        &ListQuery {
            user_id: actor.user_id,
            staff: actor.role.is_staff(),
            tab: Tab::All,
            sort: Sort::Newest,
            terms: vec![],
            companies: None,
            performer: None,
            stage: None,
            ticket_type: None,
            criticality: None,
            overdue: false,
            after: None,
            now: atrium::server::db::now(),
            limit: 51,
        },
    )
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let mut html = String::from("<!DOCTYPE html><html><body><table>");
    for r in rows.iter().take(50) {
        html.push_str(&format!(
            "<tr><td><a href=\"/tickets/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.id,
            escape(&r.number),
            escape(&r.subject),
            escape(&r.company_name),
            escape(r.equipment_name.as_deref().unwrap_or("")),
            escape(&r.stage),
            r.resolution_due_at.map(atrium::domain::time::format_utc).unwrap_or_default(),
            escape(r.performer.as_deref().unwrap_or("")),
        ));
    }
    html.push_str("</table></body></html>");
    Ok(Html(html))
}

/// Requests per second of `path` with `CONCURRENCY` clients over `WINDOW`.
async fn throughput(app: &Router, cookie: &str, path: &str) -> (f64, usize) {
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..CONCURRENCY {
        let (app, cookie, path) = (app.clone(), cookie.to_owned(), path.to_owned());
        clients.push(tokio::spawn(async move {
            let mut done = 0usize;
            let mut bytes = 0usize;
            while started.elapsed() < WINDOW {
                let request = Request::get(&path)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .expect("request");
                let response = app.clone().oneshot(request).await.expect("response");
                assert_eq!(response.status(), StatusCode::OK, "{path}");
                bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
                    .await
                    .expect("body")
                    .len();
                done += 1;
            }
            (done, bytes)
        }));
    }
    let mut total = 0;
    let mut size = 0;
    for client in clients {
        let (done, bytes) = client.await.expect("client");
        total += done;
        size = bytes;
    }
    (total as f64 / started.elapsed().as_secs_f64(), size)
}

#[tokio::main]
async fn main() {
    let (state, dir) = support::fresh_state("page", true).await;
    let now = atrium::server::db::now();
    support::add_manager(&state, now).await;
    let mut tx = state.db.begin().await.expect("tx");
    for c in 0..100 {
        sqlx::query("INSERT INTO companies (kind, name, name_search, created_at, updated_at) VALUES ('customer', $1, $2, $3, $3)")
            .bind(format!("Company {c}"))
            .bind(format!("company {c}"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("company");
    }
    for i in 0..TICKETS {
        sqlx::query(
            "INSERT INTO tickets (number, company_id, ticket_type, criticality, subject, description, stage, \
             resolution_due_at, created_at, updated_at) VALUES ($1, $2, 'repair', 'normal', $3, $3, 'in_work', $4, $5, $5)",
        )
        .bind(format!("T-{}", 10_000 + i))
        .bind(1 + i % 100)
        .bind(format!("Chiller <{i}> makes a knocking noise"))
        .bind(now + i * 60)
        .bind(now - i)
        .execute(&mut *tx)
        .await
        .expect("ticket");
    }
    tx.commit().await.expect("commit");

    let app = atrium::server::router(state.clone()).merge(
        Router::new()
            .route("/bench/plain-tickets", axum::routing::get(plain_list))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                atrium::server::session::layer,
            ))
            .with_state(state.clone()),
    );
    let cookie = support::manager_cookie(&app).await;

    // Warm both paths, then measure.
    throughput(&app, &cookie, "/tickets").await;
    let (plain, plain_bytes) = throughput(&app, &cookie, "/bench/plain-tickets").await;
    let (ssr, ssr_bytes) = throughput(&app, &cookie, "/tickets").await;
    // For reference: a signed-in page with almost no data of its own (the layout's cost).
    let (profile, profile_bytes) = throughput(&app, &cookie, "/profile").await;
    let ratio = ssr / plain;
    println!(
        "signed-in ticket list, {TICKETS} tickets, {CONCURRENCY} concurrent clients, {} s each",
        WINDOW.as_secs()
    );
    println!("  plain axum handler  {plain:8.0} req/s  ({plain_bytes} B)");
    println!("  Leptos SSR /tickets {ssr:8.0} req/s  ({ssr_bytes} B)");
    println!("  Leptos SSR /profile {profile:8.0} req/s  ({profile_bytes} B: the layout alone, for reference)");
    println!(
        "  ratio {ratio:.2}×  {}",
        if ratio >= 0.33 {
            "within budget (≥ 0.33×)"
        } else {
            "UNDER BUDGET"
        }
    );
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
