//! Why an activity command was refused: each refusal typed, with its code and its words.

use super::*;

/// Why an activity command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    /// Not at the right step.
    #[error("cannot {command} an activity whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: ActivityStatus,
        /// Command.
        command: &'static str,
    },
    /// No seats.
    #[error("an activity needs at least one seat")]
    NoSeats,
    /// Nobody eligible.
    #[error("nobody on the register is eligible")]
    NoCandidates,
    /// The seed does not keep what was promised before the draw.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// Not a participant.
    #[error("deputy {0} is not a participant")]
    NotAParticipant(DeputyId),
    /// Before the day.
    #[error("it cannot be recorded as held before {0}")]
    NotYet(NaiveDate),
    /// Planned again after an earlier draw for the same matter was committed: a leader must approve first.
    #[error(
        "another activity of the same kind and day ({0}) has a committed draw (not drawn yet, or cancelled after the commitment): a leader must approve planning the matter again, with a reason"
    )]
    ReplanNotApproved(String),
    /// Nothing to approve.
    #[error("this activity does not re-plan an earlier one")]
    NotAReplan,
    /// Already approved.
    #[error("already approved")]
    AlreadyApproved,
    /// Too late to answer or to change the answer.
    #[error("answers were taken until {0}, the day before the activity")]
    AnswersClosed(NaiveDate),
    /// The same answer again.
    #[error("this participant has already answered {0}")]
    AlreadyAnswered(&'static str),
    /// A participant who declined recorded as attending.
    #[error("deputy {0} declined the seat")]
    DeclinedSeat(DeputyId),
}

impl ActivityError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "activity.illegal_transition",
            Self::NoSeats => "activity.no_seats",
            Self::NoCandidates => "activity.no_candidates",
            Self::Seed(SeedError::Mismatch) => "activity.seed_mismatch",
            Self::Seed(SeedError::NotYetPublished(_)) => "activity.public_value_not_yet",
            Self::Seed(_) => "activity.public_value_too_early",
            Self::NotAParticipant(_) => "activity.not_a_participant",
            Self::NotYet(_) => "activity.not_yet",
            Self::ReplanNotApproved(_) => "activity.replan_not_approved",
            Self::NotAReplan => "activity.not_a_replan",
            Self::AlreadyApproved => "activity.already_approved",
            Self::AnswersClosed(_) => "activity.answers_closed",
            Self::AlreadyAnswered(_) => "activity.already_answered",
            Self::DeclinedSeat(_) => "activity.declined_seat",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::NoSeats)
    }
}

impl Localized for ActivityError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("活动当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::NoSeats => "活动至少要有一个代表名额".into(),
            Self::NoCandidates => "登记簿中没有符合条件的代表".into(),
            Self::Seed(e) => e.zh(),
            Self::NotAParticipant(d) => format!("代表 {d} 不是本次活动的参加人员"),
            Self::NotYet(d) => format!("{d} 之前不能记录为已举办"),
            Self::ReplanNotApproved(id) => format!(
                "同日同类活动（{id}）已公布抽签承诺（尚未抽签，或承诺后已取消）；同一事项再次安排须经院领导批准并说明理由，批准前不能抽签"
            ),
            Self::NotAReplan => "本活动不是对已取消活动的重新安排，无须批准".into(),
            Self::AlreadyApproved => "已经批准过".into(),
            Self::AnswersClosed(d) => format!("参加确认截至活动前一日（{d}），现在不能再答复或更改"),
            Self::AlreadyAnswered(a) => {
                if *a == "declined" {
                    "已答复不能参加，无须重复提交".into()
                } else {
                    "已确认参加，无须重复提交".into()
                }
            }
            Self::DeclinedSeat(d) => format!("代表 {d} 已答复不能参加，不能记录为出席"),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
