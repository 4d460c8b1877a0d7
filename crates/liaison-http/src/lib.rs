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
mod layers;
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

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use liaison_app::App;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

pub use edge::{Edge, Net};
pub(crate) use layers::known_method;
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

/// What every handler shares. Cloned by every layer and extractor of every request, so it is one `Arc`
/// (an `App` is several).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The façade.
    pub app: Arc<App>,
}

impl AppState {
    /// The state over `app`.
    pub fn new(app: App) -> Self {
        Self { app: Arc::new(app) }
    }
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
        .layer(middleware::from_fn_with_state((state.clone(), edge.clone()), layers::inner))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(edge.cfg.body_idle_timeout))
        .layer(middleware::from_fn_with_state(edge.clone(), layers::outer))
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
