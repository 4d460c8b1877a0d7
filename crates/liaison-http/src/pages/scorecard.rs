//! 办理考评 · the department scorecard (issue 18 item 6) for leaders and the office: each department's
//! rates over a year and the score under the deployment's weights — the app's `scorecard`, rendered.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::report::ReportRequest;
use liaison_core::scorecard::Criterion;
use serde::Deserialize;

use super::{Chrome, Cookies, failed, render, staff};
use crate::AppState;

/// A rate as shown: `87.5%`, or `—` with nothing to measure.
pub(crate) fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{}.{}%", p / 10, p % 10))
}

struct Line {
    department: String,
    received: u32,
    on_time: String,
    first: String,
    last: String,
    rehandled: u32,
    measures: String,
    score: String,
}

#[derive(Template)]
#[template(path = "staff/scorecard.html")]
struct ScorecardPage {
    chrome: Chrome,
    year: i32,
    window: String,
    weights: Vec<(&'static str, u32)>,
    rows: Vec<Line>,
}

/// The query of a page of one year's figures (the scorecard, the roll-up): `?year=2026`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
}

impl YearQuery {
    /// The year asked for, else this year (China time).
    pub(crate) fn year(&self, s: &AppState) -> i32 {
        self.year.unwrap_or_else(|| chrono::Datelike::year(&liaison_core::dates::china_date(s.app.now())))
    }
}

/// `GET /figures/scorecard?year=2026`.
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
    let req = ReportRequest { year: Some(year), ..ReportRequest::default() };
    let card = match crate::blocking(&s, move |app| app.for_reports().scorecard(&p, &req)).await {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let rows = card
        .rows
        .iter()
        .map(|r| Line {
            department: r.department.clone(),
            received: r.received,
            on_time: pct(r.on_time_permille),
            first: pct(r.first_round_permille),
            last: pct(r.final_permille),
            rehandled: r.tally.rehandled,
            measures: format!("{}/{}", r.tally.measures_done, r.tally.measures),
            score: r.score_permille.map_or_else(|| "—".to_owned(), |p| format!("{}.{}", p / 10, p % 10)),
        })
        .collect();
    let weights =
        Criterion::ALL.iter().map(|c| (c.zh(), card.weights.0.get(c).copied().unwrap_or(0))).collect();
    let page = ScorecardPage {
        chrome: Chrome::of(&session, "figures"),
        year,
        window: card.window.clone(),
        weights,
        rows,
    };
    render(StatusCode::OK, &page)
}
