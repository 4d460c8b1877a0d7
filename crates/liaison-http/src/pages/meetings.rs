//! 走访座谈 (R3, P1.2; issue 16, item 4) on the pages: the meetings with deputies — the year's list with a
//! form to plan one, a meeting's page with its agenda, the invited deputies by name and the actions
//! `App::meeting_action` has (invite, hold with attendance and minutes, cancel, record an opinion), each a
//! POST form with the CSRF token and the meeting's version (a stale page is refused). The month calendar
//! and its iCalendar file are in `meetings/calendar.rs`, the visit form in `meetings/visits.rs`, the year's
//! plan with its progress in `meetings/plan.rs`.
//!
//! Deputies are named in the forms, never picked by id: a name (or `姓名（级别，区域）` as a refusal lists
//! them when several share it) is looked up through the register's search (`App::deputies`) and must name
//! exactly one deputy; the use cases then check the rest.

mod calendar;
mod plan;
mod visits;

pub(crate) use calendar::{ics as calendar_ics, page as calendar};
pub(crate) use plan::{act as plan_act, page as plan};
pub(crate) use visits::{form as visit_form, record as record_visit};

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use liaison_app::{
    App, AppError, DeputyFilter, ErrorKind, MeetingAction, MeetingInput, OpinionInput, Principal,
};
use liaison_core::access::Action;
use liaison_core::dates::{china_date, china_year};
use liaison_core::meeting::{Meeting, MeetingError, MeetingStatus};
use serde::Deserialize;

use super::{Chrome, Cookies, Notice, failed, i18n, render, see_other, staff, staff_post};
use crate::AppState;

/// The menu entry of these pages.
const AT: &str = "calendar";

/// A form's fields as sent (`application/x-www-form-urlencoded`), a name possibly repeated (checkboxes).
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Fields(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of `name`, or "".
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// The version the page was drawn from.
    pub(crate) fn version(&self) -> Option<u64> {
        self.get("version").trim().parse().ok()
    }
}

/// Names in one text field, separated by `、`, commas, semicolons or lines.
pub(crate) fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '（' | '(' => {
                depth += 1;
                cur.push(c);
            }
            '）' | ')' => {
                depth -= 1;
                cur.push(c);
            }
            // Inside the brackets a comma separates the level from the region.
            ',' | '，' if depth > 0 => cur.push(c),
            '、' | ',' | '，' | ';' | '；' | '\n' | '\r' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// The one deputy a text names — `姓名`, or `姓名（区域）`, `姓名（级别）`, `姓名（级别，区域）` — looked up
/// through the register's search: `Ok(Ok(id))`, or `Ok(Err(why))` when no deputy or several have that name.
pub(crate) fn resolve(app: &App, p: &Principal, text: &str) -> Result<Result<String, String>, AppError> {
    let text = text.trim();
    let (name, quals) = match text.find(['（', '(']) {
        Some(at) => {
            let inner = text[at..].trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
            let quals: Vec<String> = inner
                .split([',', '，', '、', ' '])
                .map(|q| q.trim().to_owned())
                .filter(|q| !q.is_empty())
                .collect();
            (text[..at].trim(), quals)
        }
        None => (text, Vec::new()),
    };
    if name.is_empty() {
        return Ok(Err("请填写代表姓名。".into()));
    }
    let filter = DeputyFilter { q: Some(name.to_owned()), ..DeputyFilter::default() };
    let found = app.deputies(p, &filter, None, 200)?.items;
    let label = |d: &liaison_app::views::DeputyView| format!("{}（{}，{}）", d.name, d.level_zh, d.region); // zh: the form a name is typed in
    let fits = |d: &liaison_app::views::DeputyView| {
        quals.iter().all(|q| {
            let q = q.trim_end_matches("人大代表").trim_end_matches('级');
            q == d.level_zh || q == d.region
        })
    };
    let same: Vec<_> = found.iter().filter(|d| d.name == name && fits(d)).collect();
    match same.as_slice() {
        [one] => Ok(Ok(one.id.to_string())),
        [] if found.is_empty() => Ok(Err(format!("名册上没有名叫“{name}”的代表，请核对姓名。"))),
        [] => {
            let near: Vec<String> = found.iter().take(5).map(label).collect();
            Ok(Err(format!("名册上没有与“{text}”相符的代表。姓名相近的有：{}。", near.join("、"))))
        }
        several => {
            let all: Vec<String> = several.iter().map(|d| label(d)).collect();
            Ok(Err(format!(
                "名册上有 {} 位名叫“{name}”的代表：{}。请照其中一位的写法填写（连同括号里的级别和区域）。",
                several.len(),
                all.join("、")
            )))
        }
    }
}

/// Resolve every name of a field: the ids, or one sentence naming what was wrong with each.
pub(crate) async fn resolve_all(
    s: &AppState,
    p: &Principal,
    text: &str,
) -> Result<Result<Vec<String>, String>, AppError> {
    let (who, list) = (p.clone(), names(text));
    crate::blocking(s, move |app| {
        let mut ids = Vec::new();
        let mut problems = Vec::new();
        for n in &list {
            match resolve(app, &who, n)? {
                Ok(id) => ids.push(id),
                Err(why) => problems.push(why),
            }
        }
        Ok(if problems.is_empty() { Ok(ids) } else { Err(problems.join(" ")) })
    })
    .await
}

/// A refusal as a sentence, naming the forms' fields in Chinese.
pub(crate) fn field_errors(e: &AppError) -> String {
    let name = |f: &str| match f {
        "title" => "会议名称",
        "on" => "日期",
        "place" => "地点",
        "agenda" => "议程",
        "invite" | "deputies" => "邀请代表",
        "attended" => "出席代表",
        "minutes" => "会议纪要",
        "reason" => "取消原因",
        "text" => "意见内容",
        "to" => "意见去向",
        "owner" => "责任部门",
        "deadline" => "完成期限",
        "deputy" => "代表",
        "staff" => "走访人员",
        "notes" => "走访情况",
        "period" => "计划期间",
        "meetings" => "座谈会次数",
        "reached_percent" => "走访覆盖率",
        "notices" => "重大事项通报次数",
        "activities" => "代表活动次数",
        _ => "",
    };
    super::refusal_text(e, name)
}

/// The refusal of an account whose role may not do this.
pub(crate) fn forbidden() -> (StatusCode, String) {
    (
        StatusCode::FORBIDDEN,
        "您的角色不能进行此操作（座谈会、走访和工作计划由联络室和联络员办理，计划由院领导通过）。".into(),
    )
}

/// Why the app refused, as the page says it, with its status; `None` for a failure that is not the user's.
pub(crate) fn refusal_of(e: &AppError, what: &str) -> Option<(StatusCode, String)> {
    Some(match e.kind() {
        ErrorKind::Forbidden => forbidden(),
        ErrorKind::Stale => (
            StatusCode::CONFLICT,
            format!("这{what}刚被其他人修改过，页面已更新为最新内容，请核对后再操作。"),
        ),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, crate::pages::say(e)),
        // The core's sentence names the deputy by id: the page says it without.
        _ if matches!(e.rule_as::<MeetingError>(), Some(MeetingError::NotPresent(_))) => {
            (StatusCode::CONFLICT, "所选代表未受邀参加或未出席这次会议。".into())
        }
        ErrorKind::Conflict => (StatusCode::CONFLICT, field_errors(e)),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(e)),
        _ => return None,
    })
}

/// A page that says the account may not open this (its role has no such permission).
pub(crate) fn not_allowed() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &Notice {
            title: "没有权限",
            message: "您的账号角色不能查看或办理走访座谈。".into(),
            back: "/",
            back_text: "返回首页",
        },
    )
}

const AGENDA_HINT: &str = "每行一项；可用“工作报告：”“案件：”“信访：”开头标明类别，不标即为其他。";

/// A meeting in the list.
pub(crate) struct Row {
    href: String,
    title: String,
    on: String,
    place: String,
    status: &'static str,
    class: &'static str,
    invited: usize,
    attended: usize,
}

fn row(m: &Meeting) -> Row {
    Row {
        href: format!("/meetings/{}", m.id),
        title: m.title.to_string(),
        on: m.on.format("%Y-%m-%d").to_string(),
        place: m.place.to_string(),
        status: status_zh(m.status),
        class: status_class(m.status),
        invited: m.invited.len(),
        attended: m.attended.len(),
    }
}

/// A meeting's status as the pages say it (a planned one is still to be held).
pub(crate) fn status_zh(s: MeetingStatus) -> &'static str {
    match s {
        MeetingStatus::Planned => "待召开",
        other => other.zh(),
    }
}

fn status_class(s: MeetingStatus) -> &'static str {
    match s {
        MeetingStatus::Planned => "amber",
        MeetingStatus::Held => "green",
        MeetingStatus::Cancelled => "cancelled",
    }
}

/// The plan-a-meeting form.
#[derive(Debug, Default)]
pub(crate) struct NewMeeting {
    title: String,
    on: String,
    place: String,
    agenda: String,
    invite: String,
}

#[derive(Template)]
#[template(path = "staff/meetings.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<Row>,
    manages: bool,
    form: NewMeeting,
    agenda_hint: &'static str,
    error: Option<String>,
}

/// The list's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    year: i32,
    form: NewMeeting,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Notice {
                title: "无法完成", message: "年度有误。".into(), back: "/meetings", back_text: "返回"
            },
        );
    };
    let meetings = match crate::blocking(s, move |app| app.meetings(&who, from, to)).await {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.0);
    let page = ListPage {
        chrome,
        year,
        rows: meetings.iter().map(row).collect(),
        manages: p.may(Action::ManageLiaison),
        form,
        agenda_hint: AGENDA_HINT,
        error: error.map(|e| e.1),
    };
    render(status, &page)
}

/// `GET /meetings?year=`: the year's meetings, and the form to plan one.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let year = q.year.unwrap_or_else(|| china_year(s.app.now()));
    let chrome = Chrome::of(&session, AT);
    let form = NewMeeting { agenda: "工作报告：".into(), ..NewMeeting::default() };
    list_page(&s, chrome, &session.principal, year, form, None).await
}

/// `POST /meetings`: plan a meeting; its page next, or the form again with what was wrong.
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
    let form = NewMeeting {
        title: f.get("title").to_owned(),
        on: f.get("on").to_owned(),
        place: f.get("place").to_owned(),
        agenda: f.get("agenda").to_owned(),
        invite: f.get("invite").to_owned(),
    };
    let year = china_year(s.app.now());
    let again = |error: (StatusCode, String), form: NewMeeting| {
        list_page(&s, Chrome::of(&session, AT), p, year, form, Some(error))
    };
    if !p.may(Action::ManageLiaison) {
        return again(forbidden(), form).await;
    }
    let invite = match resolve_all(&s, p, &form.invite).await {
        Ok(Ok(ids)) => ids,
        Ok(Err(why)) => {
            return again((StatusCode::UNPROCESSABLE_ENTITY, format!("邀请代表：{why}")), form).await;
        }
        Err(e) => return failed(&e),
    };
    let input = MeetingInput {
        title: form.title.clone(),
        on: form.on.clone(),
        place: form.place.clone(),
        agenda: form.agenda.lines().map(str::to_owned).collect(),
        invite,
    };
    match s.app.plan_meeting(p, &input).await {
        Ok(m) => see_other(&format!("/meetings/{}", m.id)),
        Err(e) => match refusal_of(&e, "次会议") {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

/// A deputy on a meeting's page.
pub(crate) struct Person {
    id: String,
    who: String,
    attended: bool,
}

/// An opinion on a meeting's page.
pub(crate) struct Raised {
    who: String,
    text: String,
    became: &'static str,
}

#[derive(Template)]
#[template(path = "staff/meeting_page.html")]
struct MeetingPage {
    chrome: Chrome,
    id: String,
    version: u64,
    title: String,
    on: String,
    month: String,
    month_zh: String,
    place: String,
    status: &'static str,
    code: &'static str,
    agenda: Vec<(String, String)>,
    invited: Vec<Person>,
    minutes: Option<String>,
    cancelled: Option<String>,
    opinions: Vec<Raised>,
    manages: bool,
    /// The day has come (a meeting is held on or after its day).
    due: bool,
    error: Option<String>,
}

async fn meeting_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    error: Option<(StatusCode, String)>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let v = match crate::blocking(s, move |app| app.meeting_view(&who, &key)).await {
        Ok(v) => v,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return render(
                StatusCode::NOT_FOUND,
                &Notice {
                    title: "没有找到",
                    message: "没有找到这次会议。".into(),
                    back: "/meetings",
                    back_text: "返回座谈会",
                },
            );
        }
        Err(e) => return failed(&e),
    };
    let m = &v.meeting;
    let label = |d: &liaison_core::ids::DeputyId| {
        let key = d.to_string();
        v.people.get(&key).map(liaison_app::PersonLabel::display).or_else(|| {
            m.invited
                .iter()
                .find(|s| s.deputy == *d)
                .map(|s| i18n::aside(&s.name.to_string(), &[&i18n::text(s.level.zh())]))
        })
    };
    let invited = m
        .invited
        .iter()
        .map(|s| Person {
            id: s.deputy.to_string(),
            who: label(&s.deputy).unwrap_or_else(|| s.name.to_string()),
            attended: m.attended.contains(&s.deputy),
        })
        .collect();
    let opinions = m
        .opinions
        .iter()
        .map(|o| Raised {
            who: label(&o.deputy).unwrap_or_else(|| "（已不在名册）".into()),
            text: o.text.to_string(),
            became: match o.became.as_deref() {
                Some(b) if b.starts_with("suggestion:") => "已转为代表建议",
                Some(b) if b.starts_with("measure:") => "已转为整改措施",
                _ => "已记录",
            },
        })
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.0);
    let page = MeetingPage {
        chrome,
        id: m.id.to_string(),
        version: m.version,
        title: m.title.to_string(),
        on: m.on.format("%Y-%m-%d").to_string(),
        month: m.on.format("%Y-%m").to_string(),
        month_zh: m.on.format("%Y年%-m月").to_string(), // zh: a date, in English by the catalogue
        place: m.place.to_string(),
        status: status_zh(m.status),
        code: m.status.code(),
        agenda: m.agenda.iter().map(|a| (a.kind.zh().to_owned(), a.title.to_string())).collect(),
        invited,
        minutes: m.minutes.as_ref().map(ToString::to_string),
        cancelled: m.cancelled.as_ref().map(ToString::to_string),
        opinions,
        manages: p.may(Action::ManageLiaison),
        due: china_date(s.app.now()) >= m.on,
        error: error.map(|e| e.1),
    };
    render(status, &page)
}

/// `GET /meetings/{id}`.
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
    meeting_page(&s, Chrome::of(&session, AT), &session.principal, &id, None).await
}

/// `POST /meetings/{id}`: `invite`, `hold`, `cancel` or `opinion`, with the version the page was drawn from.
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
    let again = |error: (StatusCode, String)| meeting_page(&s, Chrome::of(&session, AT), p, &id, Some(error));
    let invalid = |why: String| (StatusCode::UNPROCESSABLE_ENTITY, why);
    let action = match f.get("action") {
        "invite" => match resolve_all(&s, p, f.get("deputies")).await {
            Ok(Ok(deputies)) if deputies.is_empty() => {
                return again(invalid("邀请代表：请填写要邀请的代表姓名。".into())).await;
            }
            Ok(Ok(deputies)) => MeetingAction::Invite { deputies },
            Ok(Err(why)) => return again(invalid(format!("邀请代表：{why}"))).await,
            Err(e) => return failed(&e),
        },
        "hold" => MeetingAction::Hold { attended: f.all("attended"), minutes: f.get("minutes").to_owned() },
        "cancel" => MeetingAction::Cancel { reason: f.get("reason").to_owned() },
        "opinion" => {
            let some = |k: &str| Some(f.get(k).to_owned()).filter(|v| !v.trim().is_empty());
            MeetingAction::Opinion {
                opinion: OpinionInput {
                    deputy: f.get("deputy").to_owned(),
                    text: f.get("text").to_owned(),
                    to: some("to"),
                    owner: some("owner"),
                    deadline: some("deadline"),
                },
            }
        }
        _ => return again(invalid("不支持的操作。".into())).await,
    };
    match s.app.meeting_action(p, &id, f.version(), action).await {
        Ok(_) => see_other(&format!("/meetings/{id}")),
        Err(e) => match refusal_of(&e, "次会议") {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
