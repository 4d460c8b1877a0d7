//! A deputy's draft of a joint suggestion (联名建议草稿, issue 17 item 7): the lead deputy opens it with the
//! words a filed suggestion needs (a title and the content), invites co-signers, and submits it once they
//! have answered; the app then files the real suggestion ([`super::Suggestion`]) with the lead and the
//! co-signers who confirmed as its proposers, source [`super::Source::Online`].
//!
//! ```text
//!            invite / edit / confirm / decline
//!              ┌──────────┐
//!              ▼          │
//! opened ──▶  open  ──────┘ ──submit (every invitation answered, or the lead leaves the rest)──▶ submitted
//!              │
//!              └──withdraw (the lead)──▶ withdrawn
//! ```
//!
//! The rules, each a refusal of `decide`:
//! - only the lead invites, edits, submits and withdraws; only an invited deputy confirms or declines, and
//!   only for themself (every command names the deputy who acts: `by`);
//! - co-signers are distinct deputies, never the lead, at most [`MAX_CO_SIGNERS`] invited and not
//!   declined; a deputy who declined may be invited again (a new invitation, pending);
//! - a co-signer confirms the words of one edition: `Confirm` names the edition read, and an edit after
//!   someone confirmed withdraws every confirmation (they confirmed other words) — those deputies are asked
//!   again; a decline stands across edits;
//! - a co-signer may decline after confirming (taking the signature back) until the draft is submitted;
//! - the lead submits when every invitation is answered; or, saying so (`leave_unanswered`), with those who
//!   confirmed, the unanswered invitations lapsing (a silent co-signer cannot hold the lead's suggestion
//!   back, and nobody is signed who did not confirm);
//! - nothing changes a submitted or withdrawn draft.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Signer, SuggestionNumber};
use crate::ids::{DeputyId, DraftId, SuggestionId};
use crate::registry::{LongText, ShortText};

mod aggregate;
mod error;
#[cfg(test)]
mod tests;

pub use aggregate::OpenDraft;
pub use error::DraftError;

/// The most co-signers a draft may have invited and not declined.
pub const MAX_CO_SIGNERS: usize = 50;

/// Where a draft is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// Being prepared: invitations, edits, answers (草拟中).
    Open,
    /// Filed as a suggestion (已提交).
    Submitted,
    /// Withdrawn by the lead (已撤回).
    Withdrawn,
}

impl DraftStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Open, Self::Submitted, Self::Withdrawn];
    /// The stable code (the stored status).
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Withdrawn => "withdrawn",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Open => "草拟中",
            Self::Submitted => "已提交",
            Self::Withdrawn => "已撤回",
        }
    }
}

/// A co-signer's answer to an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    /// Not answered yet (待确认).
    Pending,
    /// Confirmed the words of `edition` (已确认).
    Confirmed {
        /// On.
        on: NaiveDate,
        /// The edition confirmed.
        edition: u32,
    },
    /// Declined (已谢绝).
    Declined {
        /// On.
        on: NaiveDate,
        /// Why, if the deputy said.
        reason: Option<ShortText>,
    },
    /// Still unanswered when the lead submitted without waiting (未答复，已提交).
    Lapsed,
}

impl Answer {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed { .. } => "confirmed",
            Self::Declined { .. } => "declined",
            Self::Lapsed => "lapsed",
        }
    }
    /// The Chinese word.
    pub fn zh(&self) -> &'static str {
        match self {
            Self::Pending => "待确认",
            Self::Confirmed { .. } => "已确认联名",
            Self::Declined { .. } => "已谢绝",
            Self::Lapsed => "未答复",
        }
    }
}

/// One co-signer invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The deputy, with name and level at the time.
    pub signer: Signer,
    /// Invited on.
    pub invited_on: NaiveDate,
    /// The answer.
    pub answer: Answer,
}

/// The suggestion a submitted draft became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filed {
    /// Its id.
    pub suggestion: SuggestionId,
    /// Its number.
    pub number: SuggestionNumber,
}

/// A draft of a joint suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Id.
    pub id: DraftId,
    /// Version: the number of its events.
    pub version: u64,
    /// The lead deputy (领衔代表).
    pub lead: Signer,
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// The edition of the words, from 1; each edit adds one.
    pub edition: u32,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// The co-signers invited, in the order invited.
    pub invitations: Vec<Invitation>,
    /// Status.
    pub status: DraftStatus,
    /// The suggestion it became (submitted).
    pub filed: Option<Filed>,
    /// The day it was submitted or withdrawn.
    pub closed_on: Option<NaiveDate>,
    /// Why the lead withdrew it, if said.
    pub withdrawal_reason: Option<ShortText>,
}

/// What may be asked of a draft; `by` is the deputy who acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftCommand {
    /// The lead invites co-signers.
    Invite {
        /// The acting deputy.
        by: DeputyId,
        /// The deputies invited.
        co_signers: Vec<Signer>,
    },
    /// The lead changes the words (a part not given is kept).
    Edit {
        /// The acting deputy.
        by: DeputyId,
        /// The new title.
        title: Option<ShortText>,
        /// The new content.
        content: Option<LongText>,
    },
    /// An invited co-signer confirms the words of the edition read.
    Confirm {
        /// The acting deputy.
        by: DeputyId,
        /// The edition read.
        edition: u32,
    },
    /// An invited co-signer declines (or takes back a confirmation).
    Decline {
        /// The acting deputy.
        by: DeputyId,
        /// Why, if the deputy says.
        reason: Option<ShortText>,
    },
    /// The lead submits; the app has filed the suggestion `filed` with [`Draft::proposers`] in the same
    /// transaction.
    Submit {
        /// The acting deputy.
        by: DeputyId,
        /// Submit with those who confirmed, the unanswered invitations lapsing.
        leave_unanswered: bool,
        /// The suggestion filed.
        filed: Filed,
    },
    /// The lead withdraws the draft.
    Withdraw {
        /// The acting deputy.
        by: DeputyId,
        /// Why, if the lead says.
        reason: Option<ShortText>,
    },
}

/// What happened to a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DraftEvent {
    /// Opened by its lead.
    Opened {
        /// The lead.
        lead: Signer,
        /// Title.
        title: ShortText,
        /// Content.
        content: LongText,
        /// On.
        on: NaiveDate,
    },
    /// Co-signers invited (a deputy who had declined is invited again).
    Invited {
        /// The deputies.
        co_signers: Vec<Signer>,
        /// On.
        on: NaiveDate,
    },
    /// The words changed; the confirmations of `reopened` were withdrawn.
    Edited {
        /// Title.
        title: ShortText,
        /// Content.
        content: LongText,
        /// The new edition.
        edition: u32,
        /// The co-signers who had confirmed the earlier words, asked again.
        reopened: Vec<DeputyId>,
    },
    /// A co-signer confirmed.
    Confirmed {
        /// The deputy.
        deputy: DeputyId,
        /// The edition confirmed.
        edition: u32,
        /// On.
        on: NaiveDate,
    },
    /// A co-signer declined.
    Declined {
        /// The deputy.
        deputy: DeputyId,
        /// Why.
        reason: Option<ShortText>,
        /// On.
        on: NaiveDate,
    },
    /// Submitted: filed as the suggestion `filed`.
    Submitted {
        /// The suggestion.
        filed: Filed,
        /// Its proposers: the lead, then the co-signers who confirmed.
        proposers: Vec<DeputyId>,
        /// The invitations left unanswered.
        lapsed: Vec<DeputyId>,
        /// On.
        on: NaiveDate,
    },
    /// Withdrawn by the lead.
    Withdrawn {
        /// Why.
        reason: Option<ShortText>,
        /// On.
        on: NaiveDate,
    },
}

impl DraftEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Opened { .. } => "draft.opened",
            Self::Invited { .. } => "draft.invited",
            Self::Edited { .. } => "draft.edited",
            Self::Confirmed { .. } => "draft.confirmed",
            Self::Declined { .. } => "draft.declined",
            Self::Submitted { .. } => "draft.submitted",
            Self::Withdrawn { .. } => "draft.withdrawn",
        }
    }
}

impl Draft {
    /// The invitation of `deputy`, if any.
    pub fn invitation(&self, deputy: DeputyId) -> Option<&Invitation> {
        self.invitations.iter().find(|i| i.signer.deputy == deputy)
    }

    /// The invitations not answered yet.
    pub fn pending(&self) -> usize {
        self.invitations.iter().filter(|i| i.answer == Answer::Pending).count()
    }

    /// Whether every invitation is answered (and there is at least one).
    pub fn all_answered(&self) -> bool {
        !self.invitations.is_empty() && self.pending() == 0
    }

    /// Whether `deputy` is the lead or was invited: who may read the draft.
    pub fn concerns(&self, deputy: DeputyId) -> bool {
        self.lead.deputy == deputy || self.invitation(deputy).is_some()
    }

    /// The proposers the suggestion is filed with if the lead `by` submits now: the lead, then the
    /// co-signers who confirmed, in the order invited; refused as `Submit` would be.
    pub fn proposers(&self, by: DeputyId, leave_unanswered: bool) -> Result<Vec<Signer>, DraftError> {
        self.open("submit")?;
        self.lead_only(by)?;
        let pending = self.pending();
        if pending > 0 && !leave_unanswered {
            return Err(DraftError::Unanswered(pending));
        }
        let confirmed = self
            .invitations
            .iter()
            .filter(|i| matches!(i.answer, Answer::Confirmed { edition, .. } if edition == self.edition));
        Ok(std::iter::once(self.lead.clone()).chain(confirmed.map(|i| i.signer.clone())).collect())
    }

    fn open(&self, command: &'static str) -> Result<(), DraftError> {
        if self.status == DraftStatus::Open {
            Ok(())
        } else {
            Err(DraftError::IllegalTransition { status: self.status, command })
        }
    }

    fn lead_only(&self, by: DeputyId) -> Result<(), DraftError> {
        if by == self.lead.deputy { Ok(()) } else { Err(DraftError::NotTheLead) }
    }

    fn invited(&self, by: DeputyId) -> Result<&Invitation, DraftError> {
        self.invitation(by).ok_or(DraftError::NotInvited)
    }

    /// Check an invitation of `co_signers` (also at the opening).
    fn check_invite(&self, co_signers: &[Signer]) -> Result<(), DraftError> {
        if co_signers.is_empty() {
            return Err(DraftError::NoCoSigners);
        }
        let mut seen: Vec<DeputyId> = Vec::new();
        for s in co_signers {
            if s.deputy == self.lead.deputy {
                return Err(DraftError::LeadInvited);
            }
            if seen.contains(&s.deputy) {
                return Err(DraftError::DuplicateCoSigner(s.name.clone()));
            }
            seen.push(s.deputy);
            if let Some(i) = self.invitation(s.deputy)
                && !matches!(i.answer, Answer::Declined { .. })
            {
                return Err(DraftError::AlreadyInvited(s.name.clone()));
            }
        }
        let standing =
            self.invitations.iter().filter(|i| !matches!(i.answer, Answer::Declined { .. })).count();
        if standing + co_signers.len() > MAX_CO_SIGNERS {
            return Err(DraftError::TooManyCoSigners { max: MAX_CO_SIGNERS });
        }
        Ok(())
    }

    /// Decide a command (never changes the state).
    pub fn decide(&self, c: DraftCommand, today: NaiveDate) -> Result<Vec<DraftEvent>, DraftError> {
        match c {
            DraftCommand::Invite { by, co_signers } => {
                self.open("invite co-signers to")?;
                self.lead_only(by)?;
                self.check_invite(&co_signers)?;
                Ok(vec![DraftEvent::Invited { co_signers, on: today }])
            }
            DraftCommand::Edit { by, title, content } => {
                self.open("edit")?;
                self.lead_only(by)?;
                let title = title.unwrap_or_else(|| self.title.clone());
                let content = content.unwrap_or_else(|| self.content.clone());
                if title == self.title && content == self.content {
                    return Err(DraftError::Unchanged);
                }
                let reopened = self
                    .invitations
                    .iter()
                    .filter(|i| matches!(i.answer, Answer::Confirmed { .. }))
                    .map(|i| i.signer.deputy)
                    .collect();
                Ok(vec![DraftEvent::Edited { title, content, edition: self.edition + 1, reopened }])
            }
            DraftCommand::Confirm { by, edition } => {
                self.open("confirm")?;
                let i = self.invited(by)?;
                if i.answer != Answer::Pending {
                    return Err(DraftError::AlreadyAnswered);
                }
                if edition != self.edition {
                    return Err(DraftError::EditedSince { read: edition, current: self.edition });
                }
                Ok(vec![DraftEvent::Confirmed { deputy: by, edition, on: today }])
            }
            DraftCommand::Decline { by, reason } => {
                self.open("decline")?;
                let i = self.invited(by)?;
                if matches!(i.answer, Answer::Declined { .. }) {
                    return Err(DraftError::AlreadyAnswered);
                }
                Ok(vec![DraftEvent::Declined { deputy: by, reason, on: today }])
            }
            DraftCommand::Submit { by, leave_unanswered, filed } => {
                let proposers = self.proposers(by, leave_unanswered)?;
                let lapsed = self
                    .invitations
                    .iter()
                    .filter(|i| i.answer == Answer::Pending)
                    .map(|i| i.signer.deputy)
                    .collect();
                Ok(vec![DraftEvent::Submitted {
                    filed,
                    proposers: proposers.into_iter().map(|s| s.deputy).collect(),
                    lapsed,
                    on: today,
                }])
            }
            DraftCommand::Withdraw { by, reason } => {
                self.open("withdraw")?;
                self.lead_only(by)?;
                Ok(vec![DraftEvent::Withdrawn { reason, on: today }])
            }
        }
    }

    /// Fold an event, adding one to the version.
    pub fn apply(&mut self, e: &DraftEvent) {
        self.version += 1;
        match e {
            DraftEvent::Opened { .. } => {}
            DraftEvent::Invited { co_signers, on } => {
                for s in co_signers {
                    let fresh = Invitation { signer: s.clone(), invited_on: *on, answer: Answer::Pending };
                    match self.invitations.iter_mut().find(|i| i.signer.deputy == s.deputy) {
                        Some(i) => *i = fresh,
                        None => self.invitations.push(fresh),
                    }
                }
            }
            DraftEvent::Edited { title, content, edition, reopened } => {
                self.title = title.clone();
                self.content = content.clone();
                self.edition = *edition;
                for i in &mut self.invitations {
                    if reopened.contains(&i.signer.deputy) {
                        i.answer = Answer::Pending;
                    }
                }
            }
            DraftEvent::Confirmed { deputy, edition, on } => {
                self.answer(*deputy, Answer::Confirmed { on: *on, edition: *edition });
            }
            DraftEvent::Declined { deputy, reason, on } => {
                self.answer(*deputy, Answer::Declined { on: *on, reason: reason.clone() });
            }
            DraftEvent::Submitted { filed, lapsed, on, .. } => {
                for d in lapsed {
                    self.answer(*d, Answer::Lapsed);
                }
                self.status = DraftStatus::Submitted;
                self.filed = Some(*filed);
                self.closed_on = Some(*on);
            }
            DraftEvent::Withdrawn { reason, on } => {
                self.status = DraftStatus::Withdrawn;
                self.withdrawal_reason = reason.clone();
                self.closed_on = Some(*on);
            }
        }
    }

    fn answer(&mut self, deputy: DeputyId, answer: Answer) {
        if let Some(i) = self.invitations.iter_mut().find(|i| i.signer.deputy == deputy) {
            i.answer = answer;
        }
    }
}
