//! Errors as RFC 9457 `application/problem+json`: a stable `code`, the message in zh-CN and English
//! (`detail` in the language the client asked for), and field-level `errors[]`. Internal failures are
//! logged in full and told to the client only as "internal error".

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_app::import::ImportReport;
use liaison_app::{AppError, ErrorKind};
use liaison_core::{FieldError, Localized};
use serde::Serialize;
use utoipa::ToSchema;

/// A field-level error.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// Field name.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// In Chinese.
    pub message_zh: String,
    /// In English.
    pub message_en: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short title (English).
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// The message, in the language asked for (`Accept-Language`; Chinese by default).
    pub detail: String,
    /// Stable error code.
    pub code: String,
    /// The message in Chinese.
    pub message_zh: String,
    /// The message in English.
    pub message_en: String,
    /// Field-level errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// For a refused import: the report naming every bad row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportReport>,
}

/// An error on its way to the client, with the language it should speak (boxed: errors travel in
/// `Result`s and should stay small).
#[derive(Debug)]
pub struct ApiError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    status: StatusCode,
    code: String,
    zh: String,
    en: String,
    errors: Vec<ProblemField>,
    import: Option<ImportReport>,
    /// `Retry-After`, in seconds, for a failure the client may retry.
    retry_after: Option<u32>,
    lang: Lang,
}

/// The client's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// From `Accept-Language`: English when the first preference is English.
    pub fn from_headers(h: &HeaderMap) -> Self {
        let v = h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if v.trim_start().to_ascii_lowercase().starts_with("en") { Self::En } else { Self::Zh }
    }
}

fn field(f: &FieldError) -> ProblemField {
    ProblemField {
        field: f.field.clone(),
        code: f.code.into(),
        message_zh: f.message_zh.clone(),
        message_en: f.message_en.clone(),
    }
}

impl ApiError {
    /// A problem with a status, a code and messages.
    pub fn new(status: StatusCode, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            status,
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            errors: Vec::new(),
            import: None,
            retry_after: None,
            lang: Lang::Zh,
        }))
    }

    /// Tell the client when to try again (`Retry-After`, seconds).
    pub fn retry_after(mut self, secs: u32) -> Self {
        self.0.retry_after = Some(secs);
        self
    }

    /// Speak this language.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.0.lang = lang;
        self
    }

    /// 400 for a body that is not the JSON expected.
    pub fn bad_json(e: &serde_json::Error) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "input.malformed_json",
            format!("请求体不是有效的 JSON：{e}"),
            format!("the body is not valid JSON for this request: {e}"),
        )
    }

    /// 428 when a change comes without `If-Match`.
    pub fn if_match_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition.required",
            "修改须带 If-Match 请求头（取自读取时的 ETag）",
            "changes require an If-Match header (the ETag you read)",
        )
        .with_field(ProblemField {
            field: "If-Match".into(),
            code: "precondition.required".into(),
            message_zh: "缺少 If-Match 请求头".into(),
            message_en: "the If-Match header is missing".into(),
        })
    }

    /// With a field-level error.
    fn with_field(mut self, f: ProblemField) -> Self {
        self.0.errors.push(f);
        self
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = match e.kind() {
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Stale => StatusCode::PRECONDITION_FAILED,
            ErrorKind::Gone => StatusCode::GONE,
            ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => {
                // The cause in full in the log (PostgreSQL's own words, the SQLite code); the client gets
                // the kind and when to retry.
                tracing::error!(error = %e, code = e.code(), "the database could not serve the request");
                StatusCode::SERVICE_UNAVAILABLE
            }
            ErrorKind::StorageFull => {
                tracing::error!(error = %e, "the disk holding the database is full");
                StatusCode::INSUFFICIENT_STORAGE
            }
            ErrorKind::Internal => {
                tracing::error!(error = %e, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let retry_after = e.retry_after();
        let import = match &e {
            AppError::ImportRefused(r) => Some((**r).clone()),
            _ => None,
        };
        Self(Box::new(Inner {
            status,
            code: e.code().into(),
            zh: e.zh(),
            en: e.en(),
            errors: e.field_errors().iter().map(field).collect(),
            import,
            retry_after,
            lang: Lang::Zh,
        }))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let this = *self.0;
        let p = Problem {
            type_: format!("/problems/{}", this.code),
            title: this.status.canonical_reason().unwrap_or("error").into(),
            status: this.status.as_u16(),
            detail: if this.lang == Lang::En { this.en.clone() } else { this.zh.clone() },
            code: this.code,
            message_zh: this.zh,
            message_en: this.en,
            errors: this.errors,
            import: this.import,
        };
        let mut r = (this.status, axum::Json(p)).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = this.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if this.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}
