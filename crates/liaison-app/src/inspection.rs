//! Inspections and evaluations with the congress (视察/评议, R5): planned, held, scored per item and per
//! deputy, rectification items tracked to their results, reported back to the congress.

use liaison_core::access::Action;
use liaison_core::inspection::*;
use liaison_core::registry::{LongText, ShortText, parse_date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use liaison_store::RecordQuery;

use crate::input::{Fields, deputy_id, long, short};
use crate::refs::{department_ref, signers};
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::{App, AppError, Principal};

const KIND: &str = "inspection";

/// A new inspection or evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    /// inspection / evaluation (视察/评议).
    pub kind: String,
    /// Title.
    pub title: String,
    /// The congress's reference (its organiser's document number).
    pub organiser_ref: String,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Participating deputies (ids).
    pub participants: Vec<String>,
    /// Materials provided.
    #[serde(default)]
    pub materials: Vec<String>,
    /// Items scored.
    #[serde(default)]
    pub items: Vec<String>,
}

/// A command on an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum InspectionAction {
    /// It took place.
    Hold {},
    /// A participant's score (0–100) for item `item` (from 0).
    Score {
        /// Deputy.
        deputy: String,
        /// Item index.
        item: u32,
        /// Score.
        score: u8,
    },
    /// A participant's opinion.
    Opinion {
        /// Deputy.
        deputy: String,
        /// Text.
        text: String,
    },
    /// A rectification item.
    Rectify {
        /// What.
        title: String,
        /// Owner department.
        owner: String,
        /// Due by.
        deadline: String,
    },
    /// Rectification item `n` is done, with its result.
    Done {
        /// Number.
        n: u32,
        /// The result.
        result: String,
    },
    /// Report back to the congress.
    Report {
        /// The report.
        text: String,
    },
}

/// An inspection with its aggregated scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InspectionView {
    /// The inspection.
    #[schema(value_type = Object)]
    pub inspection: Inspection,
    /// Scores per item and per deputy.
    #[schema(value_type = Object)]
    pub scores: Scores,
}

fn view(i: Inspection) -> InspectionView {
    InspectionView { scores: i.aggregate(), inspection: i }
}

impl Stored for Inspection {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        let i = self;
        Ok(Columns {
            due_on: i.rectifications.iter().filter(|r| r.done.is_none()).map(|r| r.deadline).min(),
            deputies: i.participants.iter().map(|p| p.deputy.to_string()).collect(),
            departments: i.rectifications.iter().map(|r| r.owner.id.to_string()).collect(),
            ..Columns::new(i.status.code(), i.from)
        })
    }
}

impl App {
    /// Plan an inspection or evaluation.
    pub async fn plan_inspection(
        &self,
        p: &Principal,
        input: &InspectionInput,
    ) -> Result<InspectionView, AppError> {
        p.require(Action::ManageLiaison)?;
        let mut f = Fields::default();
        let kind = f.take("kind", InspectionKind::parse(&input.kind));
        let title = f.take("title", ShortText::parse(&input.title));
        let organiser_ref = f.take("organiser_ref", ShortText::parse(&input.organiser_ref));
        let from = f.take("from", parse_date(&input.from));
        let to = f.take("to", parse_date(&input.to));
        let materials: Vec<ShortText> = input
            .materials
            .iter()
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| f.take("materials", ShortText::parse(s)))
            .collect();
        let items: Vec<ShortText> = input
            .items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| f.take("items", ShortText::parse(s)))
            .collect();
        f.done()?;
        let (Some(kind), Some(title), Some(organiser_ref), Some(from), Some(to)) =
            (kind, title, organiser_ref, from, to)
        else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, ids) = (p.tenant.clone(), input.participants.clone());
        self.change(p, None, move |run| {
            let participants = signers(run.q(), &tenant, "participants", &ids)?;
            let plan = PlanInspection {
                kind,
                title,
                organiser_ref,
                period: (from, to),
                participants,
                materials,
                items,
            };
            let today = run.today();
            run.create(liaison_core::ids::InspectionId(crate::new_id()), plan, today).map(view)
        })
        .await
    }

    /// Run a command on an inspection.
    pub async fn inspection_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: InspectionAction,
    ) -> Result<InspectionView, AppError> {
        p.require(Action::ManageLiaison)?;
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        self.change(p, None, move |run| {
            let i: Inspection = run.load_seen(&id, expected)?;
            let command = match action {
                InspectionAction::Hold {} => InspectionCommand::Hold,
                InspectionAction::Score { deputy, item, score } => {
                    InspectionCommand::Score { deputy: deputy_id("deputy", &deputy)?, item, score }
                }
                InspectionAction::Opinion { deputy, text } => InspectionCommand::Opinion {
                    deputy: deputy_id("deputy", &deputy)?,
                    text: long("text", &text)?,
                },
                InspectionAction::Rectify { title, owner, deadline } => {
                    let org = run.q().organisation(&tenant)?;
                    InspectionCommand::AddRectification {
                        title: short("title", &title)?,
                        owner: department_ref(&org, &owner)?,
                        deadline: parse_date(&deadline).map_err(|e| AppError::invalid("deadline", &e))?,
                    }
                }
                InspectionAction::Done { n, result } => InspectionCommand::CompleteRectification {
                    n,
                    result: LongText::parse(&result).map_err(|e| AppError::invalid("result", &e))?,
                },
                InspectionAction::Report { text } => InspectionCommand::Report { text: long("text", &text)? },
            };
            let today = run.today();
            run.execute(i, None, command, today).map(view)
        })
        .await
    }

    /// One inspection.
    pub fn inspection(&self, p: &Principal, id: &str) -> Result<InspectionView, AppError> {
        p.require(Action::ReadCoverage)?;
        let r = self
            .read(|q| q.record(&p.tenant, KIND, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "inspection", id: id.into() })?;
        Ok(view(serde_json::from_str(&r.data).map_err(json_err)?))
    }

    /// Every inspection and evaluation.
    pub fn inspections(&self, p: &Principal) -> Result<Vec<InspectionView>, AppError> {
        p.require(Action::ReadCoverage)?;
        let rows = self.read(|q| q.records(&p.tenant, KIND, &RecordQuery::default()))?;
        rows.iter().map(|r| serde_json::from_str(&r.data).map(view).map_err(json_err)).collect()
    }
}
