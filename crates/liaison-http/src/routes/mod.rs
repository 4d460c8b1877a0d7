//! The handlers, by resource.

pub(crate) mod admin;
pub(crate) mod channels;
pub(crate) mod deputies;
pub(crate) mod drafts;
pub(crate) mod messages;
pub(crate) mod notice_ack;
pub(crate) mod reports;
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
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::access::{A, Any, Need};
use crate::auth::{Caller, etag};
use crate::problem::ApiError;
use crate::{AppState, Limits, json_body};

/// Every operation of the API, each declared once, by family: the router, the OpenAPI document's paths and
/// what each operation asks of its caller (the gate's table, `access::operations`) all come from these
/// declarations (utoipa-axum's `OpenApiRouter`). The import takes larger bodies than the rest.
pub(crate) fn api(limits: Limits) -> Api {
    let json = deputies::router()
        .merge(admin::router())
        .merge(suggestions::router())
        .merge(drafts::router())
        .merge(rules::router())
        .merge(channels::router())
        .merge(messages::router())
        .merge(notice_ack::router())
        .merge(reports::router())
        .body_limit(limits.json_body);
    let upload =
        Api::new().op(routes!(deputies::import), Any(&[A::ImportRegistry])).body_limit(limits.upload);
    upload.merge(json)
}

/// Operations as they are declared: the router with its document, and what each asks of its caller.
pub(crate) struct Api {
    /// The routes and their document.
    pub(crate) router: OpenApiRouter<AppState>,
    /// Each operation's method (lower case), path and need.
    pub(crate) needs: Vec<(&'static str, String, Need)>,
}

impl Api {
    fn new() -> Self {
        Self { router: OpenApiRouter::new(), needs: Vec::new() }
    }

    /// One operation: its handler with its `#[utoipa::path]` (`routes!(handler)`) and what it asks of its
    /// caller.
    fn op(mut self, handler: UtoipaMethodRouter<AppState>, need: Need) -> Self {
        for (path, item) in &handler.1.paths {
            for (method, op) in [
                ("get", &item.get),
                ("post", &item.post),
                ("put", &item.put),
                ("patch", &item.patch),
                ("delete", &item.delete),
            ] {
                if op.is_some() {
                    self.needs.push((method, path.clone(), need));
                }
            }
        }
        self.router = self.router.routes(handler);
        self
    }

    fn merge(mut self, other: Api) -> Self {
        self.needs.extend(other.needs);
        self.router = self.router.merge(other.router);
        self
    }

    fn body_limit(mut self, bytes: usize) -> Self {
        self.router = self.router.layer(DefaultBodyLimit::max(bytes));
        self
    }
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
    let from = q.from.as_deref().map(|f| day("from", f)).transpose()?;
    let to = q.to.as_deref().map(|t| day("to", t)).transpose()?;
    Ok(liaison_core::dates::year_by_default(from, to, s.app.now()))
}
