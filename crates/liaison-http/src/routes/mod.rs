//! The handlers, by resource.

pub(crate) mod admin;
pub(crate) mod channels;
pub(crate) mod deputies;
pub(crate) mod rules;
pub(crate) mod suggestions;

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use liaison_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, etag};
use crate::problem::ApiError;
use crate::{AppState, Limits, json_body};

/// Every operation of the API, each declared once, by family: the router and the OpenAPI document's paths
/// both come from these declarations (utoipa-axum's `OpenApiRouter`). The import takes larger bodies than
/// the rest. What an operation needs of its caller is `access::OPERATIONS`; a test proves every operation
/// here has its row there and every row an operation here.
pub(crate) fn api(limits: Limits) -> utoipa_axum::router::OpenApiRouter<AppState> {
    let json = deputies::router()
        .merge(admin::router())
        .merge(suggestions::router())
        .merge(rules::router())
        .merge(channels::router())
        .layer(DefaultBodyLimit::max(limits.json_body));
    let upload = utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(deputies::import))
        .layer(DefaultBodyLimit::max(limits.upload));
    upload.merge(json)
}

/// A body with the record's version as its `ETag`.
pub(crate) fn with_etag<T: serde::Serialize>(status: StatusCode, version: u64, body: &T) -> Response {
    (status, [etag(version)], Json(body)).into_response()
}

/// A command's body with its action named by the path (`…/{id}/{action}`): an empty body is `{}`; the body
/// must be a JSON object; `-` in the action is `_`.
pub(crate) fn tagged_body<T: serde::de::DeserializeOwned>(
    action: &str,
    body: &[u8],
    c: &Caller,
) -> Result<T, ApiError> {
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

/// A day given as `field`.
pub(crate) fn day(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    liaison_core::registry::parse_date(s)
        .map_err(|e| AppError::Invalid(vec![liaison_core::FieldError::new(field, &e)]))
}

/// A period: `from` and `to` (YYYY-MM-DD), the current year by default.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// First day.
    pub(crate) from: Option<String>,
    /// Last day.
    pub(crate) to: Option<String>,
}

pub(crate) fn period(s: &AppState, q: &PeriodQuery) -> Result<(NaiveDate, NaiveDate), AppError> {
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
