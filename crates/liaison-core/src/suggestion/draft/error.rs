//! Why a command on a draft was refused.

use super::DraftStatus;
use crate::Localized;
use crate::registry::PersonName;

/// Why a command on a draft was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftError {
    /// Not in a status that allows it (submitted or withdrawn).
    #[error("cannot {command} a draft whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: DraftStatus,
        /// Command.
        command: &'static str,
    },
    /// Only the lead deputy may do this.
    #[error("only the lead deputy of the draft may do this")]
    NotTheLead,
    /// The acting deputy was not invited to co-sign.
    #[error("you were not invited to co-sign this draft")]
    NotInvited,
    /// The invitation is answered already.
    #[error("co_signer: the invitation is already answered")]
    AlreadyAnswered,
    /// The words changed since the co-signer read them.
    #[error(
        "edition: the draft was edited since you read it (you read edition {read}, it is now {current}): read it again"
    )]
    EditedSince {
        /// The edition read.
        read: u32,
        /// The current edition.
        current: u32,
    },
    /// An invitation with no deputy.
    #[error("co_signers: name at least one deputy to invite")]
    NoCoSigners,
    /// The lead invited themself.
    #[error("co_signers: the lead deputy cannot co-sign their own draft")]
    LeadInvited,
    /// A deputy named twice.
    #[error("co_signers: {0} is named twice")]
    DuplicateCoSigner(PersonName),
    /// A deputy invited already (and not declined).
    #[error("co_signers: {0} is invited already")]
    AlreadyInvited(PersonName),
    /// Too many co-signers.
    #[error("co_signers: at most {max} co-signers may be invited")]
    TooManyCoSigners {
        /// The limit.
        max: usize,
    },
    /// An edit that changes nothing.
    #[error("title, content: the edit changes nothing")]
    Unchanged,
    /// Submitted while invitations are unanswered (and the lead did not say to leave them).
    #[error(
        "{0} co-signer(s) have not answered: wait for them, or submit with those who confirmed (leave_unanswered)"
    )]
    Unanswered(usize),
}

impl DraftError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "draft.illegal_transition",
            Self::NotTheLead => "draft.not_the_lead",
            Self::NotInvited => "draft.not_invited",
            Self::AlreadyAnswered => "draft.already_answered",
            Self::EditedSince { .. } => "draft.edited_since",
            Self::NoCoSigners => "draft.no_co_signers",
            Self::LeadInvited => "draft.lead_invited",
            Self::DuplicateCoSigner(_) => "draft.duplicate_co_signer",
            Self::AlreadyInvited(_) => "draft.already_invited",
            Self::TooManyCoSigners { .. } => "draft.too_many_co_signers",
            Self::Unchanged => "draft.unchanged",
            Self::Unanswered(_) => "draft.unanswered",
        }
    }
    /// Whether the caller's input is at fault (rather than the draft's state or who acts).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::NoCoSigners
                | Self::LeadInvited
                | Self::DuplicateCoSigner(_)
                | Self::AlreadyInvited(_)
                | Self::TooManyCoSigners { .. }
                | Self::Unchanged
        )
    }
    /// The input field it is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::NoCoSigners
            | Self::LeadInvited
            | Self::DuplicateCoSigner(_)
            | Self::AlreadyInvited(_)
            | Self::TooManyCoSigners { .. } => Some("co_signers"),
            Self::Unchanged => Some("content"),
            Self::EditedSince { .. } => Some("edition"),
            _ => None,
        }
    }
}

impl Localized for DraftError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("建议草稿当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::NotTheLead => "只有领衔代表可以执行此操作".into(),
            Self::NotInvited => "您未受邀联名此建议".into(),
            Self::AlreadyAnswered => "您已答复过此联名邀请".into(),
            Self::EditedSince { read, current } => {
                format!(
                    "建议在您阅读后已修改（您阅读的是第 {read} 稿，现为第 {current} 稿），请重新阅读后再确认"
                )
            }
            Self::NoCoSigners => "联名代表（co_signers）：请至少邀请一名代表".into(),
            Self::LeadInvited => "联名代表（co_signers）：领衔代表不能联名自己的建议".into(),
            Self::DuplicateCoSigner(n) => format!("联名代表（co_signers）：{n} 重复"),
            Self::AlreadyInvited(n) => format!("联名代表（co_signers）：已邀请 {n}"),
            Self::TooManyCoSigners { max } => format!("联名代表（co_signers）：最多邀请 {max} 名代表"),
            Self::Unchanged => "标题和内容均未修改".into(),
            Self::Unanswered(n) => format!(
                "还有 {n} 名联名代表未答复：请等待答复，或选择仅与已确认的代表一同提交（leave_unanswered）"
            ),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
