//! The deputy's notices (read, acknowledge: the existing notice use cases, which show a deputy only the
//! notices it received and only its own part of them) and the deputy's contacts (liaison officer,
//! department, hotline).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::NoticeAction;
use liaison_app::portal::MyLiaison;

use super::{CsrfOnly, Portal, deputy, deputy_post, failed, refusal_sentence};
use crate::AppState;
use crate::pages::{Cookies, day, render, see_other};

/// A notice in the list.
pub(crate) struct Item {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) sent: String,
    pub(crate) acknowledged: Option<String>,
}

#[derive(Template)]
#[template(path = "deputy/notices.html")]
struct Notices {
    portal: Portal,
    items: Vec<Item>,
}

fn acknowledged(v: &liaison_app::NoticeView, p: &liaison_app::Principal) -> Option<String> {
    p.deputy.and_then(|d| v.notice.recipients.get(&d)).and_then(|r| r.acknowledged_on).map(day)
}

/// `GET /deputy/notices`: the notices I received, newest first.
pub(crate) async fn notices(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let list = match s.app.notices(p, None) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let items = list
        .iter()
        .rev()
        .map(|v| Item {
            id: v.notice.id.to_string(),
            title: v.notice.title.to_string(),
            sent: v.notice.sent_on.map(day).unwrap_or_default(),
            acknowledged: acknowledged(v, p),
        })
        .collect();
    render(StatusCode::OK, &Notices { portal: Portal::of(&session, "notices"), items })
}

#[derive(Template)]
#[template(path = "deputy/notice.html")]
struct NoticePage {
    portal: Portal,
    id: String,
    title: String,
    content: String,
    sent: String,
    acknowledged: Option<String>,
    error: Option<String>,
}

fn notice_page(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
    id: &str,
    error: Option<String>,
) -> Response {
    let p = &session.principal;
    let v = match s.app.notice(p, id) {
        Ok(v) => v,
        Err(e) => return failed(&e),
    };
    let page = NoticePage {
        portal: Portal::of(session, "notices"),
        id: v.notice.id.to_string(),
        title: v.notice.title.to_string(),
        content: v.notice.content.to_string(),
        sent: v.notice.sent_on.map(day).unwrap_or_default(),
        acknowledged: acknowledged(&v, p),
        error,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &page)
}

/// `GET /deputy/notices/{id}`.
pub(crate) async fn notice(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => notice_page(&s, &session, &id, None),
        Err(r) => r,
    }
}

/// `POST /deputy/notices/{id}`: acknowledge it (as myself).
pub(crate) async fn acknowledge(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let action = NoticeAction::Acknowledge { deputy: None };
    match s.app.notice_action(&session.principal, &id, None, action).await {
        Ok(_) => see_other(&format!("/deputy/notices/{id}")),
        Err(e)
            if e.kind() == liaison_app::ErrorKind::Conflict
                || e.kind() == liaison_app::ErrorKind::Invalid =>
        {
            notice_page(&s, &session, &id, Some(refusal_sentence(&e)))
        }
        Err(e) => failed(&e),
    }
}

#[derive(Template)]
#[template(path = "deputy/contact.html")]
struct Contact {
    portal: Portal,
    mine: MyLiaison,
}

/// `GET /deputy/contact`: my liaison officer, department and the hotline.
pub(crate) async fn contact(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match s.app.my_liaison(&session.principal) {
        Ok(mine) => render(StatusCode::OK, &Contact { portal: Portal::of(&session, "contact"), mine }),
        Err(e) => failed(&e),
    }
}

/// One of my appointments.
pub(crate) struct Meeting {
    pub(crate) official: String,
    pub(crate) topic: String,
    pub(crate) requested: String,
    pub(crate) state: String,
    pub(crate) detail: String,
}

#[derive(Template)]
#[template(path = "deputy/appointments.html")]
struct Appointments {
    portal: Portal,
    items: Vec<Meeting>,
    officials: Vec<String>,
    official: String,
    topic: String,
    done: bool,
    error: Option<String>,
}

/// `?done=1` after a request.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: Option<String>,
}

fn appointments_page(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
    (official, topic): (String, String),
    done: bool,
    error: Option<String>,
) -> Response {
    let p = &session.principal;
    let (list, mine) = match (s.app.appointments(p, None), s.app.my_liaison(p)) {
        (Ok(l), Ok(m)) => (l, m),
        (Err(e), _) | (_, Err(e)) => return failed(&e),
    };
    let items = list
        .iter()
        .rev()
        .map(|a| Meeting {
            official: a.official.to_string(),
            topic: a.topic.to_string(),
            requested: day(a.requested_on),
            state: a.status.zh().to_owned(),
            detail: match (&a.scheduled, &a.declined) {
                (Some((from, _, place)), _) => format!("{} · {}", from.format("%Y-%m-%d %H:%M"), place),
                (None, Some((why, instead))) => format!("{why}；{instead}"),
                _ => format!("请于 {} 前安排", day(a.meet_by)),
            },
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Appointments {
        portal: Portal::of(session, "appointments"),
        items,
        officials: mine.officials,
        official,
        topic,
        done,
        error,
    };
    render(status, &page)
}

/// `GET /deputy/appointments`: my appointments, and the form to ask for one.
pub(crate) async fn appointments(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    match deputy(&s, cookies, &headers).await {
        Ok((session, _)) => appointments_page(&s, &session, Default::default(), q.done.is_some(), None),
        Err(r) => r,
    }
}

/// The request form.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    official: String,
    #[serde(default)]
    topic: String,
}

/// `POST /deputy/appointments`: ask for an appointment, as myself, online.
pub(crate) async fn request_appointment(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<RequestForm>,
) -> Response {
    let session = match deputy_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let input = liaison_app::AppointmentInput {
        deputy: String::new(),
        official: f.official.clone(),
        channel: String::new(),
        topic: f.topic.clone(),
    };
    match s.app.request_appointment(&session.principal, &input).await {
        Ok(_) => see_other("/deputy/appointments?done=1"),
        Err(e)
            if e.kind() == liaison_app::ErrorKind::Invalid
                || e.kind() == liaison_app::ErrorKind::Conflict =>
        {
            appointments_page(&s, &session, (f.official, f.topic), false, Some(refusal_sentence(&e)))
        }
        Err(e) => failed(&e),
    }
}
