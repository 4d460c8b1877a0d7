//! 视察整改 · 列席审议 (C4): the deliberation of the procuratorate's work report at the congress session.
//! The sessions (`App::deliberations`) with the office's form to open one; a session's page
//! (`App::deliberation`): the groups attended and by whom, every opinion voiced with its deputy, where it
//! went — a suggestion filed, or an improvement measure opened with its owner and deadline — with that
//! item's state, what the deputy was told, and the session's summary; each step a form of
//! `App::deliberation_action` with the record's version. The session closes when every deputy was told.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{DeliberationAction, DeliberationInput, Principal};
use liaison_core::access::Action;
use liaison_core::deliberation::{Deliberation, OpinionStatus, Route};

use super::inspections::{AT, level_name};
use super::{Refusal, invalid, not_found, refusal_of, split};
use crate::AppState;
use crate::pages::meetings::{Fields, names, resolve_all};
use crate::pages::suggestions::{department_names, path_of};
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

const FORBIDDEN: &str = "您的角色不能进行此操作（列席审议的记录由联络室和联络员登记）。";
const STALE: &str = "这份列席审议记录刚被其他人修改过，页面已更新为最新内容，请核对后再操作。";

/// A session in the list.
pub(crate) struct Item {
    id: String,
    session: String,
    opens: String,
    groups: usize,
    opinions: usize,
    told: usize,
    closed: String,
}

fn item(d: &Deliberation) -> Item {
    Item {
        id: d.id.to_string(),
        session: d.session.to_string(),
        opens: day(d.opens_on),
        groups: d.attendances.len(),
        opinions: d.opinions.len(),
        told: d.opinions.iter().filter(|o| o.status == OpinionStatus::Told).count(),
        closed: d.closed_on.map(day).unwrap_or_default(),
    }
}

/// The form as typed.
#[derive(Debug, Default)]
pub(crate) struct Opening {
    session: String,
    opens_on: String,
}

#[derive(Template)]
#[template(path = "staff/deliberation_list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<Item>,
    opens: bool,
    form: Opening,
    bad: &'static str,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: Opening,
    error: Option<(Refusal, &'static str)>,
) -> Response {
    let who = p.clone();
    let mut all = match crate::blocking(s, move |app| app.deliberations(&who)).await {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    all.sort_by_key(|v| std::cmp::Reverse(v.deliberation.opens_on));
    let (bad, error) = match error {
        Some((r, bad)) => (bad, Some(r)),
        None => ("", None),
    };
    let (status, error) = split(error);
    let page = ListPage {
        chrome,
        items: all.iter().map(|v| item(&v.deliberation)).collect(),
        opens: p.may(Action::FileSuggestion),
        form,
        bad,
        error,
    };
    render(status, &page)
}

/// `GET /deliberations`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    list_page(&s, Chrome::of(&session, AT), &session.principal, Opening::default(), None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "session" => "会议",
        "opens_on" => "开幕日期",
        "group" => "代表团（小组）",
        "on" => "列席日期",
        "staff" => "列席人员",
        "deputy" => "代表",
        "text" => "内容",
        "to" => "去向",
        "owner" => "责任部门",
        "deadline" => "完成期限",
        "title" => "标题",
        _ => "",
    }
}

/// `POST /deliberations`: open a session's record; its page next, or the form again.
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
    let form = Opening { session: f.get("session").to_owned(), opens_on: f.get("opens_on").to_owned() };
    let input = DeliberationInput { session: form.session.clone(), opens_on: form.opens_on.clone() };
    match s.app.open_deliberation(p, &input).await {
        Ok(v) => see_other(&format!("/deliberations/{}", v.deliberation.id)),
        Err(e) => match refusal_of(&e, FORBIDDEN, STALE, field_zh) {
            Some(r) => {
                let bad = match e.field_errors().first().map(|x| x.field.as_str()) {
                    Some("session") => "session",
                    Some("opens_on") => "opens_on",
                    _ => "",
                };
                list_page(&s, Chrome::of(&session, AT), p, form, Some((r, bad))).await
            }
            None => failed(&e),
        },
    }
}

/// An opinion as the page shows it.
pub(crate) struct Line {
    n: u32,
    group: String,
    deputy: String,
    text: String,
    status: &'static str,
    code: &'static str,
    handled: String,
    href: Option<String>,
    told: String,
}

#[derive(Template)]
#[template(path = "staff/deliberation_page.html")]
struct SessionPage {
    chrome: Chrome,
    id: String,
    version: u64,
    session: String,
    opens: String,
    closed: String,
    attendances: Vec<(String, String, String)>,
    groups: Vec<String>,
    lines: Vec<Line>,
    recorded: Vec<(u32, String)>,
    routed: Vec<(u32, String)>,
    told: usize,
    departments: Vec<String>,
    manages: bool,
    error: Option<String>,
}

/// The first words of an opinion, for the forms' choices.
fn head(text: &str) -> String {
    let mut h: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        h.push('…');
    }
    h
}

async fn session_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    error: Option<Refusal>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let got = crate::blocking(s, move |app| {
        let v = app.deliberation(&who, &key)?;
        // Where each routed opinion went, as the item now stands.
        let mut handled = Vec::new();
        for o in &v.deliberation.opinions {
            handled.push(match &o.route {
                Some(Route::Suggestion { id, number }) => {
                    let n = number.map(|n| n.to_string());
                    let state =
                        app.suggestion(&who, &id.to_string()).map(|x| x.status_zh).unwrap_or_default();
                    let label = format!("代表建议 {}（{state}）", n.clone().unwrap_or_default());
                    (label, Some(path_of(n.as_deref(), id.0)))
                }
                Some(Route::Measure { id }) => {
                    let m = app.measure(&who, &id.to_string())?;
                    let label = format!(
                        "整改措施“{}”（{}，{}，期限 {}）",
                        m.measure.title,
                        m.measure.owner.name,
                        m.status_zh,
                        day(m.measure.deadline)
                    );
                    (label, Some(format!("/measures/{id}")))
                }
                None => (String::new(), None),
            });
        }
        Ok((v, handled))
    })
    .await;
    let (v, handled) = match got {
        Ok(x) => x,
        Err(e) => return not_found(&e),
    };
    let d = &v.deliberation;
    let mut groups: Vec<String> = d.attendances.iter().map(|a| a.group.to_string()).collect();
    groups.sort();
    groups.dedup();
    let lines: Vec<Line> = d
        .opinions
        .iter()
        .zip(handled)
        .map(|(o, (handled, href))| Line {
            n: o.n,
            group: o.group.to_string(),
            deputy: crate::pages::i18n::aside(
                o.deputy.name.as_str(),
                &[&crate::pages::i18n::text(&level_name(o.deputy.level))],
            ),
            text: o.text.to_string(),
            status: o.status.zh(),
            code: o.status.code(),
            handled,
            href,
            told: o.told.as_ref().map(|(on, t)| format!("{} 告知：{t}", day(*on))).unwrap_or_default(),
        })
        .collect();
    let pick = |st: OpinionStatus| -> Vec<(u32, String)> {
        d.opinions
            .iter()
            .filter(|o| o.status == st)
            .map(|o| (o.n, format!("{}. {}：{}", o.n, o.deputy.name, head(o.text.as_str()))))
            .collect()
    };
    let (status, error) = split(error);
    let page = SessionPage {
        chrome,
        id: d.id.to_string(),
        version: d.version,
        session: d.session.to_string(),
        opens: day(d.opens_on),
        closed: d.closed_on.map(day).unwrap_or_default(),
        attendances: d
            .attendances
            .iter()
            .map(|a| {
                let staff = a.staff.iter().map(ToString::to_string).collect::<Vec<_>>().join("、");
                (day(a.on), a.group.to_string(), staff)
            })
            .collect(),
        groups,
        recorded: pick(OpinionStatus::Recorded),
        routed: pick(OpinionStatus::Routed),
        told: d.opinions.iter().filter(|o| o.status == OpinionStatus::Told).count(),
        lines,
        departments: department_names(s, p),
        manages: p.may(Action::FileSuggestion) && d.closed_on.is_none(),
        error,
    };
    render(status, &page)
}

/// `GET /deliberations/{id}`.
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
    session_page(&s, Chrome::of(&session, AT), &session.principal, &id, None).await
}

/// `POST /deliberations/{id}`: `attend`, `opinion`, `route`, `tell` or `close`, with the version the page
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
    let again = |r: Refusal| session_page(&s, Chrome::of(&session, AT), p, &id, Some(r));
    let Some(version) = f.version() else {
        return again(invalid("页面缺少记录的版本号，请刷新页面后再操作。")).await;
    };
    if !p.may(Action::FileSuggestion) {
        return again((StatusCode::FORBIDDEN, FORBIDDEN.to_owned())).await;
    }
    let number = |k: &str| f.get(k).trim().parse::<u32>().ok();
    let some = |k: &str| Some(f.get(k).trim().to_owned()).filter(|v| !v.is_empty());
    let action = match f.get("action") {
        "attend" => DeliberationAction::Attend {
            group: f.get("group").to_owned(),
            on: f.get("on").to_owned(),
            staff: names(f.get("staff")),
        },
        "opinion" => {
            let deputy = match resolve_all(&s, p, f.get("deputy")).await {
                Ok(Ok(ids)) if ids.len() == 1 => ids.into_iter().next().unwrap_or_default(),
                Ok(Ok(ids)) if ids.is_empty() => {
                    return again(invalid("代表：请填写提出意见的代表姓名。")).await;
                }
                Ok(Ok(_)) => return again(invalid("代表：一条意见只登记一位代表。")).await,
                Ok(Err(why)) => return again(invalid(format!("代表：{why}"))).await,
                Err(e) => return failed(&e),
            };
            DeliberationAction::Opinion {
                group: f.get("group").to_owned(),
                deputy,
                text: f.get("text").to_owned(),
            }
        }
        "route" => {
            let Some(n) = number("n") else {
                return again(invalid("审议意见：请选择一条。")).await;
            };
            DeliberationAction::Route {
                n,
                to: f.get("to").to_owned(),
                owner: some("owner"),
                deadline: some("deadline"),
                title: some("title"),
            }
        }
        "tell" => {
            let Some(n) = number("n") else {
                return again(invalid("审议意见：请选择一条。")).await;
            };
            DeliberationAction::Tell { n, text: f.get("text").to_owned() }
        }
        "close" => DeliberationAction::Close {},
        _ => return again(invalid("不支持的操作。")).await,
    };
    match s.app.deliberation_action(p, &id, Some(version), action).await {
        Ok(_) => see_other(&format!("/deliberations/{id}")),
        Err(e) => match refusal_of(&e, FORBIDDEN, STALE, field_zh) {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
