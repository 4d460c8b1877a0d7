//! 代表活动 (C4) on the pages (issue 16, item 4): the activities with their seats and how participants are
//! chosen (the lottery by level, or rotation); the office's form to plan one; an activity's page with its
//! pool by level, the seed's promise, the draw (the drawn by name, level and region, and the draw
//! reproduced from the record by `App::verify_activity_draw`), attendance and feedback, and a form for each
//! step `App::activity_action` takes at that point, with the activity's version (a stale page is refused);
//! the draw is irreversible and asks for re-authentication first. `/activities/fairness` shows
//! `App::fairness` by level. No rule here: every refusal is the app's, said in Chinese.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use liaison_app::{ActivityAction, ActivityInput, ActivityView, AppError, ErrorKind, Principal};
use liaison_core::access::Action;
use liaison_core::activity::{Activity, ActivityError, ActivityKind, Selection};
use liaison_core::dates::china_year;
use liaison_core::login::LoginError;
use liaison_core::lottery::SeedPromise;
use liaison_core::registry::DeputyLevel;
use serde::Deserialize;

use super::charts::{Series, bars};
use super::meetings::Fields;
use super::{Chrome, Cookies, failed, reauth_to, render, see_other, staff, staff_post};
use crate::AppState;

const AT: &str = "activities";
const SELECTIONS: &[(&str, &str)] = &[
    ("lottery", "抽签（各级名额按人数比例分配）"),
    ("lottery-equal", "抽签（各级名额相等）"),
    ("rotation", "轮流（最久未参加的优先）"),
];

fn selection_zh(s: Selection) -> &'static str {
    match s {
        Selection::Lottery { proportional: true } => "抽签（按比例）",
        Selection::Lottery { proportional: false } => "抽签（等额）",
        Selection::Rotation => "轮流",
    }
}

fn levels_zh(a: &Activity) -> String {
    if a.levels.is_empty() {
        "五级代表".to_owned()
    } else {
        super::i18n::labels(a.levels.iter().map(|l| format!("{}级", l.zh())), "、")
    }
}

/// A level's deputies in Chinese (`县级代表`, `全国人大代表`).
fn level_name(l: DeputyLevel) -> String {
    match l {
        DeputyLevel::National => "全国人大代表".to_owned(),
        l => format!("{}级代表", l.zh()),
    }
}

/// A level's code in Chinese (`county` → `县级代表`).
fn level_zh(code: &str) -> Option<String> {
    DeputyLevel::parse(code).ok().map(level_name)
}

/// A stratum's name in Chinese: `{level}/chosen{n}` (the lottery: a level's deputies chosen `n` times
/// before) or `last/{day|never}` (rotation: last chosen on that day, or never).
pub(crate) fn stratum_zh(name: &str) -> String {
    let (head, tail) = name.split_once('/').unwrap_or((name, ""));
    if head == "last" {
        return match tail {
            "never" => "从未参加过的代表".to_owned(),
            day => format!("上次参加于 {day} 的代表"),
        };
    }
    let level = level_zh(head).unwrap_or_else(|| "全体代表".to_owned());
    match tail.strip_prefix("chosen") {
        Some(n) => format!("{level}（以往参加 {n} 次）"),
        None => level,
    }
}

/// An activity in the list.
pub(crate) struct Item {
    id: String,
    title: String,
    kind: &'static str,
    on: String,
    place: String,
    seats: u32,
    how: &'static str,
    levels: String,
    status: &'static str,
    code: &'static str,
}

fn item(a: &Activity) -> Item {
    Item {
        id: a.id.to_string(),
        title: a.title.to_string(),
        kind: a.kind.zh(),
        on: a.on.format("%Y-%m-%d").to_string(),
        place: a.place.to_string(),
        seats: a.seats,
        how: selection_zh(a.selection),
        levels: levels_zh(a),
        status: a.status.zh(),
        code: a.status.code(),
    }
}

/// The planning form as typed.
#[derive(Debug, Default)]
pub(crate) struct NewActivity {
    kind: String,
    title: String,
    on: String,
    place: String,
    seats: String,
    levels: Vec<String>,
    selection: String,
}

#[derive(Template)]
#[template(path = "staff/activities.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<Item>,
    plans: bool,
    kinds: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    selections: &'static [(&'static str, &'static str)],
    form: NewActivity,
    year: i32,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: NewActivity,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let mut all = match crate::blocking(s, move |app| app.activities(&who)).await {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    all.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| a.title.to_string().cmp(&b.title.to_string())));
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = ListPage {
        chrome,
        items: all.iter().map(item).collect(),
        plans: p.may(Action::ManageLiaison),
        kinds: ActivityKind::ALL.iter().map(|k| (k.code(), k.zh())).collect(),
        levels: DeputyLevel::ALL.iter().map(|l| (l.code(), l.zh())).collect(),
        selections: SELECTIONS,
        form,
        year: china_year(s.app.now()),
        error,
    };
    render(status, &page)
}

/// `GET /activities`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = NewActivity { seats: "5".into(), selection: "lottery".into(), ..NewActivity::default() };
    list_page(&s, Chrome::of(&session, AT), &session.principal, form, None).await
}

/// The forms' fields in Chinese.
fn field_zh(f: &str) -> &'static str {
    match f {
        "kind" => "活动类型",
        "title" => "活动名称",
        "on" => "日期",
        "place" => "地点",
        "seats" => "名额",
        "levels" => "代表级别",
        "selection" => "产生方式",
        "public_source" => "公开数据来源",
        "published_on" => "公布日期",
        "secret_seed_reason" => "使用保密种子的理由",
        "seed" => "随机种子",
        "public_value" => "公布的公开数据",
        "reason" => "理由",
        "attended" => "出席代表",
        "deputy" => "代表",
        "text" => "反馈内容",
        _ => "",
    }
}

/// A refusal as a sentence, naming each field in Chinese.
fn field_errors(e: &AppError) -> String {
    super::refusal_text(e, field_zh)
}

fn forbidden() -> (StatusCode, String) {
    (
        StatusCode::FORBIDDEN,
        "您的角色不能进行此操作（代表活动由联络室和联络员安排，重复安排由院领导批准）。".into(),
    )
}

/// Why the app refused, as the page says it, with its status; `None` for a failure that is not the user's.
fn refusal_of(e: &AppError) -> Option<(StatusCode, String)> {
    Some(match e.kind() {
        ErrorKind::Forbidden => forbidden(),
        ErrorKind::Stale => {
            (StatusCode::CONFLICT, "这项活动刚被其他人修改过，页面已更新为最新内容，请核对后再操作。".into())
        }
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, crate::pages::say(e)),
        // The core's sentence names the deputy by id: the page says it without.
        _ if matches!(e.rule_as::<ActivityError>(), Some(ActivityError::NotAParticipant(_))) => {
            (StatusCode::CONFLICT, "所选代表不是这项活动的参加代表。".into())
        }
        ErrorKind::Conflict => (StatusCode::CONFLICT, field_errors(e)),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(e)),
        _ => return None,
    })
}

/// `POST /activities`: plan an activity; its page next, or the form again with what was wrong.
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
    let form = NewActivity {
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        on: f.get("on").to_owned(),
        place: f.get("place").to_owned(),
        seats: f.get("seats").to_owned(),
        levels: f.all("levels"),
        selection: f.get("selection").to_owned(),
    };
    let again = |error: (StatusCode, String), form: NewActivity| {
        list_page(&s, Chrome::of(&session, AT), p, form, Some(error))
    };
    if !p.may(Action::ManageLiaison) {
        return again(forbidden(), form).await;
    }
    let Ok(seats) = form.seats.trim().parse::<u32>() else {
        let why = "名额：请填写一个整数（参加活动的代表人数）。".to_owned();
        return again((StatusCode::UNPROCESSABLE_ENTITY, why), form).await;
    };
    let input = ActivityInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        on: form.on.clone(),
        place: form.place.clone(),
        seats,
        levels: form.levels.clone(),
        selection: form.selection.clone(),
    };
    match s.app.plan_activity(p, &input).await {
        Ok(v) => see_other(&format!("/activities/{}", v.activity.id)),
        Err(e) => match refusal_of(&e) {
            Some(r) => again(r, form).await,
            None => failed(&e),
        },
    }
}

/// A stratum of the pool: level, candidates, seats, each candidate's chance.
pub(crate) struct Stratum {
    level: String,
    candidates: usize,
    quota: usize,
    chance: String,
}

/// A deputy as the page shows them (the id only in forms' values).
pub(crate) struct Person {
    id: String,
    who: String,
    attended: bool,
    feedback: String,
    /// The participant's answer after the draw (`确认参加` / `不能参加`; empty when none), when it was
    /// given, who recorded it for the deputy (empty: the deputy, on the portal) and a decline's reason.
    answer: String,
    answered_on: String,
    recorded_by: String,
    reason: String,
    /// Declined: the seat is free, and the deputy cannot be recorded as attending.
    declined: bool,
}

#[derive(Template)]
#[template(path = "staff/activity_page.html")]
struct ActivityPage {
    chrome: Chrome,
    id: String,
    version: u64,
    title: String,
    kind: &'static str,
    on: String,
    place: String,
    seats: u32,
    how: &'static str,
    levels: String,
    status: &'static str,
    code: &'static str,
    cancelled: String,
    /// Planned again after a cancelled draw: `Some(approval)` once approved ("" while waiting).
    replan: Option<String>,
    strata: Vec<Stratum>,
    /// The seats left by the fixed quotas, shared at the draw: each level's chance of one more.
    shares: Vec<String>,
    /// The drawn by level (`全国 1 名` …).
    drawn_by_level: String,
    /// Seats freed by a decline (not filled again by this draw).
    free_seats: usize,
    fingerprint: String,
    promise: String,
    public: bool,
    /// The secret seed, shown once in the answer to fixing the pool.
    seed_once: Option<String>,
    seed: String,
    public_value: String,
    participants: Vec<Person>,
    verified: Option<bool>,
    verification: String,
    manages: bool,
    approves: bool,
    error: Option<String>,
}

fn chance(v: &ActivityView, stratum: &str) -> String {
    v.inclusion
        .iter()
        .find(|i| i.stratum == stratum)
        .map(|i| {
            let pct =
                if i.denominator == 0 { 0.0 } else { i.numerator as f64 * 100.0 / i.denominator as f64 };
            super::i18n::aside(&format!("{}/{}", i.numerator, i.denominator), &[&format!("{pct:.1}%")])
        })
        .unwrap_or_default()
}

async fn activity_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    seed_once: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let got = crate::blocking(s, move |app| {
        let v = app.activity_view(&who, &key)?;
        let check = match v.activity.draw.as_ref().and_then(|d| d.seed.as_ref()) {
            Some(_) => Some(app.verify_activity_draw(&who, &key)?),
            None => None,
        };
        Ok((v, check))
    })
    .await;
    let (v, check) = match got {
        Ok(x) => x,
        Err(e) => return failed(&e),
    };
    let a = &v.activity;
    let d = a.draw.as_ref();
    let strata = d
        .map(|d| {
            d.strata
                .iter()
                .map(|st| Stratum {
                    level: stratum_zh(&st.name),
                    candidates: st.candidates.len(),
                    quota: st.quota,
                    chance: chance(&v, &st.name),
                })
                .collect()
        })
        .unwrap_or_default();
    let shares = d
        .and_then(|d| d.shares.as_ref())
        .map(|sh| {
            sh.groups
                .iter()
                .map(|g| {
                    let pct = if sh.step == 0 { 0.0 } else { g.length as f64 * 100.0 / sh.step as f64 };
                    format!(
                        "{}：多得 1 个名额的机会 {pct:.1}%",
                        level_zh(&g.name).unwrap_or_else(|| g.name.clone())
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let drawn_by_level = DeputyLevel::ALL
        .iter()
        .filter_map(|l| {
            let n = a
                .participants
                .iter()
                .filter(|d| v.people.get(&d.to_string()).is_some_and(|x| x.level == l.code()))
                .count();
            (n > 0).then(|| format!("{}级 {n} 名", l.zh()))
        })
        .collect::<Vec<_>>();
    let drawn_by_level = super::i18n::labels(&drawn_by_level, "、");
    let (promise, public) = match d.map(|d| &d.promise) {
        Some(SeedPromise::Public { source, published_on }) => {
            (format!("以 {} 公布的“{source}”为随机种子", published_on.format("%Y-%m-%d")), true)
        }
        Some(SeedPromise::Committed { commitment, reason }) => (
            format!(
                "保密随机种子，抽签前已登记其 SM3 承诺值 {commitment}{}",
                reason.as_ref().map(|r| format!("；理由：{r}")).unwrap_or_default()
            ),
            false,
        ),
        None => (String::new(), false),
    };
    let participants = a
        .participants
        .iter()
        .map(|d| Person {
            id: d.to_string(),
            who: liaison_app::shown(&v.people, &d.to_string()),
            attended: a.attended.contains(d),
            feedback: a.feedback.get(d).map(ToString::to_string).unwrap_or_default(),
            answer: a.answer_of(*d).map(|r| r.answer.zh().to_owned()).unwrap_or_default(),
            answered_on: a.answer_of(*d).map(|r| super::day(r.on)).unwrap_or_default(),
            recorded_by: a.answer_of(*d).and_then(|r| r.recorded_by.clone()).unwrap_or_default(),
            reason: match a.answer_of(*d).map(|r| &r.answer) {
                Some(liaison_core::activity::ActivityAnswer::Declined { reason }) => reason.to_string(),
                _ => String::new(),
            },
            declined: a.answer_of(*d).is_some_and(|r| r.answer.declines()),
        })
        .collect();
    let (verified, verification) = match &check {
        Some(c) if c.ok => (
            Some(true),
            format!(
                "验证通过：按记录的抽签池和随机种子重新计算，抽中 {} 人，与记录的结果一致；随机种子与抽签前的约定相符，抽签池指纹 {} 未被改动。",
                c.recomputed.len(),
                c.fingerprint
            ),
        ),
        Some(c) => (
            Some(false),
            format!("验证未通过：{}", super::i18n::join(c.problems.iter().map(|p| p.reason.clone()), "；")),
        ),
        None => (None, String::new()),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = ActivityPage {
        chrome,
        id: a.id.to_string(),
        version: a.version,
        title: a.title.to_string(),
        kind: a.kind.zh(),
        on: a.on.format("%Y-%m-%d").to_string(),
        place: a.place.to_string(),
        seats: a.seats,
        how: selection_zh(a.selection),
        levels: levels_zh(a),
        status: a.status.zh(),
        code: a.status.code(),
        cancelled: a.cancelled.as_ref().map(ToString::to_string).unwrap_or_default(),
        replan: a.replan.as_ref().map(|r| {
            r.approval
                .as_ref()
                .map(|x| format!("{} 于 {} 批准：{}", x.by, x.on.format("%Y-%m-%d"), x.reason))
                .unwrap_or_default()
        }),
        strata,
        shares,
        drawn_by_level,
        free_seats: a.free_seats(),
        fingerprint: d.map(|d| d.fingerprint.clone()).unwrap_or_default(),
        promise,
        public,
        seed_once,
        seed: d.and_then(|d| d.seed.clone()).unwrap_or_default(),
        public_value: d.and_then(|d| d.public_value.clone()).unwrap_or_default(),
        participants,
        verified,
        verification,
        manages: p.may(Action::ManageLiaison),
        approves: p.may(Action::ApproveLiaison),
        error,
    };
    render(status, &page)
}

/// `GET /activities/{id}`.
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
    activity_page(&s, Chrome::of(&session, AT), &session.principal, &id, None, None).await
}

/// `POST /activities/{id}`: `prepare`, `approve_replan`, `draw` (after re-authentication), `hold`,
/// `feedback` or `cancel`, with the version the page was drawn from.
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
    let back = format!("/activities/{id}");
    let again =
        |error: (StatusCode, String)| activity_page(&s, Chrome::of(&session, AT), p, &id, None, Some(error));
    let invalid = |why: &str| (StatusCode::UNPROCESSABLE_ENTITY, why.to_owned());
    let Some(version) = f.version() else {
        return again(invalid("页面缺少活动的版本号，请刷新页面后再操作。")).await;
    };
    let some = |k: &str| Some(f.get(k).trim().to_owned()).filter(|v| !v.is_empty());
    let action = match f.get("action") {
        "prepare" => ActivityAction::Prepare {
            public_source: some("public_source"),
            published_on: some("published_on"),
            secret_seed_reason: some("secret_seed_reason"),
        },
        "approve_replan" => ActivityAction::ApproveReplan { reason: f.get("reason").to_owned() },
        "draw" => {
            if !p.may(Action::ManageLiaison) {
                return again(forbidden()).await;
            }
            match s.app.require_recent_auth(&session) {
                Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to(&back),
                Err(e) => return failed(&e),
                Ok(()) => {}
            }
            ActivityAction::Draw { seed: some("seed"), public_value: some("public_value") }
        }
        "hold" => ActivityAction::Hold { attended: f.all("attended") },
        "feedback" => {
            ActivityAction::Feedback { deputy: f.get("deputy").to_owned(), text: f.get("text").to_owned() }
        }
        "cancel" => ActivityAction::Cancel { reason: f.get("reason").to_owned() },
        _ => return again(invalid("不支持的操作。")).await,
    };
    match s.app.activity_action(p, &id, Some(version), action).await {
        // The secret seed is shown once, on the page that answers fixing the pool.
        Ok(v) if v.seed.is_some() => activity_page(&s, Chrome::of(&session, AT), p, &id, v.seed, None).await,
        Ok(_) => see_other(&back),
        Err(e) => match refusal_of(&e) {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}

/// The fairness page's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
}

/// One level's row.
pub(crate) struct LevelRow {
    level: String,
    deputies: u32,
    drawn: u32,
    attended: u32,
    rate: String,
}

#[derive(Template)]
#[template(path = "staff/activity_fairness.html")]
struct FairnessPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<LevelRow>,
    gini: String,
    participations: u32,
    seats_drawn: u32,
    cancelled_draws: u32,
    chart: String,
}

/// `GET /activities/fairness?year=`: participation by level over the year.
pub(crate) async fn fairness(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| china_year(s.app.now()));
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return failed(&AppError::NotFound { what: "year", id: year.to_string() });
    };
    let who = session.principal.clone();
    let f = match crate::blocking(&s, move |app| app.fairness(&who, from, to)).await {
        Ok(f) => f,
        Err(e) => return failed(&e),
    };
    let rows: Vec<LevelRow> = f
        .by_level
        .iter()
        .map(|l| LevelRow {
            level: level_name(l.level),
            deputies: l.deputies,
            drawn: l.drawn,
            attended: l.attended,
            rate: format!("{:.1}%", f64::from(l.permille) / 10.0),
        })
        .collect();
    let labels: Vec<String> = rows.iter().map(|r| r.level.clone()).collect();
    let chart = bars(
        "fairness",
        &format!("{year} 年各级代表参加活动情况"),
        "人",
        &labels,
        &[
            Series { name: "在任代表", values: rows.iter().map(|r| r.deputies).collect() },
            Series { name: "被抽中", values: rows.iter().map(|r| r.drawn).collect() },
            Series { name: "参加", values: rows.iter().map(|r| r.attended).collect() },
        ],
    );
    let page = FairnessPage {
        chrome: Chrome::of(&session, AT),
        year,
        rows,
        gini: format!("{:.3}", f64::from(f.gini_permille) / 1000.0),
        participations: f.participations,
        seats_drawn: f.seats_drawn,
        cancelled_draws: f.cancelled_draws,
        chart,
    };
    render(StatusCode::OK, &page)
}
