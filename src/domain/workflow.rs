//! The ticket life cycle as data: which role may move a ticket from which stage to
//! which, and whether a comment is required. The server refuses anything not in
//! [`TRANSITIONS`]; the ticket page offers exactly the transitions [`available`] returns,
//! so the buttons a user sees and the moves the server accepts cannot drift apart.
//!
//! New → Approval (the customer approves) → In work → Work completed (the performer) →
//! Done (the customer confirms) → Closed. Customer refused is reachable from the open
//! stages. Time spent waiting on the customer does not count against the SLA.

use super::role::Role;
use super::ticket::Stage;
use serde::{Deserialize, Serialize};

/// The verb on the button; the UI translates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Move {
    SendForApproval,
    Approve,
    NotApprove,
    StartWork,
    CompleteWork,
    ConfirmCompletion,
    ReturnToWork,
    Withdraw,
    Close,
}

impl Move {
    pub fn code(self) -> &'static str {
        match self {
            Move::SendForApproval => "send_for_approval",
            Move::Approve => "approve",
            Move::NotApprove => "not_approve",
            Move::StartWork => "start_work",
            Move::CompleteWork => "complete_work",
            Move::ConfirmCompletion => "confirm_completion",
            Move::ReturnToWork => "return_to_work",
            Move::Withdraw => "withdraw",
            Move::Close => "close",
        }
    }

    /// Whether the button is the page's main action or a secondary one (refusals).
    pub fn is_negative(self) -> bool {
        matches!(self, Move::NotApprove | Move::ReturnToWork | Move::Withdraw)
    }
}

/// Who, besides the role, the actor is to the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub role: Role,
    /// One of the ticket's performers.
    pub performer: bool,
}

/// Who may take a transition: roles, or a performer whatever their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The service company's admins and managers.
    Staff,
    /// Staff, or an engineer who performs the ticket.
    StaffOrPerformer,
    /// The customer's users.
    Customer,
}

impl Who {
    pub fn admits(self, standing: Standing) -> bool {
        let staff = matches!(standing.role, Role::Admin | Role::Manager);
        match self {
            Who::Staff => staff,
            Who::StaffOrPerformer => {
                staff || (standing.role == Role::Engineer && standing.performer)
            }
            Who::Customer => standing.role == Role::Customer,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: Stage,
    pub to: Stage,
    pub action: Move,
    pub who: Who,
    pub comment_required: bool,
}

const fn t(from: Stage, to: Stage, action: Move, who: Who, comment_required: bool) -> Transition {
    Transition {
        from,
        to,
        action,
        who,
        comment_required,
    }
}

/// The default workflow of PRODUCT.md.
pub const TRANSITIONS: &[Transition] = &[
    t(
        Stage::New,
        Stage::Approval,
        Move::SendForApproval,
        Who::StaffOrPerformer,
        false,
    ),
    t(
        Stage::New,
        Stage::InWork,
        Move::StartWork,
        Who::Staff,
        false,
    ),
    t(
        Stage::New,
        Stage::Refused,
        Move::Withdraw,
        Who::Customer,
        true,
    ),
    t(
        Stage::Approval,
        Stage::InWork,
        Move::Approve,
        Who::Customer,
        false,
    ),
    t(
        Stage::Approval,
        Stage::Refused,
        Move::NotApprove,
        Who::Customer,
        true,
    ),
    t(
        Stage::InWork,
        Stage::WorkCompleted,
        Move::CompleteWork,
        Who::StaffOrPerformer,
        false,
    ),
    t(
        Stage::InWork,
        Stage::Refused,
        Move::Withdraw,
        Who::Customer,
        true,
    ),
    t(
        Stage::WorkCompleted,
        Stage::Done,
        Move::ConfirmCompletion,
        Who::Customer,
        false,
    ),
    t(
        Stage::WorkCompleted,
        Stage::InWork,
        Move::ReturnToWork,
        Who::Customer,
        true,
    ),
    t(Stage::Done, Stage::Closed, Move::Close, Who::Staff, false),
    t(
        Stage::Refused,
        Stage::Closed,
        Move::Close,
        Who::Staff,
        false,
    ),
];

/// The transitions the actor may take from a stage, in the table's order.
pub fn available(from: Stage, standing: Standing) -> Vec<Transition> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.who.admits(standing))
        .copied()
        .collect()
}

/// Why a requested move is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such transition in the workflow.
    NoSuchTransition,
    /// The transition exists but not for this actor.
    NotYours,
    CommentRequired,
}

/// Checks a requested move; `Ok` carries the transition taken.
pub fn check(
    from: Stage,
    to: Stage,
    standing: Standing,
    comment: &str,
) -> Result<Transition, Refusal> {
    let transition = TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.to == to)
        .ok_or(Refusal::NoSuchTransition)?;
    if !transition.who.admits(standing) {
        return Err(Refusal::NotYours);
    }
    if transition.comment_required && comment.trim().is_empty() {
        return Err(Refusal::CommentRequired);
    }
    Ok(*transition)
}

/// Stages in which the ticket waits on the customer: the SLA clock stops.
pub fn waits_on_customer(stage: Stage) -> bool {
    matches!(stage, Stage::Approval | Stage::WorkCompleted)
}

/// Stages listed under Archive.
pub fn is_archived(stage: Stage) -> bool {
    matches!(stage, Stage::Closed | Stage::Refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(role: Role, performer: bool) -> Standing {
        Standing { role, performer }
    }

    /// Every stage × role × target: exactly the table's pairs are allowed.
    #[test]
    fn the_whole_table_allows_exactly_what_it_lists() {
        let expected: &[(Stage, Stage, &[Role])] = &[
            (Stage::New, Stage::Approval, &[Role::Admin, Role::Manager]),
            (Stage::New, Stage::InWork, &[Role::Admin, Role::Manager]),
            (Stage::New, Stage::Refused, &[Role::Customer]),
            (Stage::Approval, Stage::InWork, &[Role::Customer]),
            (Stage::Approval, Stage::Refused, &[Role::Customer]),
            (
                Stage::InWork,
                Stage::WorkCompleted,
                &[Role::Admin, Role::Manager],
            ),
            (Stage::InWork, Stage::Refused, &[Role::Customer]),
            (Stage::WorkCompleted, Stage::Done, &[Role::Customer]),
            (Stage::WorkCompleted, Stage::InWork, &[Role::Customer]),
            (Stage::Done, Stage::Closed, &[Role::Admin, Role::Manager]),
            (Stage::Refused, Stage::Closed, &[Role::Admin, Role::Manager]),
        ];
        for from in Stage::ALL {
            for to in Stage::ALL {
                for role in Role::ALL {
                    let allowed = check(from, to, standing(role, false), "because").is_ok();
                    let listed = expected
                        .iter()
                        .any(|(f, t, roles)| *f == from && *t == to && roles.contains(&role));
                    assert_eq!(allowed, listed, "{from:?} → {to:?} by {role:?}");
                }
            }
        }
    }

    #[test]
    fn engineers_move_only_tickets_they_perform() {
        let mine = standing(Role::Engineer, true);
        let theirs = standing(Role::Engineer, false);
        assert!(check(Stage::InWork, Stage::WorkCompleted, mine, "").is_ok());
        assert_eq!(
            check(Stage::InWork, Stage::WorkCompleted, theirs, ""),
            Err(Refusal::NotYours)
        );
        assert!(check(Stage::New, Stage::Approval, mine, "").is_ok());
        // Approving is the customer's decision, even for the performer.
        assert_eq!(
            check(Stage::Approval, Stage::InWork, mine, ""),
            Err(Refusal::NotYours)
        );
    }

    #[test]
    fn refusals_need_a_comment_and_unknown_moves_are_refused() {
        let customer = standing(Role::Customer, false);
        assert_eq!(
            check(Stage::Approval, Stage::Refused, customer, "  "),
            Err(Refusal::CommentRequired)
        );
        assert_eq!(
            check(Stage::Closed, Stage::New, standing(Role::Admin, false), "x"),
            Err(Refusal::NoSuchTransition)
        );
        let offered: Vec<_> = available(Stage::WorkCompleted, customer)
            .iter()
            .map(|t| t.action)
            .collect();
        assert_eq!(offered, vec![Move::ConfirmCompletion, Move::ReturnToWork]);
        assert!(available(Stage::Closed, standing(Role::Admin, true)).is_empty());
    }

    #[test]
    fn the_clock_stops_only_while_the_customer_decides() {
        let waiting: Vec<_> = Stage::ALL
            .into_iter()
            .filter(|s| waits_on_customer(*s))
            .collect();
        assert_eq!(waiting, vec![Stage::Approval, Stage::WorkCompleted]);
    }
}
