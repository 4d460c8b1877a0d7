//! `GET /calendar?month=2026-03`: the month's liaison calendar (`App::liaison_calendar`: meetings, visits,
//! scheduled appointments, activities, inspections and case reviews) as a grid of weeks, Monday first; on a
//! phone the same list of days shows only the days that have something. `GET /calendar.ics?month=` is the
//! same month as iCalendar (`App::liaison_ics`), for an office calendar.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Duration, NaiveDate};
use liaison_app::{CalendarEntry, ErrorKind};
use liaison_core::access::Action;
use liaison_core::dates::china_date;
use liaison_core::meeting::MeetingStatus;
use serde::Deserialize;

use super::{AT, not_allowed};
use crate::AppState;
use crate::pages::{Chrome, Cookies, Notice, failed, render, staff};

const WEEKDAYS: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];

/// The month asked for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

/// `2026-03` → 1 March 2026.
fn month_start(text: &str) -> Option<NaiveDate> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    if !(2000..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 { (first.year() + 1, 1) } else { (first.year(), first.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

fn prev_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 1 { (first.year() - 1, 12) } else { (first.year(), first.month() - 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// The month of the query (this month by default), or why it cannot be read.
fn month_of(s: &AppState, q: &MonthQuery) -> Result<NaiveDate, NaiveDate> {
    let today = china_date(s.app.now());
    let this = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(this),
        Some(m) => month_start(m).ok_or(this),
    }
}

/// An entry in a day.
pub(crate) struct Entry {
    href: Option<String>,
    kind: &'static str,
    class: &'static str,
    title: String,
    time: Option<String>,
    place: String,
    status: String,
    cancelled: bool,
}

/// A day of the grid.
pub(crate) struct Day {
    id: String,
    day: u32,
    label: String,
    in_month: bool,
    today: bool,
    weekend: bool,
    entries: Vec<Entry>,
}

fn kind_zh(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "meeting" => ("座谈会", "k-meeting"),
        "visit" => ("走访", "k-visit"),
        "appointment" => ("约见", "k-appointment"),
        "activity" => ("活动", "k-activity"),
        "inspection" => ("视察评议", "k-inspection"),
        "review" => ("案件评议", "k-review"),
        _ => ("其他", "k-other"),
    }
}

fn entry(e: &CalendarEntry) -> Entry {
    let (kind, class) = kind_zh(&e.kind);
    Entry {
        href: (e.kind == "meeting").then(|| format!("/meetings/{}", e.id)),
        kind,
        class,
        title: e.title.clone(),
        time: e.time.map(|(a, b)| format!("{}–{}", a.format("%H:%M"), b.format("%H:%M"))),
        place: e.place.clone(),
        status: if e.kind == "meeting" && e.status == MeetingStatus::Planned.zh() {
            super::status_zh(MeetingStatus::Planned).to_owned()
        } else {
            e.status.clone()
        },
        cancelled: e.cancelled,
    }
}

/// The weeks (Monday first) that hold the month, each day with its entries (an entry of several days on
/// each of them).
fn grid(first: NaiveDate, today: NaiveDate, entries: &[CalendarEntry]) -> Vec<Day> {
    let last = next_month(first) - Duration::days(1);
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let end = last + Duration::days(i64::from(6 - last.weekday().num_days_from_monday()));
    start
        .iter_days()
        .take_while(|d| *d <= end)
        .map(|d| {
            let wd = d.weekday().num_days_from_monday() as usize;
            Day {
                id: format!("d-{}", d.format("%Y-%m-%d")),
                day: d.day(),
                label: format!("{}月{}日 {}", d.month(), d.day(), WEEKDAYS[wd]), // zh: a date, in English by the catalogue
                in_month: d.month() == first.month(),
                today: d == today,
                weekend: wd >= 5,
                entries: entries
                    .iter()
                    .filter(|e| d.month() == first.month() && e.on <= d && d <= e.until.unwrap_or(e.on))
                    .map(entry)
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    title: String,
    month: String,
    prev: String,
    next: String,
    this_month: String,
    weekdays: [&'static str; 7],
    days: Vec<Day>,
    count: usize,
    manages: bool,
    error: Option<String>,
}

/// `GET /calendar?month=YYYY-MM`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<MonthQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (first, error) = match month_of(&s, &q) {
        Ok(m) => (m, None),
        Err(this) => (this, Some("月份应写作“2026-03”这样的年-月，下面是本月的日程。".to_owned())),
    };
    let last = next_month(first) - Duration::days(1);
    let p = session.principal.clone();
    let entries = match crate::blocking(&s, move |app| app.liaison_calendar(&p, first, last)).await {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let today = china_date(s.app.now());
    let page = CalendarPage {
        chrome: Chrome::of(&session, AT),
        title: format!("{}年{}月", first.year(), first.month()), // zh: a date, in English by the catalogue
        month: first.format("%Y-%m").to_string(),
        prev: prev_month(first).format("%Y-%m").to_string(),
        next: next_month(first).format("%Y-%m").to_string(),
        this_month: today.format("%Y-%m").to_string(),
        weekdays: WEEKDAYS,
        days: grid(first, today, &entries),
        count: entries.len(),
        manages: session.principal.may(Action::ManageLiaison),
        error: error.clone(),
    };
    render(if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

/// `GET /calendar.ics?month=YYYY-MM`: the month as an iCalendar file.
pub(crate) async fn ics(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<MonthQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(first) = month_of(&s, &q) else {
        let message = "月份应写作“2026-03”这样的年-月。".into();
        let notice = Notice { title: "无法完成", message, back: "/calendar", back_text: "返回日历" };
        return render(StatusCode::UNPROCESSABLE_ENTITY, &notice);
    };
    let last = next_month(first) - Duration::days(1);
    let p = session.principal.clone();
    let text = match crate::blocking(&s, move |app| app.liaison_ics(&p, first, last)).await {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let name = format!("attachment; filename=\"liaison-{}.ics\"", first.format("%Y-%m"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_whole_weeks_monday_first() {
        let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let days = grid(first, first, &[]);
        assert_eq!(days.len() % 7, 0);
        assert_eq!(days[0].id, "d-2026-02-23", "the Monday before Sunday 1 March");
        assert_eq!(days.last().map(|d| d.id.as_str()), Some("d-2026-04-05"));
        assert_eq!(days.iter().filter(|d| d.in_month).count(), 31);
        assert_eq!(month_start("2026-13"), None);
        assert_eq!(
            prev_month(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()).to_string(),
            "2025-12-01"
        );
    }
}
