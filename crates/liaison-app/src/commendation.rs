//! Commendation (R6): contributions computed from every workflow's records (suggestions signed, meetings
//! attended, inspections taken part in, deliberation opinions, case reviews — the deputy's own work only:
//! neither a visit received nor an opinion rerouted to letters and petitions counts), weighed by the
//! deployment's weights, with their evidence; nominations through approval, submission and decision.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use liaison_core::access::Action;
use liaison_core::commendation::*;
use liaison_core::deliberation::Deliberation;
use liaison_core::ids::DeputyId;
use liaison_core::inspection::{Inspection, InspectionStatus};
use liaison_core::meeting::{Meeting, MeetingStatus};
use liaison_core::registry::{Deputy, LongText};
use liaison_core::suggestion::{Signer, Suggestion, SuggestionStatus};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{deputy_id, long, short};
use crate::refs::staff;
use crate::runner::{Columns, RowEnv, SETTINGS, Stored, json_err};
use crate::{App, AppError, Principal};

const KIND: &str = "nomination";
pub(crate) const WEIGHTS_ID: &str = "commendation_weights";

/// A nomination, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationInput {
    /// The deputy's id.
    pub deputy: String,
    /// Why.
    pub reasons: String,
    /// The period's first day (YYYY-MM-DD).
    pub from: String,
    /// Its last day.
    pub to: String,
}

/// A command on a nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum NominationAction {
    /// A leader approves it.
    Approve {},
    /// Submitted to the standing committee, with the letter's reference.
    Submit {
        /// Reference.
        reference: String,
    },
    /// The deputy was commended.
    Accept {},
    /// The deputy was not commended.
    Decline {
        /// The standing committee's note.
        note: String,
    },
}

impl Stored for Nomination {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: vec![self.contribution.deputy.deputy.to_string()],
            ..Columns::new(self.status.code(), self.period.0)
        })
    }
}

fn date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    liaison_core::registry::parse_date(s).map_err(|e| AppError::invalid(field, &e))
}

fn load_weights(
    q: &dyn liaison_store::Queries,
    t: &liaison_core::ids::TenantId,
) -> Result<(Weights, u64), AppError> {
    match q.record(t, SETTINGS, WEIGHTS_ID)? {
        Some(r) => Ok((serde_json::from_str(&r.data).map_err(json_err)?, r.version)),
        None => Ok((Weights::default(), 0)),
    }
}

/// Each deputy's facts: what, the record, when.
type Facts = BTreeMap<DeputyId, Vec<(EvidenceKind, String, NaiveDate)>>;

/// Every deputy's facts in `[from, to]`, from the records.
fn facts(
    q: &dyn liaison_store::Queries,
    t: &liaison_core::ids::TenantId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Facts, AppError> {
    let within = RecordQuery {
        opened_from: Some(from.to_string()),
        opened_to: Some(to.to_string()),
        ..RecordQuery::default()
    };
    let mut out: Facts = BTreeMap::new();
    for r in q.records(t, "suggestion", &within)? {
        let s: Suggestion = serde_json::from_str(&r.data).map_err(json_err)?;
        // A merged or withdrawn item is not a suggestion of its own; a rerouted one was a case-specific
        // opinion sent to letters and petitions, not a suggestion at all.
        if matches!(
            s.status,
            SuggestionStatus::Merged | SuggestionStatus::Withdrawn | SuggestionStatus::Rerouted
        ) {
            continue;
        }
        let reference =
            format!("suggestion {}", s.number.map(|n| n.to_string()).unwrap_or_else(|| s.id.to_string()));
        for p in &s.proposers {
            out.entry(p.deputy).or_default().push((
                EvidenceKind::Suggestion,
                reference.clone(),
                s.received_on,
            ));
        }
    }
    for r in q.records(t, "meeting", &within)? {
        let m: Meeting = serde_json::from_str(&r.data).map_err(json_err)?;
        if m.status == MeetingStatus::Held {
            for d in &m.attended {
                out.entry(*d).or_default().push((
                    EvidenceKind::Meeting,
                    format!("meeting {}（{}）", m.id, m.title),
                    m.on,
                ));
            }
        }
    }
    // A visit the deputy received is the procuratorate's work, not the deputy's: not gathered.
    for r in q.records(t, "inspection", &within)? {
        let i: Inspection = serde_json::from_str(&r.data).map_err(json_err)?;
        if i.status != InspectionStatus::Planned {
            for p in &i.participants {
                out.entry(p.deputy).or_default().push((
                    EvidenceKind::Inspection,
                    format!("inspection {}（{}）", i.id, i.title),
                    i.from,
                ));
            }
        }
    }
    for r in q.records(t, "deliberation", &within)? {
        let d: Deliberation = serde_json::from_str(&r.data).map_err(json_err)?;
        for o in &d.opinions {
            out.entry(o.deputy.deputy).or_default().push((
                EvidenceKind::Deliberation,
                format!("deliberation {} #{}", d.id, o.n),
                o.on,
            ));
        }
    }
    for r in q.records(t, "review", &within)? {
        let v: liaison_core::review::Review = serde_json::from_str(&r.data).map_err(json_err)?;
        for d in &v.participants {
            out.entry(*d).or_default().push((
                EvidenceKind::Review,
                format!("review {}（{}）", v.id, v.case_ref),
                v.opened_on,
            ));
        }
    }
    Ok(out)
}

impl App {
    /// The weights in force.
    pub fn commendation_weights(&self, p: &Principal) -> Result<Weights, AppError> {
        p.require(Action::ReadCoverage)?;
        let t = p.tenant.clone();
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(load_weights(q, &t));
            Ok(())
        })?;
        out.unwrap_or(Ok((Weights::default(), 0))).map(|(w, _)| w)
    }

    /// Change the weights (`kind=points`, e.g. `suggestion=5`).
    pub async fn set_commendation_weights(
        &self,
        p: &Principal,
        pairs: &[String],
    ) -> Result<Weights, AppError> {
        p.require(Action::ConfigurePolicy)?;
        let (tenant, pairs) = (p.tenant.clone(), pairs.to_vec());
        self.change(p, None, move |run| {
            let (mut w, version) = load_weights(run.q(), &tenant)?;
            for pair in &pairs {
                let (k, v) = pair.split_once('=').ok_or_else(|| {
                    AppError::invalid("weights", &liaison_core::ValueError::OneOf("kind=points"))
                })?;
                let kind: EvidenceKind =
                    serde_json::from_value(serde_json::Value::String(k.trim().to_owned())).map_err(|_| {
                        AppError::invalid(
                            "weights",
                            &liaison_core::ValueError::OneOf(
                                "suggestion/meeting/visit/inspection/deliberation/review",
                            ),
                        )
                    })?;
                let points: u32 = v.trim().parse().map_err(|_| {
                    AppError::invalid("weights", &liaison_core::ValueError::Range { min: 0, max: 100 })
                })?;
                if points > 100 {
                    return Err(AppError::invalid(
                        "weights",
                        &liaison_core::ValueError::Range { min: 0, max: 100 },
                    ));
                }
                w.0.insert(kind, points);
            }
            run.save_settings(WEIGHTS_ID, version, "settings.commendation_weights_set", &w)?;
            Ok(w)
        })
        .await
    }

    /// Every current deputy's contribution in `[from, to]`, highest first, with the evidence.
    pub fn contributions(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Contribution>, AppError> {
        self.contributions_of(p, from, to, true).map(|(list, _)| list)
    }

    /// The current deputies with evidence of their own work in `[from, to]`, highest first, and how many
    /// others have none: what the commendation page lists (at 100,000 deputies, most have none).
    pub fn contributors(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<Contribution>, usize), AppError> {
        self.contributions_of(p, from, to, false)
    }

    fn contributions_of(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        everyone: bool,
    ) -> Result<(Vec<Contribution>, usize), AppError> {
        p.require(Action::ReadCoverage)?;
        if to < from {
            return Err(AppError::invalid("to", &liaison_core::ValueError::Mismatch("from")));
        }
        let today = self.meta(p, None).today();
        for (field, day) in [("from", from), ("to", to)] {
            liaison_core::dates::plausible(field, day, today)
                .map_err(|e| AppError::rule(NominationError::Date(e)))?;
        }
        let t = p.tenant.clone();
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some((|| {
                let (w, _) = load_weights(q, &t)?;
                let mut facts = facts(q, &t, from, to)?;
                let (mut list, mut without) = (Vec::new(), 0);
                for d in q.current_deputy_refs(&t)? {
                    let f = facts.remove(&d.id).unwrap_or_default();
                    if f.is_empty() && !everyone {
                        without += 1;
                        continue;
                    }
                    let name = liaison_core::registry::PersonName::parse(&d.name)
                        .map_err(|e| AppError::invalid("name", &e))?;
                    let c = contribution(Signer { deputy: d.id, name, level: d.level }, f, &w);
                    if c.evidence.is_empty() && !everyone {
                        without += 1;
                    } else {
                        list.push(c);
                    }
                }
                list.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.deputy.name.cmp(&b.deputy.name)));
                Ok::<_, AppError>((list, without))
            })());
            Ok(())
        })?;
        out.unwrap_or(Ok((Vec::new(), 0)))
    }

    /// Nominate a deputy on their contribution in a period.
    pub async fn nominate(&self, p: &Principal, input: &NominationInput) -> Result<Nomination, AppError> {
        p.require(Action::ManageLiaison)?;
        let (from, to) = (date("from", &input.from)?, date("to", &input.to)?);
        let reasons = long("reasons", &input.reasons)?;
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone());
        self.change(p, None, move |run| {
            let id = deputy_id("deputy", &who)?;
            let sum = run
                .q()
                .deputy_summary(&tenant, id)?
                .ok_or_else(|| AppError::NotFound { what: "deputy", id: who.trim().into() })?;
            let d: Deputy = serde_json::from_str(&sum.data).map_err(json_err)?;
            let deputy = Signer { deputy: d.id, name: d.data.name.clone(), level: d.data.level };
            let earlier: Vec<Nomination> = run
                .q()
                .records(
                    &tenant,
                    KIND,
                    &RecordQuery { deputy: Some(id.to_string()), ..RecordQuery::default() },
                )?
                .iter()
                .map(|r| serde_json::from_str(&r.data).map_err(json_err))
                .collect::<Result<_, _>>()?;
            let (w, _) = load_weights(run.q(), &tenant)?;
            let f = facts(run.q(), &tenant, from, to)?.remove(&deputy.deputy).unwrap_or_default();
            let contribution = contribution(deputy, f, &w);
            let standing = Standing { status: sum.status, earlier: &earlier, today: run.today() };
            let nominate = Nominate { contribution, period: (from, to), reasons };
            run.create(liaison_core::ids::NominationId(crate::new_id()), nominate, standing)
        })
        .await
    }

    /// Run a command on a nomination.
    pub async fn nomination_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: NominationAction,
    ) -> Result<Nomination, AppError> {
        match action {
            NominationAction::Approve {} => p.require(Action::ApproveLiaison)?,
            _ => p.require(Action::ManageLiaison)?,
        }
        let (id, by) = (id.trim().to_owned(), staff(p));
        self.change(p, None, move |run| {
            let n: Nomination = run.load_seen(&id, expected)?;
            let command = match action {
                NominationAction::Approve {} => NominationCommand::Approve { by },
                NominationAction::Submit { reference } => {
                    NominationCommand::Submit { reference: short("reference", &reference)? }
                }
                NominationAction::Accept {} => NominationCommand::Accept,
                NominationAction::Decline { note } => NominationCommand::Decline {
                    note: LongText::parse(&note).map_err(|e| AppError::invalid("note", &e))?,
                },
            };
            let today = run.today();
            run.execute(n, None, command, today)
        })
        .await
    }

    /// Every nomination (the export lists them with their evidence).
    pub fn nominations(&self, p: &Principal) -> Result<Vec<Nomination>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, KIND, &RecordQuery::default())
    }
}
