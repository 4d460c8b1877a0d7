//! `/deputy/login/{token}`: the one-use login link in an e-mail to a deputy (issue 17, item 6). The GET
//! shows whose link it is and a button (a mail scanner that fetches the link signs no one in); the POST,
//! with the login forms' double-submit token, opens the deputy's session as an SMS code does and goes to
//! the page the message is about (a portal path only: `liaison_core::login::link::landing`). A used or
//! expired link: 410, a forged one: 404, each with the way to log in by SMS code; nothing written.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use liaison_app::{AppError, ErrorKind};

use super::{CsrfOnly, failed, login_token};
use crate::AppState;
use crate::pages::{Cookies, cookie, cross_site, render, same_token, say, see_other};

#[derive(Template)]
#[template(path = "deputy/link.html")]
struct LinkPage {
    token: String,
    csrf: String,
    /// The deputy's name, when the link works.
    deputy: Option<String>,
    /// Until when it works (China time).
    expires: String,
    /// Why it does not.
    error: String,
}

/// The refusal's page: 410 (used, expired), 404 (forged); another failure as any page's.
fn refused_page(e: &AppError) -> Response {
    let status = match e.kind() {
        ErrorKind::Gone => StatusCode::GONE,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        _ => return failed(e),
    };
    let error = if e.kind() == ErrorKind::NotFound {
        crate::pages::i18n::text("该登录链接无效，请检查链接是否完整，或使用短信验证码登录。")
    } else {
        say(e)
    };
    let page =
        LinkPage { token: String::new(), csrf: String::new(), deputy: None, expires: String::new(), error };
    let mut r = render(status, &page);
    r.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    r
}

/// `GET /deputy/login/{token}`: whose link, until when, and the button. Changes nothing.
pub(crate) async fn page(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let t = token.clone();
    let form = match crate::blocking(&s, move |app| app.login_link_form(&t)).await {
        Ok(f) => f,
        Err(e) => return refused_page(&e),
    };
    let (csrf, new) = match login_token(cookies, &headers) {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    let local = form.expires_at + chrono::Duration::hours(8);
    let expires = format!("{} {}", crate::pages::day(local.date_naive()), local.format("%H:%M"));
    let page =
        LinkPage { token, csrf: csrf.clone(), deputy: Some(form.deputy), expires, error: String::new() };
    let mut r = render(StatusCode::OK, &page);
    // The link is a secret: no page it leads to learns it.
    r.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    if new {
        r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.login(), &csrf, false));
    }
    r
}

/// `POST /deputy/login/{token}`: sign in, and go to the message's page.
pub(crate) async fn sign_in(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let allowed =
        !cross_site(&headers) && cookie(&headers, cookies.login()).is_some_and(|c| same_token(c, &f.csrf));
    if !allowed {
        return crate::pages::refused();
    }
    match s.app.login_by_link(&token).await {
        Ok((login, landing)) => {
            let to = liaison_core::login::link::landing(&landing).unwrap_or(liaison_core::login::link::HOME);
            let mut r = see_other(to);
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.deputy(), &login.cookie, false));
            r
        }
        Err(e) => refused_page(&e),
    }
}
