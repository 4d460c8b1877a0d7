//! 修改密码: a person changes their own password (`App::change_password`). Reached from the header's link,
//! and forced after the login when the security administrator set the password (every other page sends
//! the browser here until it is changed). The current password, the new one twice; right, every session
//! of the account ends and this browser gets a new session cookie; wrong, the form again with the reason.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use liaison_app::ErrorKind;
use serde::Deserialize;

use super::{Chrome, Cookies, Notice, any_staff, cross_site, failed, refused, render, same_token, see_other};
use crate::AppState;

#[derive(Template)]
#[template(path = "staff/password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    error: Option<String>,
}

/// The form.
#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// `GET /account/password`.
pub(crate) async fn form(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
) -> Response {
    let (session, _) = match any_staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let forced = session.must_change_password;
    render(StatusCode::OK, &PasswordPage { chrome: Chrome::of(&session, ""), forced, error: None })
}

/// `POST /account/password`.
pub(crate) async fn change(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    let (session, c) = match any_staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if cross_site(&headers) || !same_token(&session.csrf, &f.csrf) {
        return refused();
    }
    let forced = session.must_change_password;
    let again = |status, error: String| {
        render(status, &PasswordPage { chrome: Chrome::of(&session, ""), forced, error: Some(error) })
    };
    if f.new != f.repeat {
        return again(StatusCode::UNPROCESSABLE_ENTITY, "两次输入的新密码不一致，请重新输入。".into());
    }
    match s.app.change_password(&c, &f.current, &f.new).await {
        Ok(renewed) => {
            let mut r = render(
                StatusCode::OK,
                &Notice {
                    title: "密码已修改",
                    message:
                        "新密码已生效。为安全起见，此账号在其他浏览器上的登录都已退出；下次登录请使用新密码。"
                            .into(),
                    back: "/",
                    back_text: "返回首页",
                },
            );
            r.headers_mut()
                .append(header::SET_COOKIE, cookies.set(cookies.session(), &renewed.cookie, false));
            r
        }
        // The session ended meanwhile (a lock after wrong passwords ends it): log in again.
        Err(e) if e.kind() == ErrorKind::Unauthenticated && s.app.session(&c).await.is_err() => {
            let mut r = see_other("/login");
            r.headers_mut().append(header::SET_COOKIE, cookies.set(cookies.session(), "", true));
            r
        }
        Err(e)
            if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Unauthenticated | ErrorKind::TooMany) =>
        {
            again(StatusCode::UNPROCESSABLE_ENTITY, crate::pages::say(&e))
        }
        Err(e) => failed(&e),
    }
}
