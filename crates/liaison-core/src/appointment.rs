//! Interactive appointments (互动约见, C3): a deputy asks to meet a responsible official; the request is
//! acknowledged within its deadline (default 2 working days) and the meeting held within its own (default
//! 10 working days); what was said and promised is recorded. Declining needs a reason and an alternative.
//! Officials also meet deputies on their own initiative. A meeting may not clash with the official's other
//! appointments at the same time.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::calendar::{Period, WorkCalendar};
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

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// Id.
    pub id: String,
    /// Version.
    pub version: u64,
    /// The deputy.
    pub deputy: Signer,
    /// The official asked for (检察长, 副检察长 …).
    pub official: ShortText,
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
    /// The time clashes with the official's other appointment.
    #[error("the official already has an appointment from {0} to {1}")]
    Clash(NaiveDateTime, NaiveDateTime),
    /// The end is not after the start.
    #[error("the meeting must end after it starts")]
    BadTimes,
    /// Held before its time.
    #[error("it cannot be recorded as held before {0}")]
    NotYet(NaiveDateTime),
}

impl AppointmentError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "appointment.illegal_transition",
            Self::Clash(..) => "appointment.clash",
            Self::BadTimes => "appointment.bad_times",
            Self::NotYet(_) => "appointment.not_yet",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::BadTimes)
    }
}

impl Localized for AppointmentError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("约见当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::Clash(a, b) => format!("该领导 {a} 至 {b} 已有约见安排"),
            Self::BadTimes => "结束时间须晚于开始时间".into(),
            Self::NotYet(t) => format!("约见安排在 {t}，不能提前记录为已约见"),
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
        id: String,
        deputy: Signer,
        official: ShortText,
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
            channel,
            topic,
            requested_on: today,
            acknowledge_by: calendar.deadline(today, acknowledge).due,
            meet_by: calendar.deadline(today, meet).due,
            status: if initiative { AppointmentStatus::Acknowledged } else { AppointmentStatus::Requested },
            scheduled: None,
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
            AppointmentCommand::Schedule { from, to, place, busy } => {
                if !matches!(self.status, S::Acknowledged | S::Scheduled) {
                    return refuse("schedule");
                }
                if to <= from {
                    return Err(AppointmentError::BadTimes);
                }
                if let Some((a, b)) = busy.into_iter().find(|(a, b)| *a < to && from < *b) {
                    return Err(AppointmentError::Clash(a, b));
                }
                Ok(vec![AppointmentEvent::Scheduled { from, to, place }])
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
            AppointmentEvent::Scheduled { from, to, place } => {
                self.scheduled = Some((*from, *to, place.clone()));
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

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::ids::DeputyId;
    use crate::registry::{DeputyLevel, PersonName};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn requested_acknowledged_scheduled_without_clash_and_held() {
        let who = Signer {
            deputy: DeputyId(Uuid::from_u128(1)),
            name: PersonName::parse("王芳").unwrap(),
            level: DeputyLevel::City,
        };
        let mut cal = WorkCalendar::new();
        cal.add_year(
            2026,
            "t",
            &[(
                "劳动节".into(),
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 5, 5).unwrap(),
            )],
            &[],
        )
        .unwrap();
        let (mut a, _) = Appointment::request(
            "a1".into(),
            who,
            ShortText::parse("检察长").unwrap(),
            RequestChannel::Card,
            LongText::parse("反映企业合规问题").unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            (Period::WorkingDays(2), Period::WorkingDays(10)),
            &cal,
        );
        assert_eq!(a.acknowledge_by, NaiveDate::from_ymd_opt(2026, 5, 7).unwrap(), "across the holiday");
        let run = |a: &mut Appointment, c, now: &str| -> Result<(), AppointmentError> {
            let before = a.clone();
            let r = a.decide(c, at(now));
            match r {
                Ok(es) => {
                    for e in &es {
                        a.apply(e);
                    }
                    Ok(())
                }
                Err(e) => {
                    assert_eq!(*a, before);
                    Err(e)
                }
            }
        };
        let place = || ShortText::parse("接待室").unwrap();
        assert!(matches!(
            run(
                &mut a,
                AppointmentCommand::Hold { record: LongText::parse("x").unwrap() },
                "2026-05-06 09:00"
            ),
            Err(AppointmentError::IllegalTransition { .. })
        ));
        run(&mut a, AppointmentCommand::Acknowledge, "2026-05-06 09:00").unwrap();
        let busy = vec![(at("2026-05-08 09:00"), at("2026-05-08 10:00"))];
        assert_eq!(
            run(
                &mut a,
                AppointmentCommand::Schedule {
                    from: at("2026-05-08 09:30"),
                    to: at("2026-05-08 10:30"),
                    place: place(),
                    busy: busy.clone()
                },
                "2026-05-06 10:00"
            ),
            Err(AppointmentError::Clash(at("2026-05-08 09:00"), at("2026-05-08 10:00")))
        );
        assert_eq!(
            run(
                &mut a,
                AppointmentCommand::Schedule {
                    from: at("2026-05-08 11:00"),
                    to: at("2026-05-08 10:00"),
                    place: place(),
                    busy: vec![]
                },
                "2026-05-06 10:00"
            ),
            Err(AppointmentError::BadTimes)
        );
        run(
            &mut a,
            AppointmentCommand::Schedule {
                from: at("2026-05-08 10:00"),
                to: at("2026-05-08 11:00"),
                place: place(),
                busy,
            },
            "2026-05-06 10:00",
        )
        .unwrap();
        assert_eq!(
            run(
                &mut a,
                AppointmentCommand::Hold { record: LongText::parse("x").unwrap() },
                "2026-05-08 09:00"
            ),
            Err(AppointmentError::NotYet(at("2026-05-08 10:00")))
        );
        run(
            &mut a,
            AppointmentCommand::Hold { record: LongText::parse("承诺两周内书面答复").unwrap() },
            "2026-05-08 11:00",
        )
        .unwrap();
        assert_eq!(a.status, AppointmentStatus::Held);
        assert_eq!(a.next_due(), None);
    }
}
