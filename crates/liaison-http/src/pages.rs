//! The staff pages (issue 16): server-rendered HTML (askama) on the same use cases as the API, with htmx
//! as a vendored file that only improves plain forms.
//!
//! Architecture invariant: no rule and no SQL here. A handler reads the request, calls `liaison-app`
//! (`login_*`, `session`, `due`, `light`) and renders; the traffic light, the due model, the lockout and the
//! session's lifetime are the app's.
//!
//! What every page shares, written once here:
//! - the session cookie (`__Host-liaison_session`; `liaison_session` when `--insecure-cookies` drops
//!   `Secure` for plain HTTP on this machine, since browsers refuse a `__Host-` cookie without it),
//!   `HttpOnly`, `SameSite=Strict`, `Path=/`, no `Max-Age` (the server ends sessions);
//! - CSRF: every form carries a token checked on every POST — the session's own once it is active, before
//!   that (password, enrolment, code) a double-submit token in a second cookie (`__Host-liaison_login`); a
//!   request the browser marks `Sec-Fetch-Site` other than `same-origin`/`none` is refused as well (403 page);
//! - the headers: `Cache-Control: no-store` on every page (they name people), a CSP with no
//!   `unsafe-inline` (styles in `/static/app.css`, script only `/static/htmx.min.js`);
//! - the language: Chinese, or English when the footer's switch (the `liaison_lang` cookie) or
//!   `Accept-Language` asks — `render` translates the rendered page by the catalogue, values whole or not
//!   at all (`i18n`); a new page needs only its phrases in `templates/staff/en.tsv`, and messages go
//!   through `say(&e)` rather than `e.zh()`.

mod account;
mod activities;
mod admin;
pub(crate) mod assets;
mod audit;
mod deputy;
use liaison_app::report::charts;
mod figures;
pub(crate) mod i18n;
mod login;
mod meetings;
mod notices;
mod oversight;
mod reauth;
mod register;
mod report;
mod suggestions;
mod tokens;
mod work;
// the channels and guarantees
mod appointments;
mod budget;
mod commendation;
// issue 18: the scorecard and the public figures
pub(crate) mod public;
mod scorecard;
// issue 20: the roll-up for the level above (报备)
mod rollup;
// issue 20: the choice of procuratorate on the sign-in pages
mod sign_in;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use liaison_app::login::StaffSession;
use liaison_app::{AppError, ErrorKind};
use liaison_core::Localized;

use crate::AppState;

/// The CSP of the staff pages: this server's files only, nothing inline.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// How the pages' cookies are set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cookies {
    /// `Secure` and the `__Host-` prefix (the default); off only for plain HTTP on this machine.
    pub(crate) secure: bool,
}

impl Cookies {
    /// The session cookie's name.
    pub(crate) fn session(self) -> &'static str {
        if self.secure { "__Host-liaison_session" } else { "liaison_session" }
    }

    /// The deputy's session cookie's name (the portal's: never the staff session's).
    pub(crate) fn deputy(self) -> &'static str {
        if self.secure { "__Host-liaison_deputy" } else { "liaison_deputy" }
    }

    /// The login steps' double-submit CSRF cookie's name.
    pub(crate) fn login(self) -> &'static str {
        if self.secure { "__Host-liaison_login" } else { "liaison_login" }
    }

    /// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` unless turned off; `clear`
    /// makes the browser drop it.
    fn set(self, name: &str, value: &str, clear: bool) -> HeaderValue {
        let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
        if self.secure {
            c.push_str("; Secure");
        }
        if clear {
            c.push_str("; Max-Age=0");
        }
        HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
    }
}

/// The value of a cookie the request carries.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Two tokens are the same (compared in constant time; an empty one matches nothing).
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The browser says the request comes from another site (`Sec-Fetch-Site: cross-site`).
pub(crate) fn cross_site(headers: &HeaderMap) -> bool {
    // Only the page's own origin (or the user typing the address) may post: a sibling site is refused too.
    headers.get("sec-fetch-site").is_some_and(|v| {
        !(v.as_bytes().eq_ignore_ascii_case(b"same-origin") || v.as_bytes().eq_ignore_ascii_case(b"none"))
    })
}

/// The largest body of a page's form (the register's import aside).
const FORM_LIMIT: usize = 64 * 1024;

/// The staff pages' routes, `/static/…` included.
pub(crate) fn router(cookies: Cookies) -> Router<AppState> {
    i18n::warm();
    Router::new()
        .route("/", get(work::page))
        .route("/login", get(login::form).post(login::password))
        .route("/login/enrol", get(login::enrol_form).post(login::enrol))
        .route("/login/code", get(login::code_form).post(login::code))
        .route("/logout", post(login::logout))
        .route("/reauth", get(reauth::form).post(reauth::confirm))
        .route("/account/password", get(account::form).post(account::change))
        // figures
        .route("/figures", get(figures::page))
        .route("/figures/scorecard", get(scorecard::page))
        .route("/figures/rollup", get(rollup::page))
        .route("/reports/annual", get(report::annual))
        // notices
        .route("/notices", get(notices::list).post(notices::draft))
        .route("/notices/{id}", get(notices::show).post(notices::act))
        // meetings and visits
        .route("/calendar", get(meetings::calendar))
        .route("/calendar.ics", get(meetings::calendar_ics))
        .route("/meetings", get(meetings::list).post(meetings::create))
        .route("/meetings/{id}", get(meetings::show).post(meetings::act))
        .route("/visits", post(meetings::record_visit))
        .route("/visits/new", get(meetings::visit_form))
        .route("/plan", get(meetings::plan).post(meetings::plan_act))
        // administration
        .route("/admin", get(admin::users))
        .route("/admin/users", post(admin::add))
        .route("/admin/users/{login}", post(admin::step))
        .route("/admin/tokens", get(tokens::list).post(tokens::issue))
        .route("/admin/tokens/{id}/revoke", post(tokens::revoke))
        .route("/admin/audit", get(audit::page))
        .route("/admin/audit.csv", get(audit::csv))
        .route("/admin/audit/checkpoint", post(audit::checkpoint))
        // register
        .route("/register", get(register::list))
        .route("/register/coverage", get(register::coverage))
        .route("/register/coverage/auto", post(register::auto_assign))
        .route(
            "/register/organisation",
            get(register::organisation::show).post(register::organisation::change),
        )
        .route("/register/{id}", get(register::deputy_page))
        .route("/register/{id}/reveal", post(register::reveal))
        .route("/register/{id}/assign", post(register::assign))
        // suggestions
        .route("/suggestions", get(suggestions::list))
        .route("/suggestions/assign", post(suggestions::bulk_assign))
        .route("/suggestions/new", get(suggestions::intake::form).post(suggestions::intake::file))
        .route("/suggestions/deputies", get(suggestions::intake::deputies))
        .route("/suggestions/similar", get(suggestions::intake::similar))
        .route("/suggestions/{key}", get(suggestions::detail::show))
        .route("/suggestions/{key}/{action}", post(suggestions::detail::act))
        // activities
        .route("/activities", get(activities::list).post(activities::create))
        .route("/activities/fairness", get(activities::fairness))
        .route("/activities/{id}", get(activities::show).post(activities::act))
        // appointments, hotline, cards, services and solicitations
        .route("/appointments", get(appointments::list).post(appointments::create))
        .route("/appointments/{id}", get(appointments::show).post(appointments::act))
        .route("/hotline", get(appointments::hotline).post(appointments::log_call))
        .route("/cards", get(appointments::cards).post(appointments::issue_card))
        .route("/cards/{number}/revoke", post(appointments::revoke_card))
        .route("/cards/{number}/print", get(appointments::print_card))
        .route("/services", get(appointments::services).post(appointments::open_service))
        .route("/services/{id}", post(appointments::service_act))
        .route("/solicitations", post(appointments::send_solicitation))
        .route("/solicitations/{id}", post(appointments::respond_solicitation))
        .route("/budget", get(budget::current))
        .route("/budget/{year}", get(budget::show).post(budget::act))
        .route("/commendation", get(commendation::list).post(commendation::nominate))
        .route("/commendation/{id}", post(commendation::act))
        // reviews, supervisors, inspections, deliberations, measures
        .merge(oversight::router())
        // the deputy's portal (issue 17)
        .merge(deputy::router())
        // A page's form is small: its body is refused past 64 KiB before it is read in full (only the
        // register's import, below, carries a file).
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .route("/register/import", get(register::import_form).post(register::import_upload))
        .route("/register/import/confirm", post(register::import_confirm))
        .route("/static/app.css", get(assets::css))
        .route("/static/report.css", get(assets::report_css))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/lang", get(i18n::switch))
        .layer(axum::Extension(cookies))
        .layer(axum::middleware::from_fn(i18n::language))
}

/// A page: HTML, never stored by a cache, under the pages' CSP.
pub(crate) fn render(status: StatusCode, t: &impl Template) -> Response {
    let mut r = match i18n::rendered(t) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Html(i18n::text("页面生成失败"))).into_response()
        }
    };
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

/// A redirect after a form (303: the browser follows with GET), never stored.
pub(crate) fn see_other(to: &str) -> Response {
    let to = HeaderValue::from_str(local_path(to).unwrap_or("/")).unwrap_or(HeaderValue::from_static("/"));
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, to), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response()
}

/// `to` when it is a path of this site (`/…`, not `//host` or `/\host`, no control characters): a
/// `next=` parameter can never send the browser elsewhere.
pub(crate) fn local_path(to: &str) -> Option<&str> {
    let ok = to.starts_with('/')
        && !to.starts_with("//")
        && !to.starts_with("/\\")
        && to.len() <= 2000
        && to.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(to)
}

/// The frame every signed-in page shares: who is signed in, the logout form's token and the menu, with
/// the current entry marked.
pub(crate) struct Chrome {
    /// The account's name.
    pub(crate) who: String,
    /// The session's CSRF token (the logout form, and every form of the page).
    pub(crate) csrf: String,
    /// The menu entry of this page (`work`, `register`, `suggestions`, `notices`, `calendar`, `activities`, `figures`,
    /// `admin`).
    pub(crate) at: &'static str,
    /// The menu's entries this account may use: (key, path, label).
    entries: Vec<(&'static str, &'static str, &'static str)>,
    /// The account manages the API tokens (the administration's tab).
    manages_tokens: bool,
    /// The account opens accounts or grants roles (the administration's first tab).
    manages_accounts: bool,
}

/// The menu: (key, path, label).
pub(crate) const MENU: &[(&str, &str, &str)] = &[
    ("work", "/", "我的待办"),
    ("register", "/register", "代表名册"),
    ("suggestions", "/suggestions", "代表建议"),
    ("notices", "/notices", "通报"),
    ("calendar", "/calendar", "走访座谈"),
    ("activities", "/activities", "代表活动"),
    ("appointments", "/appointments", "约见热线"),
    ("reviews", "/reviews", "案件评查"),
    ("inspections", "/inspections", "视察整改"),
    ("commendation", "/commendation", "表彰"),
    ("budget", "/budget", "经费"),
    ("figures", "/figures", "统计"),
    ("admin", "/admin", "系统管理"),
];

/// Whether the menu entry `key` leads to a page the account may use (the permission of the use case that
/// page reads first): each role sees its own menu.
fn entry_for(key: &str, p: &liaison_app::Principal) -> bool {
    use liaison_core::access::Action as A;
    match key {
        "register" => p.may(A::ReadRegistry),
        "calendar" | "activities" => p.may(A::ReadCoverage),
        "figures" => p.may(A::ReadFigures),
        "appointments" | "budget" | "commendation" | "reviews" | "inspections" => p.may(A::ReadCoverage),
        "admin" => p.may(A::ManageUsers) || p.may(A::GrantRoles) || p.may(A::VerifyAudit),
        _ => p.may(A::ReadSuggestions) && !p.roles.iter().all(|r| *r == liaison_core::access::Role::Deputy),
    }
}

impl Chrome {
    /// The frame of a page of the menu entry `at`: the menu holds what the account may use, and nothing
    /// while its password must be changed first.
    pub(crate) fn of(session: &StaffSession, at: &'static str) -> Self {
        let menu = if session.must_change_password {
            Vec::new()
        } else {
            MENU.iter().copied().filter(|(key, _, _)| entry_for(key, &session.principal)).collect()
        };
        Chrome {
            who: session.principal.name.clone(),
            csrf: session.csrf.clone(),
            at,
            entries: menu,
            manages_tokens: session.principal.may(liaison_core::access::Action::ManageTokens),
            manages_accounts: session.principal.may(liaison_core::access::Action::ManageUsers)
                || session.principal.may(liaison_core::access::Action::GrantRoles),
        }
    }

    /// Whether the administration shows its tokens tab.
    pub(crate) fn tokens(&self) -> bool {
        self.manages_tokens
    }

    /// Whether the administration shows its accounts tab.
    pub(crate) fn accounts(&self) -> bool {
        self.manages_accounts
    }

    /// The menu's entries.
    pub(crate) fn menu(&self) -> &[(&'static str, &'static str, &'static str)] {
        &self.entries
    }
}

/// A signed-in POST: the active session, when the form's CSRF token is the session's and the request
/// comes from this site; the login page, or the 403 page, otherwise.
pub(crate) async fn staff_post(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(StaffSession, String), Response> {
    let (session, c) = staff(s, cookies, headers).await?;
    if cross_site(headers) || !same_token(&session.csrf, csrf) {
        return Err(refused());
    }
    Ok((session, c))
}

/// Where to prove a factor again before the sensitive action of `back` (the page to return to).
pub(crate) fn reauth_to(back: &str) -> Response {
    let next: String = form_urlencoded::byte_serialize(local_path(back).unwrap_or("/").as_bytes()).collect();
    see_other(&format!("/reauth?next={next}"))
}

/// A short page that says one thing and where to go next.
#[derive(Template)]
#[template(path = "staff/notice.html")]
pub(crate) struct Notice {
    title: &'static str,
    message: String,
    back: &'static str,
    back_text: &'static str,
}

/// A date as every page writes it: `2026年11月29日` (`29 November 2026` in English).
pub(crate) fn day(d: chrono::NaiveDate) -> String {
    i18n::day(d)
}

/// A refusal as one sentence for the page: each field's reason after the field's name as the form labels
/// it (`name`: the page's own names; an unnamed field gives its reason alone), or the refusal itself when
/// it names no field; in the request's language (the field's name through the catalogue).
pub(crate) fn refusal_text(e: &AppError, name: impl Fn(&str) -> &'static str) -> String {
    let fields = e.field_errors();
    if fields.is_empty() {
        return say(e);
    }
    let en = i18n::english();
    let (colon, semicolon) = if en { (": ", "; ") } else { ("：", "；") };
    fields
        .iter()
        .map(|f| {
            let message = if en { &f.message_en } else { &f.message_zh };
            match name(&f.field) {
                "" => message.clone(),
                n => format!("{}{colon}{message}", i18n::text(n)),
            }
        })
        .collect::<Vec<_>>()
        .join(semicolon)
}

/// A message (an error, a refusal) in the request's language: `e.zh()` or `e.en()`.
pub(crate) fn say<T: Localized + ?Sized>(e: &T) -> String {
    i18n::say(e)
}

/// The 403 page of a form without its CSRF token (or with a wrong one), or posted from another site.
pub(crate) fn refused() -> Response {
    render(
        StatusCode::FORBIDDEN,
        &Notice {
            title: "请求被拒绝",
            message: "安全校验未通过：页面已过期，或者请求不是从本系统的页面提交的。请重新打开页面后再试。"
                .into(),
            back: "/",
            back_text: "返回首页",
        },
    )
}

/// The page of a failure that is not the user's (the store, the disk): the kind only, the rest is logged.
pub(crate) fn failed(e: &AppError) -> Response {
    let (status, message) = failure(e);
    render(status, &Notice { title: "无法完成", message, back: "/", back_text: "返回首页" })
}

/// The status and the sentence of a failed use case (the staff pages' and the portal's failure pages).
pub(crate) fn failure(e: &AppError) -> (StatusCode, String) {
    match e.kind() {
        ErrorKind::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, "系统暂时无法处理，请稍后再试。".to_owned())
        }
        ErrorKind::Internal | ErrorKind::StorageFull => {
            tracing::error!(error = %e, "a page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "系统内部错误，请稍后再试或联系系统管理员。".to_owned())
        }
        ErrorKind::Forbidden => (StatusCode::FORBIDDEN, say(e)),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, say(e)),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, say(e)),
    }
}

/// The active session of the request, or the response to give instead: to `/login` (no cookie, or a
/// session ended, lapsed, revoked or half-done — its cookie dropped), or a failure page.
pub(crate) async fn staff(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
) -> Result<(StaffSession, String), Response> {
    let (session, c) = any_staff(s, cookies, headers).await?;
    if session.must_change_password {
        // A password the security administrator set: nothing else until its owner has changed it.
        return Err(see_other("/account/password"));
    }
    Ok((session, c))
}

/// The active session of the request even when its password must be changed first (the password page
/// itself), or the response to give instead.
pub(crate) async fn any_staff(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
) -> Result<(StaffSession, String), Response> {
    let Some(c) = cookie(headers, cookies.session()) else { return Err(see_other("/login")) };
    match s.app.session(c).await {
        // A deputy's session opens the portal only (`/deputy`), never a staff page.
        Ok(session) if session.principal.roles == [liaison_core::access::Role::Deputy] => {
            let mut r = see_other("/login");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.session(), "", true));
            Err(r)
        }
        Ok(session) => Ok((session, c.to_owned())),
        Err(e) if e.kind() == ErrorKind::Unauthenticated => {
            let mut r = see_other("/login");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.session(), "", true));
            Err(r)
        }
        Err(e) => Err(failed(&e)),
    }
}

#[cfg(test)]
mod tests;
