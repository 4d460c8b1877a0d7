//! Which action of the role × action table (`liaison_core::access::MATRIX`) each operation needs, and
//! the gate that checks it before the handler reads the request: a caller whose roles allow none of the
//! operation's actions gets 403 whatever the body, path or query hold. The use case checks again, finer
//! (a command's own action, a department's or a deputy's own items). The OpenAPI document carries each
//! operation's actions as `x-liaison-actions`; a test walks every documented operation with every role.

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

use Action as A;
use Need::{Account, Any, Public};

const LIAISON: &[Action] = &[A::ManageLiaison];
const READ: &[Action] = &[A::ReadCoverage];
const APPROVABLE: &[Action] = &[A::ManageLiaison, A::ApproveLiaison];
const SUGGESTIONS: &[Action] = &[A::ReadSuggestions];

/// Every operation, by method and path as the OpenAPI document names them.
pub(crate) const OPERATIONS: &[(&str, &str, Need)] = &[
    ("get", "/api/v1/deputies", Any(&[A::ReadRegistry])),
    ("post", "/api/v1/deputies", Any(&[A::EditRegistry])),
    ("get", "/api/v1/deputies/{id}", Any(&[A::ReadRegistry])),
    ("patch", "/api/v1/deputies/{id}", Any(&[A::EditRegistry])),
    ("get", "/api/v1/deputies/{id}/full", Any(&[A::ViewPersonalData])),
    ("post", "/api/v1/deputies/{id}/end", Any(&[A::EditRegistry])),
    ("post", "/api/v1/deputies/{id}/assign", Any(&[A::Assign])),
    ("get", "/api/v1/deputies/{id}/history", Any(&[A::ReadRegistry])),
    ("post", "/api/v1/deputies/import", Any(&[A::ImportRegistry])),
    ("get", "/api/v1/organisation", Any(READ)),
    ("post", "/api/v1/organisation/commands", Any(&[A::ManageOrganisation])),
    ("post", "/api/v1/assignments/auto", Any(&[A::Assign])),
    ("get", "/api/v1/coverage", Any(READ)),
    ("get", "/api/v1/me", Account),
    ("get", "/api/v1/users", Any(&[A::ManageUsers, A::GrantRoles])),
    ("post", "/api/v1/users", Any(&[A::ManageUsers])),
    ("post", "/api/v1/users/{login}/roles", Any(&[A::ManageUsers])),
    ("post", "/api/v1/users/{login}/approve", Any(&[A::GrantRoles])),
    ("post", "/api/v1/users/{login}/reject", Any(&[A::GrantRoles])),
    ("post", "/api/v1/users/{login}/disable", Any(&[A::ManageUsers, A::GrantRoles])),
    ("post", "/api/v1/users/{login}/enable", Any(&[A::GrantRoles])),
    ("post", "/api/v1/users/{login}/activation", Any(&[A::ManageUsers])),
    ("post", "/api/v1/activate", Public),
    ("post", "/api/v1/tokens", Account),
    ("get", "/api/v1/tokens", Any(&[A::ManageTokens])),
    ("delete", "/api/v1/tokens/{id}", Account),
    ("get", "/api/v1/settings/token-policy", Any(&[A::ConfigureSecurity])),
    ("put", "/api/v1/settings/token-policy", Any(&[A::ConfigureSecurity])),
    ("get", "/api/v1/audit/verify", Any(&[A::VerifyAudit])),
    ("get", "/api/v1/audit/records", Any(&[A::VerifyAudit])),
    ("get", "/api/v1/audit/alerts", Any(&[A::ReadAlerts])),
    ("get", "/api/v1/suggestions", Any(SUGGESTIONS)),
    ("post", "/api/v1/suggestions", Any(&[A::FileSuggestion])),
    ("get", "/api/v1/suggestions/{key}", Any(SUGGESTIONS)),
    (
        "post",
        "/api/v1/suggestions/{key}/{action}",
        Any(&[
            A::AssignSuggestion,
            A::HandleSuggestion,
            A::ApproveSuggestion,
            A::FileSuggestion,
            A::TranscribeRating,
            A::RateAsDeputy,
        ]),
    ),
    ("get", "/api/v1/suggestions/{key}/history", Any(SUGGESTIONS)),
    ("post", "/api/v1/suggestions/{key}/feedback-links", Any(&[A::IssueLinks])),
    ("get", "/api/v1/suggestions/{key}/publication", Any(SUGGESTIONS)),
    ("post", "/api/v1/suggestions/{key}/body-links", Any(&[A::IssueLinks])),
    ("get", "/api/v1/publications", Any(SUGGESTIONS)),
    ("get", "/api/v1/due", Any(SUGGESTIONS)),
    ("get", "/api/v1/deadlines/explain", Account),
    ("post", "/api/v1/deadlines/recompute", Any(&[A::AssignSuggestion])),
    ("get", "/api/v1/reports/suggestions", Any(&[A::ReadFigures])),
    ("get", "/api/v1/settings/suggestion-policy", Any(SUGGESTIONS)),
    ("patch", "/api/v1/settings/suggestion-policy", Any(&[A::ConfigurePolicy])),
    ("get", "/api/v1/measures", Any(SUGGESTIONS)),
    ("post", "/api/v1/measures", Any(&[A::ManageMeasures])),
    ("get", "/api/v1/measures/{id}", Any(SUGGESTIONS)),
    ("post", "/api/v1/measures/{id}/{action}", Any(&[A::ManageMeasures])),
    ("get", "/api/v1/feedback/{token}", Public),
    ("post", "/api/v1/feedback/{token}", Public),
    ("get", "/api/v1/deliberations", Any(&[A::ReadFigures])),
    ("post", "/api/v1/deliberations", Any(&[A::FileSuggestion])),
    ("get", "/api/v1/deliberations/{id}", Any(&[A::ReadFigures])),
    ("post", "/api/v1/deliberations/{id}/{action}", Any(&[A::FileSuggestion])),
    ("get", "/api/v1/notices", Any(SUGGESTIONS)),
    ("post", "/api/v1/notices", Any(&[A::ManageNotices])),
    ("get", "/api/v1/notices/{id}", Any(SUGGESTIONS)),
    ("post", "/api/v1/notices/{id}/{action}", Any(&[A::ManageNotices, A::ApproveLiaison, A::RateAsDeputy])),
    ("get", "/api/v1/plans/{period}", Any(READ)),
    ("put", "/api/v1/plans/{period}", Any(LIAISON)),
    ("post", "/api/v1/plans/{period}/adopt", Any(&[A::ApproveLiaison])),
    ("post", "/api/v1/meetings", Any(LIAISON)),
    ("get", "/api/v1/meetings/{id}", Any(READ)),
    ("post", "/api/v1/meetings/{id}/{action}", Any(LIAISON)),
    ("post", "/api/v1/visits", Any(LIAISON)),
    ("get", "/api/v1/reach", Any(READ)),
    ("get", "/api/v1/calendar", Any(READ)),
    ("get", "/api/v1/calendar.ics", Any(READ)),
    ("get", "/api/v1/inspections", Any(READ)),
    ("post", "/api/v1/inspections", Any(LIAISON)),
    ("get", "/api/v1/inspections/{id}", Any(READ)),
    ("post", "/api/v1/inspections/{id}/{action}", Any(LIAISON)),
    ("get", "/api/v1/contributions", Any(READ)),
    ("get", "/api/v1/nominations", Any(READ)),
    ("post", "/api/v1/nominations", Any(LIAISON)),
    ("post", "/api/v1/nominations/{id}/{action}", Any(APPROVABLE)),
    ("get", "/api/v1/reviews", Any(READ)),
    ("post", "/api/v1/reviews", Any(LIAISON)),
    ("get", "/api/v1/reviews/{id}", Any(READ)),
    ("get", "/api/v1/reviews/{id}/verify", Any(READ)),
    ("post", "/api/v1/reviews/{id}/{action}", Any(APPROVABLE)),
    ("post", "/api/v1/rights/check", Any(&[A::CheckRights])),
    ("get", "/api/v1/activities", Any(READ)),
    ("post", "/api/v1/activities", Any(LIAISON)),
    ("get", "/api/v1/activities/{id}", Any(READ)),
    ("get", "/api/v1/activities/{id}/verify", Any(READ)),
    ("post", "/api/v1/activities/{id}/{action}", Any(APPROVABLE)),
    ("get", "/api/v1/fairness", Any(READ)),
    ("get", "/api/v1/budgets/{year}", Any(READ)),
    ("post", "/api/v1/budgets/{year}/{action}", Any(APPROVABLE)),
    ("get", "/api/v1/appointments", Any(READ)),
    ("post", "/api/v1/appointments", Any(LIAISON)),
    ("post", "/api/v1/appointments/{id}/{action}", Any(LIAISON)),
    ("get", "/api/v1/supervisors", Any(READ)),
    ("post", "/api/v1/supervisors", Any(LIAISON)),
    ("get", "/api/v1/calls", Any(READ)),
    ("post", "/api/v1/calls", Any(LIAISON)),
    ("get", "/api/v1/cards", Any(READ)),
    ("post", "/api/v1/cards", Any(LIAISON)),
    ("post", "/api/v1/cards/{number}/revoke", Any(LIAISON)),
    ("get", "/api/v1/cards/{number}/print", Any(READ)),
    ("get", "/api/v1/services", Any(READ)),
    ("post", "/api/v1/services", Any(LIAISON)),
    ("post", "/api/v1/services/{id}/{action}", Any(LIAISON)),
    ("get", "/api/v1/solicitations", Any(READ)),
    ("post", "/api/v1/solicitations", Any(LIAISON)),
    ("post", "/api/v1/solicitations/{id}/respond", Any(LIAISON)),
];

/// The need of an operation (`method` in lower case), if it is one of the API's.
pub(crate) fn need(method: &str, path: &str) -> Option<Need> {
    OPERATIONS.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, n)| *n)
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
    let method = req.method().as_str().to_ascii_lowercase();
    let Some(path) = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()) else {
        return next.run(req).await;
    };
    let needed = match need(&method, &path) {
        Some(Public) => return next.run(req).await,
        Some(Account) => &[][..],
        Some(Any(actions)) => actions,
        None if path.starts_with("/api/v1/") && !is_public_asset(&path) => {
            tracing::error!(%method, %path, "an operation without an access rule was refused");
            return ApiError::from(AppError::Forbidden { action: "unlisted" }).lang(lang).into_response();
        }
        None => return next.run(req).await,
    };
    let Some(token) = bearer(req.headers()).map(str::to_owned) else {
        return ApiError::from(AppError::Unauthenticated).lang(lang).into_response();
    };
    let principal = match crate::blocking(&state, move |app| app.authenticate(&token)).await {
        Ok(p) => p,
        Err(e) => return ApiError::from(e).lang(lang).into_response(),
    };
    if let Some(first) = needed.first()
        && !needed.iter().any(|a| any_allows(&principal.roles, *a))
    {
        return ApiError::from(AppError::Forbidden { action: first.code() }).lang(lang).into_response();
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// The API document and its page: public, outside the table.
fn is_public_asset(path: &str) -> bool {
    matches!(path, "/api/v1/openapi.json" | "/api/v1/docs" | "/api/v1/docs.js")
}
