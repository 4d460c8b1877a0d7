//! 约见热线 (C3, C1, G3, C4) on the pages: the office's workspace of the channels a deputy reaches the
//! procuratorate by. `/appointments` lists the requests to meet an official — who asks whom, by which
//! channel, the acknowledge-by and meet-by days with their traffic lights (`App::light_of`) — with a form
//! to record one; `/appointments/{id}` shows one with the step `App::appointment_action` takes at that
//! point (acknowledge, schedule — a clash refused with its reason —, hold with the record, decline with a
//! reason and an alternative), with the appointment's version (a stale page is refused). The hotline log,
//! the liaison cards and the services and solicitations are in the submodules.
//!
//! A deputy is picked from the register: the name typed (`姓名`, or `姓名（区域）` for a namesake), which
//! htmx also sends to the register's search (`/suggestions/deputies`) so that a match can be ticked. The
//! official is picked from the organisation's leaders and active liaison officers.

mod cards;
mod hotline;
mod services;

pub(crate) use cards::{issue as issue_card, list as cards, print as print_card, revoke as revoke_card};
pub(crate) use hotline::{list as hotline, log as log_call};
pub(crate) use services::{
    act as service_act, list as services, open as open_service, respond as respond_solicitation,
    send as send_solicitation,
};

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, AppointmentAction, AppointmentInput, ErrorKind, Principal};
use liaison_core::access::Action;
use liaison_core::appointment::{Appointment, AppointmentStatus, RequestChannel};
use serde::Deserialize;

use super::meetings::Fields;
use super::{Chrome, Cookies, Notice, day, failed, render, see_other, staff, staff_post};
use crate::AppState;

/// The menu entry of these pages.
const AT: &str = "appointments";

/// The deputy a form names: the one ticked in the search's list, else the name typed in `q` (looked up
/// through the register's search); `Ok(None)` when neither is given, `Ok(Err(why))` when it names none
/// or several.
pub(crate) async fn picked_deputy(
    s: &AppState,
    p: &Principal,
    f: &Fields,
) -> Result<Result<Option<String>, String>, AppError> {
    let picked: Vec<String> = f.all("picked").into_iter().filter(|v| !v.trim().is_empty()).collect();
    match picked.as_slice() {
        [one] => return Ok(Ok(Some(one.clone()))),
        [] => {}
        _ => return Ok(Err("只能勾选一位代表。".into())),
    }
    let typed = f.get("q").trim().to_owned();
    if typed.is_empty() {
        return Ok(Ok(None));
    }
    let who = p.clone();
    crate::blocking(s, move |app| Ok(super::meetings::resolve(app, &who, &typed)?.map(Some))).await
}

/// The people of the organisation an appointment may be with: (id, as shown).
pub(crate) fn officials(s: &AppState, p: &Principal) -> Vec<(String, String)> {
    let Ok(org) = s.app.organisation(p) else { return Vec::new() };
    let leaders = org
        .leaders
        .into_iter()
        .map(|l| (l.id.to_string(), format!("{}{}（院领导）", l.title.unwrap_or_default(), l.name)));
    let officers = org
        .officers
        .into_iter()
        .filter(|o| o.active)
        .map(|o| (o.id.to_string(), format!("{}（联络员）", o.name)));
    leaders.chain(officers).collect()
}

/// The forms' fields in Chinese.
pub(crate) fn field_zh(f: &str) -> &'static str {
    match f {
        "deputy" => "代表",
        "official" => "约见对象",
        "channel" => "约见渠道",
        "topic" => "约见事由",
        "from" => "开始时间",
        "to" => "结束时间",
        "place" => "地点",
        "late_reason" => "逾期安排原因",
        "record" => "约见记录",
        "reason" => "理由",
        "alternative" => "替代安排",
        "caller" => "来电人",
        "route" => "处理方式",
        "officer" => "联络员",
        "telephone" => "联络电话",
        "kind" => "服务类型",
        "description" => "服务内容",
        "result" => "办理结果",
        "item" => "送达资料",
        "title" => "标题",
        "content" => "征求内容",
        "scope" => "征求范围",
        "values" => "范围取值",
        "deputies" => "代表",
        "text" => "意见内容",
        _ => "",
    }
}

/// Why the app refused, as the page says it, with its status; `None` for a failure that is not the user's.
pub(crate) fn refusal_of(e: &AppError, what: &str) -> Option<(StatusCode, String)> {
    refusal_named(e, what, field_zh)
}

/// As [`refusal_of`], with the form's own names of its fields.
pub(crate) fn refusal_named(
    e: &AppError,
    what: &str,
    names: impl Fn(&str) -> &'static str,
) -> Option<(StatusCode, String)> {
    Some(match e.kind() {
        ErrorKind::Forbidden => (
            StatusCode::FORBIDDEN,
            "您的角色不能进行此操作（约见、热线、联络卡和服务由联络室和联络员办理）。".into(),
        ),
        ErrorKind::Stale => (
            StatusCode::CONFLICT,
            format!("这{what}刚被其他人修改过，页面已更新为最新内容，请核对后再操作。"),
        ),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, crate::pages::say(e)),
        ErrorKind::Conflict => (StatusCode::CONFLICT, super::refusal_text(e, &names)),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, super::refusal_text(e, &names)),
        _ => return None,
    })
}

/// A page that says the account may not open this workspace.
pub(crate) fn not_allowed() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &Notice {
            title: "没有权限",
            message: "您的账号角色不能查看约见、热线和联络卡。".into(),
            back: "/",
            back_text: "返回首页",
        },
    )
}

/// The channels a request comes by, for the form.
fn channels() -> Vec<(&'static str, &'static str)> {
    [
        RequestChannel::Hotline,
        RequestChannel::Card,
        RequestChannel::InPerson,
        RequestChannel::Online,
        RequestChannel::Initiative,
    ]
    .iter()
    .map(|c| (c.code(), c.zh()))
    .collect()
}

/// A deadline as the list shows it: the day and its light.
pub(crate) struct Due {
    what: &'static str,
    on: String,
    light: &'static str,
    light_zh: &'static str,
}

/// An appointment in the list.
pub(crate) struct Row {
    href: String,
    deputy: String,
    official: String,
    channel: &'static str,
    topic: String,
    status: &'static str,
    acknowledge_by: String,
    meet_by: String,
    when: String,
    due: Option<Due>,
    late: bool,
}

fn deputy_zh(a: &Appointment) -> String {
    format!("{}（{}级代表）", a.deputy.name, a.deputy.level.zh())
}

fn when(a: &Appointment) -> String {
    a.scheduled
        .as_ref()
        .map(|(f, t, place)| {
            format!("{} {}—{} · {place}", day(f.date()), f.format("%H:%M"), t.format("%H:%M"))
        })
        .unwrap_or_default()
}

fn next_due(s: &AppState, p: &Principal, a: &Appointment) -> Option<Due> {
    let on = a.next_due()?;
    let light = s.app.light_of(p, on);
    let what = if a.status == AppointmentStatus::Requested { "答复期限" } else { "约见期限" };
    Some(Due { what, on: day(on), light: light.code(), light_zh: light.zh() })
}

fn row(s: &AppState, p: &Principal, a: &Appointment) -> Row {
    Row {
        href: format!("/appointments/{}", a.id),
        deputy: deputy_zh(a),
        official: a.official.to_string(),
        channel: a.channel.zh(),
        topic: a.topic.to_string(),
        status: a.status.zh(),
        acknowledge_by: day(a.acknowledge_by),
        meet_by: day(a.meet_by),
        when: when(a),
        due: next_due(s, p, a),
        late: a.late,
    }
}

/// The request form as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewRequest {
    #[serde(default)]
    q: String,
    #[serde(default)]
    official: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    topic: String,
    /// A hotline call (its id) whose caller and topic fill the form.
    #[serde(default)]
    call: String,
}

#[derive(Template)]
#[template(path = "staff/appointments.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    open: usize,
    manages: bool,
    officials: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
    form: NewRequest,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: NewRequest,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let mut all = match crate::blocking(s, move |app| app.appointments(&who, None)).await {
        Ok(a) => a,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    // Open ones first, by their next deadline; then the rest, latest first.
    all.sort_by(|a, b| match (a.next_due(), b.next_due()) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.requested_on.cmp(&a.requested_on),
    });
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = ListPage {
        chrome,
        open: all.iter().filter(|a| a.next_due().is_some()).count(),
        rows: all.iter().map(|a| row(s, p, a)).collect(),
        manages: p.may(Action::ManageLiaison),
        officials: officials(s, p),
        channels: channels(),
        form,
        error,
    };
    render(status, &page)
}

/// `GET /appointments` (`?call=ID` fills the form from a hotline call; `?q=&topic=&channel=` as typed).
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(mut form): Query<NewRequest>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if form.channel.is_empty() {
        form.channel = "hotline".into();
    }
    if !form.call.trim().is_empty() {
        let (p, id) = (session.principal.clone(), form.call.trim().to_owned());
        if let Ok(Some(c)) =
            crate::blocking(&s, move |app| Ok(app.calls(&p)?.into_iter().find(|c| c.id.to_string() == id)))
                .await
        {
            form.q = c.deputy.as_ref().map_or_else(|| c.caller.to_string(), |d| d.name.to_string());
            form.topic = c.topic.to_string();
        }
    }
    list_page(&s, Chrome::of(&session, AT), &session.principal, form, None).await
}

/// `POST /appointments`: record a request; its page next, or the form again with what was wrong.
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let form = NewRequest {
        q: f.get("q").to_owned(),
        official: f.get("official").to_owned(),
        channel: f.get("channel").to_owned(),
        topic: f.get("topic").to_owned(),
        call: String::new(),
    };
    let again = |error: (StatusCode, String), form: NewRequest| {
        list_page(&s, Chrome::of(&session, AT), p, form, Some(error))
    };
    let deputy = match picked_deputy(&s, p, &f).await {
        Ok(Ok(d)) => d.unwrap_or_default(),
        Ok(Err(why)) => return again((StatusCode::UNPROCESSABLE_ENTITY, format!("代表：{why}")), form).await,
        Err(e) => return failed(&e),
    };
    let input = AppointmentInput {
        deputy,
        official: form.official.clone(),
        channel: form.channel.clone(),
        topic: form.topic.clone(),
    };
    match s.app.request_appointment(p, &input).await {
        Ok(a) => see_other(&format!("/appointments/{}", a.id)),
        Err(e) => match refusal_of(&e, "项约见") {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

#[derive(Template)]
#[template(path = "staff/appointment_page.html")]
struct AppointmentPage {
    chrome: Chrome,
    id: String,
    version: u64,
    row: Row,
    code: &'static str,
    requested_on: String,
    late_reason: String,
    record: String,
    declined: Option<(String, String)>,
    manages: bool,
    /// The schedule form's values (kept when refused).
    from: String,
    to: String,
    place: String,
    error: Option<String>,
}

async fn appointment_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    typed: Option<&Fields>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let found = crate::blocking(s, move |app| {
        let all = app.appointments(&who, None)?;
        all.into_iter()
            .find(|a| a.id.to_string() == key)
            .ok_or(AppError::NotFound { what: "appointment", id: key })
    })
    .await;
    let a = match found {
        Ok(a) => a,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let kept = |k: &str| typed.map(|f| f.get(k).to_owned()).unwrap_or_default();
    let page = AppointmentPage {
        chrome,
        id: a.id.to_string(),
        version: a.version,
        row: row(s, p, &a),
        code: a.status.code(),
        requested_on: day(a.requested_on),
        late_reason: a.late_reason.as_ref().map(ToString::to_string).unwrap_or_default(),
        record: a.record.as_ref().map(ToString::to_string).unwrap_or_default(),
        declined: a.declined.as_ref().map(|(r, alt)| (r.to_string(), alt.to_string())),
        manages: p.may(Action::ManageLiaison),
        from: kept("from"),
        to: kept("to"),
        place: kept("place"),
        error,
    };
    render(status, &page)
}

/// `GET /appointments/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    appointment_page(&s, Chrome::of(&session, AT), &session.principal, &id, None, None).await
}

/// A time from the form's `datetime-local` field (`2026-03-10T09:30`) as the use case reads it.
fn time(v: &str) -> String {
    v.trim().replacen('T', " ", 1)
}

/// `POST /appointments/{id}`: `acknowledge`, `schedule`, `hold` or `decline`, with the version the page
/// was drawn from.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let again = |error: (StatusCode, String)| {
        appointment_page(&s, Chrome::of(&session, AT), p, &id, Some(&f), Some(error))
    };
    let Some(version) = f.version() else {
        let why = "页面缺少约见的版本号，请刷新页面后再操作。".to_owned();
        return again((StatusCode::UNPROCESSABLE_ENTITY, why)).await;
    };
    let action = match f.get("action") {
        "acknowledge" => AppointmentAction::Acknowledge {},
        "schedule" => AppointmentAction::Schedule {
            from: time(f.get("from")),
            to: time(f.get("to")),
            place: f.get("place").to_owned(),
            late_reason: Some(f.get("late_reason").to_owned()).filter(|r| !r.trim().is_empty()),
        },
        "hold" => AppointmentAction::Hold { record: f.get("record").to_owned() },
        "decline" => AppointmentAction::Decline {
            reason: f.get("reason").to_owned(),
            alternative: f.get("alternative").to_owned(),
        },
        _ => return again((StatusCode::UNPROCESSABLE_ENTITY, "不支持的操作。".into())).await,
    };
    match s.app.appointment_action(p, &id, Some(version), action).await {
        Ok(_) => see_other(&format!("/appointments/{id}")),
        Err(e) => match refusal_of(&e, "项约见") {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
