//! Everything that only runs on the server: settings, database, sessions, mail, and the
//! axum router that serves the Leptos app, its server functions and its static files.

pub mod config;
pub mod db;
pub mod demo;
pub mod files;
pub mod http_util;
pub mod mail;
pub mod passwords;
pub mod realtime;
pub mod services;
pub mod session;
pub mod state;

use crate::app::{shell, App};
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request};
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use http::header;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Builds the state: reads nothing from the environment itself (see [`run`]).
pub async fn build_state(
    leptos_options: LeptosOptions,
    config: Config,
) -> Result<AppState, Box<dyn std::error::Error>> {
    let (db, backend) = db::connect(&config.database_url).await?;
    let mailer = mail::Mailer::new(db.clone(), config.smtp_url.as_deref(), &config.mail_from)?;
    let chat: Arc<dyn realtime::ChatBus> = match backend {
        db::Backend::Postgres => realtime::PgBus::start(&config.database_url, db.clone()).await?,
        db::Backend::Sqlite => Arc::new(realtime::LocalBus::default()),
    };
    Ok(AppState {
        leptos_options,
        db,
        backend,
        config: Arc::new(config),
        mailer,
        chat,
    })
}

/// Server-function errors leave server_fn as 500s; here each gets the status of its
/// `AppError` (422 for bad input, 403 for a refusal, …), in one place for all functions.
async fn server_fn_status(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status = http::StatusCode::from_u16(error.status_code())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    axum::response::Response::from_parts(parts, Body::from(bytes))
}

/// The whole HTTP surface, without the listener (tests drive it directly).
pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let site_root = Path::new(options.site_root.as_ref()).to_path_buf();
    let routes = generate_route_list(App);

    // Hashed file names never change content: cache them for a year.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        .service(
            ServeDir::new(site_root.join(options.site_pkg_dir.as_ref()))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let public = |file: &str, cache: &'static str| {
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache),
            ))
            .service(ServeFile::new(site_root.join(file)))
    };
    let icons = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(ServeDir::new(site_root.join("icons")));

    let context_state = state.clone();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/uploads",
            post(files::upload).layer(DefaultBodyLimit::max(
                (state.config.max_upload_mb as usize + 1) * 1024 * 1024,
            )),
        )
        .route("/files/{id}", get(files::download))
        .route(
            "/api/tickets/{id}/chat/stream",
            get(services::chat::stream_handler),
        )
        .route("/files/{id}/thumb", get(files::thumbnail))
        .route("/q/{token}/photo", get(files::public_photo))
        .route(
            "/q/{token}/report",
            post(services::qr::report_handler).layer(DefaultBodyLimit::max(
                (state.config.max_upload_mb as usize + 1) * 1024 * 1024,
            )),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .nest_service("/icons", icons)
        // The service worker must be revalidated so that a new version takes over.
        .route_service("/sw.js", public("sw.js", "no-cache"))
        .route_service(
            "/manifest.webmanifest",
            public("manifest.webmanifest", "public, max-age=3600"),
        )
        .route_service("/offline.html", public("offline.html", "no-cache"))
        .route_service(
            "/favicon.ico",
            public("favicon.ico", "public, max-age=86400"),
        )
        .route_service("/robots.txt", public("robots.txt", "public, max-age=86400"))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        .layer(axum::middleware::from_fn(server_fn_status))
        // Pages and API answers carry user data: never stored by browsers or proxies
        // (static files set their own caching above and are left alone).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::layer,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Deletes expired sessions and old failure records every hour.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            let now = db::now();
            let idle = state.config.session_idle_minutes * 60;
            if let Err(error) = db::sessions::purge_expired(&state.db, now, idle).await {
                tracing::warn!(%error, "session purge failed");
            }
            if let Err(error) = db::tokens::purge_failures(&state.db, now - 86_400).await {
                tracing::warn!(%error, "failure log purge failed");
            }
            files::purge_abandoned(&state).await;
        }
    });
}

/// The server's entry point: `atrium [--demo]`.
pub async fn run() -> std::process::ExitCode {
    let started = Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let demo = std::env::args().any(|a| a == "--demo");

    let settings_file = std::env::var("ATRIUM_CONFIG").unwrap_or_else(|_| "Leptos.toml".to_owned());
    let leptos_conf = match leptos::config::get_configuration(Some(&settings_file)) {
        Ok(conf) => conf,
        Err(error) => {
            eprintln!("cannot read Leptos settings from {settings_file}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr: SocketAddr = leptos_conf.leptos_options.site_addr;
    let config = match Config::load(Path::new(&settings_file), &format!("http://{addr}")) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let state = match build_state(leptos_conf.leptos_options, config).await {
        Ok(state) => state,
        Err(error) => {
            eprintln!("cannot start: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if demo {
        match demo::seed_if_empty(&state.db, state.backend).await {
            Ok(true) => {
                if let Err(error) = demo::seed_works(&state).await {
                    eprintln!("cannot load demo works: {error:?}");
                    return std::process::ExitCode::FAILURE;
                }
                tracing::info!("demo data loaded");
            }
            Ok(false) => tracing::info!("database not empty: demo data not loaded"),
            Err(error) => {
                eprintln!("cannot load demo data: {error}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    spawn_housekeeping(state.clone());
    services::plans::spawn_scheduler(state.clone());
    services::chat::spawn_workers(state.clone());
    let public_url = state.config.public_url.clone();
    let backend = state.backend;
    let app = router(state.clone());
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {addr}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "Atrium is running at {public_url} ({backend:?}, ready in {} ms)",
        started.elapsed().as_millis()
    );
    if demo {
        println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
        for (role, login) in demo::DEMO_LOGINS {
            println!("  {role:<28} {login}");
        }
        if let Some(url) = demo::label_url(&state).await {
            println!("A demo equipment label (open it signed out to report a problem): {url}");
        }
    }
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
