//! Liaison means and services: the hotline log and liaison cards (C1), services to deputies (G3: visits,
//! practical problems helped with, support in difficulty, subscriptions with their deliveries), and
//! solicitations of opinions (C4: letters and forums to an audience, responses linked to what they became).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValueError;
use crate::ids::{CallId, CardNumber, DeputyId, OfficerId};
use crate::organisation::Organisation;
use crate::registry::values::{clean, word_enum};
use crate::registry::{Landline, LongText, MobileNumber, ShortText};
use crate::suggestion::Signer;
use crate::{Aggregate, DomainError, DomainEvent, Localized, NoCommand};

mod service;
mod solicitation;
#[cfg(test)]
mod tests;

pub use service::{OpenService, Service, ServiceCommand, ServiceEvent, ServiceKind};
pub use solicitation::{SendSolicitation, Solicitation, SolicitationCommand, SolicitationEvent};

word_enum!(
    /// Where a hotline call was routed.
    Route, "suggestion/appointment/service/petition/other (建议/约见/服务/信访/其他)", {
    /// To the suggestion workflow.
    Suggestion => "suggestion", "建议", [];
    /// To an appointment.
    Appointment => "appointment", "约见", [];
    /// To a service.
    Service => "service", "服务", [];
    /// To letters and petitions.
    Petition => "petition", "信访", [];
    /// Answered on the call, or elsewhere.
    Other => "other", "其他", ["当场答复"];
});

/// A hotline call (联络热线).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct HotlineCall {
    /// Id.
    pub id: CallId,
    /// When (China time).
    pub at: chrono::NaiveDateTime,
    /// The deputy, when the caller is one on the register.
    pub deputy: Option<Signer>,
    /// The caller as they gave their name.
    pub caller: ShortText,
    /// The topic.
    pub topic: LongText,
    /// Where it went.
    pub routed_to: Route,
    /// The record it became (`suggestion:<id>` …), when one was made.
    pub reference: Option<String>,
}

/// A liaison card (联络卡). A deputy holds at most one active card: a new one is refused while an earlier
/// one is active (revoke it first), so the number a deputy calls is never in doubt and revoking stays an
/// explicit, recorded act rather than a side effect of issuing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct LiaisonCard {
    /// Number (`LK-2026-0001`).
    pub number: String,
    /// Version: +1 per event (cards stored before it was kept read as 1).
    #[serde(default = "first_version")]
    pub version: u64,
    /// The deputy.
    pub deputy: Signer,
    /// The officer to contact, as printed.
    pub officer: ShortText,
    /// The officer's id in the organisation (absent on cards issued before it was checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_id: Option<OfficerId>,
    /// The office's telephone, as printed: a mobile number or a landline in its normalised form.
    pub telephone: ShortText,
    /// Issued on.
    pub issued_on: NaiveDate,
    /// Revoked on, and why.
    pub revoked: Option<(NaiveDate, ShortText)>,
}

/// A telephone number printed on a card: a mainland mobile number or a landline, normalised.
pub(crate) fn parse_telephone(s: &str) -> Result<ShortText, ChannelError> {
    let bad = || ChannelError::Telephone(clean(s).to_owned());
    let normal = match MobileNumber::parse(s) {
        Ok(m) => m.as_str().to_owned(),
        Err(_) => Landline::parse(s).map_err(|_| bad())?.as_str().to_owned(),
    };
    ShortText::parse(&normal).map_err(|_| bad())
}

impl LiaisonCard {
    /// Issue a card: the officer must be an active officer of the organisation (by id or by a name no
    /// other active officer shares), the telephone a mobile number or a landline, and the deputy must hold
    /// no active card (`cards`: the deputy's cards so far).
    pub fn issue(
        number: String,
        deputy: Signer,
        (officer, telephone): (&str, &str),
        org: &Organisation,
        cards: &[LiaisonCard],
        today: NaiveDate,
    ) -> Result<Self, ChannelError> {
        let given = clean(officer).to_owned();
        if given.is_empty() {
            return Err(ChannelError::UnknownOfficer(given));
        }
        let matching: Vec<_> =
            org.officers.values().filter(|o| o.id.to_string() == given || o.name.as_str() == given).collect();
        let found = match matching.as_slice() {
            [] => return Err(ChannelError::UnknownOfficer(given)),
            [one] => *one,
            many => {
                let active: Vec<_> = many.iter().filter(|o| o.active).collect();
                match active.as_slice() {
                    [one] => **one,
                    [] => many[0],
                    _ => return Err(ChannelError::AmbiguousOfficer(given)),
                }
            }
        };
        if !found.active {
            return Err(ChannelError::InactiveOfficer(found.name.to_string()));
        }
        let telephone = parse_telephone(telephone)?;
        if let Some(c) = cards.iter().find(|c| c.deputy.deputy == deputy.deputy && c.revoked.is_none()) {
            return Err(ChannelError::ActiveCard {
                deputy: deputy.name.to_string(),
                number: c.number.clone(),
            });
        }
        let officer =
            ShortText::parse(found.name.as_str()).map_err(|_| ChannelError::UnknownOfficer(given.clone()))?;
        Ok(Self {
            number,
            version: 1,
            deputy,
            officer,
            officer_id: Some(found.id),
            telephone,
            issued_on: today,
            revoked: None,
        })
    }

    /// Revoke it (the state after [`CardCommand::Revoke`]).
    pub fn revoke(&self, on: NaiveDate, reason: ShortText) -> Result<Self, ChannelError> {
        self.handle(CardCommand::Revoke { reason }, on).map(|(card, _)| card)
    }
}

fn first_version() -> u64 {
    1
}

/// What issues a card: the deputy, the officer (an id or a name) and the telephone as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueCard {
    /// The deputy.
    pub deputy: Signer,
    /// The officer, by id or by name.
    pub officer: String,
    /// The telephone, as typed.
    pub telephone: String,
}

/// What the rules of issuing compare with: the organisation, the deputy's cards so far, the day.
#[derive(Debug, Clone, Copy)]
pub struct IssueContext<'a> {
    /// The organisation (its officers).
    pub org: &'a Organisation,
    /// The deputy's cards so far.
    pub cards: &'a [LiaisonCard],
    /// Today.
    pub today: NaiveDate,
}

/// A change to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardCommand {
    /// Revoke it, with the reason.
    Revoke {
        /// Why.
        reason: ShortText,
    },
}

/// What happened to a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CardEvent {
    /// Issued: the card as printed.
    Issued {
        /// The card.
        card: Box<LiaisonCard>,
    },
    /// Revoked.
    Revoked {
        /// On.
        on: NaiveDate,
        /// Why.
        reason: ShortText,
    },
}

impl CardEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Issued { .. } => "card.issued",
            Self::Revoked { .. } => "card.revoked",
        }
    }
}

impl DomainEvent for CardEvent {
    fn kind(&self) -> &'static str {
        CardEvent::kind(self)
    }
}

impl Aggregate for LiaisonCard {
    const KIND: &'static str = "card";
    type Id = CardNumber;
    type Create = IssueCard;
    type Command = CardCommand;
    type Event = CardEvent;
    type Error = ChannelError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = IssueContext<'a>;

    fn create(id: &CardNumber, c: IssueCard, cx: IssueContext<'_>) -> Result<Vec<CardEvent>, ChannelError> {
        let card =
            Self::issue(id.0.clone(), c.deputy, (&c.officer, &c.telephone), cx.org, cx.cards, cx.today)?;
        Ok(vec![CardEvent::Issued { card: Box::new(card) }])
    }
    fn created(id: &CardNumber, first: &CardEvent) -> Option<Self> {
        match first {
            CardEvent::Issued { card } if card.number == id.0 => {
                Some(Self { version: 1, ..(**card).clone() })
            }
            _ => None,
        }
    }
    fn decide(&self, c: CardCommand, today: NaiveDate) -> Result<Vec<CardEvent>, ChannelError> {
        match c {
            CardCommand::Revoke { reason } => {
                if self.revoked.is_some() {
                    return Err(ChannelError::Revoked);
                }
                Ok(vec![CardEvent::Revoked { on: today, reason }])
            }
        }
    }
    fn apply(&mut self, e: &CardEvent) {
        self.version += 1;
        match e {
            CardEvent::Issued { .. } => {}
            CardEvent::Revoked { on, reason } => self.revoked = Some((*on, reason.clone())),
        }
    }
    fn version(&self) -> u64 {
        self.version
    }
}

/// Why a command on a card, service or solicitation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// The card is already revoked.
    #[error("the card is already revoked")]
    Revoked,
    /// The service is already resolved.
    #[error("the service is already resolved")]
    Resolved,
    /// The command does not fit the service's kind.
    #[error("this does not fit the service's kind")]
    WrongKind,
    /// The deputy did not receive it.
    #[error("deputy {0} did not receive it")]
    NotARecipient(DeputyId),
    /// Already responded.
    #[error("the deputy already responded")]
    AlreadyResponded,
    /// Nobody to send to.
    #[error("nobody to send it to")]
    NoRecipients,
    /// No such officer in the organisation.
    #[error("officer: {0:?} is not an officer of the organisation")]
    UnknownOfficer(String),
    /// Several active officers share the name.
    #[error("officer: several active officers are called {0}: give the officer's id")]
    AmbiguousOfficer(String),
    /// The officer no longer does liaison work.
    #[error("officer: {0} no longer does liaison work")]
    InactiveOfficer(String),
    /// Not a telephone number.
    #[error(
        "telephone: {0:?} is neither a mobile number (11 digits, 13x–19x) nor a landline (e.g. 0571-88886666)"
    )]
    Telephone(String),
    /// The deputy already holds an active card.
    #[error(
        "deputy {deputy} already holds the active card {number}: revoke it first, then issue the new one"
    )]
    ActiveCard {
        /// The deputy's name.
        deputy: String,
        /// The active card.
        number: String,
    },
}

impl ChannelError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Revoked => "card.revoked",
            Self::Resolved => "service.resolved",
            Self::WrongKind => "service.wrong_kind",
            Self::NotARecipient(_) => "solicitation.not_a_recipient",
            Self::AlreadyResponded => "solicitation.already_responded",
            Self::NoRecipients => "solicitation.no_recipients",
            Self::UnknownOfficer(_) => "card.unknown_officer",
            Self::AmbiguousOfficer(_) => "card.ambiguous_officer",
            Self::InactiveOfficer(_) => "card.inactive_officer",
            Self::Telephone(_) => "card.invalid_telephone",
            Self::ActiveCard { .. } => "card.active_card",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::UnknownOfficer(_)
                | Self::AmbiguousOfficer(_)
                | Self::InactiveOfficer(_)
                | Self::Telephone(_)
        )
    }
}

impl DomainError for ChannelError {
    fn code(&self) -> &'static str {
        ChannelError::code(self)
    }
    fn is_input(&self) -> bool {
        ChannelError::is_input(self)
    }
}

impl Localized for ChannelError {
    fn zh(&self) -> String {
        match self {
            Self::Revoked => "该联络卡已注销".into(),
            Self::Resolved => "该服务事项已办结".into(),
            Self::WrongKind => "此操作不适用于该类服务".into(),
            Self::NotARecipient(d) => format!("代表 {d} 不是征求对象"),
            Self::AlreadyResponded => "该代表已反馈".into(),
            Self::NoRecipients => "没有征求对象".into(),
            Self::UnknownOfficer(o) => format!("联络员（officer）“{o}”不是本院组织机构中的联络员"),
            Self::AmbiguousOfficer(o) => {
                format!("联络员（officer）：有多名在岗联络员名为“{o}”，请填写联络员编号")
            }
            Self::InactiveOfficer(o) => format!("联络员（officer）{o} 已不再从事联络工作"),
            Self::Telephone(t) => {
                format!(
                    "联系电话（telephone）“{t}”既不是有效的手机号码（11 位，以 13–19 开头），也不是固定电话（如 0571-88886666）"
                )
            }
            Self::ActiveCard { deputy, number } => {
                format!("代表 {deputy} 已持有有效联络卡 {number}：请先注销该卡，再发放新卡")
            }
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// What logs a hotline call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogCall {
    /// When (China time).
    pub at: chrono::NaiveDateTime,
    /// The deputy, when the caller is one on the register.
    pub deputy: Option<Signer>,
    /// The caller as they gave their name.
    pub caller: ShortText,
    /// The topic.
    pub topic: LongText,
    /// Where it went.
    pub routed_to: Route,
    /// The record it became, when one was made.
    pub reference: Option<String>,
}

/// What happened to a hotline call: it was logged, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CallEvent {
    /// Logged.
    Logged {
        /// The call.
        call: Box<HotlineCall>,
    },
}

impl DomainEvent for CallEvent {
    fn kind(&self) -> &'static str {
        match self {
            Self::Logged { .. } => "hotline.call_logged",
        }
    }
}

/// A hotline call is a log entry: created once, never changed (its version is always 1).
impl Aggregate for HotlineCall {
    const KIND: &'static str = "call";
    type Id = CallId;
    type Create = LogCall;
    type Command = NoCommand;
    type Event = CallEvent;
    type Error = ChannelError;
    type Context<'a> = ();
    type CreateContext<'a> = ();

    fn create(id: &CallId, c: LogCall, (): ()) -> Result<Vec<CallEvent>, ChannelError> {
        let call = Self {
            id: *id,
            at: c.at,
            deputy: c.deputy,
            caller: c.caller,
            topic: c.topic,
            routed_to: c.routed_to,
            reference: c.reference,
        };
        Ok(vec![CallEvent::Logged { call: Box::new(call) }])
    }
    fn created(id: &CallId, first: &CallEvent) -> Option<Self> {
        let CallEvent::Logged { call } = first;
        (call.id == *id).then(|| (**call).clone())
    }
    fn decide(&self, c: NoCommand, (): ()) -> Result<Vec<CallEvent>, ChannelError> {
        match c {}
    }
    /// Nothing follows the one event that creates a call.
    fn apply(&mut self, _: &CallEvent) {}
    fn version(&self) -> u64 {
        1
    }
}
