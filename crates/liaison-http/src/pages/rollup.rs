//! 报备 · the roll-up for the level above (issue 20): the leaders and the liaison office of a procuratorate
//! see their own figures and those of every procuratorate below, by procuratorate, by its level and by
//! department kind, and the items those below must report — the app's `rollup`, rendered. Figures and
//! numbers only: no register, no title, no person of another procuratorate.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::FigureRowView;

use super::scorecard::{YearQuery, pct};
use super::{Chrome, Cookies, day, failed, render, staff};
use crate::AppState;

/// One row of figures as shown.
struct Row {
    name: String,
    /// Indentation below the procuratorate asking (0: itself), or 0 for the combined rows.
    depth: usize,
    level: String,
    received: u32,
    transferred: u32,
    answered: u32,
    on_time: String,
    overdue: u32,
    first: String,
    last: String,
    resolved: String,
}

impl Row {
    fn of(name: String, depth: usize, level: String, f: &FigureRowView) -> Self {
        let c = &f.counts;
        Row {
            name,
            depth,
            level,
            received: c.received,
            transferred: c.transferred,
            answered: c.answered,
            on_time: pct(f.on_time_permille),
            overdue: c.overdue,
            first: pct(f.first_round_satisfaction_permille),
            last: pct(f.final_satisfaction_permille),
            resolved: pct(f.resolution_permille),
        }
    }
}

/// An item reported from below.
struct Told {
    procuratorate: String,
    number: String,
    levels: String,
    status: String,
    due: String,
    reasons: String,
    with: String,
}

#[derive(Template)]
#[template(path = "staff/rollup.html")]
struct RollupPage {
    chrome: Chrome,
    year: i32,
    procuratorates: Vec<Row>,
    levels: Vec<Row>,
    departments: Vec<Row>,
    total: Row,
    told: Vec<Told>,
}

/// `GET /figures/rollup?year=2026`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    let year = q.year(&s);
    let r = match crate::blocking(&s, move |app| app.for_reports().rollup(&p, year)).await {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let page = RollupPage {
        chrome: Chrome::of(&session, "figures"),
        year,
        procuratorates: r
            .procuratorates
            .iter()
            .map(|e| {
                Row::of(e.tenant.name.clone(), e.tenant.depth, e.tenant.level_name.clone(), &e.figures.total)
            })
            .collect(),
        levels: r
            .by_level
            .iter()
            .map(|l| {
                Row::of(
                    format!("{}合计（{} 个院）", l.level_name, l.procuratorates),
                    0,
                    String::new(),
                    &l.figures,
                )
            })
            .collect(),
        departments: r
            .by_department
            .iter()
            .map(|d| Row::of(d.counts.label.clone(), 0, String::new(), d))
            .collect(),
        total: Row::of("合计".into(), 0, String::new(), &r.total),
        told: r
            .told
            .iter()
            .map(|i| Told {
                procuratorate: i.procuratorate.clone(),
                number: i.number.clone().unwrap_or_else(|| "未编号".into()),
                levels: i.levels.join("、"),
                status: i.status_zh.clone(),
                due: i.due.map(day).unwrap_or_default(),
                reasons: i.reasons_zh.join("；"),
                with: i.transfer_with.clone().unwrap_or_default(),
            })
            .collect(),
    };
    render(StatusCode::OK, &page)
}
