//! 统计 · the suggestions dashboard (issue 16, item 5): the year's figures grouped by level (every level a
//! row, even at zero), by lead department or by handler, and month by month — the same definitions as
//! `GET /api/v1/suggestions/figures` (`App::suggestion_figures_monthly` reads once and computes both).
//! Each chart is drawn on the server (`charts`) with its numbers in a table beside it; on-time and
//! satisfaction are shown as rates with their counts, the lapses (deputies who did not rate in time)
//! apart, never as ratings.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use liaison_app::{ErrorKind, FigureRowView};
use liaison_core::dates::china_year;
use liaison_core::suggestion::GroupBy;
use serde::Deserialize;

use super::charts::{Series, bars, lines};
use super::{Chrome, Cookies, failed, render, staff};
use crate::AppState;

const GROUPS: &[(&str, &str)] =
    &[("level", "按代表级别"), ("department", "按承办部门"), ("handler", "按承办人")];

/// One row of the tables.
pub(crate) struct Line {
    label: String,
    received: u32,
    answered: u32,
    on_time: String,
    overdue: u32,
    first: String,
    last: String,
    lapsed: u32,
    resolved: u32,
    open: u32,
}

fn rate(p: Option<u32>) -> String {
    p.map_or_else(|| "—".into(), |p| format!("{}.{}%", p / 10, p % 10))
}

impl From<&FigureRowView> for Line {
    fn from(r: &FigureRowView) -> Self {
        let c = &r.counts;
        Line {
            label: c.label.clone(),
            received: c.received,
            answered: c.answered,
            on_time: rate(r.on_time_permille),
            overdue: c.overdue,
            first: rate(r.first_round_satisfaction_permille),
            last: rate(r.final_satisfaction_permille),
            lapsed: c.lapsed,
            resolved: c.resolved_a + c.resolved_later,
            open: c.open,
        }
    }
}

#[derive(Template)]
#[template(path = "staff/figures.html")]
struct FiguresPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    by: String,
    by_zh: &'static str,
    groups: &'static [(&'static str, &'static str)],
    total: Option<Line>,
    rows: Vec<Line>,
    months: Vec<Line>,
    bar_svg: String,
    line_svg: String,
    error: Option<String>,
    /// The scorecard link is shown only to those who may read it (office, leaders).
    may_scorecard: bool,
    may_rollup: bool,
}

/// The dashboard's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FiguresQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    by: Option<String>,
}

/// `GET /figures`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<FiguresQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let this_year = china_year(s.app.now());
    let by = q.by.as_deref().map(str::trim).filter(|b| !b.is_empty()).unwrap_or("level").to_owned();
    let by_zh = GROUPS.iter().find(|(k, _)| *k == by).map_or("", |(_, zh)| zh);
    let mut page = FiguresPage {
        chrome: Chrome::of(&session, "figures"),
        year: this_year,
        years: (this_year - 4..=this_year).rev().collect(),
        by: by.clone(),
        by_zh,
        groups: GROUPS,
        total: None,
        rows: Vec::new(),
        months: Vec::new(),
        bar_svg: String::new(),
        line_svg: String::new(),
        error: None,
        may_scorecard: session.principal.may(liaison_core::access::Action::ReadScorecard),
        may_rollup: session.principal.may(liaison_core::access::Action::ReadRollup),
    };
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => this_year,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=this_year + 1).contains(&y) => y,
            _ => {
                page.error =
                    Some(format!("年份“{y}”无效：请选择 2000 年至 {} 年之间的年份。", this_year + 1));
                return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        },
    };
    page.year = year;
    if !page.years.contains(&year) {
        page.years.push(year);
    }
    let group_by = match GroupBy::parse(&by) {
        Ok(g) if g != GroupBy::All => g,
        _ => {
            page.error = Some("分组方式无效：请选择按代表级别、按承办部门或按承办人。".into());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let p = session.principal.clone();
    let figures =
        crate::blocking(&s, move |app| app.suggestion_figures_monthly(&p, from, to, group_by)).await;
    let (grouped, months) = match figures {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error =
                Some("您的账号角色不能查看建议办理统计（统计面向联络室、联络员、领导和承办部门）。".into());
            return render(StatusCode::FORBIDDEN, &page);
        }
        Err(e) => return failed(&e),
    };
    let labels: Vec<String> = grouped.rows.iter().map(|r| r.counts.label.clone()).collect();
    page.bar_svg = bars(
        "by-group",
        &format!("{year} 年代表建议{by_zh}统计"),
        "件",
        &labels,
        &[
            Series { name: "收到", values: grouped.rows.iter().map(|r| r.counts.received).collect() },
            Series {
                name: "按期答复",
                values: grouped.rows.iter().map(|r| r.counts.answered_on_time).collect(),
            },
            Series { name: "逾期", values: grouped.rows.iter().map(|r| r.counts.overdue).collect() },
        ],
    );
    let month_labels: Vec<String> = months.iter().map(|m| m.counts.label.clone()).collect();
    page.line_svg = lines(
        "by-month",
        &format!("{year} 年代表建议逐月收到与答复件数"),
        "件",
        &month_labels,
        &[
            Series { name: "收到", values: months.iter().map(|m| m.counts.received).collect() },
            Series { name: "答复", values: months.iter().map(|m| m.counts.answered).collect() },
        ],
    );
    page.total = Some(Line::from(&grouped.total));
    page.rows = grouped.rows.iter().map(Line::from).collect();
    page.months = months.iter().map(Line::from).collect();
    render(StatusCode::OK, &page)
}
