//! QR labels (a benchmark, not a test): the time to generate one label's QR code as SVG,
//! and the server time of the public page a label leads to (`GET /q/{token}` through the
//! whole router: session layer, the public server function, Leptos SSR), signed out, for
//! an object among 1,000 with an open ticket. Budget: p95 ≤ 20 ms each.
//!
//!     cargo bench --features ssr --bench qr

#[path = "support.rs"]
mod support;

use atrium::domain::equipment::{EquipmentInput, Kind};
use atrium::domain::policy::{Actor, CustomerView};
use atrium::domain::role::Role;
use atrium::server::services::equipment;
use axum::body::Body;
use http::{header, Request, StatusCode};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const OBJECTS: usize = 1_000;
const RUNS: usize = 300;
const BUDGET: Duration = Duration::from_millis(20);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let p95 = percentile(times, 0.95);
    println!(
        "{what}\n  p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms   {}",
        percentile(times, 0.5).as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        if p95 <= BUDGET {
            "within budget (p95 ≤ 20 ms)"
        } else {
            "OVER BUDGET"
        }
    );
}

#[tokio::main]
async fn main() {
    // The code alone: a label's address, as long as a real one.
    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for run in 0..RUNS + 20 {
        let url = format!("https://service.example.com/q/{}", equipment::new_token());
        let started = Instant::now();
        let svg = equipment::qr_svg(&url).expect("svg");
        let elapsed = started.elapsed();
        size = svg.len();
        if run >= 20 {
            times.push(elapsed);
        }
    }
    report(
        &format!("QR code as SVG, {RUNS} labels ({size} B each)"),
        &mut times,
    );

    let (state, dir) = support::fresh_state("qr", true).await;
    let now = atrium::server::db::now();
    support::add_manager(&state, now).await;
    let manager: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'manager'")
        .fetch_one(&state.db)
        .await
        .expect("manager");
    let actor = Actor {
        user_id: manager,
        role: Role::Manager,
        reseller_id: None,
        company_ids: vec![],
        view: CustomerView::Company,
    };
    let company: i64 = sqlx::query_scalar(
        "INSERT INTO companies (kind, name, name_search, created_at, updated_at) \
         VALUES ('customer', 'Bench Hotels', 'bench hotels', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&state.db)
    .await
    .expect("company");
    let mut last = 0;
    for i in 0..OBJECTS {
        last = equipment::save(
            &state,
            &actor,
            None,
            &EquipmentInput {
                company_id: company,
                kind: Kind::Unit.code().into(),
                name: format!("Fan coil unit {i:04}"),
                class: "HVAC".into(),
                location: format!("Floor {}, room {}", i / 40, i % 40),
                ..Default::default()
            },
        )
        .await
        .expect("object");
    }
    sqlx::query(
        "INSERT INTO tickets (number, company_id, equipment_id, ticket_type, criticality, subject, description, stage, created_at, updated_at) \
         VALUES ('T-1', $1, $2, 'repair', 'normal', 'Noisy fan', 'Noisy fan', 'new', $3, $3)",
    )
    .bind(company)
    .bind(last)
    .bind(now)
    .execute(&state.db)
    .await
    .expect("ticket");
    let token: String = sqlx::query_scalar("SELECT qr_token FROM equipment WHERE id = $1")
        .bind(last)
        .fetch_one(&state.db)
        .await
        .expect("token");

    let app = atrium::server::router(state.clone());
    let path = format!("/q/{token}");
    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for run in 0..RUNS + 20 {
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(
                Request::get(&path)
                    .header(header::ACCEPT, "text/html")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
            .await
            .expect("body");
        let elapsed = started.elapsed();
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("Fan coil unit 0999") && text.contains("T-1"),
            "the page shows the object and its open ticket"
        );
        size = body.len();
        if run >= 20 {
            times.push(elapsed);
        }
    }
    report(
        &format!(
            "public QR page, signed out, {OBJECTS} objects, {RUNS} sequential requests through the router ({size} B)"
        ),
        &mut times,
    );
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
