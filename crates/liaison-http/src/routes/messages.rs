//! Outgoing messages (issue 17): the delivery list and a retry (the office and the system administrator),
//! the signed-in account's own inbox, and how a person is reached (contact preferences: one's own, or
//! anyone's for the office and the system administrator).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_app::{ContactInput, ContactView, InboxItem, MessageFilter, MessageView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use super::{Api, with_etag};
use crate::access::*;
use crate::auth::{Caller, IfMatch};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};

/// The operations of the messages, each declared once with what it asks of its caller.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(messages), Any(&[A::ManageDelivery]))
        .op(routes!(retry), Any(&[A::ManageDelivery]))
        .op(routes!(inbox), Any(&[A::ReadInbox]))
        .op(routes!(mark_read), Any(&[A::ReadInbox]))
        // One's own settings, or (`manage_delivery`) anyone's: the use case checks which.
        .op(routes!(contact, set_contact), Any(&[A::ReadInbox, A::ManageDelivery]))
}

/// Which messages to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MessageQuery {
    /// Only in this state: `queued`, `sent`, `delivered`, `failed`.
    state: Option<String>,
    /// Only of this item, `KIND:ID` (`suggestion:0190…`).
    item: Option<String>,
    /// Before this message id (the next page: the last id of this one).
    before: Option<String>,
    /// Page size (default 100, at most 1000).
    limit: Option<u32>,
}

/// The delivery list: each message's state, attempts, next attempt and last error, newest first — never
/// its text (the office and the system administrator).
#[utoipa::path(get, path = "/api/v1/messages", tag = "messages", params(MessageQuery),
    responses((status = 200, body = Vec<MessageView>), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn messages(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<MessageQuery>,
) -> Result<Json<Vec<MessageView>>, ApiError> {
    let f = MessageFilter { state: q.state, item: q.item, before: q.before, limit: q.limit };
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.messages(&p, &f)).await.map_err(|e| c.err(e))?))
}

/// Why a failed message is sent again.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub(crate) struct RetryInput {
    /// Why (required; recorded in the audit chain with who and when).
    reason: String,
}

/// Put a failed message back in the queue. Requires `If-Match` (the message's `version`) and a reason;
/// audited as `message.requeued`.
#[utoipa::path(post, path = "/api/v1/messages/{id}/retry", tag = "messages", params(IfMatch, ("id" = String, Path)),
    request_body = RetryInput,
    responses((status = 200, body = MessageView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn retry(
    State(s): State<AppState>,
    c: Caller,
    IfMatch(expected): IfMatch,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: RetryInput = json_body(&body, c.lang)?;
    let v = s
        .app
        .retry_message(&c.principal, &id, Some(expected), Some(input.reason))
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Which inbox messages.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct InboxQuery {
    /// Only those not read yet.
    #[serde(default)]
    unread: bool,
}

/// The signed-in account's own inbox (and, for a deputy's account, its deputy's), newest first.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "messages", params(InboxQuery),
    responses((status = 200, body = Vec<InboxItem>)), security(("bearer" = [])))]
pub(crate) async fn inbox(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Vec<InboxItem>>, ApiError> {
    let p = c.principal.clone();
    Ok(Json(crate::blocking(&s, move |app| app.inbox(&p, q.unread)).await.map_err(|e| c.err(e))?))
}

/// Mark a message of one's own inbox read (another's is not found).
#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "messages", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn mark_read(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.app.mark_read(&c.principal, &id).await.map_err(|e| c.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's contact settings: `user:LOGIN` or `deputy:ID` — one's own (an account, or a deputy account's
/// deputy), or anyone's for the office and the system administrator. The address is masked; `ETag` is the
/// settings' version (`"0"`: never set, the defaults).
#[utoipa::path(get, path = "/api/v1/contacts/{subject}", tag = "messages", params(("subject" = String, Path, description = "`user:LOGIN` or `deputy:ID`")),
    responses((status = 200, body = ContactView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn contact(
    State(s): State<AppState>,
    c: Caller,
    Path(subject): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.contact(&p, &subject)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Change a person's contact settings (what is left out stays): the preference (`auto`, `sms`, `email`,
/// `inbox`), opting out of non-statutory messages, an account's e-mail address. Requires `If-Match` (`"0"`
/// before the first change); audited as `message.contact_changed` with the address masked. A bad value is
/// refused naming its field, and nothing changes.
#[utoipa::path(put, path = "/api/v1/contacts/{subject}", tag = "messages",
    params(IfMatch, ("subject" = String, Path, description = "`user:LOGIN` or `deputy:ID`")), request_body = ContactInput,
    responses((status = 200, body = ContactView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn set_contact(
    State(s): State<AppState>,
    c: Caller,
    IfMatch(expected): IfMatch,
    Path(subject): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: ContactInput = json_body(&body, c.lang)?;
    let v = s.app.set_contact(&c.principal, &subject, Some(expected), &input).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}
