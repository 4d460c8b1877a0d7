//! 系统管理 · 访问令牌 (issue 16, item 6): the system administrator's page of the API tokens — every token by
//! its owner's name, label, when it was made, expires and was last used, revoked or not — with the two
//! actions the API has: issue a token for an integration system's account (the secret shown once, on this
//! response only, never stored or logged), and revoke a token with a reason (after re-authentication: it
//! cuts a system off). Each is `App::tokens` / `create_token` / `revoke_token` under `manage_tokens`.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use liaison_app::{AppError, ErrorKind, Principal, TokenCreated};
use liaison_core::dates::china_time;
use liaison_core::login::LoginError;
use serde::Deserialize;

use super::{Chrome, Cookies, Notice, failed, reauth_to, refusal_text, render, see_other, staff, staff_post};
use crate::AppState;

/// A token as a row of the page.
pub(crate) struct Row {
    id: String,
    owner: String,
    label: String,
    created: String,
    expires: String,
    used: String,
    revoked: Option<String>,
}

fn at(t: DateTime<Utc>) -> String {
    china_time(t).format("%Y年%-m月%-d日 %H:%M").to_string() // zh: a date, in English by the catalogue
}

/// A service account tokens may be issued for: (login, name).
type Account = (String, String);

#[derive(Template)]
#[template(path = "staff/admin_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    rows: Vec<Row>,
    /// How many tokens are not revoked.
    live: usize,
    services: Vec<Account>,
    form: IssueForm,
    /// The token just issued: shown on this response only.
    issued: Option<TokenCreated>,
    issued_expires: String,
    error: Option<String>,
    done: Option<&'static str>,
}

/// The form that issues a token.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IssueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    days: String,
}

/// The form that revokes a token.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `?done=`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

async fn page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    form: IssueForm,
    issued: Option<TokenCreated>,
    error: Option<String>,
    done: Option<&'static str>,
) -> Response {
    let who = p.clone();
    let read = crate::blocking(s, move |app| Ok((app.tokens(&who)?, app.roster(&who)?))).await;
    let (tokens, roster) = match read {
        Ok(x) => x,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            return render(
                StatusCode::FORBIDDEN,
                &Notice {
                    title: "无权访问",
                    message: "访问令牌由系统管理员管理。".into(),
                    back: "/admin",
                    back_text: "返回系统管理",
                },
            );
        }
        Err(e) => return failed(&e),
    };
    let name_of = |u: uuid::Uuid| {
        roster.iter().find(|e| e.user.id == u).map_or_else(
            || "（已删除的账号）".to_owned(),
            |e| super::i18n::aside(&e.user.display_name, &[&e.user.login]),
        )
    };
    let mut rows: Vec<Row> = tokens
        .into_iter()
        .map(|t| Row {
            owner: name_of(t.user),
            label: t.label,
            created: at(t.created_at),
            expires: t.expires_at.map_or_else(|| "不过期".into(), at),
            used: t.last_used_at.map_or_else(|| "从未使用".into(), at),
            revoked: t.revoked_at.map(at),
            id: t.id,
        })
        .collect();
    // The live ones first, then by owner.
    rows.sort_by(|a, b| (a.revoked.is_some(), &a.owner).cmp(&(b.revoked.is_some(), &b.owner)));
    let services = roster
        .iter()
        .filter(|e| e.user.kind == "service" && e.user.active)
        .map(|e| (e.user.login.clone(), e.user.display_name.clone()))
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let issued_expires = issued.as_ref().map(|t| at(t.expires_at)).unwrap_or_default();
    let live = rows.iter().filter(|r| r.revoked.is_none()).count();
    render(status, &TokensPage { chrome, rows, live, services, form, issued, issued_expires, error, done })
}

/// `GET /admin/tokens`.
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(d): Query<Done>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let done = (d.done == "revoked").then_some("令牌已撤销：持有它的系统下一次请求即被拒绝。");
    page(&s, Chrome::of(&session, "admin"), &session.principal, IssueForm::default(), None, None, done).await
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "label" => "用途",
        "days" => "有效天数",
        "login" => "集成系统账号",
        _ => "",
    }
}

/// `POST /admin/tokens`: issue a token for an integration system's account.
pub(crate) async fn issue(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<IssueForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chrome = Chrome::of(&session, "admin");
    let p = &session.principal;
    // A token is a credential: a recent proof of the administrator's own identity first.
    match s.app.require_recent_auth(&session) {
        Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to("/admin/tokens"),
        Err(e) => return failed(&e),
        Ok(()) => {}
    }
    let days = match f.days.trim() {
        "" => None,
        d => match d.parse::<u32>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                let e = "有效天数：应为正整数（天），不填则按令牌策略的最长期限。".to_owned();
                return page(&s, chrome, p, f, None, Some(e), None).await;
            }
        },
    };
    if f.login.trim().is_empty() {
        let e = "集成系统账号：请选择要发放令牌的集成系统账号。".to_owned();
        return page(&s, chrome, p, f, None, Some(e), None).await;
    }
    match s.app.create_token(p, f.login.trim(), f.label.trim(), days).await {
        Ok(t) => page(&s, chrome, p, IssueForm::default(), Some(t), None, None).await,
        Err(e)
            if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::StorageFull) =>
        {
            failed(&e)
        }
        Err(e) => {
            let msg =
                if e.field_errors().is_empty() { crate::pages::say(&e) } else { refusal_text(&e, field_zh) };
            page(&s, chrome, p, f, None, Some(msg), None).await
        }
    }
}

/// `POST /admin/tokens/{id}/revoke`: revoke a token, with the reason.
pub(crate) async fn revoke(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RevokeForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chrome = Chrome::of(&session, "admin");
    let p = &session.principal;
    if f.reason.trim().is_empty() {
        let e = "撤销事由：请填写撤销令牌的事由（记入审计日志）。".to_owned();
        return page(&s, chrome, p, IssueForm::default(), None, Some(e), None).await;
    }
    match s.app.require_recent_auth(&session) {
        Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to("/admin/tokens"),
        Err(e) => return failed(&e),
        Ok(()) => {}
    }
    match s.app.revoke_token(p, &id, Some(f.reason.trim().to_owned())).await {
        Ok(()) => see_other("/admin/tokens?done=revoked"),
        Err(e)
            if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::StorageFull) =>
        {
            failed(&e)
        }
        Err(e) => {
            let msg = if e.kind() == ErrorKind::NotFound {
                "找不到该令牌。".to_owned()
            } else {
                crate::pages::say(&e)
            };
            page(&s, chrome, p, IssueForm::default(), None, Some(msg), None).await
        }
    }
}
