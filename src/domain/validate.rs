//! Input rules shared by the browser and the server. The browser runs them for instant
//! feedback; the server runs them again and is the one that counts.

use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 120;
pub const EMAIL_MAX: usize = 254;
pub const LOGIN_MAX: usize = 254;

/// What is wrong with one field. The UI turns it into a sentence in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    InvalidEmail,
    InvalidPhone,
    /// Neither an e-mail address nor a phone number.
    InvalidLogin,
    /// Unknown user or wrong password: one message for both.
    BadCredentials,
    /// The confirmation does not repeat the new password.
    Mismatch,
    /// A typed confirmation (e.g. a company's name before deleting it) is not the expected text.
    ConfirmationMismatch,
    /// The current password given to change it is wrong.
    WrongPassword,
    /// The e-mail or phone already belongs to another account.
    Taken,
    /// A reset link that is unknown, used or expired.
    LinkInvalid,
    /// A value outside a fixed list (e.g. a language code).
    UnknownChoice,
    /// Control characters or other text that cannot be stored.
    InvalidCharacters,
    /// A value of the wrong shape (tax id, postal code, date, web address).
    InvalidFormat,
    /// An action the user's role may not take here (e.g. a workflow transition).
    NotAllowed,
    /// A file larger than the limit, in megabytes.
    FileTooLarge {
        max_mb: u32,
    },
    /// A file of a type that is not accepted, or whose content does not match its name.
    FileType,
    /// Completion is confirmed by signing the act waiting for it.
    SignTheAct,
    /// A signature pad left empty (or a slip of the finger).
    SignatureEmpty,
    /// Something that can no longer change (a signed act, a rating past its week).
    Locked,
    /// A warranty that ends before the object was installed.
    WarrantyBeforeInstall,
    /// An object placed under one of the same or a lower level (a room in a unit).
    ParentLevel,
    /// An object with live children cannot be retired.
    HasChildren,
    /// An SLA rule whose resolution comes before its reaction.
    ResolutionBeforeReaction,
    /// A number outside its bounds.
    OutOfRange {
        min: i64,
        max: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// The problems of one form, in the order of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, problem: Problem) -> Self {
        let mut errors = Self::new();
        errors.add(field, problem);
        errors
    }

    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError {
            field: field.to_owned(),
            problem,
        });
    }

    /// Records the outcome of a check; returns the cleaned value when it passed.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| e.problem)
    }

    /// A form's own check as its value (when it passed) and its errors, so that the
    /// checks only the server can make add to the same list.
    pub fn split<T>(result: Result<T, FieldErrors>) -> (Option<T>, FieldErrors) {
        match result {
            Ok(value) => (Some(value), FieldErrors::new()),
            Err(errors) => (None, errors),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A login is an e-mail address or a phone number, normalised for lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    Email(String),
    Phone(String),
}

impl Login {
    pub fn as_str(&self) -> &str {
        match self {
            Login::Email(s) | Login::Phone(s) => s,
        }
    }
}

fn has_control_chars(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

fn length_within(s: &str, max: usize) -> Result<(), Problem> {
    if s.chars().count() > max {
        Err(Problem::TooLong { max: max as u32 })
    } else {
        Ok(())
    }
}

/// A trimmed, required, single-line text of at most `max` characters (names, titles).
pub fn text(input: &str, max: usize) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    length_within(s, max)?;
    if has_control_chars(s) {
        return Err(Problem::InvalidCharacters);
    }
    Ok(s.to_owned())
}

/// A trimmed, required text of several lines (descriptions, comments): line breaks and
/// tabs are kept, other control characters refused.
pub fn multiline(input: &str, max: usize) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    length_within(s, max)?;
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Problem::InvalidCharacters);
    }
    Ok(s.replace("\r\n", "\n"))
}

/// `YYYY-MM-DD` of a real calendar day.
pub fn date(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(Problem::InvalidFormat);
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(Problem::InvalidFormat);
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(Problem::InvalidFormat);
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(Problem::InvalidFormat),
    };
    if !(1900..=2999).contains(&y) || d == 0 || d > days {
        return Err(Problem::InvalidFormat);
    }
    Ok(s.to_owned())
}

/// `name@domain.tld`, lower-cased. Deliberately simple: one `@`, a dot in the domain,
/// no spaces; the real test of an address is the mail that reaches it.
pub fn email(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    length_within(s, EMAIL_MAX)?;
    let (local, domain) = s.split_once('@').ok_or(Problem::InvalidEmail)?;
    let valid = !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[]\\,;:\"".contains(c));
    if valid {
        Ok(s.to_lowercase())
    } else {
        Err(Problem::InvalidEmail)
    }
}

/// A phone number in international form: `+` and 7–15 digits; spaces, dashes, dots and
/// brackets are dropped. A leading `8` of a Russian number is read as `+7`.
pub fn phone(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    if s.chars().count() > 32 {
        return Err(Problem::InvalidPhone);
    }
    let mut digits = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(Problem::InvalidPhone),
        }
    }
    if !s.starts_with('+') && digits.len() == 11 && digits.starts_with('8') {
        digits.replace_range(0..1, "7");
    }
    if (7..=15).contains(&digits.len()) && !digits.starts_with('0') {
        Ok(format!("+{digits}"))
    } else {
        Err(Problem::InvalidPhone)
    }
}

/// An e-mail address or a phone number, whichever the input looks like.
pub fn login(input: &str) -> Result<Login, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    length_within(s, LOGIN_MAX)?;
    if s.contains('@') {
        email(s).map(Login::Email)
    } else {
        phone(s)
            .map(Login::Phone)
            .map_err(|_| Problem::InvalidLogin)
    }
}

/// At least 8 and at most 128 characters; anything else is the user's choice.
pub fn password(input: &str) -> Result<String, Problem> {
    if input.is_empty() {
        return Err(Problem::Required);
    }
    let n = input.chars().count();
    if n < PASSWORD_MIN {
        return Err(Problem::TooShort {
            min: PASSWORD_MIN as u32,
        });
    }
    if n > PASSWORD_MAX {
        return Err(Problem::TooLong {
            max: PASSWORD_MAX as u32,
        });
    }
    Ok(input.to_owned())
}

/// An optional field: empty means "none", anything else must pass `rule`.
pub fn optional<T>(
    input: &str,
    rule: impl Fn(&str) -> Result<T, Problem>,
) -> Result<Option<T>, Problem> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        rule(input).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_malformed_ones_refused() {
        assert_eq!(
            email("  Olga.Ivanova@Example.RU "),
            Ok("olga.ivanova@example.ru".into())
        );
        assert_eq!(email("иван@пример.рф"), Ok("иван@пример.рф".into()));
        for bad in [
            "olga",
            "olga@",
            "@example.ru",
            "a@b",
            "a@@b.ru",
            "a b@c.ru",
            "<script>@x.ru",
            "a@x..ru",
        ] {
            assert_eq!(email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
        assert_eq!(email(""), Err(Problem::Required));
        assert_eq!(
            email(&format!("{}@x.ru", "a".repeat(300))),
            Err(Problem::TooLong { max: 254 })
        );
    }

    #[test]
    fn phones_are_normalised_to_international_form() {
        assert_eq!(phone("+7 (912) 345-67-89"), Ok("+79123456789".into()));
        assert_eq!(phone("8 912 345 67 89"), Ok("+79123456789".into()));
        assert_eq!(phone("+98 21 1234 5678"), Ok("+982112345678".into()));
        for bad in [
            "12",
            "+7 912 abc",
            "++79123456789",
            "0123456789",
            "1'; DROP TABLE users;--",
        ] {
            assert_eq!(phone(bad), Err(Problem::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn login_accepts_email_or_phone_only() {
        assert_eq!(
            login("Admin@Atrium.demo"),
            Ok(Login::Email("admin@atrium.demo".into()))
        );
        assert_eq!(
            login("+7 912 345 67 89"),
            Ok(Login::Phone("+79123456789".into()))
        );
        assert_eq!(login("admin"), Err(Problem::InvalidLogin));
        assert_eq!(login("   "), Err(Problem::Required));
        assert_eq!(
            login(&"x".repeat(10_000)),
            Err(Problem::TooLong { max: 254 })
        );
    }

    #[test]
    fn passwords_between_8_and_128_characters() {
        assert_eq!(password(""), Err(Problem::Required));
        assert_eq!(password("short12"), Err(Problem::TooShort { min: 8 }));
        assert!(password("eight888").is_ok());
        // counted in characters, not bytes: 8 Cyrillic letters are enough
        assert!(password("пароль12").is_ok());
        assert!(password(&"p".repeat(128)).is_ok());
        assert_eq!(
            password(&"p".repeat(129)),
            Err(Problem::TooLong { max: 128 })
        );
    }

    #[test]
    fn text_is_trimmed_bounded_and_single_line() {
        assert_eq!(
            text("  Ольга Иванова ", NAME_MAX),
            Ok("Ольга Иванова".into())
        );
        assert_eq!(text("علی رضایی", NAME_MAX), Ok("علی رضایی".into()));
        assert_eq!(
            text("<b>O'Brien</b>; --", NAME_MAX),
            Ok("<b>O'Brien</b>; --".into())
        );
        assert_eq!(text("", NAME_MAX), Err(Problem::Required));
        assert_eq!(text("a\u{0}b", NAME_MAX), Err(Problem::InvalidCharacters));
        assert_eq!(
            text(&"я".repeat(121), NAME_MAX),
            Err(Problem::TooLong { max: 120 })
        );
    }

    #[test]
    fn field_errors_keep_order_and_lookup() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("email", email("x")), None);
        assert_eq!(
            errors.check("phone", phone("+79123456789")),
            Some("+79123456789".into())
        );
        errors.add("password", Problem::Required);
        assert_eq!(errors.get("email"), Some(Problem::InvalidEmail));
        assert_eq!(errors.get("phone"), None);
        assert_eq!(errors.0.len(), 2);
    }
}
