//! The clients list at 100,000 companies (a benchmark, not a test): p50/p95 of the first
//! page, a page deep in the list, a search, and a reseller's own list, through the same
//! service the server function calls, on SQLite (and PostgreSQL with BENCH_DATABASE_URL).
//! Budget: p95 ≤ 50 ms each on SQLite.
//!
//!     cargo bench --features ssr --bench clients_list

use atrium::domain::policy::{Actor, CustomerView};
use atrium::domain::role::Role;
use atrium::server::config::Config;
use atrium::server::services::customers::{self, ListParams};
use std::time::{Duration, Instant};

const COMPANIES: i64 = 100_000;
const RESELLERS: i64 = 50;
const RUNS: usize = 200;

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index].as_secs_f64() * 1000.0
}

async fn measure(
    name: &str,
    state: &atrium::server::state::AppState,
    actor: &Actor,
    params: ListParams<'_>,
) -> f64 {
    let mut samples = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let (page, _) = customers::list(state, actor, &params).await.expect("list");
        samples.push(started.elapsed());
        rows = page.len();
    }
    let p50 = percentile(&mut samples, 0.50);
    let p95 = percentile(&mut samples, 0.95);
    println!(
        "  {name:<34} rows {rows:>3}   p50 {p50:7.2} ms   p95 {p95:7.2} ms   {}",
        if p95 <= 50.0 { "ok" } else { "OVER BUDGET" }
    );
    p95
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("atrium-bench-{}", std::process::id()));
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.display()));
    let options = leptos::config::LeptosOptions::builder()
        .output_name("atrium")
        .build();
    let state = atrium::server::build_state(options, Config::for_tests(&url))
        .await
        .expect("database");

    let seeded = Instant::now();
    let now = atrium::server::db::now();
    let mut tx = state.db.begin().await.expect("tx");
    for r in 0..RESELLERS {
        sqlx::query("INSERT INTO resellers (name, created_at) VALUES ($1, $2)")
            .bind(format!("Reseller {r:02}"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("reseller");
    }
    let words = [
        "Альфа",
        "Beta",
        "Гамма",
        "Delta",
        "Омега",
        "Sigma",
        "Вектор",
        "Nord",
        "Восток",
        "Orion",
    ];
    for i in 0..COMPANIES {
        let name = format!(
            "{} {} {i:06}",
            words[(i % 10) as usize],
            words[((i / 10) % 10) as usize]
        );
        let tax = format!("77{i:08}");
        let email = format!("office{i}@example.test");
        sqlx::query(
            "INSERT INTO companies (kind, name, name_search, search_text, tax_id, email, phone, city, reseller_id, created_at, updated_at) \
             VALUES ('customer', $1, $2, $3, $4, $5, $6, 'Москва', $7, $8, $8)",
        )
        .bind(&name)
        .bind(name.to_lowercase())
        .bind(format!("{} {tax} {email} +7495{i:07}", name.to_lowercase()))
        .bind(&tax)
        .bind(&email)
        .bind(format!("+7495{i:07}"))
        .bind(if i % 3 == 0 { None } else { Some(1 + i % RESELLERS) })
        .bind(now - COMPANIES + i)
        .execute(&mut *tx)
        .await
        .expect("company");
    }
    tx.commit().await.expect("commit");
    // Statistics, as a live database has them (PostgreSQL's autovacuum, SQLite's ANALYZE).
    sqlx::query("ANALYZE")
        .execute(&state.db)
        .await
        .expect("analyze");
    println!(
        "seeded {COMPANIES} companies in {:.1} s ({:?})",
        seeded.elapsed().as_secs_f64(),
        state.backend
    );

    let admin = Actor {
        user_id: 1,
        role: Role::Admin,
        reseller_id: None,
        company_ids: vec![],
        view: CustomerView::Company,
    };
    let reseller = Actor {
        user_id: 2,
        role: Role::Reseller,
        reseller_id: Some(7),
        company_ids: vec![],
        view: CustomerView::Company,
    };
    // A cursor ~90% into the list by name.
    let deep: (String, i64) = sqlx::query_as(
        "SELECT name_search, id FROM companies WHERE kind = 'customer' ORDER BY name_search, id LIMIT 1 OFFSET 90000",
    )
    .fetch_one(&state.db)
    .await
    .expect("deep row");
    let deep_cursor = format!("n:{}:{}", deep.1, deep.0);

    println!("clients list, {RUNS} runs each, 50 rows a page");
    let all = ListParams {
        search: "",
        reseller: "",
        status: "",
        sort: "",
        cursor: None,
    };
    let mut worst = 0.0_f64;
    worst = worst.max(measure("first page (by name)", &state, &admin, ListParams { ..all }).await);
    worst = worst.max(
        measure(
            "deep page (row 90,000)",
            &state,
            &admin,
            ListParams {
                cursor: Some(&deep_cursor),
                ..all
            },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "newest first",
            &state,
            &admin,
            ListParams {
                sort: "newest",
                ..all
            },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "search \"омега вектор\"",
            &state,
            &admin,
            ListParams {
                search: "омега вектор",
                ..all
            },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "search tax id \"7700042\"",
            &state,
            &admin,
            ListParams {
                search: "7700042",
                ..all
            },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "search, no match",
            &state,
            &admin,
            ListParams {
                search: "zzzz-nothing",
                ..all
            },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "reseller's own list",
            &state,
            &reseller,
            ListParams { ..all },
        )
        .await,
    );
    worst = worst.max(
        measure(
            "staff filter by reseller",
            &state,
            &admin,
            ListParams {
                reseller: "7",
                ..all
            },
        )
        .await,
    );
    println!(
        "worst p95 {worst:.2} ms — budget 50 ms: {}",
        if worst <= 50.0 { "met" } else { "MISSED" }
    );
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
