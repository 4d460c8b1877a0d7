//! Interactive appointments (互动约见, C3): a deputy asks to meet a responsible official; the request is
//! acknowledged within its deadline (default 2 working days) and the meeting held within its own (default
//! 10 working days); what was said and promised is recorded. Declining needs a reason and an alternative.
//! Officials also meet deputies on their own initiative. The official is a person of the organisation — a
//! leader or a liaison officer, found by id or name (`find_official`; departments have no head on record,
//! so a department is not an official) — and a meeting may not clash with the same person's other
//! appointments, however the name was written. A meeting set after its meet-by day needs a reason, and is
//! recorded and shown as late.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::calendar::{Period, WorkCalendar};
use crate::dates::{ImplausibleDate, plausible};
use crate::ids::AppointmentId;
use crate::ids::{LeaderId, OfficerId};
use crate::organisation::Organisation;
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};
use crate::suggestion::Signer;

word_enum!(
    /// How the request came.
    RequestChannel, "hotline/card/in_person/online/initiative (热线/联络卡/当面/网上/主动约见)", {
    /// 联络热线.
    Hotline => "hotline", "热线", ["联络热线"];
    /// 出示代表证或联络卡.
    Card => "card", "联络卡", ["代表证"];
    /// 当面.
    InPerson => "in_person", "当面", [];
    /// 网上.
    Online => "online", "网上", [];
    /// The official's own initiative (主动约见).
    Initiative => "initiative", "主动约见", ["主动"];
});

/// Where an appointment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Requested (待答复).
    Requested,
    /// Acknowledged (已答复).
    Acknowledged,
    /// A time is set (已安排).
    Scheduled,
    /// Held, with its record (已约见).
    Held,
    /// Declined, with a reason and an alternative (已婉拒).
    Declined,
}

impl AppointmentStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Acknowledged => "acknowledged",
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Declined => "declined",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Requested => "待答复",
            Self::Acknowledged => "已答复",
            Self::Scheduled => "已安排",
            Self::Held => "已约见",
            Self::Declined => "已婉拒",
        }
    }
}

/// The person of the organisation an appointment is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum OfficialId {
    /// A leadership member (院领导).
    Leader(LeaderId),
    /// A liaison officer (联络员).
    Officer(OfficerId),
}

impl OfficialId {
    /// The stable key clashes are found on (`leader:<uuid>`, `officer:<uuid>`).
    pub fn key(&self) -> String {
        match self {
            Self::Leader(id) => format!("leader:{id}"),
            Self::Officer(id) => format!("officer:{id}"),
        }
    }
}

/// The official named `s`: a leader by id, name, title and name (`检察长张明`) or title alone when one
/// leader holds it (`检察长`), or an active liaison officer by id or name. Refused when nobody of the
/// organisation answers to it, or several do.
pub fn find_official(org: &Organisation, s: &str) -> Result<(OfficialId, ShortText), AppointmentError> {
    let given = clean(s).to_owned();
    let mut found: Vec<(OfficialId, String)> = Vec::new();
    for l in org.leaders.values() {
        let titled = l.title.as_ref().map(|t| format!("{t}{}", l.name));
        let title = l.title.as_ref().map(|t| t.as_str());
        if l.id.to_string() == given
            || l.name.as_str() == given
            || titled.as_deref() == Some(given.as_str())
            || title == Some(given.as_str())
        {
            found.push((OfficialId::Leader(l.id), titled.unwrap_or_else(|| l.name.to_string())));
        }
    }
    for o in org.officers.values().filter(|o| o.active) {
        if o.id.to_string() == given || o.name.as_str() == given {
            found.push((OfficialId::Officer(o.id), format!("联络员{}", o.name)));
        }
    }
    match found.as_slice() {
        [(id, shown)] => {
            let shown =
                ShortText::parse(shown).map_err(|_| AppointmentError::UnknownOfficial(given.clone()))?;
            Ok((*id, shown))
        }
        [] => Err(AppointmentError::UnknownOfficial(given)),
        _ => Err(AppointmentError::AmbiguousOfficial(given)),
    }
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Appointment {
    /// Id.
    pub id: AppointmentId,
    /// Version.
    pub version: u64,
    /// The deputy.
    pub deputy: Signer,
    /// The official asked for, as shown (`检察长张明`).
    pub official: ShortText,
    /// The official as a person of the organisation (absent on appointments recorded before it was
    /// checked, whose official is free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_id: Option<OfficialId>,
    /// How it came.
    pub channel: RequestChannel,
    /// The topic.
    pub topic: LongText,
    /// Requested on.
    pub requested_on: NaiveDate,
    /// To be acknowledged by.
    pub acknowledge_by: NaiveDate,
    /// To be held by.
    pub meet_by: NaiveDate,
    /// Status.
    pub status: AppointmentStatus,
    /// When and where it is set.
    pub scheduled: Option<(NaiveDateTime, NaiveDateTime, ShortText)>,
    /// Set after its meet-by day.
    #[serde(default)]
    pub late: bool,
    /// Why it was set late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<LongText>,
    /// What was said and promised.
    pub record: Option<LongText>,
    /// Why declined, and the alternative offered.
    pub declined: Option<(LongText, LongText)>,
}

/// What may be asked of an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppointmentCommand {
    /// Acknowledge the request.
    Acknowledge,
    /// Set the time and place; `busy` are the official's other appointments.
    Schedule {
        /// Start.
        from: NaiveDateTime,
        /// End.
        to: NaiveDateTime,
        /// Place.
        place: ShortText,
        /// The official's other scheduled appointments (start, end).
        busy: Vec<(NaiveDateTime, NaiveDateTime)>,
        /// Why, when it is set after the meet-by day (required then; ignored otherwise).
        late_reason: Option<LongText>,
    },
    /// It was held: the record.
    Hold {
        /// What was said and promised.
        record: LongText,
    },
    /// Decline, with the reason and the alternative offered.
    Decline {
        /// Why.
        reason: LongText,
        /// The alternative (another official, a written answer …).
        alternative: LongText,
    },
}

/// What happened to an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppointmentEvent {
    /// Requested.
    Requested {
        /// The appointment as requested.
        appointment: Box<Appointment>,
    },
    /// Acknowledged.
    Acknowledged {
        /// On.
        on: NaiveDate,
    },
    /// Scheduled.
    Scheduled {
        /// Start.
        from: NaiveDateTime,
        /// End.
        to: NaiveDateTime,
        /// Place.
        place: ShortText,
        /// Why it is set after the meet-by day (only then).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        late_reason: Option<LongText>,
    },
    /// Held.
    Held {
        /// Record.
        record: LongText,
    },
    /// Declined.
    Declined {
        /// Why.
        reason: LongText,
        /// Alternative.
        alternative: LongText,
    },
}

impl AppointmentEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Requested { .. } => "appointment.requested",
            Self::Acknowledged { .. } => "appointment.acknowledged",
            Self::Scheduled { .. } => "appointment.scheduled",
            Self::Held { .. } => "appointment.held",
            Self::Declined { .. } => "appointment.declined",
        }
    }
}

/// Why an appointment command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AppointmentError {
    /// Not at the right step.
    #[error("cannot {command} an appointment whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: AppointmentStatus,
        /// Command.
        command: &'static str,
    },
    /// The time clashes with the official's or the deputy's other appointment.
    #[error("the official or the deputy already has an appointment from {0} to {1}")]
    Clash(NaiveDateTime, NaiveDateTime),
    /// The end is not after the start.
    #[error("the meeting must end after it starts")]
    BadTimes,
    /// The start has passed.
    #[error("from: the meeting cannot be set to start in the past ({0})")]
    InThePast(NaiveDateTime),
    /// Held before its time.
    #[error("it cannot be recorded as held before {0}")]
    NotYet(NaiveDateTime),
    /// Nobody of the organisation answers to the name.
    #[error("official: {0:?} is neither a leader nor a liaison officer of the organisation")]
    UnknownOfficial(String),
    /// Several do.
    #[error("official: several people of the organisation answer to {0:?}: give the id")]
    AmbiguousOfficial(String),
    /// Set after the meet-by day without a reason.
    #[error("late_reason: the meeting is set after its meet-by day {meet_by}: give the reason it is late")]
    LateWithoutReason {
        /// The meet-by day.
        meet_by: NaiveDate,
    },
    /// A date outside the plausible range.
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl AppointmentError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "appointment.illegal_transition",
            Self::Clash(..) => "appointment.clash",
            Self::BadTimes => "appointment.bad_times",
            Self::InThePast(_) => "appointment.in_the_past",
            Self::NotYet(_) => "appointment.not_yet",
            Self::UnknownOfficial(_) => "appointment.unknown_official",
            Self::AmbiguousOfficial(_) => "appointment.ambiguous_official",
            Self::LateWithoutReason { .. } => "appointment.late_without_reason",
            Self::Date(_) => "appointment.implausible_date",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::BadTimes
                | Self::InThePast(_)
                | Self::UnknownOfficial(_)
                | Self::AmbiguousOfficial(_)
                | Self::LateWithoutReason { .. }
                | Self::Date(_)
        )
    }
}

impl Localized for AppointmentError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("约见当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::Clash(a, b) => format!("接待领导或该代表 {a} 至 {b} 已有约见安排"),
            Self::BadTimes => "结束时间须晚于开始时间".into(),
            Self::InThePast(t) => format!("开始时间 {t} 已过，不能安排在过去"),
            Self::NotYet(t) => format!("约见安排在 {t}，不能提前记录为已约见"),
            Self::UnknownOfficial(o) => format!("接待领导（official）“{o}”不是本院的院领导或联络员"),
            Self::AmbiguousOfficial(o) => format!("接待领导（official）：本院有多人与“{o}”相符，请填写编号"),
            Self::LateWithoutReason { meet_by } => {
                format!("约见安排在约见期限 {meet_by} 之后，须填写逾期安排原因（late_reason）")
            }
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Appointment {
    /// A request (or the official's initiative), with its two deadlines from the calendar.
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        id: AppointmentId,
        deputy: Signer,
        (official_id, official): (OfficialId, ShortText),
        channel: RequestChannel,
        topic: LongText,
        today: NaiveDate,
        (acknowledge, meet): (Period, Period),
        calendar: &WorkCalendar,
    ) -> (Self, AppointmentEvent) {
        let initiative = channel == RequestChannel::Initiative;
        let a = Self {
            id,
            version: 1,
            deputy,
            official,
            official_id: Some(official_id),
            channel,
            topic,
            requested_on: today,
            acknowledge_by: calendar.deadline(today, acknowledge).due,
            meet_by: calendar.deadline(today, meet).due,
            status: if initiative { AppointmentStatus::Acknowledged } else { AppointmentStatus::Requested },
            scheduled: None,
            late: false,
            late_reason: None,
            record: None,
            declined: None,
        };
        (a.clone(), AppointmentEvent::Requested { appointment: Box::new(a) })
    }

    /// The next deadline, if any: acknowledgement, then the meeting.
    pub fn next_due(&self) -> Option<NaiveDate> {
        match self.status {
            AppointmentStatus::Requested => Some(self.acknowledge_by),
            AppointmentStatus::Acknowledged | AppointmentStatus::Scheduled => Some(self.meet_by),
            _ => None,
        }
    }

    /// Check a command.
    pub fn decide(
        &self,
        c: AppointmentCommand,
        now: NaiveDateTime,
    ) -> Result<Vec<AppointmentEvent>, AppointmentError> {
        use AppointmentStatus as S;
        let refuse = |command| Err(AppointmentError::IllegalTransition { status: self.status, command });
        match c {
            AppointmentCommand::Acknowledge => match self.status {
                S::Requested => Ok(vec![AppointmentEvent::Acknowledged { on: now.date() }]),
                _ => refuse("acknowledge"),
            },
            AppointmentCommand::Schedule { from, to, place, busy, late_reason } => {
                if !matches!(self.status, S::Acknowledged | S::Scheduled) {
                    return refuse("schedule");
                }
                plausible("from", from.date(), now.date())?;
                plausible("to", to.date(), now.date())?;
                if to <= from {
                    return Err(AppointmentError::BadTimes);
                }
                if from < now {
                    return Err(AppointmentError::InThePast(from));
                }
                let late_reason = if from.date() > self.meet_by {
                    Some(late_reason.ok_or(AppointmentError::LateWithoutReason { meet_by: self.meet_by })?)
                } else {
                    None
                };
                if let Some((a, b)) = busy.into_iter().find(|(a, b)| *a < to && from < *b) {
                    return Err(AppointmentError::Clash(a, b));
                }
                Ok(vec![AppointmentEvent::Scheduled { from, to, place, late_reason }])
            }
            AppointmentCommand::Hold { record } => {
                if self.status != S::Scheduled {
                    return refuse("hold");
                }
                if let Some((from, _, _)) = &self.scheduled
                    && now < *from
                {
                    return Err(AppointmentError::NotYet(*from));
                }
                Ok(vec![AppointmentEvent::Held { record }])
            }
            AppointmentCommand::Decline { reason, alternative } => {
                if !matches!(self.status, S::Requested | S::Acknowledged | S::Scheduled) {
                    return refuse("decline");
                }
                Ok(vec![AppointmentEvent::Declined { reason, alternative }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &AppointmentEvent) {
        use AppointmentStatus as S;
        self.version += 1;
        match e {
            AppointmentEvent::Requested { .. } => {}
            AppointmentEvent::Acknowledged { .. } => self.status = S::Acknowledged,
            AppointmentEvent::Scheduled { from, to, place, late_reason } => {
                self.scheduled = Some((*from, *to, place.clone()));
                self.late = late_reason.is_some();
                self.late_reason = late_reason.clone();
                self.status = S::Scheduled;
            }
            AppointmentEvent::Held { record } => {
                self.record = Some(record.clone());
                self.status = S::Held;
            }
            AppointmentEvent::Declined { reason, alternative } => {
                self.declined = Some((reason.clone(), alternative.clone()));
                self.status = S::Declined;
            }
        }
    }
}

mod aggregate;
pub use aggregate::{RequestAppointment, RequestContext};
#[cfg(test)]
mod tests;
