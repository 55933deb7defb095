//! Attachments over HTTP: `POST /api/uploads` stores one file (multipart field `file`)
//! for the signed-in user and answers its id; a form then claims it. `GET /files/{id}`
//! and `/files/{id}/thumb` serve a file to those who may see its ticket (or to its
//! uploader while it is unclaimed) and to nobody else.
//!
//! A file is accepted only if its content is of a known type and matches its name's
//! extension; images get a JPEG thumbnail.

use super::db::{self, files, tickets};
use super::session::RequestContext;
use super::state::AppState;
use crate::api::tickets::UploadedFile;
use crate::domain::policy::{self, ticket_scope, Permission};
use crate::domain::validate::Problem;
use crate::error::AppError;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

/// The content type of a file whose bytes and name agree, or `None`.
pub fn sniff(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04") {
        match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => return None,
        }
    } else if !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        "text/plain"
    } else {
        return None;
    };
    let fits = match kind {
        "image/jpeg" => matches!(ext.as_str(), "jpg" | "jpeg"),
        "image/png" => ext == "png",
        "image/webp" => ext == "webp",
        "application/pdf" => ext == "pdf",
        "text/plain" => matches!(ext.as_str(), "txt" | "log" | "csv"),
        _ => true,
    };
    fits.then_some(kind)
}

/// A file name safe to store and to send back in a header: no path, no control or
/// quoting characters, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let count = cleaned.chars().count();
    if count <= 120 {
        cleaned.to_owned()
    } else {
        // Keep the extension.
        let ext = cleaned.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let head: String = cleaned.chars().take(120 - ext.len() - 1).collect();
        format!("{head}.{ext}")
    }
}

fn refusal(problem: Problem) -> Response {
    let error = AppError::field("file", problem);
    let status = match problem {
        Problem::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Problem::FileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, Json(error)).into_response()
}

pub(crate) fn error_response(error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}

fn path_of(state: &AppState, key: &str) -> std::path::PathBuf {
    std::path::Path::new(&state.config.files_dir).join(key)
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
    mut multipart: Multipart,
) -> Response {
    let actor = match policy::require(request.actor(), Permission::WorkOnTickets) {
        Ok(actor) => actor.clone(),
        Err(denied) => return error_response(denied.into()),
    };
    if request
        .session
        .as_ref()
        .and_then(|s| s.acting.as_ref())
        .is_some_and(|a| !a.can_write)
    {
        return error_response(AppError::ReadOnly);
    }
    let max = state.config.max_upload_mb * 1024 * 1024;
    let mut field = loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => break field,
            Ok(Some(_)) => continue,
            Ok(None) => return refusal(Problem::Required),
            Err(_) => {
                return refusal(Problem::FileTooLarge {
                    max_mb: state.config.max_upload_mb as u32,
                })
            }
        }
    };
    let name = clean_name(field.file_name().unwrap_or(""));
    if name.is_empty() {
        return refusal(Problem::Required);
    }
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if (bytes.len() + chunk.len()) as i64 > max {
                    return refusal(Problem::FileTooLarge {
                        max_mb: state.config.max_upload_mb as u32,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(_) => {
                return refusal(Problem::FileTooLarge {
                    max_mb: state.config.max_upload_mb as u32,
                })
            }
        }
    }
    let (content_type, key, is_image) = match store(&state, &name, &bytes).await {
        Ok(stored) => stored,
        Err(AppError::Invalid(errors)) => {
            return refusal(errors.get("file").unwrap_or(Problem::FileType))
        }
        Err(error) => return error_response(error),
    };
    let id = match files::insert(
        &state.db,
        &files::NewFile {
            uploaded_by: Some(actor.user_id),
            ticket_id: None,
            file_name: &name,
            content_type,
            size_bytes: bytes.len() as i64,
            storage_key: &key,
            now: db::now(),
        },
    )
    .await
    {
        Ok(id) => id,
        Err(error) => return error_response(error.into()),
    };
    (
        StatusCode::CREATED,
        Json(UploadedFile {
            id,
            name,
            size_bytes: bytes.len() as i64,
            is_image,
        }),
    )
        .into_response()
}

/// Writes a JPEG of at most 320 × 320 px; `false` if the picture does not decode.
fn make_thumbnail(bytes: &[u8], to: &std::path::Path) -> bool {
    let mut reader =
        match image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format() {
            Ok(reader) => reader,
            Err(_) => return false,
        };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let Ok(picture) = reader.decode() else {
        return false;
    };
    let thumb = picture.thumbnail(320, 320).to_rgb8();
    let Ok(mut out) = std::fs::File::create(to) else {
        return false;
    };
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    encoder.encode_image(&thumb).is_ok()
}

/// Stores a file's bytes under a new random key if its content is of a known type and
/// matches its name (a picture must also decode: it gets a thumbnail). Returns its
/// content type, key and whether it is a picture.
pub async fn store(
    state: &AppState,
    name: &str,
    bytes: &[u8],
) -> Result<(&'static str, String, bool), AppError> {
    if bytes.is_empty() {
        return Err(AppError::field("file", Problem::Required));
    }
    let Some(content_type) = sniff(name, bytes) else {
        return Err(AppError::field("file", Problem::FileType));
    };
    let key = super::http_util::random_token();
    let dir = std::path::PathBuf::from(&state.config.files_dir);
    let is_image = content_type.starts_with("image/");
    let stored = {
        let (dir, key, bytes) = (dir.clone(), key.clone(), bytes.to_vec());
        tokio::task::spawn_blocking(move || -> Result<bool, std::io::Error> {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join(&key), &bytes)?;
            // A picture that does not decode is refused: its name and magic lied.
            Ok(!is_image || make_thumbnail(&bytes, &dir.join(format!("{key}.thumb.jpg"))))
        })
        .await
    };
    match stored {
        Ok(Ok(true)) => Ok((content_type, key, is_image)),
        Ok(Ok(false)) => {
            let _ = std::fs::remove_file(dir.join(&key));
            Err(AppError::field("file", Problem::FileType))
        }
        _ => {
            tracing::error!("could not store an upload");
            Err(AppError::Internal)
        }
    }
}

pub async fn download(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    serve(state, request, id, false).await
}

pub async fn thumbnail(
    State(state): State<AppState>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Response {
    serve(state, request, id, true).await
}

async fn serve(state: AppState, request: RequestContext, id: i64, thumb: bool) -> Response {
    let Some(actor) = request.actor() else {
        return error_response(AppError::Unauthenticated);
    };
    let Ok(Some(file)) = files::get(&state.db, id).await else {
        return error_response(AppError::NotFound);
    };
    let allowed = match (file.ticket_id, file.equipment_id) {
        (Some(ticket_id), _) => tickets::in_scope(&state.db, &ticket_scope(actor), ticket_id)
            .await
            .unwrap_or(false),
        (None, Some(equipment_id)) => {
            db::equipment::get(&state.db, &policy::equipment_scope(actor), equipment_id)
                .await
                .is_ok_and(|found| found.is_some())
        }
        (None, None) => file.uploaded_by == Some(actor.user_id),
    };
    send(&state, &file, thumb, allowed).await
}

/// The photo of the object a label names, to anyone holding the label (its thumbnail:
/// the public page needs no more).
pub async fn public_photo(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !crate::domain::equipment::token_shaped(&token) {
        return error_response(AppError::NotFound);
    }
    let Ok(Some(object)) = db::equipment::by_token(&state.db, &token).await else {
        return error_response(AppError::NotFound);
    };
    let (Some(photo), None) = (object.photo_id, object.retired_at) else {
        return error_response(AppError::NotFound);
    };
    let Ok(Some(file)) = files::get(&state.db, photo).await else {
        return error_response(AppError::NotFound);
    };
    let allowed = file.equipment_id == Some(object.id);
    send(&state, &file, true, allowed).await
}

async fn send(state: &AppState, file: &files::FileRow, thumb: bool, allowed: bool) -> Response {
    if !allowed {
        return error_response(AppError::NotFound);
    }
    let is_image = file.content_type.starts_with("image/");
    if thumb && !is_image {
        return error_response(AppError::NotFound);
    }
    let key = if thumb {
        format!("{}.thumb.jpg", file.storage_key)
    } else {
        file.storage_key.clone()
    };
    let Ok(bytes) = tokio::fs::read(path_of(state, &key)).await else {
        return error_response(AppError::NotFound);
    };
    let content_type = if thumb {
        "image/jpeg"
    } else {
        file.content_type.as_str()
    };
    let inline = is_image || file.content_type == "application/pdf";
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline { "inline" } else { "attachment" },
        file.file_name
            .replace(|c: char| !c.is_ascii() || c == '"', "_")
    );
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(headers, header::CONTENT_TYPE, content_type);
    set(headers, header::CONTENT_DISPOSITION, &disposition);
    set(headers, header::CACHE_CONTROL, "private, max-age=3600");
    // A file is data, never a page of this site.
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    response
}

/// Removes uploads nobody claimed within a day (records and bytes).
pub async fn purge_abandoned(state: &AppState) {
    match files::take_abandoned(&state.db, db::now() - 86_400).await {
        Ok(keys) => {
            for key in keys {
                let _ = tokio::fs::remove_file(path_of(state, &key)).await;
                let _ = tokio::fs::remove_file(path_of(state, &format!("{key}.thumb.jpg"))).await;
            }
        }
        Err(error) => tracing::warn!(%error, "upload purge failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_match_the_name() {
        assert_eq!(sniff("a.png", b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff("a.jpg", b"\x89PNG\r\n\x1a\nrest"), None);
        assert_eq!(
            sniff("photo.JPEG", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff("act.pdf", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff("act.pdf", b"<script>alert(1)</script>"), None);
        assert_eq!(sniff("notes.txt", b"plain words"), Some("text/plain"));
        assert_eq!(sniff("page.html", b"<html></html>"), None);
        assert_eq!(sniff("evil.exe", b"MZ\x90\x00"), None);
        assert_eq!(sniff("noext", b"text"), None);
        assert!(sniff("sheet.xlsx", b"PK\x03\x04...").is_some());
        assert_eq!(sniff("archive.zip", b"PK\x03\x04..."), None);
    }

    #[test]
    fn names_lose_paths_and_quotes() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\photo \"1\".jpg"), "photo 1.jpg");
        assert_eq!(clean_name(".hidden.txt"), "hidden.txt");
        let long = format!("{}.pdf", "x".repeat(300));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), 120);
        assert!(cleaned.ends_with(".pdf"));
    }
}
