//! 人民监督员 (C4): the deputies appointed as people's, law-enforcement or conduct supervisors, by name,
//! level and region, with their terms (`App::supervisors`); the office's form to appoint one
//! (`App::appoint_supervisor`): the deputy named as on the register, refused with the reason when the
//! deputy may not serve (under 23, a member of a congress standing committee, a lawyer …); and ending an
//! appointment early with a reason (`App::end_supervisor`). The register's special role follows each, so
//! the reviews draw from whom this page lists.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use liaison_app::{Principal, SupervisorInput};
use liaison_core::Localized;
use liaison_core::access::Action;
use liaison_core::dates::china_date;
use liaison_core::ids::DeputyId;
use liaison_core::supervisor::{Ineligible, SupervisorError, SupervisorKind};

use super::reviews::{AT, FORBIDDEN};
use super::{Refusal, invalid, refusal_of, split};
use crate::AppState;
use crate::pages::meetings::{Fields, resolve_all};
use crate::pages::{Chrome, Cookies, day, failed, render, see_other, staff, staff_post};

/// An appointment as the list shows it.
pub(crate) struct Row {
    id: String,
    who: String,
    kind: &'static str,
    term: String,
    ended: String,
    active: bool,
}

/// The form as typed.
#[derive(Debug, Default)]
pub(crate) struct Appointing {
    deputy: String,
    kind: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "staff/supervisors.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    appoints: bool,
    kinds: Vec<(&'static str, &'static str)>,
    form: Appointing,
    bad: &'static str,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: Appointing,
    error: Option<(Refusal, &'static str)>,
) -> Response {
    let who = p.clone();
    let got = crate::blocking(s, move |app| {
        let all = app.supervisors(&who)?;
        // Each deputy by name, level and region as the register has them (the name kept with the
        // appointment when the register no longer holds the deputy).
        Ok(all
            .into_iter()
            .map(|a| {
                let label = app
                    .deputy(&who, DeputyId(a.deputy))
                    .map(|d| {
                        crate::pages::i18n::aside(
                            &d.name,
                            &[&crate::pages::i18n::text(&d.level_zh), &d.region],
                        )
                    })
                    .unwrap_or_else(|_| a.name.clone());
                (a, label)
            })
            .collect::<Vec<_>>())
    })
    .await;
    let mut all = match got {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    all.sort_by(|(a, la), (b, lb)| {
        a.ended.is_some().cmp(&b.ended.is_some()).then(b.from.cmp(&a.from)).then(la.cmp(lb))
    });
    let rows = all
        .into_iter()
        .map(|(a, who)| Row {
            id: a.id.clone(),
            who,
            kind: a.kind.zh(),
            term: format!("{} 至 {}", day(a.from), day(a.to)),
            ended: a.ended.as_ref().map(|(on, why)| format!("{} 终止：{why}", day(*on))).unwrap_or_default(),
            active: a.ended.is_none(),
        })
        .collect();
    let (bad, error) = match error {
        Some((r, bad)) => (bad, Some(r)),
        None => ("", None),
    };
    let (status, error) = split(error);
    let page = ListPage {
        chrome,
        rows,
        appoints: p.may(Action::ManageLiaison),
        kinds: SupervisorKind::ALL.iter().map(|k| (k.code(), k.zh())).collect(),
        form,
        bad,
        error,
    };
    render(status, &page)
}

/// A term of five years from `from` (the last day the day before the fifth anniversary).
fn five_years(from: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(from.year() + 5, from.month(), from.day())
        .or_else(|| NaiveDate::from_ymd_opt(from.year() + 5, from.month(), 28))
        .map_or(from, |d| d.pred_opt().unwrap_or(d))
}

/// `GET /supervisors`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let today = china_date(s.app.now());
    let form = Appointing {
        kind: SupervisorKind::Peoples.code().into(),
        from: today.to_string(),
        to: five_years(today).to_string(),
        ..Appointing::default()
    };
    list_page(&s, Chrome::of(&session, AT), &session.principal, form, None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "deputy" => "代表",
        "kind" => "职务",
        "from" => "任期开始",
        "to" => "任期结束",
        "reason" => "终止理由",
        _ => "",
    }
}

const STALE: &str = "这项任职刚被其他人修改过，页面已更新为最新内容，请核对后再操作。";

/// `POST /supervisors`: appoint; the list again, with the refusal and its reason when the deputy may not
/// serve.
pub(crate) async fn appoint(
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
    let form = Appointing {
        deputy: f.get("deputy").to_owned(),
        kind: f.get("kind").to_owned(),
        from: f.get("from").to_owned(),
        to: f.get("to").to_owned(),
    };
    let again = |r: Refusal, bad: &'static str, form: Appointing| {
        list_page(&s, Chrome::of(&session, AT), p, form, Some((r, bad)))
    };
    if !p.may(Action::ManageLiaison) {
        return again((StatusCode::FORBIDDEN, FORBIDDEN.to_owned()), "", form).await;
    }
    let deputy = match resolve_all(&s, p, &form.deputy).await {
        Ok(Ok(ids)) if ids.len() == 1 => ids.into_iter().next().unwrap_or_default(),
        Ok(Ok(ids)) if ids.is_empty() => {
            return again(invalid("代表：请填写要任命的代表姓名。"), "deputy", form).await;
        }
        Ok(Ok(_)) => return again(invalid("代表：一次只任命一位代表。"), "deputy", form).await,
        Ok(Err(why)) => return again(invalid(format!("代表：{why}")), "deputy", form).await,
        Err(e) => return failed(&e),
    };
    let input =
        SupervisorInput { deputy, kind: form.kind.clone(), from: form.from.clone(), to: form.to.clone() };
    match s.app.appoint_supervisor(p, &input).await {
        Ok(_) => see_other("/supervisors"),
        Err(e) => {
            // Not eligible: the reason, after whom and what.
            if let Some(SupervisorError::Ineligible(Ineligible::Term)) = e.rule_as::<SupervisorError>() {
                return again(invalid("任期结束：任期结束早于开始。"), "to", form).await;
            }
            if let Some(SupervisorError::Ineligible(why)) = e.rule_as::<SupervisorError>() {
                let kind = SupervisorKind::parse(&form.kind).map_or("监督员", |k| k.zh());
                let name = form.deputy.trim().to_owned();
                let r = invalid(format!("代表：{name}不能担任{kind}——{}。", why.zh()));
                return again(r, "deputy", form).await;
            }
            match refusal_of(&e, FORBIDDEN, STALE, field_zh) {
                Some(r) => {
                    let bad = match e.field_errors().first().map(|x| x.field.as_str()) {
                        Some("kind") => "kind",
                        Some("from") => "from",
                        Some("to") => "to",
                        Some("deputy") => "deputy",
                        _ => "",
                    };
                    again(r, bad, form).await
                }
                None => failed(&e),
            }
        }
    }
}

/// `POST /supervisors/{id}/end`: end an appointment early, with the reason.
pub(crate) async fn end(
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
    match s.app.end_supervisor(p, &id, f.get("reason")).await {
        Ok(_) => see_other("/supervisors"),
        Err(e) => match refusal_of(&e, FORBIDDEN, STALE, field_zh) {
            Some(r) => list_page(&s, Chrome::of(&session, AT), p, Appointing::default(), Some((r, ""))).await,
            None => failed(&e),
        },
    }
}
