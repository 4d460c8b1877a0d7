//! The notice as an [`Aggregate`](crate::Aggregate): what drafts one, and the contract every workflow
//! implements.

use super::*;

/// What drafts a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftNotice {
    /// Title.
    pub title: ShortText,
    /// Content.
    pub content: LongText,
    /// Who it is for (not empty).
    pub audience: NoticeAudience,
    /// How it is sent.
    pub channel: Channel,
    /// Who drafts it (its approver must be someone else).
    pub by: Option<StaffRef>,
}

crate::aggregate::domain_error!(NoticeError);
crate::aggregate::domain_event!(NoticeEvent);

impl crate::Aggregate for Notice {
    const KIND: &'static str = "notice";
    type Id = NoticeId;
    type Create = DraftNotice;
    type Command = NoticeCommand;
    type Event = NoticeEvent;
    type Error = NoticeError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(_: &Self::Id, c: DraftNotice, today: NaiveDate) -> Result<Vec<NoticeEvent>, NoticeError> {
        Ok(vec![Self::draft(c.title, c.content, c.audience, c.channel, c.by, today)?])
    }
    fn created(id: &Self::Id, first: &NoticeEvent) -> Option<Self> {
        Self::from_drafted(*id, first)
    }
    fn decide(&self, c: NoticeCommand, today: NaiveDate) -> Result<Vec<NoticeEvent>, NoticeError> {
        Notice::decide(self, c, today)
    }
    fn apply(&mut self, e: &NoticeEvent) {
        Notice::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
