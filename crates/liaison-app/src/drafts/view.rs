//! What a page or an API client shows of a draft: people by name and level, words and answers labelled in
//! Chinese, and what the deputy looking at it may do — no deputy's id.

use liaison_core::ids::DeputyId;
use liaison_core::suggestion::Signer;
use liaison_core::suggestion::draft::{Answer, Draft, DraftStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A deputy as a draft shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignerView {
    /// 姓名.
    pub name: String,
    /// Level code (`city` …).
    pub level: String,
    /// 级别.
    pub level_zh: String,
}

impl SignerView {
    fn of(s: &Signer) -> Self {
        Self { name: s.name.to_string(), level: s.level.code().into(), level_zh: s.level.zh().into() }
    }
}

/// A co-signer invited, with the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CoSignerView {
    /// The deputy.
    pub deputy: SignerView,
    /// Whether this is the deputy looking at the draft.
    pub you: bool,
    /// Invited on (YYYY-MM-DD).
    pub invited_on: String,
    /// pending / confirmed / declined / lapsed.
    pub answer: String,
    /// 待确认 / 已确认联名 / 已谢绝 / 未答复.
    pub answer_zh: String,
    /// The day of the answer.
    pub answered_on: Option<String>,
    /// A decline's reason, if given.
    pub reason: Option<String>,
}

/// A draft of a joint suggestion as its lead or a co-signer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DraftView {
    /// Id (for the next request).
    pub id: String,
    /// Version (`If-Match`).
    pub version: u64,
    /// open / submitted / withdrawn.
    pub status: String,
    /// 草拟中 / 已提交 / 已撤回.
    pub status_zh: String,
    /// 标题.
    pub title: String,
    /// 内容.
    pub content: String,
    /// The edition of the words (a co-signer confirms one).
    pub edition: u32,
    /// Opened on.
    pub opened_on: String,
    /// 领衔代表.
    pub lead: SignerView,
    /// 联名代表, in the order invited.
    pub co_signers: Vec<CoSignerView>,
    /// Invitations not answered yet.
    pub pending: usize,
    /// Whether the deputy looking at it leads it.
    pub you_lead: bool,
    /// Whether the lead may submit now without leaving anyone unanswered.
    pub ready: bool,
    /// The filed suggestion's number (submitted).
    pub suggestion_number: Option<String>,
    /// The filed suggestion's id (submitted; the deputy reads it among their suggestions).
    pub suggestion_id: Option<String>,
    /// Submitted or withdrawn on.
    pub closed_on: Option<String>,
    /// Why the lead withdrew it.
    pub withdrawal_reason: Option<String>,
}

impl DraftView {
    /// The view of `d` for the deputy `me`.
    pub(crate) fn of(d: &Draft, me: DeputyId) -> Self {
        let co_signers = d
            .invitations
            .iter()
            .map(|i| {
                let (answered_on, reason) = match &i.answer {
                    Answer::Confirmed { on, .. } => (Some(on.to_string()), None),
                    Answer::Declined { on, reason } => {
                        (Some(on.to_string()), reason.as_ref().map(ToString::to_string))
                    }
                    Answer::Pending | Answer::Lapsed => (None, None),
                };
                CoSignerView {
                    deputy: SignerView::of(&i.signer),
                    you: i.signer.deputy == me,
                    invited_on: i.invited_on.to_string(),
                    answer: i.answer.code().into(),
                    answer_zh: i.answer.zh().into(),
                    answered_on,
                    reason,
                }
            })
            .collect();
        Self {
            id: d.id.to_string(),
            version: d.version,
            status: d.status.code().into(),
            status_zh: d.status.zh().into(),
            title: d.title.to_string(),
            content: d.content.to_string(),
            edition: d.edition,
            opened_on: d.opened_on.to_string(),
            lead: SignerView::of(&d.lead),
            co_signers,
            pending: d.pending(),
            you_lead: d.lead.deputy == me,
            ready: d.status == DraftStatus::Open && d.pending() == 0,
            suggestion_number: d.filed.map(|f| f.number.to_string()),
            suggestion_id: d.filed.map(|f| f.suggestion.to_string()),
            closed_on: d.closed_on.map(|c| c.to_string()),
            withdrawal_reason: d.withdrawal_reason.as_ref().map(ToString::to_string),
        }
    }
}
