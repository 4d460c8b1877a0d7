//! `/api/v1/suggestions`, `/api/v1/measures`, `/api/v1/due`, `/api/v1/reports/suggestions`,
//! `/api/v1/settings/suggestion-policy`, and the deputy's feedback page `/feedback/{token}` (R1, P1.3).

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use liaison_app::views::HistoryEntry;
use liaison_app::{
    AppError, DueItem, FeedbackForm, FeedbackLink, FiguresView, MeasureAction, MeasureInput, MeasureView,
    Page, PolicyInput, SuggestionAction, SuggestionFilter, SuggestionInput, SuggestionSummary,
    SuggestionView,
};
use liaison_core::Localized;
use liaison_core::suggestion::GroupBy;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, etag, idempotency, if_match, if_match_opt};
use crate::problem::{ApiError, Lang, Problem};
use crate::{AppState, json_body};

fn with_etag<T: serde::Serialize>(status: StatusCode, version: u64, body: &T) -> Response {
    (status, [etag(version)], Json(body)).into_response()
}

/// Why, for the record.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ReasonQuery {
    /// Recorded in the audit chain with the change.
    reason: Option<String>,
}

/// List query.
#[derive(Debug, Deserialize, IntoParams)]
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
#[utoipa::path(get, path = "/api/v1/suggestions", tag = "suggestions", params(ListQuery),
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
    };
    let p = c.principal.clone();
    let page =
        crate::blocking(&s, move |app| app.suggestions(&p, &f, q.cursor.as_deref(), q.limit.unwrap_or(50)));
    Ok(Json(page.await.map_err(|e| c.err(e))?))
}

/// File a suggestion: received and registered with the next number of its year (`2026-0001`).
/// `Idempotency-Key` makes a retry return the first result.
#[utoipa::path(post, path = "/api/v1/suggestions", tag = "suggestions", request_body = SuggestionInput,
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
#[utoipa::path(get, path = "/api/v1/suggestions/{key}", tag = "suggestions", params(("key" = String, Path, description = "id or number (2026-0001)")),
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

/// Run an action on a suggestion: `assign`, `return`, `start`, `contact`, `notify`, `co_opinion`,
/// `co_overdue`, `extend`, `answer`, `rate`, `lapse`, `escalation`, `solved`, `merge`, `withdraw`,
/// `reroute`, `panel`. The body holds the action's fields (see `SuggestionAction`; `action` may be left
/// out: the path names it). Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/{action}", tag = "suggestions",
    params(("key" = String, Path, description = "id or number"), ("action" = String, Path), ReasonQuery),
    request_body = SuggestionAction,
    responses((status = 200, body = SuggestionView), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn action(
    State(s): State<AppState>,
    c: Caller,
    Path((key, action)): Path<(String, String)>,
    Query(q): Query<ReasonQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: SuggestionAction = tagged_body(&action, &body, &c)?;
    let v = s
        .app
        .suggestion_action(&c.principal, &key, Some(expected), a, q.reason)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.suggestion.version, &v))
}

/// The audit history of a suggestion.
#[utoipa::path(get, path = "/api/v1/suggestions/{key}/history", tag = "suggestions", params(("key" = String, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn history(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.suggestion_history(&p, &key)).await.map_err(|e| c.err(e))?))
}

/// Issue one-use feedback links for the current answer, one per evaluator who has not rated. The links
/// are shown once; send each to its deputy only.
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/feedback-links", tag = "suggestions", params(("key" = String, Path)),
    responses((status = 201, body = Vec<FeedbackLink>), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn feedback_links(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let links = s.app.issue_feedback_links(&c.principal, &key).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(links)).into_response())
}

/// Due-list query.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct DueQuery {
    /// Department (name or id).
    department: Option<String>,
    /// Handler login.
    handler: Option<String>,
    /// Only what is already late.
    overdue: Option<bool>,
}

/// What is due soon (within the policy's horizon) or overdue, per department and handler: answers,
/// co-handlers' opinions, progress notices, feedback, follow-ups, escalations, improvement measures.
#[utoipa::path(get, path = "/api/v1/due", tag = "suggestions", params(DueQuery),
    responses((status = 200, body = Vec<DueItem>)), security(("bearer" = [])))]
pub(crate) async fn due(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DueQuery>,
) -> Result<Json<Vec<DueItem>>, ApiError> {
    let p = c.principal.clone();
    let items = crate::blocking(&s, move |app| {
        app.due_list(&p, q.department.as_deref(), q.handler.as_deref(), q.overdue.unwrap_or(false))
    });
    Ok(Json(items.await.map_err(|e| c.err(e))?))
}

/// Figures query.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct FiguresQuery {
    /// First day (YYYY-MM-DD); 1 January of this year when absent.
    from: Option<String>,
    /// Last day; 31 December of `from`'s year when absent.
    to: Option<String>,
    /// `all`, `level`, `department` or `handler`.
    group_by: Option<String>,
}

fn day(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    liaison_core::registry::parse_date(s)
        .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]))
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
    let year = chrono::Datelike::year(&liaison_core::meta::china_date(s.app.now()));
    let from = match q.from.as_deref() {
        Some(f) => day("from", f).map_err(|e| c.err(e))?,
        None => NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
    };
    let to = match q.to.as_deref() {
        Some(t) => day("to", t).map_err(|e| c.err(e))?,
        None => NaiveDate::from_ymd_opt(chrono::Datelike::year(&from), 12, 31).unwrap_or(NaiveDate::MAX),
    };
    let group = GroupBy::parse(q.group_by.as_deref().unwrap_or("all"))
        .map_err(|e| c.err(AppError::Invalid(vec![liaison_core::FieldError::new("group_by", &e)])))?;
    let p = c.principal.clone();
    let f = crate::blocking(&s, move |app| app.suggestion_figures(&p, from, to, group));
    Ok(Json(f.await.map_err(|e| c.err(e))?))
}

/// The deployment's suggestion policy (deadlines, satisfaction rule). The `ETag` is its version.
#[utoipa::path(get, path = "/api/v1/settings/suggestion-policy", tag = "suggestions",
    responses((status = 200, body = Object)), security(("bearer" = [])))]
pub(crate) async fn policy(State(s): State<AppState>, c: Caller) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let (policy, version) =
        crate::blocking(&s, move |app| app.suggestion_policy_versioned(&p)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, version, &policy))
}

/// Change the suggestion policy; absent fields keep their value. Requires `If-Match` (`"0"` while the
/// defaults apply).
#[utoipa::path(patch, path = "/api/v1/settings/suggestion-policy", tag = "suggestions", params(ReasonQuery),
    request_body = PolicyInput,
    responses((status = 200, body = Object), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn set_policy(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ReasonQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
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
#[utoipa::path(post, path = "/api/v1/measures", tag = "suggestions", request_body = MeasureInput,
    responses((status = 201, body = MeasureView), (status = 422, body = Problem)), security(("bearer" = [])))]
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
    params(("id" = String, Path), ("action" = String, Path)), request_body = MeasureAction,
    responses((status = 200, body = MeasureView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn measure_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
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

/// What a feedback link shows (no login: the link is the credential).
#[utoipa::path(get, path = "/api/v1/feedback/{token}", tag = "feedback", params(("token" = String, Path)),
    responses((status = 200, body = FeedbackForm), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn feedback_get(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Json<FeedbackForm>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let f = crate::blocking(&s, move |app| app.feedback_form(&token)).await;
    Ok(Json(f.map_err(|e| ApiError::from(e).lang(lang))?))
}

/// Rate through a feedback link (once).
#[utoipa::path(post, path = "/api/v1/feedback/{token}", tag = "feedback", params(("token" = String, Path)), request_body = LinkRating,
    responses((status = 200, body = SuggestionView), (status = 409, body = Problem), (status = 422, body = Problem)))]
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

fn page(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response()
        }
    }
}

fn message(status: StatusCode, title: &str, message: String) -> Response {
    page(status, &MessagePage { title: title.into(), message })
}

fn error_page(e: AppError) -> Response {
    let code = match e.kind() {
        liaison_app::ErrorKind::NotFound => StatusCode::NOT_FOUND,
        liaison_app::ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        liaison_app::ErrorKind::Conflict => StatusCode::CONFLICT,
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

/// The rating form's submission.
#[derive(Debug, Deserialize)]
pub(crate) struct RatingForm {
    rating: String,
    comment: Option<String>,
}

/// Record the rating from the page.
pub(crate) async fn feedback_submit(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<RatingForm>,
) -> Response {
    match s.app.rate_by_link(&token, &f.rating, f.comment.as_deref()).await {
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

/// One-use rating links for the deputies of the latest publication's audience who have not rated (shown
/// once; send each to its deputy only).
#[utoipa::path(post, path = "/api/v1/suggestions/{key}/body-links", tag = "publications", params(("key" = String, Path)),
    responses((status = 201, body = Vec<FeedbackLink>), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn body_links(
    State(s): State<AppState>,
    c: Caller,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let links = s.app.issue_body_links(&c.principal, &key).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(links)).into_response())
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
    params(("id" = String, Path), ("action" = String, Path)), request_body = liaison_app::DeliberationAction,
    responses((status = 200, body = liaison_app::DeliberationView), (status = 409, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn deliberation_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::DeliberationAction = tagged_body(&action, &body, &c)?;
    let v = s.app.deliberation_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.deliberation.version, &v))
}

// ---- major-matter notices (R2) ----

/// Notice list query.
#[derive(Debug, Deserialize, IntoParams)]
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
    params(("id" = String, Path), ("action" = String, Path)), request_body = liaison_app::NoticeAction,
    responses((status = 200, body = liaison_app::NoticeView), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn notice_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
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

/// Set a period's targets (refused once adopted). The body's `period` must match the path. `If-Match`
/// (the plan's ETag; `"0"` for a plan not set yet) is checked when given.
#[utoipa::path(put, path = "/api/v1/plans/{period}", tag = "liaison", params(("period" = String, Path)), request_body = liaison_app::PlanInput,
    responses((status = 200, body = liaison_app::PlanView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn set_plan(
    State(s): State<AppState>,
    c: Caller,
    Path(period): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<liaison_app::PlanView>, ApiError> {
    let expected = if_match_opt(&headers, c.lang)?;
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
    Ok(Json(s.app.set_plan(&c.principal, &input, expected).await.map_err(|e| c.err(e))?))
}

/// A leader adopts a period's plan.
#[utoipa::path(post, path = "/api/v1/plans/{period}/adopt", tag = "liaison", params(("period" = String, Path)),
    responses((status = 200, body = liaison_app::PlanView), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn adopt_plan(
    State(s): State<AppState>,
    c: Caller,
    Path(period): Path<String>,
) -> Result<Json<liaison_app::PlanView>, ApiError> {
    Ok(Json(s.app.adopt_plan(&c.principal, &period).await.map_err(|e| c.err(e))?))
}

/// Plan a meeting with deputies.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "liaison", request_body = liaison_app::MeetingInput,
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
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
    responses((status = 200, body = Object), (status = 404, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/meetings/{id}/{action}", tag = "liaison", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::MeetingAction,
    responses((status = 200, body = Object), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn meeting_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::MeetingAction = tagged_body(&action, &body, &c)?;
    let m = s.app.meeting_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, m.version, &m))
}

/// Record a visit to a deputy.
#[utoipa::path(post, path = "/api/v1/visits", tag = "liaison", request_body = liaison_app::VisitInput,
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn record_visit(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::VisitInput = json_body(&body, c.lang)?;
    let v = s.app.record_visit(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A period: `from` and `to` (YYYY-MM-DD), the current year by default.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct PeriodQuery {
    /// First day.
    from: Option<String>,
    /// Last day.
    to: Option<String>,
}

fn period(s: &AppState, q: &PeriodQuery) -> Result<(NaiveDate, NaiveDate), AppError> {
    let year = chrono::Datelike::year(&liaison_core::meta::china_date(s.app.now()));
    let from = match q.from.as_deref() {
        Some(f) => day("from", f)?,
        None => NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
    };
    let to = match q.to.as_deref() {
        Some(t) => day("to", t)?,
        None => NaiveDate::from_ymd_opt(chrono::Datelike::year(&from), 12, 31).unwrap_or(NaiveDate::MAX),
    };
    Ok((from, to))
}

/// Deputies reached (met or visited) in a period, by level and region, and those not reached (P1.1).
#[utoipa::path(get, path = "/api/v1/reach", tag = "liaison", params(PeriodQuery),
    responses((status = 200, body = Object)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/inspections/{id}/{action}", tag = "liaison", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::InspectionAction,
    responses((status = 200, body = liaison_app::InspectionView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn inspection_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::InspectionAction = tagged_body(&action, &body, &c)?;
    let v = s.app.inspection_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.inspection.version, &v))
}

// ---- commendation (R6) ----

/// Every current deputy's contribution in a period, highest first, with the evidence behind each point.
#[utoipa::path(get, path = "/api/v1/contributions", tag = "commendation", params(PeriodQuery),
    responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
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
    responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
pub(crate) async fn nominations(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::commendation::Nomination>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.nominations(&p)).await.map_err(|e| c.err(e))?))
}

/// Nominate a deputy on their contribution in a period (the evidence is kept with the nomination).
#[utoipa::path(post, path = "/api/v1/nominations", tag = "commendation", request_body = liaison_app::NominationInput,
    responses((status = 201, body = Object), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/nominations/{id}/{action}", tag = "commendation", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::NominationAction,
    responses((status = 200, body = Object), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn nomination_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::NominationAction = tagged_body(&action, &body, &c)?;
    let n = s.app.nomination_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, n.version, &n))
}

// ---- reviews of major cases and the verifiable lottery (R4) ----

/// Every review of a major case.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews",
    responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
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
    responses((status = 200, body = Object), (status = 404, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/reviews/{id}/{action}", tag = "reviews", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::ReviewAction,
    responses((status = 200, body = liaison_app::ReviewView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn review_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::ReviewAction = tagged_body(&action, &body, &c)?;
    let v = s.app.review_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.review.version, &v))
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
    responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
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
    responses((status = 200, body = Object), (status = 404, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/activities/{id}/{action}", tag = "activities", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::ActivityAction,
    responses((status = 200, body = liaison_app::ActivityView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn activity_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
    let a: liaison_app::ActivityAction = tagged_body(&action, &body, &c)?;
    let v = s.app.activity_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.activity.version, &v))
}

/// Participation in activities by level and its spread (Gini), P1.1.
#[utoipa::path(get, path = "/api/v1/fairness", tag = "activities", params(PeriodQuery),
    responses((status = 200, body = Object)), security(("bearer" = [])))]
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

/// `line`, `adopt` (a leader), `spend`, `request`, `approve` / `reject` (a leader); amounts in yuan.
/// `If-Match` (the budget's ETag; `"0"` before its first line) is checked when given.
#[utoipa::path(post, path = "/api/v1/budgets/{year}/{action}", tag = "budget", params(("year" = i32, Path), ("action" = String, Path)),
    request_body = liaison_app::BudgetAction,
    responses((status = 200, body = liaison_app::BudgetView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn budget_action(
    State(s): State<AppState>,
    c: Caller,
    Path((year, action)): Path<(i32, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<liaison_app::BudgetView>, ApiError> {
    let expected = if_match_opt(&headers, c.lang)?;
    let a: liaison_app::BudgetAction = tagged_body(&action, &body, &c)?;
    Ok(Json(s.app.budget_action(&c.principal, year, expected, a).await.map_err(|e| c.err(e))?))
}

// ---- appointments (C3) ----

/// Appointment list query.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct AppointmentQuery {
    /// Only this official.
    official: Option<String>,
}

/// Appointments (of one official).
#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments", params(AppointmentQuery),
    responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
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

/// Record a deputy's request to meet an official (or the official's initiative).
#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", request_body = liaison_app::AppointmentInput,
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(post, path = "/api/v1/appointments/{id}/{action}", tag = "appointments", params(("id" = String, Path), ("action" = String, Path)),
    request_body = liaison_app::AppointmentAction,
    responses((status = 200, body = Object), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn appointment_action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, c.lang)?;
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
#[utoipa::path(get, path = "/api/v1/calls", tag = "channels", responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
pub(crate) async fn calls(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::HotlineCall>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.calls(&p)).await.map_err(|e| c.err(e))?))
}

/// Log a hotline call (a deputy's call routed to `suggestion` is filed at once).
#[utoipa::path(post, path = "/api/v1/calls", tag = "channels", request_body = liaison_app::CallInput,
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
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
#[utoipa::path(get, path = "/api/v1/cards", tag = "channels", responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
pub(crate) async fn cards(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::LiaisonCard>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.cards(&p)).await.map_err(|e| c.err(e))?))
}

/// Issue a liaison card.
#[utoipa::path(post, path = "/api/v1/cards", tag = "channels", request_body = liaison_app::CardInput,
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn issue_card(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::CardInput = json_body(&body, c.lang)?;
    let v = s.app.issue_card(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// Revoke a card (body: `{"reason": …}`).
#[utoipa::path(post, path = "/api/v1/cards/{number}/revoke", tag = "channels", params(("number" = String, Path)),
    responses((status = 200, body = Object), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn revoke_card(
    State(s): State<AppState>,
    c: Caller,
    Path(number): Path<String>,
    body: Bytes,
) -> Result<Json<liaison_core::channels::LiaisonCard>, ApiError> {
    let v: serde_json::Value = json_body(&body, c.lang)?;
    let reason = v["reason"].as_str().unwrap_or_default().to_owned();
    Ok(Json(s.app.revoke_card(&c.principal, &number, &reason).await.map_err(|e| c.err(e))?))
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
pub(crate) struct ServiceQuery {
    /// Only open ones.
    open: Option<bool>,
}

/// Services to deputies.
#[utoipa::path(get, path = "/api/v1/services", tag = "channels", params(ServiceQuery), responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
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
    responses((status = 201, body = Object), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn open_service(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::ServiceInput = json_body(&body, c.lang)?;
    let v = s.app.open_service(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// `resolve` (body `{"text": result}`) or `deliver` (body `{"text": item}`) a service.
#[utoipa::path(post, path = "/api/v1/services/{id}/{action}", tag = "channels", params(("id" = String, Path), ("action" = String, Path)),
    responses((status = 200, body = Object), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn service_step(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<liaison_core::channels::Service>, ApiError> {
    let v: serde_json::Value = json_body(&body, c.lang)?;
    let text = v["text"].as_str().unwrap_or_default().to_owned();
    let delivery = match action.as_str() {
        "resolve" => false,
        "deliver" => true,
        _ => return Err(c.err(AppError::NotFound { what: "action", id: action })),
    };
    Ok(Json(s.app.service_step(&c.principal, &id, &text, delivery).await.map_err(|e| c.err(e))?))
}

/// Solicitations.
#[utoipa::path(get, path = "/api/v1/solicitations", tag = "channels", responses((status = 200, body = Vec<Object>)), security(("bearer" = [])))]
pub(crate) async fn solicitations(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<Vec<liaison_core::channels::Solicitation>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.solicitations(&p)).await.map_err(|e| c.err(e))?))
}

/// Send a solicitation to an audience.
#[utoipa::path(post, path = "/api/v1/solicitations", tag = "channels", request_body = liaison_app::SolicitationInput,
    responses((status = 201, body = Object), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn send_solicitation(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: liaison_app::SolicitationInput = json_body(&body, c.lang)?;
    let v = s.app.send_solicitation(&c.principal, &input).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A recipient's response (body `{"deputy", "text", "as_suggestion"}`).
#[utoipa::path(post, path = "/api/v1/solicitations/{id}/respond", tag = "channels", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn respond_solicitation(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<liaison_core::channels::Solicitation>, ApiError> {
    let v: serde_json::Value = json_body(&body, c.lang)?;
    let (deputy, text) = (
        v["deputy"].as_str().unwrap_or_default().to_owned(),
        v["text"].as_str().unwrap_or_default().to_owned(),
    );
    let as_suggestion = v["as_suggestion"].as_bool().unwrap_or(false);
    Ok(Json(
        s.app
            .respond_solicitation(&c.principal, &id, &deputy, &text, as_suggestion)
            .await
            .map_err(|e| c.err(e))?,
    ))
}

/// A command's body with its action named by the path (`…/{id}/{action}`): an empty body is `{}`; the body
/// must be a JSON object; `-` in the action is `_`.
fn tagged_body<T: serde::de::DeserializeOwned>(action: &str, body: &[u8], c: &Caller) -> Result<T, ApiError> {
    let mut value: serde_json::Value =
        if body.is_empty() { serde_json::json!({}) } else { json_body(body, c.lang)? };
    let Some(obj) = value.as_object_mut() else {
        return Err(c.err(AppError::Invalid(vec![liaison_core::FieldError::new(
            "body",
            &liaison_core::ValueError::OneOf("a JSON object"),
        )])));
    };
    obj.insert("action".into(), serde_json::Value::String(action.replace('-', "_")));
    serde_json::from_value(value).map_err(|e| ApiError::bad_json(&e).lang(c.lang))
}
