//! The appointment as an [`Aggregate`]: requested with its deadlines from the calendar, then changed at
//! the moment each command is decided.

use chrono::{NaiveDate, NaiveDateTime};

use super::{
    Appointment, AppointmentCommand, AppointmentError, AppointmentEvent, OfficialId, RequestChannel,
};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::calendar::{Period, WorkCalendar};
use crate::ids::AppointmentId;
use crate::registry::{LongText, ShortText};
use crate::suggestion::Signer;

domain_error!(AppointmentError);
domain_event!(AppointmentEvent);

/// What requests an appointment (or records the official's initiative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAppointment {
    /// The deputy.
    pub deputy: Signer,
    /// The official, as found in the organisation, and as named.
    pub official: (OfficialId, ShortText),
    /// How it was asked for.
    pub channel: RequestChannel,
    /// What about.
    pub topic: LongText,
    /// The periods to acknowledge and to meet by.
    pub periods: (Period, Period),
}

/// What a request needs besides the command: the day and the working-day calendar.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// Today.
    pub today: NaiveDate,
    /// The calendar the deadlines count in.
    pub calendar: &'a WorkCalendar,
}

impl Aggregate for Appointment {
    const KIND: &'static str = "appointment";
    type Id = AppointmentId;
    type Create = RequestAppointment;
    type Command = AppointmentCommand;
    type Event = AppointmentEvent;
    type Error = AppointmentError;
    type Context<'a> = NaiveDateTime;
    type CreateContext<'a> = RequestContext<'a>;

    fn create(
        id: &AppointmentId,
        c: RequestAppointment,
        cx: RequestContext<'_>,
    ) -> Result<Vec<AppointmentEvent>, AppointmentError> {
        let (_, e) =
            Self::request(*id, c.deputy, c.official, c.channel, c.topic, cx.today, c.periods, cx.calendar);
        Ok(vec![e])
    }
    fn created(id: &AppointmentId, first: &AppointmentEvent) -> Option<Self> {
        match first {
            AppointmentEvent::Requested { appointment } if appointment.id == *id => {
                Some((**appointment).clone())
            }
            _ => None,
        }
    }
    fn decide(
        &self,
        c: AppointmentCommand,
        now: NaiveDateTime,
    ) -> Result<Vec<AppointmentEvent>, AppointmentError> {
        Appointment::decide(self, c, now)
    }
    fn apply(&mut self, e: &AppointmentEvent) {
        Appointment::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
