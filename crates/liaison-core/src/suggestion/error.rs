//! Why a suggestion command was refused, with stable codes and zh/en messages.

use super::*;

/// Why a command on a suggestion was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SuggestionError {
    /// The command does not fit the status.
    #[error("cannot {command} a suggestion whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: SuggestionStatus,
        /// The command.
        command: &'static str,
    },
    /// No co-signer, or one listed twice.
    #[error("a suggestion needs at least one co-signing deputy, each listed once")]
    BadSigners,
    /// The deputy is not a co-signer (or, for ratings, not an evaluator).
    #[error("deputy {0} is not among this suggestion's deputies")]
    NotASigner(DeputyId),
    /// A panel member is also a co-signer.
    #[error("deputy {0} is a co-signer and cannot also sit on the panel")]
    PanelOverlap(DeputyId),
    /// The lead is also named as a co-handler, or a co-handler twice.
    #[error("the lead department cannot be a co-handler, and each co-handler is named once")]
    BadCoHandlers,
    /// Only the lead department may do this.
    #[error("only the lead department may {0}")]
    NotTheLead(&'static str),
    /// The department is not a co-handler.
    #[error("department {0} is not a co-handler of this suggestion")]
    NotACoHandler(DepartmentId),
    /// The window to return a misassigned item has passed.
    #[error("the return window closed on {closed_on}")]
    ReturnWindowClosed {
        /// Last day.
        closed_on: NaiveDate,
    },
    /// R1c: no contact with the deputies logged before answering in this round.
    #[error("no contact with the deputies has been logged in this round: log one before answering (R1c)")]
    NoPriorContact,
    /// A co-handler's opinion is outstanding.
    #[error("the opinion of co-handler {0} is outstanding: wait for it, or record it as overdue once due")]
    CoOpinionOutstanding(DepartmentId),
    /// The co-handler's opinion is not yet due.
    #[error("the co-handler's opinion is not due until {due}")]
    CoOpinionNotDue {
        /// Due.
        due: NaiveDate,
    },
    /// The co-handler already gave its opinion.
    #[error("the co-handler already gave its opinion")]
    CoOpinionGiven,
    /// B/C answers need a promised date in the future; A/D answers must not carry one.
    #[error("class B and C answers need a promised date after today; A and D answers take none")]
    PromisedDate,
    /// An extension must move the deadline later and stay within the maximum.
    #[error("an extension must be after the current deadline {current} and no later than {max}")]
    ExtensionOutOfRange {
        /// Current deadline.
        current: NaiveDate,
        /// The latest allowed.
        max: NaiveDate,
    },
    /// The evaluator already rated in this round.
    #[error("the deputy already rated this answer")]
    AlreadyRated(DeputyId),
    /// A 不满意 rating needs the deputy's comment.
    #[error("a 不满意 rating needs the deputy's comment")]
    CommentRequired,
    /// The feedback window has not closed.
    #[error("the feedback window is open until {due}")]
    FeedbackWindowOpen {
        /// Last day.
        due: NaiveDate,
    },
    /// A contact phase that does not fit.
    #[error("a {} contact does not fit a suggestion whose status is {}", .phase.code(), .status.code())]
    ContactPhase {
        /// The phase.
        phase: ContactPhase,
        /// Status.
        status: SuggestionStatus,
    },
    /// No follow-up is owed (the answer was not B or C), or it was already answered.
    #[error("no follow-up answer is owed")]
    NoFollowUp,
    /// Merging an item into itself.
    #[error("an item cannot be merged into itself")]
    SelfMerge,
    /// Nothing would change.
    #[error("nothing to change")]
    NothingToChange,
    /// An extension request is already waiting for a leader.
    #[error("an extension request is already waiting for a leader's decision")]
    ExtensionPending,
    /// No extension request to decline.
    #[error("no extension request is waiting")]
    NoExtensionRequest,
    /// The deputies cannot be told an outcome not recorded yet.
    #[error("the outcome in the letters and petitions flow is not recorded yet")]
    NoRerouteOutcome,
    /// The confidentiality markers of an answer do not pair up.
    #[error("the confidentiality markers [保密]…[/保密] in the answer do not pair up")]
    UnbalancedMarkers,
    /// The audience names nobody.
    #[error("a publication needs an audience")]
    EmptyAudience,
    /// This answer round is already published.
    #[error("answer round {0} is already published")]
    AlreadyPublished(u8),
    /// Nothing published to read or rate.
    #[error("no published answer")]
    NotPublished,
    /// The deputy is not in the publication's audience.
    #[error("deputy {0} is not in the audience of this publication")]
    NotInAudience(DeputyId),
    /// Co-signers and panel members rate in their own evaluation, not the body's.
    #[error("deputy {0} evaluates this answer as a co-signer or panel member, not as one of the body")]
    OwnEvaluation(DeputyId),
    /// The body's ratings are the deputies' own: never transcribed.
    #[error(
        "a body rating is given by the deputy, through their account or their link, never entered for them"
    )]
    NotTheDeputysOwn,
    /// The publication's rating period has ended.
    #[error("ratings of this publication closed on {0}")]
    PublicationClosed(NaiveDate),
    /// An item transferred to itself, or a transfer received from itself.
    #[error("an item cannot be transferred to itself")]
    SelfTransfer,
}

impl SuggestionError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "suggestion.illegal_transition",
            Self::BadSigners => "suggestion.bad_signers",
            Self::NotASigner(_) => "suggestion.not_a_signer",
            Self::PanelOverlap(_) => "suggestion.panel_overlap",
            Self::BadCoHandlers => "suggestion.bad_co_handlers",
            Self::NotTheLead(_) => "suggestion.not_the_lead",
            Self::NotACoHandler(_) => "suggestion.not_a_co_handler",
            Self::ReturnWindowClosed { .. } => "suggestion.return_window_closed",
            Self::NoPriorContact => "suggestion.no_prior_contact",
            Self::CoOpinionOutstanding(_) => "suggestion.co_opinion_outstanding",
            Self::CoOpinionNotDue { .. } => "suggestion.co_opinion_not_due",
            Self::CoOpinionGiven => "suggestion.co_opinion_given",
            Self::PromisedDate => "suggestion.promised_date",
            Self::ExtensionOutOfRange { .. } => "suggestion.extension_out_of_range",
            Self::AlreadyRated(_) => "suggestion.already_rated",
            Self::CommentRequired => "suggestion.comment_required",
            Self::FeedbackWindowOpen { .. } => "suggestion.feedback_window_open",
            Self::ContactPhase { .. } => "suggestion.contact_phase",
            Self::NoFollowUp => "suggestion.no_follow_up",
            Self::SelfMerge => "suggestion.self_merge",
            Self::NothingToChange => "suggestion.nothing_to_change",
            Self::ExtensionPending => "suggestion.extension_pending",
            Self::NoExtensionRequest => "suggestion.no_extension_request",
            Self::NoRerouteOutcome => "suggestion.no_reroute_outcome",
            Self::UnbalancedMarkers => "suggestion.unbalanced_markers",
            Self::EmptyAudience => "suggestion.empty_audience",
            Self::AlreadyPublished(_) => "suggestion.already_published",
            Self::NotPublished => "suggestion.not_published",
            Self::NotInAudience(_) => "suggestion.not_in_audience",
            Self::OwnEvaluation(_) => "suggestion.own_evaluation",
            Self::NotTheDeputysOwn => "suggestion.not_the_deputys_own",
            Self::PublicationClosed(_) => "suggestion.publication_closed",
            Self::SelfTransfer => "suggestion.self_transfer",
        }
    }

    /// Whether the refusal is about the input (rather than the item's state).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::BadSigners
                | Self::PanelOverlap(_)
                | Self::BadCoHandlers
                | Self::PromisedDate
                | Self::ExtensionOutOfRange { .. }
                | Self::CommentRequired
                | Self::SelfMerge
                | Self::SelfTransfer
                | Self::UnbalancedMarkers
                | Self::EmptyAudience
        )
    }
}

fn command_zh(c: &str) -> &'static str {
    match c {
        "register" => "登记",
        "set_panel" => "设置评价小组",
        "assign" => "交办",
        "return" => "退办",
        "start" => "开始办理",
        "contact" => "记录沟通",
        "notify" => "通报进展",
        "co_opinion" => "提交协办意见",
        "co_overdue" => "记录协办逾期",
        "extend" => "延期",
        "answer" => "答复",
        "rate" => "评价",
        "lapse" => "记录反馈逾期",
        "escalation" => "记录领导督办",
        "solved" => "跟踪答复",
        "merge" => "并案",
        "absorb" => "并入",
        "withdraw" => "撤回",
        "reroute" => "转信访",
        "transfer" => "转办",
        "receive_transfer" => "接收转办",
        "anonymity" => "设置署名意愿",
        "publish" => "公开答复",
        "view" => "查阅公开答复",
        "rate_as_body" => "评议公开答复",
        "link_measure" => "关联整改措施",
        "reassign" => "改派",
        "request_extension" => "申请延期",
        "decline_extension" => "不批准延期",
        "reroute_outcome" => "登记信访办理结果",
        "reroute_told" => "告知代表信访结果",
        "recompute_deadline" => "重新计算答复期限",
        _ => "执行此操作",
    }
}

impl Localized for SuggestionError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, command } => {
                format!("建议当前状态为“{}”，不能“{}”", status.zh(), command_zh(command))
            }
            Self::BadSigners => "建议至少需要一名领衔或联名代表，且每名代表只能列一次".into(),
            Self::NotASigner(d) => format!("代表 {d} 不是本件建议的代表"),
            Self::PanelOverlap(d) => format!("代表 {d} 已是联名代表，不能再列入评价小组"),
            Self::BadCoHandlers => "主办部门不能同时为协办部门，协办部门不能重复".into(),
            Self::NotTheLead(_) => "只有主办部门可以执行此操作".into(),
            Self::NotACoHandler(d) => format!("部门 {d} 不是本件建议的协办部门"),
            Self::ReturnWindowClosed { closed_on } => format!("退办期限已于 {closed_on} 届满"),
            Self::NoPriorContact => "本轮办理尚未记录与代表的沟通，答复前须先沟通（办前沟通）".into(),
            Self::CoOpinionOutstanding(d) => {
                format!("协办部门 {d} 的书面意见尚未提交；请等待，或在其逾期后记录逾期")
            }
            Self::CoOpinionNotDue { due } => format!("协办意见期限为 {due}，尚未逾期"),
            Self::CoOpinionGiven => "该协办部门已提交意见".into(),
            Self::PromisedDate => "B、C 类答复须注明今后的承诺解决日期；A、D 类答复不注明".into(),
            Self::ExtensionOutOfRange { current, max } => {
                format!("延期后的期限须晚于当前期限 {current}，且不得晚于 {max}")
            }
            Self::AlreadyRated(_) => "已评价过本次答复，不能重复评价".into(),
            Self::CommentRequired => "评价为“不满意”时须填写意见".into(),
            Self::FeedbackWindowOpen { due } => format!("反馈期至 {due} 止，尚未届满"),
            Self::ContactPhase { phase, status } => {
                format!("建议状态为“{}”时不能记录“{}”沟通", status.zh(), phase.zh())
            }
            Self::NoFollowUp => "没有待跟踪答复的事项".into(),
            Self::SelfMerge => "不能将建议并入其自身".into(),
            Self::NothingToChange => "没有需要修改的内容".into(),
            Self::ExtensionPending => "已有延期申请等待院领导审批".into(),
            Self::NoExtensionRequest => "没有待审批的延期申请".into(),
            Self::NoRerouteOutcome => "信访办理结果尚未登记，不能告知代表".into(),
            Self::UnbalancedMarkers => "答复中的保密标记 [保密]…[/保密] 不成对".into(),
            Self::EmptyAudience => "公开范围不能为空".into(),
            Self::AlreadyPublished(n) => format!("第 {n} 轮答复已经公开"),
            Self::NotPublished => "该建议没有公开的答复".into(),
            Self::NotInAudience(d) => format!("代表 {d} 不在该答复的公开范围内"),
            Self::OwnEvaluation(d) => format!("代表 {d} 是联名代表或评价小组成员，请在本人评价中评价"),
            Self::NotTheDeputysOwn => "代表评议须由代表本人通过本人账号或反馈链接作出，不得代为录入".into(),
            Self::PublicationClosed(d) => format!("该公开答复的评议已于 {d} 截止"),
            Self::SelfTransfer => "不能将建议转办给其自身".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}
