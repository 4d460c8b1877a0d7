//! A deputy acknowledges a major-matter notice (R2, issue 17 item 1) from the one-click link the delivery
//! worker put in the deputy's own SMS or e-mail: a page for people (`/ack/{token}`) and JSON for apps
//! (`/api/v1/notice-ack/{token}`). No login: the link is the credential, for one deputy and one notice; a
//! used, expired or already acknowledged link is 410 Gone, a forged one 404.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::NoticeAckForm;
use utoipa_axum::routes;

use super::Api;
use super::suggestions::{error_page, message, page};
use crate::AppState;
use crate::access::*;
use crate::problem::{ApiError, Lang, Problem};

/// The operations of the acknowledgement link.
pub(super) fn router() -> Api {
    Api::new().op(routes!(ack_get), Public).op(routes!(ack_post), Public)
}

/// What an acknowledgement link shows: the notice, and the deputy it was sent to.
#[utoipa::path(get, path = "/api/v1/notice-ack/{token}", tag = "notices", params(("token" = String, Path)),
    responses((status = 200, body = NoticeAckForm), (status = 404, body = Problem), (status = 410, body = Problem)))]
pub(crate) async fn ack_get(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Json<NoticeAckForm>, ApiError> {
    let lang = Lang::from_headers(&headers);
    let f = crate::blocking(&s, move |app| app.notice_ack_form(&token)).await;
    Ok(Json(f.map_err(|e| ApiError::from(e).lang(lang))?))
}

/// Acknowledge the notice through the link (once).
#[utoipa::path(post, path = "/api/v1/notice-ack/{token}", tag = "notices", params(("token" = String, Path)),
    responses((status = 200, body = NoticeAckForm), (status = 404, body = Problem), (status = 410, body = Problem)))]
pub(crate) async fn ack_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Json<NoticeAckForm>, ApiError> {
    let lang = Lang::from_headers(&headers);
    Ok(Json(s.app.acknowledge_by_link(&token).await.map_err(|e| ApiError::from(e).lang(lang))?))
}

#[derive(Template)]
#[template(path = "ack.html")]
struct AckPage {
    token: String,
    form: NoticeAckForm,
}

/// The page the link opens (a phone's width, no script).
pub(crate) async fn ack_page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let t = token.clone();
    match crate::blocking(&s, move |app| app.notice_ack_form(&t)).await {
        Ok(form) => page(StatusCode::OK, &AckPage { token, form }),
        Err(e) => error_page(e),
    }
}

/// The page's button: acknowledge.
pub(crate) async fn ack_submit(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match s.app.acknowledge_by_link(&token).await {
        Ok(f) => message(
            StatusCode::OK,
            "已确认知悉",
            format!("{}代表，您已确认知悉《{}》。如有意见和建议，欢迎通过联络员反映。", f.deputy, f.title),
        ),
        Err(e) => error_page(e),
    }
}
