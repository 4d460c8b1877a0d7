//! The liaison calendar (P1.2): every dated record — meetings, visits, appointments, activities,
//! inspections and case reviews — as entries for a list, and as iCalendar (RFC 5545) for office calendars.
//!
//! In the iCalendar file a day's event is an all-day event whose `DTEND;VALUE=DATE` is the day *after* its
//! last day (RFC 5545 §3.6.1: the end is exclusive); a scheduled appointment is a timed event in UTC (its
//! China time minus eight hours: China keeps no daylight saving time, and UTC needs no `VTIMEZONE`).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use liaison_core::access::Action;
use liaison_core::activity::{Activity, ActivityStatus};
use liaison_core::appointment::Appointment;
use liaison_core::inspection::Inspection;
use liaison_core::meeting::MeetingStatus;
use liaison_core::review::Review;
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::meeting::{MEETING, VISIT};
use crate::runner::json_err;
use crate::{App, AppError, Principal};

const APPOINTMENT: &str = "appointment";
const ACTIVITY: &str = "activity";
const INSPECTION: &str = "inspection";
const REVIEW: &str = "review";

/// A calendar entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CalendarEntry {
    /// `meeting`, `visit`, `appointment`, `activity`, `inspection` or `review`.
    pub kind: String,
    /// Id.
    pub id: String,
    /// Day (the first, for an entry of several days).
    pub on: NaiveDate,
    /// The last day, when the entry lasts several days (inspections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Start and end, China time, when the entry has a time (scheduled appointments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>)]
    pub time: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Status.
    pub status: String,
    /// Cancelled (kept on the calendar, marked so).
    #[serde(default)]
    pub cancelled: bool,
}

impl CalendarEntry {
    fn day(kind: &str, id: &str, on: NaiveDate, title: String, place: String, status: &str) -> Self {
        Self {
            kind: kind.into(),
            id: id.into(),
            on,
            until: None,
            time: None,
            title,
            place,
            status: status.into(),
            cancelled: false,
        }
    }
}

impl App {
    /// Everything dated in `[from, to]`, by day (P1.2): meetings, visits, scheduled appointments, activities,
    /// inspections (those overlapping the range) and case reviews (on the day registered).
    pub fn liaison_calendar(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CalendarEntry>, AppError> {
        p.require(Action::ReadCoverage)?;
        let (meetings, visits) = self.meetings_and_visits(p, from, to)?;
        let mut out: Vec<CalendarEntry> = meetings
            .iter()
            .map(|m| CalendarEntry {
                cancelled: m.status == MeetingStatus::Cancelled,
                ..CalendarEntry::day(
                    MEETING,
                    &m.id.to_string(),
                    m.on,
                    m.title.to_string(),
                    m.place.to_string(),
                    m.status.zh(),
                )
            })
            .chain(visits.iter().map(|v| {
                let title = format!("走访{}代表", v.deputy.name);
                CalendarEntry::day(VISIT, &v.id.to_string(), v.on, title, v.place.zh().into(), "已走访")
            }))
            .collect();
        let within = |statuses: Vec<String>, opened_from: Option<NaiveDate>| RecordQuery {
            statuses,
            opened_from: opened_from.map(|d| d.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        let q = within(vec!["scheduled".into(), "held".into()], Some(from));
        for a in self.records_of::<Appointment>(p, APPOINTMENT, &q)? {
            if let Some((start, end, place)) = &a.scheduled {
                out.push(CalendarEntry {
                    time: Some((*start, *end)),
                    ..CalendarEntry::day(
                        APPOINTMENT,
                        &a.id.to_string(),
                        start.date(),
                        format!("{}约见{}代表", a.official, a.deputy.name),
                        place.to_string(),
                        a.status.zh(),
                    )
                });
            }
        }
        for a in self.records_of::<Activity>(p, ACTIVITY, &within(vec![], Some(from)))? {
            out.push(CalendarEntry {
                cancelled: a.status == ActivityStatus::Cancelled,
                ..CalendarEntry::day(
                    ACTIVITY,
                    &a.id.to_string(),
                    a.on,
                    format!("{}：{}", a.kind.zh(), a.title),
                    a.place.to_string(),
                    a.status.zh(),
                )
            });
        }
        // An inspection is filed under its first day: one that began before `from` may still run into it.
        for i in self.records_of::<Inspection>(p, INSPECTION, &within(vec![], None))? {
            if i.to < from {
                continue;
            }
            out.push(CalendarEntry {
                until: (i.to > i.from).then_some(i.to),
                ..CalendarEntry::day(
                    INSPECTION,
                    &i.id.to_string(),
                    i.from,
                    format!("{}：{}", i.kind.zh(), i.title),
                    String::new(),
                    i.status.zh(),
                )
            });
        }
        for r in self.records_of::<Review>(p, REVIEW, &within(vec![], Some(from)))? {
            out.push(CalendarEntry::day(
                REVIEW,
                &r.id.to_string(),
                r.opened_on,
                format!("案件评议：{}（{}）", r.case_ref, r.kind.zh()),
                String::new(),
                r.status.zh(),
            ));
        }
        out.sort_by(|a, b| (a.on, a.time.map(|t| t.0), &a.id).cmp(&(b.on, b.time.map(|t| t.0), &b.id)));
        Ok(out)
    }

    /// The same calendar as iCalendar text (RFC 5545), for office calendars.
    pub fn liaison_ics(&self, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<String, AppError> {
        Ok(ics(&self.liaison_calendar(p, from, to)?, self.now()))
    }

    fn records_of<T: serde::de::DeserializeOwned>(
        &self,
        p: &Principal,
        kind: &'static str,
        q: &RecordQuery,
    ) -> Result<Vec<T>, AppError> {
        self.read(|s| s.records(&p.tenant, kind, q))?
            .iter()
            .map(|r| serde_json::from_str(&r.data).map_err(json_err))
            .collect()
    }
}

/// Render entries as an iCalendar document; `stamp` is the `DTSTAMP` of every event (when the file was
/// made), so the same records and moment give the same file.
pub(crate) fn ics(entries: &[CalendarEntry], stamp: DateTime<Utc>) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let mut cal = Calendar::new();
    cal.name("人大代表联络工作日历");
    for e in entries {
        let mut ev = Event::new();
        ev.uid(&format!("{}-{}@liaison", e.kind, e.id))
            .timestamp(stamp)
            .summary(&e.title)
            .description(&e.status);
        if !e.place.is_empty() {
            ev.location(&e.place);
        }
        match e.time {
            Some((start, end)) => {
                let utc = liaison_core::dates::from_china_time;
                // A zero-length appointment still ends after it starts (RFC 5545: DTEND after DTSTART).
                let end = if end > start { end } else { start + Duration::hours(1) };
                ev.starts(utc(start)).ends(utc(end));
            }
            None => {
                let last = e.until.unwrap_or(e.on).max(e.on);
                ev.starts(e.on).ends(last + Duration::days(1));
            }
        }
        if e.cancelled {
            ev.status(EventStatus::Cancelled);
        }
        cal.push(ev.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
#[path = "agenda_tests.rs"]
pub(crate) mod tests;
