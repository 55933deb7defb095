//! The equipment registry (list, passport, form, retire, rotate the label, the label
//! sheet) and the public QR page (what anyone who scans a label sees, registering through
//! it, confirming the registration). Reporting a problem from the public page is a plain
//! multipart form posted to `/q/{token}/report` (`services::qr::report_handler`), so it
//! works with a photo and without JavaScript. Rules live in `services::equipment` and
//! `services::qr`.

use crate::api::directory::Paged;
use crate::domain::equipment::{
    EquipmentFilter, EquipmentInput, EquipmentRow, Kind, Passport, RegisterInput,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::ctx;

/// What the registry's filters offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryOptions {
    pub companies: Vec<(i64, String)>,
    pub classes: Vec<String>,
    pub can_manage: bool,
}

/// An object's passport with what surrounds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportPage {
    pub passport: Passport,
    /// Live children: (id, kind, name).
    pub children: Vec<(i64, Kind, String)>,
    /// The object's tickets the viewer may see: (id, number, subject, stage, filed at).
    pub tickets: Vec<(i64, String, String, String, i64)>,
    /// Contracts covering it: (id, number, title, starts, ends).
    pub contracts: Vec<(i64, String, String, String, Option<String>)>,
    pub can_manage: bool,
    pub can_file: bool,
    /// The label's code and address (only for those who manage the object).
    pub qr_svg: Option<String>,
    pub qr_url: Option<String>,
}

/// The form of an object, filled, with its choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentFormData {
    pub input: EquipmentInput,
    /// Companies the actor may add objects to (empty when editing: the company is fixed).
    pub companies: Vec<(i64, String)>,
    pub company_name: String,
    /// Sites and rooms of the company.
    pub containers: Vec<(i64, Kind, String)>,
}

/// One label of the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: i64,
    pub company: String,
    pub name: String,
    pub serial_number: Option<String>,
    pub qr_svg: String,
    pub short_url: String,
}

/// What a label's address leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelState {
    Live,
    /// The object is out of service (or its customer left).
    Retired,
    /// No object has this token: mistyped, or the label was replaced.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTicket {
    pub number: String,
    pub stage: String,
    /// The ticket's id, when the viewer may open it.
    pub link: Option<i64>,
}

/// The public passport: nothing private of the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLabel {
    pub state: LabelState,
    pub name: String,
    pub kind: Kind,
    pub class: Option<String>,
    pub location: Option<String>,
    pub company: String,
    pub has_photo: bool,
    pub open_ticket: Option<OpenTicket>,
    pub signed_in: bool,
    /// The object's passport, when the viewer may open it.
    pub passport: Option<i64>,
    /// Scanning added the object to the viewer's account just now.
    pub added: bool,
}

impl PublicLabel {
    pub fn gone(state: LabelState) -> PublicLabel {
        PublicLabel {
            state,
            name: String::new(),
            kind: Kind::Unit,
            class: None,
            location: None,
            company: String::new(),
            has_photo: false,
            open_ticket: None,
            signed_in: false,
            passport: None,
            added: false,
        }
    }
}

/// One page of the registry; the filter's `after` continues from a row (keyset).
#[server(endpoint = "equipment_list", input = Json)]
pub async fn equipment_list(
    filter: EquipmentFilter,
) -> Result<Paged<EquipmentRow, (String, i64)>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ReadEquipment)?;
    let (rows, more) = equipment::list(&state, &actor, &filter).await?;
    let next = more
        .then(|| rows.last().map(|r| (r.name_key.clone(), r.id)))
        .flatten();
    Ok(Paged { items: rows, next })
}

#[server(endpoint = "equipment_options")]
pub async fn equipment_options() -> Result<RegistryOptions, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let actor = ctx::authorize(&request, Permission::ReadEquipment)?;
    let (companies, classes) = equipment::choices(&state, &actor).await?;
    Ok(RegistryOptions {
        companies,
        classes,
        can_manage: ctx::authorize(&request, Permission::ManageEquipment).is_ok(),
    })
}

#[server(endpoint = "equipment_passport")]
pub async fn equipment_passport(id: i64) -> Result<PassportPage, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ReadEquipment)?;
    equipment::passport(&state, &actor, id).await
}

/// The form: an object to edit (`id`), or a new one (for `company_id` when given).
#[server(endpoint = "equipment_form")]
pub async fn equipment_form(
    id: Option<i64>,
    company_id: Option<i64>,
    parent_id: Option<i64>,
) -> Result<EquipmentFormData, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    match id {
        Some(id) => {
            let page = equipment::passport(&state, &actor, id).await?;
            if !page.can_manage {
                return Err(AppError::NotFound);
            }
            let company = page.passport.company_id;
            Ok(EquipmentFormData {
                input: page.passport.to_input(),
                companies: Vec::new(),
                company_name: page.passport.company.clone(),
                containers: equipment::containers(&state, &actor, company)
                    .await?
                    .into_iter()
                    .filter(|(c, _, _)| *c != id)
                    .collect(),
            })
        }
        None => {
            let companies = equipment::manageable_companies(&state, &actor).await?;
            let company = company_id
                .filter(|c| companies.iter().any(|(id, _)| id == c))
                .or_else(|| (companies.len() == 1).then(|| companies[0].0));
            let containers = match company {
                Some(c) => equipment::containers(&state, &actor, c).await?,
                None => Vec::new(),
            };
            Ok(EquipmentFormData {
                input: EquipmentInput {
                    company_id: company.unwrap_or(0),
                    parent_id: parent_id.filter(|p| containers.iter().any(|(id, _, _)| id == p)),
                    kind: Kind::Unit.code().to_owned(),
                    ..Default::default()
                },
                companies,
                company_name: String::new(),
                containers,
            })
        }
    }
}

/// Sites and rooms of a company, when the form's company changes.
#[server(endpoint = "equipment_containers")]
pub async fn equipment_containers(company_id: i64) -> Result<Vec<(i64, Kind, String)>, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    equipment::containers(&state, &actor, company_id).await
}

/// Creates (`id` empty) or changes an object. Returns its id.
#[server(endpoint = "save_equipment", input = Json)]
pub async fn save_equipment(id: Option<i64>, input: EquipmentInput) -> Result<i64, AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    equipment::save(&state, &actor, id, &input).await
}

#[server(endpoint = "retire_equipment")]
pub async fn retire_equipment(id: i64, retire: bool) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    equipment::set_retired(&state, &actor, id, retire).await
}

/// A new label token: labels printed before stop working.
#[server(endpoint = "rotate_qr")]
pub async fn rotate_qr(id: i64) -> Result<(), AppError> {
    use crate::domain::policy::Permission;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    equipment::rotate(&state, &actor, id).await
}

/// The label sheet of a selection (`ids`: comma-separated, as in the sheet's address).
#[server(endpoint = "equipment_labels")]
pub async fn equipment_labels(ids: String) -> Result<Vec<Label>, AppError> {
    use crate::domain::policy::Permission;
    use crate::domain::validate::Problem;
    use crate::server::services::equipment;
    let state = ctx::state()?;
    let actor = ctx::authorize(&ctx::request()?, Permission::ManageEquipment)?;
    let ids = ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::field("ids", Problem::InvalidFormat))?;
    equipment::labels(&state, &actor, &ids).await
}

/// Public (no sign-in): what a label's address shows. Signed-in QR-registered customers
/// get the object added to their account.
#[server(endpoint = "public_object", input = Json)]
pub async fn public_object(token: String) -> Result<PublicLabel, AppError> {
    use crate::server::services::qr;
    let state = ctx::state()?;
    let request = ctx::request()?;
    // Scanning while staff act as a customer changes nothing.
    let actor = request
        .actor()
        .filter(|_| request.session.as_ref().is_none_or(|s| s.acting.is_none()));
    qr::public_view(&state, actor, &token).await
}

/// Public (no sign-in): starts a registration through a label; the confirmation link goes
/// to the e-mail or phone given. Returns where it went.
#[server(endpoint = "register_by_qr", input = Json)]
pub async fn register_by_qr(token: String, input: RegisterInput) -> Result<String, AppError> {
    use crate::server::services::qr;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let locale = crate::i18n::initial_locale();
    Ok(qr::register(&state, &request.ip, &token, &input, locale)
        .await?
        .unwrap_or_else(|| input.login.trim().to_owned()))
}

/// Public (no sign-in): opens a confirmation link, creates the account and signs it in.
/// Returns the scanned object's id.
#[server(endpoint = "confirm_registration", input = Json)]
pub async fn confirm_registration(token: String) -> Result<i64, AppError> {
    use crate::server::services::qr;
    use crate::server::session::session_cookie;
    let state = ctx::state()?;
    let request = ctx::request()?;
    let (signed_in, equipment_id) = qr::confirm(&state, &request, &token).await?;
    ctx::set_cookie(&session_cookie(&state, &signed_in.token));
    Ok(equipment_id)
}
