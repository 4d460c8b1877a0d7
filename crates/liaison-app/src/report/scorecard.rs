//! The department scorecard (办理考评, issue 18 item 6): per handling department over a period, the
//! report's own department figures (one definition: `figures_of_facts` grouped by department, the rows of
//! the annual report's R1 by department) with the improvement measures it owns, weighed into one score by
//! the deployment's weights (`liaison_core::scorecard`; stored as a settings record, versioned and audited
//! like the commendation weights).

use liaison_core::access::Action;
use liaison_core::scorecard::{Criterion, ScoreWeights, Tally, score};
use liaison_core::suggestion::{GroupBy, MeasureStatus, figures_of_facts};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Lang, Period, ReportRequest, window};
use crate::runner::{SETTINGS, json_err};
use crate::{App, AppError, Principal};

pub(crate) const WEIGHTS_ID: &str = "scorecard_weights";

/// One department's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScorecardRow {
    /// The department's id.
    pub department_id: String,
    /// Its name.
    pub department: String,
    /// Suggestions it leads, received in the period.
    pub received: u32,
    /// The counts behind each criterion.
    #[schema(value_type = Object)]
    pub tally: Tally,
    /// On-time rate (‰ of answered).
    pub on_time_permille: Option<u32>,
    /// First-round satisfaction (‰ of rated, lapses apart).
    pub first_round_permille: Option<u32>,
    /// Final satisfaction (‰).
    pub final_permille: Option<u32>,
    /// Answered items not re-handled (‰ of answered).
    pub not_rehandled_permille: Option<u32>,
    /// Measures completed (‰ of opened).
    pub measures_permille: Option<u32>,
    /// The weighted score (‰; none when nothing could be measured).
    pub score_permille: Option<u32>,
}

/// The scorecard for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Scorecard {
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day.
    pub to: chrono::NaiveDate,
    /// The period in words (zh).
    pub window: String,
    /// The weights in force (criterion → 0–100).
    #[schema(value_type = Object)]
    pub weights: ScoreWeights,
    /// Every department, highest score first (no score last), then by name.
    pub rows: Vec<ScorecardRow>,
}

fn load_weights(
    q: &dyn liaison_store::Queries,
    t: &liaison_core::ids::TenantId,
) -> Result<(ScoreWeights, u64), AppError> {
    match q.record(t, SETTINGS, WEIGHTS_ID)? {
        Some(r) => Ok((serde_json::from_str(&r.data).map_err(json_err)?, r.version)),
        None => Ok((ScoreWeights::default(), 0)),
    }
}

/// The scorecard's rows from the report's department rows and the measures (pure; tested apart).
pub(crate) fn rows(
    figures: Vec<liaison_core::suggestion::FigureRow>,
    departments: &[(String, String)],
    measures: &[(String, MeasureStatus)],
    w: &ScoreWeights,
) -> Vec<ScorecardRow> {
    let mut out: Vec<ScorecardRow> = departments
        .iter()
        .map(|(id, name)| {
            let f = figures.iter().find(|r| r.key == *id);
            let mine = measures.iter().filter(|(owner, _)| owner == id);
            let tally = Tally {
                answered: f.map_or(0, |f| f.answered),
                answered_on_time: f.map_or(0, |f| f.answered_on_time),
                first_round_rated: f.map_or(0, |f| f.first_round_rated),
                first_round_satisfied: f.map_or(0, |f| f.first_round_satisfied),
                final_rated: f.map_or(0, |f| f.final_rated),
                final_satisfied: f.map_or(0, |f| f.final_satisfied),
                rehandled: f.map_or(0, |f| f.rehandled),
                measures: mine.clone().count() as u32,
                measures_done: mine.filter(|(_, s)| *s != MeasureStatus::Open).count() as u32,
            };
            ScorecardRow {
                department_id: id.clone(),
                department: name.clone(),
                received: f.map_or(0, |f| f.received),
                on_time_permille: tally.rate(Criterion::OnTime),
                first_round_permille: tally.rate(Criterion::FirstRound),
                final_permille: tally.rate(Criterion::Final),
                not_rehandled_permille: tally.rate(Criterion::NotRehandled),
                measures_permille: tally.rate(Criterion::Measures),
                score_permille: score(&tally, w),
                tally,
            }
        })
        .collect();
    out.sort_by(|a, b| b.score_permille.cmp(&a.score_permille).then_with(|| a.department.cmp(&b.department)));
    out
}

impl App {
    /// The scorecard weights in force.
    pub fn scorecard_weights(&self, p: &Principal) -> Result<ScoreWeights, AppError> {
        p.require(Action::ReadScorecard)?;
        let t = p.tenant.clone();
        let mut out = None;
        self.store.read(&mut |q| {
            out = Some(load_weights(q, &t));
            Ok(())
        })?;
        out.unwrap_or(Ok((ScoreWeights::default(), 0))).map(|(w, _)| w)
    }

    /// Change the scorecard weights (`criterion=weight`, 0–100, e.g. `on_time=40`); audited, versioned.
    pub async fn set_scorecard_weights(
        &self,
        p: &Principal,
        pairs: &[String],
    ) -> Result<ScoreWeights, AppError> {
        p.require(Action::ConfigurePolicy)?;
        let (tenant, pairs) = (p.tenant.clone(), pairs.to_vec());
        let range = || AppError::invalid("weights", &liaison_core::ValueError::Range { min: 0, max: 100 });
        self.change(p, None, move |run| {
            let (mut w, version) = load_weights(run.q(), &tenant)?;
            for pair in &pairs {
                let (k, v) = pair.split_once('=').ok_or_else(|| {
                    AppError::invalid("weights", &liaison_core::ValueError::OneOf("criterion=weight"))
                })?;
                let c = Criterion::from_code(k.trim()).ok_or_else(|| {
                    AppError::invalid(
                        "weights",
                        &liaison_core::ValueError::OneOf("on_time/first_round/final/not_rehandled/measures"),
                    )
                })?;
                let weight: u32 = v.trim().parse().map_err(|_| range())?;
                if weight > 100 {
                    return Err(range());
                }
                w.0.insert(c, weight);
            }
            run.save_settings(WEIGHTS_ID, version, "settings.scorecard_weights_set", &w)?;
            Ok(w)
        })
        .await
    }

    /// The scorecard for the period of `req` (its department, region and level are not used: every
    /// department is scored). For leaders and the office (`read_scorecard`).
    pub fn scorecard(&self, p: &Principal, req: &ReportRequest) -> Result<Scorecard, AppError> {
        p.require(Action::ReadScorecard)?;
        let Period { from, to } = self.report_period(req)?;
        let today = self.meta(p, None).today();
        let facts = self.facts_in(&p.tenant, from, to)?;
        let figures = figures_of_facts(&facts, from, to, GroupBy::Department, today).rows;
        let org = self.read(|q| q.organisation(&p.tenant))?;
        let departments: Vec<(String, String)> =
            org.departments.values().map(|d| (d.id.to_string(), d.name.to_string())).collect();
        let measures: Vec<(String, MeasureStatus)> = self
            .measures(p, None, None)?
            .into_iter()
            .filter(|m| m.measure.opened_on >= from && m.measure.opened_on <= to)
            .map(|m| (m.measure.owner.id.to_string(), m.measure.status))
            .collect();
        let weights = self.scorecard_weights(p)?;
        Ok(Scorecard {
            from,
            to,
            window: window(from, to, Lang::Zh),
            rows: rows(figures, &departments, &measures, &weights),
            weights,
        })
    }
}
