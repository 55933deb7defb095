//! Completed works: one line's rules and the arithmetic of an act. Quantities and hours
//! are integers in thousandths, money in minor units; every product and sum is checked,
//! so no input can overflow or wrap. The browser shows the same totals the server stores.

use super::money::{self, MAX_MINOR};
use super::validate::{self, FieldErrors, Problem};
use serde::{Deserialize, Serialize};

/// The largest quantity of one line (in units, not thousandths).
pub const QUANTITY_MAX: i64 = 1_000_000;
/// The most hours one line may record.
pub const HOURS_MAX: i64 = 10_000;
/// The most lines a ticket's works may have.
pub const LINES_MAX: usize = 500;
/// The most photos one line may carry.
pub const LINE_FILES_MAX: usize = 5;
pub const DESCRIPTION_MAX: usize = 500;
pub const UNIT_MAX: usize = 20;
/// The largest total of an act: a thousand times the largest single amount.
pub const TOTAL_MAX: i64 = MAX_MINOR * 1_000;

/// How VAT is applied to the works' amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VatMode {
    /// Not a VAT payer: no tax line.
    None,
    /// Prices include VAT at this rate (basis points: 2000 = 20 %); the act shows the
    /// tax contained in the total.
    Included(u32),
    /// VAT at this rate is added on top of the prices.
    OnTop(u32),
}

impl VatMode {
    /// Reads the configuration's words: `none`, `included:20`, `on-top:20` (percent, up to
    /// two decimals).
    pub fn parse(text: &str) -> Option<VatMode> {
        let text = text.trim();
        if text == "none" {
            return Some(VatMode::None);
        }
        let (mode, rate) = text.split_once(':')?;
        let bp = u32::try_from(money::parse_amount(rate).ok()?).ok()?;
        if bp == 0 || bp > 10_000 {
            return None;
        }
        match mode {
            "included" => Some(VatMode::Included(bp)),
            "on-top" => Some(VatMode::OnTop(bp)),
            _ => None,
        }
    }

    pub fn rate_bp(self) -> u32 {
        match self {
            VatMode::None => 0,
            VatMode::Included(bp) | VatMode::OnTop(bp) => bp,
        }
    }
}

/// Sums of an act.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Without VAT.
    pub net: i64,
    pub vat: i64,
    /// What the customer pays.
    pub total: i64,
}

/// `value × numerator / denominator`, rounded half away from zero, in i128.
fn scale(value: i128, numerator: i128, denominator: i128) -> i128 {
    let product = value * numerator;
    let half = denominator / 2;
    if product >= 0 {
        (product + half) / denominator
    } else {
        (product - half) / denominator
    }
}

/// A line's amount: quantity (thousandths) × unit price (minor units), rounded to the
/// minor unit. `None` when it exceeds [`MAX_MINOR`].
pub fn line_amount(quantity_milli: i64, unit_price_minor: i64) -> Option<i64> {
    let amount = scale(
        i128::from(quantity_milli),
        i128::from(unit_price_minor),
        1000,
    );
    i64::try_from(amount)
        .ok()
        .filter(|a| (0..=MAX_MINOR).contains(a))
}

/// The act's sums from its lines' amounts. `None` when the total exceeds [`TOTAL_MAX`].
pub fn totals(amounts: &[i64], vat: VatMode) -> Option<Totals> {
    let sum: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
    let rate = i128::from(vat.rate_bp());
    let (net, tax) = match vat {
        VatMode::None => (sum, 0),
        VatMode::Included(_) => {
            let tax = scale(sum, rate, 10_000 + rate);
            (sum - tax, tax)
        }
        VatMode::OnTop(_) => (sum, scale(sum, rate, 10_000)),
    };
    let total = net + tax;
    if total > i128::from(TOTAL_MAX) || sum < 0 {
        return None;
    }
    Some(Totals {
        net: i64::try_from(net).ok()?,
        vat: i64::try_from(tax).ok()?,
        total: i64::try_from(total).ok()?,
    })
}

/// Reads "2", "1,5", "0.125" into thousandths: at most three decimals, above zero.
pub fn parse_quantity(input: &str, max: i64) -> Result<i64, Problem> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 3
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Problem::InvalidFormat);
    }
    let range = Problem::OutOfRange { min: 0, max };
    if whole.len() > 9 {
        return Err(range);
    }
    let whole: i64 = whole.parse().map_err(|_| Problem::InvalidFormat)?;
    let frac: i64 = format!("{frac:0<3}")
        .parse()
        .map_err(|_| Problem::InvalidFormat)?;
    let milli = whole * 1000 + frac;
    if milli > max * 1000 {
        return Err(range);
    }
    Ok(milli)
}

/// 1500 → "1,5"; 2000 → "2".
pub fn format_milli(milli: i64) -> String {
    let whole = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole},{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// What the works form sends for one line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub is_material: bool,
    /// A work type code (works only; empty for none).
    pub work_type: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub hours: String,
    /// Photos: the author's own uploads.
    pub files: Vec<i64>,
}

/// A line as it will be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLine {
    pub is_material: bool,
    pub work_type: Option<String>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub unit_price_minor: i64,
    pub hours_milli: i64,
    pub amount_minor: i64,
    pub files: Vec<i64>,
}

impl LineInput {
    /// The line, or every problem by field. Work types are checked against the list by
    /// the server.
    pub fn check(&self) -> Result<ValidLine, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description = errors.check(
            "description",
            validate::text(&self.description, DESCRIPTION_MAX),
        );
        let quantity = errors.check("quantity", parse_quantity(&self.quantity, QUANTITY_MAX));
        if quantity == Some(0) {
            errors.add(
                "quantity",
                Problem::OutOfRange {
                    min: 0,
                    max: QUANTITY_MAX,
                },
            );
        }
        let unit = errors.check("unit", validate::text(&self.unit, UNIT_MAX));
        let price = errors.check("unit_price", money::parse_amount(&self.unit_price));
        let hours = if self.hours.trim().is_empty() || self.is_material {
            Some(0)
        } else {
            errors.check("hours", parse_quantity(&self.hours, HOURS_MAX))
        };
        let mut files = self.files.clone();
        files.sort_unstable();
        files.dedup();
        if files.len() > LINE_FILES_MAX {
            errors.add(
                "files",
                Problem::OutOfRange {
                    min: 0,
                    max: LINE_FILES_MAX as i64,
                },
            );
        }
        let amount = match (quantity, price) {
            (Some(q), Some(p)) if q > 0 => {
                let amount = line_amount(q, p);
                if amount.is_none() {
                    errors.add(
                        "unit_price",
                        Problem::OutOfRange {
                            min: 0,
                            max: MAX_MINOR / 100,
                        },
                    );
                }
                amount
            }
            _ => None,
        };
        match (description, quantity, unit, price, hours, amount) {
            (
                Some(description),
                Some(quantity_milli),
                Some(unit),
                Some(unit_price_minor),
                Some(hours_milli),
                Some(amount_minor),
            ) if errors.is_empty() => {
                let work_type = self.work_type.trim();
                Ok(ValidLine {
                    is_material: self.is_material,
                    work_type: (!self.is_material && !work_type.is_empty())
                        .then(|| work_type.to_owned()),
                    description,
                    quantity_milli,
                    unit,
                    unit_price_minor,
                    hours_milli,
                    amount_minor,
                    files,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A stored line, as the works tab and the act show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkLine {
    pub id: i64,
    pub is_material: bool,
    pub work_type: Option<String>,
    pub work_type_name: Option<String>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub unit_price_minor: i64,
    pub hours_milli: i64,
    pub amount_minor: i64,
    pub photos: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_quantity_times_price_rounded_half_up() {
        assert_eq!(line_amount(1_000, 150_000), Some(150_000));
        assert_eq!(line_amount(1_500, 333), Some(500)); // 499.5 → 500
        assert_eq!(line_amount(1, 1), Some(0)); // 0.001 kopeck
        assert_eq!(line_amount(500, 1), Some(1)); // 0.5 → 1
        assert_eq!(line_amount(QUANTITY_MAX * 1000, MAX_MINOR), None);
    }

    #[test]
    fn vat_on_top_adds_and_included_extracts() {
        let on_top = totals(&[100_000, 20_050], VatMode::OnTop(2000)).unwrap();
        assert_eq!(
            on_top,
            Totals {
                net: 120_050,
                vat: 24_010,
                total: 144_060
            }
        );
        // 1200.00 with 20 % included: 200.00 of it is tax.
        let included = totals(&[120_000], VatMode::Included(2000)).unwrap();
        assert_eq!(
            included,
            Totals {
                net: 100_000,
                vat: 20_000,
                total: 120_000
            }
        );
        // 1.00 with 20 % included: 0.1666… → 0.17.
        let odd = totals(&[100], VatMode::Included(2000)).unwrap();
        assert_eq!((odd.net, odd.vat, odd.total), (83, 17, 100));
        let none = totals(&[5, 7], VatMode::None).unwrap();
        assert_eq!(
            none,
            Totals {
                net: 12,
                vat: 0,
                total: 12
            }
        );
        assert_eq!(totals(&[], VatMode::OnTop(2000)), Some(Totals::default()));
        // The sum of many large lines is refused, not wrapped.
        assert_eq!(totals(&vec![MAX_MINOR; 2000], VatMode::OnTop(2000)), None);
    }

    #[test]
    fn vat_modes_read_from_configuration() {
        assert_eq!(VatMode::parse("none"), Some(VatMode::None));
        assert_eq!(VatMode::parse("on-top:20"), Some(VatMode::OnTop(2000)));
        assert_eq!(
            VatMode::parse("included:12.5"),
            Some(VatMode::Included(1250))
        );
        assert_eq!(VatMode::parse("included:0"), None);
        assert_eq!(VatMode::parse("on-top:101"), None);
        assert_eq!(VatMode::parse("sometimes:20"), None);
    }

    #[test]
    fn quantities_read_in_thousandths() {
        assert_eq!(parse_quantity("2", 10), Ok(2_000));
        assert_eq!(parse_quantity(" 1,5 ", 10), Ok(1_500));
        assert_eq!(parse_quantity("0.125", 10), Ok(125));
        assert_eq!(parse_quantity("-1", 10), Err(Problem::InvalidFormat));
        assert_eq!(parse_quantity("1.2345", 10), Err(Problem::InvalidFormat));
        assert_eq!(parse_quantity("1e3", 10), Err(Problem::InvalidFormat));
        assert_eq!(
            parse_quantity("11", 10),
            Err(Problem::OutOfRange { min: 0, max: 10 })
        );
        assert_eq!(
            parse_quantity("99999999999999999999", 10),
            Err(Problem::OutOfRange { min: 0, max: 10 })
        );
        assert_eq!(format_milli(1_500), "1,5");
        assert_eq!(format_milli(2_000), "2");
        assert_eq!(format_milli(125), "0,125");
    }

    fn input() -> LineInput {
        LineInput {
            is_material: false,
            work_type: "repair".into(),
            description: "Replaced the compressor relay".into(),
            quantity: "2".into(),
            unit: "pcs".into(),
            unit_price: "1500,50".into(),
            hours: "1.5".into(),
            files: vec![3, 3],
        }
    }

    #[test]
    fn a_good_line_is_priced_and_a_bad_one_names_every_field() {
        let line = input().check().unwrap();
        assert_eq!(line.amount_minor, 300_100);
        assert_eq!(line.hours_milli, 1_500);
        assert_eq!(line.files, vec![3]);
        let bad = LineInput {
            description: " ".into(),
            quantity: "0".into(),
            unit: String::new(),
            unit_price: "-5".into(),
            hours: "abc".into(),
            ..input()
        }
        .check()
        .unwrap_err();
        for field in ["description", "quantity", "unit", "unit_price", "hours"] {
            assert!(bad.get(field).is_some(), "{field} should be refused");
        }
        let absurd = LineInput {
            quantity: "1000000".into(),
            unit_price: "10000000000".into(),
            ..input()
        }
        .check()
        .unwrap_err();
        assert!(absurd.get("unit_price").is_some());
        // Materials carry no hours and no work type.
        let material = LineInput {
            is_material: true,
            hours: "abc".into(),
            ..input()
        }
        .check()
        .unwrap();
        assert_eq!((material.hours_milli, material.work_type), (0, None));
    }
}
