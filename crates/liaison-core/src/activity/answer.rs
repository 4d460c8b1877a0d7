//! A participant's answer after the draw (参加确认, C4): each deputy drawn (or chosen in rotation) confirms or
//! declines with a reason, and may change the answer until the day before the activity; a decline frees the
//! seat.
//!
//! The freed seat is not filled by a new pick here. The record's only verifiable continuation of a draw
//! ([`crate::lottery::DrawRecord::next_replacement`]) draws the next deputy of the pool's *last* stratum;
//! an activity's pool is stratified by level and by how often each deputy was chosen, so that next deputy
//! is in general of another level or tier than the one who declined, and would undo the quotas the draw
//! published. So a decline is recorded, the seat is shown free to the staff, and filling it is a decision
//! for the office (a later draw of its own, published as any other).
//!
//! A decline still counts as having been chosen (`times_chosen`, `last_chosen` of the next pools): those
//! figures are derived from the published draws alone, so that anyone can check a pool's tiers from the
//! public records; the chance was offered, and a deputy who declines is not moved ahead of those who have
//! not yet been offered one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Activity, ActivityError, ActivityEvent, ActivityStatus};
use crate::ids::DeputyId;
use crate::registry::LongText;

/// A participant's answer to being chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "answer", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActivityAnswer {
    /// Will take part (确认参加).
    Confirmed,
    /// Will not take part, and why (不能参加): the seat is free.
    Declined {
        /// Why (required).
        reason: LongText,
    },
}

impl ActivityAnswer {
    /// The stable code: `confirmed` or `declined`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Declined { .. } => "declined",
        }
    }
    /// The Chinese word.
    pub fn zh(&self) -> &'static str {
        match self {
            Self::Confirmed => "确认参加",
            Self::Declined { .. } => "不能参加",
        }
    }
    /// Whether it declines.
    pub fn declines(&self) -> bool {
        matches!(self, Self::Declined { .. })
    }
}

/// A participant's answer as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ActivityReply {
    /// The answer.
    #[serde(flatten)]
    pub answer: ActivityAnswer,
    /// Given on.
    pub on: NaiveDate,
    /// The staff member who recorded it for the deputy (by telephone, in person), by name; none when the
    /// deputy answered on the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

impl Activity {
    /// The last day a participant may answer or change the answer: the day before the activity.
    pub fn answer_by(&self) -> NaiveDate {
        self.on.pred_opt().unwrap_or(self.on)
    }

    /// The participant's answer, if any.
    pub fn answer_of(&self, deputy: DeputyId) -> Option<&ActivityReply> {
        self.responses.get(&deputy)
    }

    /// Seats freed by a decline (not filled again by this record).
    pub fn free_seats(&self) -> usize {
        self.responses.values().filter(|r| r.answer.declines()).count()
    }

    /// Decide a participant's answer (`recorded_by`: the staff member recording it for the deputy).
    pub(super) fn decide_answer(
        &self,
        deputy: DeputyId,
        answer: ActivityAnswer,
        recorded_by: Option<String>,
        today: NaiveDate,
    ) -> Result<Vec<ActivityEvent>, ActivityError> {
        if self.status != ActivityStatus::Selected {
            return Err(ActivityError::IllegalTransition { status: self.status, command: "answer for" });
        }
        if !self.participants.contains(&deputy) {
            return Err(ActivityError::NotAParticipant(deputy));
        }
        if today > self.answer_by() {
            return Err(ActivityError::AnswersClosed(self.answer_by()));
        }
        if self.responses.get(&deputy).is_some_and(|r| r.answer.code() == answer.code()) {
            return Err(ActivityError::AlreadyAnswered(answer.code()));
        }
        Ok(vec![ActivityEvent::Answered { deputy, answer, on: today, recorded_by }])
    }
}
