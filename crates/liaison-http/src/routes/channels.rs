//! The channels and guarantees (C1, C3, C4, G1–G3): `/api/v1/rights/check`, `/activities` (and a
//! participant's `/activities/{id}/responses`, the deputy's `/me/activities`), `/fairness`,
//! `/budgets`, `/appointments`, `/supervisors`, `/calls`, `/cards`, `/services`, `/solicitations`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use liaison_app::AppError;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{PeriodQuery, period, tagged_body, with_etag};
use crate::auth::{Caller, IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};
use utoipa_axum::routes;

use super::Api;
use crate::access::*;

/// The operations of the channels and guarantees (C1, C3, C4, G1–G3), each declared once with what it asks of
/// its caller: `routes!` takes the path, the method and the document of each handler from its
/// `#[utoipa::path]`.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(rights_check), Any(&[A::CheckRights]))
        .op(routes!(activities), Any(READ))
        .op(routes!(plan_activity), Any(LIAISON))
        .op(routes!(activity), Any(READ))
        .op(routes!(verify_activity), Any(READ))
        .op(routes!(activity_action), Any(APPROVABLE))
        .op(routes!(answer_activity), Any(ANSWER))
        .op(routes!(my_activities), Any(&[A::AnswerActivity]))
        .op(routes!(my_activity_draw), Any(&[A::AnswerActivity]))
        .op(routes!(fairness), Any(READ))
        .op(routes!(budget), Any(READ))
        .op(routes!(budget_action), Any(APPROVABLE))
        .op(routes!(appointments), Any(&[A::ReadCoverage, A::RequestAppointment]))
        .op(routes!(request_appointment), Any(&[A::ManageLiaison, A::RequestAppointment]))
        .op(routes!(appointment_action), Any(LIAISON))
        .op(routes!(supervisors), Any(READ))
        .op(routes!(appoint_supervisor), Any(LIAISON))
        .op(routes!(calls), Any(READ))
        .op(routes!(log_call), Any(LIAISON))
        .op(routes!(cards), Any(READ))
        .op(routes!(issue_card), Any(LIAISON))
        .op(routes!(revoke_card), Any(LIAISON))
        .op(routes!(print_card), Any(READ))
        .op(routes!(services), Any(READ))
        .op(routes!(open_service), Any(LIAISON))
        .op(routes!(service_step), Any(LIAISON))
        .op(routes!(solicitations), Any(READ))
        .op(routes!(send_solicitation), Any(LIAISON))
        .op(routes!(respond_solicitation), Any(LIAISON))
}

// ---- the rights check (G1) ----

/// Is this person a deputy in office, of which level(s), and what does the Law on Deputies require before
/// arrest or trial? For the case system: POST, so the ID number stays out of URLs and logs. Every check is
/// audited with its reason.
#[utoipa::path(post, path = "/api/v1/rights/check", tag = "rights", request_body = liaison_app::RightsQuery,
    responses((status = 200, body = liaison_app::RightsAnswer), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn rights_check(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Json<liaison_app::RightsAnswer>, ApiError> {
    let q: liaison_app::RightsQuery = json_body(&body, c.lang)?;
    Ok(Json(s.app.rights_check(&c.principal, &q).await.map_err(|e| c.err(e))?))
}

// ---- the activity platform (C4) ----

/// Every activity.
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities",
    responses((status = 200, body = Vec<liaison_core::activity::Activity>)), security(("bearer" = [])))]
pub(crate) async fn activities(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::activity::Activity>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.activities(&p)).await.map_err(|e| c.err(e))?))
}

/// Plan an activity with seats, eligibility and a selection rule (lottery or rotation).
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = liaison_app::ActivityInput,
    responses((status = 201, body = liaison_app::ActivityView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn plan_activity(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::ActivityInput = json_body(&body, c.lang)?;
    let v = s.app.plan_activity(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.activity.version, &v))
}

/// One activity.
#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = String, Path)),
    responses((status = 200, body = liaison_core::activity::Activity), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn activity(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let a = crate::blocking(&s, move |app| app.activity(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, a.version, &a))
}

/// Reproduce an activity's draw from the record alone.
#[utoipa::path(get, path = "/api/v1/activities/{id}/verify", tag = "activities", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::DrawVerification)), security(("bearer" = [])))]
pub(crate) async fn verify_activity(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Json<liaison_app::DrawVerification>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.verify_activity_draw(&p, &id)).await.map_err(|e| c.err(e))?))
}

/// `prepare` (answers with the seed, once), `draw`, `hold`, `feedback`, `cancel`. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/activities/{id}/{action}", tag = "activities", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::ActivityAction,
    responses((status = 200, body = liaison_app::ActivityView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn activity_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::ActivityAction = tagged_body(&action, &body, &c)?;
    let v = s.app.activity_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.activity.version, &v))
}

/// Who may answer for a seat: the deputy, as themselves; the liaison office or an officer, for a deputy.
const ANSWER: &[liaison_core::access::Action] = &[A::AnswerActivity, A::ManageLiaison];

/// A participant's answer after the draw: `confirm`, or `decline` with a `reason`, until the day before the
/// activity. A deputy's own account answers for itself (an activity it was not chosen for is not found);
/// the liaison office or an officer records a deputy's answer (`deputy`) with a `note` of how it was given.
/// A decline frees the seat (not filled again by the draw) and tells the liaison office. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/activities/{id}/responses", tag = "activities", params(IfMatch, ("id" = String, Path)),
    request_body = liaison_app::ActivityAnswerInput,
    responses((status = 200, body = liaison_app::ActivityView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn answer_activity(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::ActivityAnswerInput = json_body(&body, c.lang)?;
    let v = s.app.answer_activity(&c.principal, &id, Some(expected), &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.activity.version, &v))
}

/// The activities the calling deputy was chosen for (drawn or in rotation): those still to answer first,
/// each with the deputy's answer and the last day to give or change it.
#[utoipa::path(get, path = "/api/v1/me/activities", tag = "activities",
    responses((status = 200, body = Vec<liaison_app::MyActivity>), (status = 403, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn my_activities(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_app::MyActivity>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.my_activities(&p)).await.map_err(|e| c.err(e))?))
}

/// The public record of an activity's draw whose pool the calling deputy was in, verified from the record
/// alone, with the deputy's place in the drawn order.
#[utoipa::path(get, path = "/api/v1/me/activities/{id}/draw", tag = "activities", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::MyDraw), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn my_activity_draw(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Json<liaison_app::MyDraw>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.my_activity_draw(&p, &id)).await.map_err(|e| c.err(e))?))
}

/// Participation in activities by level and its spread (Gini), P1.1.
#[utoipa::path(get, path = "/api/v1/fairness", tag = "activities", params(PeriodQuery),
    responses((status = 200, body = liaison_core::activity::Fairness)), security(("bearer" = [])))]
pub(crate) async fn fairness(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<liaison_core::activity::Fairness>, ApiError> {
    let (from, to) = period(&s, &q).map_err(|e| c.err(e))?;
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.fairness(&p, from, to)).await.map_err(|e| c.err(e))?))
}

// ---- the budget (G2) ----

/// A year's liaison budget and its execution (with the projected shortfall).
#[utoipa::path(get, path = "/api/v1/budgets/{year}", tag = "budget", params(("year" = i32, Path)),
    responses((status = 200, body = liaison_app::BudgetView)), security(("bearer" = [])))]
pub(crate) async fn budget(
    State(s): State<AppState>,
    c: Caller,
    Path(year): Path<i32>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.budget(&p, year)).await.map_err(|e| c.err(e))?;
    Ok(([etag(v.budget.version)], Json(v)).into_response())
}

/// `line`, `adopt` (a leader), `spend` (a voucher's `reference` once), `reverse` (expense `n` entered in
/// error, with its `reason`: a new entry, never an edit, with the permission of spending), `request`,
/// `approve` / `reject` (a leader); amounts in yuan.
/// Requires `If-Match`: the budget's ETag, `"0"` before its first line.
#[utoipa::path(post, path = "/api/v1/budgets/{year}/{action}", tag = "budget", params(IfMatch, ("year" = i32, Path), ("action" = String, Path)),
    request_body = liaison_app::BudgetAction,
    responses((status = 200, body = liaison_app::BudgetView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn budget_action(
    State(s): State<AppState>,
    c: Caller,
    Path((year, action)): Path<(i32, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::BudgetAction = tagged_body(&action, &body, &c)?;
    let v = s.app.budget_action(&c.principal, year, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.budget.version, &v))
}

// ---- appointments (C3) ----

/// Appointment list query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AppointmentQuery {
    /// Only this official.
    official: Option<String>,
}

/// Appointments (of one official). A deputy's token lists the deputy's own appointments only (`official`
/// ignored).
#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments", params(AppointmentQuery),
    responses((status = 200, body = Vec<liaison_core::appointment::Appointment>)), security(("bearer" = [])))]
pub(crate) async fn appointments(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AppointmentQuery>,
) -> Result<Json<Vec<liaison_core::appointment::Appointment>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(
        crate::blocking(&s, move |app| app.appointments(&p, q.official.as_deref()))
            .await
            .map_err(|e| c.err(e))?,
    ))
}

/// Record a deputy's request to meet an official (or the official's initiative). With a deputy's own token
/// the deputy asks as themself: `deputy` and `channel` may be left out and are ignored (the deputy is the
/// caller, the channel `online`).
#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", request_body = liaison_app::AppointmentInput,
    responses((status = 201, body = liaison_core::appointment::Appointment), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn request_appointment(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::AppointmentInput = json_body(&body, c.lang)?;
    let a = s.app.request_appointment(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, a.version, &a))
}

/// `acknowledge`, `schedule` (refused on a clash), `hold`, `decline`. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/{action}", tag = "appointments", params(IfMatch, ("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::AppointmentAction,
    responses((status = 200, body = liaison_core::appointment::Appointment), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn appointment_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::AppointmentAction = tagged_body(&action, &body, &c)?;
    let v = s.app.appointment_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

// ---- supervisor appointments ----

/// Supervisor appointments.
#[utoipa::path(get, path = "/api/v1/supervisors", tag = "activities",
    responses((status = 200, body = Vec<liaison_app::SupervisorAppointment>)), security(("bearer" = [])))]
pub(crate) async fn supervisors(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_app::SupervisorAppointment>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.supervisors(&p)).await.map_err(|e| c.err(e))?))
}

/// Appoint a deputy as a supervisor (422 with the reason when ineligible).
#[utoipa::path(post, path = "/api/v1/supervisors", tag = "activities", request_body = liaison_app::SupervisorInput,
    responses((status = 201, body = liaison_app::SupervisorAppointment), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn appoint_supervisor(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::SupervisorInput = json_body(&body, c.lang)?;
    let a = s.app.appoint_supervisor(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(a)).into_response())
}

// ---- hotline, cards, services, solicitations (C1, G3, C4) ----

/// The hotline log.
#[utoipa::path(get, path = "/api/v1/calls", tag = "channels", responses((status = 200, body = Vec<liaison_core::channels::HotlineCall>)), security(("bearer" = [])))]
pub(crate) async fn calls(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::HotlineCall>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.calls(&p)).await.map_err(|e| c.err(e))?))
}

/// Log a hotline call (a deputy's call routed to `suggestion` is filed at once).
#[utoipa::path(post, path = "/api/v1/calls", tag = "channels", request_body = liaison_app::CallInput,
    responses((status = 201, body = liaison_core::channels::HotlineCall), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn log_call(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::CallInput = json_body(&body, c.lang)?;
    let v = s.app.log_call(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// Liaison cards.
#[utoipa::path(get, path = "/api/v1/cards", tag = "channels", responses((status = 200, body = Vec<liaison_core::channels::LiaisonCard>)), security(("bearer" = [])))]
pub(crate) async fn cards(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::LiaisonCard>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.cards(&p)).await.map_err(|e| c.err(e))?))
}

/// Issue a liaison card: `officer` an active officer of the organisation (id or name), `telephone` a
/// mobile number or a landline; refused (409 `card.active_card`) while the deputy holds an active card —
/// revoke it first.
#[utoipa::path(post, path = "/api/v1/cards", tag = "channels", request_body = liaison_app::CardInput,
    responses((status = 201, body = liaison_core::channels::LiaisonCard), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn issue_card(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::CardInput = json_body(&body, c.lang)?;
    let v = s.app.issue_card(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// Why a card is revoked.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RevokeBody {
    /// The reason (required).
    #[serde(default)]
    reason: String,
}

/// Revoke a card. Requires `If-Match`: the card's `version` as read.
#[utoipa::path(post, path = "/api/v1/cards/{number}/revoke", tag = "channels", params(IfMatch, ("number" = String, Path)), request_body = RevokeBody,
    responses((status = 200, body = liaison_core::channels::LiaisonCard), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn revoke_card(
    State(s): State<AppState>,
    c: Caller,
    Path(number): Path<String>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: RevokeBody = json_body(&body, c.lang)?;
    let card =
        s.app.revoke_card(&c.principal, &number, Some(expected), &b.reason).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, card.version, &card))
}

/// A card as a printable page.
#[utoipa::path(get, path = "/api/v1/cards/{number}/print", tag = "channels", params(("number" = String, Path)),
    responses((status = 200, content_type = "text/html", body = String)), security(("bearer" = [])))]
pub(crate) async fn print_card(
    State(s): State<AppState>,
    c: Caller,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let html = crate::blocking(&s, move |app| app.card_page(&p, &number)).await.map_err(|e| c.err(e))?;
    Ok(Html(html).into_response())
}

/// Services query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ServiceQuery {
    /// Only open ones.
    open: Option<bool>,
}

/// Services to deputies.
#[utoipa::path(get, path = "/api/v1/services", tag = "channels", params(ServiceQuery), responses((status = 200, body = Vec<liaison_core::channels::Service>)), security(("bearer" = [])))]
pub(crate) async fn services(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ServiceQuery>,
) -> Result<Json<Vec<liaison_core::channels::Service>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(
        crate::blocking(&s, move |app| app.services(&p, q.open.unwrap_or(false)))
            .await
            .map_err(|e| c.err(e))?,
    ))
}

/// Open a service.
#[utoipa::path(post, path = "/api/v1/services", tag = "channels", request_body = liaison_app::ServiceInput,
    responses((status = 201, body = liaison_core::channels::Service), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn open_service(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::ServiceInput = json_body(&body, c.lang)?;
    let v = s.app.open_service(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A service's step: its result (`resolve`) or the item delivered (`deliver`).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ServiceStepBody {
    /// The result, or the item delivered.
    #[serde(default)]
    text: String,
}

/// `resolve` (the result as `text`) or `deliver` (the item as `text`) a service. Requires `If-Match`: the
/// service's `version` as read.
#[utoipa::path(post, path = "/api/v1/services/{id}/{action}", tag = "channels", params(IfMatch, ("id" = String, Path), ("action" = String, Path)), request_body = ServiceStepBody,
    responses((status = 200, body = liaison_core::channels::Service), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn service_step(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ServiceStepBody { text } = json_body(&body, c.lang)?;
    let delivery = match action.as_str() {
        "resolve" => false,
        "deliver" => true,
        _ => return Err(c.err(AppError::NotFound { what: "action", id: action })),
    };
    let v =
        s.app.service_step(&c.principal, &id, Some(expected), &text, delivery).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Solicitations.
#[utoipa::path(get, path = "/api/v1/solicitations", tag = "channels", responses((status = 200, body = Vec<liaison_core::channels::Solicitation>)), security(("bearer" = [])))]
pub(crate) async fn solicitations(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::Solicitation>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.solicitations(&p)).await.map_err(|e| c.err(e))?))
}

/// Send a solicitation to an audience.
#[utoipa::path(post, path = "/api/v1/solicitations", tag = "channels", request_body = liaison_app::SolicitationInput,
    responses((status = 201, body = liaison_core::channels::Solicitation), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn send_solicitation(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::SolicitationInput = json_body(&body, c.lang)?;
    let v = s.app.send_solicitation(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A recipient's response to a solicitation.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ResponseBody {
    /// The deputy who responds (id or name).
    #[serde(default)]
    deputy: String,
    /// What they said.
    #[serde(default)]
    text: String,
    /// File it as a suggestion too (source 来信 or 座谈会).
    #[serde(default)]
    as_suggestion: bool,
}

/// A recipient's response. Requires `If-Match`: the solicitation's `version` as read.
#[utoipa::path(post, path = "/api/v1/solicitations/{id}/respond", tag = "channels", params(IfMatch, ("id" = String, Path)), request_body = ResponseBody,
    responses((status = 200, body = liaison_core::channels::Solicitation), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn respond_solicitation(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ResponseBody { deputy, text, as_suggestion } = json_body(&body, c.lang)?;
    let v = s
        .app
        .respond_solicitation(&c.principal, &id, Some(expected), &deputy, &text, as_suggestion)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}
