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
pub mod problem;
mod routes;
pub mod server;

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use liaison_app::App;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

pub use edge::{Edge, Net};
pub use limit::Rate;
pub use openapi::ApiDoc;
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

async fn openapi_json() -> Response {
    use utoipa::OpenApi;
    ([(header::CONTENT_TYPE, "application/json")], ApiDoc::openapi().to_pretty_json().unwrap_or_default())
        .into_response()
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
    if html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        );
    }
    let public = ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs.js"].contains(&path.as_str());
    if (path.starts_with("/api/") && !public) || path.starts_with("/feedback") {
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    resp
}

async fn root() -> Html<&'static str> {
    Html(include_str!("../assets/index.html"))
}

/// The router, for the binary and for in-process tests, with the edge's defaults.
pub fn app(state: AppState, limits: Limits) -> Router {
    app_with(state, limits, Edge::default())
}

/// The router with the edge configured (limits, proxies, `/metrics`, HSTS).
pub fn app_with(state: AppState, limits: Limits, edge: Edge) -> Router {
    let _ = prometheus();
    let edge = edge::EdgeState::new(edge);
    let api = Router::new()
        .route("/deputies", get(routes::deputies::list).post(routes::deputies::create))
        .route("/deputies/{id}", get(routes::deputies::get).patch(routes::deputies::update))
        .route("/deputies/{id}/full", get(routes::deputies::get_full))
        .route("/deputies/{id}/end", post(routes::deputies::end))
        .route("/deputies/{id}/assign", post(routes::deputies::assign))
        .route("/deputies/{id}/history", get(routes::deputies::history))
        .route("/organisation", get(routes::admin::organisation))
        .route("/organisation/commands", post(routes::admin::org_command))
        .route("/assignments/auto", post(routes::admin::auto_assign))
        .route("/coverage", get(routes::admin::coverage))
        .route("/me", get(routes::admin::me))
        .route("/users", get(routes::admin::users).post(routes::admin::add_user))
        .route("/users/{login}/roles", post(routes::admin::request_roles))
        .route("/users/{login}/approve", post(routes::admin::approve_user))
        .route("/users/{login}/reject", post(routes::admin::reject_user))
        .route("/users/{login}/disable", post(routes::admin::disable_user))
        .route("/users/{login}/enable", post(routes::admin::enable_user))
        .route("/users/{login}/activation", post(routes::admin::issue_activation))
        .route("/activate", post(routes::admin::activate))
        .route(
            "/settings/token-policy",
            get(routes::admin::token_policy).put(routes::admin::set_token_policy),
        )
        .route("/tokens", get(routes::admin::tokens).post(routes::admin::create_token))
        .route("/tokens/{id}", delete(routes::admin::revoke_token))
        .route("/audit/verify", get(routes::admin::verify_audit))
        .route("/audit/records", get(routes::admin::audit_records))
        .route("/audit/alerts", get(routes::admin::audit_alerts))
        .route("/suggestions", get(routes::suggestions::list).post(routes::suggestions::create))
        .route("/suggestions/{key}", get(routes::suggestions::get))
        .route("/suggestions/{key}/history", get(routes::suggestions::history))
        .route("/suggestions/{key}/feedback-links", post(routes::suggestions::feedback_links))
        .route("/suggestions/{key}/publication", get(routes::suggestions::publication))
        .route("/suggestions/{key}/body-links", post(routes::suggestions::body_links))
        .route("/suggestions/{key}/{action}", post(routes::suggestions::action))
        .route("/publications", get(routes::suggestions::publications))
        .route(
            "/deliberations",
            get(routes::suggestions::deliberations).post(routes::suggestions::open_deliberation),
        )
        .route("/deliberations/{id}", get(routes::suggestions::deliberation))
        .route("/deliberations/{id}/{action}", post(routes::suggestions::deliberation_action))
        .route("/notices", get(routes::rules::notices).post(routes::rules::draft_notice))
        .route("/notices/{id}", get(routes::rules::notice))
        .route("/notices/{id}/{action}", post(routes::rules::notice_action))
        .route("/plans/{period}", get(routes::rules::plan).put(routes::rules::set_plan))
        .route("/plans/{period}/adopt", post(routes::rules::adopt_plan))
        .route("/meetings", post(routes::rules::plan_meeting))
        .route("/meetings/{id}", get(routes::rules::meeting))
        .route("/meetings/{id}/{action}", post(routes::rules::meeting_action))
        .route("/visits", post(routes::rules::record_visit))
        .route("/reach", get(routes::rules::reach))
        .route("/calendar", get(routes::rules::calendar))
        .route("/calendar.ics", get(routes::rules::calendar_ics))
        .route("/inspections", get(routes::rules::inspections).post(routes::rules::plan_inspection))
        .route("/inspections/{id}", get(routes::rules::inspection))
        .route("/inspections/{id}/{action}", post(routes::rules::inspection_action))
        .route("/contributions", get(routes::rules::contributions))
        .route("/nominations", get(routes::rules::nominations).post(routes::rules::nominate))
        .route("/nominations/{id}/{action}", post(routes::rules::nomination_action))
        .route("/reviews", get(routes::rules::reviews).post(routes::rules::register_review))
        .route("/reviews/{id}", get(routes::rules::review))
        .route("/reviews/{id}/verify", get(routes::rules::verify_draw))
        .route("/reviews/{id}/{action}", post(routes::rules::review_action))
        .route("/rights/check", post(routes::channels::rights_check))
        .route("/activities", get(routes::channels::activities).post(routes::channels::plan_activity))
        .route("/activities/{id}", get(routes::channels::activity))
        .route("/activities/{id}/verify", get(routes::channels::verify_activity))
        .route("/activities/{id}/{action}", post(routes::channels::activity_action))
        .route("/fairness", get(routes::channels::fairness))
        .route("/deadlines/explain", get(routes::suggestions::explain_deadline))
        .route("/deadlines/recompute", post(routes::suggestions::recompute_deadlines))
        .route("/budgets/{year}", get(routes::channels::budget))
        .route("/budgets/{year}/{action}", post(routes::channels::budget_action))
        .route(
            "/appointments",
            get(routes::channels::appointments).post(routes::channels::request_appointment),
        )
        .route("/appointments/{id}/{action}", post(routes::channels::appointment_action))
        .route("/supervisors", get(routes::channels::supervisors).post(routes::channels::appoint_supervisor))
        .route("/calls", get(routes::channels::calls).post(routes::channels::log_call))
        .route("/cards", get(routes::channels::cards).post(routes::channels::issue_card))
        .route("/cards/{number}/revoke", post(routes::channels::revoke_card))
        .route("/cards/{number}/print", get(routes::channels::print_card))
        .route("/services", get(routes::channels::services).post(routes::channels::open_service))
        .route("/services/{id}/{action}", post(routes::channels::service_step))
        .route(
            "/solicitations",
            get(routes::channels::solicitations).post(routes::channels::send_solicitation),
        )
        .route("/solicitations/{id}/respond", post(routes::channels::respond_solicitation))
        .route("/due", get(routes::suggestions::due))
        .route("/reports/suggestions", get(routes::suggestions::figures))
        .route(
            "/settings/suggestion-policy",
            get(routes::suggestions::policy).patch(routes::suggestions::set_policy),
        )
        .route("/measures", get(routes::suggestions::measures).post(routes::suggestions::open_measure))
        .route("/measures/{id}", get(routes::suggestions::measure))
        .route("/measures/{id}/{action}", post(routes::suggestions::measure_action))
        .route(
            "/feedback/{token}",
            get(routes::suggestions::feedback_get).post(routes::suggestions::feedback_post),
        )
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
        .route("/docs.js", get(docs_js))
        .layer(DefaultBodyLimit::max(limits.json_body));
    let upload = Router::new()
        .route("/deputies/import", post(routes::deputies::import))
        .layer(DefaultBodyLimit::max(limits.upload));
    let gate = middleware::from_fn_with_state(state.clone(), access::gate);
    Router::new()
        .route("/", get(root))
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(edge::metrics_guarded))
        .route(
            "/feedback/{token}",
            get(routes::suggestions::feedback_page).post(routes::suggestions::feedback_submit),
        )
        .nest("/api/v1", upload.merge(api).route_layer(gate))
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
