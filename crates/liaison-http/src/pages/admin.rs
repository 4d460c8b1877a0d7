//! 系统管理 (issue 16, item 6): the accounts for the separated administrators — the system administrator
//! opens accounts and may disable one; the security administrator approves or rejects roles, disables and
//! enables, unlocks a locked sign-in and resets an authenticator — and the audit trail (with its CSV) for
//! the audit administrator. Each action is the API's use case (`add_user`, `account_step`, `unlock`,
//! `reset_mfa`, `audit_records`, `audit_csv`) under the same permission; approving roles asks for a
//! recent re-authentication. Every action needs a reason, recorded in the audit trail.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::login::RosterEntry;
use liaison_app::{AccountStep, AppError, ErrorKind, NewUser};
use liaison_core::access::{Action, Role};
use liaison_core::dates::china_time;
use liaison_core::login::LoginError;
use liaison_core::{FieldError, ValueError};
use serde::Deserialize;

use super::{Chrome, Cookies, failed, reauth_to, render, see_other, staff, staff_post};
use crate::AppState;

/// The roles an account can be opened with here (a deputy's own account is opened from the register).
const ROLES: &[Role] = &[
    Role::Office,
    Role::Officer,
    Role::Leader,
    Role::Department,
    Role::Admin,
    Role::SecurityAdmin,
    Role::Auditor,
];

fn role_zh(code: &str) -> String {
    Role::parse(code).map_or_else(|_| code.to_owned(), |r| r.zh().to_owned())
}

/// An account as a row of the page.
pub(crate) struct Row {
    login: String,
    name: String,
    roles: String,
    pending: Option<String>,
    department: Option<String>,
    active: bool,
    version: u64,
    sign_in: Option<String>,
    locked: bool,
}

fn row(e: RosterEntry) -> Row {
    let u = e.user;
    let sign_in = e.sign_in.as_ref().map(|s| {
        let mut parts = vec![
            if s.password { "已设密码" } else { "未设密码" }.to_owned(),
            if s.authenticator { "已绑定验证器" } else { "未绑定验证器" }.to_owned(),
        ];
        if let Some(until) = s.locked_until {
            parts.push(format!("已锁定至 {}", china_time(until).format("%m月%d日 %H:%M"))); // zh: a date, in English by the catalogue
        } else if s.failures > 0 {
            parts.push(format!("连续失败 {} 次", s.failures));
        }
        super::i18n::labels(&parts, "，")
    });
    Row {
        login: u.login,
        name: u.display_name,
        roles: super::i18n::labels(u.roles.iter().map(|r| role_zh(r)), "、"),
        pending: u.pending_roles.map(|p| super::i18n::labels(p.iter().map(|r| role_zh(r)), "、")),
        department: e.department.or(e.officer),
        active: u.active,
        version: u.version,
        locked: e.sign_in.as_ref().is_some_and(|s| s.locked_until.is_some() || s.failures > 0),
        sign_in,
    }
}

#[derive(Template)]
#[template(path = "staff/admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<Row>,
    /// May open accounts (system administrator).
    opens: bool,
    /// May approve, enable, unlock, reset (security administrator).
    grants: bool,
    roles: Vec<(&'static str, &'static str)>,
    departments: Vec<String>,
    form: NewAccountForm,
    error: Option<String>,
    done: Option<String>,
}

/// The new account form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewAccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    department: String,
    /// `on` for an integration system's account (not a person's).
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    reason: String,
}

/// An action on one account.
#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: Option<u64>,
}

/// What the page says after an action (`?done=`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

fn done_zh(code: &str) -> Option<String> {
    let s = match code {
        "added" => "账号已开设。业务角色须经安全管理员批准后生效；初始密码由安全管理员设置。",
        "approve" => "角色已批准生效。",
        "reject" => "待批准的角色已驳回。",
        "disable" => "账号已停用，其令牌和登录会话已失效。",
        "enable" => "账号已重新启用。",
        "unlock" => "登录锁定已解除。",
        "reset_mfa" => "身份验证器已重置：该用户下次登录时重新绑定。",
        _ => return None,
    };
    Some(s.to_owned())
}

async fn users_page(
    s: &AppState,
    chrome: Chrome,
    p: &liaison_app::Principal,
    form: NewAccountForm,
    error: Option<String>,
    done: Option<String>,
) -> Response {
    let who = p.clone();
    let entries = match crate::blocking(s, move |app| app.roster(&who)).await {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            return render(
                StatusCode::FORBIDDEN,
                &super::Notice {
                    title: "无权访问",
                    message: "账号管理只对系统管理员和安全管理员开放；审计管理员请查看审计日志。".into(),
                    back: if p.may(Action::VerifyAudit) { "/admin/audit" } else { "/" },
                    back_text: if p.may(Action::VerifyAudit) { "查看审计日志" } else { "返回首页" },
                },
            );
        }
        Err(e) => return failed(&e),
    };
    let mut departments: Vec<String> = entries.iter().filter_map(|e| e.department.clone()).collect();
    departments.sort();
    departments.dedup();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = UsersPage {
        chrome,
        rows: entries.into_iter().map(row).collect(),
        opens: p.may(Action::ManageUsers),
        grants: p.may(Action::GrantRoles),
        roles: ROLES.iter().map(|r| (r.code(), r.zh())).collect(),
        departments,
        form,
        error,
        done,
    };
    render(status, &page)
}

/// `GET /admin`: the accounts.
pub(crate) async fn users(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Query(d): Query<Done>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    if !p.may(Action::ManageUsers) && !p.may(Action::GrantRoles) && p.may(Action::VerifyAudit) {
        // The audit administrator's administration is the trail.
        return see_other("/admin/audit");
    }
    let chrome = Chrome::of(&session, "admin");
    users_page(&s, chrome, p, NewAccountForm::default(), None, done_zh(&d.done)).await
}

fn reason(r: &str) -> Option<String> {
    let r = r.trim();
    (!r.is_empty()).then(|| r.to_owned())
}

/// `POST /admin/users`: open an account (system administrator).
pub(crate) async fn add(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Form(f): Form<NewAccountForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chrome = Chrome::of(&session, "admin");
    let p = &session.principal;
    let new = NewUser {
        login: f.login.trim().to_owned(),
        display_name: f.name.trim().to_owned(),
        roles: vec![f.role.trim().to_owned()],
        department: reason(&f.department),
        reason: reason(&f.reason),
        service: f.service.is_some(),
        ..NewUser::default()
    };
    if !f.reason.trim().is_empty() {
        match s.app.require_recent_auth(&session) {
            Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to("/admin#new-account"),
            Err(e) => return failed(&e),
            Ok(()) => {}
        }
    }
    let error = if f.reason.trim().is_empty() {
        Some("请填写开设账号的事由（记入审计日志）。".to_owned())
    } else {
        match s.app.add_user(p, &new).await {
            Ok(_) => return see_other("/admin?done=added"),
            Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::NotFound) => {
                Some(crate::pages::say(&e))
            }
            Err(e) if e.kind() == ErrorKind::Forbidden => Some("只有系统管理员可以开设账号。".into()),
            Err(e) => return failed(&e),
        }
    };
    users_page(&s, chrome, p, f, error, None).await
}

/// `POST /admin/users/{login}`: approve, reject, disable, enable, unlock or reset the authenticator.
pub(crate) async fn step(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(login): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    let (session, _) = match staff_post(&s, cookies, &headers, &f.csrf).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chrome = Chrome::of(&session, "admin");
    let p = &session.principal;
    if f.step.trim().is_empty() {
        let e = format!("请选择要对账号“{login}”办理的操作。");
        return users_page(&s, chrome, p, NewAccountForm::default(), Some(e), None).await;
    }
    let Some(why) = reason(&f.reason) else {
        let e = format!("请填写对账号“{login}”操作的事由（记入审计日志）。");
        return users_page(&s, chrome, p, NewAccountForm::default(), Some(e), None).await;
    };
    let step = match f.step.as_str() {
        "approve" => Some(AccountStep::Approve),
        "reject" => Some(AccountStep::Reject),
        "disable" => Some(AccountStep::Disable),
        "enable" => Some(AccountStep::Enable),
        _ => None,
    };
    // Whatever gives or gives back access asks for a recent proof of the administrator's own identity.
    if matches!(f.step.as_str(), "approve" | "enable" | "unlock" | "reset_mfa") {
        match s.app.require_recent_auth(&session) {
            Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to("/admin"),
            Err(e) => return failed(&e),
            Ok(()) => {}
        }
    }
    if step.is_some() && f.version.is_none() {
        let e = "页面缺少账号的版本号，请刷新页面后再操作。".to_owned();
        return users_page(&s, chrome, p, NewAccountForm::default(), Some(e), None).await;
    }
    let outcome: Result<(), AppError> = match (step, f.step.as_str()) {
        (Some(step), _) => s.app.account_step(p, &login, f.version, step, Some(why)).await.map(|_| ()),
        (None, "unlock") => s.app.unlock(p, &login, Some(why)).await,
        (None, "reset_mfa") => s.app.reset_mfa(p, &login, Some(why)).await.map(|_| ()),
        _ => Err(AppError::Invalid(vec![FieldError::new(
            "step",
            &ValueError::OneOf("approve/reject/disable/enable/unlock/reset_mfa"),
        )])),
    };
    match outcome {
        Ok(()) => see_other(&format!("/admin?done={}", f.step)),
        Err(e) if e.kind() == ErrorKind::Internal || e.kind() == ErrorKind::Unavailable => failed(&e),
        Err(e) => {
            let msg = if e.kind() == ErrorKind::Forbidden {
                "您的角色不能进行此操作（批准、启用、解锁和重置验证器由安全管理员办理）。".to_owned()
            } else {
                crate::pages::say(&e)
            };
            users_page(&s, chrome, p, NewAccountForm::default(), Some(msg), None).await
        }
    }
}
