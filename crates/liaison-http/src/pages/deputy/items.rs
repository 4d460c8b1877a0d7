//! The deputy's suggestions (home), one suggestion's page — its timeline, the answer, the rating form
//! (`SuggestionAction::Rate` as the deputy's own account, the use case the API uses) and the re-handling
//! progress — and the published answers of others, rated as one of the body (R1b).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{SuggestionAction, SuggestionFilter};
use liaison_core::suggestion::SuggestionStatus;
use serde::Deserialize;

use super::{Portal, deputy, deputy_post, failed, refusal_sentence};
use crate::AppState;
use crate::pages::suggestions::detail::{at_zh, event_zh};
use crate::pages::{Cookies, day, render, see_other};

/// One of my suggestions in the list.
pub(crate) struct Row {
    pub(crate) path: String,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) with: String,
    pub(crate) lead: String,
    pub(crate) state: String,
    pub(crate) due: String,
}

#[derive(Template)]
#[template(path = "deputy/home.html")]
struct Home {
    portal: Portal,
    rows: Vec<Row>,
}

/// `GET /deputy`: my suggestions (number, title, with whom, state, deadline).
pub(crate) async fn home(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = session.principal.clone();
    let me = p.name.clone();
    let page = match s.app.suggestions(&p, &SuggestionFilter::default(), None, 200) {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    let rows = page
        .items
        .into_iter()
        .rev()
        .map(|x| Row {
            path: format!("/deputy/suggestions/{}", x.number.clone().unwrap_or_else(|| x.id.to_string())),
            number: x.number.unwrap_or_else(|| "未编号".into()),
            title: x.title,
            with: {
                let others: Vec<_> = x.deputies.into_iter().filter(|d| *d != me).collect();
                if others.is_empty() { "本人".into() } else { format!("与{}联名", others.join("、")) }
            },
            lead: x.lead.unwrap_or_default(),
            state: x.status_zh,
            due: x.next_due.map(day).unwrap_or_default(),
        })
        .collect();
    render(StatusCode::OK, &Home { portal: Portal::of(&session, "home"), rows })
}

/// A line of the page: when, what, and its text.
pub(crate) struct Line {
    pub(crate) when: String,
    pub(crate) what: String,
    pub(crate) text: String,
}

#[derive(Template)]
#[template(path = "deputy/suggestion.html")]
struct SuggestionPage {
    portal: Portal,
    key: String,
    number: String,
    title: String,
    content: String,
    state: String,
    with: String,
    lead: String,
    handler: String,
    deadline: String,
    /// Re-handling: its round and due day.
    rehandling: Option<String>,
    /// Transferred (转办): who handles it now and how it stands there, with the reason.
    transfer: Option<String>,
    answers: Vec<Line>,
    /// My rating of the latest answer, when given.
    rated: Option<String>,
    /// The latest answer waits for my rating (until this day).
    rate_until: Option<String>,
    timeline: Vec<Line>,
    done: bool,
    error: Option<String>,
}

/// `?done=1` after a rating.
#[derive(Debug, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: Option<String>,
}

fn suggestion_page(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
    key: &str,
    done: bool,
    error: Option<String>,
) -> Result<SuggestionPage, liaison_app::AppError> {
    let p = &session.principal;
    let view = s.app.suggestion(p, key)?;
    let history = s.app.suggestion_history(p, key)?;
    let x = &view.suggestion;
    let me = p.deputy;
    let others: Vec<String> =
        x.proposers.iter().filter(|d| Some(d.deputy) != me).map(|d| d.name.to_string()).collect();
    let last = x.rounds.last();
    let answered = last.and_then(|r| r.answer.as_ref().map(|a| (r, a)));
    let own = answered.and_then(|(r, _)| me.and_then(|d| r.ratings.get(&d)));
    let rated = own.map(|r| format!("{}（{}）", r.rating.zh(), day(r.on)));
    let rate_until = match (answered, own) {
        (Some((_, a)), None) if matches!(x.status, SuggestionStatus::Answered) => Some(day(a.feedback_due)),
        _ => None,
    };
    let rehandling = (x.status == SuggestionStatus::Rehandling)
        .then(|| last.map(|r| format!("第{}轮重新办理，办理期限 {}", r.n, day(r.due))))
        .flatten();
    let a = x.assignment.as_ref();
    Ok(SuggestionPage {
        portal: Portal::of(session, "home"),
        key: key.to_owned(),
        number: x.number.map_or_else(|| "未编号".into(), |n| n.to_string()),
        title: x.title.to_string(),
        content: x.content.to_string(),
        state: view.status_zh.clone(),
        with: if others.is_empty() { "本人".into() } else { format!("与{}联名", others.join("、")) },
        lead: a.map(|a| a.lead.name.to_string()).unwrap_or_default(),
        handler: a.map(|a| a.handler.name.clone()).unwrap_or_default(),
        deadline: a.map(|a| day(a.deadline)).unwrap_or_default(),
        rehandling,
        transfer: view.transfer.as_ref().filter(|t| t.direction == "out").map(|t| {
            let (on, to, why) = (day(t.on), &t.procuratorate, &t.reason);
            let state = t.status_zh.as_deref().unwrap_or("未知");
            match t.number.as_deref() {
                Some(n) => {
                    format!("本建议已于{on}转{to}办理（该院编号 {n}），目前状态：{state}。转办原因：{why}")
                }
                None => format!("本建议已于{on}转{to}办理，目前状态：{state}。转办原因：{why}"),
            }
        }),
        answers: x
            .rounds
            .iter()
            .filter_map(|r| {
                r.answer.as_ref().map(|a| Line {
                    when: day(a.on),
                    what: format!(
                        "第{}轮答复 · 办理结果 {} 类{}",
                        r.n,
                        a.class.zh(),
                        a.promised_on.map(|d| format!(" · 承诺{}前解决", day(d))).unwrap_or_default()
                    ),
                    text: a.text.to_string(),
                })
            })
            .collect(),
        rated,
        rate_until,
        timeline: history
            .into_iter()
            .rev()
            // The suggestion's own steps: not the readings of its published answer, nor the records about
            // the other deputies it was published to (one per deputy: they drowned the steps).
            .filter(|e| e.kind != "suggestion.viewed" && crate::pages::suggestions::detail::is_step(&e.kind))
            .map(|e| Line {
                when: at_zh(&e.at),
                what: event_zh(&e.kind),
                text: e.concerns.unwrap_or_default(),
            })
            .collect(),
        done,
        error,
    })
}

/// `GET /deputy/suggestions/{key}`.
pub(crate) async fn suggestion(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match suggestion_page(&s, &session, &key, q.done.is_some(), None) {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => failed(&e),
    }
}

/// The rating form.
#[derive(Debug, Deserialize)]
pub(crate) struct RateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

fn rate_action(f: &RateForm) -> SuggestionAction {
    let comment = Some(f.comment.trim().to_owned()).filter(|c| !c.is_empty());
    SuggestionAction::Rate { rating: f.rating.clone(), comment, deputy: None, form_ref: None }
}

/// `POST /deputy/suggestions/{key}`: rate the latest answer as myself (`RateAsDeputy`).
pub(crate) async fn rate(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<RateForm>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match s.app.suggestion_action(&session.principal, &key, None, rate_action(&f), None).await {
        Ok(_) => see_other(&format!("/deputy/suggestions/{key}?done=1")),
        Err(e)
            if e.kind() == liaison_app::ErrorKind::Invalid
                || e.kind() == liaison_app::ErrorKind::Conflict =>
        {
            match suggestion_page(&s, &session, &key, false, Some(refusal_sentence(&e))) {
                Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(e) => failed(&e),
            }
        }
        Err(e) => failed(&e),
    }
}

/// A published answer as the list shows it.
pub(crate) struct Published {
    pub(crate) key: String,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) proposers: String,
    pub(crate) class: String,
    pub(crate) text: String,
    pub(crate) published: String,
    pub(crate) open_until: String,
    pub(crate) rated: Option<String>,
    /// The deputy's own suggestion (a proposer, or on its panel): rated on its own page.
    pub(crate) yours: bool,
}

#[derive(Template)]
#[template(path = "deputy/answers.html")]
struct Answers {
    portal: Portal,
    items: Vec<Published>,
    done: bool,
    error: Option<String>,
}

fn answers_page(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
    done: bool,
    error: Option<String>,
) -> Response {
    let list = match s.app.publications(&session.principal) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let items = list
        .into_iter()
        .map(|v| Published {
            key: v.number.clone().unwrap_or_else(|| v.suggestion.to_string()),
            number: v.number.unwrap_or_else(|| "未编号".into()),
            title: v.title,
            proposers: v.proposers.join("、"),
            class: v.class,
            text: v.text,
            published: day(v.published_on),
            open_until: day(v.open_until),
            rated: v.your_rating,
            yours: v.yours,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &Answers { portal: Portal::of(session, "answers"), items, done, error })
}

/// `GET /deputy/answers`: the answers published to the deputies as a body.
pub(crate) async fn answers(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => answers_page(&s, &session, q.done.is_some(), None),
        Err(r) => r,
    }
}

/// `POST /deputy/answers/{key}`: rate a published answer as one of the body.
pub(crate) async fn rate_answer(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<RateForm>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match s.app.suggestion_action(&session.principal, &key, None, rate_action(&f), None).await {
        Ok(_) => see_other("/deputy/answers?done=1"),
        Err(e)
            if e.kind() == liaison_app::ErrorKind::Invalid
                || e.kind() == liaison_app::ErrorKind::Conflict =>
        {
            answers_page(&s, &session, false, Some(refusal_sentence(&e)))
        }
        Err(e) => failed(&e),
    }
}
