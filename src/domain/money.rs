//! Money is an integer number of minor units (kopecks, cents) with a currency code.

use super::validate::Problem;

/// The largest amount accepted from a person: 10 billion in major units.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

/// Reads "1500", "1 500,50", "1500.5" into minor units; at most two decimals, not negative.
pub fn parse_amount(input: &str) -> Result<i64, Problem> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Problem::InvalidFormat);
    }
    if whole.len() > 13 {
        return Err(Problem::OutOfRange {
            min: 0,
            max: MAX_MINOR / 100,
        });
    }
    let whole: i64 = whole.parse().map_err(|_| Problem::InvalidFormat)?;
    let frac: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| Problem::InvalidFormat)?;
    let minor = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or(Problem::OutOfRange {
            min: 0,
            max: MAX_MINOR / 100,
        })?;
    if minor > MAX_MINOR {
        return Err(Problem::OutOfRange {
            min: 0,
            max: MAX_MINOR / 100,
        });
    }
    Ok(minor)
}

/// `150000` RUB → "1 500,00 RUB" (narrow spaces between thousands).
pub fn format_amount(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02} {currency}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_minor_units() {
        assert_eq!(parse_amount("1500"), Ok(150_000));
        assert_eq!(parse_amount("1 500,5"), Ok(150_050));
        assert_eq!(parse_amount("0.07"), Ok(7));
        assert_eq!(parse_amount("-1"), Err(Problem::InvalidFormat));
        assert_eq!(parse_amount("1.234"), Err(Problem::InvalidFormat));
        assert_eq!(parse_amount("1e9"), Err(Problem::InvalidFormat));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(Problem::OutOfRange {
                min: 0,
                max: 10_000_000_000
            })
        );
        assert_eq!(parse_amount(""), Err(Problem::Required));
    }

    #[test]
    fn amounts_format_with_groups() {
        assert_eq!(format_amount(150_000, "RUB"), "1\u{202f}500,00 RUB");
        assert_eq!(format_amount(7, "USD"), "0,07 USD");
        assert_eq!(
            format_amount(123_456_789, "EUR"),
            "1\u{202f}234\u{202f}567,89 EUR"
        );
    }
}
