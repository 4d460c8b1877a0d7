//! Interactive appointments (C3): a deputy's request to meet an official (or the official's initiative),
//! acknowledged within 2 working days and held within 10 (the national defaults), scheduled without
//! clashing with the official's other appointments, recorded, or declined with a reason and an alternative.
//! The official is a leader or a liaison officer of the organisation (by id or name); clashes are found
//! on that person (the record's handler is `leader:<id>` / `officer:<id>`; older records keep their text).
//! A meeting set after its meet-by day needs a reason and shows as late.

use chrono::NaiveDateTime;
use liaison_core::access::{Action, Role};
use liaison_core::appointment::*;
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{long, short, word};
use crate::refs::signers;
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::{App, AppError, Principal};

const KIND: &str = "appointment";

/// A request to meet an official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    /// The deputy's id (ignored, and may be left out, when a deputy asks as themself).
    #[serde(default)]
    pub deputy: String,
    /// The official asked for: a leader (id, name, or title and name: `检察长张明`) or a liaison officer
    /// (id or name) of the organisation.
    pub official: String,
    /// hotline / card / in_person / online / initiative (热线/联络卡/当面/网上/主动约见); ignored (online)
    /// when a deputy asks as themself.
    #[serde(default)]
    pub channel: String,
    /// The topic.
    pub topic: String,
}

/// A command on an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum AppointmentAction {
    /// Acknowledge the request.
    Acknowledge {},
    /// Set the time (`YYYY-MM-DD HH:MM`) and place.
    Schedule {
        /// Start.
        from: String,
        /// End.
        to: String,
        /// Place.
        place: String,
        /// Why, when the meeting is set after its meet-by day (required then).
        #[serde(default)]
        late_reason: Option<String>,
    },
    /// It was held: what was said and promised.
    Hold {
        /// The record.
        record: String,
    },
    /// Decline, with the reason and the alternative offered.
    Decline {
        /// Why.
        reason: String,
        /// The alternative.
        alternative: String,
    },
}

impl Stored for Appointment {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        let a = self;
        Ok(Columns {
            handler: Some(handler(a)),
            due_on: a.next_due(),
            deputies: vec![a.deputy.deputy.to_string()],
            ..Columns::new(a.status.code(), a.scheduled.as_ref().map_or(a.requested_on, |s| s.0.date()))
        })
    }
}

/// Whose diary the appointment is in: the person's key, or the official's text on older records.
fn handler(a: &Appointment) -> String {
    a.official_id.map_or_else(|| a.official.to_string(), |id| id.key())
}

fn time(field: &str, s: &str) -> Result<NaiveDateTime, AppError> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M")
        .map_err(|_| AppError::invalid(field, &liaison_core::ValueError::OneOf("YYYY-MM-DD HH:MM")))
}

impl App {
    /// Record a deputy's request (or an official's initiative).
    pub async fn request_appointment(
        &self,
        p: &Principal,
        input: &AppointmentInput,
    ) -> Result<Appointment, AppError> {
        // A deputy's account asks as itself, online (the portal); staff record a deputy's request.
        let own = p.deputy.filter(|_| p.roles == [Role::Deputy]);
        let (who, channel) = match own {
            Some(d) => {
                p.require(Action::RequestAppointment)?;
                (d.to_string(), RequestChannel::Online)
            }
            None => {
                p.require(Action::ManageLiaison)?;
                (input.deputy.clone(), word("channel", &input.channel, RequestChannel::parse)?)
            }
        };
        let official = input.official.clone();
        let topic = long("topic", &input.topic)?;
        let tenant = p.tenant.clone();
        self.change(p, None, move |run| {
            let deputy = signers(run.q(), &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &liaison_core::ValueError::Required))?;
            let official =
                find_official(&run.q().organisation(&tenant)?, &official).map_err(AppError::rule)?;
            // The deployment's windows (the suggestion policy's `appointment_*`; 2 and 10 working days by default).
            let policy = run.policy()?;
            let periods = (policy.appointment_acknowledge, policy.appointment_meet);
            let cx = RequestContext { today: run.today(), calendar: run.calendar() };
            let request = RequestAppointment { deputy, official, channel, topic, periods };
            run.create(liaison_core::ids::AppointmentId(crate::new_id()), request, cx)
        })
        .await
    }

    /// Run a command on an appointment.
    pub async fn appointment_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: AppointmentAction,
    ) -> Result<Appointment, AppError> {
        p.require(Action::ManageLiaison)?;
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        self.change(p, None, move |run| {
            let now = liaison_core::dates::china_time(run.meta().at);
            let a: Appointment = run.load_seen(&id, expected)?;
            let command = match action {
                AppointmentAction::Acknowledge {} => AppointmentCommand::Acknowledge,
                AppointmentAction::Schedule { from, to, place, late_reason } => {
                    let q = RecordQuery {
                        statuses: vec!["scheduled".into()],
                        handler: Some(handler(&a)),
                        ..RecordQuery::default()
                    };
                    let mut busy = Vec::new();
                    // The official's other appointments, and the deputy's: neither can be in two places.
                    let deputy = RecordQuery {
                        statuses: vec!["scheduled".into()],
                        deputy: Some(a.deputy.deputy.to_string()),
                        ..RecordQuery::default()
                    };
                    let mut rows = run.q().records(&tenant, KIND, &q)?;
                    rows.extend(run.q().records(&tenant, KIND, &deputy)?);
                    for r in rows {
                        let other: Appointment = serde_json::from_str(&r.data).map_err(json_err)?;
                        if other.id != a.id
                            && let Some((f, t, _)) = other.scheduled
                        {
                            busy.push((f, t));
                        }
                    }
                    AppointmentCommand::Schedule {
                        from: time("from", &from)?,
                        to: time("to", &to)?,
                        place: short("place", &place)?,
                        busy,
                        late_reason: late_reason
                            .filter(|r| !r.trim().is_empty())
                            .map(|r| long("late_reason", &r))
                            .transpose()?,
                    }
                }
                AppointmentAction::Hold { record: r } => {
                    AppointmentCommand::Hold { record: long("record", &r)? }
                }
                AppointmentAction::Decline { reason, alternative } => AppointmentCommand::Decline {
                    reason: long("reason", &reason)?,
                    alternative: long("alternative", &alternative)?,
                },
            };
            let was_scheduled = a.status == AppointmentStatus::Scheduled;
            let (a, events) = run.execute_events(a, None, command, now)?;
            queue_for_appointment(run, &a, &events, was_scheduled)?;
            Ok(a)
        })
        .await
    }

    /// Appointments (optionally of one official: a person of the organisation, or the text of an older
    /// record's official).
    pub fn appointments(&self, p: &Principal, official: Option<&str>) -> Result<Vec<Appointment>, AppError> {
        // A deputy's account: its own appointments only.
        if let Some(d) = p.deputy.filter(|_| p.roles == [Role::Deputy]) {
            p.require(Action::RequestAppointment)?;
            let q = RecordQuery { deputy: Some(d.to_string()), ..RecordQuery::default() };
            let all: Vec<Appointment> = self.decoded(p, KIND, &q)?;
            return Ok(all.into_iter().filter(|a| a.deputy.deputy == d).collect());
        }
        p.require(Action::ReadCoverage)?;
        let official = official.map(str::trim).filter(|o| !o.is_empty());
        let handler = match official {
            Some(o) => {
                let org = self.read(|q| q.organisation(&p.tenant))?;
                Some(find_official(&org, o).map_or_else(|_| o.to_owned(), |(id, _)| id.key()))
            }
            None => None,
        };
        let q = RecordQuery { handler, ..RecordQuery::default() };
        self.decoded(p, KIND, &q)
    }
}

/// Tell the deputy the outcome of the request (issue 17 item 3): set (or moved) with the time and place,
/// or declined with the reason and the alternative offered — through the outbox, as the deputy's contact
/// preference allows.
fn queue_for_appointment(
    run: &mut crate::runner::Runner<'_>,
    a: &Appointment,
    events: &[AppointmentEvent],
    was_scheduled: bool,
) -> Result<(), AppError> {
    use liaison_core::message::{MessageKind, Recipient};
    let fmt = |t: &NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    for e in events {
        let (kind, params) = match e {
            AppointmentEvent::Scheduled { from, to, place, .. } => (
                if was_scheduled {
                    MessageKind::AppointmentRescheduled
                } else {
                    MessageKind::AppointmentScheduled
                },
                serde_json::json!({
                    "official": a.official.as_str(), "from": fmt(from), "to": fmt(to), "place": place.as_str(),
                    "topic": a.topic.as_str(),
                }),
            ),
            AppointmentEvent::Declined { reason, alternative } => (
                MessageKind::AppointmentDeclined,
                serde_json::json!({
                    "official": a.official.as_str(), "reason": reason.as_str(), "alternative": alternative.as_str(),
                    "topic": a.topic.as_str(),
                }),
            ),
            _ => continue,
        };
        let m = crate::outgoing::Queued { kind, recipient: Recipient::Deputy(a.deputy.deputy), params };
        run.queue_everywhere(("appointment", &a.id.to_string()), &format!("v{}", a.version), m)?;
    }
    Ok(())
}
