//! `GET /visits/new` and `POST /visits`: record a visit to a deputy after it happened (`App::record_visit`):
//! the deputy named (looked up through the register's search, exactly one must match), the day, the place,
//! who went, what was learned, and optionally an issue the deputy raised, recorded or filed as a suggestion.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{OpinionInput, VisitInput};
use liaison_core::access::Action;
use liaison_core::dates::china_date;

use super::{AT, Fields, forbidden, names, refusal_of, resolve_all};
use crate::AppState;
use crate::pages::{Chrome, Cookies, failed, render, see_other, staff, staff_post};

const PLACES: &[(&str, &str)] =
    &[("home", "家中"), ("work_unit", "工作单位"), ("office", "办公场所（联络站等）")];
const ROUTES: &[(&str, &str)] = &[("", "仅记录"), ("suggestion", "转为代表建议登记办理")];

/// The visit form.
#[derive(Debug, Default)]
pub(crate) struct VisitForm {
    deputy: String,
    on: String,
    place: String,
    staff: String,
    notes: String,
    issue: String,
    to: String,
}

#[derive(Template)]
#[template(path = "staff/meeting_visit.html")]
struct VisitPage {
    chrome: Chrome,
    form: VisitForm,
    places: &'static [(&'static str, &'static str)],
    routes: &'static [(&'static str, &'static str)],
    /// The field the refusal is about (`deputy` …), marked `aria-invalid`.
    bad: &'static str,
    error: Option<String>,
}

fn visit_page(
    chrome: Chrome,
    form: VisitForm,
    error: Option<(StatusCode, String)>,
    bad: &'static str,
) -> Response {
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.0);
    let page = VisitPage { chrome, form, places: PLACES, routes: ROUTES, bad, error: error.map(|e| e.1) };
    render(status, &page)
}

/// `GET /visits/new`.
pub(crate) async fn form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chrome = Chrome::of(&session, AT);
    if !session.principal.may(Action::ManageLiaison) {
        return visit_page(chrome, VisitForm::default(), Some(forbidden()), "");
    }
    let form = VisitForm {
        on: china_date(s.app.now()).format("%Y-%m-%d").to_string(),
        place: "home".into(),
        staff: session.principal.name.clone(),
        ..VisitForm::default()
    };
    visit_page(chrome, form, None, "")
}

/// `POST /visits`: the visit recorded, then its month's calendar; or the form again with what was wrong.
pub(crate) async fn record(
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
    let form = VisitForm {
        deputy: f.get("deputy").to_owned(),
        on: f.get("on").to_owned(),
        place: f.get("place").to_owned(),
        staff: f.get("staff").to_owned(),
        notes: f.get("notes").to_owned(),
        issue: f.get("issue").to_owned(),
        to: f.get("to").to_owned(),
    };
    let chrome = Chrome::of(&session, AT);
    if !p.may(Action::ManageLiaison) {
        return visit_page(chrome, form, Some(forbidden()), "");
    }
    let unprocessable = |m: String| Some((StatusCode::UNPROCESSABLE_ENTITY, m));
    let deputy = match resolve_all(&s, p, &form.deputy).await {
        Ok(Ok(ids)) if ids.len() == 1 => ids.into_iter().next().unwrap_or_default(),
        Ok(Ok(ids)) if ids.is_empty() => {
            return visit_page(chrome, form, unprocessable("代表：请填写走访的代表姓名。".into()), "deputy");
        }
        Ok(Ok(_)) => {
            return visit_page(
                chrome,
                form,
                unprocessable("代表：一次只登记对一名代表的走访。".into()),
                "deputy",
            );
        }
        Ok(Err(why)) => return visit_page(chrome, form, unprocessable(format!("代表：{why}")), "deputy"),
        Err(e) => return failed(&e),
    };
    let issues = if form.issue.trim().is_empty() {
        Vec::new()
    } else {
        vec![OpinionInput {
            deputy: deputy.clone(),
            text: form.issue.clone(),
            to: Some(form.to.clone()).filter(|t| !t.trim().is_empty()),
            owner: None,
            deadline: None,
        }]
    };
    let input = VisitInput {
        deputy,
        on: form.on.clone(),
        place: form.place.clone(),
        staff: names(&form.staff),
        notes: form.notes.clone(),
        issues,
    };
    match s.app.record_visit(p, &input).await {
        Ok(v) => see_other(&format!("/calendar?month={}", v.on.format("%Y-%m"))),
        Err(e) => match refusal_of(&e, "次走访") {
            Some(r) => {
                let bad = e.field_errors().first().map_or("", |x| match x.field.as_str() {
                    "on" => "on",
                    "place" => "place",
                    "staff" => "staff",
                    "notes" => "notes",
                    "text" => "issue",
                    _ => "",
                });
                visit_page(chrome, form, Some(r), bad)
            }
            None => failed(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_places_are_the_cores() {
        for (code, _) in super::PLACES {
            assert!(liaison_core::meeting::VisitPlace::parse(code).is_ok(), "{code}");
        }
    }
}
