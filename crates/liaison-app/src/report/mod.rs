//! The annual report (issue 18): what the liaison office hands the chief procurator and the congress at
//! year end, as one model computed once for a period (a year, or `from`–`to`) and, when asked, one
//! department, region or level — then rendered as JSON, a zip of CSV tables, an XLSX workbook with native
//! charts and a printable HTML page (`render`). Every figure is the one the dashboards show: suggestion
//! figures from `figures_of_facts`, reach from `meeting::reach`, fairness from `activity::fairness`, the
//! budget's execution from `Budget::execution`; each label names its time window.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::access::Action;
use liaison_core::organisation::DeputyRef;
use liaison_core::registry::DeputyLevel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, FigureRowView, Principal};

mod annex;
pub mod charts;
mod compute;
mod labels;
mod line;
pub mod public;
mod r1;
pub mod render;
pub mod scorecard;

pub use labels::{Lang, level_label};
pub use line::{AnnexFacts, ReportLine};

/// What a report is asked for: the period and, at most one of, a department, a region or a level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct ReportRequest {
    /// The year (1 January to 31 December), when `from` and `to` are absent.
    pub year: Option<i32>,
    /// First day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD).
    pub to: Option<String>,
    /// One lead department (name or id).
    pub department: Option<String>,
    /// One region (as the register writes it).
    pub region: Option<String>,
    /// One level (`county`, `县` …).
    pub level: Option<String>,
}

/// The one part of the office a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The whole procuratorate.
    All,
    /// Suggestions led by one department, rectification items it owns.
    Department {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// Deputies of one region: their suggestions, reach and activities.
    Region {
        /// The region.
        name: String,
    },
    /// Deputies of one level: their suggestions, reach and activities.
    Level {
        /// The level's code.
        code: String,
    },
}

/// One of the summary's ten numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SummaryFigure {
    /// Stable key (`received`, `on_time` …).
    pub key: String,
    /// What it counts, with its time window (zh).
    pub label: String,
    /// The same in English.
    pub label_en: String,
    /// The count (a rate's numerator; yuan: the fen spent).
    pub value: u64,
    /// A rate's denominator.
    pub of: Option<u64>,
    /// The rate, per mille (`None` when the denominator is zero).
    pub permille: Option<u32>,
    /// `count`, `rate` or `fen`.
    pub unit: String,
}

/// The classes of the latest answers (A–D).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Classes {
    /// A: solved or basically solved.
    pub a: u32,
    /// B: being solved or in the plan.
    pub b: u32,
    /// C: needs later solution.
    pub c: u32,
    /// D: kept for reference.
    pub d: u32,
}

/// One row of R1 figures with its answer classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct R1Row {
    /// The figures (the dashboard's row).
    #[serde(flatten)]
    pub figures: FigureRowView,
    /// Latest answers by class.
    pub classes: Classes,
}

/// R1: suggestions received in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SuggestionPart {
    /// Every level a row, even when zero (a joint item counts under each of its levels).
    pub by_level: Vec<R1Row>,
    /// By lead department (未交办: not yet assigned).
    pub by_department: Vec<R1Row>,
    /// By handler.
    pub by_handler: Vec<R1Row>,
    /// Month by month.
    pub by_month: Vec<R1Row>,
    /// Everything together (a joint item once).
    pub total: R1Row,
}

/// One line of the SPP annex table: a suggestion, or an opinion from the deliberation of the work report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnexRow {
    /// 建议 or 审议意见.
    pub kind: Cow<'static, str>,
    /// The suggestion's number, or the session and opinion number.
    pub number: String,
    /// Received on.
    pub received_on: NaiveDate,
    /// Title (a suggestion) or the opinion's text.
    pub title: String,
    /// The proposers, by name.
    pub proposers: String,
    /// Their levels.
    pub levels: Cow<'static, str>,
    /// Their delegations.
    pub delegations: String,
    /// The lead department (and co-handlers).
    pub department: String,
    /// The latest answer's class (A–D), if answered.
    pub class: Cow<'static, str>,
    /// Where it stands and the deputies' verdict.
    pub outcome: String,
    /// Improvement measures, with their state.
    pub measures: String,
}

/// Reach of one level or region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReachRow {
    /// Key (level code or region).
    pub key: String,
    /// Label.
    pub label: String,
    /// Deputies in office.
    pub deputies: u32,
    /// Of them, met or visited in the period.
    pub reached: u32,
    /// Per mille.
    pub permille: Option<u32>,
}

/// A deputy not reached, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// Name.
    pub name: String,
    /// Level label.
    pub level: String,
    /// Region.
    pub region: String,
    /// Delegation.
    pub delegation: String,
}

/// R3 and C3: meetings, visits, who was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReachPart {
    /// Meetings held.
    pub meetings_held: u32,
    /// Deputies attending them (attendances).
    pub meeting_attendances: u32,
    /// Visits made.
    pub visits: u32,
    /// Deputies invited to activities (seats drawn).
    pub invited: u32,
    /// Every level a row.
    pub by_level: Vec<ReachRow>,
    /// By region.
    pub by_region: Vec<ReachRow>,
    /// Deputies in office, reached, rate.
    pub total: ReachRow,
    /// Those not reached.
    pub not_reached: Vec<Person>,
}

/// Participation in activities of one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FairnessRow {
    /// Level code.
    pub key: String,
    /// Level label.
    pub label: String,
    /// Deputies in office.
    pub deputies: u32,
    /// Drawn or chosen at least once.
    pub drawn: u32,
    /// Attended at least once.
    pub attended: u32,
    /// `attended / deputies`, per mille.
    pub permille: Option<u32>,
}

/// C4: activities and the fairness figures by level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActivityPart {
    /// Activities held in the period.
    pub held: u32,
    /// Cancelled.
    pub cancelled: u32,
    /// Every level a row.
    pub by_level: Vec<FairnessRow>,
    /// Attendances.
    pub participations: u32,
    /// Seats drawn.
    pub seats_drawn: u32,
    /// Draws cancelled after their pool was fixed.
    pub cancelled_draws: u32,
    /// Gini coefficient of attendances, per mille.
    pub gini_permille: u32,
}

/// R4: one case review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewRow {
    /// The case's reference.
    pub case_ref: String,
    /// Kind.
    pub kind: String,
    /// Registered on.
    pub opened_on: NaiveDate,
    /// Participants, by name.
    pub participants: String,
    /// Votes for and against the proposed handling.
    pub votes_for: u32,
    /// Against.
    pub votes_against: u32,
    /// The result (chief, committee).
    pub result: String,
    /// Status.
    pub status: String,
}

/// R5: one inspection or evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InspectionRow {
    /// Title.
    pub title: String,
    /// Inspection or evaluation.
    pub kind: String,
    /// Held from.
    pub from: NaiveDate,
    /// Participating deputies.
    pub participants: u32,
    /// Opinions.
    pub opinions: u32,
    /// Rectification items.
    pub rectifications: u32,
    /// Of them done.
    pub done: u32,
    /// Of them past their deadline and not done.
    pub overdue: u32,
    /// Status.
    pub status: String,
}

/// R6: one nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommendationRow {
    /// The deputy, by name.
    pub deputy: String,
    /// Level label.
    pub level: String,
    /// Contribution points.
    pub points: u32,
    /// Pieces of evidence.
    pub evidence: u32,
    /// Status.
    pub status: String,
}

/// R2: one major-matter notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoticeRow {
    /// Title.
    pub title: String,
    /// Sent on.
    pub sent_on: Option<NaiveDate>,
    /// Recipients.
    pub recipients: u32,
    /// Acknowledged.
    pub acknowledged: u32,
    /// Status.
    pub status: String,
}

/// One budget line's execution, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetRow {
    /// Category code (`total` for the sum).
    pub key: String,
    /// Label.
    pub label: String,
    /// Planned.
    pub planned: u64,
    /// Supplemented.
    pub supplemented: u64,
    /// Spent (net of reversals).
    pub spent: u64,
    /// Left.
    pub available: u64,
    /// Spent per mille of planned + supplemented.
    pub permille: Option<u32>,
    /// Projected shortfall at this year's pace.
    pub projected_shortfall: u64,
}

/// A supplementary appropriation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AppropriationRow {
    /// Number.
    pub n: u32,
    /// Category label.
    pub category: String,
    /// Amount (fen).
    pub fen: u64,
    /// Why.
    pub reason: String,
    /// Requested on.
    pub on: NaiveDate,
    /// 待批准 / 已批准 / 未批准.
    pub decision: String,
}

/// G2: the year's budget execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetPart {
    /// The budget's year.
    pub year: i32,
    /// Adopted.
    pub adopted: bool,
    /// By line.
    pub lines: Vec<BudgetRow>,
    /// The sum of the lines.
    pub total: BudgetRow,
    /// Supplementary appropriations.
    pub appropriations: Vec<AppropriationRow>,
}

/// The audit chain's head when the report was made: the figures tie to the record up to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditHead {
    /// The last record's sequence number (0: an empty chain).
    pub seq: u64,
    /// Its hash.
    pub hash: String,
    /// When it was written.
    pub at: Option<String>,
}

/// The annual report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnualReport {
    /// The procuratorate.
    pub procuratorate: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// What it covers.
    pub scope: Scope,
    /// The scope in words (zh).
    pub scope_label: String,
    /// When it was made.
    pub made_at: DateTime<Utc>,
    /// The year in ten numbers.
    pub summary: Vec<SummaryFigure>,
    /// R1 figures.
    pub suggestions: SuggestionPart,
    /// The SPP annex table.
    pub annex: Vec<AnnexRow>,
    /// Reach.
    pub reach: ReachPart,
    /// Activities and fairness.
    pub activities: ActivityPart,
    /// Case reviews.
    pub reviews: Vec<ReviewRow>,
    /// Inspections and rectification.
    pub inspections: Vec<InspectionRow>,
    /// Commendations.
    pub commendations: Vec<CommendationRow>,
    /// Major-matter notices.
    pub notices: Vec<NoticeRow>,
    /// Budget execution (the year of `from`).
    pub budget: BudgetPart,
    /// The audit chain's head.
    pub audit: AuditHead,
}

impl AnnualReport {
    /// `2026-01-01 至 2026-12-31`, or `2026 年` for a whole calendar year.
    pub fn window(&self) -> String {
        window(self.from, self.to, Lang::Zh)
    }
}

/// The period in words.
pub(crate) fn window(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let whole_year =
        from.ordinal() == 1 && to.year() == from.year() && to.succ_opt().is_some_and(|d| d.ordinal() == 1);
    match (whole_year, lang) {
        (true, Lang::Zh) => format!("{} 年", from.year()),
        (true, Lang::En) => format!("{}", from.year()),
        (false, Lang::Zh) => format!("{from} 至 {to}"),
        (false, Lang::En) => format!("{from} to {to}"),
    }
}

/// The report's period and scope, checked.
pub(crate) struct Period {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
}

impl App {
    /// The annual report for `req` (the office, officers, leaders and departments: who may read the figures
    /// and the coverage records). Computed once; every rendering takes this one model.
    pub fn annual_report(&self, p: &Principal, req: &ReportRequest) -> Result<AnnualReport, AppError> {
        p.require(Action::ReadFigures)?;
        p.require(Action::ReadCoverage)?;
        let period = self.report_period(req)?;
        let scope = self.report_scope(p, req)?;
        compute::report(self, p, &period, scope)
    }

    fn report_period(&self, req: &ReportRequest) -> Result<Period, AppError> {
        let nonblank =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let day = |field: &str, s: &str| {
            liaison_core::registry::parse_date(s).map_err(|e| AppError::invalid(field, &e))
        };
        let (from, to) = match (nonblank(&req.from), nonblank(&req.to), req.year) {
            (None, None, Some(y)) => {
                if !(2000..=2999).contains(&y) {
                    return Err(AppError::invalid(
                        "year",
                        &liaison_core::ValueError::Range { min: 2000, max: 2999 },
                    ));
                }
                let first = NaiveDate::from_ymd_opt(y, 1, 1);
                let last = NaiveDate::from_ymd_opt(y, 12, 31);
                match (first, last) {
                    (Some(f), Some(l)) => (f, l),
                    _ => {
                        return Err(AppError::Contract(
                            "a year between 2000 and 2999 has a first and last day",
                        ));
                    }
                }
            }
            (f, t, None) => {
                let f = f.as_deref().map(|s| day("from", s)).transpose()?;
                let t = t.as_deref().map(|s| day("to", s)).transpose()?;
                liaison_core::dates::year_by_default(f, t, self.now())
            }
            (_, _, Some(_)) => {
                return Err(AppError::invalid("year", &liaison_core::ValueError::Mismatch("from")));
            }
        };
        if to < from {
            return Err(AppError::invalid("to", &liaison_core::ValueError::Mismatch("from")));
        }
        Ok(Period { from, to })
    }

    fn report_scope(&self, p: &Principal, req: &ReportRequest) -> Result<Scope, AppError> {
        let nonblank =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let given =
            [&req.department, &req.region, &req.level].iter().filter(|s| nonblank(s).is_some()).count();
        if given > 1 {
            return Err(AppError::invalid(
                "department",
                &liaison_core::ValueError::OneOf("one of department, region or level"),
            ));
        }
        if let Some(d) = nonblank(&req.department) {
            let org = self.read(|q| q.organisation(&p.tenant))?;
            let id = crate::organisation::find_department(&org, &d)?;
            let name = org.departments.get(&id).map(|x| x.name.to_string()).unwrap_or_else(|| d.clone());
            return Ok(Scope::Department { id: id.to_string(), name });
        }
        if let Some(r) = nonblank(&req.region) {
            return Ok(Scope::Region { name: r });
        }
        if let Some(l) = nonblank(&req.level) {
            let level = DeputyLevel::parse(&l).map_err(|e| AppError::invalid("level", &e))?;
            return Ok(Scope::Level { code: level.code().to_owned() });
        }
        Ok(Scope::All)
    }
}

impl Scope {
    /// Whether a deputy of the register is inside (a department's report counts every deputy).
    pub(crate) fn keeps(&self, d: &DeputyRef) -> bool {
        match self {
            Scope::All | Scope::Department { .. } => true,
            Scope::Region { name } => d.region == *name,
            Scope::Level { code } => d.level.code() == code,
        }
    }

    /// The scope in words.
    pub fn label(&self, lang: Lang) -> String {
        match (self, lang) {
            (Scope::All, Lang::Zh) => "全院".into(),
            (Scope::All, Lang::En) => "the whole procuratorate".into(),
            (Scope::Department { name, .. }, Lang::Zh) => format!("承办部门：{name}"),
            (Scope::Department { name, .. }, Lang::En) => format!("lead department: {name}"),
            (Scope::Region { name }, Lang::Zh) => format!("区域：{name}"),
            (Scope::Region { name }, Lang::En) => format!("region: {name}"),
            (Scope::Level { code }, lang) => {
                let l = DeputyLevel::parse(code).map(|l| level_label(l, lang)).unwrap_or_default();
                match lang {
                    Lang::Zh => format!("代表级别：{l}"),
                    Lang::En => format!("level: {l}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
