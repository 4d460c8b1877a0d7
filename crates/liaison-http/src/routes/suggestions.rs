//! `/api/v1/suggestions`, `/api/v1/measures`, `/api/v1/due`, `/api/v1/reports/suggestions`,
//! `/api/v1/settings/suggestion-policy`, and the deputy's feedback page `/feedback/{token}` (R1, P1.3).

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use liaison_app::views::HistoryEntry;
use liaison_app::{
    AppError, DueItem, FeedbackForm, FeedbackResend, FiguresView, MeasureAction, MeasureInput, MeasureView,
    Page, PolicyInput, SuggestionAction, SuggestionFilter, SuggestionInput, SuggestionSummary,
    SuggestionView,
};
use liaison_core::Localized;
use liaison_core::suggestion::GroupBy;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{day, tagged_body, with_etag};
use crate::auth::{Caller, IfMatch, idempotency};
use crate::problem::{ApiError, Lang, Problem};
use crate::{AppState, json_body};
use utoipa_axum::routes;

use super::Api;
use crate::access::*;

/// The operations of R1: suggestions, deadlines, figures, measures, feedback links, publications,
/// deliberations, each declared once with what it asks of its caller: `routes!` takes the path, the method
/// and the document of each handler from its `#[utoipa::path]`.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(list), Any(SUGGESTIONS))
        .op(routes!(create), Any(&[A::FileSuggestion]))
        .op(routes!(get), Any(SUGGESTIONS))
        .op(routes!(history), Any(SUGGESTIONS))
        .op(routes!(feedback_links), Any(&[A::IssueLinks]))
        .op(routes!(publication), Any(SUGGESTIONS))
        .op(routes!(body_links), Any(&[A::IssueLinks]))
        .op(
            routes!(action),
            Any(&[
                A::AssignSuggestion,
                A::HandleSuggestion,
                A::ApproveSuggestion,
                A::FileSuggestion,
                A::TranscribeRating,
                A::RateAsDeputy,
            ]),
        )
        .op(routes!(publications), Any(SUGGESTIONS))
        .op(routes!(deliberations), Any(&[A::ReadFigures]))
        .op(routes!(open_deliberation), Any(&[A::FileSuggestion]))
        .op(routes!(deliberation), Any(&[A::ReadFigures]))
        .op(routes!(deliberation_action), Any(&[A::FileSuggestion]))
        .op(routes!(explain_deadline), Account)
        .op(routes!(recompute_deadlines), Any(&[A::AssignSuggestion]))
        .op(routes!(due), Any(SUGGESTIONS))
        .op(routes!(figures), Any(&[A::ReadFigures]))
        .op(routes!(policy), Any(SUGGESTIONS))
        .op(routes!(set_policy), Any(&[A::ConfigurePolicy]))
        .op(routes!(measures), Any(SUGGESTIONS))
        .op(routes!(open_measure), Any(&[A::ManageMeasures]))
        .op(routes!(measure), Any(SUGGESTIONS))
        .op(routes!(measure_action), Any(&[A::ManageMeasures]))
        .op(routes!(feedback_get), Public)
        .op(routes!(feedback_post), Public)
}

/// Why, for the record.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReasonQuery {
    /// Recorded in the audit chain with the change.
    reason: Option<String>,
}

/// List query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// Status codes, comma-separated (`assigned,in_handling`).
    status: Option<String>,
    /// Department (name or id): lead or co-handler.
    department: Option<String>,
    /// Handler login.
    handler: Option<String>,
    /// Deputy id.
    deputy: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    from: Option<String>,
    /// Received on or before.
    to: Option<String>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// Page size, 1–1000 (default 50).
    limit: Option<u32>,
}

/// List suggestions, oldest first (a deputy account sees only its own).
#[utoipa::path(get, path = "/api/v1/suggestions", operation_id = "list_suggestions", tag = "suggestions", params(ListQuery),
    responses((status = 200, body = Page<SuggestionSummary>), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<SuggestionSummary>>, ApiError> {
    let f = SuggestionFilter {
        status: q.status,
        department: q.department,
        handler: q.handler,
        deputy: q.deputy,
        from: q.from,
        to: q.to,
        overdue: None,
    };
    let p = c.principal.clone();
    let page =
        crate::blocking(&s, move |app| app.suggestions(&p, &f, q.cursor.as_deref(), q.limit.unwrap_or(50)));
    Ok(Json(page.await.map_err(|e| c.err(e))?))
}

/// File a suggestion: received and registered with the next number of its year (`2026-0001`).
/// `Idempotency-Key` makes a retry return the first result.
#[utoipa::path(post, path = "/api/v1/suggestions", operation_id = "file_suggestion", tag = "suggestions", request_body = SuggestionInput,
    responses((status = 201, body = SuggestionView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let idem = idempotency(&headers, &body, c.lang)?;
    let input: SuggestionInput = json_body(&body, c.lang)?;
    let v = s.app.file_suggestion(&c.principal, &input, idem).await.map_err(|e| c.err(e))?;
    let mut r = with_etag(StatusCode::CREATED, v.suggestion.version, &v);
    if let Ok(loc) = format!("/api/v1/suggestions/{}", v.suggestion.id).parse() {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(r)
}

/// One suggestion (by id or number), with its pending deadlines. The `ETag` is its version.
#[utoipa::path(get, path = "/api/v1/suggestions/{key}", operation_id = "get_suggestion", tag = "suggestions", params(("key" = String, Path, description = "id or number (2026-0001)")),
    responses((status = 200, body = SuggestionView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.suggestion(&p, &key)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.suggestion.version, &v))
}

/// Run an action on a suggestion: `assign`, `reassign`, `return`, `start`, `contact`, `notify`,
/// `co_opinion`, `co_overdue`, `request_extension`, `extend`, `decline_extension`, `answer`, `rate`,
/// `lapse`, `escalation`, `solved`, `merge`, `withdraw`, `reroute`, `reroute_outcome`, `reroute_told`, `transfer`,
/// `panel`, `publish`, `anonymity`. The body holds the action's fields (see `SuggestionAction`; `action` may be left
/// out: the path names it). Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/{action}", tag = "suggestions",
    params(IfMatch, ("key" = String, Path, description = "id or number"), ("action" = String, Path), ReasonQuery),
    request_body = SuggestionAction,
    responses((status = 200, body = SuggestionView), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn action(
    State(s): State<AppState>,
    c: Caller,
    Path((key, action)): Path<(String, String)>,
    Query(q): Query<ReasonQuery>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: SuggestionAction = tagged_body(&action, &body, &c)?;
    let v = s
        .app
        .suggestion_action(&c.principal, &key, Some(expected), a, q.reason)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.suggestion.version, &v))
}

/// The audit history of a suggestion.
#[utoipa::path(get, path = "/api/v1/suggestions/{key}/history", operation_id = "suggestion_history", tag = "suggestions", params(("key" = String, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn history(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.suggestion_history(&p, &key)).await.map_err(|e| c.err(e))?))
}

/// Send each evaluator who has not rated the current answer their own rating link again, through the
/// outbox (the answer message anew; the worker issues the link as it sends). The links are never shown.
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/feedback-links", tag = "suggestions", params(("key" = String, Path)),
    request_body(content = Option<ResendBody>),
    responses((status = 202, body = Vec<FeedbackResend>), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn feedback_links(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
    body: Option<Json<ResendBody>>,
) -> Result<Response, ApiError> {
    let reason = body.and_then(|Json(b)| b.reason);
    let sent = s.app.resend_feedback_links(&c.principal, &key, reason).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(sent)).into_response())
}

/// Why the links are sent again (for the audit trail).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct ResendBody {
    /// The reason.
    reason: Option<String>,
}

/// Due-list query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DueQuery {
    /// Department (name or id).
    department: Option<String>,
    /// Handler login.
    handler: Option<String>,
    /// Only what is already late.
    overdue: Option<bool>,
    /// Only this kind: a workflow (`suggestion`, `measure`, `inspection`, `appointment`, `notice`) or a duty
    /// (`answer`, `rectification`, `appointment_meet` …).
    kind: Option<String>,
    /// Due within this many days (default: the policy's `due_soon_days`).
    within_days: Option<u32>,
}

/// Everything due soon (within the policy's horizon) or overdue, in every workflow, per department,
/// handler and kind: what suggestions owe (assignment, answers, co-handlers' opinions, progress notices,
/// extensions, feedback, follow-ups, escalations, rerouted items' outcomes), improvement measures,
/// inspections' rectification items, appointments to acknowledge or hold, notices not yet acknowledged.
#[utoipa::path(get, path = "/api/v1/due", tag = "suggestions", params(DueQuery),
    responses((status = 200, body = Vec<DueItem>)), security(("bearer" = [])))]
pub(crate) async fn due(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DueQuery>,
) -> Result<Json<Vec<DueItem>>, ApiError> {
    let p = c.principal.clone();
    let f = liaison_app::DueFilter {
        department: q.department,
        handler: q.handler,
        kind: q.kind,
        overdue_only: q.overdue.unwrap_or(false),
        within_days: q.within_days,
    };
    let items = crate::blocking(&s, move |app| app.due(&p, &f));
    Ok(Json(items.await.map_err(|e| c.err(e))?))
}

/// Figures query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiguresQuery {
    /// First day (YYYY-MM-DD); 1 January of this year when absent.
    from: Option<String>,
    /// Last day; 31 December of `from`'s year when absent.
    to: Option<String>,
    /// `all`, `level`, `department` or `handler`.
    group_by: Option<String>,
}

/// Suggestion figures for a period: received, on time, overdue, first-round and final satisfaction
/// (lapses apart), resolution (办成率), re-handling; by level (every level shown), department or handler.
#[utoipa::path(get, path = "/api/v1/reports/suggestions", tag = "suggestions", params(FiguresQuery),
    responses((status = 200, body = FiguresView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn figures(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<FiguresView>, ApiError> {
    let from = q.from.as_deref().map(|f| day("from", f)).transpose().map_err(|e| c.err(e))?;
    let to = q.to.as_deref().map(|t| day("to", t)).transpose().map_err(|e| c.err(e))?;
    let (from, to) = liaison_core::dates::year_by_default(from, to, s.app.now());
    let group = GroupBy::parse(q.group_by.as_deref().unwrap_or("all"))
        .map_err(|e| c.err(AppError::Invalid(vec![liaison_core::FieldError::new("group_by", &e)])))?;
    let p = c.principal.clone();
    let f = crate::blocking(&s, move |app| app.suggestion_figures(&p, from, to, group));
    Ok(Json(f.await.map_err(|e| c.err(e))?))
}

/// The deployment's suggestion policy (deadlines, satisfaction rule). The `ETag` is its version.
#[utoipa::path(get, path = "/api/v1/settings/suggestion-policy", tag = "suggestions",
    responses((status = 200, body = liaison_core::suggestion::SuggestionPolicy)), security(("bearer" = [])))]
pub(crate) async fn policy(State(s): State<AppState>, c: Caller) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let (policy, version) =
        crate::blocking(&s, move |app| app.suggestion_policy_versioned(&p)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, version, &policy))
}

/// Change the suggestion policy; absent fields keep their value. Requires `If-Match` (`"0"` while the
/// defaults apply).
#[utoipa::path(patch, path = "/api/v1/settings/suggestion-policy", tag = "suggestions", params(IfMatch, ReasonQuery),
    request_body = PolicyInput,
    responses((status = 200, body = liaison_core::suggestion::SuggestionPolicy), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn set_policy(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ReasonQuery>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: PolicyInput = json_body(&body, c.lang)?;
    let (policy, version) = s
        .app
        .set_suggestion_policy(&c.principal, &input, Some(expected), q.reason)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, version, &policy))
}

/// Measure list query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MeasureQuery {
    /// Owner department (name or id).
    department: Option<String>,
    /// `open`, `done`, `reported_back`.
    status: Option<String>,
}

/// Improvement measures (P1.3).
#[utoipa::path(get, path = "/api/v1/measures", tag = "suggestions", params(MeasureQuery),
    responses((status = 200, body = Vec<MeasureView>)), security(("bearer" = [])))]
pub(crate) async fn measures(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<MeasureQuery>,
) -> Result<Json<Vec<MeasureView>>, ApiError> {
    let p = c.principal.clone();
    let m = crate::blocking(&s, move |app| app.measures(&p, q.department.as_deref(), q.status.as_deref()));
    Ok(Json(m.await.map_err(|e| c.err(e))?))
}

/// Open an improvement measure from a suggestion or a deputy's opinion.
///
/// A department account opens measures owned by its own department only (403 otherwise); the office for any.
#[utoipa::path(post, path = "/api/v1/measures", tag = "suggestions", request_body = MeasureInput,
    responses((status = 201, body = MeasureView), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn open_measure(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: MeasureInput = json_body(&body, c.lang)?;
    let m = s.app.open_measure(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, m.measure.version, &m))
}

/// One measure.
#[utoipa::path(get, path = "/api/v1/measures/{id}", tag = "suggestions", params(("id" = String, Path)),
    responses((status = 200, body = MeasureView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn measure(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let m = crate::blocking(&s, move |app| app.measure(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, m.measure.version, &m))
}

/// `progress`, `complete` or `report_back` on a measure (body: `{"text": …}`). Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/measures/{id}/{action}", tag = "suggestions",
    params(IfMatch, ("id" = String, Path), ("action" = String, Path)), request_body = MeasureAction,
    responses((status = 200, body = MeasureView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn measure_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: MeasureAction = tagged_body(&action, &body, &c)?;
    let m = s.app.measure_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, m.measure.version, &m))
}

// ---- the deputy's feedback link: JSON for apps, a page for people ----

/// A rating given through a feedback link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkRating {
    /// 满意 / 基本满意 / 不满意.
    rating: String,
    /// Comment (required with 不满意).
    comment: Option<String>,
}

/// What a feedback link shows (no login: the link is the credential). A link spent, expired or past its
/// answer round is 410 Gone.
#[utoipa::path(get, path = "/api/v1/feedback/{token}", tag = "feedback", params(("token" = String, Path)),
    responses((status = 200, body = FeedbackForm), (status = 404, body = Problem), (status = 410, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn feedback_get(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Json<FeedbackForm>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let f = crate::blocking(&s, move |app| app.feedback_form(&token)).await;
    Ok(Json(f.map_err(|e| ApiError::from(e).lang(lang))?))
}

/// Rate through a feedback link (once: a spent, expired or outdated link is 410 Gone).
#[utoipa::path(post, path = "/api/v1/feedback/{token}", tag = "feedback", params(("token" = String, Path)), request_body = LinkRating,
    responses((status = 200, body = SuggestionView), (status = 409, body = Problem), (status = 410, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn feedback_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let r: LinkRating = json_body(&body, lang)?;
    let v = s
        .app
        .rate_by_link(&token, &r.rating, r.comment.as_deref())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    // The deputy learns the outcome, not the whole record.
    Ok(Json(serde_json::json!({ "number": v.suggestion.number, "status": v.status_zh })))
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    token: String,
    form: FeedbackForm,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    title: String,
    message: String,
}

pub(crate) fn page(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response()
        }
    }
}

pub(crate) fn message(status: StatusCode, title: &str, message: String) -> Response {
    page(status, &MessagePage { title: title.into(), message })
}

pub(crate) fn error_page(e: AppError) -> Response {
    let code = match e.kind() {
        liaison_app::ErrorKind::NotFound => StatusCode::NOT_FOUND,
        liaison_app::ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        liaison_app::ErrorKind::Conflict => StatusCode::CONFLICT,
        liaison_app::ErrorKind::Gone => StatusCode::GONE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    message(code, "无法完成", e.zh())
}

/// The rating page a deputy opens from the link (mobile-friendly, no external assets).
pub(crate) async fn feedback_page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let t = token.clone();
    match crate::blocking(&s, move |app| app.feedback_form(&t)).await {
        Ok(form) => page(StatusCode::OK, &FeedbackPage { token, form }),
        Err(e) => error_page(e),
    }
}

/// The rating form's submission (a form sent without a rating is answered with a page that says so).
#[derive(Debug, Deserialize)]
pub(crate) struct RatingForm {
    rating: Option<String>,
    comment: Option<String>,
}

/// Record the rating from the page.
pub(crate) async fn feedback_submit(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<RatingForm>,
) -> Response {
    let Some(rating) = f.rating.filter(|r| !r.trim().is_empty()) else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请选择评价",
            "请选择“满意”“基本满意”或“不满意”后再提交（请返回上一页）。".into(),
        );
    };
    match s.app.rate_by_link(&token, &rating, f.comment.as_deref()).await {
        Ok(v) => message(
            StatusCode::OK,
            "评价已提交",
            format!(
                "感谢您的评价。建议 {} 当前状态：{}。",
                v.suggestion.number.map(|n| n.to_string()).unwrap_or_default(),
                v.status_zh
            ),
        ),
        Err(e) => error_page(e),
    }
}

// ---- published answers and the deliberation of the work report ----

/// A published answer: the public text for a deputy of the audience (the first reading is recorded as a
/// view), and for staff its figures (reach, views, ratings, both verdicts apart).
#[utoipa::path(get, path = "/api/v1/suggestions/{key}/publication", tag = "publications", params(("key" = String, Path)),
    responses((status = 200, body = liaison_app::PublicationView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn publication(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Json<liaison_app::PublicationView>, ApiError> {
    Ok(Json(s.app.publication(&c.principal, &key).await.map_err(|e| c.err(e))?))
}

/// Published answers (a deputy account: those published to it).
#[utoipa::path(get, path = "/api/v1/publications", tag = "publications",
    responses((status = 200, body = Vec<liaison_app::PublicationView>)), security(("bearer" = [])))]
pub(crate) async fn publications(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_app::PublicationView>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.publications(&p)).await.map_err(|e| c.err(e))?))
}

/// Invite each deputy of the latest publication's audience who has not rated it to judge it, through the
/// outbox: the delivery worker issues each deputy's one-use rating link as it sends by SMS or e-mail, into
/// that deputy's message alone. Answers 202 with how many were queued, never a link.
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/body-links", tag = "publications", params(("key" = String, Path)),
    request_body(content = Option<ResendBody>),
    responses((status = 202, body = liaison_app::BodyLinksQueued), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn body_links(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
    body: Option<Json<ResendBody>>,
) -> Result<Response, ApiError> {
    let reason = body.and_then(|Json(b)| b.reason);
    let queued = s.app.send_body_links(&c.principal, &key, reason).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(queued)).into_response())
}

/// Every session's deliberation record.
#[utoipa::path(get, path = "/api/v1/deliberations", tag = "deliberations",
    responses((status = 200, body = Vec<liaison_app::DeliberationView>)), security(("bearer" = [])))]
pub(crate) async fn deliberations(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_app::DeliberationView>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.deliberations(&p)).await.map_err(|e| c.err(e))?))
}

/// Open the deliberation record of a congress session.
#[utoipa::path(post, path = "/api/v1/deliberations", tag = "deliberations", request_body = liaison_app::DeliberationInput,
    responses((status = 201, body = liaison_app::DeliberationView), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn open_deliberation(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::DeliberationInput = json_body(&body, c.lang)?;
    let v = s.app.open_deliberation(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.deliberation.version, &v))
}

/// One record with its summary: every opinion, where it went, what the deputy was told.
#[utoipa::path(get, path = "/api/v1/deliberations/{id}", tag = "deliberations", params(("id" = String, Path)),
    responses((status = 200, body = liaison_app::DeliberationView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn deliberation(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.deliberation(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.deliberation.version, &v))
}

/// `attend`, `opinion`, `route`, `tell` or `close` on a record (the body holds the action's fields).
/// Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/deliberations/{id}/{action}", tag = "deliberations",
    params(IfMatch, ("id" = String, Path), ("action" = String, Path)), request_body = liaison_app::DeliberationAction,
    responses((status = 200, body = liaison_app::DeliberationView), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn deliberation_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: liaison_app::DeliberationAction = tagged_body(&action, &body, &c)?;
    let v = s.app.deliberation_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.deliberation.version, &v))
}

/// How a deadline is computed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExplainQuery {
    /// The day the period runs from (YYYY-MM-DD, not counted).
    from: String,
    /// The period: `3m` (months) or `20d` (working days).
    period: String,
}

/// How a deadline of a period from a day is computed on the calendar in force: the due day, the days
/// skipped (weekends, published or statutory holidays) and the years assumed (no published schedule yet).
#[utoipa::path(get, path = "/api/v1/deadlines/explain", tag = "suggestions", params(ExplainQuery),
    responses((status = 200, body = liaison_app::DeadlineExplanation), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn explain_deadline(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ExplainQuery>,
) -> Result<Json<liaison_app::DeadlineExplanation>, ApiError> {
    Ok(Json(s.app.explain_deadline(&q.from, &q.period).map_err(|e| c.err(e))?))
}

/// Recompute query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RecomputeQuery {
    /// List the changes and write nothing.
    dry_run: Option<bool>,
}

/// Recompute the running answer deadlines on the calendar in force (after a newer holiday schedule was
/// loaded); each change is recorded on its suggestion. The office only.
#[utoipa::path(post, path = "/api/v1/deadlines/recompute", tag = "suggestions", params(RecomputeQuery),
    responses((status = 200, body = Vec<liaison_app::DeadlineChange>), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn recompute_deadlines(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<RecomputeQuery>,
) -> Result<Json<Vec<liaison_app::DeadlineChange>>, ApiError> {
    let changes =
        s.app.recompute_deadlines(&c.principal, q.dry_run.unwrap_or(false)).await.map_err(|e| c.err(e))?;
    Ok(Json(changes))
}
