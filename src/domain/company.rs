//! Customer companies: the add-customer wizard's data and the rules for each of its
//! steps, shared by the browser (instant feedback) and the server (the check that counts).

use super::validate::{self, FieldErrors, Problem};
use serde::{Deserialize, Serialize};

/// Countries offered in the address; the first is the default.
pub const COUNTRIES: [(&str, &str); 8] = [
    ("RU", "Россия / Russia"),
    ("KZ", "Қазақстан / Kazakhstan"),
    ("BY", "Беларусь / Belarus"),
    ("AM", "Հայաստան / Armenia"),
    ("IR", "ایران / Iran"),
    ("DE", "Deutschland / Germany"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
];

pub const AGREEMENT_VERSIONS: [&str; 2] = ["2026-01", "2025-06"];

/// Step 1: the company and its primary contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub legal_name: String,
    pub tax_id: String,
    pub country: String,
    pub region: String,
    pub city: String,
    pub street: String,
    pub postal_code: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub contact_first_name: String,
    pub contact_last_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

/// Step 2: who accepted the service agreement on the customer's side.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub accepted: bool,
    pub accepted_by: String,
    pub accepted_email: String,
    /// `YYYY-MM-DD`
    pub accepted_on: String,
    pub version: String,
}

/// Step 4: one offer of the catalog and how many licences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionLine {
    pub offer_id: i64,
    pub licences: i64,
}

/// The whole wizard, as saved after every step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDraft {
    pub account: AccountDetails,
    pub agreement: Agreement,
    /// Step 3: the indirect reseller, or none (a direct customer).
    pub reseller_id: Option<i64>,
    pub subscriptions: Vec<SubscriptionLine>,
}

pub const MAX_LICENCES: i64 = 100_000;

/// The fields of the details page's General tab (the rest are the Address tab's).
pub const GENERAL_FIELDS: [&str; 9] = [
    "legal_name",
    "tax_id",
    "phone",
    "email",
    "website",
    "contact_first_name",
    "contact_last_name",
    "contact_email",
    "contact_phone",
];

pub fn is_general_field(field: &str) -> bool {
    GENERAL_FIELDS.contains(&field)
}

fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    errors
        .check(field, validate::text(value, max))
        .unwrap_or_default()
}

fn optional_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    errors
        .check(field, validate::optional(value, |v| validate::text(v, max)))
        .flatten()
        .unwrap_or_default()
}

/// A tax identification number: in Russia the INN (10 digits for companies, 12 for
/// individual entrepreneurs); elsewhere 4–20 letters, digits and dashes.
pub fn tax_id(country: &str, input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let ok = if country == "RU" {
        (s.len() == 10 || s.len() == 12) && s.chars().all(|c| c.is_ascii_digit())
    } else {
        (4..=20).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if ok {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// Postal codes: six digits in Russia and Belarus, 3–10 letters, digits, spaces and dashes elsewhere.
pub fn postal_code(country: &str, input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let ok = if matches!(country, "RU" | "BY" | "KZ") {
        s.len() == 6 && s.chars().all(|c| c.is_ascii_digit())
    } else {
        (3..=10).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    };
    if ok {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// A web address; `example.com` becomes `https://example.com`.
pub fn website(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.chars().count() > 200 {
        return Err(Problem::TooLong { max: 200 });
    }
    let url = if s.starts_with("http://") || s.starts_with("https://") {
        s.to_owned()
    } else {
        format!("https://{s}")
    };
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    let ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"');
    if ok {
        Ok(url)
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// `YYYY-MM-DD` of a real calendar day.
pub fn date(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let parts: Vec<&str> = s.split('-').collect();
    let valid = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !valid {
        return Err(Problem::InvalidFormat);
    }
    let (y, m, d) = (
        parts[0].parse::<i64>().unwrap_or(0),
        parts[1].parse::<u32>().unwrap_or(0),
        parts[2].parse::<u32>().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if (1900..=2100).contains(&y) && d >= 1 && d <= days {
        Ok(s.to_owned())
    } else {
        Err(Problem::InvalidFormat)
    }
}

impl AccountDetails {
    /// Checks and cleans step 1. Field names match the form's.
    pub fn validated(&self) -> Result<AccountDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let legal_name = required(&mut e, "legal_name", &self.legal_name, 200);
        let country = e
            .check(
                "country",
                COUNTRIES
                    .iter()
                    .find(|(c, _)| *c == self.country)
                    .map(|(c, _)| c.to_string())
                    .ok_or(Problem::UnknownChoice),
            )
            .unwrap_or_default();
        let tax_id = e
            .check("tax_id", tax_id(&country, &self.tax_id))
            .unwrap_or_default();
        let region = optional_text(&mut e, "region", &self.region, 120);
        let city = required(&mut e, "city", &self.city, 120);
        let street = required(&mut e, "street", &self.street, 200);
        let postal_code = e
            .check("postal_code", postal_code(&country, &self.postal_code))
            .unwrap_or_default();
        let phone = e
            .check("phone", validate::phone(&self.phone))
            .unwrap_or_default();
        let email = e
            .check("email", validate::email(&self.email))
            .unwrap_or_default();
        let website = e
            .check("website", validate::optional(&self.website, website))
            .flatten()
            .unwrap_or_default();
        let contact_first_name =
            required(&mut e, "contact_first_name", &self.contact_first_name, 80);
        let contact_last_name = required(&mut e, "contact_last_name", &self.contact_last_name, 80);
        let contact_email = e
            .check("contact_email", validate::email(&self.contact_email))
            .unwrap_or_default();
        let contact_phone = e
            .check(
                "contact_phone",
                validate::optional(&self.contact_phone, validate::phone),
            )
            .flatten()
            .unwrap_or_default();
        if !e.is_empty() {
            return Err(e);
        }
        Ok(AccountDetails {
            legal_name,
            tax_id,
            country,
            region,
            city,
            street,
            postal_code,
            phone,
            email,
            website,
            contact_first_name,
            contact_last_name,
            contact_email,
            contact_phone,
        })
    }

    /// What the clients list searches: lower-cased, in one column.
    pub fn search_text(&self) -> String {
        [
            &self.legal_name,
            &self.tax_id,
            &self.email,
            &self.phone,
            &self.contact_first_name,
            &self.contact_last_name,
            &self.contact_email,
            &self.contact_phone,
            &self.city,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

impl Agreement {
    /// Step 2 cannot be passed without the customer's acceptance on record.
    pub fn validated(&self) -> Result<Agreement, FieldErrors> {
        let mut e = FieldErrors::new();
        if !self.accepted {
            e.add("accepted", Problem::Required);
        }
        let accepted_by = required(&mut e, "accepted_by", &self.accepted_by, 120);
        let accepted_email = e
            .check("accepted_email", validate::email(&self.accepted_email))
            .unwrap_or_default();
        let accepted_on = e
            .check("accepted_on", date(&self.accepted_on))
            .unwrap_or_default();
        let version = e
            .check(
                "version",
                AGREEMENT_VERSIONS
                    .contains(&self.version.as_str())
                    .then(|| self.version.clone())
                    .ok_or(Problem::UnknownChoice),
            )
            .unwrap_or_default();
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Agreement {
            accepted: true,
            accepted_by,
            accepted_email,
            accepted_on,
            version,
        })
    }
}

/// Step 4: each offer at most once, 1..=100 000 licences each.
pub fn validate_subscriptions(
    lines: &[SubscriptionLine],
) -> Result<Vec<SubscriptionLine>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut seen = Vec::new();
    for line in lines {
        if !(1..=MAX_LICENCES).contains(&line.licences) {
            e.add(
                &format!("licences-{}", line.offer_id),
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_LICENCES,
                },
            );
        }
        if seen.contains(&line.offer_id) {
            e.add(
                &format!("licences-{}", line.offer_id),
                Problem::UnknownChoice,
            );
        }
        seen.push(line.offer_id);
    }
    if e.is_empty() {
        Ok(lines.to_vec())
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn valid_account() -> AccountDetails {
        AccountDetails {
            legal_name: "ООО «Ромашка»".into(),
            tax_id: "7701234567".into(),
            country: "RU".into(),
            region: "".into(),
            city: "Москва".into(),
            street: "Тверская, 1".into(),
            postal_code: "125009".into(),
            phone: "+7 495 123-45-67".into(),
            email: "Office@Romashka.RU".into(),
            website: "romashka.ru".into(),
            contact_first_name: "Ольга".into(),
            contact_last_name: "Иванова".into(),
            contact_email: "olga@romashka.ru".into(),
            contact_phone: "".into(),
        }
    }

    #[test]
    fn a_valid_account_is_cleaned() {
        let clean = valid_account().validated().unwrap();
        assert_eq!(clean.email, "office@romashka.ru");
        assert_eq!(clean.phone, "+74951234567");
        assert_eq!(clean.website, "https://romashka.ru");
        assert!(clean.search_text().contains("ооо «ромашка»"));
    }

    #[test]
    fn every_account_field_is_checked() {
        let bad = AccountDetails {
            legal_name: "".into(),
            tax_id: "1".into(),
            country: "XX".into(),
            city: "a\u{1}".into(),
            street: "x".repeat(201),
            postal_code: "<b>".into(),
            phone: "call me".into(),
            email: "nope".into(),
            website: "javascript:alert(1)".into(),
            contact_first_name: "".into(),
            contact_last_name: "'; DROP TABLE companies; --".into(),
            contact_email: "".into(),
            contact_phone: "12".into(),
            ..Default::default()
        };
        let errors = bad.validated().unwrap_err();
        for field in [
            "legal_name",
            "country",
            "tax_id",
            "city",
            "street",
            "postal_code",
            "phone",
            "email",
            "website",
            "contact_first_name",
            "contact_email",
            "contact_phone",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(
            errors.get("contact_last_name"),
            None,
            "SQL metacharacters are just text"
        );
    }

    #[test]
    fn tax_ids_and_postal_codes_follow_the_country() {
        assert!(tax_id("RU", "770123456789").is_ok());
        assert_eq!(tax_id("RU", "77012345"), Err(Problem::InvalidFormat));
        assert_eq!(tax_id("DE", "de-123456"), Ok("DE-123456".into()));
        assert_eq!(postal_code("RU", "12345"), Err(Problem::InvalidFormat));
        assert_eq!(postal_code("GB", "sw1a 1aa"), Ok("SW1A 1AA".into()));
    }

    #[test]
    fn dates_must_exist() {
        assert!(date("2024-02-29").is_ok());
        assert_eq!(date("2023-02-29"), Err(Problem::InvalidFormat));
        assert_eq!(date("2026-13-01"), Err(Problem::InvalidFormat));
        assert_eq!(date("01.02.2026"), Err(Problem::InvalidFormat));
    }

    #[test]
    fn the_agreement_needs_acceptance() {
        let mut a = Agreement {
            accepted: false,
            accepted_by: "Ольга Иванова".into(),
            accepted_email: "olga@romashka.ru".into(),
            accepted_on: "2026-11-20".into(),
            version: "2026-01".into(),
        };
        assert_eq!(
            a.validated().unwrap_err().get("accepted"),
            Some(Problem::Required)
        );
        a.accepted = true;
        assert!(a.validated().is_ok());
        a.version = "1999".into();
        assert_eq!(
            a.validated().unwrap_err().get("version"),
            Some(Problem::UnknownChoice)
        );
    }

    #[test]
    fn licences_are_bounded_and_offers_unique() {
        let ok = vec![SubscriptionLine {
            offer_id: 1,
            licences: 10,
        }];
        assert!(validate_subscriptions(&ok).is_ok());
        let bad = vec![
            SubscriptionLine {
                offer_id: 1,
                licences: 0,
            },
            SubscriptionLine {
                offer_id: 2,
                licences: MAX_LICENCES + 1,
            },
        ];
        let errors = validate_subscriptions(&bad).unwrap_err();
        assert!(errors.get("licences-1").is_some() && errors.get("licences-2").is_some());
    }
}
