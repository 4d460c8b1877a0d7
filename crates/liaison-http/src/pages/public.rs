//! 市民查询 · the public figures page (issue 18 item 7): no login, served only when the deployment switches
//! it on (`--public-figures` / `LIAISON_PUBLIC_FIGURES`; otherwise the route does not exist and answers
//! 404). The year's aggregate figures by level and department and the published answers, with nobody's
//! name (the app masks them); the same strict CSP and no-store as the staff pages.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use liaison_app::report::public::{PublicAnswer, PublicRow};
use serde::Deserialize;

use super::scorecard::pct;
use super::{failed, render};
use crate::AppState;

struct Line {
    label: String,
    received: u32,
    answered: u32,
    on_time: String,
    first: String,
    last: String,
    resolved: String,
}

impl From<&PublicRow> for Line {
    fn from(r: &PublicRow) -> Self {
        Self {
            label: r.label.clone(),
            received: r.received,
            answered: r.answered,
            on_time: pct(r.on_time_permille),
            first: pct(r.first_round_permille),
            last: pct(r.final_permille),
            resolved: pct(r.resolution_permille),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/public_figures.html")]
struct PublicPage {
    procuratorate: String,
    year: i32,
    window: String,
    by_level: Vec<Line>,
    by_department: Vec<Line>,
    total: Line,
    answers: Vec<PublicAnswer>,
}

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PublicQuery {
    #[serde(default)]
    year: Option<i32>,
}

/// The routes the switch adds.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/public/figures", get(page)).layer(axum::middleware::from_fn(super::i18n::language))
}

/// `GET /public/figures?year=2026`.
async fn page(State(s): State<AppState>, Query(q): Query<PublicQuery>) -> Response {
    let year = q.year;
    let figures = crate::blocking(&s, move |app| {
        app.for_reports().public_figures(&liaison_app::default_tenant(), year)
    })
    .await;
    let f = match figures {
        Ok(f) => f,
        Err(e) => return failed(&e),
    };
    let page = PublicPage {
        procuratorate: f.procuratorate,
        year: f.year,
        window: f.window,
        by_level: f.by_level.iter().map(Line::from).collect(),
        by_department: f.by_department.iter().map(Line::from).collect(),
        total: Line::from(&f.total),
        answers: f.answers,
    };
    render(StatusCode::OK, &page)
}
