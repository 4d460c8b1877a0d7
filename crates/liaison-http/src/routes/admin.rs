//! Organisation, coverage, users, tokens and the audit chain.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use liaison_app::views::{AutoAssignView, CoverageView, OrganisationView, TokenView, UserView};
use liaison_app::{NewUser, OrgInput, TokenCreated};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, etag, if_match};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};

/// The organisation: regions (with their leaders), leaders, departments, officers.
#[utoipa::path(get, path = "/api/v1/organisation", tag = "liaison",
    responses((status = 200, body = OrganisationView)), security(("bearer" = [])))]
pub(crate) async fn organisation(State(s): State<AppState>, c: Caller) -> Result<Response, ApiError> {
    let o = crate::blocking(&s, {
        let p = c.principal.clone();
        move |app| app.organisation(&p)
    })
    .await
    .map_err(|e| c.err(e))?;
    Ok((StatusCode::OK, [etag(o.version)], Json(o)).into_response())
}

/// Change the organisation by one command. Requires `If-Match` (the organisation's `ETag`).
#[utoipa::path(post, path = "/api/v1/organisation/commands", tag = "liaison", request_body = OrgInput,
    responses((status = 200, body = OrganisationView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn org_command(
    State(s): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let v = if_match(&headers, c.lang)?;
    let input: OrgInput = json_body(&body, c.lang)?;
    let o = s.app.change_organisation(&c.principal, input, Some(v), None).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::OK, [etag(o.version)], Json(o)).into_response())
}

/// Options of an automatic assignment.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AutoQuery {
    /// Report only, write nothing.
    dry_run: Option<bool>,
}

/// Fill every officer and department gap (regions kept, loads balanced).
#[utoipa::path(post, path = "/api/v1/assignments/auto", tag = "liaison", params(AutoQuery),
    responses((status = 200, body = AutoAssignView)), security(("bearer" = [])))]
pub(crate) async fn auto_assign(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AutoQuery>,
) -> Result<Json<AutoAssignView>, ApiError> {
    Ok(Json(s.app.auto_assign(&c.principal, q.dry_run.unwrap_or(false), None).await.map_err(|e| c.err(e))?))
}

/// The coverage report: every current deputy's gaps, figures by level, officers' loads.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "liaison",
    responses((status = 200, body = CoverageView)), security(("bearer" = [])))]
pub(crate) async fn coverage(State(s): State<AppState>, c: Caller) -> Result<Json<CoverageView>, ApiError> {
    Ok(Json(
        crate::blocking(&s, {
            let p = c.principal.clone();
            move |app| app.coverage(&p)
        })
        .await
        .map_err(|e| c.err(e))?,
    ))
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    /// Login.
    login: String,
    /// Name.
    name: String,
    /// Roles.
    roles: Vec<String>,
    /// Tenant.
    tenant: String,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity", responses((status = 200, body = Me), (status = 401, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn me(c: Caller) -> Json<Me> {
    let p = c.principal;
    Json(Me {
        login: p.login,
        name: p.name,
        roles: p.roles.iter().map(|r| r.code().into()).collect(),
        tenant: p.tenant.to_string(),
    })
}

/// Users of the tenant.
#[utoipa::path(get, path = "/api/v1/users", tag = "identity", responses((status = 200, body = Vec<UserView>)), security(("bearer" = [])))]
pub(crate) async fn users(State(s): State<AppState>, c: Caller) -> Result<Json<Vec<UserView>>, ApiError> {
    Ok(Json(
        crate::blocking(&s, {
            let p = c.principal.clone();
            move |app| app.users(&p)
        })
        .await
        .map_err(|e| c.err(e))?,
    ))
}

/// Add a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "identity", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 409, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn add_user(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let u: NewUser = json_body(&body, c.lang)?;
    let v = s.app.add_user(&c.principal, &u).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A token request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewToken {
    /// For this user's login (default: the caller).
    user: Option<String>,
    /// What it is for.
    label: String,
}

/// Create an API token. The token is in this response only; it is stored as a hash.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "identity", request_body = NewToken,
    responses((status = 201, body = TokenCreated), (status = 403, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn create_token(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t: NewToken = json_body(&body, c.lang)?;
    let login = t.user.unwrap_or_else(|| c.principal.login.clone());
    let created = s.app.create_token(&c.principal, &login, &t.label).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Tokens of the tenant (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "identity", responses((status = 200, body = Vec<TokenView>)), security(("bearer" = [])))]
pub(crate) async fn tokens(State(s): State<AppState>, c: Caller) -> Result<Json<Vec<TokenView>>, ApiError> {
    Ok(Json(
        crate::blocking(&s, {
            let p = c.principal.clone();
            move |app| app.tokens(&p)
        })
        .await
        .map_err(|e| c.err(e))?,
    ))
}

/// Revoke a token; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "identity", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn revoke_token(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.app.revoke_token(&c.principal, &id, None).await.map_err(|e| c.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The audit chain's verification.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditReport {
    /// True when intact.
    ok: bool,
    /// Records checked.
    records: u64,
    /// Every break: tenant, sequence number, record id and what is wrong.
    #[schema(value_type = Vec<Object>)]
    breaks: Vec<liaison_app::audit::Break>,
    /// Per tenant: last sequence number and head hash.
    #[schema(value_type = Vec<Object>)]
    heads: Vec<(String, u64, String)>,
}

/// Verify the audit chain (auditor). Any edit, deletion, insertion or reordering is named.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditReport)), security(("bearer" = [])))]
pub(crate) async fn verify_audit(
    State(s): State<AppState>,
    c: Caller,
) -> Result<Json<AuditReport>, ApiError> {
    let r = crate::blocking(&s, {
        let p = c.principal.clone();
        move |app| app.verify_audit_as(&p)
    })
    .await
    .map_err(|e| c.err(e))?;
    Ok(Json(AuditReport { ok: r.ok(), records: r.records, breaks: r.breaks, heads: r.heads }))
}

/// The audit records of the caller's tenant, filtered, a page at a time (the audit administrator).
#[utoipa::path(get, path = "/api/v1/audit/records", tag = "audit", params(liaison_app::trail::AuditFilter),
    responses((status = 200, body = liaison_app::trail::AuditPage), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn audit_records(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<liaison_app::trail::AuditFilter>,
) -> Result<Json<liaison_app::trail::AuditPage>, ApiError> {
    let p = c.principal.clone();
    let page = crate::blocking(&s, move |app| app.audit_records(&p, &f)).await.map_err(|e| c.err(e))?;
    Ok(Json(page))
}
