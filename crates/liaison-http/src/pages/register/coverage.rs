//! 联络覆盖情况: the coverage rule's report (`App::coverage`, C2 and P1.1 by level) — per level, how many
//! deputies are fully covered, and every deputy with a gap (no officer, no leader for the region, no
//! department …), each linked to their page; for an account that may assign (`Action::Assign`), a row
//! without an officer has a small form that assigns one (`App::assign`, audited with its reason) and comes
//! back here.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::views::GapView;
use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use liaison_core::registry::DeputyLevel;
use serde::Deserialize;

use liaison_app::AppError;
use liaison_core::login::LoginError;

use super::super::{Chrome, Cookies, reauth_to, render, see_other, staff, staff_post};
use super::{level_label, refusal};
use crate::AppState;

/// The reason recorded with an assignment made from this page.
const ASSIGN_REASON: &str = "联络覆盖情况页面补缺";

/// One deputy with a gap.
pub(crate) struct Gap {
    href: String,
    action: String,
    /// A unique id for the row's officer select.
    field: String,
    name: String,
    region: String,
    gaps: String,
    no_officer: bool,
}

/// One level: its figures and its gaps (the first [`GAPS_SHOWN`]; `missing` counts them all).
pub(crate) struct Level {
    label: String,
    deputies: u64,
    covered: u64,
    missing: usize,
    gaps: Vec<Gap>,
}

/// How many deputies with a gap a level lists (a national register may have tens of thousands: the page
/// names the first ones, counts the rest, and the automatic assignment fills them in bulk).
const GAPS_SHOWN: usize = 50;

#[derive(Template)]
#[template(path = "staff/register_coverage.html")]
struct CoveragePage {
    chrome: Chrome,
    deputies: u64,
    covered: u64,
    levels: Vec<Level>,
    loads: Vec<(String, u64)>,
    officers: Vec<String>,
    may_assign: bool,
    all_covered: bool,
    /// What the automatic assignment would do (a preview) or did.
    auto: Option<String>,
    /// The preview is shown (its plan's key): the confirming form follows it.
    preview: Option<String>,
}

fn gap(i: usize, g: GapView) -> Gap {
    Gap {
        href: format!("/register/{}", g.deputy),
        action: format!("/register/{}/assign", g.deputy),
        field: format!("officer-{i}"),
        no_officer: g.gaps.iter().any(|c| c == "no_officer" || c == "officer_inactive"),
        gaps: crate::pages::i18n::labels(&g.gaps_zh, "、"),
        name: g.name,
        region: g.region,
    }
}

/// `?done=auto`: the automatic assignment was made.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /register/coverage`: the report.
pub(crate) async fn coverage(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(d): Query<Done>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let auto =
        (d.done == "auto").then(|| "已按区域自动分配，结果见下表；每项分配都记入了审计日志。".to_owned());
    report_page(&s, &session, auto, None).await
}

/// The automatic assignment in words, in the request's language (a sentence each).
fn auto_zh(v: &liaison_app::views::AutoAssignView) -> String {
    use crate::pages::i18n::{english, text};
    let mut out = vec![text(&format!(
        "将为 {} 名代表指定联络员（其中 {} 名超出联络员负责的区域），为 {} 名代表指定对口部门。",
        v.officers_assigned, v.officers_outside_region, v.departments_assigned
    ))];
    if v.without_officer > 0 || v.without_department > 0 {
        out.push(text(&format!(
            "仍有 {} 名代表找不到可指定的联络员、{} 名找不到对口部门（请先在联络组织中登记）。",
            v.without_officer, v.without_department
        )));
    }
    if v.officers > 0 {
        out.push(text(&format!(
            "分配后 {} 名联络员每人联系 {}–{} 名代表。",
            v.officers, v.min_load, v.max_load
        )));
    }
    out.join(if english() { " " } else { "" })
}

/// The automatic assignment's form: preview first, then `confirm=1`.
#[derive(Debug, Deserialize)]
pub(crate) struct AutoForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
    /// The previewed plan's key (`plan_key`).
    #[serde(default)]
    plan: String,
}

/// `POST /register/coverage/auto`: preview the automatic assignment (nothing written), or make it.
pub(crate) async fn auto_assign(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<AutoForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    if f.confirm != "1" {
        return match s.app.auto_assign(p, true, Some(AUTO_REASON.into())).await {
            Ok(v) => report_page(&s, &session, Some(auto_zh(&v)), Some(plan_key(&v))).await,
            Err(e) => refusal(&e, "/register/coverage"),
        };
    }
    // Assigning in bulk widens officers' reach to full contact cards: a recent proof of identity first,
    // and only the plan that was previewed — if the register or the organisation changed since, the new
    // plan is shown to be confirmed instead.
    match s.app.require_recent_auth(&session) {
        Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to("/register/coverage"),
        Err(e) => return refusal(&e, "/register/coverage"),
        Ok(()) => {}
    }
    let now = match s.app.auto_assign(p, true, Some(AUTO_REASON.into())).await {
        Ok(v) => v,
        Err(e) => return refusal(&e, "/register/coverage"),
    };
    if plan_key(&now) != f.plan {
        let changed = crate::pages::i18n::text("分配方案在预览之后有了变化，请核对新的预览后再确认：");
        let said = format!("{changed}{}", auto_zh(&now));
        return report_page(&s, &session, Some(said), Some(plan_key(&now))).await;
    }
    match s.app.auto_assign(p, false, Some(AUTO_REASON.into())).await {
        Ok(_) => see_other("/register/coverage?done=auto"),
        Err(e) => refusal(&e, "/register/coverage"),
    }
}

/// What a preview promised, to be confirmed as it was: the counts and the loads it reported.
fn plan_key(v: &liaison_app::views::AutoAssignView) -> String {
    format!(
        "{}-{}-{}-{}-{}-{}-{}",
        v.officers_assigned,
        v.officers_outside_region,
        v.departments_assigned,
        v.without_officer,
        v.without_department,
        v.max_load,
        v.min_load
    )
}

/// The reason recorded with an automatic assignment made from this page.
const AUTO_REASON: &str = "联络覆盖情况页面自动分配";

async fn report_page(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
    auto: Option<String>,
    preview: Option<String>,
) -> Response {
    let p = session.principal.clone();
    let read =
        crate::blocking(s, move |app| Ok((app.coverage_with(&p, Some(GAPS_SHOWN))?, app.organisation(&p)?)))
            .await;
    let (report, org) = match read {
        Ok(x) => x,
        Err(e) => return refusal(&e, "/register"),
    };
    let mut levels: Vec<Level> = report
        .by_level
        .iter()
        .map(|l| Level {
            label: level_label(&l.level_zh),
            deputies: l.deputies,
            covered: l.covered,
            missing: usize::try_from(l.deputies.saturating_sub(l.covered)).unwrap_or(usize::MAX),
            gaps: vec![],
        })
        .collect();
    for (i, g) in report.gaps.into_iter().enumerate() {
        let zh =
            DeputyLevel::parse(&g.level).map(|l| level_label(l.zh())).unwrap_or_else(|_| g.level.clone());
        let at = match levels.iter().position(|l| l.label == zh) {
            Some(at) => at,
            None => {
                levels.push(Level { label: zh, deputies: 0, covered: 0, missing: 0, gaps: vec![] });
                levels.len() - 1
            }
        };
        levels[at].gaps.push(gap(i, g));
    }
    let all_covered = levels.iter().all(|l| l.missing == 0);
    let page = CoveragePage {
        all_covered,
        chrome: Chrome::of(session, "register"),
        deputies: report.deputies,
        covered: report.covered,
        levels,
        loads: report.officer_loads.into_iter().collect(),
        officers: org.officers.into_iter().filter(|o| o.active).map(|o| o.name).collect(),
        may_assign: session.principal.require(Action::Assign).is_ok(),
        auto,
        preview,
    };
    render(StatusCode::OK, &page)
}

/// The assignment form: the officer (by name) and the session's token.
#[derive(Debug, Deserialize)]
pub(crate) struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    officer: String,
}

/// `POST /register/{id}/assign`: make an officer responsible for the deputy, then back to the report.
pub(crate) async fn assign(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(id) = DeputyId::parse(id.trim()) else {
        return refusal(&liaison_app::AppError::NotFound { what: "deputy", id }, "/register/coverage");
    };
    let officer = f.officer.trim().to_owned();
    if officer.is_empty() {
        // An empty officer would clear the assignment: this form only assigns.
        let e = liaison_core::FieldError::new("officer", &liaison_core::ValueError::Required);
        return refusal(&liaison_app::AppError::Invalid(vec![e]), "/register/coverage");
    }
    match s.app.assign(&session.principal, id, Some(officer), None, None, Some(ASSIGN_REASON.into())).await {
        Ok(_) => see_other("/register/coverage"),
        Err(e) => refusal(&e, "/register/coverage"),
    }
}
