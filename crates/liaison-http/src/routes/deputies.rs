//! `/api/v1/deputies`: the register.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::import::{Encoding, FileFormat, ImportOptions, ImportReport, OnDuplicate};
use liaison_app::refresh::RefreshOptions;
use liaison_app::registry_input::DeputyPatchInput;
use liaison_app::views::{DeputyFullView, DeputyView, HistoryEntry};
use liaison_app::{AppError, DeputyFilter, Page};
use liaison_core::ids::DeputyId;
use liaison_core::registry::{DeputyInput, RemovalReason, parse_date};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, IfMatch, ReadCaller, etag, idempotency};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};
use utoipa_axum::routes;

use super::Api;
use crate::access::*;

/// The operations of the register (C1, P1.1), each declared once with what it asks of its caller: `routes!`
/// takes the path, the method and the document of each handler from its `#[utoipa::path]`.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(list), Any(&[A::ReadRegistry]))
        .op(routes!(create), Any(&[A::EditRegistry]))
        .op(routes!(get), Any(&[A::ReadRegistry]))
        .op(routes!(update), Any(&[A::EditRegistry]))
        .op(routes!(get_full), Any(&[A::ViewPersonalData]))
        .op(routes!(end), Any(&[A::EditRegistry]))
        .op(routes!(assign), Any(&[A::Assign]))
        .op(routes!(history), Any(&[A::ReadRegistry]))
}

fn id_of(c: &Caller, s: &str) -> Result<DeputyId, ApiError> {
    DeputyId::parse(s).map_err(|_| c.err(AppError::NotFound { what: "deputy", id: s.to_owned() }))
}

fn with_etag<T: serde::Serialize>(status: StatusCode, version: u64, body: &T) -> Response {
    (status, [etag(version)], Json(body)).into_response()
}

/// List query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// Level (`national` … `township`, or 全国/省/市/县/乡).
    level: Option<String>,
    /// Status (`registered`, `in_office`, `term_ended`, `removed`).
    status: Option<String>,
    /// Region.
    region: Option<String>,
    /// Officer id.
    officer: Option<String>,
    /// Name prefix, pinyin prefix or initials.
    q: Option<String>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// Page size, 1–1000 (default 50).
    limit: Option<u32>,
}

/// List deputies in pinyin order; contact data masked.
#[utoipa::path(get, path = "/api/v1/deputies", operation_id = "list_deputies", tag = "deputies", params(ListQuery),
    responses((status = 200, body = Page<DeputyView>), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<DeputyView>>, ApiError> {
    let filter =
        DeputyFilter { level: q.level, status: q.status, region: q.region, officer: q.officer, q: q.q };
    let p = c.principal.clone();
    let page =
        crate::blocking(&s, move |app| app.deputies(&p, &filter, q.cursor.as_deref(), q.limit.unwrap_or(50)));
    Ok(Json(page.await.map_err(|e| c.err(e))?))
}

/// Register a deputy. `Idempotency-Key` makes a retry return the first result.
#[utoipa::path(post, path = "/api/v1/deputies", operation_id = "register_deputy", tag = "deputies", request_body = crate::openapi::DeputyInputDoc,
    responses((status = 201, body = DeputyView), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let idem = idempotency(&headers, &body, c.lang)?;
    let input: DeputyInput = json_body(&body, c.lang)?;
    let d = s.app.register_deputy(&c.principal, input, idem, None).await.map_err(|e| c.err(e))?;
    let mut r = with_etag(StatusCode::CREATED, d.version, &d);
    if let Ok(loc) = format!("/api/v1/deputies/{}", d.id).parse() {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(r)
}

/// One deputy; contact data masked. The `ETag` is the version to send back in `If-Match`.
#[utoipa::path(get, path = "/api/v1/deputies/{id}", operation_id = "get_deputy", tag = "deputies", params(("id" = String, Path)),
    responses((status = 200, body = DeputyView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(s): State<AppState>,
    c: ReadCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // Authenticated and read on one pooled connection (issue 19); the gate's check runs inside, first.
    let (token, needed) = (c.deferred.token.clone(), c.deferred.needed);
    let allow = move |p: &liaison_app::Principal| crate::access::allowed(needed, p);
    let (p, d) = match DeputyId::parse(&id) {
        Ok(id) => crate::blocking(&s, move |app| app.deputy_as(&token, id, allow)).await,
        // Who asks is settled before what was asked for is (401 and 403 before 404), as the gate does.
        Err(_) => {
            crate::blocking(&s, move |app| {
                let p = app.authenticate(&token)?;
                allow(&p)?;
                Err(AppError::NotFound { what: "deputy", id })
            })
            .await
        }
    }
    .map_err(|e| c.err(e))?;
    c.limit(&p)?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// Why personal data is viewed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Reason {
    /// Why the full card is viewed (required): trimmed, at least 4 letters or digits (a Chinese character
    /// counts as one), at most 200 characters, one line. Recorded in the audit chain with the view.
    #[param(required = true, min_length = 4, max_length = 200)]
    reason: Option<String>,
}

/// One deputy with personal data in full (office, officer, leader; issue 12 item 7). A stated `reason` is
/// required (422 naming the field `reason` otherwise). An officer reaches only the deputies assigned to it
/// and those of the regions granted to its account (403 `scope.not_assigned` / `scope.no_grant`, naming
/// the deputy). Each account may make `LIAISON_FULL_VIEWS` full views (default 20) in
/// `LIAISON_FULL_VIEW_WINDOW` minutes (default 10); beyond that, 429 `personal_data.bulk_viewing` with
/// `Retry-After`, and an `alert.bulk_personal_data` record for the security administrator (once per
/// window). Each view is recorded in the audit chain with its reason, before the card is returned.
#[utoipa::path(get, path = "/api/v1/deputies/{id}/full", tag = "deputies", params(("id" = String, Path), Reason),
    responses((status = 200, body = DeputyFullView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn get_full(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    Query(q): Query<Reason>,
) -> Result<Response, ApiError> {
    let d = s.app.deputy_full(&c.principal, id_of(&c, &id)?, q.reason).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, d.deputy.version, &d))
}

/// Change a deputy's data. Requires `If-Match`.
#[utoipa::path(patch, path = "/api/v1/deputies/{id}", tag = "deputies", params(IfMatch, ("id" = String, Path)), request_body = DeputyPatchInput,
    responses((status = 200, body = DeputyView), (status = 412, body = Problem), (status = 428, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    IfMatch(v): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = id_of(&c, &id)?;
    let patch: DeputyPatchInput = json_body(&body, c.lang)?;
    let d = s.app.update_deputy(&c.principal, id, Some(v), &patch, None).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// The end of a term, or an early departure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndBody {
    /// Last day (YYYY-MM-DD).
    date: String,
    /// For an early departure: `resigned`, `recalled`, `deceased`, `transferred`, `qualification_terminated`, `registered_in_error`.
    why: Option<String>,
    /// Explanation (required for an early departure).
    reason: Option<String>,
}

/// End a deputy's term (without `why`) or record an early departure (with `why`). Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/deputies/{id}/end", tag = "deputies", params(IfMatch, ("id" = String, Path)), request_body = EndBody,
    responses((status = 200, body = DeputyView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn end(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    IfMatch(v): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = id_of(&c, &id)?;
    let b: EndBody = json_body(&body, c.lang)?;
    let invalid = |field: &str, e: liaison_core::ValueError| {
        c.err(AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]))
    };
    let date = parse_date(&b.date).map_err(|e| invalid("date", e))?;
    let d = match b.why {
        None => s.app.end_term(&c.principal, id, Some(v), date, b.reason).await,
        Some(w) => {
            let why = RemovalReason::parse(&w).map_err(|e| invalid("why", e))?;
            s.app.remove_deputy(&c.principal, id, Some(v), date, why, b.reason).await
        }
    }
    .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// Assignment of a responsible officer and/or department.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignBody {
    /// Officer name or id; "" clears.
    officer: Option<String>,
    /// Department name or id; "" clears.
    department: Option<String>,
    /// Why.
    reason: Option<String>,
}

/// Assign a deputy's responsible officer and/or department. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/deputies/{id}/assign", tag = "liaison", params(IfMatch, ("id" = String, Path)), request_body = AssignBody,
    responses((status = 200, body = DeputyView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn assign(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    IfMatch(v): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = id_of(&c, &id)?;
    let b: AssignBody = json_body(&body, c.lang)?;
    let d = s
        .app
        .assign(&c.principal, id, b.officer, b.department, Some(v), b.reason)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// The audit history of a deputy (no personal data).
#[utoipa::path(get, path = "/api/v1/deputies/{id}/history", operation_id = "deputy_history", tag = "deputies", params(("id" = String, Path)),
    responses((status = 200, body = Vec<HistoryEntry>)), security(("bearer" = [])))]
pub(crate) async fn history(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    let id = id_of(&c, &id)?;
    Ok(Json(
        crate::blocking(&s, {
            let p = c.principal.clone();
            move |app| app.deputy_history(&p, id)
        })
        .await
        .map_err(|e| c.err(e))?,
    ))
}

/// Import options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// `utf8` or `gbk` (default: detected — valid UTF-8 is UTF-8, otherwise GBK/GB18030).
    encoding: Option<Encoding>,
    /// `csv` or `xlsx` (default: from the content).
    format: Option<FileFormat>,
    /// Check only.
    dry_run: Option<bool>,
    /// `refuse` (default) or `update`.
    on_duplicate: Option<OnDuplicate>,
    /// The yearly refresh (年度名册核对) from the congress's new list: rows that match a deputy update it
    /// (whatever `on_duplicate` says), new rows register, and deputies of the same level and term who are
    /// absent from the file are listed in `refresh.possibly_departed`. Send it with `dry_run=true` first.
    refresh: Option<bool>,
    /// With `refresh=true`: end the terms of the deputies listed as possibly departed (the confirmation;
    /// each through the register's `EndTerm`, recorded with who, when and why).
    end_absent: Option<bool>,
    /// With `end_absent=true`: their last day, `YYYY-MM-DD` (default: today; not after today).
    ended_on: Option<String>,
}

/// A register file as the request body: the raw CSV or XLSX bytes (a `Vec<u8>` would be documented as an
/// array of integers, which breaks generated clients).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub(crate) struct RegisterFile(Vec<u8>);

/// Import a register file (the raw CSV or XLSX as the body). All or nothing.
///
/// With `refresh=true`, the yearly refresh: the report's `refresh` lists the deputies updated, registered and
/// possibly departed; `end_absent=true` ends the terms of the last.
#[utoipa::path(post, path = "/api/v1/deputies/import", tag = "deputies", params(ImportQuery),
    request_body(content(
        (RegisterFile = "text/csv"),
        (RegisterFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (RegisterFile = "application/octet-stream"),
    )),
    responses((status = 200, body = ImportReport), (status = 413, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn import(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let refresh = RefreshOptions::from_flags(
        q.refresh.unwrap_or(false),
        q.end_absent.unwrap_or(false),
        q.ended_on.as_deref(),
    )
    .map_err(|e| c.err(e))?;
    let opts = ImportOptions {
        format: q.format,
        encoding: q.encoding,
        dry_run: q.dry_run.unwrap_or(false),
        on_duplicate: q.on_duplicate.unwrap_or_default(),
        refresh,
    };
    Ok(Json(s.app.import_deputies(&c.principal, &body, &opts, None).await.map_err(|e| c.err(e))?))
}
