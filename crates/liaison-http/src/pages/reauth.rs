//! 再次验证身份: before a sensitive action (a full contact card, an approval) the app refuses with
//! `login.reauth_required` unless the session proved a factor recently; the page then sends the browser
//! here (`reauth_to`), the officer gives the password or a code (`App::reauthenticate`, which counts a
//! wrong one towards the lock) and comes back to the page of the action (`next`, a path of this site only).

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::ErrorKind;
use liaison_app::login::Reauth;
use serde::Deserialize;

use super::{Chrome, Cookies, failed, local_path, render, see_other, staff, staff_post};
use crate::AppState;

#[derive(Template)]
#[template(path = "staff/reauth.html")]
struct ReauthPage {
    chrome: Chrome,
    next: String,
    minutes: i64,
    error: Option<String>,
}

/// Where to go back to.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Next {
    #[serde(default)]
    next: String,
}

/// The form: a code or the password, and where to go back to.
#[derive(Debug, Deserialize)]
pub(crate) struct ReauthForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

fn back(next: &str) -> String {
    local_path(next).filter(|p| !p.starts_with("/reauth")).unwrap_or("/").to_owned()
}

/// `GET /reauth?next=…`: the form.
pub(crate) async fn form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let minutes = s.app.login_policy().recent_auth.num_minutes();
    let page = ReauthPage { chrome: Chrome::of(&session, ""), next: back(&q.next), minutes, error: None };
    render(StatusCode::OK, &page)
}

/// `POST /reauth`: right, back to `next`; wrong, the form again with the refusal (401); locked, the
/// session has ended and the browser goes to the login page.
pub(crate) async fn confirm(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<ReauthForm>,
) -> Response {
    let (session, c) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let next = back(&f.next);
    let with =
        if f.code.trim().is_empty() { Reauth::Password(&f.password) } else { Reauth::Code(f.code.trim()) };
    match s.app.reauthenticate(&c, with).await {
        Ok(()) => see_other(&next),
        Err(e) if e.kind() == ErrorKind::Unauthenticated && s.app.session(&c).await.is_err() => {
            see_other("/login")
        }
        Err(e)
            if matches!(e.kind(), ErrorKind::Unauthenticated | ErrorKind::Invalid | ErrorKind::TooMany) =>
        {
            let minutes = s.app.login_policy().recent_auth.num_minutes();
            let page = ReauthPage {
                chrome: Chrome::of(&session, ""),
                next,
                minutes,
                error: Some(crate::pages::say(&e)),
            };
            render(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e) => failed(&e),
    }
}
