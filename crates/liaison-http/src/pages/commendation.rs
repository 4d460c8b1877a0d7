//! 表彰 (R6) on the pages: `/commendation?from=&to=` shows every deputy's contribution in the period
//! (`App::contributions`: the deputy's own work only, weighed by the deployment's weights), each number
//! with the evidence behind it (the record, its day, its points) and links to the records that have pages;
//! the office nominates a deputy with the reasons (`App::nominate`); the nominations follow with their
//! evidence and the step `App::nomination_action` takes at that point — a leader approves after proving a
//! factor again, the office submits it to the standing committee with the letter's reference and records
//! the decision — with the nomination's version (a stale page is refused).

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use liaison_app::{AppError, ErrorKind, NominationAction, NominationInput, Principal};
use liaison_core::access::Action;
use liaison_core::commendation::{Contribution, EvidenceKind, NominationError};
use liaison_core::dates::china_date;
use liaison_core::login::LoginError;
use serde::Deserialize;

use super::meetings::Fields;
use super::{Chrome, Cookies, Notice, day, failed, reauth_to, render, see_other, staff, staff_post};
use crate::AppState;

const AT: &str = "commendation";

/// The kinds that count, in the table's order.
const KINDS: &[EvidenceKind] = &[
    EvidenceKind::Suggestion,
    EvidenceKind::Meeting,
    EvidenceKind::Inspection,
    EvidenceKind::Deliberation,
    EvidenceKind::Review,
];

/// One piece of evidence as the page shows it: what, the record (linked when it has a page), day, points.
pub(crate) struct Proof {
    kind: &'static str,
    record: String,
    href: Option<String>,
    on: String,
    points: u32,
}

/// A record's reference (`suggestion 2026-0003`, `meeting <id>（title）`, `deliberation <id> #2` …) in
/// words, with its page: ids are never shown.
fn proof_of(kind: EvidenceKind, reference: &str) -> (String, Option<String>) {
    let (word, rest) = reference.split_once(' ').unwrap_or((reference, ""));
    let is_id = rest.len() >= 36 && uuid::Uuid::parse_str(&rest[..36]).is_ok();
    let (id, tail) = if is_id { (&rest[..36], rest[36..].trim()) } else { ("", rest.trim()) };
    match (word, tail) {
        ("suggestion", n) => (format!("建议 {n}"), Some(format!("/suggestions/{n}"))),
        ("meeting", t) => (format!("座谈会{t}"), Some(format!("/meetings/{id}"))),
        ("deliberation", t) => (format!("审议意见第 {} 条", t.trim_start_matches('#')), None),
        (_, t) => (format!("{}{t}", kind.zh()), None),
    }
}

fn proofs(c: &Contribution) -> Vec<Proof> {
    c.evidence
        .iter()
        .map(|e| {
            let (record, href) = proof_of(e.kind, &e.reference);
            Proof { kind: e.kind.zh(), record, href, on: day(e.on), points: e.points }
        })
        .collect()
}

/// A deputy's row of the contributions table.
pub(crate) struct ContributionRow {
    id: String,
    deputy: String,
    total: u32,
    by_kind: Vec<u32>,
    proofs: Vec<Proof>,
}

/// A nomination.
pub(crate) struct NominationRow {
    id: String,
    version: u64,
    deputy: String,
    period: String,
    total: u32,
    reasons: String,
    status: &'static str,
    code: &'static str,
    steps: Vec<String>,
    proofs: Vec<Proof>,
}

#[derive(Template)]
#[template(path = "staff/commendation.html")]
struct CommendationPage {
    chrome: Chrome,
    from: String,
    to: String,
    kinds: Vec<(&'static str, u32)>,
    rows: Vec<ContributionRow>,
    without: usize,
    nominations: Vec<NominationRow>,
    manages: bool,
    approves: bool,
    deputy: String,
    reasons: String,
    error: Option<String>,
}

/// The period asked for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

fn date(s: Option<&str>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
}

fn nomination_row(n: &liaison_core::commendation::Nomination) -> NominationRow {
    let mut steps = Vec::new();
    if let Some((by, on)) = &n.approved {
        steps.push(format!("{} 于 {} 审批同意", by.name, day(*on)));
    }
    if let Some((reference, on)) = &n.submitted {
        steps.push(format!("{} 报送人大常委会（{reference}）", day(*on)));
    }
    if let Some((on, note)) = &n.decided {
        steps.push(match note {
            Some(t) => format!("{} 记录结果：{t}", day(*on)),
            None => format!("{} 记录结果", day(*on)),
        });
    }
    NominationRow {
        id: n.id.to_string(),
        version: n.version,
        deputy: format!("{}（{}级代表）", n.contribution.deputy.name, n.contribution.deputy.level.zh()),
        period: format!("{} 至 {}", day(n.period.0), day(n.period.1)),
        total: n.contribution.total,
        reasons: n.reasons.to_string(),
        status: n.status.zh(),
        code: n.status.code(),
        steps,
        proofs: proofs(&n.contribution),
    }
}

struct Typed {
    deputy: String,
    reasons: String,
}

async fn page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    (from, to): (NaiveDate, NaiveDate),
    typed: Typed,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = p.clone();
    let got = crate::blocking(s, move |app| {
        let list = app.contributors(&who, from, to)?;
        let weights = app.commendation_weights(&who)?;
        let mut noms = app.nominations(&who)?;
        noms.sort_by(|a, b| {
            b.period.1.cmp(&a.period.1).then(a.contribution.deputy.name.cmp(&b.contribution.deputy.name))
        });
        Ok((list, weights, noms))
    })
    .await;
    let ((list, without), weights, noms) = match got {
        Ok(x) => x,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            return render(
                StatusCode::FORBIDDEN,
                &Notice {
                    title: "没有权限",
                    message: "您的账号角色不能查看代表履职情况和表彰推荐。".into(),
                    back: "/",
                    back_text: "返回首页",
                },
            );
        }
        Err(e) => return failed(&e),
    };
    let rows: Vec<ContributionRow> = list
        .iter()
        .map(|c| ContributionRow {
            id: c.deputy.deputy.to_string(),
            deputy: format!("{}（{}级代表）", c.deputy.name, c.deputy.level.zh()),
            total: c.total,
            by_kind: KINDS.iter().map(|k| c.by_kind.get(k).copied().unwrap_or(0)).collect(),
            proofs: proofs(c),
        })
        .collect();
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = CommendationPage {
        chrome,
        from: from.to_string(),
        to: to.to_string(),
        kinds: KINDS.iter().map(|k| (k.zh(), weights.0.get(k).copied().unwrap_or(0))).collect(),
        without,
        rows,
        nominations: noms.iter().map(nomination_row).collect(),
        manages: p.may(Action::ManageLiaison),
        approves: p.may(Action::ApproveLiaison),
        deputy: typed.deputy,
        reasons: typed.reasons,
        error,
    };
    render(status, &page)
}

/// The period of a query or form: the days given, or this year to today.
fn period(s: &AppState, from: Option<&str>, to: Option<&str>) -> (NaiveDate, NaiveDate) {
    let today = china_date(s.app.now());
    let start = NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
    (date(from).unwrap_or(start), date(to).unwrap_or(today))
}

/// `GET /commendation?from=&to=`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let span = period(&s, q.from.as_deref(), q.to.as_deref());
    let typed = Typed { deputy: String::new(), reasons: String::new() };
    page(&s, Chrome::of(&session, AT), &session.principal, span, typed, None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "deputy" => "推荐的代表",
        "reasons" => "推荐理由",
        "from" => "起始日期",
        "to" => "截止日期",
        "reference" => "报送文号",
        "note" => "说明",
        _ => "",
    }
}

/// Why the app refused, as the page says it; `None` for a failure that is not the user's.
fn refusal_of(e: &AppError) -> Option<(StatusCode, String)> {
    Some(match e.kind() {
        ErrorKind::Forbidden => (
            StatusCode::FORBIDDEN,
            "您的角色不能进行此操作（表彰推荐由联络室提出、报送，由院领导审批）。".into(),
        ),
        ErrorKind::Stale => {
            (StatusCode::CONFLICT, "这项推荐刚被其他人修改过，页面已更新为最新内容，请核对后再操作。".into())
        }
        // The core's sentence names the earlier nomination by id: the page says it without.
        _ if matches!(e.rule_as::<NominationError>(), Some(NominationError::AlreadyNominated { .. })) => {
            let Some(NominationError::AlreadyNominated { name, period, .. }) = e.rule_as::<NominationError>()
            else {
                return None;
            };
            (
                StatusCode::CONFLICT,
                format!(
                    "代表 {name} 已有 {} 至 {} 期间的推荐，同一代表同一期间只能推荐一次。",
                    day(period.0),
                    day(period.1)
                ),
            )
        }
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, crate::pages::say(e)),
        ErrorKind::Conflict => (StatusCode::CONFLICT, super::refusal_text(e, field_zh)),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, super::refusal_text(e, field_zh)),
        _ => return None,
    })
}

/// `POST /commendation`: nominate a deputy on the period's contribution.
pub(crate) async fn nominate(
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
    let input = NominationInput {
        deputy: f.get("deputy").to_owned(),
        reasons: f.get("reasons").to_owned(),
        from: f.get("from").to_owned(),
        to: f.get("to").to_owned(),
    };
    let span = period(&s, Some(&input.from), Some(&input.to));
    match s.app.nominate(p, &input).await {
        Ok(_) => see_other(&format!("/commendation?from={}&to={}#nominations", span.0, span.1)),
        Err(e) => match refusal_of(&e) {
            Some(r) => {
                let typed = Typed { deputy: input.deputy, reasons: input.reasons };
                page(&s, Chrome::of(&session, AT), p, span, typed, Some(r)).await
            }
            None => failed(&e),
        },
    }
}

/// `POST /commendation/{id}`: `approve` (a leader, after re-authentication), `submit`, `accept` or
/// `decline`, with the version the page was drawn from.
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
    let span = period(&s, Some(f.get("from")), Some(f.get("to")));
    let back = format!("/commendation?from={}&to={}", span.0, span.1);
    let again = |e: (StatusCode, String)| {
        let typed = Typed { deputy: String::new(), reasons: String::new() };
        page(&s, Chrome::of(&session, AT), p, span, typed, Some(e))
    };
    let Some(version) = f.version() else {
        let why = "页面缺少推荐的版本号，请刷新页面后再操作。".to_owned();
        return again((StatusCode::UNPROCESSABLE_ENTITY, why)).await;
    };
    let action = match f.get("action") {
        "approve" => {
            if !p.may(Action::ApproveLiaison) {
                let why = "您的角色不能进行此操作（表彰推荐由院领导审批）。";
                return again((StatusCode::FORBIDDEN, why.into())).await;
            }
            match s.app.require_recent_auth(&session) {
                Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to(&back),
                Err(e) => return failed(&e),
                Ok(()) => {}
            }
            NominationAction::Approve {}
        }
        "submit" => NominationAction::Submit { reference: f.get("reference").to_owned() },
        "accept" => NominationAction::Accept {},
        "decline" => NominationAction::Decline { note: f.get("note").to_owned() },
        _ => return again((StatusCode::UNPROCESSABLE_ENTITY, "不支持的操作。".into())).await,
    };
    match s.app.nomination_action(p, &id, Some(version), action).await {
        Ok(_) => see_other(&format!("{back}#nominations")),
        Err(e) => match refusal_of(&e) {
            Some(r) => again(r).await,
            None => failed(&e),
        },
    }
}
