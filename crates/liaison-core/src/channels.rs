//! Liaison means and services: the hotline log and liaison cards (C1), services to deputies (G3: visits,
//! practical problems helped with, support in difficulty, subscriptions with their deliveries), and
//! solicitations of opinions (C4: letters and forums to an audience, responses linked to what they became).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValueError;
use crate::ids::{CardNumber, DeputyId, OfficerId, ServiceId, SolicitationId};
use crate::organisation::Organisation;
use crate::registry::values::{clean, word_enum};
use crate::registry::{Landline, LongText, MobileNumber, ShortText};
use crate::suggestion::Signer;
use crate::{Aggregate, DomainError, DomainEvent, Localized};

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
pub struct HotlineCall {
    /// Id.
    pub id: String,
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
pub fn parse_telephone(s: &str) -> Result<ShortText, ChannelError> {
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

word_enum!(
    /// What a service is.
    ServiceKind, "home_visit/work_visit/practical_help/difficulty/subscription (家中走访/单位走访/解决实际困难/困难帮扶/资料订阅)", {
    /// A visit at home (家中走访).
    HomeVisit => "home_visit", "家中走访", [];
    /// A visit at the work unit (单位走访).
    WorkVisit => "work_visit", "单位走访", [];
    /// A practical problem helped with (解决实际困难).
    PracticalHelp => "practical_help", "解决实际困难", ["实际困难"];
    /// Support for a deputy in difficulty (困难帮扶).
    Difficulty => "difficulty", "困难帮扶", ["帮扶"];
    /// A subscription to procuratorial briefings or study materials (资料订阅).
    Subscription => "subscription", "资料订阅", ["订阅"];
});

/// A service to a deputy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Id.
    pub id: String,
    /// Version.
    pub version: u64,
    /// The deputy.
    pub deputy: Signer,
    /// What.
    pub kind: ServiceKind,
    /// Details.
    pub description: LongText,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Resolved on, with the result (problems and support); visits are resolved when recorded.
    pub resolved: Option<(NaiveDate, LongText)>,
    /// Deliveries of a subscription: day and item.
    pub deliveries: Vec<(NaiveDate, ShortText)>,
}

impl Service {
    /// Resolve an open problem or support with its result (the state after [`ServiceCommand::Resolve`]).
    pub fn resolve(&self, on: NaiveDate, result: LongText) -> Result<Self, ChannelError> {
        self.handle(ServiceCommand::Resolve { result }, on).map(|(s, _)| s)
    }
    /// Record a delivery of a subscription (the state after [`ServiceCommand::Deliver`]).
    pub fn deliver(&self, on: NaiveDate, item: ShortText) -> Result<Self, ChannelError> {
        self.handle(ServiceCommand::Deliver { item }, on).map(|(s, _)| s)
    }
}

/// What opens a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenService {
    /// The deputy.
    pub deputy: Signer,
    /// What.
    pub kind: ServiceKind,
    /// Details.
    pub description: LongText,
}

/// A step of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceCommand {
    /// Resolve an open problem or support with its result.
    Resolve {
        /// The result.
        result: LongText,
    },
    /// Record a delivery of a subscription.
    Deliver {
        /// What was delivered.
        item: ShortText,
    },
}

/// What happened to a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServiceEvent {
    /// Opened (a visit is resolved as it is recorded).
    Opened {
        /// The service as opened.
        service: Box<Service>,
    },
    /// Resolved with its result.
    Resolved {
        /// On.
        on: NaiveDate,
        /// The result.
        result: LongText,
    },
    /// A delivery of a subscription.
    Delivered {
        /// On.
        on: NaiveDate,
        /// What.
        item: ShortText,
    },
}

impl ServiceEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Opened { .. } => "service.opened",
            Self::Resolved { .. } => "service.resolved",
            Self::Delivered { .. } => "service.delivered",
        }
    }
}

impl DomainEvent for ServiceEvent {
    fn kind(&self) -> &'static str {
        ServiceEvent::kind(self)
    }
}

impl Aggregate for Service {
    const KIND: &'static str = "service";
    type Id = ServiceId;
    type Create = OpenService;
    type Command = ServiceCommand;
    type Event = ServiceEvent;
    type Error = ChannelError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(id: &ServiceId, c: OpenService, today: NaiveDate) -> Result<Vec<ServiceEvent>, ChannelError> {
        // A visit is done when it is recorded; problems, support and subscriptions stay open.
        let visit = matches!(c.kind, ServiceKind::HomeVisit | ServiceKind::WorkVisit);
        let service = Self {
            id: id.to_string(),
            version: 1,
            deputy: c.deputy,
            kind: c.kind,
            resolved: visit.then(|| (today, c.description.clone())),
            description: c.description,
            opened_on: today,
            deliveries: vec![],
        };
        Ok(vec![ServiceEvent::Opened { service: Box::new(service) }])
    }
    fn created(id: &ServiceId, first: &ServiceEvent) -> Option<Self> {
        match first {
            ServiceEvent::Opened { service } if service.id == id.to_string() => {
                Some(Self { version: 1, ..(**service).clone() })
            }
            _ => None,
        }
    }
    fn decide(&self, c: ServiceCommand, today: NaiveDate) -> Result<Vec<ServiceEvent>, ChannelError> {
        match c {
            ServiceCommand::Resolve { result } => {
                if self.resolved.is_some() {
                    return Err(ChannelError::Resolved);
                }
                if self.kind == ServiceKind::Subscription {
                    return Err(ChannelError::WrongKind);
                }
                Ok(vec![ServiceEvent::Resolved { on: today, result }])
            }
            ServiceCommand::Deliver { item } => {
                if self.kind != ServiceKind::Subscription {
                    return Err(ChannelError::WrongKind);
                }
                Ok(vec![ServiceEvent::Delivered { on: today, item }])
            }
        }
    }
    fn apply(&mut self, e: &ServiceEvent) {
        self.version += 1;
        match e {
            ServiceEvent::Opened { .. } => {}
            ServiceEvent::Resolved { on, result } => self.resolved = Some((*on, result.clone())),
            ServiceEvent::Delivered { on, item } => self.deliveries.push((*on, item.clone())),
        }
    }
    fn version(&self) -> u64 {
        self.version
    }
}

/// A solicitation of opinions (征求意见函 / 座谈会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solicitation {
    /// Id.
    pub id: String,
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
            id: id.to_string(),
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
            SolicitationEvent::Sent { solicitation } if solicitation.id == id.to_string() => {
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

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::registry::{DeputyLevel, PersonName};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn who() -> Signer {
        Signer {
            deputy: DeputyId(Uuid::from_u128(1)),
            name: PersonName::parse("王芳").unwrap(),
            level: DeputyLevel::City,
        }
    }

    fn org() -> Organisation {
        use crate::organisation::Officer;
        use crate::registry::PersonName;
        let officer = |n: u128, name: &str, active: bool| Officer {
            id: OfficerId(Uuid::from_u128(n)),
            name: PersonName::parse(name).unwrap(),
            department: None,
            regions: Default::default(),
            active,
        };
        let mut o = Organisation::default();
        for x in [officer(1, "林晓", true), officer(2, "陈静", false)] {
            o.officers.insert(x.id, x);
        }
        o
    }

    #[test]
    fn a_card_names_an_officer_of_the_organisation_a_real_number_and_waits_for_the_active_one() {
        let issue = |officer: &str, phone: &str, cards: &[LiaisonCard]| {
            LiaisonCard::issue("LK-2026-0002".into(), who(), (officer, phone), &org(), cards, d("2026-03-01"))
        };
        assert_eq!(issue("张三", "0591-12345678", &[]), Err(ChannelError::UnknownOfficer("张三".into())));
        assert_eq!(issue("陈静", "0591-12345678", &[]), Err(ChannelError::InactiveOfficer("陈静".into())));
        let e = issue("林晓", "abc", &[]).unwrap_err();
        assert_eq!(e, ChannelError::Telephone("abc".into()));
        assert!(e.zh().contains("联系电话") && e.is_input(), "{}", e.zh());
        let first = issue("林晓", "0591 12345678", &[]).unwrap();
        assert_eq!(
            (first.telephone.as_str(), first.officer_id),
            ("0591-12345678", Some(OfficerId(Uuid::from_u128(1))))
        );
        let by_id = issue(&Uuid::from_u128(1).to_string(), "+86 138 0013 8000", &[]).unwrap();
        assert_eq!((by_id.officer.as_str(), by_id.telephone.as_str()), ("林晓", "13800138000"));
        let active = LiaisonCard { number: "LK-2026-0001".into(), ..first };
        let e = issue("林晓", "0591-12345678", std::slice::from_ref(&active)).unwrap_err();
        assert_eq!(e, ChannelError::ActiveCard { deputy: "王芳".into(), number: "LK-2026-0001".into() });
        assert!(e.zh().contains("请先注销"), "{}", e.zh());
        let revoked = active.revoke(d("2026-02-01"), ShortText::parse("遗失").unwrap()).unwrap();
        issue("林晓", "0591-12345678", &[revoked]).unwrap();
        // Cards stored before the officer was checked still read.
        let old = r#"{"number":"LK-2025-0001","deputy":{"deputy":"00000000-0000-0000-0000-000000000001","name":"王芳","level":"city"},"officer":"林晓","telephone":"0591-12345678","issued_on":"2025-01-05","revoked":null}"#;
        assert_eq!(serde_json::from_str::<LiaisonCard>(old).unwrap().officer_id, None);
        assert_eq!(serde_json::from_str::<LiaisonCard>(old).unwrap().version, 1);
    }

    #[test]
    fn cards_services_and_solicitations_follow_their_rules() {
        let c = LiaisonCard {
            number: "LK-2026-0001".into(),
            version: 1,
            deputy: who(),
            officer: ShortText::parse("林晓").unwrap(),
            officer_id: None,
            telephone: ShortText::parse("0591-12345678").unwrap(),
            issued_on: d("2026-01-05"),
            revoked: None,
        };
        let r = c.revoke(d("2026-06-01"), ShortText::parse("调离").unwrap()).unwrap();
        assert_eq!(r.revoke(d("2026-06-02"), ShortText::parse("x").unwrap()), Err(ChannelError::Revoked));
        let s = Service {
            id: "s".into(),
            version: 1,
            deputy: who(),
            kind: ServiceKind::PracticalHelp,
            description: LongText::parse("子女入学").unwrap(),
            opened_on: d("2026-03-01"),
            resolved: None,
            deliveries: vec![],
        };
        assert_eq!(
            s.deliver(d("2026-03-02"), ShortText::parse("简报").unwrap()),
            Err(ChannelError::WrongKind)
        );
        let done = s.resolve(d("2026-04-01"), LongText::parse("已协调解决").unwrap()).unwrap();
        assert_eq!(done.resolve(d("2026-04-02"), LongText::parse("x").unwrap()), Err(ChannelError::Resolved));
        let sub = Service { kind: ServiceKind::Subscription, ..s };
        assert_eq!(
            sub.deliver(d("2026-03-02"), ShortText::parse("检察简报第1期").unwrap())
                .unwrap()
                .deliveries
                .len(),
            1
        );
        let so = Solicitation {
            id: "x".into(),
            version: 1,
            title: ShortText::parse("征求意见").unwrap(),
            content: LongText::parse("请提意见").unwrap(),
            by_forum: false,
            recipients: vec![who().deputy],
            sent_on: d("2026-03-01"),
            responses: vec![],
        };
        let so = so.respond(who().deputy, LongText::parse("加强公开").unwrap(), None).unwrap();
        assert_eq!(
            so.respond(who().deputy, LongText::parse("x").unwrap(), None),
            Err(ChannelError::AlreadyResponded)
        );
        assert_eq!(
            so.respond(DeputyId(Uuid::nil()), LongText::parse("x").unwrap(), None),
            Err(ChannelError::NotARecipient(DeputyId(Uuid::nil())))
        );
    }
}
