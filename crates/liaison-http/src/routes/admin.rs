//! Organisation, coverage, users, tokens and the audit chain.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use liaison_app::views::{AutoAssignView, CoverageView, OrganisationView, TokenView, UserView};
use liaison_app::{AccountStep, ActivationCode, NewUser, OrgInput, RoleChange, TokenCreated};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::{AppState, json_body};
use utoipa_axum::routes;

use super::{Api, with_etag};
use crate::access::*;

/// The operations of the organisation, accounts, tokens, settings and the audit chain, each declared once
/// with what it asks of its caller: `routes!` takes the path, the method and the document of each handler
/// from its `#[utoipa::path]`.
pub(super) fn router() -> Api {
    Api::new()
        .op(routes!(organisation), Any(READ))
        .op(routes!(org_command), Any(&[A::ManageOrganisation]))
        .op(routes!(auto_assign), Any(&[A::Assign]))
        .op(routes!(coverage), Any(READ))
        .op(routes!(me), Account)
        .op(routes!(users), Any(&[A::ManageUsers, A::GrantRoles]))
        .op(routes!(user), Any(&[A::ManageUsers, A::GrantRoles]))
        .op(routes!(add_user), Any(&[A::ManageUsers]))
        .op(routes!(request_roles), Any(&[A::ManageUsers]))
        .op(routes!(approve_user), Any(&[A::GrantRoles]))
        .op(routes!(reject_user), Any(&[A::GrantRoles]))
        .op(routes!(disable_user), Any(&[A::ManageUsers, A::GrantRoles]))
        .op(routes!(enable_user), Any(&[A::GrantRoles]))
        .op(routes!(issue_activation), Any(&[A::ManageUsers]))
        .op(routes!(activate), Public)
        .op(routes!(token_policy), Any(&[A::ConfigureSecurity]))
        .op(routes!(set_token_policy), Any(&[A::ConfigureSecurity]))
        .op(routes!(tokens), Any(&[A::ManageTokens]))
        .op(routes!(create_token), Account)
        .op(routes!(revoke_token), Account)
        .op(routes!(verify_audit), Any(&[A::VerifyAudit]))
        .op(routes!(audit_records), Any(&[A::VerifyAudit]))
        .op(routes!(audit_alerts), Any(&[A::ReadAlerts]))
}

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
#[utoipa::path(post, path = "/api/v1/organisation/commands", tag = "liaison", params(IfMatch), request_body = OrgInput,
    responses((status = 200, body = OrganisationView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn org_command(
    State(s): State<AppState>,
    c: Caller,
    IfMatch(v): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
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

/// The coverage report: every current deputy's gaps, figures by level, officers' loads. Read from the
/// standby when the server has one (`--read-replica-url`): it may be a moment behind the latest changes.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "liaison",
    responses((status = 200, body = CoverageView)), security(("bearer" = [])))]
pub(crate) async fn coverage(State(s): State<AppState>, c: Caller) -> Result<Json<CoverageView>, ApiError> {
    Ok(Json(
        crate::blocking(&s, {
            let p = c.principal.clone();
            move |app| app.for_reports().coverage(&p)
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
    /// Roles in effect.
    roles: Vec<String>,
    /// Tenant.
    tenant: String,
    /// The credential of this request (`token:<id>`), as the audit records name it.
    via: String,
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
        via: p.via,
    })
}

/// Accounts of the tenant (the system and the security administrator).
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

/// One account, its version as the `ETag` a change of it sends back as `If-Match` (the system and the
/// security administrator).
#[utoipa::path(get, path = "/api/v1/users/{login}", tag = "identity", params(("login" = String, Path)),
    responses((status = 200, body = UserView), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn user(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = crate::blocking(&s, move |app| app.user(&p, &login)).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Add an account (the system administrator). An administrator role takes effect at once and is held
/// alone; business roles and a deputy's account wait for the security administrator's approval
/// (`pending_roles`); one deputy has at most one account.
#[utoipa::path(post, path = "/api/v1/users", tag = "identity", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn add_user(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let u: NewUser = json_body(&body, c.lang)?;
    let v = s.app.add_user(&c.principal, &u).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::CREATED, v.version, &v))
}

/// Ask for a new set of roles for an account (the system administrator): it waits for the security
/// administrator. Requires `If-Match` (the account's `ETag`).
#[utoipa::path(post, path = "/api/v1/users/{login}/roles", tag = "identity", params(IfMatch, ("login" = String, Path)),
    request_body = RoleChange,
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn request_roles(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
    IfMatch(expected): IfMatch,
    body: Bytes,
) -> Result<Response, ApiError> {
    let change: RoleChange = json_body(&body, c.lang)?;
    let v = s.app.request_roles(&c.principal, &login, Some(expected), &change).await.map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Why, for an account step.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct WhyQuery {
    /// Why (recorded in the audit chain).
    reason: Option<String>,
}

async fn step(
    s: AppState,
    c: Caller,
    login: String,
    expected: u64,
    step: AccountStep,
    q: WhyQuery,
) -> Result<Response, ApiError> {
    let v = s
        .app
        .account_step(&c.principal, &login, Some(expected), step, q.reason)
        .await
        .map_err(|e| c.err(e))?;
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Approve the roles waiting on an account (the security administrator; never the one who asked). Requires
/// `If-Match` (the account's `ETag`), as every account step does.
#[utoipa::path(post, path = "/api/v1/users/{login}/approve", tag = "identity", params(IfMatch, ("login" = String, Path), WhyQuery),
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn approve_user(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
    IfMatch(expected): IfMatch,
    Query(q): Query<WhyQuery>,
) -> Result<Response, ApiError> {
    step(s, c, login, expected, AccountStep::Approve, q).await
}

/// Reject the roles waiting on an account (the security administrator).
#[utoipa::path(post, path = "/api/v1/users/{login}/reject", tag = "identity", params(IfMatch, ("login" = String, Path), WhyQuery),
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn reject_user(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
    IfMatch(expected): IfMatch,
    Query(q): Query<WhyQuery>,
) -> Result<Response, ApiError> {
    step(s, c, login, expected, AccountStep::Reject, q).await
}

/// Disable an account: every token of it stops at once (the system or the security administrator).
#[utoipa::path(post, path = "/api/v1/users/{login}/disable", tag = "identity", params(IfMatch, ("login" = String, Path), WhyQuery),
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn disable_user(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
    IfMatch(expected): IfMatch,
    Query(q): Query<WhyQuery>,
) -> Result<Response, ApiError> {
    step(s, c, login, expected, AccountStep::Disable, q).await
}

/// Enable a disabled account again (the security administrator); its old tokens stay revoked.
#[utoipa::path(post, path = "/api/v1/users/{login}/enable", tag = "identity", params(IfMatch, ("login" = String, Path), WhyQuery),
    responses((status = 200, body = UserView), (status = 409, body = Problem), (status = 412, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn enable_user(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
    IfMatch(expected): IfMatch,
    Query(q): Query<WhyQuery>,
) -> Result<Response, ApiError> {
    step(s, c, login, expected, AccountStep::Enable, q).await
}

/// Issue a one-use activation code for a person's account (the system administrator), to be handed to
/// that person only; a new code replaces the old. The code is in this response only.
#[utoipa::path(post, path = "/api/v1/users/{login}/activation", tag = "identity", params(("login" = String, Path)),
    responses((status = 201, body = ActivationCode), (status = 404, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn issue_activation(
    State(s): State<AppState>,
    c: Caller,
    Path(login): Path<String>,
) -> Result<Response, ApiError> {
    let code = s.app.issue_activation(&c.principal, &login).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(code)).into_response())
}

/// A redemption of an activation code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Activation {
    /// The activation code (`act_…`).
    code: String,
    /// What the token is for.
    label: String,
    /// Days it lives (default and most: the token policy's lifetime).
    days: Option<u32>,
    /// The id of the procuratorate that issued the code (`liaison tenant list`). Required when the
    /// deployment hosts several procuratorates; when it hosts one, absent means that one. A code works only
    /// in its own procuratorate; an id that is no procuratorate's is refused (`tenant.unknown`).
    tenant: Option<String>,
}

/// Redeem an activation code for one's own token (no login: the code is the credential, once), in the
/// procuratorate `tenant` names (required when the deployment hosts several). The token is in this
/// response only.
#[utoipa::path(post, path = "/api/v1/activate", tag = "identity", request_body = Activation,
    responses((status = 201, body = TokenCreated), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn activate(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let lang = crate::problem::Lang::from_headers(&headers);
    let a: Activation = json_body(&body, lang)?;
    let tenant = s.app.sign_in_tenant(a.tenant.as_deref()).map_err(|e| ApiError::from(e).lang(lang))?;
    let created = s
        .app
        .activate(&tenant.id, &a.code, &a.label, a.days)
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// A token request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewToken {
    /// For this integration account's login (default: the caller). A person's token is made only by that
    /// person.
    user: Option<String>,
    /// What it is for.
    label: String,
    /// Days it lives (default and most: the token policy's lifetime, 90 days unless changed).
    days: Option<u32>,
}

/// Create an API token: one's own, or an integration account's (the system administrator). The token is
/// in this response only; it is stored as a hash.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "identity", request_body = NewToken,
    responses((status = 201, body = TokenCreated), (status = 403, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn create_token(
    State(s): State<AppState>,
    c: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let t: NewToken = json_body(&body, c.lang)?;
    let login = t.user.unwrap_or_else(|| c.principal.login.clone());
    let created = s.app.create_token(&c.principal, &login, &t.label, t.days).await.map_err(|e| c.err(e))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// The token policy: days a token lives, days without use after which it stops working.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenPolicyBody {
    /// Days a token lives (1–365; default 90).
    lifetime_days: u32,
    /// Days without use after which a token stops working (1 to the lifetime; default 30).
    idle_days: u32,
}

/// The token policy as read: the body of a change, with its version (also the `ETag`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenPolicyView {
    /// Days a token lives.
    lifetime_days: u32,
    /// Days without use after which a token stops working.
    idle_days: u32,
    /// The policy's version (0 while the defaults apply), sent back as `If-Match` to change it.
    version: u64,
}

impl TokenPolicyView {
    fn of((p, version): (liaison_core::account::TokenPolicy, u64)) -> Self {
        Self { lifetime_days: p.lifetime_days, idle_days: p.idle_days, version }
    }
}

/// The token policy in force (the security administrator), its version as the `ETag`.
#[utoipa::path(get, path = "/api/v1/settings/token-policy", tag = "identity",
    responses((status = 200, body = TokenPolicyView)), security(("bearer" = [])))]
pub(crate) async fn token_policy(State(s): State<AppState>, c: Caller) -> Result<Response, ApiError> {
    let p = c.principal.clone();
    let v = TokenPolicyView::of(
        crate::blocking(&s, move |app| app.token_policy(&p)).await.map_err(|e| c.err(e))?,
    );
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Set the token policy (the security administrator; audited). Requires `If-Match` (the policy's `ETag`,
/// `"0"` while the defaults apply).
#[utoipa::path(put, path = "/api/v1/settings/token-policy", tag = "identity", request_body = TokenPolicyBody,
    params(IfMatch, WhyQuery), responses((status = 200, body = TokenPolicyView), (status = 412, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn set_token_policy(
    State(s): State<AppState>,
    c: Caller,
    IfMatch(expected): IfMatch,
    Query(q): Query<WhyQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: TokenPolicyBody = json_body(&body, c.lang)?;
    let set = s
        .app
        .set_token_policy(&c.principal, Some(expected), b.lifetime_days, b.idle_days, q.reason)
        .await
        .map_err(|e| c.err(e))?;
    let v = TokenPolicyView::of(set);
    Ok(with_etag(StatusCode::OK, v.version, &v))
}

/// Tokens of the tenant (never the tokens themselves): the system administrator.
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

/// The audit chain's verification, and with `state=true` the state check.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditReport {
    /// True when the chain is intact (and, when checked, the stored state is what the events say).
    ok: bool,
    /// Records checked.
    records: u64,
    /// Every break: tenant, sequence number, record id and what is wrong.
    #[schema(value_type = Vec<Object>)]
    breaks: Vec<liaison_app::audit::Break>,
    /// Per tenant: last sequence number and head hash.
    #[schema(value_type = Vec<Object>)]
    heads: Vec<(String, u64, String)>,
    /// The state check (with `state=true`): every aggregate's events replayed and compared with what is
    /// stored, each difference named.
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<liaison_app::StateReport>,
}

/// What to verify.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VerifyQuery {
    /// Also replay every aggregate's events and compare with the stored state (seconds per 100,000
    /// deputies; one consistent snapshot, the service goes on meanwhile).
    state: Option<bool>,
}

/// Verify the audit chain (auditor only). Any edit, deletion, insertion or reordering is named; with
/// `state=true`, every difference between the stored state and what its events replay to as well (kind,
/// id or number, field, stored and replayed values; personal values never shown).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", params(VerifyQuery),
    responses((status = 200, body = AuditReport), (status = 403, body = Problem)), security(("bearer" = [])))]
pub(crate) async fn verify_audit(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<VerifyQuery>,
) -> Result<Json<AuditReport>, ApiError> {
    let p = c.principal.clone();
    let app = s.app.clone();
    let with_state = q.state.unwrap_or(false);
    // Seconds of work at a national register: off the request threads, whatever the backend.
    let (r, state) = tokio::task::spawn_blocking(move || {
        let r = app.verify_audit_as(&p)?;
        let state = with_state.then(|| app.verify_state_as(&p)).transpose()?;
        Ok::<_, liaison_app::AppError>((r, state))
    })
    .await
    .unwrap_or_else(|e| {
        Err(liaison_app::AppError::Store(liaison_app::StoreError::Transaction(format!(
            "verify task failed: {e}"
        ))))
    })
    .map_err(|e| c.err(e))?;
    let ok = r.ok() && state.as_ref().is_none_or(liaison_app::StateReport::ok);
    Ok(Json(AuditReport { ok, records: r.records, breaks: r.breaks, heads: r.heads, state }))
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

/// The security alerts (`alert.*`, e.g. `alert.bulk_personal_data`: an account viewed more deputies' full
/// cards than the limit allows in its window), filtered like the audit records, a page at a time (the
/// security and the audit administrator; issue 12 item 7). A `kind`, when given, is an alert's.
#[utoipa::path(get, path = "/api/v1/audit/alerts", tag = "audit", params(liaison_app::trail::AuditFilter),
    responses((status = 200, body = liaison_app::trail::AuditPage), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn audit_alerts(
    State(s): State<AppState>,
    c: Caller,
    Query(f): Query<liaison_app::trail::AuditFilter>,
) -> Result<Json<liaison_app::trail::AuditPage>, ApiError> {
    let p = c.principal.clone();
    let page = crate::blocking(&s, move |app| app.audit_alerts(&p, &f)).await.map_err(|e| c.err(e))?;
    Ok(Json(page))
}
