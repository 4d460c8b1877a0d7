//! `/api/v1/drafts`: a deputy drafts a joint suggestion, invites co-signers, each confirms or declines for
//! themself, and the lead submits it — filed as a suggestion (issue 17, item 7). A deputy's account only:
//! the deputy who acts is always the account's own; a draft the account neither leads nor was invited to
//! is not found.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use liaison_app::{DraftAction, DraftInput, DraftView};
use utoipa_axum::routes;

use super::{Api, tagged_body, with_etag};
use crate::access::*;
use crate::auth::{Caller, IfMatch, idempotency};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};

/// The operations on drafts, each a deputy's own.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(list), Any(&[A::DraftSuggestion]))
        .op(routes!(create), Any(&[A::DraftSuggestion]))
        .op(routes!(get), Any(&[A::DraftSuggestion]))
        .op(routes!(action), Any(&[A::DraftSuggestion]))
}

/// The drafts the account's deputy leads or is invited to, the newest first.
#[utoipa::path(get, path = "/api/v1/drafts", operation_id = "list_drafts", tag = "drafts",
    responses((status = 200, body = Vec<DraftView>), (status = 403, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn list(State(s): State<AppState>, c: Caller) -> Result<Json<Vec<DraftView>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.drafts(&p)).await.map_err(|e| c.err(e))?))
}

/// Open a draft as its lead, inviting the co-signers named (deputy ids; each is told in their inbox, and by
/// SMS or e-mail as they prefer). `Idempotency-Key` makes a retry return the first result.
#[utoipa::path(post, path = "/api/v1/drafts", operation_id = "open_draft", tag = "drafts", request_body = DraftInput,
    responses((status = 201, body = DraftView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let idem = idempotency(&headers, &body, c.lang)?;
    let input: DraftInput = json_body(&body, c.lang)?;
    let v = s.app.open_draft(&c.principal, &input, idem).await.map_err(|e| c.err(e))?;
    let mut r = with_etag(StatusCode::CREATED, v.version, &v);
    if let Ok(loc) = format!("/api/v1/drafts/{}", v.id).parse() {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(r)
}

/// One draft (its lead or a deputy invited to it). The `ETag` is its version.
#[utoipa::path(get, path = "/api/v1/drafts/{id}", operation_id = "get_draft", tag = "drafts",
    params(("id" = String, Path, description = "the draft's id")),
    responses((status = 200, body = DraftView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.draft(&p, &id)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Run an action on a draft: the lead's `invite`, `edit` (confirmations given so far are withdrawn),
/// `submit` (every invitation answered, or `leave_unanswered`: the suggestion is filed with the lead and
/// those who confirmed, and the draft records its number) and `withdraw`; an invited co-signer's `confirm`
/// (naming the `edition` read) and `decline`. The body holds the action's fields (see `DraftAction`;
/// `action` may be left out: the path names it). Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/{action}", operation_id = "draft_action", tag = "drafts",
    params(IfMatch, ("id" = String, Path, description = "the draft's id"),
        ("action" = String, Path, description = "invite, edit, confirm, decline, submit, withdraw")),
    request_body = DraftAction,
    responses((status = 200, body = DraftView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn action(
    State(s): State<AppState>,
    c: Caller,
    Path((id, action)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a: DraftAction = tagged_body(&action, &body, &c)?;
    let v = s.app.draft_action(&c.principal, &id, Some(expected), a).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}
