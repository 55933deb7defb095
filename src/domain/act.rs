//! The act of completed work and the customer's rating, shared by both targets: what an
//! act holds (a snapshot taken when it is issued), the signature's vector data and its
//! rules, and the rating form's rules.

use super::validate::{self, FieldErrors, Problem};
use super::works::{Totals, VatMode, WorkLine};
use serde::{Deserialize, Serialize};

/// The signature pad's coordinate box: strokes are scaled into it by the browser.
pub const PAD_WIDTH: i32 = 1000;
pub const PAD_HEIGHT: i32 = 400;
/// Limits of a signature's data.
pub const STROKES_MAX: usize = 100;
pub const POINTS_MAX: usize = 8_000;
/// The shortest ink, in pad units, that counts as a signature (a dot or a slip does not).
pub const INK_MIN: i64 = 120;
pub const SIGNER_MAX: usize = 200;
pub const DECLINE_MAX: usize = 2_000;
/// How long after the first rating the customer may change it.
pub const RATING_EDIT_SECONDS: i64 = 7 * 24 * 3600;
pub const RATING_COMMENT_MAX: usize = 2_000;

/// A party's requisites as printed on the act.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requisites {
    pub name: String,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub bank_code: Option<String>,
}

/// What the service company's requisites form sends (printed on every new act).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisitesInput {
    pub name: String,
    pub tax_id: String,
    pub postal_code: String,
    pub city: String,
    pub street: String,
    pub bank_name: String,
    pub bank_account: String,
    pub bank_code: String,
}

/// A bank account: 5–34 letters and digits (a Russian settlement account, an IBAN…);
/// spaces are dropped.
pub fn bank_account(input: &str) -> Result<String, Problem> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    if (5..=34).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// A bank code: a BIC (9 digits) or a SWIFT code (8 or 11 letters and digits).
pub fn bank_code(input: &str) -> Result<String, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    if matches!(s.len(), 8 | 9 | 11) && s.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(Problem::InvalidFormat)
    }
}

impl RequisitesInput {
    /// The requisites as stored; bank details are optional but go together.
    pub fn check(&self) -> Result<RequisitesInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", validate::text(&self.name, 200));
        let tax_id = errors.check("tax_id", super::company::tax_id("", &self.tax_id));
        let postal_code = errors.check(
            "postal_code",
            validate::optional(&self.postal_code, |v| validate::text(v, 20)),
        );
        let city = errors.check(
            "city",
            validate::optional(&self.city, |v| validate::text(v, 100)),
        );
        let street = errors.check(
            "street",
            validate::optional(&self.street, |v| validate::text(v, 200)),
        );
        let any_bank = [&self.bank_name, &self.bank_account, &self.bank_code]
            .iter()
            .any(|v| !v.trim().is_empty());
        let (bank_name, bank_account, bank_code) = if any_bank {
            (
                errors.check("bank_name", validate::text(&self.bank_name, 200)),
                errors.check("bank_account", bank_account(&self.bank_account)),
                errors.check("bank_code", bank_code(&self.bank_code)),
            )
        } else {
            (
                Some(String::new()),
                Some(String::new()),
                Some(String::new()),
            )
        };
        match (
            name,
            tax_id,
            postal_code,
            city,
            street,
            bank_name,
            bank_account,
            bank_code,
        ) {
            (
                Some(name),
                Some(tax_id),
                Some(postal_code),
                Some(city),
                Some(street),
                Some(bank_name),
                Some(bank_account),
                Some(bank_code),
            ) if errors.is_empty() => Ok(RequisitesInput {
                name,
                tax_id,
                postal_code: postal_code.unwrap_or_default(),
                city: city.unwrap_or_default(),
                street: street.unwrap_or_default(),
                bank_name,
                bank_account,
                bank_code,
            }),
            _ => Err(errors),
        }
    }
}

/// Everything an act prints, frozen when it is issued. Its JSON is what the content
/// hash covers, so the field order is part of the format: add fields at the end only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActContent {
    pub number: String,
    pub issued_at: i64,
    pub ticket_number: String,
    pub ticket_subject: String,
    pub provider: Requisites,
    pub customer: Requisites,
    pub equipment: Option<String>,
    pub location: Option<String>,
    pub contract: Option<String>,
    pub lines: Vec<WorkLine>,
    pub currency: String,
    pub vat: VatMode,
    pub totals: Totals,
    pub performers: Vec<String>,
}

/// Where an act stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActStatus {
    /// Waiting for the customer's signature.
    Issued,
    Signed,
    Declined,
    /// The works changed after it was issued; a new act replaces it.
    Superseded,
}

impl ActStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActStatus::Issued => "issued",
            ActStatus::Signed => "signed",
            ActStatus::Declined => "declined",
            ActStatus::Superseded => "superseded",
        }
    }

    pub fn from_code(code: &str) -> Option<ActStatus> {
        [
            ActStatus::Issued,
            ActStatus::Signed,
            ActStatus::Declined,
            ActStatus::Superseded,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A signature: strokes of points in the pad's box, as drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub strokes: Vec<Vec<(i32, i32)>>,
}

impl Signature {
    /// The length of the ink, in pad units (rounded down per segment).
    pub fn ink(&self) -> i64 {
        self.strokes
            .iter()
            .flat_map(|s| s.windows(2))
            .map(|w| {
                let dx = f64::from(w[1].0 - w[0].0);
                let dy = f64::from(w[1].1 - w[0].1);
                dx.hypot(dy) as i64
            })
            .sum()
    }

    /// Whether the data is a signature at all: within the box and the limits, with
    /// enough ink.
    pub fn check(&self) -> Result<(), Problem> {
        let points: usize = self.strokes.iter().map(Vec::len).sum();
        if self.strokes.len() > STROKES_MAX || points > POINTS_MAX {
            return Err(Problem::InvalidFormat);
        }
        let inside = self
            .strokes
            .iter()
            .flatten()
            .all(|(x, y)| (0..=PAD_WIDTH).contains(x) && (0..=PAD_HEIGHT).contains(y));
        if !inside {
            return Err(Problem::InvalidFormat);
        }
        if self.ink() < INK_MIN {
            return Err(Problem::SignatureEmpty);
        }
        Ok(())
    }

    /// The strokes as an SVG path in the pad's box (`viewBox="0 0 1000 400"`).
    pub fn svg_path(&self) -> String {
        let mut path = String::new();
        for stroke in &self.strokes {
            for (i, (x, y)) in stroke.iter().enumerate() {
                if !path.is_empty() {
                    path.push(' ');
                }
                path.push(if i == 0 { 'M' } else { 'L' });
                path.push_str(&format!("{x} {y}"));
            }
            if stroke.len() == 1 {
                // A dot still shows.
                path.push_str(" l 0.1 0");
            }
        }
        path
    }
}

/// What the customer sends to sign an act.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInput {
    pub act_id: i64,
    pub signer_name: String,
    pub signature: Signature,
}

impl SignInput {
    pub fn check(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("signer_name", validate::text(&self.signer_name, SIGNER_MAX));
        if let Err(problem) = self.signature.check() {
            errors.add("signature", problem);
        }
        match name {
            Some(name) if errors.is_empty() => Ok(name),
            _ => Err(errors),
        }
    }
}

/// An act as the ticket page and the print page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActView {
    pub id: i64,
    pub ticket_id: i64,
    pub status: ActStatus,
    pub content: ActContent,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<i64>,
    /// The performer on whose device the customer signed, if so.
    pub signed_on_device_of: Option<String>,
    pub signature: Option<Signature>,
    pub content_hash: Option<String>,
    pub declined_at: Option<i64>,
    pub decline_comment: Option<String>,
}

/// A rating criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: i64,
    pub name: String,
}

/// The customer's rating of one performer of a ticket.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    pub ticket_id: i64,
    pub engineer_id: i64,
    /// (criterion, score 1–5) for every active criterion.
    pub scores: Vec<(i64, i64)>,
    pub comment: String,
}

impl RatingInput {
    /// The comment and the mean score in hundredths, given the active criteria.
    pub fn check(&self, criteria: &[i64]) -> Result<(Option<String>, i64), FieldErrors> {
        let mut errors = FieldErrors::new();
        for id in criteria {
            match self.scores.iter().find(|(c, _)| c == id) {
                None => errors.add(&format!("score_{id}"), Problem::Required),
                Some((_, s)) if !(1..=5).contains(s) => errors.add(
                    &format!("score_{id}"),
                    Problem::OutOfRange { min: 1, max: 5 },
                ),
                Some(_) => {}
            }
        }
        let mut seen: Vec<i64> = self.scores.iter().map(|(c, _)| *c).collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.scores.len() || self.scores.iter().any(|(c, _)| !criteria.contains(c))
        {
            errors.add("scores", Problem::UnknownChoice);
        }
        let comment = errors.check(
            "comment",
            validate::optional(&self.comment, |c| {
                validate::multiline(c, RATING_COMMENT_MAX)
            }),
        );
        match comment {
            Some(comment) if errors.is_empty() && !criteria.is_empty() => {
                let sum: i64 = self.scores.iter().map(|(_, s)| s).sum();
                let n = criteria.len() as i64;
                Ok((comment, (sum * 100 + n / 2) / n))
            }
            _ => Err(errors),
        }
    }
}

/// 425 → "4,25".
pub fn format_score(centi: i64) -> String {
    format!("{},{:02}", centi / 100, centi % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(i32, i32)]) -> Signature {
        Signature {
            strokes: vec![points.to_vec()],
        }
    }

    #[test]
    fn a_signature_needs_ink_inside_the_box() {
        assert_eq!(Signature::default().check(), Err(Problem::SignatureEmpty));
        assert_eq!(line(&[(10, 10)]).check(), Err(Problem::SignatureEmpty));
        assert_eq!(
            line(&[(10, 10), (60, 10)]).check(),
            Err(Problem::SignatureEmpty)
        );
        assert_eq!(line(&[(10, 10), (300, 10)]).check(), Ok(()));
        assert_eq!(
            line(&[(10, 10), (300, 401)]).check(),
            Err(Problem::InvalidFormat)
        );
        assert_eq!(
            line(&[(-1, 10), (300, 10)]).check(),
            Err(Problem::InvalidFormat)
        );
        let flood = Signature {
            strokes: vec![vec![(1, 1); 10]; STROKES_MAX + 1],
        };
        assert_eq!(flood.check(), Err(Problem::InvalidFormat));
    }

    #[test]
    fn requisites_need_a_name_a_tax_id_and_whole_bank_details() {
        let good = RequisitesInput {
            name: "Atrium Service".into(),
            tax_id: "7700000001".into(),
            bank_name: "Demo Bank".into(),
            bank_account: "4070 2810 9000 0000 0001".into(),
            bank_code: "044525000".into(),
            ..RequisitesInput::default()
        };
        assert_eq!(good.check().unwrap().bank_account, "40702810900000000001");
        let no_bank = RequisitesInput {
            bank_name: String::new(),
            bank_account: String::new(),
            bank_code: String::new(),
            ..good.clone()
        };
        assert!(no_bank.check().is_ok());
        let half = RequisitesInput {
            bank_code: "12".into(),
            bank_name: String::new(),
            ..good.clone()
        };
        let errors = half.check().unwrap_err();
        assert_eq!(errors.get("bank_name"), Some(Problem::Required));
        assert_eq!(errors.get("bank_code"), Some(Problem::InvalidFormat));
        let nameless = RequisitesInput {
            name: " ".into(),
            tax_id: "x".into(),
            ..good
        };
        let errors = nameless.check().unwrap_err();
        assert!(errors.get("name").is_some() && errors.get("tax_id").is_some());
    }

    #[test]
    fn strokes_become_one_svg_path() {
        let sig = Signature {
            strokes: vec![vec![(1, 2), (3, 4)], vec![(5, 6)]],
        };
        assert_eq!(sig.svg_path(), "M1 2 L3 4 M5 6 l 0.1 0");
    }

    #[test]
    fn signing_names_each_problem() {
        let errors = SignInput {
            act_id: 1,
            signer_name: " ".into(),
            signature: Signature::default(),
        }
        .check()
        .unwrap_err();
        assert_eq!(errors.get("signer_name"), Some(Problem::Required));
        assert_eq!(errors.get("signature"), Some(Problem::SignatureEmpty));
    }

    #[test]
    fn a_rating_scores_every_criterion_from_one_to_five() {
        let good = RatingInput {
            ticket_id: 1,
            engineer_id: 2,
            scores: vec![(1, 5), (2, 4), (3, 4)],
            comment: "Quick and tidy".into(),
        };
        assert_eq!(
            good.check(&[1, 2, 3]),
            Ok((Some("Quick and tidy".into()), 433))
        );
        let missing = RatingInput {
            scores: vec![(1, 5)],
            ..good.clone()
        };
        assert_eq!(
            missing.check(&[1, 2]).unwrap_err().get("score_2"),
            Some(Problem::Required)
        );
        let absurd = RatingInput {
            scores: vec![(1, 6)],
            ..good.clone()
        };
        assert!(absurd.check(&[1]).unwrap_err().get("score_1").is_some());
        let foreign = RatingInput {
            scores: vec![(1, 5), (9, 5)],
            ..good.clone()
        };
        assert!(foreign.check(&[1]).unwrap_err().get("scores").is_some());
        let twice = RatingInput {
            scores: vec![(1, 5), (1, 5), (2, 4)],
            ..good
        };
        assert!(twice.check(&[1, 2]).unwrap_err().get("scores").is_some());
        assert_eq!(format_score(433), "4,33");
    }
}
