//! The session layer: resolves the cookie to a user once per request, guards pages by
//! the policy, and refuses cross-site form posts.

use super::db::{self, sessions};
use super::http_util::{client_ip, cookie, set_cookie, token_hash, CookieSpec};
use super::state::AppState;
use crate::domain::policy::{self, Actor, CustomerView, Page};
use crate::domain::role::Role;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, Method, StatusCode};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "atrium_sid";

/// Refresh `last_seen_at` at most this often (saves a write per request).
const TOUCH_EVERY_SECS: i64 = 60;

/// The signed-in user of a request. While staff "log in as" a customer, `actor` and the
/// personal fields are the customer's and `acting` names the real person.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    pub id_hash: String,
    pub actor: Actor,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub acting: Option<Acting>,
}

/// Who is really behind a session that acts as a customer, and on what terms.
#[derive(Clone, Debug)]
pub struct Acting {
    pub by: Actor,
    pub by_name: String,
    pub reason: String,
    pub can_write: bool,
    pub until: i64,
}

/// What every handler and server function may know about the request.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub session: Option<CurrentSession>,
    pub ip: String,
    pub user_agent: String,
}

impl RequestContext {
    pub fn actor(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.actor)
    }
}

/// Loads the live session behind a cookie token, if any.
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<CurrentSession>, sqlx::Error> {
    let id_hash = token_hash(token);
    let now = db::now();
    let idle = state.config.session_idle_minutes * 60;
    let Some(user) = sessions::lookup(&state.db, &id_hash, now, idle).await? else {
        return Ok(None);
    };
    if now - user.last_seen_at >= TOUCH_EVERY_SECS {
        sessions::touch(&state.db, &id_hash, now).await?;
    }
    let Some(real) = actor_of(
        state,
        user.user_id,
        &user.role,
        user.reseller_id,
        &user.ticket_scope,
    )
    .await?
    else {
        return Ok(None);
    };
    // Acting as a customer, while the visit lasts and the customer can still sign in.
    if let (Some(target), Some(until)) = (user.acting_as_user_id, user.acting_until) {
        if until > now {
            if let Some(row) = db::users::actor_row(&state.db, target)
                .await?
                .filter(|r| r.is_active == 1)
            {
                if let Some(actor) =
                    actor_of(state, row.id, &row.role, row.reseller_id, &row.ticket_scope).await?
                {
                    return Ok(Some(CurrentSession {
                        id_hash,
                        actor,
                        full_name: row.full_name,
                        email: row.email,
                        phone: row.phone,
                        language: user.language,
                        acting: Some(Acting {
                            by: real,
                            by_name: user.full_name,
                            reason: user.acting_reason.unwrap_or_default(),
                            can_write: user.acting_can_write == 1,
                            until,
                        }),
                    }));
                }
            }
        }
        // The visit is over: back to the real user.
        sessions::stop_acting(&state.db, &id_hash).await?;
    }
    Ok(Some(CurrentSession {
        id_hash,
        actor: real,
        full_name: user.full_name,
        email: user.email,
        phone: user.phone,
        language: user.language,
        acting: None,
    }))
}

/// The policy's view of an active user, for work done outside a request (notices).
pub async fn actor_by_id(state: &AppState, user_id: i64) -> Result<Option<Actor>, sqlx::Error> {
    match db::users::actor_row(&state.db, user_id)
        .await?
        .filter(|r| r.is_active == 1)
    {
        Some(row) => actor_of(state, row.id, &row.role, row.reseller_id, &row.ticket_scope).await,
        None => Ok(None),
    }
}

async fn actor_of(
    state: &AppState,
    user_id: i64,
    role: &str,
    reseller_id: Option<i64>,
    ticket_scope: &str,
) -> Result<Option<Actor>, sqlx::Error> {
    let Some(role) = Role::from_code(role) else {
        tracing::error!(user_id, role, "unknown role in database");
        return Ok(None);
    };
    let company_ids = if role == Role::Customer {
        db::users::company_ids(&state.db, user_id).await?
    } else {
        vec![]
    };
    Ok(Some(Actor {
        user_id,
        role,
        reseller_id,
        company_ids,
        // An unknown value narrows to the strictest view rather than widening.
        view: CustomerView::from_code(ticket_scope).unwrap_or(CustomerView::Scanned),
    }))
}

/// Pages anyone may open.
fn is_public_page(path: &str) -> bool {
    matches!(path, "/sign-in" | "/forgot-password" | "/reset-password")
}

pub fn session_cookie(state: &AppState, token: &str) -> String {
    set_cookie(&CookieSpec {
        name: SESSION_COOKIE,
        value: token,
        max_age_secs: state.config.session_absolute_hours * 3600,
        http_only: true,
        secure: state.config.secure_cookies,
    })
}

pub fn clear_session_cookie(state: &AppState) -> String {
    set_cookie(&CookieSpec {
        name: SESSION_COOKIE,
        value: "",
        max_age_secs: 0,
        http_only: true,
        secure: state.config.secure_cookies,
    })
}

/// A POST from another site is refused (defence in depth on top of `SameSite=Lax`): by
/// `Sec-Fetch-Site` where the browser sends it, else by `Origin` (where `null`, sent by
/// sandboxed frames and some redirects, counts as foreign).
fn cross_site_post(request: &Request) -> bool {
    if request.method() != Method::POST {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    origin == "null" || origin_host != host
}

/// Files that need no session: build output, icons, the PWA's files, the health check.
fn is_static_path(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js"
                | "/manifest.webmanifest"
                | "/offline.html"
                | "/favicon.ico"
                | "/robots.txt"
                | "/healthz"
        )
}

pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_static_path(request.uri().path()) && request.method() == Method::GET {
        return next.run(request).await;
    }
    if cross_site_post(&request) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_ip(request.headers(), peer, state.config.trust_forwarded_for);
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(256)
        .collect::<String>();
    let token = cookie(request.headers(), SESSION_COOKIE).filter(|t| !t.is_empty());
    let session = match &token {
        Some(token) => match resolve(&state, token).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
                    .into_response();
            }
        },
        None => None,
    };
    let stale_cookie = token.is_some() && session.is_none();

    let path = request.uri().path().to_owned();
    let is_page_view = request.method() == Method::GET || request.method() == Method::HEAD;
    let page = Page::from_path(&path);
    let mut forbidden = false;
    if is_page_view {
        if page.is_some() {
            match &session {
                None => {
                    let next_path = request
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str())
                        .unwrap_or("/");
                    let mut target = format!(
                        "/sign-in?next={}",
                        super::http_util::query_escape(next_path)
                    );
                    if stale_cookie {
                        target.push_str("&expired=1");
                    }
                    return with_cleared_cookie(
                        Redirect::to(&target).into_response(),
                        &state,
                        stale_cookie,
                    );
                }
                Some(session) => forbidden = !policy::path_allowed(session.actor.role, &path),
            }
        } else if is_public_page(&path) && path == "/sign-in" && session.is_some() {
            return Redirect::to("/").into_response();
        }
    }

    // Everything done while acting as a customer is recorded with both identities.
    let acting_call = match (&session, request.method() == Method::POST) {
        (
            Some(CurrentSession {
                acting: Some(acting),
                actor,
                ..
            }),
            true,
        ) if path.starts_with("/api/") => Some((
            acting.by.user_id,
            actor.user_id,
            path.trim_start_matches("/api/").to_owned(),
            ip.clone(),
        )),
        _ => None,
    };
    request.extensions_mut().insert(RequestContext {
        session,
        ip,
        user_agent,
    });
    let mut response = next.run(request).await;
    if let Some((by, on_behalf_of, endpoint, ip)) = acting_call {
        if endpoint != "get_me" {
            let detail = format!("{endpoint}: {}", response.status().as_u16());
            let entry = db::audit::Entry {
                actor_user_id: Some(by),
                on_behalf_of_user_id: Some(on_behalf_of),
                action: "acting_call",
                detail: Some(&detail),
                ip: Some(&ip),
                ..Default::default()
            };
            if let Err(error) = db::audit::record(&state.db, &entry, db::now()).await {
                tracing::error!(%error, "cannot record an action taken while acting as a customer");
            }
        }
    }
    if forbidden && response.status().is_success() {
        *response.status_mut() = StatusCode::FORBIDDEN;
    }
    with_cleared_cookie(response, &state, stale_cookie)
}

/// Drops a cookie that names no live session, unless the response sets a new one.
fn with_cleared_cookie(mut response: Response, state: &AppState, clear: bool) -> Response {
    let sets_new = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| {
            v.to_str()
                .is_ok_and(|v| v.starts_with(&format!("{SESSION_COOKIE}=")))
        });
    if clear && !sets_new {
        if let Ok(value) = clear_session_cookie(state).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
