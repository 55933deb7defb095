//! Server-side time to render the act of completed work (a benchmark, not a test): an
//! act of 200 lines, printed through the whole router (session, page guard, the act's
//! server function, Leptos SSR of the print page). Budget: p95 ≤ 50 ms.
//!
//!     cargo bench --features ssr --bench act_page

#[path = "support.rs"]
mod support;

use atrium::domain::policy::{Actor, CustomerView};
use atrium::domain::role::Role;
use atrium::domain::works::LineInput;
use atrium::server::services::{acts, tickets};
use axum::body::Body;
use http::{header, Request, StatusCode};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const LINES: usize = 200;
const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let (state, dir) = support::fresh_state("act", true).await;
    let now = atrium::server::db::now();
    support::add_manager(&state, now).await;
    let manager: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'manager'")
        .fetch_one(&state.db)
        .await
        .expect("manager");
    let company: i64 = sqlx::query_scalar(
        "INSERT INTO companies (kind, name, name_search, tax_id, city, street, created_at, updated_at) \
         VALUES ('customer', 'Bench Foods', 'bench foods', '7701234567', 'Moscow', 'Tverskaya 1', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&state.db)
    .await
    .expect("company");
    let ticket: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (number, company_id, ticket_type, criticality, subject, description, stage, created_at, updated_at) \
         VALUES ('T-1', $1, 'repair', 'normal', 'Cold store refit', 'Cold store refit', 'in_work', $2, $2) RETURNING id",
    )
    .bind(company)
    .bind(now)
    .fetch_one(&state.db)
    .await
    .expect("ticket");
    let actor = Actor {
        user_id: manager,
        role: Role::Manager,
        reseller_id: None,
        company_ids: vec![],
        view: CustomerView::Company,
    };
    for i in 0..LINES {
        let line = LineInput {
            is_material: i % 4 == 0,
            work_type: String::new(),
            description: format!(
                "Line {i}: dismantled, cleaned and reassembled the <evaporator> section"
            ),
            quantity: format!("{},{}", 1 + i % 7, i % 10),
            unit: "pcs".into(),
            unit_price: format!("{},50", 100 + i * 3),
            hours: if i % 4 == 0 {
                String::new()
            } else {
                "1,5".into()
            },
            files: vec![],
        };
        acts::save_line(&state, &actor, ticket, None, &line)
            .await
            .expect("line");
    }
    let version: i64 = sqlx::query_scalar("SELECT version FROM tickets WHERE id = $1")
        .bind(ticket)
        .fetch_one(&state.db)
        .await
        .expect("version");
    tickets::move_stage(&state, &actor, ticket, version, "work_completed", "")
        .await
        .expect("work completed");
    let act: i64 = sqlx::query_scalar("SELECT id FROM acts WHERE ticket_id = $1")
        .bind(ticket)
        .fetch_one(&state.db)
        .await
        .expect("act issued");

    let app = atrium::server::router(state.clone());
    let cookie = support::manager_cookie(&app).await;
    let path = format!("/tickets/{ticket}/act/{act}/print");
    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for run in 0..RUNS + 20 {
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(
                Request::get(&path)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        let elapsed = started.elapsed();
        assert!(
            String::from_utf8_lossy(&body).contains("Line 199:"),
            "the page shows every line"
        );
        size = body.len();
        // The first runs warm caches and connections.
        if run >= 20 {
            times.push(elapsed);
        }
    }
    times.sort();
    let p95 = percentile(&times, 0.95);
    println!(
        "act print page, {LINES} lines, {RUNS} sequential requests through the router ({size} B)"
    );
    println!(
        "  p50 {:.1} ms   p95 {:.1} ms   max {:.1} ms   {}",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        if p95 <= Duration::from_millis(50) {
            "within budget (p95 ≤ 50 ms)"
        } else {
            "OVER BUDGET"
        }
    );
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
