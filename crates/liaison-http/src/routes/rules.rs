//! The other institutional rules (R2–R6): `/api/v1/notices`, `/plans`, `/meetings`, `/visits`, `/reach`,
//! `/calendar`, `/inspections`, `/contributions`, `/nominations`, `/reviews` (with the verifiable lottery).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{PeriodQuery, period, tagged_body, with_etag};
use crate::auth::{Caller, IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};
use utoipa_axum::routes;

use super::Api;
use crate::access::*;

/// The operations of R2–R6: notices, plans, meetings, visits, the calendar, inspections, commendation, case
/// reviews, each declared once with what it asks of its caller: `routes!` takes the path, the method and the
/// document of each handler from its `#[utoipa::path]`.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(notices), Any(SUGGESTIONS))
        .op(routes!(draft_notice), Any(&[A::ManageNotices]))
        .op(routes!(notice), Any(SUGGESTIONS))
        .op(routes!(notice_action), Any(&[A::ManageNotices, A::ApproveLiaison, A::RateAsDeputy]))
        .op(routes!(plan), Any(READ))
        .op(routes!(set_plan), Any(LIAISON))
        .op(routes!(adopt_plan), Any(&[A::ApproveLiaison]))
        .op(routes!(plan_meeting), Any(LIAISON))
        .op(routes!(meeting), Any(READ))
        .op(routes!(meeting_action), Any(LIAISON))
        .op(routes!(record_visit), Any(LIAISON))
        .op(routes!(reach), Any(READ))
        .op(routes!(calendar), Any(READ))
        .op(routes!(calendar_ics), Any(READ))
        .op(routes!(inspections), Any(READ))
        .op(routes!(plan_inspection), Any(LIAISON))
        .op(routes!(inspection), Any(READ))
        .op(routes!(inspection_action), Any(LIAISON))
        .op(routes!(contributions), Any(READ))
        .op(routes!(nominations), Any(READ))
        .op(routes!(nominate), Any(LIAISON))
        .op(routes!(nomination_action), Any(APPROVABLE))
        .op(routes!(reviews), Any(READ))
        .op(routes!(register_review), Any(LIAISON))
        .op(routes!(review), Any(READ))
        .op(routes!(verify_draw), Any(READ))
        .op(routes!(review_action), Any(APPROVABLE))
}

// ---- major-matter notices (R2) ----

/// Notice list query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NoticeQuery {
    /// Only this year.
    year: Option<i32>,
}

/// Major-matter notices (a deputy account: those it received).
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices", params(NoticeQuery),
    responses((status = 200, body = Vec<liaison_app::NoticeView>)), security(("bearer" = [])))]
pub(crate) async fn notices(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<NoticeQuery>,
) -> Result<Json<Vec<liaison_app::NoticeView>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.notices(&p, q.year)).await.map_err(|e| c.err(e))?))
}

/// Draft a major-matter notice.
#[utoipa::path(post, path = "/api/v1/notices", tag = "notices", request_body = liaison_app::NoticeInput,
    responses((status = 201, body = liaison_app::NoticeView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn draft_notice(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::NoticeInput = json_body(&body, c.lang)?;
    let v = s.app.draft_notice(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.notice.version, &v))
}

/// One notice with its deliveries.
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::NoticeView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn notice(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.notice(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.notice.version, &v))
}

/// `edit`, `approve` (a leader), `send`, `delivery`, `acknowledge`, `respond` on a notice. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/notices/{id}/{action}", tag = "notices",
    params(IfMatch, ("id" = String, Path), ("action" = String, Path)), request_body = liaison_app::NoticeAction,
    responses((status = 200, body = liaison_app::NoticeView), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn notice_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::NoticeAction = tagged_body(&action, &body, &c)?;
    let v = s.app.notice_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.notice.version, &v))
}

// ---- plans, meetings, visits, reach, calendar (R3) ----

/// A period's plan (`2026`, `2026H1`) and its progress.
#[utoipa::path(get, path = "/api/v1/plans/{period}", tag = "liaison", params(("period" = String, Path)),
    responses((status = 200, body = liaison_app::PlanView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn plan(
    State(s): State<AppState>,
    c: Caller,
    Path(period): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.plan(&p, &period)).await.map_err(|e| c.err(e))?;
    Ok(([etag(v.plan.version)], Json(v)).into_response())
}

/// Set a period's targets (refused once adopted). The body's `period` must match the path. Requires
/// `If-Match`: the plan's ETag, `"0"` for a plan not set yet.
#[utoipa::path(put, path = "/api/v1/plans/{period}", tag = "liaison", params(IfMatch, ("period" = String, Path)), request_body = liaison_app::PlanInput,
    responses((status = 200, body = liaison_app::PlanView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn set_plan(
    State(s): State<AppState>,
    c: Caller,
    Path(period): Path<String>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut input: liaison_app::PlanInput = json_body(&body, c.lang)?;
    if input.period.trim().is_empty() {
        input.period = period.clone();
    }
    if input.period.trim() != period.trim() {
        return Err(c.err(AppError::Invalid(vec![liaison_core::FieldError::new(
            "period",
            &liaison_core::ValueError::Mismatch("the path"),
        )])));
    }
    let v = s.app.set_plan(&c.principal, &input, Some(expected)).await.map_err(|e| c.err(e))?;
    Ok(([etag(v.plan.version)], Json(v)).into_response())
}

/// A leader adopts a period's plan. Requires `If-Match`: the plan's ETag as read, so the leader adopts
/// the targets they saw.
#[utoipa::path(post, path = "/api/v1/plans/{period}/adopt", tag = "liaison", params(IfMatch, ("period" = String, Path)),
    responses((status = 200, body = liaison_app::PlanView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn adopt_plan(
    State(s): State<AppState>,
    c: Caller,
    Path(period): Path<String>,
    IfMatch(expected): IfMatch,
) -> Result<Response, ApiError> {
    let v = s.app.adopt_plan(&c.principal, &period, Some(expected)).await.map_err(|e| c.err(e))?;
    Ok(([etag(v.plan.version)], Json(v)).into_response())
}

/// Plan a meeting with deputies.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "liaison", request_body = liaison_app::MeetingInput,
    responses((status = 201, body = liaison_core::meeting::Meeting), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn plan_meeting(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::MeetingInput = json_body(&body, c.lang)?;
    let m = s.app.plan_meeting(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, m.version, &m))
}

/// One meeting.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "liaison", params(("id" = String, Path)),
    responses((status = 200, body = liaison_core::meeting::Meeting), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn meeting(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let m = crate::blocking(&s, move |app| app.meeting(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, m.version, &m))
}

/// `invite`, `hold`, `cancel` or `opinion` on a meeting. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/{action}", tag = "liaison", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::MeetingAction,
    responses((status = 200, body = liaison_core::meeting::Meeting), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn meeting_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::MeetingAction = tagged_body(&action, &body, &c)?;
    let m = s.app.meeting_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, m.version, &m))
}

/// Record a visit to a deputy.
#[utoipa::path(post, path = "/api/v1/visits", tag = "liaison", request_body = liaison_app::VisitInput,
    responses((status = 201, body = liaison_core::meeting::Visit), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn record_visit(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::VisitInput = json_body(&body, c.lang)?;
    let v = s.app.record_visit(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// Deputies reached (met or visited) in a period, by level and region, and those not reached (P1.1).
#[utoipa::path(get, path = "/api/v1/reach", tag = "liaison", params(PeriodQuery),
    responses((status = 200, body = liaison_core::meeting::ReachReport)), security(("bearer" = [])))]
pub(crate) async fn reach(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<liaison_core::meeting::ReachReport>, ApiError> {
    let (from, to) = period(&s, &q).map_err(|e| c.err(e))?;
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.reach_report(&p, from, to)).await.map_err(|e| c.err(e))?))
}

/// Meetings and visits by day (P1.2).
#[utoipa::path(get, path = "/api/v1/calendar", tag = "liaison", params(PeriodQuery),
    responses((status = 200, body = Vec<liaison_app::CalendarEntry>)), security(("bearer" = [])))]
pub(crate) async fn calendar(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Vec<liaison_app::CalendarEntry>>, ApiError> {
    let (from, to) = period(&s, &q).map_err(|e| c.err(e))?;
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.liaison_calendar(&p, from, to)).await.map_err(|e| c.err(e))?))
}

/// The same calendar as iCalendar (`text/calendar`), to subscribe to from an office calendar.
#[utoipa::path(get, path = "/api/v1/calendar.ics", tag = "liaison", params(PeriodQuery),
    responses((status = 200, content_type = "text/calendar", body = String)), security(("bearer" = [])))]
pub(crate) async fn calendar_ics(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = period(&s, &q).map_err(|e| c.err(e))?;
    let p = c.principal.clone();
    let ics = crate::blocking(&s, move |app| app.liaison_ics(&p, from, to)).await.map_err(|e| c.err(e))?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], ics).into_response())
}

// ---- inspections and evaluations (R5) ----

/// Every inspection and evaluation.
#[utoipa::path(get, path = "/api/v1/inspections", tag = "liaison",
    responses((status = 200, body = Vec<liaison_app::InspectionView>)), security(("bearer" = [])))]
pub(crate) async fn inspections(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_app::InspectionView>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.inspections(&p)).await.map_err(|e| c.err(e))?))
}

/// Plan an inspection or evaluation with the congress.
#[utoipa::path(post, path = "/api/v1/inspections", tag = "liaison", request_body = liaison_app::InspectionInput,
    responses((status = 201, body = liaison_app::InspectionView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn plan_inspection(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::InspectionInput = json_body(&body, c.lang)?;
    let v = s.app.plan_inspection(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.inspection.version, &v))
}

/// One inspection with its aggregated scores.
#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "liaison", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::InspectionView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn inspection(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.inspection(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.inspection.version, &v))
}

/// `hold`, `score`, `opinion`, `rectify`, `done`, `report` on an inspection. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/{action}", tag = "liaison", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::InspectionAction,
    responses((status = 200, body = liaison_app::InspectionView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn inspection_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::InspectionAction = tagged_body(&action, &body, &c)?;
    let v = s.app.inspection_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.inspection.version, &v))
}

// ---- commendation (R6) ----

/// Every current deputy's contribution in a period, highest first, with the evidence behind each point.
#[utoipa::path(get, path = "/api/v1/contributions", tag = "commendation", params(PeriodQuery),
    responses((status = 200, body = Vec<liaison_core::commendation::Contribution>)), security(("bearer" = [])))]
pub(crate) async fn contributions(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Vec<liaison_core::commendation::Contribution>>, ApiError> {
    let (from, to) = period(&s, &q).map_err(|e| c.err(e))?;
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.contributions(&p, from, to)).await.map_err(|e| c.err(e))?))
}

/// Nominations for commendation.
#[utoipa::path(get, path = "/api/v1/nominations", tag = "commendation",
    responses((status = 200, body = Vec<liaison_core::commendation::Nomination>)), security(("bearer" = [])))]
pub(crate) async fn nominations(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::commendation::Nomination>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.nominations(&p)).await.map_err(|e| c.err(e))?))
}

/// Nominate a deputy on their contribution in a period (the evidence is kept with the nomination).
#[utoipa::path(post, path = "/api/v1/nominations", tag = "commendation", request_body = liaison_app::NominationInput,
    responses((status = 201, body = liaison_core::commendation::Nomination), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn nominate(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::NominationInput = json_body(&body, c.lang)?;
    let n = s.app.nominate(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, n.version, &n))
}

/// `approve` (a leader), `submit`, `accept`, `decline` on a nomination. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/nominations/{id}/{action}", tag = "commendation", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::NominationAction,
    responses((status = 200, body = liaison_core::commendation::Nomination), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn nomination_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::NominationAction = tagged_body(&action, &body, &c)?;
    let n = s.app.nomination_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, n.version, &n))
}

// ---- reviews of major cases and the verifiable lottery (R4) ----

/// Every review of a major case.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews",
    responses((status = 200, body = Vec<liaison_core::review::Review>)), security(("bearer" = [])))]
pub(crate) async fn reviews(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::review::Review>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.reviews(&p)).await.map_err(|e| c.err(e))?))
}

/// Register a review (the case's reference, kind and a summary only).
#[utoipa::path(post, path = "/api/v1/reviews", tag = "reviews", request_body = liaison_app::ReviewInput,
    responses((status = 201, body = liaison_app::ReviewView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn register_review(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::ReviewInput = json_body(&body, c.lang)?;
    let v = s.app.register_review(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.review.version, &v))
}

/// One review.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = String, Path)),
    responses((status = 200, body = liaison_core::review::Review), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn review(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let r = crate::blocking(&s, move |app| app.review(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, r.version, &r))
}

/// Reproduce a review's draw from the record alone: pool fingerprint, seed commitment, result.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/verify", tag = "reviews", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::DrawVerification)), security(("bearer" = [])))]
pub(crate) async fn verify_draw(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Json<liaison_app::DrawVerification>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.verify_draw(&p, &id)).await.map_err(|e| c.err(e))?))
}

/// `recuse`, `prepare` (answers with the seed, once), `draw`, `vote`, `chief`, `committee`, `escalate`,
/// `notify` on a review. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/{action}", tag = "reviews", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::ReviewAction,
    responses((status = 200, body = liaison_app::ReviewView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn review_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::ReviewAction = tagged_body(&action, &body, &c)?;
    let v = s.app.review_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.review.version, &v))
}
