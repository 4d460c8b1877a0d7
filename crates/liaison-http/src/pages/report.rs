//! 年度报告 · the annual report as staff open it from the dashboard (issue 18): the printable page, its
//! stylesheet linked (`/static/report.css`, so the strict CSP holds), or the workbook and the CSV tables as
//! downloads — the same renderings as `GET /api/v1/reports/annual`, in the page's language.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::report::render::{Format, Stylesheet, file_name, html, render};
use liaison_app::report::{Lang, ReportRequest};
use serde::Deserialize;

use super::{CSP, Cookies, failed, i18n, staff};
use crate::AppState;

/// The report's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    format: Option<String>,
}

/// `GET /reports/annual?year=2026[&format=xlsx|csv]`.
pub(crate) async fn annual(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let format = match q.format.as_deref() {
        Some("xlsx") => Format::Xlsx,
        Some("csv") => Format::Csv,
        _ => Format::Html,
    };
    let lang = if i18n::english() { Lang::En } else { Lang::Zh };
    let p = session.principal.clone();
    let req = ReportRequest { year: q.year, ..ReportRequest::default() };
    let made = crate::blocking(&s, move |app| {
        let r = app.for_reports().annual_report(&p, &req)?;
        let bytes = match format {
            Format::Html => html(&r, lang, Stylesheet::Link("/static/report.css"))?,
            f => render(&r, f, lang)?,
        };
        Ok((bytes, file_name(&r, format)))
    });
    let (bytes, name) = match made.await {
        Ok(x) => x,
        Err(e) => return failed(&e),
    };
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    if format != Format::Html
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
