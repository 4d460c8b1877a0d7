//! 首页 · 我的待办: everything due for the session's account across every workflow, from the one due model
//! (`App::due`, the permission of the API's due list), by due day, each with its traffic light
//! (`App::light`) as a label and a colour, counts per light, and a filter by kind (a plain GET form that
//! htmx only refreshes in place). A suggestion links to its page (`/suggestions/{number}`).

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, DueFilter, DueItem, ErrorKind, Light, escalated};
use serde::Deserialize;

use super::{Chrome, Cookies, failed, render, staff};
use crate::AppState;

/// How far ahead the list looks: everything due within a year, and everything overdue.
const AHEAD_DAYS: u32 = 366;

/// The kinds of the filter: the workflows, with their names.
const KINDS: &[(&str, &str)] = &[
    ("", "全部事项"),
    ("suggestion", "代表建议"),
    ("measure", "整改措施"),
    ("inspection", "视察整改"),
    ("appointment", "约见"),
    ("notice", "通知回执"),
];

fn kind_zh(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("事项", |(_, zh)| zh)
}

const WEEKDAYS: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];

/// One item as the page shows it.
pub(crate) struct Row {
    light: &'static str,
    light_zh: &'static str,
    escalated: bool,
    number: Option<String>,
    title: String,
    kind_zh: &'static str,
    owed_zh: String,
    when: String,
    department: Option<String>,
    handler: Option<String>,
    provisional: Option<String>,
    /// The item's page, when it has one (suggestions, inspections, measures).
    href: Option<String>,
}

/// A region a leader answers for (包片), as this year's visits and meetings reached it.
pub(crate) struct RegionRow {
    name: String,
    deputies: u32,
    reached: u32,
    /// The deputies not reached yet this year (name and level), the first few.
    not_reached: Vec<String>,
    /// How many more are not reached than listed.
    more: usize,
    /// The register filtered to the region.
    href: String,
}

/// How many unreached deputies a region's row names.
const UNREACHED_SHOWN: usize = 8;

/// The items due on one day.
pub(crate) struct Day {
    heading: String,
    items: Vec<Row>,
}

#[derive(Template)]
#[template(path = "staff/work.html")]
struct WorkPage {
    chrome: Chrome,
    kind: String,
    kinds: &'static [(&'static str, &'static str)],
    red: usize,
    amber: usize,
    green: usize,
    escalated: usize,
    days: Vec<Day>,
    /// For a leader: the notices waiting for the approval (title, link).
    approvals: Vec<(String, String)>,
    /// For a leader: the regions they answer for.
    regions: Vec<RegionRow>,
    error: Option<String>,
}

/// The filter's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WorkQuery {
    #[serde(default)]
    kind: Option<String>,
}

fn when(d: &DueItem) -> String {
    match d.days_left {
        n if n < 0 => format!("已逾期 {} 天", -n),
        0 => "今天到期".into(),
        n => format!("还有 {n} 天"),
    }
}

fn row(d: DueItem, light: Light) -> Row {
    Row {
        href: match d.kind.as_str() {
            "suggestion" => Some(super::suggestions::path_of(d.number.as_deref(), d.id)),
            "appointment" => Some(format!("/appointments/{}", d.id)),
            "inspection" => Some(format!("/inspections/{}", d.id)),
            "measure" => Some(format!("/measures/{}", d.id)),
            _ => None,
        },
        light: light.code(),
        light_zh: light.zh(),
        escalated: escalated(&d),
        kind_zh: kind_zh(&d.kind),
        when: when(&d),
        number: d.number,
        title: d.title,
        owed_zh: d.owed_zh,
        department: d.department,
        handler: d.handler,
        provisional: d.provisional,
    }
}

/// `GET /`: my work.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<WorkQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // The administrators have no work list: their page is the administration.
    if !session.principal.may(liaison_core::access::Action::ReadSuggestions) {
        use liaison_core::access::Action as A;
        let p = &session.principal;
        // The audit administrator's page is the trail; the other two administrators' the accounts.
        let to = if p.may(A::VerifyAudit) && !p.may(A::ManageUsers) && !p.may(A::GrantRoles) {
            "/admin/audit"
        } else {
            "/admin"
        };
        return super::see_other(to);
    }
    let kind = q.kind.map(|k| k.trim().to_owned()).unwrap_or_default();
    let filter = DueFilter {
        kind: (!kind.is_empty()).then(|| kind.clone()),
        within_days: Some(AHEAD_DAYS),
        ..DueFilter::default()
    };
    let p = session.principal.clone();
    let due = crate::blocking(&s, move |app| {
        let items = app.due(&p, &filter)?;
        Ok(items.into_iter().map(|d| (app.light(&p, &d), d)).collect::<Vec<_>>())
    })
    .await;
    let mut page = WorkPage {
        chrome: Chrome::of(&session, "work"),
        kind,
        kinds: KINDS,
        red: 0,
        amber: 0,
        green: 0,
        escalated: 0,
        days: Vec::new(),
        approvals: Vec::new(),
        regions: Vec::new(),
        error: None,
    };
    if session.principal.may(liaison_core::access::Action::ApproveLiaison) {
        let p = session.principal.clone();
        match crate::blocking(&s, move |app| app.notices(&p, None)).await {
            Ok(notices) => {
                page.approvals = notices
                    .into_iter()
                    .filter(|n| n.notice.status == liaison_core::notice::NoticeStatus::Draft)
                    .map(|n| (n.notice.title.to_string(), format!("/notices/{}", n.notice.id)))
                    .collect();
            }
            Err(e) => return failed(&e),
        }
    }
    if session.principal.roles.contains(&liaison_core::access::Role::Leader) {
        match regions(&s, &session).await {
            Ok(r) => page.regions = r,
            Err(e) => return failed(&e),
        }
    }
    let items = match due {
        Ok(items) => items,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            page.error =
                Some("您的账号角色没有待办事项（待办列表面向联络室、联络员、领导和承办部门）。".into());
            return render(StatusCode::OK, &page);
        }
        Err(e @ AppError::Invalid(_)) => {
            page.error = Some(crate::pages::say(&e));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return failed(&e),
    };
    for (light, d) in items {
        match light {
            Light::Red => page.red += 1,
            Light::Amber => page.amber += 1,
            Light::Green => page.green += 1,
        }
        page.escalated += usize::from(escalated(&d));
        let heading = {
            use chrono::Datelike;
            let wd = WEEKDAYS[d.due.weekday().num_days_from_monday() as usize];
            format!("{}（{wd}）", d.due.format("%Y年%-m月%-d日")) // zh: a date, in English by the catalogue
        };
        match page.days.last_mut() {
            Some(day) if day.heading == heading => day.items.push(row(d, light)),
            _ => page.days.push(Day { heading, items: vec![row(d, light)] }),
        }
    }
    render(StatusCode::OK, &page)
}

/// The regions the leader answers for, each with this year's reach (`App::my_regions`, `App::reach_report`).
async fn regions(
    s: &AppState,
    session: &liaison_app::login::StaffSession,
) -> Result<Vec<RegionRow>, AppError> {
    let p = session.principal.clone();
    crate::blocking(s, move |app| {
        let mine = app.my_regions(&p)?;
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let today = liaison_core::dates::china_date(app.now());
        let from = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
        let reach = app.reach_report(&p, from, today)?;
        Ok(mine
            .into_iter()
            .map(|name| {
                let (deputies, reached) =
                    reach.by_region.iter().find(|(r, _, _)| *r == name).map_or((0, 0), |(_, n, r)| (*n, *r));
                let missing: Vec<_> = reach.not_reached.iter().filter(|d| d.region == name).collect();
                let href = format!(
                    "/register?region={}",
                    form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
                );
                RegionRow {
                    deputies,
                    reached,
                    not_reached: missing
                        .iter()
                        .take(UNREACHED_SHOWN)
                        .map(|d| super::i18n::aside(&d.name, &[&super::i18n::text(d.level.zh())]))
                        .collect(),
                    more: missing.len().saturating_sub(UNREACHED_SHOWN),
                    href,
                    name,
                }
            })
            .collect())
    })
    .await
}
