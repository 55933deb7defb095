//! Ticket vocabulary shared by both targets. The full workflow table (who may move a
//! ticket from which stage to which) belongs to the tickets capability; the stages and
//! their order live here so that lists, demo data and badges agree.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
