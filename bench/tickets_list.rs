//! Ticket lists at 1,000 and at 100,000 tickets over 1,000 companies (a benchmark, not a
//! test): p95 of the first page and of a deep page of each tab, and of a full-text
//! search, for a dispatcher (every company) and for a customer (one company), through the
//! query the server function runs. SQLite by default; PostgreSQL with BENCH_DATABASE_URL.
//! Budget: p95 ≤ 50 ms, and at most 2× from 1k to 100k.
//!
//! Every measured page is full (51 rows) at both sizes, so the two sizes compare the
//! same work; a deep page is 80 % down the whole list (or its last full page): the customer's company holds half of all tickets, and the dispatcher and
//! the customer each have favourites and tickets of their own at 1k already. Each
//! query runs a few times before it is timed, so that the pool's connections have
//! prepared it (a first preparation is not what a list costs). The queries run one
//! after another on a single-threaded runtime, so that what is timed is the query and
//! not the scheduler handing it between worker threads.
//!
//!     cargo bench --features ssr --bench tickets_list

use atrium::domain::policy::{ticket_scope, Actor, CustomerView};
use atrium::domain::role::Role;
use atrium::server::config::Config;
use atrium::server::db::tickets::{self as q, ListQuery, Sort, Tab};
use std::time::{Duration, Instant};

const COMPANIES: i64 = 1_000;
const RUNS: usize = 200;
const WARM_UP: usize = 16;
const STAGES: [&str; 7] = [
    "new",
    "approval",
    "in_work",
    "work_completed",
    "done",
    "closed",
    "refused",
];
const WORDS: [&str; 8] = [
    "chiller",
    "лифт",
    "pump",
    "насос",
    "boiler",
    "генератор",
    "leak",
    "шум",
];

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

async fn p95(
    state: &atrium::server::state::AppState,
    who: &Actor,
    query: &ListQuery,
) -> (f64, usize) {
    let scope = ticket_scope(who);
    for _ in 0..WARM_UP {
        q::list(&state.db, state.backend, &scope, query)
            .await
            .expect("list");
    }
    let mut samples = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        rows = q::list(&state.db, state.backend, &scope, query)
            .await
            .expect("list")
            .len();
        samples.push(started.elapsed());
    }
    (percentile(&mut samples, 0.95), rows)
}

async fn seed(state: &atrium::server::state::AppState, from: i64, to: i64, customer_company: i64) {
    let now = atrium::server::db::now();
    let mut tx = state.db.begin().await.expect("tx");
    for i in from..to {
        let company = if i % 2 == 0 {
            customer_company
        } else {
            1 + (i * 7919) % COMPANIES
        };
        let stage = STAGES[(i % 7) as usize];
        let word = WORDS[((i / 10 + i) % 8) as usize];
        let subject = format!("{word} issue {i}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (number, company_id, ticket_type, criticality, subject, description, stage, created_by, \
             resolution_due_at, created_at, updated_at) VALUES ($1, $2, 'repair', 'normal', $3, $4, $5, $8, $6, $7, $7) RETURNING id",
        )
        .bind(format!("T-{}", 100_000 + i))
        .bind(company)
        .bind(&subject)
        .bind(format!("{subject}: reported by the site, details follow"))
        .bind(stage)
        .bind(now + (i % 500) * 3_600)
        .bind(now - (to - i))
        // The customer files their company's tickets; the dispatcher files the rest.
        .bind(if company == customer_company { 3 } else { 1 })
        .fetch_one(&mut *tx)
        .await
        .expect("ticket");
        // The engineer (2) performs a third of the tickets, the dispatcher (1) another;
        // the customer (3) and the dispatcher mark one in eight as favourites.
        let performer = match i % 3 {
            0 => Some(2),
            1 => Some(1),
            _ => None,
        };
        if let Some(user) = performer {
            sqlx::query("INSERT INTO ticket_performers (ticket_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await
                .expect("performer");
        }
        let fan = match i % 8 {
            0 => Some(3),
            5 => Some(1),
            _ => None,
        };
        if let Some(user) = fan {
            sqlx::query("INSERT INTO favourites (user_id, ticket_id) VALUES ($1, $2)")
                .bind(user)
                .bind(id)
                .execute(&mut *tx)
                .await
                .expect("favourite");
        }
        q::reindex(&mut tx, state.backend, id).await.expect("index");
    }
    tx.commit().await.expect("commit");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("atrium-bench-tickets-{}", std::process::id()));
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.display()));
    let options = leptos::config::LeptosOptions::builder()
        .output_name("atrium")
        .build();
    let state = atrium::server::build_state(options, Config::for_tests(&url))
        .await
        .expect("database");
    let now = atrium::server::db::now();
    for c in 0..COMPANIES {
        sqlx::query("INSERT INTO companies (kind, name, name_search, created_at, updated_at) VALUES ('customer', $1, $2, $3, $3)")
            .bind(format!("Company {c}"))
            .bind(format!("company {c}"))
            .bind(now)
            .execute(&state.db)
            .await
            .expect("company");
    }
    for (role, email) in [
        ("manager", "m@bench"),
        ("engineer", "e@bench"),
        ("customer", "c@bench"),
    ] {
        sqlx::query("INSERT INTO users (role, full_name, full_name_search, email, created_at, updated_at) VALUES ($1, $2, $2, $2, $3, $3)")
            .bind(role)
            .bind(email)
            .bind(now)
            .execute(&state.db)
            .await
            .expect("user");
    }
    let customer_company = 42;
    let manager = Actor {
        user_id: 1,
        role: Role::Manager,
        reseller_id: None,
        company_ids: vec![],
        view: CustomerView::Company,
    };
    let customer = Actor {
        user_id: 3,
        role: Role::Customer,
        reseller_id: None,
        company_ids: vec![customer_company],
        view: CustomerView::Company,
    };

    let mut seeded = 0;
    let mut first_round: Vec<f64> = Vec::new();
    println!(
        "ticket lists on {}",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    for size in [1_000_i64, 100_000] {
        let started = Instant::now();
        seed(&state, seeded, size, customer_company).await;
        seeded = size;
        // A database that grew to this size over months has had its write-ahead log
        // folded back long ago; fold the bulk load's now, as SQLite would in time.
        if !url.starts_with("postgres") {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&state.db)
                .await
                .expect("checkpoint");
        }
        println!(
            "\n{size} tickets (seeded in {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        let mut round = Vec::new();
        for (who_name, who) in [("dispatcher", &manager), ("customer", &customer)] {
            for (tab_name, tab) in [
                ("mine", Tab::Mine),
                ("approval", Tab::Approval),
                ("all", Tab::All),
                ("favourites", Tab::Favourites),
                ("archive", Tab::Archive),
            ] {
                let mut query = ListQuery {
                    user_id: who.user_id,
                    staff: who.role.is_staff(),
                    tab,
                    sort: Sort::Newest,
                    terms: vec![],
                    companies: None,
                    performer: None,
                    stage: None,
                    ticket_type: None,
                    criticality: None,
                    overdue: false,
                    after: None,
                    now,
                    limit: 51,
                };
                let (first, rows) = p95(&state, who, &query).await;
                // A deep page: 80 % down the whole list, or its last full page.
                let every = q::list(
                    &state.db,
                    state.backend,
                    &ticket_scope(who),
                    &ListQuery {
                        limit: 1_000_000,
                        ..query.clone()
                    },
                )
                .await
                .expect("whole list");
                let at = (every.len() * 8 / 10).min(every.len().saturating_sub(52));
                query.after = Some((0, every[at].id));
                let (deep, deep_rows) = p95(&state, who, &query).await;
                println!(
                    "  {who_name:<10} {tab_name:<10} of {:>6}  first p95 {first:6.2} ms ({rows} rows)  deep p95 {deep:6.2} ms ({deep_rows} rows after #{at})",
                    every.len()
                );
                round.push(first.max(deep));
            }
            let query = ListQuery {
                user_id: who.user_id,
                staff: who.role.is_staff(),
                tab: Tab::All,
                sort: Sort::Newest,
                terms: q::search_terms("лифт"),
                companies: None,
                performer: None,
                stage: None,
                ticket_type: None,
                criticality: None,
                overdue: false,
                after: None,
                now,
                limit: 51,
            };
            let (search, rows) = p95(&state, who, &query).await;
            let deadline = ListQuery {
                terms: vec![],
                sort: Sort::Deadline,
                ..query.clone()
            };
            let (by_deadline, _) = p95(&state, who, &deadline).await;
            println!("  {who_name:<10} search                p95 {search:6.2} ms ({rows} rows)  by deadline p95 {by_deadline:6.2} ms");
            round.push(search.max(by_deadline));
        }
        let worst = round.iter().cloned().fold(0.0, f64::max);
        println!(
            "  worst p95 {worst:.2} ms  {}",
            if worst <= 50.0 {
                "within 50 ms"
            } else {
                "OVER BUDGET"
            }
        );
        if first_round.is_empty() {
            first_round = round;
        } else {
            let growth = round
                .iter()
                .zip(&first_round)
                .map(|(b, a)| b / a.max(0.05))
                .fold(0.0, f64::max);
            println!(
                "  worst growth 1k → 100k: {growth:.2}×  {}",
                if growth <= 2.0 {
                    "within 2×"
                } else {
                    "OVER 2×"
                }
            );
        }
    }
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
