//! `/api/v1/reports/annual`: the annual report (issue 18), negotiated — JSON, a printable HTML page, an XLSX
//! workbook with charts, or the CSV tables as a zip — from the one model the app computes; the department
//! scorecard; and `/api/v1/rollup`, the figures of the procuratorates below (报备, issue 20).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_app::report::render::{Format, file_name, render};
use liaison_app::report::{AnnualReport, Lang, ReportRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;

use super::Api;
use crate::AppState;
use crate::access::{A, Any};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};

pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(annual), Any(&[A::ReadFigures]))
        .op(routes!(scorecard), Any(&[A::ReadScorecard]))
        .op(routes!(rollup), Any(&[A::ReadRollup]))
}

/// The annual report's query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AnnualQuery {
    /// The year (1 January – 31 December); this year when neither it nor `from`/`to` is given.
    year: Option<i32>,
    /// First day (YYYY-MM-DD), instead of `year`.
    from: Option<String>,
    /// Last day (YYYY-MM-DD).
    to: Option<String>,
    /// Only suggestions led by this department (name or id) and the rectification items it owns.
    department: Option<String>,
    /// Only the deputies of this region.
    region: Option<String>,
    /// Only the deputies of this level (全国/省/市/县/乡 or the code).
    level: Option<String>,
    /// `json`, `html`, `xlsx` or `csv`: overrides the `Accept` header (for links).
    format: Option<String>,
}

/// A workbook or a zip, as bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub(crate) struct ReportFile(Vec<u8>);

/// The rendering the `Accept` header asks for first (JSON when it names none of them).
fn negotiate(h: &HeaderMap) -> Format {
    let accept = h.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut best: Option<(f32, usize, Format)> = None;
    for (i, part) in accept.split(',').enumerate() {
        let mut it = part.split(';');
        let media = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let f = match media.as_str() {
            "application/json" => Format::Json,
            "text/html" => Format::Html,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Format::Xlsx,
            "application/zip" | "text/csv" => Format::Csv,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, f));
        }
    }
    best.map_or(Format::Json, |(_, _, f)| f)
}

/// The annual report: the year in ten numbers; suggestions by level (every level a row), department,
/// handler and month, with A–D classes, first-round and final satisfaction and resolution; the table of every
/// suggestion and deliberation opinion with the deputies' names (the SPP annex); reach; activities and their
/// fairness by level; reviews; inspections and rectification; commendations; notices; budget execution; the
/// audit chain's head. Negotiated by `Accept` (or `format`): JSON, `text/html` (printable, A4), the XLSX
/// media type (a sheet per part, native charts), or `application/zip` (the CSV tables, UTF-8 with BOM).
/// `Accept-Language: en` renders the HTML, XLSX and CSV in English. Read from the standby when the server
/// has one (`--read-replica-url`): it may be a moment behind the latest changes.
#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "reports", params(AnnualQuery),
    responses(
        (status = 200, description = "The annual report", content(
            (AnnualReport = "application/json"),
            (String = "text/html"),
            (ReportFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (ReportFile = "application/zip"),
        )),
        (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn annual(
    State(s): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    Query(q): Query<AnnualQuery>,
) -> Result<Response, ApiError> {
    let format = match q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => Format::parse(f).map_err(|e| {
            c.err(liaison_app::AppError::Invalid(vec![liaison_core::FieldError::new("format", &e)]))
        })?,
        None => negotiate(&headers),
    };
    let lang = if c.lang == crate::problem::Lang::En { Lang::En } else { Lang::Zh };
    let req = ReportRequest {
        year: q.year,
        from: q.from,
        to: q.to,
        department: q.department,
        region: q.region,
        level: q.level,
    };
    let p = c.principal.clone();
    let made = crate::blocking(&s, move |app| {
        let r = app.for_reports().annual_report(&p, &req)?;
        Ok((render(&r, format, lang)?, file_name(&r, format)))
    });
    let (bytes, name) = made.await.map_err(|e| c.err(e))?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    h.insert(header::VARY, HeaderValue::from_static("accept, accept-language"));
    if matches!(format, Format::Xlsx | Format::Csv)
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// The scorecard's query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ScorecardQuery {
    /// The year; this year when neither it nor `from`/`to` is given.
    year: Option<i32>,
    /// First day (YYYY-MM-DD), instead of `year`.
    from: Option<String>,
    /// Last day (YYYY-MM-DD).
    to: Option<String>,
}

/// The department scorecard (办理考评): per department, the on-time rate, first-round and final
/// satisfaction, re-handling, improvement measures completed, and the score under the deployment's weights
/// (a criterion with nothing to measure is left out; no score when nothing could be measured). For the
/// office and leaders. Read from the standby when the server has one (`--read-replica-url`): it may be a
/// moment behind the latest changes.
#[utoipa::path(get, path = "/api/v1/reports/scorecard", tag = "reports", params(ScorecardQuery),
    responses((status = 200, body = liaison_app::report::scorecard::Scorecard),
        (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn scorecard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ScorecardQuery>,
) -> Result<axum::Json<liaison_app::report::scorecard::Scorecard>, ApiError> {
    let req = ReportRequest { year: q.year, from: q.from, to: q.to, ..ReportRequest::default() };
    let p = c.principal.clone();
    let card =
        crate::blocking(&s, move |app| app.for_reports().scorecard(&p, &req)).await.map_err(|e| c.err(e))?;
    Ok(axum::Json(card))
}

/// The roll-up's query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RollupQuery {
    /// The year (2000–2100); this year when absent.
    year: Option<i32>,
}

/// The roll-up for the level above (报备, issue 20): the suggestion figures of the caller's procuratorate
/// and of every procuratorate below it (a province: its cities and their counties; a city: its counties),
/// each by deputies' level, then by procuratorate level and in total — figures only, never another
/// procuratorate's register or records. For leaders and the liaison office.
#[utoipa::path(get, path = "/api/v1/rollup", tag = "reports", params(RollupQuery),
    responses((status = 200, body = liaison_app::Rollup),
        (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn rollup(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<RollupQuery>,
) -> Result<axum::Json<liaison_app::Rollup>, ApiError> {
    let p = c.principal.clone();
    let r = crate::blocking(&s, move |app| {
        let year = q.year.unwrap_or_else(|| liaison_core::dates::china_year(app.now()));
        app.rollup(&p, year)
    })
    .await
    .map_err(|e| c.err(e))?;
    Ok(axum::Json(r))
}
