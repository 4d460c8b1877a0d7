//! Supervisor appointments (C4): a deputy appointed as a people's, law-enforcement or conduct supervisor
//! for a term, refused with the reason when ineligible; the register's special role follows, so the
//! reviews' lottery draws people's supervisors from the register.

use chrono::NaiveDate;
use liaison_core::Localized;
use liaison_core::access::Action;
use liaison_core::registry::{DeputyCommand, DeputyPatch, parse_date};
use liaison_core::supervisor::{SupervisorKind, check};
use liaison_store::{RecordQuery, RecordRow, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{deputy_id, word};
use crate::registry::command_in;
use crate::runner::json_err;
use crate::{App, AppError, Principal, record};

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

/// An appointment on record.
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

fn date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    parse_date(s).map_err(|e| AppError::invalid(field, &e))
}

/// An appointment's row at `version` (one per event): active until it ends, due on its last day.
pub(crate) fn row(
    a: &SupervisorAppointment,
    version: u64,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<RecordRow, AppError> {
    Ok(RecordRow {
        kind: KIND,
        id: a.id.clone(),
        version,
        number: None,
        status: if a.ended.is_some() { "ended".into() } else { "active".into() },
        department: None,
        handler: None,
        due_on: if a.ended.is_some() { None } else { Some(a.to.to_string()) },
        opened_on: a.from.to_string(),
        data: serde_json::to_string(a).map_err(json_err)?,
        deputies: vec![a.deputy.to_string()],
        departments: vec![],
        tags: vec![a.kind.code().into()],
        summary: None,
        updated_at: at,
    })
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
        let meta = self.meta(p, None);
        let (tenant, keys) = (p.tenant.clone(), self.store.keys().clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let d = tx
                .deputy(&tenant, id)?
                .ok_or_else(|| AppError::NotFound { what: "deputy", id: id.to_string() })?;
            if !d.status.is_current() {
                return Err(AppError::invalid("deputy", &liaison_core::ValueError::Mismatch("in_office")));
            }
            let born = d.data.birth_date.or_else(|| d.data.id_number.as_ref().and_then(|n| n.birth_date()));
            check(kind, born, &d.data.special_roles, from, to).map_err(|e| AppError::BadFile {
                code: e.code(),
                zh: e.zh(),
                en: e.en(),
            })?;
            let mut roles = d.data.special_roles.clone();
            roles.insert(kind.role());
            let patch = DeputyPatch { special_roles: Some(roles), ..DeputyPatch::default() };
            let d = command_in(tx, &keys, &tenant, &meta, id, None, DeputyCommand::Update(Box::new(patch)))?;
            let a = SupervisorAppointment {
                id: crate::new_id().to_string(),
                deputy: id.0,
                name: d.data.name.to_string(),
                kind,
                from,
                to,
                ended: None,
            };
            tx.insert_record(&tenant, &row(&a, 1, meta.at)?)?;
            tx.append(&tenant, record(&meta, "supervisor.appointed", KIND, a.id.clone(), &a))?;
            Ok(a)
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
        let meta = self.meta(p, Some(reason.to_owned()));
        let (tenant, keys, id, reason) =
            (p.tenant.clone(), self.store.keys().clone(), id.trim().to_owned(), reason.trim().to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = tx
                .record(&tenant, KIND, &id)?
                .ok_or_else(|| AppError::NotFound { what: "supervisor", id: id.clone() })?;
            let mut a: SupervisorAppointment = serde_json::from_str(&r.data).map_err(json_err)?;
            if a.ended.is_some() {
                return Err(AppError::BadFile {
                    code: "supervisor.ended",
                    zh: "该任职已终止".into(),
                    en: "this appointment has ended".into(),
                });
            }
            let did = liaison_core::ids::DeputyId(a.deputy);
            if let Some(d) = tx.deputy(&tenant, did)? {
                let mut roles = d.data.special_roles.clone();
                if roles.remove(&a.kind.role()) {
                    let patch = DeputyPatch { special_roles: Some(roles), ..DeputyPatch::default() };
                    command_in(tx, &keys, &tenant, &meta, did, None, DeputyCommand::Update(Box::new(patch)))?;
                }
            }
            a.ended = Some((meta.today(), reason.clone()));
            tx.update_record(&tenant, &row(&a, r.version + 1, meta.at)?, r.version)?;
            tx.append(&tenant, record(&meta, "supervisor.ended", KIND, a.id.clone(), &a))?;
            Ok(a)
        })
        .await
    }

    /// Every supervisor appointment.
    pub fn supervisors(&self, p: &Principal) -> Result<Vec<SupervisorAppointment>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, KIND, &RecordQuery::default())
    }
}
