//! 视察整改 · inspections and evaluations with the congress (R5): the year's list with each one's
//! rectification progress (`App::inspections`); the office's form to plan one (`App::plan_inspection`: the
//! congress's reference, the days, the deputies named as on the register, the materials and the items
//! scored); an inspection's page (`App::inspection`): the participants, the scores by item and by deputy,
//! the opinions, the rectification items with their owner departments, deadlines (with the traffic light
//! of `App::light_of`) and results, and the report back to the congress — each step a form of
//! `App::inspection_action` with the inspection's version.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, InspectionAction, InspectionInput, InspectionView, Principal};
use liaison_core::access::Action;
use liaison_core::dates::china_date;
use liaison_core::inspection::{InspectionError, InspectionKind, InspectionStatus};

use super::reviews::YearQuery;
use super::{Choice, Refusal, due_text, invalid, not_found, refusal_of, split, year_of};
use crate::AppState;
use crate::pages::meetings::{Fields, resolve_all};
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

/// The menu entry of inspections, deliberations and measures.
pub(super) const AT: &str = "inspections";

const FORBIDDEN: &str = "您的角色不能进行此操作（视察、评议及其整改由联络室和联络员登记）。";
const STALE: &str = "这项视察评议刚被其他人修改过，页面已更新为最新内容，请核对后再操作。";

/// A deputy taking part, as shown.
fn signer(s: &liaison_core::suggestion::Signer) -> String {
    crate::pages::i18n::aside(s.name.as_str(), &[&crate::pages::i18n::text(&level_name(s.level))])
}

/// A level as the pages write it after a name (`县级`, `全国`).
pub(super) fn level_name(l: liaison_core::registry::DeputyLevel) -> String {
    match l {
        liaison_core::registry::DeputyLevel::National => "全国".to_owned(),
        l => format!("{}级", l.zh()),
    }
}

/// An inspection in the list.
pub(crate) struct Item {
    id: String,
    title: String,
    kind: &'static str,
    organiser_ref: String,
    when: String,
    status: &'static str,
    class: &'static str,
    progress: String,
}

fn item(v: &InspectionView, today: chrono::NaiveDate) -> Item {
    let i = &v.inspection;
    let done = i.rectifications.iter().filter(|r| r.done.is_some()).count();
    let next = i.rectifications.iter().filter(|r| r.done.is_none()).map(|r| r.deadline).min();
    let progress = match (i.rectifications.len(), next) {
        (0, _) => String::new(),
        (n, Some(due)) => format!("整改 {n} 项，已完成 {done} 项；最近的期限 {}", due_text(due, today)),
        (n, None) => format!("整改 {n} 项，全部完成"),
    };
    Item {
        id: i.id.to_string(),
        title: i.title.to_string(),
        kind: i.kind.zh(),
        organiser_ref: i.organiser_ref.to_string(),
        when: period(i.from, i.to),
        status: i.status.zh(),
        class: match (i.status, next) {
            (InspectionStatus::Reported, _) => "green",
            (_, Some(due)) if due < today => "red",
            _ => "amber",
        },
        progress,
    }
}

fn period(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    if from == to { day(from) } else { format!("{} 至 {}", day(from), day(to)) }
}

/// The planning form as typed.
#[derive(Debug, Default)]
pub(crate) struct Planning {
    kind: String,
    title: String,
    organiser_ref: String,
    from: String,
    to: String,
    participants: String,
    materials: String,
    items: String,
}

#[derive(Template)]
#[template(path = "staff/inspection_list.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    items: Vec<Item>,
    plans: bool,
    kinds: Vec<(&'static str, &'static str)>,
    form: Planning,
    bad: &'static str,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    year: i32,
    form: Planning,
    error: Option<(Refusal, &'static str)>,
) -> Response {
    let who = p.clone();
    let mut all = match crate::blocking(s, move |app| app.inspections(&who)).await {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    let today = china_date(s.app.now());
    all.retain(|v| chrono::Datelike::year(&v.inspection.from) == year);
    all.sort_by_key(|v| std::cmp::Reverse(v.inspection.from));
    let (bad, error) = match error {
        Some((r, bad)) => (bad, Some(r)),
        None => ("", None),
    };
    let (status, error) = split(error);
    let page = ListPage {
        chrome,
        year,
        items: all.iter().map(|v| item(v, today)).collect(),
        plans: p.may(Action::ManageLiaison),
        kinds: InspectionKind::ALL.iter().map(|k| (k.code(), k.zh())).collect(),
        form,
        bad,
        error,
    };
    render(status, &page)
}

/// `GET /inspections?year=`.
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
    let year = year_of(q.year, s.app.now());
    let form = Planning { kind: "inspection".into(), ..Planning::default() };
    list_page(&s, Chrome::of(&session, AT), &session.principal, year, form, None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "kind" => "类型",
        "title" => "名称",
        "organiser_ref" => "人大的文号",
        "from" => "开始日期",
        "to" => "结束日期",
        "participants" => "参加的代表",
        "materials" => "提供的材料",
        "items" => "评议项目",
        "deputy" => "代表",
        "item" => "评议项目",
        "score" => "评分",
        "text" => "内容",
        "owner" => "责任部门",
        "deadline" => "整改期限",
        "result" => "整改结果",
        "n" => "整改事项",
        _ => "",
    }
}

/// Lines of a text area, the empty ones left out.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

/// `POST /inspections`: plan one; its page next, or the form again with what was wrong.
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
    let form = Planning {
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        organiser_ref: f.get("organiser_ref").to_owned(),
        from: f.get("from").to_owned(),
        to: f.get("to").to_owned(),
        participants: f.get("participants").to_owned(),
        materials: f.get("materials").to_owned(),
        items: f.get("items").to_owned(),
    };
    let year = year_of(None, s.app.now());
    let again = |r: Refusal, bad: &'static str, form: Planning| {
        list_page(&s, Chrome::of(&session, AT), p, year, form, Some((r, bad)))
    };
    if !p.may(Action::ManageLiaison) {
        return again((StatusCode::FORBIDDEN, FORBIDDEN.to_owned()), "", form).await;
    }
    let participants = match resolve_all(&s, p, &form.participants).await {
        Ok(Ok(ids)) if ids.is_empty() => {
            return again(invalid("参加的代表：请填写至少一位代表的姓名。"), "participants", form).await;
        }
        Ok(Ok(ids)) => ids,
        Ok(Err(why)) => return again(invalid(format!("参加的代表：{why}")), "participants", form).await,
        Err(e) => return failed(&e),
    };
    let input = InspectionInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        organiser_ref: form.organiser_ref.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        participants,
        materials: lines(&form.materials),
        items: lines(&form.items),
    };
    match s.app.plan_inspection(p, &input).await {
        Ok(v) => see_other(&format!("/inspections/{}", v.inspection.id)),
        Err(e) => match refusal(&e) {
            Some(r) => {
                let bad = match e.field_errors().first().map(|x| x.field.as_str()) {
                    Some("kind") => "kind",
                    Some("title") => "title",
                    Some("organiser_ref") => "organiser_ref",
                    Some("from") => "from",
                    Some("to") => "to",
                    Some("materials") => "materials",
                    Some("items") => "items",
                    _ => "",
                };
                again(r, bad, form).await
            }
            None => failed(&e),
        },
    }
}

/// Why the app refused, as the page says it (a deputy is never named by id).
fn refusal(e: &AppError) -> Option<Refusal> {
    if let Some(InspectionError::NotAParticipant(_)) = e.rule_as::<InspectionError>() {
        return Some((StatusCode::CONFLICT, "所选代表没有参加这次视察评议。".to_owned()));
    }
    refusal_of(e, FORBIDDEN, STALE, field_zh)
}

/// A rectification item as the page shows it.
pub(crate) struct Rect {
    n: u32,
    title: String,
    owner: String,
    due: String,
    light: &'static str,
    light_zh: &'static str,
    result: String,
}

#[derive(Template)]
#[template(path = "staff/inspection_page.html")]
struct InspectionPage {
    chrome: Chrome,
    id: String,
    version: u64,
    title: String,
    kind: &'static str,
    organiser_ref: String,
    when: String,
    status: &'static str,
    code: &'static str,
    participants: Vec<Choice>,
    materials: Vec<String>,
    items: Vec<String>,
    by_item: Vec<(String, String, u32)>,
    by_deputy: Vec<(String, String, u32)>,
    overall: String,
    opinions: Vec<(String, String)>,
    rects: Vec<Rect>,
    open: Vec<(u32, String)>,
    report: String,
    departments: Vec<String>,
    manages: bool,
    error: Option<String>,
}

async fn inspection_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    error: Option<Refusal>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let got = crate::blocking(s, move |app| {
        let v = app.inspection(&who, &key)?;
        let lights: Vec<liaison_app::Light> =
            v.inspection.rectifications.iter().map(|r| app.light_of(&who, r.deadline)).collect();
        Ok((v, lights))
    })
    .await;
    let (v, lights) = match got {
        Ok(x) => x,
        Err(e) => return not_found(&e),
    };
    let departments = crate::pages::suggestions::department_names(s, p);
    let today = china_date(s.app.now());
    let i = &v.inspection;
    let name_of = |d: &liaison_core::ids::DeputyId| {
        i.participants.iter().find(|x| x.deputy == *d).map_or_else(|| "（已不在名单）".to_owned(), signer)
    };
    let rects: Vec<Rect> = i
        .rectifications
        .iter()
        .zip(lights)
        .map(|(r, light)| {
            let done = r.done.as_ref();
            Rect {
                n: r.n,
                title: r.title.to_string(),
                owner: r.owner.name.to_string(),
                due: if done.is_some() { day(r.deadline) } else { due_text(r.deadline, today) },
                light: if done.is_some() { "green" } else { light.code() },
                light_zh: if done.is_some() { "已完成" } else { light.zh() },
                result: done.map(|(on, t)| format!("{} 完成：{t}", day(*on))).unwrap_or_default(),
            }
        })
        .collect();
    let (status, error) = split(error);
    let page = InspectionPage {
        chrome,
        id: i.id.to_string(),
        version: i.version,
        title: i.title.to_string(),
        kind: i.kind.zh(),
        organiser_ref: i.organiser_ref.to_string(),
        when: period(i.from, i.to),
        status: i.status.zh(),
        code: i.status.code(),
        participants: i
            .participants
            .iter()
            .map(|x| Choice { id: x.deputy.to_string(), label: signer(x) })
            .collect(),
        materials: i.materials.iter().map(ToString::to_string).collect(),
        items: i.items.iter().map(ToString::to_string).collect(),
        by_item: v.scores.by_item.iter().map(|(n, avg, k)| (n.clone(), format!("{avg:.1}"), *k)).collect(),
        by_deputy: v
            .scores
            .by_deputy
            .iter()
            .map(|(d, avg, k)| (name_of(d), format!("{avg:.1}"), *k))
            .collect(),
        overall: v.scores.overall.map(|x| format!("{x:.1}")).unwrap_or_default(),
        opinions: i.opinions.iter().map(|(d, t)| (name_of(d), t.to_string())).collect(),
        open: i
            .rectifications
            .iter()
            .filter(|r| r.done.is_none())
            .map(|r| (r.n, r.title.to_string()))
            .collect(),
        rects,
        report: i.report.as_ref().map(|(on, t)| format!("{} 报告：{t}", day(*on))).unwrap_or_default(),
        departments,
        manages: p.may(Action::ManageLiaison),
        error,
    };
    render(status, &page)
}

/// `GET /inspections/{id}`.
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
    inspection_page(&s, Chrome::of(&session, AT), &session.principal, &id, None).await
}

/// `POST /inspections/{id}`: `hold`, `score`, `opinion`, `rectify`, `done` or `report`, with the version
/// the page was drawn from.
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
    let again = |r: Refusal| inspection_page(&s, Chrome::of(&session, AT), p, &id, Some(r));
    let Some(version) = f.version() else {
        return again(invalid("页面缺少视察评议的版本号，请刷新页面后再操作。")).await;
    };
    let action = match f.get("action") {
        "hold" => InspectionAction::Hold {},
        "score" => {
            let Ok(item) = f.get("item").trim().parse::<u32>() else {
                return again(invalid("评议项目：请选择一个评议项目。")).await;
            };
            let Ok(score) = f.get("score").trim().parse::<u8>() else {
                return again(invalid("评分：请填写 0 到 100 之间的整数。")).await;
            };
            InspectionAction::Score { deputy: f.get("deputy").to_owned(), item, score }
        }
        "opinion" => {
            InspectionAction::Opinion { deputy: f.get("deputy").to_owned(), text: f.get("text").to_owned() }
        }
        "rectify" => InspectionAction::Rectify {
            title: f.get("title").to_owned(),
            owner: f.get("owner").to_owned(),
            deadline: f.get("deadline").to_owned(),
        },
        "done" => {
            let Ok(n) = f.get("n").trim().parse::<u32>() else {
                return again(invalid("整改事项：请选择一项整改事项。")).await;
            };
            InspectionAction::Done { n, result: f.get("result").to_owned() }
        }
        "report" => InspectionAction::Report { text: f.get("text").to_owned() },
        _ => return again(invalid("不支持的操作。")).await,
    };
    match s.app.inspection_action(p, &id, Some(version), action).await {
        Ok(_) => see_other(&format!("/inspections/{id}")),
        Err(e) => match refusal(&e) {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
