//! Which action of the role × action table (`liaison_core::access::MATRIX`) each operation needs, and
//! the gate that checks it before the handler reads the request: a caller whose roles allow none of the
//! operation's actions gets 403 whatever the body, path or query hold. The use case checks again, finer
//! (a command's own action, a department's or a deputy's own items). The OpenAPI document carries each
//! operation's actions as `x-liaison-actions`; a test walks every documented operation with every role.
//! What an operation needs is declared with its route (`routes::*::router`: `.op(routes!(handler), need)`),
//! so an operation cannot exist without one; the gate still refuses an API path without a need (fail
//! closed).

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use liaison_app::AppError;
use liaison_core::access::{Action, any_allows};

use crate::AppState;
use crate::problem::{ApiError, Lang};

/// What an operation asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Nothing: the link or code in the request is the credential (or the resource is public).
    Public,
    /// Any authenticated account (its own tokens, who it is, how a deadline is computed).
    Account,
    /// An account whose roles allow one of these actions; for `…/{action}` routes, every action the
    /// route's commands need (the use case checks the command's own).
    Any(&'static [Action]),
}

pub(crate) use Need::{Account, Any, Public};
pub(crate) use liaison_core::access::Action as A;

pub(crate) const LIAISON: &[Action] = &[A::ManageLiaison];
pub(crate) const READ: &[Action] = &[A::ReadCoverage];
pub(crate) const APPROVABLE: &[Action] = &[A::ManageLiaison, A::ApproveLiaison];
pub(crate) const SUGGESTIONS: &[Action] = &[A::ReadSuggestions];

/// Every operation of the API with what it asks of its caller, as the routes declare them
/// (`routes::api`: each `.op(routes!(handler), need)`): the one table the gate and the document read.
pub(crate) fn operations() -> &'static [(&'static str, String, Need)] {
    static OPERATIONS: std::sync::OnceLock<Vec<(&'static str, String, Need)>> = std::sync::OnceLock::new();
    OPERATIONS.get_or_init(|| crate::routes::api(crate::Limits::default()).needs)
}

/// The need of an operation (`method` in lower case), if it is one of the API's. Looked up by the route
/// (every request passes here: a scan of the table was a measurable part of a point read).
pub(crate) fn need(method: &str, path: &str) -> Option<Need> {
    type ByRoute = std::collections::HashMap<&'static str, Vec<(&'static str, Need)>>;
    static BY_ROUTE: std::sync::OnceLock<ByRoute> = std::sync::OnceLock::new();
    let by_route = BY_ROUTE.get_or_init(|| {
        let mut m = ByRoute::new();
        for (method, path, need) in operations() {
            m.entry(path.as_str()).or_default().push((*method, *need));
        }
        m
    });
    by_route.get(path)?.iter().find(|(m, _)| *m == method).map(|(_, n)| *n)
}

/// A method in lower case, as the operations table names it (no copy for the standard ones).
fn lower(m: &axum::http::Method) -> std::borrow::Cow<'static, str> {
    use axum::http::Method;
    match *m {
        Method::GET => "get".into(),
        Method::POST => "post".into(),
        Method::PUT => "put".into(),
        Method::PATCH => "patch".into(),
        Method::DELETE => "delete".into(),
        _ => m.as_str().to_ascii_lowercase().into(),
    }
}

/// The bearer token of a request, if it carries one.
pub(crate) fn bearer(h: &axum::http::HeaderMap) -> Option<&str> {
    h.get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
}

/// The gate: authenticate (401) and check the operation's actions against the caller's roles (403)
/// before the handler runs; the principal is passed on to the handler. An operation missing from the
/// table is refused (fail closed; a test keeps the table complete).
pub(crate) async fn gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let method = lower(req.method());
    let Some(route) = req.extensions().get::<MatchedPath>().cloned() else {
        return next.run(req).await;
    };
    let path = route.as_str();
    let needed = match need(&method, path) {
        Some(Public) => return next.run(req).await,
        Some(Account) => &[][..],
        Some(Any(actions)) => actions,
        None if path.starts_with("/api/v1/") && !is_public_asset(path) => {
            tracing::error!(%method, %path, "an operation without an access rule was refused");
            return ApiError::from(AppError::Forbidden { action: "unlisted" }).lang(lang).into_response();
        }
        None => return next.run(req).await,
    };
    let Some(token) = bearer(req.headers()).map(str::to_owned) else {
        return ApiError::from(AppError::Unauthenticated).lang(lang).into_response();
    };
    if reads_as_caller(&method, path) {
        // The handler authenticates and reads on one connection, and checks `needed` there (`ReadCaller`).
        req.extensions_mut().insert(Deferred { token, needed });
        return next.run(req).await;
    }
    let principal = match crate::blocking(&state, move |app| app.authenticate(&token)).await {
        Ok(p) => p,
        Err(e) => return ApiError::from(e).lang(lang).into_response(),
    };
    if let Err(e) = allowed(needed, &principal) {
        return ApiError::from(e).lang(lang).into_response();
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// The gate's check of a principal against an operation's actions: one of them allowed, or 403 naming the
/// first.
pub(crate) fn allowed(needed: &[Action], principal: &liaison_app::Principal) -> Result<(), AppError> {
    match needed.first() {
        Some(first) if !needed.iter().any(|a| any_allows(&principal.roles, *a)) => {
            Err(AppError::Forbidden { action: first.code() })
        }
        _ => Ok(()),
    }
}

/// The hot reads whose handlers authenticate the bearer on the connection they read with
/// (`liaison_app::App::read_as`: one pooled connection per request instead of two, issue 19). The gate
/// hands them the token and the operation's actions ([`Deferred`]); their handler takes `ReadCaller`, which
/// refuses (401) when the gate did not, and checks the actions (403) before it reads.
const READS_AS_CALLER: &[(&str, &str)] = &[("get", "/api/v1/deputies/{id}")];

fn reads_as_caller(method: &str, path: &str) -> bool {
    READS_AS_CALLER.iter().any(|(m, p)| *m == method && *p == path)
}

/// A bearer token whose authentication the gate left to the handler's read, with what the operation needs.
#[derive(Debug, Clone)]
pub(crate) struct Deferred {
    /// The token.
    pub(crate) token: String,
    /// The operation's actions (one must be allowed).
    pub(crate) needed: &'static [Action],
}

/// The API document and its page: public, outside the table.
fn is_public_asset(path: &str) -> bool {
    matches!(path, "/api/v1/openapi.json" | "/api/v1/docs" | "/api/v1/docs.js")
}
