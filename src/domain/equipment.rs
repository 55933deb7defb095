//! The equipment registry's rules: an object's levels (site → room → unit), its form,
//! the public QR page's report and registration forms, and the shape of a label token.

use super::validate::{self, FieldErrors, Login, Problem};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 200;
pub const NOTES_MAX: usize = 4000;
pub const REPORT_MAX: usize = 4000;
pub const PERSON_MAX: usize = 120;

/// Where an object stands in the tree. A parent is always of a higher level than its
/// child, which keeps the tree free of cycles by construction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Site,
    Room,
    #[default]
    Unit,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Site, Kind::Room, Kind::Unit];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Room => "room",
            Kind::Unit => "unit",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    fn level(self) -> u8 {
        match self {
            Kind::Site => 3,
            Kind::Room => 2,
            Kind::Unit => 1,
        }
    }

    /// Whether an object of this kind may sit inside one of `parent`'s kind.
    pub fn fits_under(self, parent: Kind) -> bool {
        parent.level() > self.level()
    }
}

/// The object form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentInput {
    pub company_id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub class: String,
    pub model: String,
    pub manufacturer: String,
    pub serial_number: String,
    pub installed_on: String,
    pub warranty_until: String,
    pub location: String,
    pub notes: String,
    pub photo_id: Option<i64>,
}

/// The form after its rules: trimmed text, empty optional fields as `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedEquipment {
    pub kind: Kind,
    pub name: String,
    pub class: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub serial_number: Option<String>,
    pub installed_on: Option<String>,
    pub warranty_until: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

impl CheckedEquipment {
    /// What the registry's search looks through, lower-cased (any script).
    pub fn search_text(&self) -> String {
        [
            Some(&self.name),
            self.serial_number.as_ref(),
            self.model.as_ref(),
            self.manufacturer.as_ref(),
            self.class.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

impl EquipmentInput {
    /// Every field's rule at once. Whether the company and parent exist and may be used
    /// is the server's check (it needs the database).
    pub fn check(&self) -> Result<CheckedEquipment, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.company_id <= 0 {
            errors.add("company", Problem::Required);
        }
        let kind = errors.check(
            "kind",
            Kind::from_code(&self.kind).ok_or(Problem::UnknownChoice),
        );
        let name = errors.check("name", validate::text(&self.name, NAME_MAX));
        let short = |field: &str, value: &str, errors: &mut FieldErrors| {
            errors
                .check(
                    field,
                    validate::optional(value, |v| validate::text(v, TEXT_MAX)),
                )
                .flatten()
        };
        let class = short("class", &self.class, &mut errors);
        let model = short("model", &self.model, &mut errors);
        let manufacturer = short("manufacturer", &self.manufacturer, &mut errors);
        let serial_number = short("serial_number", &self.serial_number, &mut errors);
        let location = errors
            .check(
                "location",
                validate::optional(&self.location, |v| validate::text(v, 300)),
            )
            .flatten();
        let installed_on = errors
            .check(
                "installed_on",
                validate::optional(&self.installed_on, validate::date),
            )
            .flatten();
        let warranty_until = errors
            .check(
                "warranty_until",
                validate::optional(&self.warranty_until, validate::date),
            )
            .flatten();
        if let (Some(from), Some(to)) = (&installed_on, &warranty_until) {
            // ISO dates compare as text.
            if to < from {
                errors.add("warranty_until", Problem::WarrantyBeforeInstall);
            }
        }
        let notes = errors
            .check(
                "notes",
                validate::optional(&self.notes, |v| validate::multiline(v, NOTES_MAX)),
            )
            .flatten();
        match (kind, name) {
            (Some(kind), Some(name)) if errors.is_empty() => Ok(CheckedEquipment {
                kind,
                name,
                class,
                model,
                manufacturer,
                serial_number,
                installed_on,
                warranty_until,
                location,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// "Report a problem" on the public QR page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    pub description: String,
    pub name: String,
    /// A phone number or an e-mail address to call back.
    pub contact: String,
    /// The honeypot: a field people never see and bots fill in.
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedReport {
    pub description: String,
    pub name: String,
    pub contact: Login,
}

impl CheckedReport {
    /// The ticket's subject: the description's first line, shortened.
    pub fn subject(&self) -> String {
        let first = self.description.lines().next().unwrap_or("").trim();
        if first.chars().count() <= 80 {
            first.to_owned()
        } else {
            let cut: String = first.chars().take(79).collect();
            format!("{}…", cut.trim_end())
        }
    }

    /// Who reported, as the ticket shows it.
    pub fn reporter(&self) -> String {
        format!("{} · {}", self.name, self.contact.as_str())
    }
}

impl ReportInput {
    pub fn check(&self) -> Result<CheckedReport, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description = errors.check(
            "description",
            validate::multiline(&self.description, REPORT_MAX),
        );
        let name = errors.check("name", validate::text(&self.name, PERSON_MAX));
        let contact = errors.check("contact", validate::login(&self.contact));
        match (description, name, contact) {
            (Some(description), Some(name), Some(contact)) => Ok(CheckedReport {
                description,
                name,
                contact,
            }),
            _ => Err(errors),
        }
    }

    /// Whether a bot filled in the field people do not see.
    pub fn is_bot(&self) -> bool {
        !self.website.trim().is_empty()
    }
}

/// Registering through the QR page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterInput {
    pub name: String,
    pub login: String,
    pub password: String,
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRegistration {
    pub name: String,
    pub login: Login,
    pub password: String,
}

impl RegisterInput {
    pub fn check(&self) -> Result<CheckedRegistration, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", validate::text(&self.name, PERSON_MAX));
        let login = errors.check("login", validate::login(&self.login));
        let password = errors.check("password", validate::password(&self.password));
        match (name, login, password) {
            (Some(name), Some(login), Some(password)) => Ok(CheckedRegistration {
                name,
                login,
                password,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a text could be a label token at all (URL-safe base64, 16–64 characters), so
/// that random input is refused before any query.
pub fn token_shaped(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The filters of the registry list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentFilter {
    pub search: String,
    pub company_id: Option<i64>,
    pub class: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub retired: bool,
    /// Keyset: the last row of the previous page (its lower-cased name and id).
    pub after: Option<(String, i64)>,
}

/// One row of the registry list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentRow {
    pub id: i64,
    pub kind: Kind,
    pub name: String,
    pub name_key: String,
    pub path: String,
    pub company_id: i64,
    pub company: String,
    pub class: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub location: Option<String>,
    pub open_tickets: i64,
    pub retired: bool,
}

/// An object's passport.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    pub id: i64,
    pub kind: Kind,
    pub name: String,
    pub company_id: i64,
    pub company: String,
    pub parent_id: Option<i64>,
    pub path: Vec<(i64, String)>,
    pub class: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub serial_number: Option<String>,
    pub installed_on: Option<String>,
    pub warranty_until: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
    pub photo_id: Option<i64>,
    pub retired_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Passport {
    /// The form, filled with what is stored.
    pub fn to_input(&self) -> EquipmentInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        EquipmentInput {
            company_id: self.company_id,
            parent_id: self.parent_id,
            kind: self.kind.code().to_owned(),
            name: self.name.clone(),
            class: s(&self.class),
            model: s(&self.model),
            manufacturer: s(&self.manufacturer),
            serial_number: s(&self.serial_number),
            installed_on: s(&self.installed_on),
            warranty_until: s(&self.warranty_until),
            location: s(&self.location),
            notes: s(&self.notes),
            photo_id: self.photo_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EquipmentInput {
        EquipmentInput {
            company_id: 1,
            kind: "unit".into(),
            name: "Chiller 1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_parent_is_always_of_a_higher_level() {
        assert!(Kind::Room.fits_under(Kind::Site));
        assert!(Kind::Unit.fits_under(Kind::Room));
        assert!(Kind::Unit.fits_under(Kind::Site));
        assert!(!Kind::Site.fits_under(Kind::Room));
        assert!(!Kind::Room.fits_under(Kind::Room));
        assert!(!Kind::Unit.fits_under(Kind::Unit));
    }

    #[test]
    fn the_form_refuses_by_field_and_keeps_nothing_half_checked() {
        assert!(input().check().is_ok());
        let bad = EquipmentInput {
            company_id: 0,
            kind: "rack".into(),
            name: "  ".into(),
            serial_number: "x".repeat(201),
            installed_on: "2025-02-30".into(),
            notes: "bell \u{7}".into(),
            ..Default::default()
        };
        let errors = bad.check().unwrap_err();
        for field in [
            "company",
            "kind",
            "name",
            "serial_number",
            "installed_on",
            "notes",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn warranty_cannot_end_before_installation() {
        let mut i = input();
        i.installed_on = "2025-05-01".into();
        i.warranty_until = "2025-04-30".into();
        assert_eq!(
            i.check().unwrap_err().get("warranty_until"),
            Some(Problem::WarrantyBeforeInstall)
        );
        i.warranty_until = "2027-05-01".into();
        assert!(i.check().is_ok());
    }

    #[test]
    fn search_text_is_lower_cased_in_any_script() {
        let mut i = input();
        i.name = "Чиллер Север".into();
        i.serial_number = "SN-77AB".into();
        let c = i.check().unwrap();
        assert_eq!(c.search_text(), "чиллер север sn-77ab");
    }

    #[test]
    fn a_report_needs_a_way_to_call_back() {
        let report = ReportInput {
            description: "Water on the floor\nunder the unit".into(),
            name: "Ivan".into(),
            contact: "not a contact".into(),
            website: String::new(),
        };
        assert_eq!(
            report.check().unwrap_err().get("contact"),
            Some(Problem::InvalidLogin)
        );
        let ok = ReportInput {
            contact: "+7 900 123-45-67".into(),
            ..report.clone()
        }
        .check()
        .unwrap();
        assert_eq!(ok.subject(), "Water on the floor");
        assert!(!report.is_bot());
        assert!(ReportInput {
            website: "http://spam".into(),
            ..report
        }
        .is_bot());
    }

    #[test]
    fn a_long_first_line_is_shortened_for_the_subject() {
        let c = CheckedReport {
            description: "a".repeat(200),
            name: "x".into(),
            contact: Login::Email("a@b.cd".into()),
        };
        assert_eq!(c.subject().chars().count(), 80);
    }

    #[test]
    fn tokens_are_checked_for_shape_before_any_query() {
        assert!(token_shaped("abcdefghijklmnopqrstuv"));
        assert!(!token_shaped("short"));
        assert!(!token_shaped("abcdefghijklmnop'; DROP TABLE--"));
        assert!(!token_shaped(&"a".repeat(65)));
    }
}
