//! 经费保障 (G2) on the pages: `/budget/{year}` shows the year's budget by line — planned, supplementary
//! appropriations, spent, reversed, left, the execution rate and the projected shortfall at this year's
//! pace (`App::budget`'s execution report) — as a table with its totals and a bar chart of the same
//! numbers; the supplementary requests with their decisions and the ledger of expenses and reversals. The
//! office sets the lines (before adoption), records expenses, reverses one entered in error and requests
//! a supplementary appropriation; a leader adopts the budget and approves or rejects a request, after
//! proving a factor again. Each is `App::budget_action` with the budget's version (a stale page is
//! refused); amounts are typed in yuan and checked by the app.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, BudgetAction, BudgetView, ErrorKind, Principal};
use liaison_core::access::Action;
use liaison_core::budget::{Budget, Category};
use liaison_core::dates::china_year;
use liaison_core::login::LoginError;

use super::charts::{Series, bars};
use super::meetings::Fields;
use super::{Chrome, Cookies, Notice, day, failed, reauth_to, render, see_other, staff, staff_post};
use crate::AppState;

const AT: &str = "budget";

const CATEGORIES: &[Category] = &[
    Category::Meetings,
    Category::Visits,
    Category::Activities,
    Category::Briefings,
    Category::Commendation,
    Category::Services,
    Category::Other,
];

/// Fen as yuan with thousands separators: `180,000.00`.
fn money(fen: u64) -> String {
    let whole = (fen / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{:02}", fen % 100)
}

fn rate(spent: u64, total: u64) -> String {
    if total == 0 { "—".into() } else { format!("{:.1}%", spent as f64 * 100.0 / total as f64) }
}

/// A line of the execution table (or its totals).
pub(crate) struct LineRow {
    name: &'static str,
    planned: String,
    supplemented: String,
    spent: String,
    reversed: String,
    available: String,
    rate: String,
    shortfall: String,
    short: bool,
}

/// A supplementary request.
pub(crate) struct RequestRow {
    n: u32,
    line: &'static str,
    amount: String,
    reason: String,
    on: String,
    decision: Option<String>,
}

/// An entry of the ledger.
pub(crate) struct EntryRow {
    n: u32,
    on: String,
    line: &'static str,
    amount: String,
    purpose: String,
    reference: String,
    note: String,
    reversible: bool,
}

#[derive(Template)]
#[template(path = "staff/budget.html")]
struct BudgetPage {
    chrome: Chrome,
    year: i32,
    version: u64,
    adopted: Option<String>,
    lines: Vec<LineRow>,
    total: Option<LineRow>,
    chart: String,
    requests: Vec<RequestRow>,
    entries: Vec<EntryRow>,
    categories: Vec<(&'static str, &'static str)>,
    /// The lines the budget has (for spending and requests).
    has: Vec<(&'static str, &'static str)>,
    manages: bool,
    approves: bool,
    today: String,
    error: Option<String>,
    /// The form's values as typed, kept when refused.
    typed: Vec<(String, String)>,
}

impl BudgetPage {
    fn kept(&self, k: &str) -> &str {
        self.typed.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str())
    }
}

fn line_row(name: &'static str, e: (u64, u64, u64, u64, u64, u64)) -> LineRow {
    let (planned, supplemented, spent, reversed, available, shortfall) = e;
    LineRow {
        name,
        planned: money(planned),
        supplemented: money(supplemented),
        spent: money(spent),
        reversed: money(reversed),
        available: money(available),
        rate: rate(spent, planned + supplemented),
        shortfall: if shortfall == 0 { "—".into() } else { money(shortfall) },
        short: shortfall > 0,
    }
}

fn entries(b: &Budget) -> Vec<EntryRow> {
    let mut all: Vec<EntryRow> = b
        .lines
        .iter()
        .flat_map(|(c, l)| l.expenses.iter().map(move |e| (*c, e)))
        .map(|(c, e)| {
            let reversed_by = b.reversal_of(e.n).map(|r| r.n);
            EntryRow {
                n: e.n,
                on: day(e.on),
                line: c.zh(),
                amount: match e.reverses {
                    Some(_) => format!("−{}", money(e.fen)),
                    None => money(e.fen),
                },
                purpose: e.purpose.to_string(),
                reference: e.reference.to_string(),
                note: match (e.reverses, reversed_by) {
                    (Some(n), _) => format!("冲销第 {n} 笔"),
                    (None, Some(r)) => format!("已由第 {r} 笔冲销"),
                    (None, None) => String::new(),
                },
                reversible: e.reverses.is_none() && reversed_by.is_none(),
            }
        })
        .collect();
    all.sort_by_key(|e| e.n);
    all
}

fn page_of(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    v: &BudgetView,
    error: Option<String>,
    typed: Vec<(String, String)>,
) -> BudgetPage {
    let b = &v.budget;
    let lines: Vec<LineRow> = v
        .execution
        .iter()
        .map(|e| {
            line_row(
                e.category.zh(),
                (e.planned, e.supplemented, e.spent, e.reversed, e.available, e.projected_shortfall),
            )
        })
        .collect();
    let sum = |f: fn(&liaison_core::budget::Execution) -> u64| v.execution.iter().map(f).sum::<u64>();
    let total = (!v.execution.is_empty()).then(|| {
        line_row(
            "合计",
            (
                sum(|e| e.planned),
                sum(|e| e.supplemented),
                sum(|e| e.spent),
                sum(|e| e.reversed),
                sum(|e| e.available),
                sum(|e| e.projected_shortfall),
            ),
        )
    });
    let yuan = |fen: u64| u32::try_from(fen / 100).unwrap_or(u32::MAX);
    let chart = if v.execution.is_empty() {
        String::new()
    } else {
        let labels: Vec<String> = v.execution.iter().map(|e| e.category.zh().to_owned()).collect();
        bars(
            "budget",
            &format!("{} 年各科目经费执行情况", b.year),
            "元",
            &labels,
            &[
                Series {
                    name: "预算（含追加）",
                    values: v.execution.iter().map(|e| yuan(e.planned + e.supplemented)).collect(),
                },
                Series { name: "已支出", values: v.execution.iter().map(|e| yuan(e.spent)).collect() },
                Series {
                    name: "预计缺口",
                    values: v.execution.iter().map(|e| yuan(e.projected_shortfall)).collect(),
                },
            ],
        )
    };
    let requests = b
        .appropriations
        .iter()
        .map(|a| RequestRow {
            n: a.n,
            line: a.category.zh(),
            amount: money(a.fen),
            reason: a.reason.to_string(),
            on: day(a.on),
            decision: a.decision.as_ref().map(|d| match d {
                Ok((by, on)) => format!("{} 于 {} 批准", by.name, day(*on)),
                Err(why) => format!("未批准：{why}"),
            }),
        })
        .collect();
    BudgetPage {
        chrome,
        year: b.year,
        version: b.version,
        adopted: b.adopted.as_ref().map(|(by, on)| format!("{} 于 {} 批准", by.name, day(*on))),
        lines,
        total,
        chart,
        requests,
        entries: entries(b),
        categories: CATEGORIES.iter().map(|c| (c.code(), c.zh())).collect(),
        has: b.lines.keys().map(|c| (c.code(), c.zh())).collect(),
        manages: p.may(Action::ManageLiaison),
        approves: p.may(Action::ApproveLiaison),
        today: liaison_core::dates::china_date(s.app.now()).to_string(),
        error,
        typed,
    }
}

fn not_allowed() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &Notice {
            title: "没有权限",
            message: "您的账号角色不能查看联络工作经费。".into(),
            back: "/",
            back_text: "返回首页",
        },
    )
}

async fn budget_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    year: i32,
    error: Option<(StatusCode, String)>,
    typed: Vec<(String, String)>,
) -> Response {
    let who = p.clone();
    let v = match crate::blocking(s, move |app| app.budget(&who, year)).await {
        Ok(v) => v,
        Err(e) if e.kind() == ErrorKind::Forbidden => return not_allowed(),
        Err(e) => return failed(&e),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    render(status, &page_of(s, chrome, p, &v, error, typed))
}

fn year_of(text: &str) -> Option<i32> {
    text.trim().parse().ok().filter(|y| (2000..=2999).contains(y))
}

/// `GET /budget`: this year's.
pub(crate) async fn current(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = staff(&s, cookies, &headers).await {
        return r;
    }
    see_other(&format!("/budget/{}", china_year(s.app.now())))
}

/// `GET /budget/{year}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(year): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(year) = year_of(&year) else {
        return failed(&AppError::NotFound { what: "budget", id: year });
    };
    budget_page(&s, Chrome::of(&session, AT), &session.principal, year, None, Vec::new()).await
}

/// The forms' fields in Chinese.
fn field_zh(f: &str) -> &'static str {
    match f {
        "category" => "科目",
        "amount" => "金额",
        "purpose" => "用途",
        "reference" => "凭证号",
        "on" => "日期",
        "n" => "序号",
        "reason" => "理由",
        "year" => "年度",
        _ => "",
    }
}

/// How the form asks for an amount.
const AMOUNT: &str = "请填写以元为单位、最多两位小数的正数（如 1234.56）";

/// A refusal as one sentence, each field named; an amount said the way the form asks for it.
fn refusal_zh(e: &AppError) -> String {
    let fields = e.field_errors();
    if fields.is_empty() {
        return crate::pages::say(e);
    }
    let en = crate::pages::i18n::english();
    let (colon, semicolon) = if en { (": ", "; ") } else { ("：", "；") };
    let text = crate::pages::i18n::text;
    fields
        .iter()
        .map(|f| {
            let message = if en { f.message_en.clone() } else { f.message_zh.clone() };
            match (f.field.as_str(), field_zh(&f.field)) {
                ("amount", n) => [text(n), text(AMOUNT)].join(colon),
                (_, "") => message,
                (_, n) => [text(n), message].join(colon),
            }
        })
        .collect::<Vec<_>>()
        .join(semicolon)
}

/// `POST /budget/{year}`: `line`, `spend`, `reverse`, `request` (the office); `adopt`, `approve`, `reject`
/// (a leader, after re-authentication); with the version the page was drawn from.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(year): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let Some(year) = year_of(&year) else {
        return failed(&AppError::NotFound { what: "budget", id: year });
    };
    let back = format!("/budget/{year}");
    let typed: Vec<(String, String)> =
        ["action", "category", "amount", "purpose", "reference", "on", "reason"]
            .iter()
            .map(|k| ((*k).to_owned(), f.get(k).to_owned()))
            .collect();
    let again =
        |e: (StatusCode, String)| budget_page(&s, Chrome::of(&session, AT), p, year, Some(e), typed.clone());
    let invalid = |why: &str| (StatusCode::UNPROCESSABLE_ENTITY, why.to_owned());
    let Some(version) = f.version() else {
        return again(invalid("页面缺少预算的版本号，请刷新页面后再操作。")).await;
    };
    let n = || f.get("n").trim().parse::<u32>().ok();
    let action = match f.get("action") {
        "line" => BudgetAction::Line { category: f.get("category").into(), amount: f.get("amount").into() },
        "spend" => BudgetAction::Spend {
            category: f.get("category").into(),
            amount: f.get("amount").into(),
            purpose: f.get("purpose").into(),
            reference: f.get("reference").into(),
            on: Some(f.get("on").to_owned()).filter(|d| !d.trim().is_empty()),
        },
        "reverse" => {
            let Some(n) = n() else { return again(invalid("序号：请选择要冲销的支出。")).await };
            BudgetAction::Reverse {
                n,
                reason: f.get("reason").into(),
                on: Some(f.get("on").to_owned()).filter(|d| !d.trim().is_empty()),
            }
        }
        "request" => BudgetAction::Request {
            category: f.get("category").into(),
            amount: f.get("amount").into(),
            reason: f.get("reason").into(),
        },
        decision @ ("adopt" | "approve" | "reject") => {
            if !p.may(Action::ApproveLiaison) {
                let why = "您的角色不能进行此操作（经费预算和追加拨款由院领导批准）。";
                return again((StatusCode::FORBIDDEN, why.into())).await;
            }
            match s.app.require_recent_auth(&session) {
                Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to(&back),
                Err(e) => return failed(&e),
                Ok(()) => {}
            }
            match (decision, n()) {
                ("adopt", _) => BudgetAction::Adopt {},
                ("approve", Some(n)) => BudgetAction::Approve { n },
                ("reject", Some(n)) => BudgetAction::Reject { n, reason: f.get("reason").into() },
                _ => return again(invalid("序号：请选择追加申请。")).await,
            }
        }
        _ => return again(invalid("不支持的操作。")).await,
    };
    match s.app.budget_action(p, year, Some(version), action).await {
        Ok(_) => see_other(&back),
        Err(e) => {
            let r = match e.kind() {
                ErrorKind::Forbidden => (
                    StatusCode::FORBIDDEN,
                    "您的角色不能进行此操作（经费由联络室登记，预算和追加拨款由院领导批准）。".to_owned(),
                ),
                ErrorKind::Stale => (
                    StatusCode::CONFLICT,
                    "这份预算刚被其他人修改过，页面已更新为最新内容，请核对后再操作。".to_owned(),
                ),
                ErrorKind::Conflict => (StatusCode::CONFLICT, refusal_zh(&e)),
                ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, refusal_zh(&e)),
                _ => return failed(&e),
            };
            again(r).await
        }
    }
}
