//! Services to deputies (G3): visits, practical problems helped with, support in difficulty, and
//! subscriptions with their deliveries — each step an event.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ChannelError;
use crate::ValueError;
use crate::ids::ServiceId;
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};
use crate::suggestion::Signer;
use crate::{Aggregate, DomainEvent};

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
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Service {
    /// Id.
    pub id: ServiceId,
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
            id: *id,
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
            ServiceEvent::Opened { service } if service.id == *id => {
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
