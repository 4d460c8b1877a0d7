//! 联络热线 (C1): the call log and the form to log a call (`App::log_call`). A deputy's call routed to
//! `建议` is filed as a suggestion at once (source 联络热线) and the log links to its page; a call routed to
//! `约见` links to the appointment form, filled with the caller and the topic.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{CallInput, ErrorKind, Principal};
use liaison_core::access::Action;
use liaison_core::channels::{HotlineCall, Route};
use liaison_core::ids::DeputyId;

use super::{AT, field_zh, not_allowed, picked_deputy, refusal_named};
use crate::AppState;
use crate::pages::meetings::Fields;
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

const ROUTES: &[(&str, &str)] = &[
    ("suggestion", "作为代表建议登记"),
    ("appointment", "转为约见请求"),
    ("service", "转为服务事项"),
    ("petition", "转信访部门"),
    ("other", "当场答复或其他"),
];

/// A call in the log.
pub(crate) struct CallRow {
    at: String,
    caller: String,
    deputy: String,
    topic: String,
    route: &'static str,
    /// The suggestion it became: (link, number or words).
    suggestion: Option<(String, String)>,
    /// For a call routed to an appointment: the appointment form, filled.
    appointment: Option<String>,
}

/// The call form as typed.
#[derive(Debug, Default)]
pub(crate) struct CallForm {
    q: String,
    caller: String,
    topic: String,
    route: String,
}

#[derive(Template)]
#[template(path = "staff/hotline.html")]
struct HotlinePage {
    chrome: Chrome,
    calls: Vec<CallRow>,
    manages: bool,
    routes: &'static [(&'static str, &'static str)],
    form: CallForm,
    error: Option<String>,
}

fn call_row(app: &liaison_app::App, p: &Principal, c: &HotlineCall) -> CallRow {
    let suggestion = c.reference.as_deref().and_then(|r| r.strip_prefix("suggestion:")).map(|id| {
        let number = app.suggestion(p, id).ok().and_then(|v| v.suggestion.number.map(|n| n.to_string()));
        match number {
            Some(n) => (format!("/suggestions/{n}"), format!("已登记为建议 {n}")),
            None => (format!("/suggestions/{id}"), "已登记为建议".to_owned()),
        }
    });
    // The call by its id: the caller's name and what they said never go into a URL (browser history,
    // proxies' logs); the appointment form reads them from the call on the server.
    let appointment = (c.routed_to == Route::Appointment)
        .then(|| format!("/appointments?call={}&channel=hotline#new-appointment", c.id));
    CallRow {
        at: format!("{} {}", day(c.at.date()), c.at.format("%H:%M")),
        caller: c.caller.to_string(),
        deputy: c
            .deputy
            .as_ref()
            .map(|d| format!("{}（{}级代表）", d.name, d.level.zh()))
            .unwrap_or_else(|| "不是名册上的代表".to_owned()),
        topic: c.topic.to_string(),
        route: c.routed_to.zh(),
        suggestion,
        appointment,
    }
}

async fn page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: CallForm,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let calls = crate::blocking(s, move |app| {
        let mut all = app.calls(&who)?;
        all.sort_by_key(|c| std::cmp::Reverse(c.at));
        Ok(all.iter().map(|c| call_row(app, &who, c)).collect::<Vec<_>>())
    })
    .await;
    let calls = match calls {
        Ok(c) => c,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page =
        HotlinePage { chrome, calls, manages: p.may(Action::ManageLiaison), routes: ROUTES, form, error };
    render(status, &page)
}

/// `GET /hotline`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = CallForm { route: "suggestion".into(), ..CallForm::default() };
    page(&s, Chrome::of(&session, AT), &session.principal, form, None).await
}

/// `POST /hotline`: log a call; the log again, or the form with what was wrong.
pub(crate) async fn log(
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
    let form = CallForm {
        q: f.get("q").to_owned(),
        caller: f.get("caller").to_owned(),
        topic: f.get("topic").to_owned(),
        route: f.get("route").to_owned(),
    };
    let again = |error: (StatusCode, String), form: CallForm| {
        page(&s, Chrome::of(&session, AT), p, form, Some(error))
    };
    let deputy = match picked_deputy(&s, p, &f).await {
        Ok(Ok(d)) => d,
        Ok(Err(why)) => return again((StatusCode::UNPROCESSABLE_ENTITY, format!("代表：{why}")), form).await,
        Err(e) => return failed(&e),
    };
    // A deputy's call: the caller is the deputy unless another name is given.
    let caller = match (&deputy, form.caller.trim()) {
        (Some(id), "") => {
            DeputyId::parse(id).ok().and_then(|d| s.app.deputy(p, d).ok()).map(|d| d.name).unwrap_or_default()
        }
        _ => form.caller.clone(),
    };
    let input = CallInput { deputy, caller, topic: form.topic.clone(), route: form.route.clone() };
    match s.app.log_call(p, &input).await {
        Ok(_) => see_other("/hotline"),
        Err(e) => {
            match refusal_named(&e, "条记录", |f| if f == "topic" { "来电内容" } else { field_zh(f) })
            {
                Some(r) => again(r, form).await,
                None => failed(&e),
            }
        }
    }
}
