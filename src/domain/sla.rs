//! Service-level deadlines: which rule applies to a ticket, when its reaction and
//! resolution are due, how waiting on the customer pauses the clock, and what a deadline
//! looks like to a viewer right now. Pure, so both targets and the tests share it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaRule {
    pub id: i64,
    pub name: String,
    /// `None`: a rule of the service company that applies under any contract.
    pub contract_id: Option<i64>,
    pub ticket_type: Option<String>,
    pub criticality: Option<String>,
    pub work_type: Option<String>,
    pub reaction_minutes: i64,
    pub resolution_minutes: i64,
}

/// What a rule is matched against.
#[derive(Clone, Copy, Debug)]
pub struct TicketTerms<'a> {
    pub contract_id: Option<i64>,
    pub ticket_type: &'a str,
    pub criticality: &'a str,
    pub work_type: Option<&'a str>,
}

fn matches(criterion: &Option<String>, value: Option<&str>) -> bool {
    match criterion {
        None => true,
        Some(wanted) => value == Some(wanted.as_str()),
    }
}

impl SlaRule {
    pub fn applies_to(&self, terms: &TicketTerms<'_>) -> bool {
        (self.contract_id.is_none() || self.contract_id == terms.contract_id)
            && matches(&self.ticket_type, Some(terms.ticket_type))
            && matches(&self.criticality, Some(terms.criticality))
            && matches(&self.work_type, terms.work_type)
    }
}

/// The rule that applies: among those matching, the shortest resolution time wins, then
/// the shortest reaction time, then the older rule.
pub fn choose<'r>(rules: &'r [SlaRule], terms: &TicketTerms<'_>) -> Option<&'r SlaRule> {
    rules
        .iter()
        .filter(|rule| rule.applies_to(terms))
        .min_by_key(|rule| (rule.resolution_minutes, rule.reaction_minutes, rule.id))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub reaction_due_at: i64,
    pub resolution_due_at: i64,
}

pub fn deadlines(rule: &SlaRule, created_at: i64) -> Deadlines {
    Deadlines {
        reaction_due_at: created_at + rule.reaction_minutes * 60,
        resolution_due_at: created_at + rule.resolution_minutes * 60,
    }
}

/// A deadline after a pause from `paused_at` to `resumed_at`: it moves on by the pause.
pub fn resume(due: Option<i64>, paused_at: i64, resumed_at: i64) -> Option<i64> {
    due.map(|due| due + (resumed_at - paused_at).max(0))
}

/// A deadline as a viewer sees it at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clock {
    /// Seconds left.
    Running(i64),
    /// Waiting on the customer: the seconds that were left when the clock stopped.
    Paused(i64),
    /// Seconds past the deadline.
    Overdue(i64),
    /// The ticket is finished (or the reaction happened).
    Stopped,
}

pub fn clock(due: i64, now: i64, paused_at: Option<i64>, finished: bool) -> Clock {
    if finished {
        return Clock::Stopped;
    }
    let reference = paused_at.unwrap_or(now);
    let left = due - reference;
    match (left, paused_at) {
        (left, _) if left < 0 => Clock::Overdue(-left),
        (left, Some(_)) => Clock::Paused(left),
        (left, None) => Clock::Running(left),
    }
}

/// `2 d 4 h`, `3 h 05 min`, `12 min`: a duration short enough for a list cell.
pub fn short_duration(seconds: i64, day: &str, hour: &str, minute: &str) -> String {
    let seconds = seconds.max(0);
    let days = seconds / 86_400;
    let hours = (seconds % 86_400) / 3_600;
    let minutes = (seconds % 3_600) / 60;
    if days > 0 {
        format!("{days} {day} {hours} {hour}")
    } else if hours > 0 {
        format!("{hours} {hour} {minutes:02} {minute}")
    } else {
        format!("{minutes} {minute}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: i64, name: &str, reaction: i64, resolution: i64) -> SlaRule {
        SlaRule {
            id,
            name: name.into(),
            contract_id: None,
            ticket_type: None,
            criticality: None,
            work_type: None,
            reaction_minutes: reaction,
            resolution_minutes: resolution,
        }
    }

    fn terms(criticality: &str) -> TicketTerms<'_> {
        TicketTerms {
            contract_id: Some(5),
            ticket_type: "repair",
            criticality,
            work_type: Some("diagnostics"),
        }
    }

    #[test]
    fn the_shortest_matching_rule_wins() {
        let general = rule(1, "Default", 240, 2_880);
        let urgent = SlaRule {
            criticality: Some("urgent".into()),
            contract_id: Some(5),
            ..rule(2, "Urgent", 60, 480)
        };
        let other_contract = SlaRule {
            contract_id: Some(6),
            ..rule(3, "Other contract", 5, 10)
        };
        let installation = SlaRule {
            work_type: Some("installation".into()),
            ..rule(4, "Installation", 1, 1)
        };
        let rules = vec![general, urgent, other_contract, installation];
        assert_eq!(choose(&rules, &terms("urgent")).unwrap().name, "Urgent");
        assert_eq!(choose(&rules, &terms("normal")).unwrap().name, "Default");
        assert!(choose(&rules[2..], &terms("normal")).is_none());
    }

    #[test]
    fn ties_go_to_the_shorter_reaction_then_the_older_rule() {
        let rules = vec![
            rule(7, "B", 30, 100),
            rule(3, "A", 30, 100),
            rule(1, "C", 60, 100),
        ];
        assert_eq!(choose(&rules, &terms("normal")).unwrap().name, "A");
    }

    #[test]
    fn deadlines_count_from_creation_and_pauses_push_them_back() {
        let d = deadlines(&rule(1, "R", 60, 480), 1_000);
        assert_eq!(d.reaction_due_at, 1_000 + 3_600);
        assert_eq!(d.resolution_due_at, 1_000 + 28_800);
        assert_eq!(resume(Some(10_000), 2_000, 5_000), Some(13_000));
        assert_eq!(resume(None, 2_000, 5_000), None);
    }

    #[test]
    fn the_clock_stops_while_paused_and_shows_overdue() {
        assert_eq!(clock(1_000, 400, None, false), Clock::Running(600));
        // Paused at 700: 300 s were left, however late it is now.
        assert_eq!(clock(1_000, 5_000, Some(700), false), Clock::Paused(300));
        assert_eq!(clock(1_000, 1_600, None, false), Clock::Overdue(600));
        assert_eq!(clock(1_000, 1_600, None, true), Clock::Stopped);
    }

    #[test]
    fn durations_read_short() {
        assert_eq!(
            short_duration(2 * 86_400 + 4 * 3_600, "d", "h", "min"),
            "2 d 4 h"
        );
        assert_eq!(
            short_duration(3 * 3_600 + 5 * 60, "d", "h", "min"),
            "3 h 05 min"
        );
        assert_eq!(short_duration(59, "d", "h", "min"), "0 min");
    }
}
