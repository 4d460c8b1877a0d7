//! Solicitations of opinions (C4): letters and forums to an audience, each recipient's response once,
//! linked to the record it became.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ChannelError;
use crate::ids::{DeputyId, SolicitationId};
use crate::registry::{LongText, ShortText};
use crate::{Aggregate, DomainEvent};

/// A solicitation of opinions (征求意见函 / 座谈会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Solicitation {
    /// Id.
    pub id: SolicitationId,
    /// Version.
    pub version: u64,
    /// Title.
    pub title: ShortText,
    /// What is asked.
    pub content: LongText,
    /// By letter or at a forum.
    pub by_forum: bool,
    /// The deputies it went to.
    pub recipients: Vec<DeputyId>,
    /// Sent on.
    pub sent_on: NaiveDate,
    /// Responses: the deputy, the text, what it became.
    pub responses: Vec<(DeputyId, LongText, Option<String>)>,
}

impl Solicitation {
    /// Record a recipient's response, once (the state after [`SolicitationCommand::Respond`]).
    pub fn respond(
        &self,
        deputy: DeputyId,
        text: LongText,
        became: Option<String>,
    ) -> Result<Self, ChannelError> {
        self.handle(SolicitationCommand::Respond { deputy, text, became }, ()).map(|(s, _)| s)
    }
}

/// What sends a solicitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendSolicitation {
    /// Title.
    pub title: ShortText,
    /// What is asked.
    pub content: LongText,
    /// By letter or at a forum.
    pub by_forum: bool,
    /// The deputies it goes to (at least one).
    pub recipients: Vec<DeputyId>,
}

/// A step of a solicitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SolicitationCommand {
    /// A recipient's response (once), with what it became.
    Respond {
        /// The deputy.
        deputy: DeputyId,
        /// The text.
        text: LongText,
        /// The record it became (`suggestion:<id>`), if any.
        became: Option<String>,
    },
}

/// What happened to a solicitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SolicitationEvent {
    /// Sent to its recipients.
    Sent {
        /// The solicitation as sent.
        solicitation: Box<Solicitation>,
    },
    /// A recipient responded.
    Responded {
        /// The deputy.
        deputy: DeputyId,
        /// The text.
        text: LongText,
        /// What it became.
        became: Option<String>,
    },
}

impl SolicitationEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sent { .. } => "solicitation.sent",
            Self::Responded { .. } => "solicitation.responded",
        }
    }
}

impl DomainEvent for SolicitationEvent {
    fn kind(&self) -> &'static str {
        SolicitationEvent::kind(self)
    }
}

impl Aggregate for Solicitation {
    const KIND: &'static str = "solicitation";
    type Id = SolicitationId;
    type Create = SendSolicitation;
    type Command = SolicitationCommand;
    type Event = SolicitationEvent;
    type Error = ChannelError;
    type Context<'a> = ();
    type CreateContext<'a> = NaiveDate;

    fn create(
        id: &SolicitationId,
        c: SendSolicitation,
        today: NaiveDate,
    ) -> Result<Vec<SolicitationEvent>, ChannelError> {
        if c.recipients.is_empty() {
            return Err(ChannelError::NoRecipients);
        }
        let solicitation = Self {
            id: *id,
            version: 1,
            title: c.title,
            content: c.content,
            by_forum: c.by_forum,
            recipients: c.recipients,
            sent_on: today,
            responses: vec![],
        };
        Ok(vec![SolicitationEvent::Sent { solicitation: Box::new(solicitation) }])
    }
    fn created(id: &SolicitationId, first: &SolicitationEvent) -> Option<Self> {
        match first {
            SolicitationEvent::Sent { solicitation } if solicitation.id == *id => {
                Some(Self { version: 1, ..(**solicitation).clone() })
            }
            _ => None,
        }
    }
    fn decide(&self, c: SolicitationCommand, (): ()) -> Result<Vec<SolicitationEvent>, ChannelError> {
        match c {
            SolicitationCommand::Respond { deputy, text, became } => {
                if !self.recipients.contains(&deputy) {
                    return Err(ChannelError::NotARecipient(deputy));
                }
                if self.responses.iter().any(|r| r.0 == deputy) {
                    return Err(ChannelError::AlreadyResponded);
                }
                Ok(vec![SolicitationEvent::Responded { deputy, text, became }])
            }
        }
    }
    fn apply(&mut self, e: &SolicitationEvent) {
        self.version += 1;
        match e {
            SolicitationEvent::Sent { .. } => {}
            SolicitationEvent::Responded { deputy, text, became } => {
                self.responses.push((*deputy, text.clone(), became.clone()))
            }
        }
    }
    fn version(&self) -> u64 {
        self.version
    }
}
