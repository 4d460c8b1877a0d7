//! 案件评查 · the year's reviews (`GET /reviews?year=`): each case's reference, kind, state, participants
//! and outcome; the office's form to open one (`POST /reviews`, `App::register_review`): the case's
//! reference, its kind (one of the three kinds of cases, the five situations, a public hearing, or the
//! deputies' observation of the procuratorial committee) and a summary. How many are drawn is fixed with
//! the pool, on the review's page.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use liaison_app::{Principal, ReviewInput};
use liaison_core::access::Action;
use liaison_core::review::{Review, ReviewKind, ReviewStatus};
use serde::Deserialize;

use super::{Refusal, refusal_of, split, year_of};
use crate::AppState;
use crate::pages::meetings::Fields;
use crate::pages::{Chrome, Cookies, failed, render, see_other, staff, staff_post};

/// The menu entry of the reviews and the supervisors.
pub(super) const AT: &str = "reviews";

/// The refusal of a role that may not do this.
pub(super) const FORBIDDEN: &str =
    "您的角色不能进行此操作（案件评查由联络室和联络员安排，检察长和检察委员会的决定由院领导登记）。";

/// A review in the list.
pub(crate) struct Item {
    id: String,
    case_ref: String,
    kind: &'static str,
    status: &'static str,
    /// `green` (the participants told), `red` (awaiting the committee or the escalation), `amber`.
    class: &'static str,
    opened: String,
    people: String,
    outcome: String,
}

/// The outcome so far, in a few words.
pub(super) fn outcome(r: &Review) -> String {
    let yes = r.votes.values().filter(|v| v.agree).count();
    let no = r.votes.len() - yes;
    let mut parts = Vec::new();
    if !r.votes.is_empty() {
        parts.push(format!("同意拟处理意见 {yes} 票、不同意 {no} 票"));
    }
    if let Some((agree, _)) = &r.chief {
        parts.push(format!("检察长{}拟处理意见", if *agree { "同意" } else { "不同意" }));
    }
    if let Some((agree, _, _)) = &r.committee {
        parts.push(format!("检察委员会{}拟处理意见", if *agree { "同意" } else { "不同意" }));
    }
    if r.escalation.is_some() {
        parts.push("已报上级院".to_owned());
    }
    parts.join("；")
}

fn item(r: &Review) -> Item {
    use ReviewStatus as S;
    Item {
        id: r.id.to_string(),
        case_ref: r.case_ref.to_string(),
        kind: r.kind.zh(),
        status: r.status.zh(),
        class: match r.status {
            S::Notified => "green",
            S::AwaitingCommittee | S::AwaitingEscalation => "red",
            _ => "amber",
        },
        opened: crate::pages::day(r.opened_on),
        people: if r.participants.is_empty() {
            String::new()
        } else {
            format!("参加 {} 人", r.participants.len())
        },
        outcome: outcome(r),
    }
}

/// The form as typed.
#[derive(Debug, Default)]
pub(crate) struct NewReview {
    case_ref: String,
    kind: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "staff/review_list.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    items: Vec<Item>,
    opens: bool,
    kinds: Vec<(&'static str, &'static str)>,
    form: NewReview,
    bad: &'static str,
    error: Option<String>,
}

async fn list_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    year: i32,
    form: NewReview,
    error: Option<(Refusal, &'static str)>,
) -> Response {
    let who = p.clone();
    let mut all = match crate::blocking(s, move |app| app.reviews(&who)).await {
        Ok(a) => a,
        Err(e) => return failed(&e),
    };
    all.retain(|r| chrono::Datelike::year(&r.opened_on) == year);
    all.sort_by(|a, b| {
        b.opened_on.cmp(&a.opened_on).then_with(|| a.case_ref.as_str().cmp(b.case_ref.as_str()))
    });
    let (bad, error) = match error {
        Some((r, bad)) => (bad, Some(r)),
        None => ("", None),
    };
    let (status, error) = split(error);
    let page = ListPage {
        chrome,
        year,
        items: all.iter().map(item).collect(),
        opens: p.may(Action::ManageLiaison),
        kinds: ReviewKind::ALL.iter().map(|k| (k.code(), k.zh())).collect(),
        form,
        bad,
        error,
    };
    render(status, &page)
}

/// The list's query.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct YearQuery {
    #[serde(default)]
    pub(super) year: Option<i32>,
}

/// `GET /reviews?year=`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let year = year_of(q.year, s.app.now());
    let form = NewReview { kind: "proposed_non_prosecution".into(), ..NewReview::default() };
    list_page(&s, Chrome::of(&session, AT), &session.principal, year, form, None).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "case_ref" => "案号",
        "kind" => "评查类型",
        "summary" => "案情摘要",
        _ => "",
    }
}

/// The form's field a refusal is about (marked `aria-invalid`).
fn bad_field(e: &liaison_app::AppError) -> &'static str {
    match e.field_errors().first().map(|f| f.field.as_str()) {
        Some("case_ref") => "case_ref",
        Some("kind") => "kind",
        Some("summary") => "summary",
        _ => "",
    }
}

/// `POST /reviews`: open a review; its page next, or the form again with what was wrong.
pub(crate) async fn create(
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
    let form = NewReview {
        case_ref: f.get("case_ref").to_owned(),
        kind: f.get("kind").to_owned(),
        summary: f.get("summary").to_owned(),
    };
    let input = ReviewInput {
        case_ref: form.case_ref.clone(),
        kind: form.kind.clone(),
        summary: form.summary.clone(),
    };
    let year = year_of(None, s.app.now());
    match s.app.register_review(p, &input).await {
        Ok(v) => see_other(&format!("/reviews/{}", v.review.id)),
        Err(e) => match refusal_of(&e, FORBIDDEN, "", field_zh) {
            Some(r) => {
                let bad = bad_field(&e);
                list_page(&s, Chrome::of(&session, AT), p, year, form, Some((r, bad))).await
            }
            None => failed(&e),
        },
    }
}
