//! The draft as an [`Aggregate`].

use chrono::NaiveDate;

use super::{Draft, DraftCommand, DraftError, DraftEvent, DraftStatus};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::DraftId;
use crate::registry::{LongText, ShortText};
use crate::suggestion::Signer;

domain_error!(DraftError);
domain_event!(DraftEvent);

/// What opens a draft: its lead, its words, and the co-signers invited at once (may be none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDraft {
    /// The lead deputy (who acts).
    pub lead: Signer,
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// Co-signers invited with the opening.
    pub co_signers: Vec<Signer>,
}

impl Draft {
    fn opened(id: DraftId, e: &DraftEvent) -> Option<Self> {
        match e {
            DraftEvent::Opened { lead, title, content, on } => Some(Self {
                id,
                version: 1,
                lead: lead.clone(),
                title: title.clone(),
                content: content.clone(),
                edition: 1,
                opened_on: *on,
                invitations: Vec::new(),
                status: DraftStatus::Open,
                filed: None,
                closed_on: None,
                withdrawal_reason: None,
            }),
            _ => None,
        }
    }
}

impl Aggregate for Draft {
    const KIND: &'static str = "draft";
    type Id = DraftId;
    type Create = OpenDraft;
    type Command = DraftCommand;
    type Event = DraftEvent;
    type Error = DraftError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(id: &DraftId, c: OpenDraft, today: NaiveDate) -> Result<Vec<DraftEvent>, DraftError> {
        let by = c.lead.deputy;
        let opened = DraftEvent::Opened { lead: c.lead, title: c.title, content: c.content, on: today };
        let invited = match Self::opened(*id, &opened) {
            Some(draft) if !c.co_signers.is_empty() => {
                draft.decide(DraftCommand::Invite { by, co_signers: c.co_signers }, today)?
            }
            _ => Vec::new(),
        };
        Ok(std::iter::once(opened).chain(invited).collect())
    }
    fn created(id: &DraftId, first: &DraftEvent) -> Option<Self> {
        Self::opened(*id, first)
    }
    fn decide(&self, c: DraftCommand, today: NaiveDate) -> Result<Vec<DraftEvent>, DraftError> {
        Draft::decide(self, c, today)
    }
    fn apply(&mut self, e: &DraftEvent) {
        Draft::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
