//! `liaison-http`: the HTTP API (`/api/v1`, JSON, OpenAPI 3.1) over the use-case façade.
//!
//! Architecture invariant: only this crate knows HTTP. Handlers parse the request, call one use case and
//! render its result; rules live in the core, transactions in the façade.
//!
//! Conventions: errors are RFC 9457 problems with stable codes; lists use opaque cursors; every read of an
//! aggregate carries its version as `ETag`, and every change must send it back as `If-Match` (428 when
//! missing, 412 when stale); creates accept `Idempotency-Key`; request bodies are limited in size.

mod access;
mod auth;
pub mod automatic;
pub mod edge;
mod limit;
mod openapi;
pub mod options;
pub mod outbound;
mod pages;
pub mod problem;
pub mod replication;
mod routes;
pub mod server;
pub mod worker;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use liaison_app::App;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

pub use edge::{Edge, Net};
pub use limit::Rate;
pub use openapi::{ApiDoc, document};
use problem::{ApiError, Lang};

/// Limits of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest JSON body, in bytes.
    pub json_body: usize,
    /// Largest import upload, in bytes.
    pub upload: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { json_body: 1 << 20, upload: 64 << 20 }
    }
}

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The façade.
    pub app: App,
}

/// Run a synchronous use case from a handler. When the store's reads wait on the network (PostgreSQL),
/// the call runs on tokio's blocking pool so that the request threads keep serving others meanwhile; with
/// SQLite, whose reads are CPU work of microseconds, it runs right here.
pub(crate) async fn blocking<R: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&App) -> Result<R, liaison_app::AppError> + Send + 'static,
) -> Result<R, liaison_app::AppError> {
    if !state.app.store().reads_wait_on_network() {
        return f(&state.app);
    }
    let app = state.app.clone();
    tokio::task::spawn_blocking(move || f(&app)).await.unwrap_or_else(|e| {
        Err(liaison_app::AppError::Store(liaison_app::StoreError::Transaction(format!(
            "read task failed: {e}"
        ))))
    })
}

pub(crate) fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], lang: Lang) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_json(&e).lang(lang))
}

fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE.get_or_init(|| PrometheusBuilder::new().install_recorder().ok()).as_ref()
}

async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    // Unknown methods are one label, `other`: a client inventing methods must not grow the metrics
    // (issue 12, item 11).
    let method = if known_method(req.method().as_str()) { req.method().as_str() } else { "other" }.to_owned();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("liaison_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("liaison_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}

/// The methods metrics and records name; any other is `other`.
pub(crate) fn known_method(m: &str) -> bool {
    matches!(m, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS")
}

/// Turn the framework's own rejections (oversized body, unknown route) into problems.
async fn problems(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let resp = next.run(req).await;
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

/// This build: the package version, the commit and when it was built (`build/version.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LIAISON_COMMIT"),
    ", built ",
    env!("LIAISON_BUILD_TIME"),
    ")"
);

/// Alive, and which build: version, commit and build time.
async fn livez() -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "commit": env!("LIAISON_COMMIT"),
            "built": env!("LIAISON_BUILD_TIME"),
        })),
    )
        .into_response()
}

/// Ready to serve reads *and writes* (issue 13, item 5): the database answers, it was not found damaged,
/// its last write did not fail, and (SQLite) its disk has more free space than the floor. The body is JSON
/// and says why when it is not (`reasons`, each with a code and the message in both languages).
async fn readyz(State(s): State<AppState>) -> Response {
    let app = s.app.clone();
    let r = tokio::task::spawn_blocking(move || app.store().readiness()).await.unwrap_or_else(|e| {
        let mut r = liaison_app::Readiness::new("checking");
        r.not("store.unreachable", format!("就绪检查失败：{e}"), format!("the readiness check failed: {e}"));
        r
    });
    if !r.ready {
        tracing::warn!(reasons = ?r.reasons.iter().map(|n| n.code).collect::<Vec<_>>(), "not ready");
    }
    let status = if r.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(r)).into_response()
}

pub(crate) async fn metrics_text() -> Response {
    match prometheus() {
        Some(h) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], h.render()).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "metrics recorder unavailable").into_response(),
    }
}

/// The API document, made from the same declarations as the router (`routes::api`).
async fn openapi_json(doc: Arc<str>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], doc.to_string()).into_response()
}

async fn docs() -> Html<&'static str> {
    Html(include_str!("../assets/docs.html"))
}

/// The docs page's script, served as a file: pages carry no inline script (the CSP forbids it).
async fn docs_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../assets/docs.js"))
        .into_response()
}

/// The security headers of every response (issue 12, item 12): no MIME sniffing, no referrer; for pages a
/// strict Content-Security-Policy — resources from this server only, no script but its own files (never
/// inline), no framing, forms posting back here only; and nothing stored by caches for the API (personal
/// data) and the one-use link pages.
async fn security_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut resp = next.run(req).await;
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
    let public = ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs.js"].contains(&path.as_str());
    if (path.starts_with("/api/") && !public) || path.starts_with("/feedback") || path.starts_with("/ack/") {
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    resp
}

/// The router, for the binary and for in-process tests, with the edge's defaults.
pub fn app(state: AppState, limits: Limits) -> Router {
    app_with(state, limits, Edge::default())
}

/// The router with the edge configured (limits, proxies, `/metrics`, HSTS).
pub fn app_with(state: AppState, limits: Limits, edge: Edge) -> Router {
    let _ = prometheus();
    let cookies = pages::Cookies { secure: !edge.insecure_cookies };
    let public = if edge.public_figures { pages::public::router() } else { Router::new() };
    let edge = edge::EdgeState::new(edge);
    let gate = middleware::from_fn_with_state(state.clone(), access::gate);
    let (api, doc) = routes::api(limits).router.route_layer(gate).split_for_parts();
    let doc: Arc<str> = openapi::finish(doc).to_pretty_json().unwrap_or_default().into();
    let api = api
        .route("/api/v1/openapi.json", get(move || openapi_json(doc.clone())))
        .route("/api/v1/docs", get(docs))
        .route("/api/v1/docs.js", get(docs_js));
    Router::new()
        .merge(pages::router(cookies))
        .merge(public)
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(edge::metrics_guarded))
        .route(
            "/feedback/{token}",
            get(routes::suggestions::feedback_page).post(routes::suggestions::feedback_submit),
        )
        .route("/ack/{token}", get(routes::notice_ack::ack_page).post(routes::notice_ack::ack_submit))
        .merge(api)
        .layer(middleware::from_fn_with_state((state.clone(), edge.clone()), edge::audit_refusals))
        .layer(middleware::from_fn(problems))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(edge.cfg.body_idle_timeout))
        .layer(middleware::from_fn_with_state(edge.clone(), edge::limits))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(track))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}

/// `/metrics` alone, for a separate listen address (`--metrics-listen`) that only the monitoring system
/// reaches.
pub fn metrics_router() -> Router {
    let _ = prometheus();
    Router::new().route("/metrics", get(metrics_text))
}

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod tests;
