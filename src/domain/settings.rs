//! The admin's ticket settings: the lists of ticket types and work types, and the SLA
//! rules of the service company. Rules of one form each; whether a code exists is the
//! server's check.

use super::validate::{self, FieldErrors, Problem};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const CLASS_MAX: usize = 50;
/// The longest deadline a rule may give: a year.
pub const HOURS_MAX: i64 = 8_760;

/// A ticket type or a work type as the settings page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub code: String,
    pub name: String,
    /// Work types only: the equipment classes they apply to (empty: any).
    pub classes: String,
    /// Archived entries stay on the tickets that use them but are no longer offered.
    pub archived: bool,
}

/// A new or renamed type: its name and, for work types, the classes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogInput {
    pub name: String,
    pub classes: String,
}

impl CatalogInput {
    /// The trimmed name and the classes as stored: comma-separated, each trimmed, no
    /// duplicates, in the order given.
    pub fn check(&self) -> Result<(String, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", validate::text(&self.name, NAME_MAX));
        let mut classes: Vec<String> = Vec::new();
        for class in self
            .classes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match validate::text(class, CLASS_MAX) {
                Ok(c) if !classes.iter().any(|x| x.eq_ignore_ascii_case(&c)) => classes.push(c),
                Ok(_) => {}
                Err(problem) => {
                    errors.add("classes", problem);
                    break;
                }
            }
        }
        match name {
            Some(name) if errors.is_empty() => Ok((name, classes.join(","))),
            _ => Err(errors),
        }
    }
}

/// An additional field of the ticket form as the settings page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldEntry {
    pub id: i64,
    pub input: FieldInput,
    pub archived: bool,
}

/// An additional field as typed: its label, kind (`text`, `number`, `date`, `choice`),
/// unit (numbers), choices (one per line), and who sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInput {
    pub label: String,
    pub kind: String,
    pub unit: String,
    pub choices: String,
    pub required: bool,
    pub staff_only: bool,
}

pub const UNIT_MAX: usize = 20;
pub const CHOICES_MAX: usize = 50;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedField {
    pub label: String,
    pub kind: super::ticket::FieldKind,
    pub unit: String,
    /// One per line, trimmed, without duplicates.
    pub choices: String,
}

impl FieldInput {
    pub fn check(&self) -> Result<CheckedField, FieldErrors> {
        use super::ticket::FieldKind;
        let mut errors = FieldErrors::new();
        let label = errors.check("label", validate::text(&self.label, NAME_MAX));
        let kind = errors.check(
            "kind",
            FieldKind::from_code(&self.kind).ok_or(Problem::UnknownChoice),
        );
        let unit = if kind == Some(FieldKind::Number) {
            errors
                .check(
                    "unit",
                    validate::optional(&self.unit, |u| validate::text(u, UNIT_MAX)),
                )
                .flatten()
                .unwrap_or_default()
        } else {
            String::new()
        };
        let mut choices: Vec<String> = Vec::new();
        if kind == Some(FieldKind::Choice) {
            for line in self
                .choices
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                match validate::text(line, NAME_MAX) {
                    Ok(c) if !choices.contains(&c) => choices.push(c),
                    Ok(_) => {}
                    Err(problem) => {
                        errors.add("choices", problem);
                        break;
                    }
                }
            }
            if choices.len() < 2 {
                errors.add("choices", Problem::TooShort { min: 2 });
            } else if choices.len() > CHOICES_MAX {
                errors.add(
                    "choices",
                    Problem::TooLong {
                        max: CHOICES_MAX as u32,
                    },
                );
            }
        }
        match (label, kind) {
            (Some(label), Some(kind)) if errors.is_empty() => Ok(CheckedField {
                label,
                kind,
                unit,
                choices: choices.join("\n"),
            }),
            _ => Err(errors),
        }
    }
}

/// A code for a new entry from its name: lower-case ASCII letters, digits and `_`
/// (`None` when the name has none: the server numbers it instead).
pub fn code_from_name(name: &str) -> Option<String> {
    let mut code = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c.to_ascii_lowercase());
        } else if !code.ends_with('_') && !code.is_empty() {
            code.push('_');
        }
        if code.len() >= 40 {
            break;
        }
    }
    let code = code.trim_end_matches('_').to_owned();
    (!code.is_empty()).then_some(code)
}

/// An SLA rule as typed: the conditions (empty: any) and the times in hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaRuleInput {
    pub name: String,
    pub ticket_type: String,
    pub criticality: String,
    pub work_type: String,
    pub reaction_hours: String,
    pub resolution_hours: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRule {
    pub name: String,
    pub reaction_minutes: i64,
    pub resolution_minutes: i64,
}

/// Hours with up to two decimals ("1,5" or "1.5"), as whole minutes, within 1 min … a year.
pub fn hours(input: &str) -> Result<i64, Problem> {
    let s = input.trim().replace(',', ".");
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || whole.len() > 6
    {
        return Err(Problem::InvalidFormat);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Problem::InvalidFormat)?
    };
    let hundredths: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| Problem::InvalidFormat)?;
    let minutes = whole * 60 + (hundredths * 60 + 50) / 100;
    if !(1..=HOURS_MAX * 60).contains(&minutes) {
        return Err(Problem::OutOfRange {
            min: 0,
            max: HOURS_MAX,
        });
    }
    Ok(minutes)
}

impl SlaRuleInput {
    pub fn check(&self) -> Result<CheckedRule, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", validate::text(&self.name, NAME_MAX));
        let reaction = errors.check("reaction_hours", hours(&self.reaction_hours));
        let resolution = errors.check("resolution_hours", hours(&self.resolution_hours));
        if let (Some(reaction), Some(resolution)) = (reaction, resolution) {
            if resolution < reaction {
                errors.add("resolution_hours", Problem::ResolutionBeforeReaction);
            }
        }
        match (name, reaction, resolution) {
            (Some(name), Some(reaction_minutes), Some(resolution_minutes)) if errors.is_empty() => {
                Ok(CheckedRule {
                    name,
                    reaction_minutes,
                    resolution_minutes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Minutes as hours for the form and the list: "1.5", "8", "0.25".
pub fn format_hours(minutes: i64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_become_minutes_and_refuse_nonsense() {
        assert_eq!(hours("4"), Ok(240));
        assert_eq!(hours("1,5"), Ok(90));
        assert_eq!(hours("0.25"), Ok(15));
        assert_eq!(hours(".5"), Ok(30));
        assert_eq!(hours(""), Err(Problem::Required));
        for bad in ["-1", "1.234", "1e3", "four", "1.2.3", "."] {
            assert_eq!(hours(bad), Err(Problem::InvalidFormat), "{bad}");
        }
        assert!(matches!(hours("0"), Err(Problem::OutOfRange { .. })));
        assert!(matches!(hours("8761"), Err(Problem::OutOfRange { .. })));
        assert_eq!(format_hours(90), "1.5");
        assert_eq!(format_hours(15), "0.25");
        assert_eq!(format_hours(480), "8");
    }

    #[test]
    fn a_rule_resolves_no_sooner_than_it_reacts() {
        let rule = SlaRuleInput {
            name: "Urgent lifts".into(),
            reaction_hours: "2".into(),
            resolution_hours: "1".into(),
            ..Default::default()
        };
        assert_eq!(
            rule.check().unwrap_err().get("resolution_hours"),
            Some(Problem::ResolutionBeforeReaction)
        );
        let ok = SlaRuleInput {
            resolution_hours: "24".into(),
            ..rule
        }
        .check()
        .unwrap();
        assert_eq!((ok.reaction_minutes, ok.resolution_minutes), (120, 1440));
    }

    #[test]
    fn a_choice_field_needs_two_choices_and_only_numbers_have_units() {
        let field = FieldInput {
            label: "Floor".into(),
            kind: "choice".into(),
            choices: "Ground\n\n Ground \n".into(),
            unit: "m".into(),
            ..Default::default()
        };
        assert_eq!(
            field.check().unwrap_err().get("choices"),
            Some(Problem::TooShort { min: 2 })
        );
        let ok = FieldInput {
            choices: "Ground\nFirst\nGround".into(),
            ..field.clone()
        }
        .check()
        .unwrap();
        assert_eq!(
            (ok.choices.as_str(), ok.unit.as_str()),
            ("Ground\nFirst", "")
        );
        let number = FieldInput {
            kind: "number".into(),
            unit: "kW".into(),
            ..field.clone()
        }
        .check()
        .unwrap();
        assert_eq!(number.unit, "kW");
        let bad = FieldInput {
            kind: "colour".into(),
            label: String::new(),
            ..field
        }
        .check()
        .unwrap_err();
        assert_eq!(bad.get("kind"), Some(Problem::UnknownChoice));
        assert_eq!(bad.get("label"), Some(Problem::Required));
    }

    #[test]
    fn codes_come_from_names_and_classes_are_tidied() {
        assert_eq!(
            code_from_name("Warranty repair!"),
            Some("warranty_repair".into())
        );
        assert_eq!(code_from_name("Ремонт"), None);
        let (name, classes) = CatalogInput {
            name: " Leak test ".into(),
            classes: "HVAC, Lift,hvac, ,Power".into(),
        }
        .check()
        .unwrap();
        assert_eq!(
            (name.as_str(), classes.as_str()),
            ("Leak test", "HVAC,Lift,Power")
        );
        assert!(CatalogInput::default().check().is_err());
    }
}
