//! The login pages: password → (first time) enrolment of the authenticator with its QR code → recovery
//! codes shown once → `/`; later: password → code (or a recovery code) → `/`; and logout. Each step is one
//! call of `liaison-app`'s login (`login_password`, `begin_enrolment`, `confirm_enrolment`, `login_code`,
//! `logout`); the refusals are its messages, which never tell whether a login exists.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use liaison_app::{AppError, ErrorKind};
use liaison_core::login::{LoginError, Stage};
use serde::Deserialize;

use super::sign_in::{TenantChoice, TenantQuery, choice, resolve};
use super::{
    Cookies, Notice, cookie, cross_site, failed, failure, refused, render, same_token, see_other, staff,
};
use crate::AppState;

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    csrf: String,
    login: String,
    error: Option<String>,
    /// The choice of procuratorate (none in a deployment of one).
    tenants: TenantChoice,
}

#[derive(Template)]
#[template(path = "staff/enrol.html")]
struct EnrolPage {
    csrf: String,
    /// The QR code and the secret (absent when the page comes back after a wrong code: the secret
    /// already scanned stays the one to confirm).
    enrolment: Option<(String, String)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/recovery.html")]
struct RecoveryPage {
    codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/code.html")]
struct CodePage {
    csrf: String,
    error: Option<String>,
}

/// A form of the login steps.
#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    /// The procuratorate signed in to (the password step; empty in a deployment of one).
    #[serde(default)]
    tenant: String,
}

/// The double-submit token of the login steps: the one the browser holds, or a new one to set.
fn login_token(cookies: Cookies, headers: &HeaderMap) -> Result<(String, bool), AppError> {
    match cookie(headers, cookies.login()) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => Ok((t.to_owned(), false)),
        _ => Ok((liaison_app::login::form_token()?, true)),
    }
}

/// A login step's page, setting the double-submit cookie when it is new.
fn step_page(cookies: Cookies, status: StatusCode, t: &impl Template, token: &str, new: bool) -> Response {
    let mut r = render(status, t);
    if new {
        r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.login(), token, false));
    }
    r
}

/// A POST of a login step is ours: same site, and its token is the double-submit cookie's.
fn step_allowed(cookies: Cookies, headers: &HeaderMap, f: &StepForm) -> bool {
    !cross_site(headers) && cookie(headers, cookies.login()).is_some_and(|c| same_token(c, &f.csrf))
}

/// The page to show after a step's refusal that ended the login (a lapsed or locked session).
fn start_again(e: &AppError) -> Response {
    render(
        StatusCode::UNAUTHORIZED,
        &Notice {
            title: "请重新登录", message: crate::pages::say(e), back: "/login", back_text: "重新登录"
        },
    )
}

fn ended(e: &AppError) -> bool {
    matches!(e, AppError::Login(LoginError::SessionInvalid | LoginError::WrongStage))
}

/// `GET /login` (`?tenant=ID`: opened on that procuratorate): the password form, with the choice of
/// procuratorate when the deployment has several. An unknown `tenant` is said so (422), not replaced.
pub(crate) async fn form(
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
    match login_token(cookies, &headers) {
        Ok((csrf, new)) => {
            let error = refusal.as_ref().map(crate::pages::say);
            let page = LoginPage { csrf: csrf.clone(), login: String::new(), error, tenants };
            step_page(cookies, status, &page, &csrf, new)
        }
        Err(e) => failed(&e),
    }
}

/// `POST /login`: the password. Right, the session is opened and the browser goes to enrolment or the
/// code; wrong, the form again with the one refusal for every cause (401).
pub(crate) async fn password(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    if !step_allowed(cookies, &headers, &f) {
        return refused();
    }
    let tenant = match resolve(&s, &f.tenant).await {
        Ok(t) => t,
        Err(e) => {
            let (status, error) = failure(&e);
            let tenants = match choice(&s, cookies, &headers, Some(&f.tenant)).await {
                Ok((c, _)) => c,
                Err(e) => return failed(&e),
            };
            return render(status, &LoginPage { csrf: f.csrf, login: f.login, error: Some(error), tenants });
        }
    };
    match s.app.login_password(&tenant.id, &f.login, &f.password).await {
        Ok(started) => {
            let mut r = see_other(if started.next == Stage::Enrol { "/login/enrol" } else { "/login/code" });
            r.headers_mut()
                .append(header::SET_COOKIE, cookies.set(cookies.session(), &started.cookie, false));
            if !f.tenant.trim().is_empty() {
                r.headers_mut().append(header::SET_COOKIE, cookies.remember_tenant(&tenant));
            }
            r
        }
        Err(e)
            if matches!(e.kind(), ErrorKind::Unauthenticated | ErrorKind::TooMany | ErrorKind::Forbidden) =>
        {
            let status = if e.kind() == ErrorKind::Forbidden {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            let tenants = match choice(&s, cookies, &headers, Some(&f.tenant)).await {
                Ok((c, _)) => c,
                Err(e) => return failed(&e),
            };
            let error = Some(crate::pages::say(&e));
            render(status, &LoginPage { csrf: f.csrf, login: f.login, error, tenants })
        }
        Err(e) => failed(&e),
    }
}

/// `GET /login/enrol`: a new secret for the authenticator, as a QR code and as text.
pub(crate) async fn enrol_form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let Some(c) = cookie(&headers, cookies.session()) else { return see_other("/login") };
    let (csrf, new) = match login_token(cookies, &headers) {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    match s.app.begin_enrolment(c).await {
        Ok(en) => {
            // The SVG goes into the page as an element: without its XML declaration.
            let svg = en.qr_svg.find("<svg").map(|i| en.qr_svg[i..].to_owned()).unwrap_or_default();
            let page = EnrolPage { csrf: csrf.clone(), enrolment: Some((svg, en.secret)), error: None };
            step_page(cookies, StatusCode::OK, &page, &csrf, new)
        }
        Err(e) if ended(&e) || e.kind() == ErrorKind::Unauthenticated => see_other("/login"),
        Err(e) => failed(&e),
    }
}

/// `POST /login/enrol`: the first code of the new authenticator. Right, the recovery codes, shown once;
/// wrong, the code field again (the secret scanned stays the one to confirm).
pub(crate) async fn enrol(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    if !step_allowed(cookies, &headers, &f) {
        return refused();
    }
    let Some(c) = cookie(&headers, cookies.session()) else { return see_other("/login") };
    match s.app.confirm_enrolment(c, &f.code).await {
        Ok(codes) => {
            let mut r = render(StatusCode::OK, &RecoveryPage { codes: codes.codes });
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.login(), "", true));
            r
        }
        Err(e) if ended(&e) || e.kind() == ErrorKind::Unauthenticated => start_again(&e),
        Err(e) if e.kind() == ErrorKind::Invalid => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EnrolPage { csrf: f.csrf, enrolment: None, error: Some(crate::pages::say(&e)) },
        ),
        Err(e) => failed(&e),
    }
}

/// `GET /login/code`: the code form.
pub(crate) async fn code_form(Extension(cookies): Extension<Cookies>, headers: HeaderMap) -> Response {
    if cookie(&headers, cookies.session()).is_none() {
        return see_other("/login");
    }
    match login_token(cookies, &headers) {
        Ok((csrf, new)) => {
            step_page(cookies, StatusCode::OK, &CodePage { csrf: csrf.clone(), error: None }, &csrf, new)
        }
        Err(e) => failed(&e),
    }
}

/// `POST /login/code`: a TOTP code or a recovery code. Right, to `/`; wrong, the form again.
pub(crate) async fn code(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    if !step_allowed(cookies, &headers, &f) {
        return refused();
    }
    let Some(c) = cookie(&headers, cookies.session()) else { return see_other("/login") };
    match s.app.login_code(c, &f.code).await {
        Ok(()) => {
            let mut r = see_other("/");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.login(), "", true));
            r
        }
        Err(e) if ended(&e) || e.kind() == ErrorKind::Unauthenticated => start_again(&e),
        Err(e) if e.kind() == ErrorKind::Invalid => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CodePage { csrf: f.csrf, error: Some(crate::pages::say(&e)) },
        ),
        Err(e) => failed(&e),
    }
}

/// The logout form: the session's CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: the session ends and its cookie is dropped.
pub(crate) async fn logout(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<LogoutForm>,
) -> Response {
    let (session, c) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if cross_site(&headers) || !same_token(&session.csrf, &f.csrf) {
        return refused();
    }
    if let Err(e) = s.app.logout(&c).await {
        return failed(&e);
    }
    let mut r = see_other("/login");
    r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.session(), "", true));
    r
}
