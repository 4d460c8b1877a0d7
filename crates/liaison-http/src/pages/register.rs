//! 代表名册 (issue 16, item 2): the register's pages. `GET /register` searches the register by name, pinyin
//! or initials (`App::deputies`, pinyin order, a page at a time by its cursor; `App::count_deputies`) with
//! the filters `DeputyFilter` has — level, region, status, responsible officer — as a plain GET form that
//! htmx only refreshes in place; contact data masked (`DeputyView`). The deputy's page and the reveal of the
//! full card are in `register/deputy.rs`, the coverage report in `register/coverage.rs`, the import in
//! `register/import.rs`.

mod coverage;
mod deputy;
mod import;
pub(crate) mod organisation;

pub(crate) use coverage::{assign, auto_assign, coverage};
pub(crate) use deputy::{page as deputy_page, reveal};
pub(crate) use import::{confirm as import_confirm, form as import_form, upload as import_upload};

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::views::{DeputyView, OrganisationView};
use liaison_app::{AppError, DeputyFilter, ErrorKind};
use liaison_core::registry::DeputyLevel;
use serde::Deserialize;

use super::{Chrome, Cookies, Notice, failed, render, staff};
use crate::AppState;

/// Deputies on a page of the list.
const PAGE_SIZE: u32 = 20;

/// The statuses of the filter: (code, name).
const STATUSES: &[(&str, &str)] = &[
    ("", "全部状态"),
    ("in_office", "在任"),
    ("registered", "已登记（任期未开始）"),
    ("term_ended", "任期届满"),
    ("removed", "已终止"),
];

/// The list's query: the filter's fields and the page's cursor.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    cursor: String,
}

impl ListQuery {
    /// The app's filter; the officer is named in the page (never an id in the address), and the
    /// organisation's officer of that name is the one the filter asks for.
    fn filter(&self, org: &OrganisationView) -> DeputyFilter {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let officer = some(&self.officer)
            .map(|o| org.officers.iter().find(|x| x.name == o).map_or(o, |x| x.id.to_string()));
        DeputyFilter {
            level: some(&self.level),
            status: some(&self.status),
            region: some(&self.region),
            officer,
            q: some(&self.q),
        }
    }

    /// The query string of this filter (without the cursor).
    fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("level", &self.level),
            ("region", &self.region),
            ("status", &self.status),
            ("officer", &self.officer),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        s.finish()
    }
}

/// One deputy as the list shows it.
pub(crate) struct Row {
    href: String,
    name: String,
    level_zh: String,
    region: String,
    delegation: Option<String>,
    status_zh: &'static str,
    officer: Option<String>,
    mobile: Option<String>,
}

/// An option of a select: (value, label).
type Choice = (String, String);

#[derive(Template)]
#[template(path = "staff/register.html")]
struct RegisterPage {
    chrome: Chrome,
    q: ListQuery,
    levels: Vec<Choice>,
    statuses: &'static [(&'static str, &'static str)],
    regions: Vec<String>,
    officers: Vec<Choice>,
    total: u64,
    rows: Vec<Row>,
    next: Option<String>,
    first: Option<String>,
    error: Option<String>,
    may_read_coverage: bool,
    may_import: bool,
    /// Some filter besides the search is set (the filters are shown open).
    filtered: bool,
}

pub(crate) fn status_zh(code: &str) -> &'static str {
    STATUSES.iter().skip(1).find(|(c, _)| *c == code).map_or("", |(_, zh)| zh)
}

/// `全国`, `省级` … the level's name as a list says it.
pub(crate) fn level_label(zh: &str) -> String {
    if zh == "全国" { "全国人大代表".into() } else { format!("{zh}级人大代表") }
}

fn row(d: DeputyView, org: &OrganisationView) -> Row {
    Row {
        href: format!("/register/{}", d.id),
        level_zh: level_label(&d.level_zh),
        status_zh: status_zh(&d.status),
        officer: d.officer.and_then(|o| org.officers.iter().find(|x| x.id == o)).map(|x| x.name.clone()),
        mobile: d.contact.mobile,
        name: d.name,
        region: d.region,
        delegation: d.delegation,
    }
}

/// The page of an error that is the user's or the account's: 403, 404 or 422 with the app's message;
/// anything else is a failure page.
pub(crate) fn refusal(e: &AppError, back: &'static str) -> Response {
    let (status, title, message) = match e.kind() {
        ErrorKind::Forbidden => (
            StatusCode::FORBIDDEN,
            "没有权限",
            match e {
                AppError::Forbidden { .. } => "您的账号角色不能进行这项操作。".to_owned(),
                _ => crate::pages::say(e),
            },
        ),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "没有找到", "没有找到这名代表。".to_owned()),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "无法完成", crate::pages::say(e)),
        _ => return failed(e),
    };
    render(status, &Notice { title, message, back, back_text: "返回代表名册" })
}

/// `GET /register`: search and filter the register.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    let cursor = Some(q.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let query = ListQuery { cursor: String::new(), ..q.clone() };
    let found = crate::blocking(&s, move |app| {
        let org = app.organisation(&p)?;
        let filter = query.filter(&org);
        let page = app.deputies(&p, &filter, cursor.as_deref(), PAGE_SIZE);
        let total = app.count_deputies(&p, &filter);
        Ok((org, page.and_then(|pg| Ok((pg, total?)))))
    })
    .await;
    let (org, result) = match found {
        Ok(x) => x,
        Err(e) => return refusal(&e, "/"),
    };
    let mut page = RegisterPage {
        chrome: Chrome::of(&session, "register"),
        levels: DeputyLevel::ALL.iter().map(|l| (l.code().to_owned(), level_label(l.zh()))).collect(),
        statuses: STATUSES,
        regions: org.regions.iter().map(|r| r.name.clone()).collect(),
        officers: org
            .officers
            .iter()
            .filter(|o| o.active)
            .map(|o| (o.name.clone(), o.name.clone()))
            .collect(),
        total: 0,
        rows: Vec::new(),
        next: None,
        first: None,
        error: None,
        filtered: [&q.level, &q.region, &q.status, &q.officer].iter().any(|v| !v.trim().is_empty()),
        may_import: session.principal.require(liaison_core::access::Action::ImportRegistry).is_ok(),
        may_read_coverage: session.principal.require(liaison_core::access::Action::ReadCoverage).is_ok(),
        q,
    };
    let qs = page.q.query_string();
    if !page.q.cursor.trim().is_empty() {
        page.first = Some(if qs.is_empty() { "/register".into() } else { format!("/register?{qs}") });
    }
    match result {
        Ok((list, total)) => {
            page.total = total;
            page.next = list.next_cursor.map(|c| {
                let sep = if qs.is_empty() { "" } else { "&" };
                format!("/register?{qs}{sep}cursor={c}")
            });
            page.rows = list.items.into_iter().map(|d| row(d, &org)).collect();
            render(StatusCode::OK, &page)
        }
        Err(e) if e.kind() == ErrorKind::Invalid => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => refusal(&e, "/"),
    }
}
