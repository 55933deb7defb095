//! The equipment registry and its QR labels: saving an object (its company, parent and
//! photo checked against the caller's scope), retiring, rotating the label token, the
//! label sheet, and the QR code itself (SVG, from the `qrcode` crate).
//!
//! The public side of a label — the page anyone may open, reporting a problem and
//! registering through it — is in `services::qr`.

use crate::api::equipment::{Label, PassportPage};
use crate::domain::equipment::{EquipmentFilter, EquipmentInput, EquipmentRow, Kind, Passport};
use crate::domain::policy::{self, equipment_scope, ticket_scope, Actor, Permission};
use crate::domain::validate::{FieldErrors, Problem};
use crate::error::AppError;
use crate::server::db::{self, equipment as q};
use crate::server::state::AppState;

pub const PAGE_SIZE: i64 = 50;
/// The most labels one sheet prints.
pub const LABELS_MAX: usize = 240;

/// A new label token: 128 random bits, URL-safe (22 characters keep the code small).
pub fn new_token() -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The address a label's code holds.
pub fn label_url(state: &AppState, token: &str) -> String {
    format!(
        "{}/q/{token}",
        state.config.public_url.trim_end_matches('/')
    )
}

/// The QR code of a text as an SVG element (no XML prologue: it is inlined in pages).
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    use qrcode::{EcLevel, QrCode};
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        tracing::error!(error = %e, "QR code cannot hold the text");
        AppError::Internal
    })?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    Ok(match image.find("<svg") {
        Some(start) => image[start..].to_owned(),
        None => image,
    })
}

fn row(r: q::ListRow) -> EquipmentRow {
    let path = [r.grandparent_name, r.parent_name]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" › ");
    EquipmentRow {
        id: r.id,
        kind: Kind::from_code(&r.kind).unwrap_or_default(),
        name: r.name,
        name_key: r.name_search,
        path,
        company_id: r.company_id,
        company: r.company,
        class: r.class,
        model: r.model,
        serial_number: r.serial_number,
        location: r.location,
        open_tickets: r.open_tickets,
        retired: r.retired != 0,
    }
}

/// One page of the registry as the actor may see it.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &EquipmentFilter,
) -> Result<(Vec<EquipmentRow>, bool), AppError> {
    let scope = equipment_scope(actor);
    let mut rows = q::list(
        &state.db,
        &q::ListQuery {
            scope: &scope,
            search: filter.search.chars().take(200).collect::<String>().as_str(),
            company_id: filter.company_id,
            class: &filter.class,
            kind: Kind::from_code(&filter.kind).map_or("", Kind::code),
            parent_id: filter.parent_id,
            retired: filter.retired,
            after: filter.after.as_ref().map(|(n, id)| (n.as_str(), *id)),
            limit: PAGE_SIZE + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let scanned = matches!(scope, policy::EquipmentScope::Scanned(_));
    Ok((
        rows.into_iter()
            .map(|r| {
                let mut r = row(r);
                // The places around a scanned object are not theirs to see.
                if scanned {
                    r.path.clear();
                }
                r
            })
            .collect(),
        more,
    ))
}

/// The object, if the actor's scope reaches it; otherwise "not found".
pub async fn load(state: &AppState, actor: &Actor, id: i64) -> Result<q::PassportRow, AppError> {
    q::get(&state.db, &equipment_scope(actor), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the actor may change objects of this company (and of its reseller).
fn may_manage(actor: &Actor, row: &q::PassportRow) -> bool {
    policy::allowed(actor, Permission::ManageEquipment)
        && policy::can_manage_company(actor, row.reseller_id)
}

/// The passport page: the object, its place in the tree, children, tickets, contracts
/// and, for those who manage it, its label.
pub async fn passport(state: &AppState, actor: &Actor, id: i64) -> Result<PassportPage, AppError> {
    let r = load(state, actor, id).await?;
    // Someone who sees only what they scanned sees neither the places around an object
    // nor what is inside it.
    let scanned = matches!(equipment_scope(actor), policy::EquipmentScope::Scanned(_));
    let path = if scanned {
        Vec::new()
    } else {
        q::ancestors(&state.db, r.parent_id).await?
    };
    let children = if scanned {
        Vec::new()
    } else {
        q::children(&state.db, id)
            .await?
            .into_iter()
            .map(|(id, kind, name)| (id, Kind::from_code(&kind).unwrap_or_default(), name))
            .collect()
    };
    let tickets = q::tickets_of(&state.db, &ticket_scope(actor), id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.number, t.subject, t.stage, t.created_at))
        .collect();
    let contracts = q::contracts_covering(&state.db, r.company_id, id).await?;
    let manage = may_manage(actor, &r);
    let (qr, url) = if manage {
        let url = label_url(state, &r.qr_token);
        (Some(qr_svg(&url)?), Some(url))
    } else {
        (None, None)
    };
    Ok(PassportPage {
        passport: Passport {
            id: r.id,
            kind: Kind::from_code(&r.kind).unwrap_or_default(),
            name: r.name,
            company_id: r.company_id,
            company: r.company,
            parent_id: r.parent_id,
            path,
            class: r.class,
            model: r.model,
            manufacturer: r.manufacturer,
            serial_number: r.serial_number,
            installed_on: r.installed_on,
            warranty_until: r.warranty_until,
            location: r.location,
            notes: r.notes,
            photo_id: r.photo_id,
            retired_at: r.retired_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        },
        children,
        tickets,
        contracts,
        can_manage: manage,
        can_file: policy::allowed(actor, Permission::FileTicket) && r.retired_at.is_none(),
        qr_svg: qr,
        qr_url: url,
    })
}

/// Creates (`id` empty) or changes an object. Returns its id.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    input: &EquipmentInput,
) -> Result<i64, AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    let existing = match id {
        Some(id) => {
            let r = load(state, actor, id).await?;
            if !may_manage(actor, &r) {
                return Err(AppError::NotFound);
            }
            Some(r)
        }
        None => None,
    };
    let (checked, mut errors) = FieldErrors::split(input.check());
    // The company: the object's own (it never moves between customers), or one the actor
    // manages.
    let company_id = match &existing {
        Some(r) => r.company_id,
        None => input.company_id,
    };
    if existing.is_none() && input.company_id > 0 {
        let usable = db::companies::get(&state.db, input.company_id)
            .await?
            .is_some_and(|c| {
                c.deleted_at.is_none()
                    && policy::can_see_company(actor, c.id, c.reseller_id)
                    && policy::can_manage_company(actor, c.reseller_id)
            });
        if !usable {
            errors.add("company", Problem::UnknownChoice);
        }
    }
    if let Some(parent) = input.parent_id {
        match q::parent_of_choice(&state.db, parent).await? {
            Some((parent_company, kind, retired))
                if parent_company == company_id && !retired && Some(parent) != id =>
            {
                let parent_kind = Kind::from_code(&kind).unwrap_or_default();
                if let Some(c) = &checked {
                    if !c.kind.fits_under(parent_kind) {
                        errors.add("parent", Problem::ParentLevel);
                    }
                }
            }
            _ => errors.add("parent", Problem::UnknownChoice),
        }
    }
    // A site or room keeps only children of a lower level than it becomes.
    if let (Some(r), Some(c)) = (&existing, &checked) {
        let children = q::children(&state.db, r.id).await?;
        if children
            .iter()
            .any(|(_, kind, _)| !Kind::from_code(kind).unwrap_or_default().fits_under(c.kind))
        {
            errors.add("kind", Problem::ParentLevel);
        }
    }
    if let Some(photo) = input.photo_id {
        if !q::photo_usable(&state.db, photo, actor.user_id, id).await? {
            errors.add("photo", Problem::UnknownChoice);
        }
    }
    let checked = match checked {
        Some(c) if errors.is_empty() => c,
        _ => return Err(AppError::Invalid(errors)),
    };
    let now = db::now();
    let change = q::Change {
        company_id,
        parent_id: input.parent_id,
        object: &checked,
        photo_id: input.photo_id,
        now,
    };
    let mut tx = state.db.begin().await?;
    let id = match id {
        Some(id) => {
            q::update(&mut tx, id, &change).await?;
            id
        }
        None => q::insert(&mut tx, &change, &new_token()).await?,
    };
    if let Some(photo) = input.photo_id {
        q::claim_photo(&mut tx, photo, id).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Retires an object (its label then says so) or puts it back in service.
pub async fn set_retired(
    state: &AppState,
    actor: &Actor,
    id: i64,
    retire: bool,
) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    let r = load(state, actor, id).await?;
    if !may_manage(actor, &r) {
        return Err(AppError::NotFound);
    }
    let now = db::now();
    if retire {
        if !q::children(&state.db, id).await?.is_empty() {
            return Err(AppError::field("retire", Problem::HasChildren));
        }
        q::set_retired(&state.db, id, Some(r.retired_at.unwrap_or(now)), now).await?;
    } else {
        if let Some(parent) = r.parent_id {
            if q::parent_of_choice(&state.db, parent)
                .await?
                .is_some_and(|(_, _, retired)| retired)
            {
                return Err(AppError::field("retire", Problem::ParentLevel));
            }
        }
        q::set_retired(&state.db, id, None, now).await?;
    }
    Ok(())
}

/// A new token for the object's label: the old labels stop working at once.
pub async fn rotate(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    let r = load(state, actor, id).await?;
    if !may_manage(actor, &r) {
        return Err(AppError::NotFound);
    }
    q::rotate(&state.db, id, &new_token(), db::now()).await?;
    db::audit::record(
        &state.db,
        &db::audit::Entry {
            actor_user_id: Some(actor.user_id),
            action: "qr_rotated",
            detail: Some(&format!("equipment {id}")),
            ..Default::default()
        },
        db::now(),
    )
    .await?;
    Ok(())
}

/// The labels of a selection of objects the actor manages.
pub async fn labels(state: &AppState, actor: &Actor, ids: &[i64]) -> Result<Vec<Label>, AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > LABELS_MAX {
        return Err(AppError::field(
            "ids",
            Problem::OutOfRange {
                min: 1,
                max: LABELS_MAX as i64,
            },
        ));
    }
    let rows = q::labels(&state.db, &equipment_scope(actor), &ids).await?;
    let host = state
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or(&state.config.public_url)
        .trim_end_matches('/')
        .to_owned();
    rows.into_iter()
        .map(|r| {
            let url = label_url(state, &r.qr_token);
            Ok(Label {
                id: r.id,
                company: r.company,
                name: r.name,
                serial_number: r.serial_number,
                qr_svg: qr_svg(&url)?,
                short_url: format!("{host}/q/{}", r.qr_token),
            })
        })
        .collect()
}

/// What the registry's filters offer: companies the actor sees, classes in use.
pub async fn choices(
    state: &AppState,
    actor: &Actor,
) -> Result<(Vec<(i64, String)>, Vec<String>), AppError> {
    let scope = equipment_scope(actor);
    let companies = match &scope {
        policy::EquipmentScope::Companies(companies) => {
            db::tickets::companies_in_scope(&state.db, companies).await?
        }
        policy::EquipmentScope::Scanned(_) => Vec::new(),
    };
    Ok((companies, q::classes(&state.db, &scope).await?))
}

/// Companies the actor may add objects to.
pub async fn manageable_companies(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<(i64, String)>, AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    Ok(db::tickets::companies_in_scope(&state.db, &policy::company_scope(actor)).await?)
}

/// Sites and rooms of a company the actor manages, to place an object in.
pub async fn containers(
    state: &AppState,
    actor: &Actor,
    company_id: i64,
) -> Result<Vec<(i64, Kind, String)>, AppError> {
    policy::require(Some(actor), Permission::ManageEquipment)?;
    let usable = db::companies::get(&state.db, company_id)
        .await?
        .is_some_and(|c| {
            policy::can_see_company(actor, c.id, c.reseller_id)
                && policy::can_manage_company(actor, c.reseller_id)
        });
    if !usable {
        return Err(AppError::NotFound);
    }
    Ok(q::containers(&state.db, company_id)
        .await?
        .into_iter()
        .map(|(id, kind, name)| (id, Kind::from_code(&kind).unwrap_or_default(), name))
        .collect())
}
