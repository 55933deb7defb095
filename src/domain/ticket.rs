//! Ticket vocabulary shared by both targets: stages, criticalities, the form's input and
//! its rules (the browser runs them for instant feedback, the server again). Who may move
//! a ticket between stages is in `workflow`.

use super::validate::{self, FieldErrors, Problem};
use serde::{Deserialize, Serialize};

pub const SUBJECT_MAX: usize = 150;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const CONTACT_MAX: usize = 200;
pub const COMMENT_MAX: usize = 2_000;
pub const FIELD_TEXT_MAX: usize = 500;
/// Files attached to one ticket form.
pub const ATTACHMENTS_MAX: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    New,
    Approval,
    InWork,
    WorkCompleted,
    Done,
    Closed,
    Refused,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::New,
        Stage::Approval,
        Stage::InWork,
        Stage::WorkCompleted,
        Stage::Done,
        Stage::Closed,
        Stage::Refused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Approval => "approval",
            Stage::InWork => "in_work",
            Stage::WorkCompleted => "work_completed",
            Stage::Done => "done",
            Stage::Closed => "closed",
            Stage::Refused => "refused",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Open tickets still need someone to act; the rest are history.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Done | Stage::Closed | Stage::Refused)
    }

    /// The colour family of the stage's badge.
    pub fn tone(self) -> &'static str {
        match self {
            Stage::New => "info",
            Stage::Approval => "warning",
            Stage::InWork => "accent",
            Stage::WorkCompleted => "accent",
            Stage::Done => "success",
            Stage::Closed => "neutral",
            Stage::Refused => "danger",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Criticality {
    Urgent,
    High,
    Normal,
    Low,
}

impl Criticality {
    pub const ALL: [Criticality; 4] = [
        Criticality::Urgent,
        Criticality::High,
        Criticality::Normal,
        Criticality::Low,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Criticality::Urgent => "urgent",
            Criticality::High => "high",
            Criticality::Normal => "normal",
            Criticality::Low => "low",
        }
    }

    pub fn from_code(code: &str) -> Option<Criticality> {
        Criticality::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Criticality {
    /// The colour family of the criticality's badge.
    pub fn tone(self) -> &'static str {
        match self {
            Criticality::Urgent => "danger",
            Criticality::High => "warning",
            Criticality::Normal => "info",
            Criticality::Low => "neutral",
        }
    }
}

/// What the ticket form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    pub company_id: i64,
    pub ticket_type: String,
    pub criticality: String,
    pub subject: String,
    pub description: String,
    pub equipment_id: Option<i64>,
    /// Empty: not set.
    pub work_type: String,
    pub contract_id: Option<i64>,
    pub contact: String,
    /// Additional fields: (field id, value as typed).
    pub fields: Vec<(i64, String)>,
    /// Files uploaded beforehand, claimed by the new ticket.
    pub attachments: Vec<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Choice,
}

impl FieldKind {
    pub const ALL: [FieldKind; 4] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Choice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Choice => "choice",
        }
    }

    pub fn from_code(code: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// An admin-defined additional field of the ticket form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub id: i64,
    pub label: String,
    pub kind: FieldKind,
    pub unit: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub staff_only: bool,
}

/// Whether a work type (its comma-separated equipment classes, empty = any) may be
/// chosen for an object of `class`; without an object every work type may.
pub fn work_type_fits(classes: &str, class: Option<&str>) -> bool {
    let mut listed = classes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .peekable();
    if listed.peek().is_none() {
        return true;
    }
    match class {
        None => true,
        Some(class) => listed.any(|c| c.eq_ignore_ascii_case(class.trim())),
    }
}

/// The name under which a field's error travels.
pub fn field_key(id: i64) -> String {
    format!("field_{id}")
}

/// A value of an additional field, normalised (`None`: left empty).
pub fn check_field(def: &FieldDef, input: &str) -> Result<Option<String>, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return if def.required {
            Err(Problem::Required)
        } else {
            Ok(None)
        };
    }
    match def.kind {
        FieldKind::Text => validate::multiline(value, FIELD_TEXT_MAX).map(Some),
        FieldKind::Number => {
            let normal = value.replace(',', ".").replace(' ', "");
            let number: f64 = normal.parse().map_err(|_| Problem::InvalidFormat)?;
            if !number.is_finite() || number.abs() >= 1e12 || normal.len() > 20 {
                return Err(Problem::InvalidFormat);
            }
            Ok(Some(normal))
        }
        FieldKind::Date => validate::date(value).map(Some),
        FieldKind::Choice => def
            .choices
            .iter()
            .find(|c| c.as_str() == value)
            .cloned()
            .map(Some)
            .ok_or(Problem::UnknownChoice),
    }
}

impl TicketInput {
    /// The rules that need no database: text lengths, known criticality, the additional
    /// fields the viewer fills. Choices (company, object, type …) are checked by the server
    /// against what the user may see.
    pub fn check(&self, fields: &[FieldDef]) -> Result<CheckedTicket, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.company_id <= 0 {
            errors.add("company", Problem::Required);
        }
        if self.ticket_type.trim().is_empty() {
            errors.add("ticket_type", Problem::Required);
        }
        let criticality = match Criticality::from_code(&self.criticality) {
            Some(c) => Some(c),
            None if self.criticality.is_empty() => {
                errors.add("criticality", Problem::Required);
                None
            }
            None => {
                errors.add("criticality", Problem::UnknownChoice);
                None
            }
        };
        let subject = errors.check("subject", validate::text(&self.subject, SUBJECT_MAX));
        let description = errors.check(
            "description",
            validate::multiline(&self.description, DESCRIPTION_MAX),
        );
        let contact = errors.check(
            "contact",
            validate::optional(&self.contact, |c| validate::text(c, CONTACT_MAX)),
        );
        let mut values = Vec::new();
        for def in fields {
            let typed = self
                .fields
                .iter()
                .find(|(id, _)| *id == def.id)
                .map_or("", |(_, v)| v.as_str());
            if let Some(Some(value)) = errors.check(&field_key(def.id), check_field(def, typed)) {
                values.push((def.id, value));
            }
        }
        if self
            .fields
            .iter()
            .any(|(id, _)| !fields.iter().any(|f| f.id == *id))
        {
            errors.add("fields", Problem::UnknownChoice);
        }
        if self.attachments.len() > ATTACHMENTS_MAX {
            errors.add(
                "attachments",
                Problem::OutOfRange {
                    min: 0,
                    max: ATTACHMENTS_MAX as i64,
                },
            );
        }
        match (criticality, subject, description, contact) {
            (Some(criticality), Some(subject), Some(description), Some(contact))
                if errors.is_empty() =>
            {
                Ok(CheckedTicket {
                    criticality,
                    subject,
                    description,
                    contact,
                    fields: values,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The parts of a [`TicketInput`] that passed [`TicketInput::check`], normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedTicket {
    pub criticality: Criticality,
    pub subject: String,
    pub description: String,
    pub contact: Option<String>,
    pub fields: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> TicketInput {
        TicketInput {
            company_id: 3,
            ticket_type: "repair".into(),
            criticality: "urgent".into(),
            subject: "  Chiller leaks ".into(),
            description: "Water under the unit.\r\nSince Monday.".into(),
            ..TicketInput::default()
        }
    }

    fn field(id: i64, kind: FieldKind, required: bool) -> FieldDef {
        FieldDef {
            id,
            label: format!("F{id}"),
            kind,
            unit: String::new(),
            choices: vec!["Roof".into(), "Basement".into()],
            required,
            staff_only: false,
        }
    }

    #[test]
    fn work_types_narrow_by_the_object_class() {
        assert!(work_type_fits("", Some("Lift")));
        assert!(work_type_fits("HVAC, Chiller", Some("hvac")));
        assert!(!work_type_fits("HVAC", Some("Lift")));
        assert!(work_type_fits("HVAC", None));
    }

    #[test]
    fn a_good_ticket_is_normalised() {
        let checked = input().check(&[]).unwrap();
        assert_eq!(checked.subject, "Chiller leaks");
        assert_eq!(checked.description, "Water under the unit.\nSince Monday.");
        assert_eq!(checked.criticality, Criticality::Urgent);
        assert_eq!(checked.contact, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = TicketInput {
            company_id: 0,
            ticket_type: String::new(),
            criticality: "apocalyptic".into(),
            subject: "x".repeat(SUBJECT_MAX + 1),
            description: "   ".into(),
            contact: "a\u{7}b".into(),
            attachments: vec![1; ATTACHMENTS_MAX + 1],
            ..TicketInput::default()
        };
        let errors = bad.check(&[]).unwrap_err();
        for (name, problem) in [
            ("company", Problem::Required),
            ("ticket_type", Problem::Required),
            ("criticality", Problem::UnknownChoice),
            (
                "subject",
                Problem::TooLong {
                    max: SUBJECT_MAX as u32,
                },
            ),
            ("description", Problem::Required),
            ("contact", Problem::InvalidCharacters),
        ] {
            assert_eq!(errors.get(name), Some(problem), "{name}");
        }
        assert!(errors.get("attachments").is_some());
    }

    #[test]
    fn additional_fields_follow_their_kind() {
        let number = field(1, FieldKind::Number, true);
        assert_eq!(check_field(&number, " 12,5 "), Ok(Some("12.5".into())));
        assert_eq!(check_field(&number, "twelve"), Err(Problem::InvalidFormat));
        assert_eq!(check_field(&number, "1e300"), Err(Problem::InvalidFormat));
        assert_eq!(check_field(&number, ""), Err(Problem::Required));
        let date = field(2, FieldKind::Date, false);
        assert_eq!(check_field(&date, ""), Ok(None));
        assert_eq!(
            check_field(&date, "2026-02-30"),
            Err(Problem::InvalidFormat)
        );
        let choice = field(3, FieldKind::Choice, false);
        assert_eq!(check_field(&choice, "Roof"), Ok(Some("Roof".into())));
        assert_eq!(check_field(&choice, "Attic"), Err(Problem::UnknownChoice));

        let with_fields = TicketInput {
            fields: vec![(2, "2026-13-01".into()), (99, "x".into())],
            ..input()
        };
        let errors = with_fields.check(&[number, date]).unwrap_err();
        assert_eq!(errors.get("field_1"), Some(Problem::Required));
        assert_eq!(errors.get("field_2"), Some(Problem::InvalidFormat));
        assert_eq!(errors.get("fields"), Some(Problem::UnknownChoice));
    }

    #[test]
    fn stage_codes_round_trip() {
        for stage in Stage::ALL {
            assert_eq!(Stage::from_code(stage.code()), Some(stage));
        }
        assert_eq!(Stage::from_code("deleted"), None);
        for c in Criticality::ALL {
            assert_eq!(Criticality::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn finished_stages_are_not_open() {
        let open: Vec<_> = Stage::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            vec![
                Stage::New,
                Stage::Approval,
                Stage::InWork,
                Stage::WorkCompleted
            ]
        );
    }
}
