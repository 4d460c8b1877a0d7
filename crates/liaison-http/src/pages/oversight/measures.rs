//! 视察整改 · improvement measures (整改措施, P1.3): a deputy's reasonable opinion — from a suggestion, a
//! meeting, a visit or the session's deliberation — made a concrete measure with an owner department and a
//! deadline, tracked to its result and reported back to the deputies. The list with each one's traffic
//! light and a filter by state (`App::measures`); the form to open one from a suggestion or from an opinion
//! (`App::open_measure`, the deputies named as on the register); a measure's page with its progress notes,
//! result and report (`App::measure`), and the forms of `App::measure_action` with its version. A
//! department opens and follows its own measures; the office any.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{MeasureAction, MeasureInput, MeasureView, Principal};
use liaison_core::access::Action;
use liaison_core::dates::china_date;
use liaison_core::suggestion::{Measure, MeasureOrigin, MeasureStatus};
use serde::Deserialize;

use super::inspections::{AT, level_name};
use super::{Refusal, due_text, invalid, not_found, refusal_of, split};
use crate::AppState;
use crate::pages::meetings::{Fields, resolve_all};
use crate::pages::suggestions::{department_names, path_of};
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

const FORBIDDEN: &str =
    "您的角色不能进行此操作（整改措施由联络室和责任部门登记，部门只能登记本部门的措施）。";
const STALE: &str = "这项整改措施刚被其他人修改过，页面已更新为最新内容，请核对后再操作。";
const STATUSES: &[(&str, &str)] =
    &[("", "全部"), ("open", "整改中"), ("done", "已完成"), ("reported_back", "已反馈代表")];

/// Where a measure came from, and its link when it is a suggestion.
fn origin(m: &Measure) -> (String, Option<String>) {
    match &m.origin {
        MeasureOrigin::Suggestion { id, number } => {
            let n = number.map(|n| n.to_string());
            (
                format!("代表建议 {}", n.clone().unwrap_or_else(|| "（未编号）".into())),
                Some(path_of(n.as_deref(), id.0)),
            )
        }
        MeasureOrigin::Opinion { text } => (format!("代表意见：{text}"), None),
    }
}

/// A measure in the list.
pub(crate) struct Item {
    id: String,
    title: String,
    owner: String,
    due: String,
    light: &'static str,
    light_zh: &'static str,
    status: String,
    origin: String,
    progress: usize,
}

/// The form as typed.
#[derive(Debug, Default)]
pub(crate) struct Opening {
    title: String,
    description: String,
    owner: String,
    deadline: String,
    suggestion: String,
    opinion: String,
    deputies: String,
}

#[derive(Template)]
#[template(path = "staff/measure_list.html")]
struct ListPage {
    chrome: Chrome,
    status: String,
    statuses: &'static [(&'static str, &'static str)],
    items: Vec<Item>,
    opens: bool,
    departments: Vec<String>,
    form: Opening,
    bad: &'static str,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    status: String,
    form: Opening,
    error: Option<(Refusal, &'static str)>,
) -> Response {
    let (who, st) = (p.clone(), status.clone());
    let got = crate::blocking(s, move |app| {
        let all = app.measures(&who, None, Some(&st))?;
        Ok(all.into_iter().map(|v| (app.light_of(&who, v.measure.deadline), v)).collect::<Vec<_>>())
    })
    .await;
    let mut all = match got {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    all.sort_by(|(_, a), (_, b)| {
        (a.measure.status != MeasureStatus::Open, a.measure.deadline)
            .cmp(&(b.measure.status != MeasureStatus::Open, b.measure.deadline))
    });
    let today = china_date(s.app.now());
    let items = all
        .iter()
        .map(|(light, v)| {
            let m = &v.measure;
            let open = m.status == MeasureStatus::Open;
            Item {
                id: m.id.to_string(),
                title: m.title.to_string(),
                owner: m.owner.name.to_string(),
                due: if open { due_text(m.deadline, today) } else { day(m.deadline) },
                light: if open { light.code() } else { "green" },
                light_zh: if open { light.zh() } else { "已完成" },
                status: v.status_zh.clone(),
                origin: origin(m).0,
                progress: m.progress.len(),
            }
        })
        .collect();
    let (bad, error) = match error {
        Some((r, bad)) => (bad, Some(r)),
        None => ("", None),
    };
    let (code, error) = split(error);
    let page = ListPage {
        chrome,
        status,
        statuses: STATUSES,
        items,
        opens: p.may(Action::ManageMeasures),
        departments: department_names(s, p),
        form,
        bad,
        error,
    };
    render(code, &page)
}

/// The list's filter.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatusQuery {
    #[serde(default)]
    status: Option<String>,
}

/// `GET /measures?status=`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<StatusQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let status = q.status.unwrap_or_default().trim().to_owned();
    if !status.is_empty() && MeasureStatus::from_code(&status).is_none() {
        let chrome = Chrome::of(&session, AT);
        let r = invalid("状态：请从列表中选择。");
        return list_page(&s, chrome, &session.principal, String::new(), Opening::default(), Some((r, "")))
            .await;
    }
    list_page(&s, Chrome::of(&session, AT), &session.principal, status, Opening::default(), None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "title" => "措施",
        "description" => "具体内容",
        "owner" => "责任部门",
        "deadline" => "完成期限",
        "suggestion" => "来源的代表建议编号",
        "opinion" => "代表的意见",
        "deputies" => "需反馈的代表",
        "text" => "内容",
        "department" => "责任部门",
        _ => "",
    }
}

/// `POST /measures`: open a measure; its page next, or the form again with what was wrong.
pub(crate) async fn open(
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
    let form = Opening {
        title: f.get("title").to_owned(),
        description: f.get("description").to_owned(),
        owner: f.get("owner").to_owned(),
        deadline: f.get("deadline").to_owned(),
        suggestion: f.get("suggestion").to_owned(),
        opinion: f.get("opinion").to_owned(),
        deputies: f.get("deputies").to_owned(),
    };
    let again = |r: Refusal, bad: &'static str, form: Opening| {
        list_page(&s, Chrome::of(&session, AT), p, String::new(), form, Some((r, bad)))
    };
    if !p.may(Action::ManageMeasures) {
        return again((StatusCode::FORBIDDEN, FORBIDDEN.to_owned()), "", form).await;
    }
    let deputies = if form.deputies.trim().is_empty() {
        Vec::new()
    } else {
        match resolve_all(&s, p, &form.deputies).await {
            Ok(Ok(ids)) => ids,
            Ok(Err(why)) => return again(invalid(format!("需反馈的代表：{why}")), "deputies", form).await,
            Err(e) => return failed(&e),
        }
    };
    let some = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    let input = MeasureInput {
        title: form.title.clone(),
        description: form.description.clone(),
        owner: form.owner.clone(),
        deadline: form.deadline.clone(),
        suggestion: some(&form.suggestion),
        opinion: some(&form.opinion),
        deputies,
    };
    match s.app.open_measure(p, &input).await {
        Ok(v) => see_other(&format!("/measures/{}", v.measure.id)),
        Err(e) => match refusal_of(&e, FORBIDDEN, STALE, field_zh) {
            Some(r) => {
                let bad = match e.field_errors().first().map(|x| x.field.as_str()) {
                    Some("title") => "title",
                    Some("description") => "description",
                    Some("owner" | "department") => "owner",
                    Some("deadline") => "deadline",
                    Some("suggestion") => "suggestion",
                    Some("opinion") => "opinion",
                    Some("deputies") => "deputies",
                    _ => "",
                };
                again(r, bad, form).await
            }
            None => failed(&e),
        },
    }
}

#[derive(Template)]
#[template(path = "staff/measure_page.html")]
struct MeasurePage {
    chrome: Chrome,
    id: String,
    version: u64,
    title: String,
    description: String,
    status: String,
    code: &'static str,
    owner: String,
    due: String,
    light: &'static str,
    light_zh: &'static str,
    opened: String,
    origin: String,
    origin_href: Option<String>,
    deputies: Vec<String>,
    progress: Vec<(String, String)>,
    result: String,
    report: String,
    manages: bool,
    error: Option<String>,
}

async fn measure_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    error: Option<Refusal>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let got = crate::blocking(s, move |app| {
        let v: MeasureView = app.measure(&who, &key)?;
        Ok((app.light_of(&who, v.measure.deadline), v))
    })
    .await;
    let (light, v) = match got {
        Ok(x) => x,
        Err(e) => return not_found(&e),
    };
    let m = &v.measure;
    let open = m.status == MeasureStatus::Open;
    let (origin, origin_href) = origin(m);
    let (status, error) = split(error);
    let page = MeasurePage {
        chrome,
        id: m.id.to_string(),
        version: m.version,
        title: m.title.to_string(),
        description: m.description.to_string(),
        status: v.status_zh.clone(),
        code: m.status.code(),
        owner: m.owner.name.to_string(),
        due: if open { due_text(m.deadline, china_date(s.app.now())) } else { day(m.deadline) },
        light: if open { light.code() } else { "green" },
        light_zh: if open { light.zh() } else { "已完成" },
        opened: day(m.opened_on),
        origin,
        origin_href,
        deputies: m
            .deputies
            .iter()
            .map(|d| {
                crate::pages::i18n::aside(d.name.as_str(), &[&crate::pages::i18n::text(&level_name(d.level))])
            })
            .collect(),
        progress: m.progress.iter().map(|n| (day(n.on), n.value.to_string())).collect(),
        result: m.result.as_ref().map(|r| format!("{} 完成：{}", day(r.on), r.value)).unwrap_or_default(),
        report: m
            .report
            .as_ref()
            .map(|(r, to)| format!("{} 向 {} 位代表反馈：{}", day(r.on), to.len(), r.value))
            .unwrap_or_default(),
        manages: p.may(Action::ManageMeasures),
        error,
    };
    render(status, &page)
}

/// `GET /measures/{id}`.
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
    measure_page(&s, Chrome::of(&session, AT), &session.principal, &id, None).await
}

/// `POST /measures/{id}`: `progress`, `complete` or `report_back`, with the version the page was drawn from.
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
    let again = |r: Refusal| measure_page(&s, Chrome::of(&session, AT), p, &id, Some(r));
    let Some(version) = f.version() else {
        return again(invalid("页面缺少整改措施的版本号，请刷新页面后再操作。")).await;
    };
    let text = f.get("text").to_owned();
    let action = match f.get("action") {
        "progress" => MeasureAction::Progress { text },
        "complete" => MeasureAction::Complete { text },
        "report_back" => MeasureAction::ReportBack { text },
        _ => return again(invalid("不支持的操作。")).await,
    };
    let name = match &action {
        MeasureAction::Progress { .. } => "进展情况",
        MeasureAction::Complete { .. } => "整改结果",
        MeasureAction::ReportBack { .. } => "反馈内容",
    };
    match s.app.measure_action(p, &id, Some(version), action).await {
        Ok(_) => see_other(&format!("/measures/{id}")),
        Err(e) => match refusal_of(&e, FORBIDDEN, STALE, |f| if f == "text" { name } else { field_zh(f) }) {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
