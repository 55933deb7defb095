//! Planned tickets (HubEx PlannedTickets): when a schedule's slots fall. Daily every N
//! days, or weekly on one weekday every N weeks, at a time of day (UTC), from a start
//! date, until an end date or a number of tickets.

use super::validate::{FieldErrors, Problem};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn from_code(code: &str) -> Option<Frequency> {
        match code {
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub frequency: Frequency,
    /// Every N days (daily) or weeks (weekly), 1..=52.
    pub every_n: i64,
    /// 1 = Monday … 7 = Sunday (weekly only).
    pub weekday: i64,
    /// Minutes after midnight UTC.
    pub time_of_day: i64,
    /// Midnight UTC of the first day.
    pub starts_on: i64,
    /// Midnight UTC of the last day, inclusive.
    pub ends_on: Option<i64>,
    pub max_count: Option<i64>,
}

/// What the plan form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub company_id: i64,
    pub equipment_id: Option<i64>,
    pub all_objects: bool,
    pub contract_id: Option<i64>,
    pub ticket_type: String,
    pub criticality: String,
    pub subject: String,
    pub description: String,
    pub performer_id: Option<i64>,
    /// daily or weekly
    pub frequency: String,
    pub every_n: i64,
    pub weekday: i64,
    /// HH:MM, UTC
    pub time: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    pub ends_on: String,
    pub max_count: Option<i64>,
}

const DAY: i64 = 86_400;

impl Schedule {
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=52).contains(&self.every_n) {
            errors.add("every_n", Problem::OutOfRange { min: 1, max: 52 });
        }
        if self.frequency == Frequency::Weekly && !(1..=7).contains(&self.weekday) {
            errors.add("weekday", Problem::UnknownChoice);
        }
        if !(0..24 * 60).contains(&self.time_of_day) {
            errors.add("time_of_day", Problem::InvalidFormat);
        }
        if self.ends_on.is_some_and(|end| end < self.starts_on) {
            errors.add("ends_on", Problem::InvalidFormat);
        }
        if self.max_count.is_some_and(|n| !(1..=10_000).contains(&n)) {
            errors.add(
                "max_count",
                Problem::OutOfRange {
                    min: 1,
                    max: 10_000,
                },
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn period(&self) -> i64 {
        match self.frequency {
            Frequency::Daily => self.every_n.max(1) * DAY,
            Frequency::Weekly => self.every_n.max(1) * 7 * DAY,
        }
    }

    /// The first slot of the schedule.
    fn base(&self) -> i64 {
        let first_day = match self.frequency {
            Frequency::Daily => self.starts_on,
            Frequency::Weekly => {
                let today = super::time::weekday(self.starts_on);
                self.starts_on + (self.weekday - today).rem_euclid(7) * DAY
            }
        };
        first_day + self.time_of_day * 60
    }

    /// The first slot at or after `t`, if the schedule has not ended by then
    /// (`created` tickets so far count against `max_count`).
    pub fn slot_at_or_after(&self, t: i64, created: i64) -> Option<i64> {
        if self.max_count.is_some_and(|max| created >= max) {
            return None;
        }
        let base = self.base();
        let period = self.period();
        let k = if t <= base {
            0
        } else {
            (t - base + period - 1) / period
        };
        let slot = base + k * period;
        match self.ends_on {
            Some(end) if slot >= end + DAY => None,
            _ => Some(slot),
        }
    }

    /// The slot after `slot`.
    pub fn next_after(&self, slot: i64, created: i64) -> Option<i64> {
        self.slot_at_or_after(slot + 1, created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-23 is a Monday.
    const MONDAY: i64 = 1_795_392_000;

    fn weekly(weekday: i64, every_n: i64) -> Schedule {
        Schedule {
            frequency: Frequency::Weekly,
            every_n,
            weekday,
            time_of_day: 9 * 60,
            starts_on: MONDAY,
            ends_on: None,
            max_count: None,
        }
    }

    #[test]
    fn weekly_slots_fall_on_the_weekday_every_n_weeks() {
        assert_eq!(crate::domain::time::weekday(MONDAY), 1);
        let s = weekly(3, 2);
        let first = s.slot_at_or_after(0, 0).unwrap();
        assert_eq!(first, MONDAY + 2 * DAY + 9 * 3_600, "Wednesday 09:00");
        assert_eq!(s.next_after(first, 1), Some(first + 14 * DAY));
        // Asked in between, the next one.
        assert_eq!(s.slot_at_or_after(first + 1, 1), Some(first + 14 * DAY));
        assert_eq!(
            s.slot_at_or_after(first, 1),
            Some(first),
            "a slot is at-or-after itself"
        );
    }

    #[test]
    fn daily_slots_stop_at_the_end_date_or_the_count() {
        let s = Schedule {
            frequency: Frequency::Daily,
            every_n: 1,
            weekday: 1,
            time_of_day: 0,
            starts_on: MONDAY,
            ends_on: Some(MONDAY + 2 * DAY),
            max_count: None,
        };
        assert_eq!(
            s.slot_at_or_after(MONDAY + 2 * DAY, 2),
            Some(MONDAY + 2 * DAY)
        );
        assert_eq!(s.next_after(MONDAY + 2 * DAY, 3), None);
        let counted = Schedule {
            ends_on: None,
            max_count: Some(2),
            ..s
        };
        assert_eq!(counted.slot_at_or_after(MONDAY, 1), Some(MONDAY));
        assert_eq!(counted.slot_at_or_after(MONDAY, 2), None);
    }

    #[test]
    fn bad_schedules_are_named() {
        let bad = Schedule {
            every_n: 0,
            weekday: 9,
            time_of_day: 24 * 60,
            ends_on: Some(MONDAY - DAY),
            max_count: Some(0),
            ..weekly(1, 1)
        };
        let errors = bad.check().unwrap_err();
        for field in ["every_n", "weekday", "time_of_day", "ends_on", "max_count"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
