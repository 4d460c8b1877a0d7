//! 代表档案: one deputy's card (`App::deputy_card`: masked contact, the officer and department by name) and
//! the timeline of everything involving them (`App::deputy_timeline`), newest first; suggestions link to
//! their page. "显示完整联系方式" posts a reason with the form's CSRF token: the page asks the app whether
//! the session authenticated recently (`App::require_recent_auth`; if not, to `/reauth` and back here),
//! then reads the full card (`App::deputy_full`, which checks the role and the officer's reach, the reason
//! and the bulk-viewing limit, and audits the view with its reason) and shows it once, in a page that is
//! never stored (`no-store`).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::login::StaffSession;
use liaison_app::views::ContactView;
use liaison_app::{AppError, DeputyCard, ErrorKind, TimelineEntry};
use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use serde::Deserialize;

use super::super::{Chrome, Cookies, day, reauth_to, render, staff, staff_post};
use super::{level_label, refusal};
use crate::AppState;

/// One entry of the timeline as the page shows it.
pub(crate) struct Entry {
    on: String,
    kind: String,
    kind_zh: String,
    title: String,
    number: Option<String>,
    role_zh: Option<String>,
    status_zh: String,
    href: Option<String>,
}

fn entry(e: TimelineEntry) -> Entry {
    Entry {
        on: day(e.on),
        href: (e.kind == "suggestion").then(|| format!("/suggestions/{}", e.id)),
        kind: e.kind,
        kind_zh: e.kind_zh,
        title: e.title,
        number: e.number,
        role_zh: e.role_zh,
        status_zh: e.status_zh,
    }
}

/// The contact lines: (label, value).
type Lines = Vec<(&'static str, String)>;

fn lines(c: &ContactView) -> Lines {
    [
        ("手机", &c.mobile),
        ("固定电话", &c.landline),
        ("电子邮箱", &c.email),
        ("通讯地址", &c.address),
        ("身份证号", &c.id_number),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect()
}

#[derive(Template)]
#[template(path = "staff/register_deputy.html")]
struct DeputyPage {
    chrome: Chrome,
    action: String,
    name: String,
    level: String,
    region: String,
    delegation: Option<String>,
    term: String,
    status_zh: String,
    officer: Option<String>,
    department: Option<String>,
    work_unit: Option<String>,
    position: Option<String>,
    special_roles: String,
    /// The same person on other procuratorates' registers (issue 20): one line each.
    other_registers: Vec<String>,
    masked: Lines,
    /// The full card, when it was revealed by this request.
    full: Option<Lines>,
    birth_date: Option<String>,
    may_reveal: bool,
    reason: String,
    reason_error: Option<String>,
    error: Option<String>,
    timeline: Vec<Entry>,
}

impl DeputyPage {
    fn new(session: &StaffSession, id: DeputyId, card: DeputyCard, timeline: Vec<TimelineEntry>) -> Self {
        let d = card.deputy;
        let term = match (d.term_end, d.ended_on) {
            (_, Some(end)) => format!("第 {} 届（{} 至 {}）", d.term, d.term_start, end),
            (Some(end), None) => format!("第 {} 届（{} 至 {}）", d.term, d.term_start, end),
            (None, None) => format!("第 {} 届（{} 起）", d.term, d.term_start),
        };
        DeputyPage {
            chrome: Chrome::of(session, "register"),
            action: format!("/register/{id}/reveal"),
            level: level_label(&d.level_zh),
            masked: lines(&d.contact),
            name: d.name,
            region: d.region,
            delegation: d.delegation,
            term,
            status_zh: card.status_zh,
            officer: card.officer,
            department: card.department,
            work_unit: d.work_unit,
            position: d.position,
            special_roles: crate::pages::i18n::labels(&card.special_roles_zh, "、"),
            other_registers: d.other_registers.into_iter().map(|o| o.text).collect(),
            full: None,
            birth_date: None,
            may_reveal: session.principal.require(Action::ViewPersonalData).is_ok(),
            reason: String::new(),
            reason_error: None,
            error: None,
            timeline: timeline.into_iter().map(entry).collect(),
        }
    }
}

/// The deputy of the path; the 404 page when it is not one (an id that is not one is no deputy).
fn not_found() -> Response {
    refusal(&AppError::NotFound { what: "deputy", id: String::new() }, "/register")
}

/// The card and the timeline, or the page to answer instead.
async fn load(s: &AppState, session: &StaffSession, id: DeputyId) -> Result<DeputyPage, Response> {
    let p = session.principal.clone();
    let read =
        crate::blocking(s, move |app| Ok((app.deputy_card(&p, id)?, app.deputy_timeline(&p, id)?))).await;
    match read {
        Ok((card, timeline)) => Ok(DeputyPage::new(session, id, card, timeline)),
        Err(e) => Err(refusal(&e, "/register")),
    }
}

/// `GET /register/{id}`: the deputy's page.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(id) = DeputyId::parse(id.trim()) else { return not_found() };
    match load(&s, &session, id).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(r) => r,
    }
}

/// The reveal form: why, and the session's token.
#[derive(Debug, Deserialize)]
pub(crate) struct RevealForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `POST /register/{id}/reveal`: the full card, shown once, after a recent authentication and with a
/// stated reason; a missing or refused reason is the page again with the field's error (422), nothing
/// shown.
pub(crate) async fn reveal(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RevealForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(id) = DeputyId::parse(id.trim()) else { return not_found() };
    // The account's role first: proving a factor again would not give it the permission.
    if let Err(e) = session.principal.require(Action::ViewPersonalData) {
        return refusal(&e, "/register");
    }
    let mut page = match load(&s, &session, id).await {
        Ok(page) => page,
        Err(r) => return r,
    };
    page.reason = f.reason.trim().to_owned();
    if page.reason.is_empty() {
        page.reason_error = Some("请填写查看完整联系方式的原因。".into());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match s.app.require_recent_auth(&session) {
        Ok(()) => {}
        Err(e) if e.code() == "login.reauth_required" => return reauth_to(&format!("/register/{id}")),
        Err(e) => return refusal(&e, "/register"),
    }
    match s.app.deputy_full(&session.principal, id, Some(page.reason.clone())).await {
        Ok(full) => {
            page.full = Some(lines(&full.deputy.contact));
            page.birth_date = full.birth_date.map(day);
            render(StatusCode::OK, &page)
        }
        Err(e) if e.field_errors().iter().any(|f| f.field == "reason") => {
            let why = e.field_errors().iter().find(|f| f.field == "reason").map(|f| f.message_zh.clone());
            page.reason_error = why.or_else(|| Some(crate::pages::say(&e)));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) if e.kind() == ErrorKind::TooMany => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error = Some(crate::pages::say(&e));
            render(StatusCode::FORBIDDEN, &page)
        }
        Err(e) => refusal(&e, "/register"),
    }
}
