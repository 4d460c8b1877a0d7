//! Interactive appointments (C3): a deputy's request to meet an official (or the official's initiative),
//! acknowledged within 2 working days and held within 10 (the national defaults), scheduled without
//! clashing with the official's other appointments, recorded, or declined with a reason and an alternative.
//! The official is a leader or a liaison officer of the organisation (by id or name); clashes are found
//! on that person (the record's handler is `leader:<id>` / `officer:<id>`; older records keep their text).
//! A meeting set after its meet-by day needs a reason and shows as late.

use chrono::NaiveDateTime;
use liaison_core::access::Action;
use liaison_core::appointment::*;
use liaison_store::{RecordQuery, RecordRow, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{long, short, word};
use crate::refs::signers;
use crate::runner::json_err;
use crate::{App, AppError, Principal, record};

const KIND: &str = "appointment";

/// A request to meet an official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    /// The deputy's id.
    pub deputy: String,
    /// The official asked for: a leader (id, name, or title and name: `检察长张明`) or a liaison officer
    /// (id or name) of the organisation.
    pub official: String,
    /// hotline / card / in_person / online / initiative (热线/联络卡/当面/网上/主动约见).
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

pub(crate) fn row(a: &Appointment, at: chrono::DateTime<chrono::Utc>) -> Result<RecordRow, AppError> {
    Ok(RecordRow {
        kind: KIND,
        id: a.id.to_string(),
        version: a.version,
        number: None,
        status: a.status.code().into(),
        department: None,
        handler: Some(handler(a)),
        due_on: a.next_due().map(|d| d.to_string()),
        opened_on: a.scheduled.as_ref().map_or(a.requested_on, |s| s.0.date()).to_string(),
        data: serde_json::to_string(a).map_err(json_err)?,
        deputies: vec![a.deputy.deputy.to_string()],
        departments: vec![],
        tags: vec![],
        summary: None,
        updated_at: at,
    })
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
        p.require(Action::ManageLiaison)?;
        let official = input.official.clone();
        let channel = word("channel", &input.channel, RequestChannel::parse)?;
        let topic = long("topic", &input.topic)?;
        let meta = self.meta(p, None);
        let (tenant, who, cal) = (p.tenant.clone(), input.deputy.clone(), self.calendar.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let deputy = signers(tx, &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &liaison_core::ValueError::Required))?;
            let official = find_official(&tx.organisation(&tenant)?, &official).map_err(AppError::rule)?;
            // The deployment's windows (the suggestion policy's `appointment_*`; 2 and 10 working days by default).
            let (policy, _) = crate::suggestion::load_policy(tx, &tenant)?;
            let (a, e) = Appointment::request(
                liaison_core::ids::AppointmentId(crate::new_id()),
                deputy,
                official,
                channel,
                topic,
                meta.today(),
                (policy.appointment_acknowledge, policy.appointment_meet),
                &cal,
            );
            tx.insert_record(&tenant, &row(&a, meta.at)?)?;
            tx.append(&tenant, record(&meta, e.kind(), KIND, a.id, &e))?;
            Ok(a)
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
        let meta = self.meta(p, None);
        let now = (meta.at + chrono::Duration::hours(8)).naive_utc();
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let rec = tx
                .record(&tenant, KIND, &id)?
                .ok_or_else(|| AppError::NotFound { what: "appointment", id: id.clone() })?;
            let mut a: Appointment = serde_json::from_str(&rec.data).map_err(json_err)?;
            if let Some(e) = expected
                && e != a.version
            {
                return Err(AppError::Stale { what: "appointment", id, actual: a.version, expected: e });
            }
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
                    let mut rows = tx.records(&tenant, KIND, &q)?;
                    rows.extend(tx.records(&tenant, KIND, &deputy)?);
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
            let seen = a.version;
            let events = a.decide(command, now).map_err(AppError::rule)?;
            for e in &events {
                a.apply(e);
            }
            tx.update_record(&tenant, &row(&a, meta.at)?, seen)?;
            for e in &events {
                tx.append(&tenant, record(&meta, e.kind(), KIND, a.id, e))?;
            }
            Ok(a)
        })
        .await
    }

    /// Appointments (optionally of one official: a person of the organisation, or the text of an older
    /// record's official).
    pub fn appointments(&self, p: &Principal, official: Option<&str>) -> Result<Vec<Appointment>, AppError> {
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
