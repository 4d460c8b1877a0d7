//! The activities a deputy was drawn for (issue 17, item 7), phone first: `/deputy/activities` lists them with
//! my answer and the last day to give or change it, with a confirm and a decline form (the reason required)
//! each carrying the CSRF token and the version seen; `/deputy/activities/{id}/draw` shows the draw's public
//! record (the pool as fixed, the promise, the seed, the drawn in order) as recomputed from the record alone,
//! and `…/draw.json` hands the record itself to anyone who wants to check it with `liaison lottery verify`.
//! Every read and change is `App::my_activities`, `App::my_activity_draw` and `App::answer_activity`, which
//! narrow a deputy's account to its own seats.

use askama::Template;
use axum::Extension;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use liaison_app::login::StaffSession;
use liaison_app::{ActivityAnswerInput, ErrorKind, MyActivity};
use liaison_core::activity::ActivityAnswer;
use liaison_core::lottery::SeedPromise;

use super::{Portal, deputy, deputy_post, failed, refusal_sentence};
use crate::AppState;
use crate::pages::{Cookies, day, render, see_other};

/// One activity in my list.
pub(crate) struct Item {
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) title: String,
    pub(crate) kind: String,
    pub(crate) on: String,
    pub(crate) place: String,
    pub(crate) status: String,
    pub(crate) how: &'static str,
    pub(crate) answer_by: String,
    pub(crate) open: bool,
    /// My answer (`确认参加` / `不能参加`), empty when none.
    pub(crate) answer: String,
    pub(crate) confirmed: bool,
    pub(crate) declined: bool,
    /// The reason of my decline.
    pub(crate) reason: String,
    pub(crate) answered_on: String,
    /// The staff member who recorded my answer (by telephone), empty when I answered here.
    pub(crate) recorded_by: String,
}

impl Item {
    fn of(a: &MyActivity) -> Self {
        let r = a.reply.as_ref();
        Self {
            id: a.id.clone(),
            version: a.version,
            title: a.title.clone(),
            kind: a.kind_zh.clone(),
            on: day(a.on),
            place: a.place.clone(),
            status: a.status_zh.clone(),
            how: if a.by_lot { "抽签选中" } else { "轮流选定" },
            answer_by: day(a.answer_by),
            open: a.open,
            answer: r.map(|r| r.answer.zh().to_owned()).unwrap_or_default(),
            confirmed: r.is_some_and(|r| !r.answer.declines()),
            declined: r.is_some_and(|r| r.answer.declines()),
            reason: match r.map(|r| &r.answer) {
                Some(ActivityAnswer::Declined { reason }) => reason.to_string(),
                _ => String::new(),
            },
            answered_on: r.map(|r| day(r.on)).unwrap_or_default(),
            recorded_by: r.and_then(|r| r.recorded_by.clone()).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "deputy/activities.html")]
struct Activities {
    portal: Portal,
    items: Vec<Item>,
    done: bool,
    /// The activity a refusal is about, and the sentence.
    error: Option<(String, String)>,
    /// The reason typed before a refusal, kept.
    reason: String,
}

fn page(
    s: &AppState,
    session: &StaffSession,
    done: bool,
    error: Option<(String, String)>,
    reason: String,
) -> Response {
    let list = match s.app.my_activities(&session.principal) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let items = list.iter().map(Item::of).collect();
    render(status, &Activities { portal: Portal::of(session, "activities"), items, done, error, reason })
}

/// `?done=1` after an answer.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /deputy/activities`: the activities I was chosen for.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => page(&s, &session, q.done.is_some(), None, String::new()),
        Err(r) => r,
    }
}

/// The answer form.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
}

/// `POST /deputy/activities/{id}`: confirm, or decline with a reason, as myself, at the version I saw.
pub(crate) async fn answer(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let expected = f.version.trim().parse::<u64>().ok();
    let input =
        ActivityAnswerInput { answer: f.answer.clone(), reason: f.reason.clone(), ..Default::default() };
    match s.app.answer_activity(&session.principal, &id, expected, &input).await {
        Ok(_) => see_other(&format!("/deputy/activities?done=1#a-{id}")),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Stale) => {
            let sentence = if e.kind() == ErrorKind::Stale {
                "页面上的活动信息已有更新，请查看最新情况后重新提交。".to_owned()
            } else {
                refusal_sentence(&e)
            };
            page(&s, &session, false, Some((id, sentence)), f.reason)
        }
        Err(e) => failed(&e),
    }
}

/// One stratum of the pool as the record page shows it.
pub(crate) struct Stratum {
    pub(crate) name: String,
    pub(crate) candidates: usize,
    pub(crate) quota: usize,
}

#[derive(Template)]
#[template(path = "deputy/draw.html")]
struct DrawPage {
    portal: Portal,
    id: String,
    title: String,
    on: String,
    matter: String,
    fingerprint: String,
    promise: String,
    seed: String,
    public_value: String,
    strata: Vec<Stratum>,
    drawn: usize,
    my_place: Option<usize>,
    ok: bool,
    problems: Vec<String>,
}

/// `GET /deputy/activities/{id}/draw`: the public record of the draw, verified from the record alone.
pub(crate) async fn draw(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let d = match s.app.my_activity_draw(&session.principal, &id) {
        Ok(d) => d,
        Err(e) => return failed(&e),
    };
    let r = &d.draw;
    let promise = match &r.promise {
        SeedPromise::Public { source, published_on } => {
            format!("以 {} 公布的“{source}”为随机种子", published_on.format("%Y-%m-%d"))
        }
        SeedPromise::Committed { commitment, reason } => format!(
            "保密随机种子，抽签前已登记其 SM3 承诺值 {commitment}{}",
            reason.as_ref().map(|r| format!("；理由：{r}")).unwrap_or_default()
        ),
    };
    let page = DrawPage {
        portal: Portal::of(&session, "activities"),
        id: id.trim().to_owned(),
        title: d.title.clone(),
        on: day(d.on),
        matter: r.matter.clone().unwrap_or_default(),
        fingerprint: r.fingerprint.clone(),
        promise,
        seed: r.seed.clone().unwrap_or_default(),
        public_value: r.public_value.clone().unwrap_or_default(),
        strata: r
            .strata
            .iter()
            .map(|x| Stratum {
                name: crate::pages::activities::stratum_zh(&x.name),
                candidates: x.candidates.len(),
                quota: x.quota,
            })
            .collect(),
        drawn: r.drawn.len(),
        my_place: d.my_place,
        ok: d.verification.ok,
        problems: d.verification.problems.iter().map(|p| p.reason.clone()).collect(),
    };
    render(StatusCode::OK, &page)
}

/// `GET /deputy/activities/{id}/draw.json`: the record itself, for an independent check.
pub(crate) async fn draw_json(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match s.app.my_activity_draw(&session.principal, &id) {
        Ok(d) => Json(d.draw).into_response(),
        Err(e) => failed(&e),
    }
}
