//! `GET /plan?period=2026`: a period's liaison work plan (`App::plan`) — its targets, each with a progress
//! bar and the numbers beside it (planned, done, the share) — and, while it is a draft, the office's form
//! to set the targets (`App::set_plan`) and a leader's to adopt it (`App::adopt_plan`), both with the plan's
//! version (`POST /plan`).

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{ErrorKind, PlanInput, PlanView, Principal};
use liaison_core::access::Action;
use liaison_core::dates::china_year;
use serde::Deserialize;

use super::{AT, Fields, forbidden, not_allowed, refusal_of};
use crate::AppState;
use crate::pages::{Chrome, Cookies, failed, render, see_other, staff, staff_post};

/// The period asked for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    period: Option<String>,
}

/// A target with its progress.
pub(crate) struct Bar {
    id: String,
    label: &'static str,
    planned: u32,
    achieved: u32,
    /// The bar's value (the achieved, at most the planned).
    value: u32,
    unit: &'static str,
    share: String,
    met: bool,
    detail: Option<String>,
}

fn label(target: &str) -> (&'static str, &'static str) {
    match target {
        "meetings" => ("召开座谈会", "次"),
        "reached_percent" => ("走访或会见代表（占在任代表）", "%"),
        "notices" => ("重大事项通报", "次"),
        "activities" => ("代表参加的活动", "次"),
        _ => ("其他", ""),
    }
}

fn bars(v: &PlanView) -> Vec<Bar> {
    v.progress
        .iter()
        .map(|p| {
            let (label, unit) = label(&p.target);
            let share = if p.planned == 0 {
                "未设目标".to_owned()
            } else {
                format!("完成 {}%", u64::from(p.achieved) * 100 / u64::from(p.planned))
            };
            Bar {
                id: format!("bar-{}", p.target),
                label,
                planned: p.planned,
                achieved: p.achieved,
                value: p.achieved.min(p.planned),
                unit,
                share,
                met: p.met,
                detail: (p.target == "reached_percent").then(|| {
                    format!("已走访或会见 {} 名，在任代表 {} 名", v.achieved.reached, v.achieved.deputies)
                }),
            }
        })
        .collect()
}

/// The targets' form.
#[derive(Debug, Default)]
pub(crate) struct TargetsForm {
    meetings: String,
    reached_percent: String,
    notices: String,
    activities: String,
    notes: String,
}

#[derive(Template)]
#[template(path = "staff/plan.html")]
struct PlanPage {
    chrome: Chrome,
    period: String,
    period_zh: String,
    /// The periods to choose from: (code, name), this year's and the years around it.
    periods: Vec<(String, String)>,
    found: bool,
    version: u64,
    adopted: Option<String>,
    notes: Option<String>,
    bars: Vec<Bar>,
    form: TargetsForm,
    manages: bool,
    approves: bool,
    error: Option<String>,
}

fn period_zh(p: &str) -> String {
    let p = p.trim();
    match (p.get(..4), p.get(4..)) {
        (Some(y), Some("H1" | "h1")) => format!("{y} 年上半年"),
        (Some(y), Some("H2" | "h2")) => format!("{y} 年下半年"),
        _ => format!("{p} 年"),
    }
}

async fn plan_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    period: String,
    form: Option<TargetsForm>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let (who, key) = (p.clone(), period.clone());
    let (view, error) = match crate::blocking(s, move |app| app.plan(&who, &key)).await {
        Ok(v) => (Some(v), error),
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) if e.kind() == ErrorKind::NotFound => (None, error),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            (None, error.or(Some((StatusCode::UNPROCESSABLE_ENTITY, super::field_errors(&e)))))
        }
        Err(e) => return failed(&e),
    };
    let form = form.unwrap_or_else(|| match &view {
        Some(v) => TargetsForm {
            meetings: v.plan.targets.meetings.to_string(),
            reached_percent: v.plan.targets.reached_percent.to_string(),
            notices: v.plan.targets.notices.to_string(),
            activities: v.plan.targets.activities.to_string(),
            notes: v.plan.notes.as_ref().map(ToString::to_string).unwrap_or_default(),
        },
        None => TargetsForm::default(),
    });
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.0);
    let this = liaison_core::dates::china_year(s.app.now());
    let mut periods: Vec<(String, String)> = (this - 1..=this + 1)
        .flat_map(|y| [y.to_string(), format!("{y}H1"), format!("{y}H2")])
        .map(|code| {
            let zh = period_zh(&code).replace(" 年", "年"); // zh: a period, in English by the catalogue
            (code, if zh.ends_with('年') { format!("{zh}全年") } else { zh })
        })
        .collect();
    if !periods.iter().any(|(c, _)| c.eq_ignore_ascii_case(&period)) {
        periods.push((period.clone(), period_zh(&period)));
    }
    let page = PlanPage {
        chrome,
        periods,
        period_zh: period_zh(&period),
        period,
        found: view.is_some(),
        version: view.as_ref().map_or(0, |v| v.plan.version),
        adopted: view
            .as_ref()
            .and_then(|v| v.plan.adopted.as_ref())
            .map(|(by, on)| format!("{} 于 {} 通过", by.name, crate::pages::day(*on))),
        notes: view.as_ref().and_then(|v| v.plan.notes.as_ref()).map(ToString::to_string),
        bars: view.as_ref().map(bars).unwrap_or_default(),
        form,
        manages: p.may(Action::ManageLiaison),
        approves: p.may(Action::ApproveLiaison),
        error: error.map(|e| e.1),
    };
    render(status, &page)
}

/// `GET /plan?period=2026` (this year by default).
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let period = q
        .period
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| china_year(s.app.now()).to_string());
    plan_page(&s, Chrome::of(&session, AT), &session.principal, period, None, None).await
}

/// `POST /plan`: `set` the targets (the office) or `adopt` the plan (a leader), with its version.
pub(crate) async fn act(
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
    let period = f.get("period").trim().to_owned();
    let back =
        format!("/plan?period={}", form_urlencoded::byte_serialize(period.as_bytes()).collect::<String>());
    let result = match f.get("action") {
        "set" => {
            let form = TargetsForm {
                meetings: f.get("meetings").to_owned(),
                reached_percent: f.get("reached_percent").to_owned(),
                notices: f.get("notices").to_owned(),
                activities: f.get("activities").to_owned(),
                notes: f.get("notes").to_owned(),
            };
            if !p.may(Action::ManageLiaison) {
                let chrome = Chrome::of(&session, AT);
                return plan_page(&s, chrome, p, period, Some(form), Some(forbidden())).await;
            }
            // A count the form cannot read is named like the app names its fields.
            let mut bad = Vec::new();
            let mut num = |name: &str, text: &str| {
                text.trim().parse::<u32>().unwrap_or_else(|_| {
                    bad.push(format!("{name}：请填写不小于 0 的整数"));
                    0
                })
            };
            let input = PlanInput {
                period: period.clone(),
                meetings: num("座谈会次数", &form.meetings),
                reached_percent: num("走访覆盖率", &form.reached_percent),
                notices: num("重大事项通报次数", &form.notices),
                activities: num("代表活动次数", &form.activities),
                notes: Some(form.notes.clone()),
            };
            if !bad.is_empty() {
                let chrome = Chrome::of(&session, AT);
                let error = (StatusCode::UNPROCESSABLE_ENTITY, crate::pages::i18n::join(&bad, "；"));
                return plan_page(&s, chrome, p, period, Some(form), Some(error)).await;
            }
            match s.app.set_plan(p, &input, Some(f.version().unwrap_or(0))).await {
                Ok(_) => Ok(()),
                Err(e) => Err((e, Some(form))),
            }
        }
        "adopt" => match s.app.adopt_plan(p, &period, f.version()).await {
            Ok(_) => Ok(()),
            Err(e) => Err((e, None)),
        },
        _ => {
            let error = (StatusCode::UNPROCESSABLE_ENTITY, "不支持的操作。".to_owned());
            return plan_page(&s, Chrome::of(&session, AT), p, period, None, Some(error)).await;
        }
    };
    match result {
        Ok(()) => see_other(&back),
        Err((e, form)) => match refusal_of(&e, "份计划") {
            // A stale page shows the current targets, not the ones sent.
            Some(r) if r.0 == StatusCode::CONFLICT => {
                plan_page(&s, Chrome::of(&session, AT), p, period, None, Some(r)).await
            }
            Some(r) => plan_page(&s, Chrome::of(&session, AT), p, period, form, Some(r)).await,
            None => failed(&e),
        },
    }
}
