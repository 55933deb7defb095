//! Timestamps are UTC seconds since the Unix epoch everywhere (database, wire). This turns
//! them into calendar text without a date library in the WASM bundle.

/// `(year, month, day)` of the proleptic Gregorian calendar for a day count since
/// 1970-01-01 (Howard Hinnant's civil-from-days).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a calendar date (the inverse of [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight UTC of a valid `YYYY-MM-DD` (see `validate::date`).
pub fn parse_date(text: &str) -> Option<i64> {
    let valid = super::validate::date(text).ok()?;
    let y = valid[0..4].parse().ok()?;
    let m = valid[5..7].parse().ok()?;
    let d = valid[8..10].parse().ok()?;
    Some(days_from_civil(y, m, d) * 86_400)
}

/// `YYYY-MM-DDTHH:MM` (an HTML datetime-local value, read as UTC).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once('T').or_else(|| text.split_once(' '))?;
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(0..2)?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(parse_date(date)? + h * 3_600 + m * 60)
}

/// `2026-11-22T08:30`, the value an HTML datetime-local input takes.
pub fn format_datetime_input(unix_seconds: i64) -> String {
    format_utc(unix_seconds).replace(' ', "T")
}

/// ISO weekday of an instant: 1 = Monday … 7 = Sunday.
pub fn weekday(unix_seconds: i64) -> i64 {
    // 1970-01-01 was a Thursday.
    (unix_seconds.div_euclid(86_400) + 3).rem_euclid(7) + 1
}

/// `2026-11-22 08:30` (UTC).
pub fn format_utc(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3_600,
        (secs % 3_600) / 60
    )
}

/// `2026-11-22 11:30` in a zone `offset_minutes` east of UTC (the viewer's).
pub fn format_local(unix_seconds: i64, offset_minutes: i32) -> String {
    format_utc(unix_seconds + i64::from(offset_minutes) * 60)
}

/// A zone offset as the browser reports it (`-getTimezoneOffset()`), if plausible.
pub fn parse_offset(raw: &str) -> Option<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (-14 * 60..=14 * 60).contains(m))
}

/// `2026-11-22`.
pub fn format_date(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_format_correctly() {
        assert_eq!(format_utc(0), "1970-01-01 00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00");
        assert_eq!(format_utc(1_795_336_200), "2026-11-22 08:30");
        assert_eq!(format_date(-86_400), "1969-12-31");
    }

    #[test]
    fn dates_parse_back_to_the_instants_they_show() {
        for t in [0, 951_782_400, 1_795_336_200 - 30_600, 4_102_444_800] {
            assert_eq!(parse_date(&format_date(t)), Some(t - t.rem_euclid(86_400)));
        }
        assert_eq!(parse_datetime("2026-11-22T08:30"), Some(1_795_336_200));
        assert_eq!(parse_datetime("2026-11-22 08:30"), Some(1_795_336_200));
        assert_eq!(parse_datetime("2026-11-22T24:00"), None);
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(format_datetime_input(1_795_336_200), "2026-11-22T08:30");
        // 2026-11-22 is a Sunday, the next day a Monday.
        assert_eq!(weekday(1_795_336_200), 7);
        assert_eq!(weekday(1_795_336_200 + 86_400), 1);
    }
}
