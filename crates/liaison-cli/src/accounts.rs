//! Accounts and tokens at the console (issue 12, items 1 and 14): the system administrator adds accounts
//! and asks for roles, the security administrator approves, rejects, unlocks and sets the token policy;
//! `roles` prints the role × action table.

use liaison_app::{AccountStep, App, NewUser, Principal, RoleChange};

use crate::args::{TokenCmd, UserCmd};
use crate::output::{self, Format};

pub(crate) fn user(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &UserCmd,
) -> anyhow::Result<()> {
    let step = |login: &str, step, reason: &Option<String>| -> anyhow::Result<()> {
        let v = rt.block_on(app.account_step(p, login, None, step, reason.clone()))?;
        output::object(fmt, &v)
    };
    match cmd {
        UserCmd::Add { login, name, roles, deputy, department, officer, regions, service, reason } => {
            let new = NewUser {
                login: login.clone(),
                display_name: name.clone(),
                roles: roles.clone(),
                deputy: deputy.clone(),
                department: department.clone(),
                officer: officer.clone(),
                regions: regions.clone(),
                service: *service,
                reason: reason.clone(),
            };
            let v = rt.block_on(app.add_user(p, &new))?;
            if v.pending_roles.is_some() && fmt == Format::Table {
                eprintln!("角色待安全管理员批准：liaison --as <安全管理员> user approve {}", v.login);
            }
            output::object(fmt, &v)
        }
        UserCmd::List => output::list(fmt, &app.users(p)?),
        UserCmd::Approve { logins } => {
            let mut out = Vec::new();
            for login in logins {
                out.push(rt.block_on(app.account_step(p, login, None, AccountStep::Approve, None))?);
            }
            output::list(fmt, &out)
        }
        UserCmd::Reject { login, reason } => step(login, AccountStep::Reject, reason),
        UserCmd::Disable { login, reason } => step(login, AccountStep::Disable, reason),
        UserCmd::Enable { login, reason } => step(login, AccountStep::Enable, reason),
        UserCmd::Roles { login, roles, department, officer, regions, no_regions } => {
            let change = RoleChange {
                roles: roles.clone(),
                department: department.clone(),
                officer: officer.clone(),
                regions: (*no_regions || !regions.is_empty()).then(|| regions.clone()),
            };
            output::object(fmt, &rt.block_on(app.request_roles(p, login, None, &change))?)
        }
        UserCmd::SetPassword { login, reason } => {
            let password = read_password()?;
            let ended = rt.block_on(app.set_password(p, login, &password, reason.clone()))?;
            eprintln!("已为 {login} 设置密码；结束其会话 {ended} 个。");
            Ok(())
        }
        UserCmd::ResetMfa { login, reason } => {
            let ended = rt.block_on(app.reset_mfa(p, login, reason.clone()))?;
            eprintln!("已重置 {login} 的动态验证码（含恢复码），结束其会话 {ended} 个；下次登录时重新绑定。");
            Ok(())
        }
        UserCmd::Unlock { login, reason } => {
            rt.block_on(app.unlock(p, login, reason.clone()))?;
            eprintln!("已解除 {login} 的登录锁定。");
            Ok(())
        }
        UserCmd::Locked => output::list(fmt, &app.locked_accounts(p)?),
        UserCmd::Activation { login } => {
            let a = rt.block_on(app.issue_activation(p, login))?;
            if fmt == Format::Table {
                eprintln!(
                    "{} 的激活码（一次有效，{} 前兑换；只交给本人，由本人 POST /api/v1/activate 换取令牌）：",
                    a.login, a.expires_on
                );
                println!("{}", a.code);
                Ok(())
            } else {
                output::object(fmt, &a)
            }
        }
    }
}

/// The new password from standard input: one line, its line ending removed; never an argument (it would
/// show in the process list and the shell's history).
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprintln!("请输入新密码（至少 10 个字符，输入时显示；也可经管道传入）：");
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    anyhow::ensure!(!password.is_empty(), "标准输入中没有密码 (no password on standard input)");
    Ok(password)
}

pub(crate) fn token(
    app: &App,
    p: &Principal,
    rt: &tokio::runtime::Runtime,
    fmt: Format,
    cmd: &TokenCmd,
) -> anyhow::Result<()> {
    match cmd {
        TokenCmd::Create { user, label, days } => {
            let t = rt.block_on(app.create_token(p, user.as_deref().unwrap_or(&p.login), label, *days))?;
            if fmt == Format::Table {
                eprintln!(
                    "用户 {} 的新令牌（id {}，{} 前有效，只显示这一次）：",
                    t.login, t.id, t.expires_at
                );
                println!("{}", t.token);
                Ok(())
            } else {
                output::object(fmt, &t)
            }
        }
        TokenCmd::Revoke { id, reason } => {
            rt.block_on(app.revoke_token(p, id, reason.clone()))?;
            println!("令牌 {id} 已撤销。");
            Ok(())
        }
        TokenCmd::List => output::list(fmt, &app.tokens(p)?),
        TokenCmd::Policy { lifetime_days, idle_days, reason } => {
            let (policy, _) = match (lifetime_days, idle_days) {
                (Some(l), Some(i)) => rt.block_on(app.set_token_policy(p, None, *l, *i, reason.clone()))?,
                _ => app.token_policy(p)?,
            };
            output::object(fmt, &policy)
        }
    }
}

/// One action's row of the role × action table.
#[derive(serde::Serialize)]
struct RoleRow {
    action: &'static str,
    description: &'static str,
    roles: Vec<&'static str>,
}

impl output::Tabular for RoleRow {
    fn headers() -> Vec<&'static str> {
        let mut h = vec!["操作"];
        h.extend(liaison_core::access::Role::ALL.iter().map(|r| r.zh()));
        h
    }
    fn row(&self) -> Vec<String> {
        // The action's code is in the JSON (and in refusals); people read what it covers.
        let mut r = vec![self.description.to_owned()];
        r.extend(
            liaison_core::access::Role::ALL
                .iter()
                .map(|x| if self.roles.contains(&x.code()) { "✓" } else { "" }.into()),
        );
        r
    }
}

/// The role × action table: Markdown as ARCHITECTURE.md carries it, or a table for people.
pub(crate) fn roles(fmt: Format, markdown: bool) -> anyhow::Result<()> {
    use liaison_core::access::Action;
    if markdown {
        print!("{}", liaison_core::access::matrix_markdown());
        return Ok(());
    }
    let rows: Vec<RoleRow> = Action::all()
        .map(|a| RoleRow {
            action: a.code(),
            description: a.zh(),
            roles: a.roles().iter().map(|r| r.code()).collect(),
        })
        .collect();
    output::list(fmt, &rows)
}
