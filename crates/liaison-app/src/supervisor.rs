//! Supervisor appointments (C4): a deputy appointed as a people's, law-enforcement or conduct supervisor
//! for a term, refused with the reason when ineligible; the register's special role follows, so the
//! reviews' lottery draws people's supervisors from the register.

use chrono::NaiveDate;
use liaison_core::access::Action;
use liaison_core::ids::SupervisorAppointmentId;
use liaison_core::registry::{DeputyCommand, DeputyPatch, parse_date};
use liaison_core::supervisor::{
    Appoint, SupervisorAppointment as Appointment, SupervisorCommand, SupervisorEvent, SupervisorKind,
};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{deputy_id, word};
use crate::registry::command_in;
use crate::runner::{Columns, RowEnv, Stored, snapshot};
use crate::{App, AppError, Principal};

const KIND: &str = "supervisor";

/// An appointment, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupervisorInput {
    /// The deputy's id.
    pub deputy: String,
    /// peoples_supervisor / law_enforcement / conduct (人民监督员/执法监督员/检风检纪监督员).
    pub kind: String,
    /// First day of the term.
    pub from: String,
    /// Last day of the term.
    pub to: String,
}

/// An appointment on record, as the API shows it (the core's [`Appointment`] kept as a record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SupervisorAppointment {
    /// Id.
    pub id: String,
    /// The deputy.
    #[schema(value_type = String, format = Uuid)]
    pub deputy: uuid::Uuid,
    /// The deputy's name.
    pub name: String,
    /// Which supervisor.
    #[schema(value_type = String)]
    pub kind: SupervisorKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Ended early on, and why.
    #[schema(value_type = Option<Vec<String>>)]
    pub ended: Option<(NaiveDate, String)>,
}

impl From<Appointment> for SupervisorAppointment {
    fn from(a: Appointment) -> Self {
        Self {
            id: a.id.to_string(),
            deputy: a.deputy.0,
            name: a.name,
            kind: a.kind,
            from: a.from,
            to: a.to,
            ended: a.ended,
        }
    }
}

fn date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    parse_date(s).map_err(|e| AppError::invalid(field, &e))
}

/// An appointment is active until it ends, due on its last day; each audit record is the appointment
/// after the change, as from the start.
impl Stored for Appointment {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            due_on: if self.ended.is_some() { None } else { Some(self.to) },
            deputies: vec![self.deputy.to_string()],
            tags: vec![self.kind.code().into()],
            ..Columns::new(if self.ended.is_some() { "ended" } else { "active" }, self.from)
        })
    }
    fn payload(&self, _: &SupervisorEvent) -> Result<serde_json::Value, AppError> {
        snapshot(self)
    }
}

impl App {
    /// Appoint a deputy as a supervisor (refused with the reason when ineligible).
    pub async fn appoint_supervisor(
        &self,
        p: &Principal,
        input: &SupervisorInput,
    ) -> Result<SupervisorAppointment, AppError> {
        p.require(Action::ManageLiaison)?;
        let kind = word("kind", &input.kind, SupervisorKind::parse)?;
        let (from, to) = (date("from", &input.from)?, date("to", &input.to)?);
        let id = deputy_id("deputy", &input.deputy)?;
        let (tenant, keys) = (p.tenant.clone(), self.store.keys().clone());
        self.change(p, None, move |run| {
            let d = run
                .q()
                .deputy(&tenant, id)?
                .ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
            if !d.status.is_current() {
                return Err(AppError::invalid("deputy", &liaison_core::ValueError::Mismatch("in_office")));
            }
            let born = d.data.birth_date.or_else(|| d.data.id_number.as_ref().and_then(|n| n.birth_date()));
            let roles = d.data.special_roles.clone();
            let name = d.data.name.to_string();
            let appoint = Appoint { deputy: id, name, kind, from, to, born, roles: roles.clone() };
            let a: Appointment = run.create(SupervisorAppointmentId(crate::new_id()), appoint, ())?;
            // The register's special role follows, in the same transaction.
            let mut roles = roles;
            roles.insert(kind.role());
            let patch = DeputyPatch { special_roles: Some(roles), ..DeputyPatch::default() };
            let meta = run.meta().clone();
            command_in(run.tx(), &keys, &tenant, &meta, id, None, DeputyCommand::Update(Box::new(patch)))?;
            Ok(a.into())
        })
        .await
    }

    /// End an appointment early (the register's role is removed).
    pub async fn end_supervisor(
        &self,
        p: &Principal,
        id: &str,
        reason: &str,
    ) -> Result<SupervisorAppointment, AppError> {
        p.require(Action::ManageLiaison)?;
        if reason.trim().is_empty() {
            return Err(AppError::invalid("reason", &liaison_core::ValueError::Required));
        }
        let (tenant, keys, id, reason) =
            (p.tenant.clone(), self.store.keys().clone(), id.trim().to_owned(), reason.trim().to_owned());
        self.change(p, Some(reason.clone()), move |run| {
            let a: Appointment = run.load(&id)?;
            let today = run.today();
            let a = run.execute(a, None, SupervisorCommand::End { reason }, today)?;
            if let Some(d) = run.q().deputy(&tenant, a.deputy)? {
                let mut roles = d.data.special_roles.clone();
                if roles.remove(&a.kind.role()) {
                    let patch = DeputyPatch { special_roles: Some(roles), ..DeputyPatch::default() };
                    let meta = run.meta().clone();
                    let update = DeputyCommand::Update(Box::new(patch));
                    command_in(run.tx(), &keys, &tenant, &meta, a.deputy, None, update)?;
                }
            }
            Ok(a.into())
        })
        .await
    }

    /// Every supervisor appointment.
    pub fn supervisors(&self, p: &Principal) -> Result<Vec<SupervisorAppointment>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, KIND, &RecordQuery::default())
    }
}
