//! Why a review command is refused: one typed error per rule broken, with its stable code and zh/en text.

use super::*;

/// Why a review command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// Not at the right step.
    #[error("cannot {command} a review whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: ReviewStatus,
        /// Command.
        command: &'static str,
    },
    /// A supervisor review needs 3 or more participants.
    #[error("a review by people's supervisors needs 3 or more participants")]
    TooFewParticipants,
    /// The pool is smaller than the draw.
    #[error("the pool has {have} eligible candidate(s) for {count} place(s)")]
    PoolTooSmall {
        /// Candidates.
        have: usize,
        /// Places.
        count: usize,
    },
    /// A recused deputy in the pool.
    #[error("deputy {0} is recused and cannot be in the pool")]
    RecusedInPool(DeputyId),
    /// The seed does not keep what was promised before the draw.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// Not a participant.
    #[error("deputy {0} is not a participant")]
    NotAParticipant(DeputyId),
    /// Already voted.
    #[error("deputy {0} already voted")]
    AlreadyVoted(DeputyId),
    /// Votes outstanding.
    #[error("{0} participant(s) have not voted")]
    VotesOutstanding(usize),
    /// Nothing would change.
    #[error("already recorded")]
    AlreadyRecorded,
    /// The case's review was planned again after an earlier draw was committed: a leader must approve first.
    #[error(
        "an earlier review of this case ({0}) had its draw committed: a leader must approve planning it again, with a reason"
    )]
    ReplanNotApproved(String),
    /// Nothing to approve.
    #[error("this review does not re-plan an earlier one")]
    NotAReplan,
    /// No candidate left in the pool for a replacement.
    #[error("no candidate is left in the pool to replace the recused participant")]
    NoReplacement,
}

impl ReviewError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "review.illegal_transition",
            Self::TooFewParticipants => "review.too_few_participants",
            Self::PoolTooSmall { .. } => "review.pool_too_small",
            Self::RecusedInPool(_) => "review.recused_in_pool",
            Self::Seed(SeedError::Mismatch) => "review.seed_mismatch",
            Self::Seed(SeedError::NotYetPublished(_)) => "review.public_value_not_yet",
            Self::Seed(_) => "review.public_value_too_early",
            Self::NotAParticipant(_) => "review.not_a_participant",
            Self::AlreadyVoted(_) => "review.already_voted",
            Self::VotesOutstanding(_) => "review.votes_outstanding",
            Self::AlreadyRecorded => "review.already_recorded",
            Self::ReplanNotApproved(_) => "review.replan_not_approved",
            Self::NotAReplan => "review.not_a_replan",
            Self::NoReplacement => "review.no_replacement",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::TooFewParticipants)
    }
}

impl Localized for ReviewError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("评议当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::TooFewParticipants => "人民监督员评议至少需要 3 人".into(),
            Self::PoolTooSmall { have, count } => {
                format!("符合条件的人选只有 {have} 人，不足抽选的 {count} 人")
            }
            Self::RecusedInPool(d) => format!("代表 {d} 已申报回避，不能列入抽选范围"),
            Self::Seed(e) => e.zh(),
            Self::NotAParticipant(d) => format!("代表 {d} 不是本次评议的参加人员"),
            Self::AlreadyVoted(d) => format!("代表 {d} 已经表决"),
            Self::VotesOutstanding(k) => format!("还有 {k} 名参加人员未表决"),
            Self::AlreadyRecorded => "已经记录过".into(),
            Self::ReplanNotApproved(id) => format!(
                "本案此前的评议（{id}）已公布抽签承诺；再次安排须经院领导批准并说明理由，批准前不能抽签"
            ),
            Self::NotAReplan => "本评议不是对此前评议的重新安排，无须批准".into(),
            Self::NoReplacement => "抽选范围内已无可替补的人选".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
