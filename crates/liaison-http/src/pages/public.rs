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
    /// The procuratorate's id when the URL named it (kept by the year's form).
    tenant: String,
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
    /// The procuratorate (required when the deployment has several).
    #[serde(default)]
    tenant: Option<String>,
}

/// The list of procuratorates, when the deployment has several and the URL names none.
#[derive(Template)]
#[template(path = "staff/public_choose.html")]
struct ChoosePage {
    /// (id, name, depth in the tree).
    tenants: Vec<(String, String, usize)>,
}

/// The routes the switch adds.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/public/figures", get(page)).layer(axum::middleware::from_fn(super::i18n::language))
}

/// What the page shows: one procuratorate's figures, or the list to choose from.
enum Shown {
    Figures(Box<liaison_app::report::public::PublicFigures>, String),
    Choose(Vec<(String, String, usize)>),
}

/// `GET /public/figures?tenant=ID&year=2026`: that procuratorate's published figures only. With several
/// procuratorates and no `tenant`, the list of them (each a link to its own figures); an unknown `tenant`
/// is said so (422), never replaced by another.
async fn page(State(s): State<AppState>, Query(q): Query<PublicQuery>) -> Response {
    let year = q.year;
    let requested = q.tenant.filter(|t| !t.trim().is_empty());
    let shown = crate::blocking(&s, move |app| {
        if requested.is_none() {
            let tree = app.tenant_tree()?;
            if tree.len() > 1 {
                let list = tree.into_iter().map(|v| (v.id, v.name, v.depth.min(3))).collect();
                return Ok(Shown::Choose(list));
            }
        }
        let tenant = app.sign_in_tenant(requested.as_deref())?;
        let figures = app.for_reports().public_figures(&tenant.id, year)?;
        Ok(Shown::Figures(
            Box::new(figures),
            if requested.is_some() { tenant.id.to_string() } else { String::new() },
        ))
    })
    .await;
    let (f, tenant) = match shown {
        Ok(Shown::Figures(f, tenant)) => (*f, tenant),
        Ok(Shown::Choose(tenants)) => return render(StatusCode::OK, &ChoosePage { tenants }),
        Err(e) => return failed(&e),
    };
    let page = PublicPage {
        tenant,
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
