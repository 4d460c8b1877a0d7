//! 代表建议 (R1): the list with its filters and paging, and the office's bulk assignment (each selected
//! suggestion assigned through the same `suggestion_action` as a single one, with its own version, every
//! refusal reported by number). Intake (`intake`) and one suggestion's page with its actions (`detail`)
//! are submodules; `form` reads urlencoded bodies with repeated fields.
//!
//! No rule here: the filters become a `SuggestionFilter`, the assignment a `SuggestionAction::Assign`; the
//! app decides. Suggestions are addressed by their number (`/suggestions/2026-0001`), never by an id.

pub(crate) mod detail;
mod form;
pub(crate) mod intake;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use liaison_app::{AppError, ErrorKind, Handler, Principal, SuggestionAction, SuggestionFilter};
use liaison_core::access::Action;
use liaison_core::suggestion::SuggestionStatus;

pub(crate) use self::form::FormData;
use super::{Chrome, Cookies, failed, render, staff, staff_post};
use crate::AppState;

/// Rows per page.
const PAGE_SIZE: u32 = 20;

/// Today in China (the day deadlines are counted in).
pub(crate) fn today(s: &AppState) -> NaiveDate {
    liaison_core::dates::china_date(s.app.now())
}

pub(crate) use super::day;

/// The path of a suggestion's page: by number (every filed suggestion has one), else by id.
pub(crate) fn path_of(number: Option<&str>, id: uuid::Uuid) -> String {
    match number {
        Some(n) => format!("/suggestions/{n}"),
        None => format!("/suggestions/{id}"),
    }
}

/// The departments by name (for the filter and the assignment), or none when the role may not read them.
pub(crate) fn department_names(s: &AppState, p: &Principal) -> Vec<String> {
    s.app.organisation(p).map(|o| o.departments.into_iter().map(|d| d.name).collect()).unwrap_or_default()
}

/// The accounts that may handle an assignment, when the role may assign.
pub(crate) fn handlers_of(s: &AppState, p: &Principal) -> Vec<Handler> {
    if p.may(Action::AssignSuggestion) { s.app.handlers(p).unwrap_or_default() } else { Vec::new() }
}

/// One line of the list.
pub(crate) struct Row {
    href: String,
    number: String,
    /// `2026-0001@3`: what the bulk assignment's checkbox sends (the number and the version seen).
    pick: String,
    title: String,
    proposers: String,
    lead: String,
    status_zh: String,
    due: String,
    /// The next due day's traffic light (code, label) and how far it is, as on My work.
    light: Option<(&'static str, &'static str, String)>,
    assignable: bool,
}

#[derive(Template)]
#[template(path = "staff/suggestions.html")]
struct ListPage {
    chrome: Chrome,
    status: String,
    department: String,
    year: String,
    overdue: bool,
    statuses: Vec<(&'static str, &'static str)>,
    departments: Vec<String>,
    rows: Vec<Row>,
    next: Option<String>,
    first: Option<String>,
    may_file: bool,
    may_assign: bool,
    handlers: Vec<Handler>,
    error: Option<String>,
    skipped: usize,
}

/// The list's filters, from the query string.
struct ListQuery {
    status: String,
    department: String,
    year: String,
    overdue: bool,
    cursor: Option<String>,
}

impl ListQuery {
    fn of(raw: Option<&str>) -> Self {
        let q = FormData::parse(raw.unwrap_or("").as_bytes());
        Self {
            status: q.get("status").trim().to_owned(),
            department: q.get("department").trim().to_owned(),
            year: q.get("year").trim().to_owned(),
            overdue: !q.get("overdue").is_empty(),
            cursor: Some(q.get("cursor").trim().to_owned()).filter(|c| !c.is_empty()),
        }
    }

    /// The query string of these filters (without the cursor).
    fn query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("status", &self.status), ("department", &self.department), ("year", &self.year)] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        if self.overdue {
            q.append_pair("overdue", "1");
        }
        q.finish()
    }

    fn filter(&self) -> Result<SuggestionFilter, AppError> {
        let (from, to) = if self.year.is_empty() {
            (None, None)
        } else {
            match self.year.parse::<i32>() {
                Ok(y) if (2000..=2999).contains(&y) => {
                    (Some(format!("{y}-01-01")), Some(format!("{y}-12-31")))
                }
                _ => {
                    return Err(AppError::Invalid(vec![liaison_core::FieldError::new(
                        "year",
                        &liaison_core::ValueError::OneOf("2000–2999"),
                    )]));
                }
            }
        };
        Ok(SuggestionFilter {
            status: Some(self.status.clone()).filter(|s| !s.is_empty()),
            department: Some(self.department.clone()).filter(|s| !s.is_empty()),
            from,
            to,
            overdue: Some(self.overdue),
            ..SuggestionFilter::default()
        })
    }
}

/// `GET /suggestions`: the list, filtered, a page at a time.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let q = ListQuery::of(raw.as_deref());
    let p = session.principal.clone();
    let mut page = ListPage {
        chrome: Chrome::of(&session, "suggestions"),
        status: q.status.clone(),
        department: q.department.clone(),
        year: q.year.clone(),
        overdue: q.overdue,
        statuses: SuggestionStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        departments: department_names(&s, &p),
        rows: Vec::new(),
        next: None,
        first: q.cursor.as_ref().map(|_| format!("/suggestions?{}", q.query())),
        may_file: p.may(Action::FileSuggestion),
        may_assign: p.may(Action::AssignSuggestion),
        handlers: handlers_of(&s, &p),
        error: None,
        skipped: 0,
    };
    let found = match q.filter() {
        Ok(f) => {
            let cursor = q.cursor.clone();
            let p = p.clone();
            crate::blocking(&s, move |app| app.suggestions(&p, &f, cursor.as_deref(), PAGE_SIZE)).await
        }
        Err(e) => Err(e),
    };
    let found = match found {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error = Some(crate::pages::say(&e));
            return render(StatusCode::FORBIDDEN, &page);
        }
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::NotFound) => {
            page.error = Some(crate::pages::say(&e));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return failed(&e),
    };
    let today = today(&s);
    page.skipped = found.unreadable.len();
    page.rows = found
        .items
        .into_iter()
        .map(|i| {
            let number = i.number.clone().unwrap_or_else(|| "未编号".into());
            let status = SuggestionStatus::from_code(&i.status);
            Row {
                href: path_of(i.number.as_deref(), i.id),
                pick: format!("{}@{}", i.number.as_deref().unwrap_or(""), i.version),
                number,
                title: i.title,
                proposers: super::i18n::join(&i.deputies, "、"),
                lead: i.lead.unwrap_or_default(),
                status_zh: i.status_zh,
                due: i.next_due.map(day).unwrap_or_default(),
                light: i.next_due.map(|d| {
                    let l = s.app.light_of(&session.principal, d);
                    let left = match (d - today).num_days() {
                        n if n < 0 => format!("已逾期 {} 天", -n),
                        0 => "今天到期".to_owned(),
                        n => format!("还有 {n} 天"),
                    };
                    (l.code(), l.zh(), left)
                }),
                assignable: i.number.is_some()
                    && matches!(status, Some(SuggestionStatus::Registered | SuggestionStatus::Returned)),
            }
        })
        .collect();
    page.next = found.next_cursor.map(|c| {
        let mut qs = form_urlencoded::Serializer::new(q.query());
        qs.append_pair("cursor", &c);
        format!("/suggestions?{}", qs.finish())
    });
    render(StatusCode::OK, &page)
}

/// One refusal of a bulk assignment.
pub(crate) struct Refusal {
    number: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "staff/suggestion_assigned.html")]
struct AssignedPage {
    chrome: Chrome,
    assigned: Vec<String>,
    lead: String,
    handler: String,
    refusals: Vec<Refusal>,
    error: Option<String>,
}

/// `POST /suggestions/assign`: assign every selected suggestion (`pick`, `number@version`) to the lead
/// department, co-handlers and handler of the one form, one `assign` each; the page says how many were
/// assigned and lists every refusal with its number and the reason.
pub(crate) async fn bulk_assign(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = FormData::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    let mut page = AssignedPage {
        chrome: Chrome::of(&session, "suggestions"),
        assigned: Vec::new(),
        lead: f.get("lead").trim().to_owned(),
        handler: f.get("handler").trim().to_owned(),
        refusals: Vec::new(),
        error: None,
    };
    if let Err(e) = p.require(Action::AssignSuggestion) {
        page.error = Some(crate::pages::say(&e));
        return render(StatusCode::FORBIDDEN, &page);
    }
    let picks = f.all("pick");
    if picks.is_empty() {
        page.error = Some("没有勾选任何建议：请在列表中勾选要交办的建议。".into());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let co_handlers: Vec<String> = f.all("co").into_iter().filter(|c| !c.trim().is_empty()).collect();
    for pick in picks {
        let (number, version) = pick.rsplit_once('@').unwrap_or((pick.as_str(), ""));
        let number = number.trim().to_owned();
        let Ok(version) = version.parse::<u64>() else {
            page.refusals
                .push(Refusal { number, reason: "页面数据不完整，请刷新列表后重试".into() });
            continue;
        };
        let action = SuggestionAction::Assign {
            lead: page.lead.clone(),
            co_handlers: co_handlers.clone(),
            handler: page.handler.clone(),
        };
        match s.app.suggestion_action(&p, &number, Some(version), action, None).await {
            Ok(_) => page.assigned.push(number),
            Err(e) if e.kind() == ErrorKind::Internal || e.kind() == ErrorKind::Unavailable => {
                return failed(&e);
            }
            Err(e) => page.refusals.push(Refusal { number, reason: refusal_zh(&e) }),
        }
    }
    // The handler by name, as the page shows people.
    if let Some(h) = handlers_of(&s, &p).into_iter().find(|h| h.login == page.handler) {
        page.handler = h.name;
    }
    render(StatusCode::OK, &page)
}

/// A refusal in words for the page: a stale version says to reload, a missing record never repeats an id.
pub(crate) fn refusal_zh(e: &AppError) -> String {
    match e {
        AppError::Stale { .. } => {
            "该建议已被他人修改，您看到的不是最新内容：请刷新页面，核对后再提交。".into()
        }
        AppError::NotFound { what: "suggestion", .. } => "找不到该建议，或者您无权查看。".into(),
        AppError::NotFound { what: "user", .. } => "找不到该承办人的账号（或已停用）。".into(),
        AppError::NotFound { what: "department", .. } => "找不到该部门。".into(),
        AppError::NotFound { what: "deputy", .. } => "找不到该代表。".into(),
        e => {
            use liaison_core::suggestion::SuggestionError as S;
            match e.rule_as::<S>() {
                Some(S::NotASigner(_)) => "所选代表不是本件建议的联名代表。".into(),
                Some(S::PanelOverlap(_)) => "所选代表已是联名代表，不能再列入评价小组。".into(),
                Some(S::NotACoHandler(_)) => "所选部门不是本件建议的协办部门。".into(),
                Some(S::CoOpinionOutstanding(_)) => {
                    "协办部门的书面意见尚未提交：请等待，或在其逾期后记录逾期。".into()
                }
                Some(S::AlreadyRated(_)) => "该代表已评价过本次答复。".into(),
                _ => crate::pages::say(e),
            }
        }
    }
}
