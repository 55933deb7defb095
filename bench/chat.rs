//! Ticket chat under load (a benchmark, not a test), on SQLite:
//!
//! 1. sustained messages per second posted through the `post_message` server function
//!    (whole router: session, policy, validation, transaction, fan-out), by 8 clients,
//!    to one ticket and spread over ten; budget ≥ 1,000/s;
//! 2. with 1,000 open event streams on one ticket and 100 on ten others, over real TCP
//!    connections to a real listener, the delay from posting a message to its arrival on
//!    every stream of its ticket, p50 and p99; budget p99 ≤ 100 ms;
//! 3. the process's resident memory per open stream (server and client ends together,
//!    since both live in this process: an upper bound for the server's share).
//!
//!     cargo bench --features ssr --bench chat

#[path = "support.rs"]
mod support;

use atrium::server::state::AppState;
use axum::body::Body;
use http::{header, Request, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tower::ServiceExt;

const CLIENTS: usize = 8;
const WINDOW: Duration = Duration::from_secs(5);
const HOT_STREAMS: usize = 1_000;
const OTHER_STREAMS: usize = 100;
const PROBES: usize = 40;

async fn sql(state: &AppState, text: &str) -> i64 {
    sqlx::query_scalar(text)
        .fetch_one(&state.db)
        .await
        .expect(text)
}

fn rss_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Two descriptors per stream (both ends live here): lift the soft limit.
fn raise_open_files() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain libc calls with a valid pointer to a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max.min(65_536);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn post(app: &axum::Router, cookie: &str, ticket: i64, key: &str, body: &str) -> StatusCode {
    let payload = serde_json::json!({ "ticket_id": ticket, "client_key": key, "body": body });
    let request = Request::post("/api/post_message")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(payload.to_string()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let _ = axum::body::to_bytes(response.into_body(), 1 << 20).await;
    status
}

/// Messages per second posted by `CLIENTS` clients over `WINDOW`, to `tickets`.
async fn throughput(app: &axum::Router, cookie: &str, tickets: &[i64], label: &str) -> f64 {
    let started = Instant::now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (app, cookie, tickets) = (app.clone(), cookie.to_owned(), tickets.to_vec());
        let label = label.to_owned();
        clients.push(tokio::spawn(async move {
            let mut done = 0usize;
            while started.elapsed() < WINDOW {
                let ticket = tickets[(c + done) % tickets.len()];
                let key = format!("bench-{label}-{c}-{done}");
                let status = post(
                    &app,
                    &cookie,
                    ticket,
                    &key,
                    "Load test message: the chiller is fine now.",
                )
                .await;
                assert_eq!(status, StatusCode::OK, "post failed");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for client in clients {
        total += client.await.expect("client");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// Opens an event stream over TCP and reports, for every message, how long after its
/// posting (written into its text) it arrived.
async fn open_stream(
    addr: SocketAddr,
    cookie: String,
    ticket: i64,
    origin: Instant,
    delays: Arc<Mutex<Vec<f64>>>,
    ready: Arc<AtomicUsize>,
) {
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET /api/tickets/{ticket}/chat/stream HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut lines = BufReader::new(socket).lines();
    let mut counted = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if !counted && line.starts_with(':') && line.contains("ready") {
            counted = true;
            ready.fetch_add(1, Ordering::SeqCst);
        }
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        let Ok(message) = serde_json::from_str::<serde_json::Value>(data) else {
            continue;
        };
        if let Some(sent) = message["body"]
            .as_str()
            .and_then(|b| b.strip_prefix("probe "))
            .and_then(|micros| micros.parse::<u64>().ok())
        {
            let now = origin.elapsed().as_micros() as u64;
            delays
                .lock()
                .expect("delays")
                .push(now.saturating_sub(sent) as f64 / 1_000.0);
        }
    }
}

#[tokio::main]
async fn main() {
    raise_open_files();
    let (state, dir) = support::fresh_state("chat", false).await;
    let now = atrium::server::db::now();
    support::add_manager(&state, now).await;
    let company = sql(
        &state,
        "INSERT INTO companies (kind, name, name_search, created_at, updated_at) VALUES ('customer', 'Bench Co', 'bench co', 0, 0) RETURNING id",
    )
    .await;
    let mut tickets = Vec::new();
    for i in 0..21 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (number, company_id, ticket_type, criticality, subject, description, stage, created_at, updated_at) \
             VALUES ($1, $2, 'repair', 'normal', 'Bench', 'Bench', 'in_work', 0, 0) RETURNING id",
        )
        .bind(format!("T-{}", 50_000 + i))
        .bind(company)
        .fetch_one(&state.db)
        .await
        .expect("ticket");
        tickets.push(id);
    }
    let app = atrium::server::router(state.clone());
    let cookie = support::manager_cookie(&app).await;

    // 1. Posting.
    throughput(&app, &cookie, &tickets[..1], "warm").await;
    let one = throughput(&app, &cookie, &tickets[1..2], "one").await;
    let ten = throughput(&app, &cookie, &tickets[1..11], "ten").await;
    let stored = sql(&state, "SELECT COUNT(*) FROM messages").await;

    // 2. and 3. Streams over real connections.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = app.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            served.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve")
    });
    let hot = tickets[11];
    let others = &tickets[12..];
    let origin = Instant::now();
    let delays = Arc::new(Mutex::new(Vec::new()));
    let ready = Arc::new(AtomicUsize::new(0));
    let rss_before = rss_kib();
    let mut streams = Vec::new();
    for i in 0..HOT_STREAMS + OTHER_STREAMS {
        let ticket = if i < HOT_STREAMS {
            hot
        } else {
            others[i % others.len()]
        };
        streams.push(tokio::spawn(open_stream(
            addr,
            cookie.clone(),
            ticket,
            origin,
            delays.clone(),
            ready.clone(),
        )));
        if i % 100 == 99 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let opening = Instant::now();
    while ready.load(Ordering::SeqCst) < HOT_STREAMS + OTHER_STREAMS
        && opening.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let open = ready.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after = rss_kib();
    let subscribers = state.chat.subscribers();

    for i in 0..PROBES {
        let sent = origin.elapsed().as_micros();
        let status = post(
            &app,
            &cookie,
            hot,
            &format!("bench-probe-{i}"),
            &format!("probe {sent}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Traffic on the other tickets meanwhile.
        let other = others[i % others.len()];
        post(
            &app,
            &cookie,
            other,
            &format!("bench-side-{i}"),
            "side traffic",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waiting = Instant::now();
    while delays.lock().expect("delays").len() < HOT_STREAMS * PROBES
        && waiting.elapsed() < Duration::from_secs(15)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut sorted = delays.lock().expect("delays").clone();
    sorted.sort_by(f64::total_cmp);

    println!(
        "chat on SQLite ({CLIENTS} clients, {} s windows)",
        WINDOW.as_secs()
    );
    println!("  posting, one ticket        {one:>8.0} messages/s   (budget >= 1000)");
    println!("  posting, ten tickets       {ten:>8.0} messages/s   (budget >= 1000)");
    println!("  messages stored            {stored:>8}");
    println!(
        "  streams open               {open:>8} of {} ({} subscriptions)",
        HOT_STREAMS + OTHER_STREAMS,
        subscribers
    );
    println!(
        "  deliveries                 {:>8} of {} ({} probes x {HOT_STREAMS} streams)",
        sorted.len(),
        HOT_STREAMS * PROBES,
        PROBES
    );
    println!(
        "  delivery delay p50         {:>8.1} ms",
        percentile(&sorted, 50.0)
    );
    println!(
        "  delivery delay p99         {:>8.1} ms   (budget <= 100)",
        percentile(&sorted, 99.0)
    );
    println!(
        "  delivery delay max         {:>8.1} ms",
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "  resident memory per stream {:>8.1} KiB (both ends, {} KiB -> {} KiB)",
        (rss_after - rss_before) as f64 / open.max(1) as f64,
        rss_before,
        rss_after
    );
    let met = one >= 1_000.0 && ten >= 1_000.0 && percentile(&sorted, 99.0) <= 100.0;
    println!("  budgets {}", if met { "met" } else { "MISSED" });
    for stream in streams {
        stream.abort();
    }
    state.db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
