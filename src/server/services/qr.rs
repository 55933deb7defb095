//! The public side of an equipment label: the page anyone who scans it may open (the
//! object's public passport, nothing private of the customer), reporting a problem
//! without an account (a ticket with source "QR"), registering through the label (an
//! account that sees only the objects scanned) and adding an object by scanning it while
//! signed in.
//!
//! No CAPTCHA: a honeypot field (a bot that fills it is told "thank you" and nothing is
//! stored) and rate limits per address and per label, counted in the database so that
//! they hold across instances.

use crate::api::equipment::{LabelState, OpenTicket, PublicLabel};
use crate::domain::equipment::{token_shaped, Kind, RegisterInput, ReportInput};
use crate::domain::policy::{equipment_scope, ticket_scope, Actor, CustomerView};
use crate::domain::role::Role;
use crate::domain::sla::{self, TicketTerms};
use crate::domain::ticket::Criticality;
use crate::domain::validate::{Login, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{self, equipment as q, files, tickets};
use crate::server::http_util::{random_token, token_hash};
use crate::server::services::{auth, notify, tickets::Source};
use crate::server::session::RequestContext;
use crate::server::state::AppState;

/// Reports one address may send in ten minutes, and one label may take in an hour.
pub const REPORTS_PER_ADDRESS: i64 = 5;
pub const REPORTS_PER_LABEL: i64 = 20;
/// Registrations one address may start in an hour.
pub const REGISTRATIONS_PER_ADDRESS: i64 = 5;
/// How long a confirmation link lives.
pub const CONFIRM_HOURS: i64 = 48;

async fn limit(
    state: &AppState,
    bucket: &str,
    key: &str,
    window: i64,
    max: i64,
) -> Result<(), AppError> {
    let now = db::now();
    if q::recent_events(&state.db, bucket, key, now - window).await? >= max {
        return Err(AppError::RateLimited {
            retry_after_secs: window,
        });
    }
    Ok(())
}

async fn live_object(state: &AppState, token: &str) -> Result<q::PublicRow, AppError> {
    if !token_shaped(token) {
        return Err(AppError::NotFound);
    }
    match q::by_token(&state.db, token).await? {
        Some(o) if o.retired_at.is_none() => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// What the page at a label's address shows. An unknown (or rotated) token and a retired
/// object are answers, not errors: the page explains them. A QR-registered customer who
/// scans a live label while signed in gets the object added to what they see.
pub async fn public_view(
    state: &AppState,
    actor: Option<&Actor>,
    token: &str,
) -> Result<PublicLabel, AppError> {
    let found = if token_shaped(token) {
        q::by_token(&state.db, token).await?
    } else {
        None
    };
    let Some(o) = found else {
        return Ok(PublicLabel::gone(LabelState::Unknown));
    };
    if o.retired_at.is_some() {
        return Ok(PublicLabel::gone(LabelState::Retired));
    }
    let mut added = false;
    if let Some(actor) =
        actor.filter(|a| a.role == Role::Customer && a.view == CustomerView::Scanned)
    {
        added = add_scanned(state, actor.user_id, o.id, o.company_id).await?;
    }
    // The scope is read from the database, so an object just added is already in it.
    let passport = match actor {
        Some(actor) => q::get(&state.db, &equipment_scope(actor), o.id)
            .await?
            .map(|_| o.id),
        None => None,
    };
    let open_ticket = match q::open_ticket(&state.db, o.id).await? {
        Some((id, number, stage)) => {
            let link = match actor {
                Some(actor) => tickets::in_scope(&state.db, &ticket_scope(actor), id)
                    .await?
                    .then_some(id),
                None => None,
            };
            Some(OpenTicket {
                number,
                stage,
                link,
            })
        }
        None => None,
    };
    Ok(PublicLabel {
        state: LabelState::Live,
        name: o.name,
        kind: Kind::from_code(&o.kind).unwrap_or_default(),
        class: o.class,
        location: o.location,
        company: o.company,
        has_photo: o.photo_id.is_some(),
        open_ticket,
        signed_in: actor.is_some(),
        passport,
        added,
    })
}

/// Adds an object (and, if new to them, its company) to a QR-registered user's view.
async fn add_scanned(
    state: &AppState,
    user_id: i64,
    equipment_id: i64,
    company_id: i64,
) -> Result<bool, AppError> {
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let added = q::add_scanned(&mut tx, user_id, equipment_id, now).await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, company_id, is_company_admin, created_at) VALUES ($1, $2, 0, $3) \
         ON CONFLICT (user_id, company_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(company_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// A photo sent with a report: its original name and bytes.
pub struct Photo {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// "Report a problem": files a ticket with source QR for the label's object. Returns the
/// ticket's number, or `None` when the honeypot caught a bot (nothing is stored).
pub async fn report(
    state: &AppState,
    ip: &str,
    token: &str,
    input: &ReportInput,
    photo: Option<Photo>,
) -> Result<Option<String>, AppError> {
    let object = live_object(state, token).await?;
    if input.is_bot() {
        tracing::info!(ip, "QR report refused by the honeypot");
        return Ok(None);
    }
    limit(state, "qr_report_ip", ip, 600, REPORTS_PER_ADDRESS).await?;
    limit(state, "qr_report_label", token, 3600, REPORTS_PER_LABEL).await?;
    let checked = input.check().map_err(AppError::Invalid)?;
    let stored = match &photo {
        Some(p) => {
            let (content_type, key, is_image) =
                crate::server::files::store(state, &p.name, &p.bytes)
                    .await
                    .map_err(|e| match e {
                        AppError::Invalid(_) => AppError::field("photo", Problem::FileType),
                        other => other,
                    })?;
            if !is_image {
                return Err(AppError::field("photo", Problem::FileType));
            }
            Some((content_type, key, p.bytes.len() as i64))
        }
        None => None,
    };
    let now = db::now();
    q::record_event(&state.db, "qr_report_ip", ip, now).await?;
    q::record_event(&state.db, "qr_report_label", token, now).await?;

    let criticality = Criticality::Normal.code();
    let rules = tickets::sla_rules(&state.db, None).await?;
    let rule = sla::choose(
        &rules,
        &TicketTerms {
            contract_id: None,
            ticket_type: "repair",
            criticality,
            work_type: None,
        },
    );
    let deadlines = rule.map(|r| sla::deadlines(r, now));
    let subject = checked.subject();
    let reporter = checked.reporter();
    let mut tx = state.db.begin().await?;
    let (id, number) = tickets::insert(
        &mut tx,
        state.backend,
        &tickets::NewTicket {
            company_id: object.company_id,
            equipment_id: Some(object.id),
            contract_id: None,
            created_by: None,
            ticket_type: "repair",
            criticality,
            work_type: None,
            subject: &subject,
            description: &checked.description,
            contact: Some(&reporter),
            source: Source::Qr.code(),
            reaction_due_at: deadlines.map(|d| d.reaction_due_at),
            resolution_due_at: deadlines.map(|d| d.resolution_due_at),
            sla_rule_name: rule.map(|r| r.name.as_str()),
            plan_id: None,
            fields: &[],
            attachments: &[],
            performers: &[],
            now,
        },
    )
    .await?;
    if let (Some((content_type, key, size)), Some(p)) = (&stored, &photo) {
        files::insert(
            &mut *tx,
            &files::NewFile {
                uploaded_by: None,
                ticket_id: Some(id),
                file_name: &crate::server::files::clean_name(&p.name),
                content_type,
                size_bytes: *size,
                storage_key: key,
                now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    let dispatchers = db::notifications::dispatchers(&state.db).await?;
    notify::ticket_event(state, id, None, notify::Kind::Filed, "", &dispatchers).await;
    Ok(Some(number))
}

/// Starts a registration through a label: nothing is created until the link sent to the
/// e-mail or phone is opened. Returns where the link went (`None` for a bot).
pub async fn register(
    state: &AppState,
    ip: &str,
    token: &str,
    input: &RegisterInput,
    locale: Locale,
) -> Result<Option<String>, AppError> {
    let object = live_object(state, token).await?;
    if !input.website.trim().is_empty() {
        return Ok(None);
    }
    limit(state, "qr_register_ip", ip, 3600, REGISTRATIONS_PER_ADDRESS).await?;
    let checked = input.check().map_err(AppError::Invalid)?;
    let (email, phone) = match &checked.login {
        Login::Email(e) => (Some(e.as_str()), None),
        Login::Phone(p) => (None, Some(p.as_str())),
    };
    let base = state.config.public_url.trim_end_matches('/').to_owned();
    let tr = locale.tr().equipment;
    let now = db::now();
    // An address that already has an account is told so by its own channel, and the
    // page answers as for a new one: nobody learns who is registered.
    if db::users::find_by_contact(&state.db, email, phone)
        .await?
        .is_some()
    {
        q::record_event(&state.db, "qr_register_ip", ip, now).await?;
        let link = format!(
            "{base}/sign-in?next={}",
            crate::domain::url::query_escape(&format!("/q/{token}"))
        );
        send(
            state,
            &checked.login,
            tr.mail_exists_subject,
            &tr.mail_exists_body.replace("{link}", &link),
            &tr.sms_exists_body.replace("{link}", &link),
        )
        .await?;
        return Ok(Some(checked.login.as_str().to_owned()));
    }
    let Some(hash) = crate::server::passwords::hash(checked.password.clone()).await else {
        return Err(AppError::Internal);
    };
    q::record_event(&state.db, "qr_register_ip", ip, now).await?;
    let secret = random_token();
    q::insert_registration(
        &state.db,
        &q::NewRegistration {
            token_hash: &token_hash(&secret),
            equipment_id: object.id,
            full_name: &checked.name,
            email,
            phone,
            password_hash: &hash,
            language: locale.code(),
            now,
            expires_at: now + CONFIRM_HOURS * 3600,
        },
    )
    .await?;
    let link = format!("{base}/register/confirm?token={secret}");
    let body = tr
        .mail_confirm_body
        .replace("{name}", &checked.name)
        .replace("{object}", &object.name)
        .replace("{link}", &link);
    send(
        state,
        &checked.login,
        tr.mail_confirm_subject,
        &body,
        &tr.sms_confirm_body.replace("{link}", &link),
    )
    .await?;
    Ok(Some(checked.login.as_str().to_owned()))
}

/// A message by the channel of the login: e-mail, or SMS to a phone.
async fn send(
    state: &AppState,
    to: &Login,
    subject: &str,
    mail_body: &str,
    sms_body: &str,
) -> Result<(), AppError> {
    match to {
        Login::Email(address) => {
            state.mailer.send_email(address, subject, mail_body).await?;
        }
        Login::Phone(number) => {
            state.mailer.send_sms(number, sms_body).await?;
        }
    }
    Ok(())
}

/// Opens a confirmation link: creates the account (a customer who sees only the scanned
/// object), signs it in and returns the session and the object's id.
pub async fn confirm(
    state: &AppState,
    request: &RequestContext,
    secret: &str,
) -> Result<(auth::SignedIn, i64), AppError> {
    let invalid = || AppError::field("token", Problem::LinkInvalid);
    if secret.is_empty() || secret.len() > 100 {
        return Err(invalid());
    }
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let Some(r) = q::take_registration(&mut tx, &token_hash(secret), now).await? else {
        return Err(invalid());
    };
    let company: Option<(i64,)> = sqlx::query_as(
        "SELECT e.company_id FROM equipment e JOIN companies c ON c.id = e.company_id \
         WHERE e.id = $1 AND e.retired_at IS NULL AND c.deleted_at IS NULL",
    )
    .bind(r.equipment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((company_id,)) = company else {
        return Err(invalid());
    };
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (role, full_name, full_name_search, email, phone, password_hash, language, \
            ticket_scope, created_at, updated_at) \
         VALUES ('customer', $1, $2, $3, $4, $5, $6, 'scanned', $7, $7) RETURNING id",
    )
    .bind(&r.full_name)
    .bind(r.full_name.to_lowercase())
    .bind(&r.email)
    .bind(&r.phone)
    .bind(&r.password_hash)
    .bind(&r.language)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let user_id = match inserted {
        Ok(id) => id,
        // Someone took the address between the form and the link.
        Err(e)
            if db::is_unique_violation(&e, "users_by_email")
                || db::is_unique_violation(&e, "users_by_phone") =>
        {
            return Err(AppError::field("token", Problem::Taken));
        }
        Err(e) => return Err(e.into()),
    };
    sqlx::query("INSERT INTO memberships (user_id, company_id, is_company_admin, created_at) VALUES ($1, $2, 0, $3)")
        .bind(user_id)
        .bind(company_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    q::add_scanned(&mut tx, user_id, r.equipment_id, now).await?;
    tx.commit().await?;
    let signed_in = auth::open_session(state, request, user_id, now).await?;
    Ok((signed_in, r.equipment_id))
}

/// `POST /q/{token}/report`: the public page's report form (multipart: `description`,
/// `name`, `contact`, the honeypot `website`, an optional `photo`). Answers with a
/// redirect back to the page: with the ticket's number, or with the error and what was
/// typed, so that nothing is lost.
pub async fn report_handler(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::Extension(request): axum::Extension<RequestContext>,
    axum::extract::Path(token): axum::extract::Path<String>,
    mut multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use crate::domain::url::query_escape;
    use axum::response::{IntoResponse, Redirect};
    let page = format!("/q/{}", query_escape(&token));
    let mut input = ReportInput::default();
    let mut photo = None;
    let mut too_large = false;
    let max = state.config.max_upload_mb as usize * 1024 * 1024;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                if name == "photo" {
                    let file_name = field.file_name().unwrap_or("").to_owned();
                    match field.bytes().await {
                        Ok(bytes) if bytes.len() > max => too_large = true,
                        Ok(bytes) if !bytes.is_empty() && !file_name.is_empty() => {
                            photo = Some(Photo {
                                name: file_name,
                                bytes: bytes.to_vec(),
                            })
                        }
                        Ok(_) => {}
                        Err(_) => too_large = true,
                    }
                    continue;
                }
                let Ok(text) = field.text().await else {
                    too_large = true;
                    continue;
                };
                match name.as_str() {
                    "description" => input.description = text,
                    "name" => input.name = text,
                    "contact" => input.contact = text,
                    "website" => input.website = text,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let outcome = if too_large {
        Err(AppError::field(
            "photo",
            Problem::FileTooLarge {
                max_mb: state.config.max_upload_mb as u32,
            },
        ))
    } else {
        report(&state, &request.ip, &token, &input, photo).await
    };
    let target = match outcome {
        Ok(Some(number)) => format!("{page}?reported={}", query_escape(&number)),
        Ok(None) => format!("{page}?reported="),
        Err(AppError::NotFound) => page,
        Err(error) => {
            let keep = |v: &str| query_escape(&v.chars().take(REPORT_KEEP).collect::<String>());
            format!(
                "{page}?error={}&description={}&name={}&contact={}#report",
                query_escape(&serde_json::to_string(&error).unwrap_or_default()),
                keep(&input.description),
                keep(&input.name),
                keep(&input.contact),
            )
        }
    };
    Redirect::to(&target).into_response()
}

/// How much of each field a refused report sends back to the page (a valid value is
/// shorter).
const REPORT_KEEP: usize = crate::domain::equipment::REPORT_MAX + 1;
