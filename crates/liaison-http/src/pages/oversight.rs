//! The oversight pages (issue 16): how the procuratorate accepts supervision, on the same use cases as the
//! API. Two workspaces of the menu:
//! - 案件评查 (R4, C4): the reviews of major cases by people's supervisors and the deputies' observation of
//!   the procuratorial committee (`reviews.rs`: the list and the form to open one; `review_page.rs`: the
//!   pool, recusals, the seeded draw, votes, the decisions and the draw's verification), and the people's
//!   supervisors appointed from the deputies (`supervisors.rs`);
//! - 视察整改 (R5, C4, P1.3): the congress's inspections and evaluations with their scores and
//!   rectification items (`inspections.rs`), the deliberation of the work report at the congress session
//!   with each opinion routed and its deputy told (`deliberations.rs`), and the improvement measures with
//!   their progress (`measures.rs`).
//!
//! Architecture invariant, as for every page: no rule and no SQL here. Each handler calls the `liaison-app`
//! use case the JSON route calls, under its permission, with the record's version (a stale page is
//! refused), and says the app's refusal in Chinese, naming the form's fields; ids only in links and the
//! forms' values, people by name, level and region.

mod deliberations;
mod inspections;
mod measures;
mod review_page;
mod reviews;
mod supervisors;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use liaison_app::{AppError, ErrorKind};

use crate::AppState;

/// The routes of these pages (merged into the pages' router, under its layers).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(reviews::list).post(reviews::create))
        .route("/reviews/{id}", get(review_page::show).post(review_page::act))
        .route("/supervisors", get(supervisors::list).post(supervisors::appoint))
        .route("/supervisors/{id}/end", post(supervisors::end))
        .route("/inspections", get(inspections::list).post(inspections::create))
        .route("/inspections/{id}", get(inspections::show).post(inspections::act))
        .route("/deliberations", get(deliberations::list).post(deliberations::create))
        .route("/deliberations/{id}", get(deliberations::show).post(deliberations::act))
        .route("/measures", get(measures::list).post(measures::open))
        .route("/measures/{id}", get(measures::show).post(measures::act))
}

/// A refusal as the page shows it: its status and one sentence.
pub(crate) type Refusal = (StatusCode, String);

/// The page's status and message from an optional refusal.
pub(crate) fn split(error: Option<Refusal>) -> (StatusCode, Option<String>) {
    match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    }
}

/// A 422 refusal.
pub(crate) fn invalid(why: impl Into<String>) -> Refusal {
    (StatusCode::UNPROCESSABLE_ENTITY, why.into())
}

/// Why the app refused, as the page says it, with its status (`forbidden`: what the role may not do;
/// `stale`: the record changed; `name`: the form's fields in Chinese); `None` for a failure that is not the
/// user's (the failure page then).
pub(crate) fn refusal_of(
    e: &AppError,
    forbidden: &str,
    stale: &str,
    name: impl Fn(&str) -> &'static str,
) -> Option<Refusal> {
    Some(match e.kind() {
        ErrorKind::Forbidden => (StatusCode::FORBIDDEN, forbidden.to_owned()),
        ErrorKind::Stale => (StatusCode::CONFLICT, stale.to_owned()),
        // The app's sentence names the record by id: the page says it without.
        ErrorKind::NotFound => {
            (StatusCode::NOT_FOUND, "所选的记录不存在或已不在名册上，请刷新页面后再试。".to_owned())
        }
        ErrorKind::Conflict => (StatusCode::CONFLICT, super::refusal_text(e, name)),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, super::refusal_text(e, name)),
        _ => return None,
    })
}

/// The 404 page of a record the address names but the tenant does not hold (the id is not repeated).
pub(crate) fn not_found(e: &AppError) -> axum::response::Response {
    if e.kind() == ErrorKind::NotFound {
        return super::render(
            StatusCode::NOT_FOUND,
            &super::Notice {
                title: "找不到记录",
                message: "您要查看的记录不存在，可能地址有误或记录已被删除。".into(),
                back: "/",
                back_text: "返回首页",
            },
        );
    }
    super::failed(e)
}

/// A deputy as a select offers them: the id as the value, the label shown.
pub(crate) struct Choice {
    pub(crate) id: String,
    pub(crate) label: String,
}

/// The year of a `?year=` query, within reason, or this year.
pub(crate) fn year_of(q: Option<i32>, now: chrono::DateTime<chrono::Utc>) -> i32 {
    q.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| liaison_core::dates::china_year(now))
}

/// A due day with what is left, as the lists say it (`2026年9月30日（还有 12 天）`).
pub(crate) fn due_text(due: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let n = (due - today).num_days();
    let left = match n {
        n if n < 0 => format!("已逾期 {} 天", -n),
        0 => "今天到期".to_owned(),
        n => format!("还有 {n} 天"),
    };
    super::i18n::aside(&super::day(due), &[&super::i18n::text(&left)])
}
