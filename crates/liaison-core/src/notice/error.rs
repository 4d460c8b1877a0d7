//! Why a command on a notice is refused: one typed error per rule broken, with its stable code and zh/en
//! text.

use super::*;

/// Why a command on a notice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoticeError {
    /// The command does not fit the status.
    #[error("cannot {command} a notice whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: NoticeStatus,
        /// Command.
        command: &'static str,
    },
    /// The audience names nobody.
    #[error("a notice needs an audience")]
    EmptyAudience,
    /// Nobody on the register is in the audience.
    #[error("nobody on the register is in this notice's audience")]
    NoRecipients,
    /// The deputy is not a recipient.
    #[error("deputy {0} is not a recipient of this notice")]
    NotARecipient(DeputyId),
    /// Already acknowledged or responded.
    #[error("already recorded")]
    AlreadyRecorded,
    /// Nothing to change.
    #[error("nothing to change")]
    NothingToChange,
    /// The leader who would approve it drafted it: a notice is drafted and approved by two people.
    #[error("a notice is not approved by the person who drafted it")]
    SelfApproval,
}

impl NoticeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "notice.illegal_transition",
            Self::EmptyAudience => "notice.empty_audience",
            Self::NoRecipients => "notice.no_recipients",
            Self::NotARecipient(_) => "notice.not_a_recipient",
            Self::AlreadyRecorded => "notice.already_recorded",
            Self::NothingToChange => "notice.nothing_to_change",
            Self::SelfApproval => "notice.self_approval",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::EmptyAudience)
    }
}

impl Localized for NoticeError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, command } => {
                let c = match *command {
                    "edit" => "修改",
                    "approve" => "审批",
                    "send" => "发出",
                    _ => "记录送达或反馈",
                };
                format!("通报当前状态为“{}”，不能{c}", status.zh())
            }
            Self::EmptyAudience => "通报对象不能为空".into(),
            Self::NoRecipients => "登记簿中没有属于通报对象的代表".into(),
            Self::NotARecipient(d) => format!("代表 {d} 不是该通报的对象"),
            Self::AlreadyRecorded => "已经记录过".into(),
            Self::NothingToChange => "没有需要修改的内容".into(),
            Self::SelfApproval => "通报须由起草人以外的院领导审批：不能审批自己起草的通报".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
