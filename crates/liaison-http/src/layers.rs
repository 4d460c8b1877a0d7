//! The layers every request passes (issue 19: two `from_fn` layers instead of five — each boxes its future
//! and clones the whole stack below it on every request, a tenth of a point read's time in `perf`):
//!
//! - [`outer`]: the request's metrics, the security headers of the answer, and the edge's limits
//!   (`edge::limits`: per address, failures, login codes; a 429 from them gets the headers and is counted);
//! - [`inner`], below the body timeout: refusals recorded in the audit trail (`edge::audit_refusals`), then
//!   the framework's own rejections turned into problems.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::edge::EdgeState;
use crate::problem::{ApiError, Lang};

/// Metrics, security headers and the edge's limits (outermost, under the panic catcher).
pub(crate) async fn outer(State(edge): State<Arc<EdgeState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = method_label(req.method().as_str());
    let path = Path::of(req.uri().path());
    let resp = crate::edge::limits(State(edge), req, next).await;
    let resp = secure(&path, resp);
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str).to_owned();
    let status = resp.status().as_u16().to_string();
    metrics::counter!("liaison_http_requests_total", "method" => method, "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("liaison_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}

/// Refusals into the audit trail, then rejections into problems (inside the body timeout).
pub(crate) async fn inner(
    State(states): State<(AppState, Arc<EdgeState>)>,
    req: Request,
    next: Next,
) -> Response {
    let lang = Lang::from_headers(req.headers());
    let resp = crate::edge::audit_refusals(State(states), req, next).await;
    problem_of(lang, resp)
}

/// The methods metrics and records name; any other is `other`.
pub(crate) fn known_method(m: &str) -> bool {
    matches!(m, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS")
}

/// A method as a metrics label. Unknown methods are one label, `other`: a client inventing methods must not
/// grow the metrics (issue 12, item 11).
fn method_label(m: &str) -> &'static str {
    match m {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// What the security headers need of the request's path.
struct Path {
    /// The API (but its public document), and the one-use link pages: nothing kept by caches.
    no_store: bool,
}

impl Path {
    fn of(path: &str) -> Self {
        let public = ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs.js"].contains(&path);
        Self {
            no_store: (path.starts_with("/api/") && !public)
                || path.starts_with("/feedback")
                || path.starts_with("/ack/"),
        }
    }
}

/// The security headers of every response (issue 12, item 12): no MIME sniffing, no referrer; for pages a
/// strict Content-Security-Policy — resources from this server only, no script but its own files (never
/// inline), no framing, forms posting back here only; and nothing stored by caches for the API (personal
/// data) and the one-use link pages.
fn secure(path: &Path, mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    let html =
        h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    // The staff pages set their own, stricter policy (no `unsafe-inline` at all); the older pages (the
    // deputy's rating page, the API docs) still carry inline styles.
    if html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        );
    }
    if path.no_store {
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    resp
}

/// Turn the framework's own rejections (oversized body, unknown route) into problems.
fn problem_of(lang: Lang, resp: Response) -> Response {
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let is_page =
        resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_problem || is_json || is_page || resp.status().is_success() || resp.status().is_redirection() {
        return resp;
    }
    let e = match resp.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
            "请求体超过大小上限",
            "the request body is larger than allowed",
        ),
        StatusCode::NOT_FOUND => {
            ApiError::new(StatusCode::NOT_FOUND, "route.not_found", "没有这个接口", "no such endpoint")
        }
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "route.method_not_allowed",
            "该接口不支持此方法",
            "method not allowed here",
        ),
        StatusCode::BAD_REQUEST => {
            ApiError::new(StatusCode::BAD_REQUEST, "request.bad", "请求格式有误", "malformed request")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.media_type",
            "不支持的内容类型",
            "unsupported media type",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.unprocessable",
            "请求内容不完整或格式不符",
            "the request's content is incomplete or not in the expected form",
        ),
        // Every other error is a problem too (issue 12: "every error is an RFC 9457 problem").
        status if status.is_client_error() || status.is_server_error() => {
            ApiError::new(status, "request.rejected", "请求未被接受", "the request was not accepted")
        }
        _ => return resp,
    };
    e.lang(lang).into_response()
}
