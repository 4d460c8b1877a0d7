//! The deputy's portal (issue 17, items 6–8), phone first: `/deputy/login` (mobile → SMS code → in), then
//! the deputy's own suggestions, notices, published answers, appointments, activities and contacts.
//!
//! Architecture invariant: a deputy's session lives in its own cookie (`__Host-liaison_deputy`) and is
//! resolved by `App::deputy_session`, which accepts only a deputy account's session; the staff pages refuse
//! a deputy's session (`pages::any_staff`). So neither cookie opens the other's pages, even when copied
//! into the other's name. Every form carries the session's CSRF token (the login steps: the double-submit
//! token of the staff login); every read and change is an existing use case, which narrows a deputy's
//! account to the deputy's own items.

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use liaison_app::login::StaffSession;
use liaison_app::{AppError, ErrorKind};
use serde::Deserialize;

use super::sign_in::{TenantChoice, TenantQuery, choice, resolve};
use super::{Cookies, cookie, cross_site, failure, refused, render, same_token, say, see_other};
use crate::AppState;

mod activities;
mod drafts;
mod inbox;
mod items;
mod link;
mod more;

/// The portal's menu: (key, path, label).
const MENU: &[(&str, &str, &str)] = &[
    ("home", "/deputy", "我的建议"),
    ("messages", "/deputy/messages", "消息"),
    ("drafts", "/deputy/drafts", "提出建议"),
    ("notices", "/deputy/notices", "通报"),
    ("answers", "/deputy/answers", "公开的答复"),
    ("appointments", "/deputy/appointments", "约见"),
    ("activities", "/deputy/activities", "活动"),
    ("contact", "/deputy/contact", "联系我们"),
];

/// The frame every portal page shares: who is signed in, the CSRF token, the menu with this page marked.
pub(crate) struct Portal {
    pub(crate) who: String,
    pub(crate) csrf: String,
    pub(crate) at: &'static str,
}

impl Portal {
    fn of(s: &StaffSession, at: &'static str) -> Self {
        Self { who: s.principal.name.clone(), csrf: s.csrf.clone(), at }
    }
    /// The menu's entries.
    pub(crate) fn menu(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        MENU
    }
}

/// A failed use case as a portal page: the portal's frame, and the way back to the portal (never to the
/// staff pages, whose home sends a deputy to the staff login).
#[derive(Template)]
#[template(path = "deputy/failed.html")]
struct Failed {
    message: String,
}

pub(crate) fn failed(e: &AppError) -> Response {
    let (status, message) = failure(e);
    render(status, &Failed { message })
}

/// The portal's routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/deputy/login", get(login_form).post(request_code))
        .route("/deputy/login/code", post(verify_code))
        .route("/deputy/login/{token}", get(link::page).post(link::sign_in))
        .route("/deputy/logout", post(logout))
        .route("/deputy", get(items::home))
        .route("/deputy/suggestions/{key}", get(items::suggestion).post(items::rate))
        .route("/deputy/drafts", get(drafts::list))
        .route("/deputy/drafts/new", get(drafts::new_form).post(drafts::create))
        .route("/deputy/drafts/{id}", get(drafts::page).post(drafts::act))
        .route("/deputy/answers", get(items::answers))
        .route("/deputy/answers/{key}", post(items::rate_answer))
        .route("/deputy/notices", get(more::notices))
        .route("/deputy/notices/{id}", get(more::notice).post(more::acknowledge))
        .route("/deputy/appointments", get(more::appointments).post(more::request_appointment))
        .route("/deputy/activities", get(activities::list))
        .route("/deputy/activities/{id}", post(activities::answer))
        .route("/deputy/activities/{id}/draw", get(activities::draw))
        .route("/deputy/activities/{id}/draw.json", get(activities::draw_json))
        .route("/deputy/contact", get(more::contact))
        .route("/deputy/messages", get(inbox::list))
        .route("/deputy/messages/{id}", post(inbox::read))
}

/// The deputy's active session, or where to go instead (the login, its cookie dropped; a failure page).
pub(crate) async fn deputy(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
) -> Result<(StaffSession, String), Response> {
    let Some(c) = cookie(headers, cookies.deputy()) else { return Err(see_other("/deputy/login")) };
    match s.app.deputy_session(c).await {
        Ok(session) => Ok((session, c.to_owned())),
        Err(e) if e.kind() == ErrorKind::Unauthenticated => {
            let mut r = see_other("/deputy/login");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.deputy(), "", true));
            Err(r)
        }
        Err(e) => Err(failed(&e)),
    }
}

/// A deputy's POST: the session, when the form's token is the session's and the request is this site's.
pub(crate) async fn deputy_post(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<StaffSession, Response> {
    let (session, _) = deputy(s, cookies, headers).await?;
    if cross_site(headers) || !same_token(&session.csrf, csrf) {
        return Err(refused());
    }
    Ok(session)
}

#[derive(Template)]
#[template(path = "deputy/login.html")]
struct LoginPage {
    csrf: String,
    mobile: String,
    /// The code step (after a code was asked for).
    code_step: bool,
    error: Option<String>,
    /// The choice of procuratorate (none in a deployment of one): a mobile number may be on the registers
    /// of two procuratorates (a deputy of two congresses), so the deputy says which.
    tenants: TenantChoice,
}

/// The login steps' form.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    code: String,
    /// The procuratorate (empty in a deployment of one).
    #[serde(default)]
    tenant: String,
}

/// The double-submit token of the login forms (the `login` cookie's, or a new one to set), or a failure.
fn login_token(cookies: Cookies, headers: &HeaderMap) -> Result<(String, bool), AppError> {
    match cookie(headers, cookies.login()) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => Ok((t.to_owned(), false)),
        _ => liaison_app::login::form_token().map(|t| (t, true)),
    }
}

fn login_page(cookies: Cookies, headers: &HeaderMap, status: StatusCode, mut page: LoginPage) -> Response {
    let (token, new) = match login_token(cookies, headers) {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    page.csrf = token.clone();
    let mut r = render(status, &page);
    if new {
        r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.login(), &token, false));
    }
    r
}

fn step_allowed(cookies: Cookies, headers: &HeaderMap, f: &LoginForm) -> bool {
    !cross_site(headers) && cookie(headers, cookies.login()).is_some_and(|c| same_token(c, &f.csrf))
}

/// `GET /deputy/login` (`?tenant=ID`: opened on that procuratorate): the mobile number, and the choice of
/// procuratorate when the deployment has several. An unknown `tenant` is said so (422), not replaced.
async fn login_form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<TenantQuery>,
) -> Response {
    let (tenants, refusal) = match choice(&s, cookies, &headers, q.tenant.as_deref()).await {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |e| failure(e).0);
    let error = refusal.as_ref().map(say);
    let page = LoginPage { csrf: String::new(), mobile: String::new(), code_step: false, error, tenants };
    login_page(cookies, &headers, status, page)
}

/// A login form's page again (the form's procuratorate chosen), with its refusal.
async fn again(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
    f: &LoginForm,
    status: StatusCode,
    code_step: bool,
    error: Option<String>,
) -> Response {
    let tenants = match choice(s, cookies, headers, Some(&f.tenant)).await {
        Ok((c, _)) => c,
        Err(e) => return failed(&e),
    };
    let page =
        LoginPage { csrf: String::new(), mobile: f.mobile.trim().to_owned(), code_step, error, tenants };
    login_page(cookies, headers, status, page)
}

/// `POST /deputy/login`: send a code. Every well-formed number gets the same answer (the code step).
async fn request_code(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    if !step_allowed(cookies, &headers, &f) {
        return refused();
    }
    let tenant = match resolve(&s, &f.tenant).await {
        Ok(t) => t,
        Err(e) => {
            let status = refusal(&e).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let error = Some(super::refusal_text(&e, field_name));
            return again(&s, cookies, &headers, &f, status, false, error).await;
        }
    };
    let (status, code_step, error) = match s.app.request_login_code(&tenant.id, &f.mobile).await {
        Ok(()) => (StatusCode::OK, true, None),
        Err(e) => match refusal(&e) {
            Some(status) => (status, false, Some(super::refusal_text(&e, field_name))),
            None => return failed(&e),
        },
    };
    again(&s, cookies, &headers, &f, status, code_step, error).await
}

/// `POST /deputy/login/code`: the code. Right, the deputy's session cookie and the home page.
async fn verify_code(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    if !step_allowed(cookies, &headers, &f) {
        return refused();
    }
    let tenant = match resolve(&s, &f.tenant).await {
        Ok(t) => t,
        Err(e) => {
            let status = refusal(&e).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let error = Some(super::refusal_text(&e, field_name));
            return again(&s, cookies, &headers, &f, status, false, error).await;
        }
    };
    match s.app.verify_login_code(&tenant.id, &f.mobile, &f.code).await {
        Ok(login) => {
            let mut r = see_other("/deputy");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.deputy(), &login.cookie, false));
            if !f.tenant.trim().is_empty() {
                r.headers_mut().append(header::SET_COOKIE, cookies.remember_tenant(&tenant));
            }
            r
        }
        Err(e) => match refusal(&e) {
            Some(status) => {
                // A lock or a spent code: back to asking for a new one; a wrong code: the code again.
                let code_step = e.kind() == ErrorKind::Invalid;
                let error = Some(super::refusal_text(&e, field_name));
                again(&s, cookies, &headers, &f, status, code_step, error).await
            }
            None => failed(&e),
        },
    }
}

/// The status of a login refusal to show on the form (`None`: a failure page instead).
fn refusal(e: &AppError) -> Option<StatusCode> {
    match e.kind() {
        ErrorKind::Invalid => Some(StatusCode::UNPROCESSABLE_ENTITY),
        ErrorKind::Conflict | ErrorKind::TooMany => Some(StatusCode::TOO_MANY_REQUESTS),
        ErrorKind::Unauthenticated => Some(StatusCode::UNAUTHORIZED),
        _ => None,
    }
}

fn field_name(f: &str) -> &'static str {
    match f {
        "mobile" => "手机号码",
        "tenant" => "检察院",
        "code" => "验证码",
        "rating" => "评价",
        "comment" => "意见",
        "reason" => "原因",
        "answer" => "答复",
        _ => "",
    }
}

/// The logout form.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /deputy/logout`: the session ends; the cookie is dropped.
async fn logout(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let (session, c) = match deputy(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if cross_site(&headers) || !same_token(&session.csrf, &f.csrf) {
        return refused();
    }
    if let Err(e) = s.app.logout(&c).await {
        return failed(&e);
    }
    let mut r = see_other("/deputy/login");
    r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.deputy(), "", true));
    r
}

/// A refused action's sentence, in the portal's words.
pub(crate) fn refusal_sentence(e: &AppError) -> String {
    if e.field_errors().is_empty() { say(e) } else { super::refusal_text(e, field_name) }
}
