//! Identity: the first administrator, users with roles, API tokens (shown once, stored only as hashes)
//! and authentication of a token to a `Principal`.

use liaison_core::access::{Action, Role};
use liaison_core::ids::{DeputyId, TenantId, UserId};
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{TokenRecord, UserRecord, WriteTx, default_tenant, system_user};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::views::{TokenView, UserView};
use crate::{App, AppError, Principal, record};

/// A token, shown once: it is not stored and cannot be shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    /// Token id (for listing and revocation).
    pub id: String,
    /// The token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// The owner's login.
    pub login: String,
}

/// What the first start created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    /// The administrator's first token.
    pub admin_token: TokenCreated,
}

fn check_login(login: &str) -> Result<(), AppError> {
    let ok = (2..=32).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("login", &liaison_core::ValueError::OneOf("a-z 开头，a-z 0-9 . _ -，2–32 位")))
    }
}

fn new_token(
    tenant: &TenantId,
    user: UserId,
    label: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(TokenRecord, String), AppError> {
    let id = random_hex(6)?;
    let secret = random_hex(32)?;
    let token = format!("lia_{id}_{secret}");
    Ok((
        TokenRecord {
            id,
            tenant: tenant.clone(),
            user,
            label: label.to_owned(),
            created_at: at,
            revoked_at: None,
        },
        token,
    ))
}

fn user_view(u: &UserRecord) -> UserView {
    UserView {
        id: u.id.0,
        login: u.login.clone(),
        display_name: u.display_name.clone(),
        roles: u.roles.iter().map(|r| r.code().to_owned()).collect(),
        active: u.active,
        created_at: u.created_at,
        deputy: u.deputy.map(|d| d.0),
        department: u.department.map(|d| d.0),
    }
}

impl App {
    /// First start: create the default tenant and, if it has no users, the administrator `admin` with a
    /// first token. Returns `None` when there was nothing to do.
    pub async fn bootstrap(&self, tenant_name: &str) -> Result<Option<Bootstrap>, AppError> {
        let at = self.now();
        let name = tenant_name.to_owned();
        self.write(move |tx: &mut dyn WriteTx| {
            let t = default_tenant();
            let actor = liaison_core::Actor { user: system_user(), name: "system".into() };
            let meta = liaison_core::Meta { actor, at, reason: Some("first start".into()) };
            if tx.tenant(&t)?.is_none() {
                tx.insert_tenant(&t, &name, at)?;
                tx.append(
                    &t,
                    record(
                        &meta,
                        "tenant.created",
                        "tenant",
                        t.to_string(),
                        serde_json::json!({ "name": name }),
                    ),
                )?;
            }
            if !tx.users(&t)?.is_empty() {
                return Ok(None);
            }
            let admin = UserRecord {
                tenant: t.clone(),
                id: UserId(crate::new_id()),
                login: "admin".into(),
                display_name: "系统管理员".into(),
                roles: vec![Role::Admin],
                active: true,
                created_at: at,
                deputy: None,
                department: None,
            };
            tx.insert_user(&admin)?;
            tx.append(&t, record(&meta, "user.created", "user", admin.id.to_string(), user_view(&admin)))?;
            let (rec, token) = new_token(&t, admin.id, "首个管理员令牌", at)?;
            tx.insert_token(&rec, &token_hash(&token))?;
            tx.append(
                &t,
                record(
                    &meta,
                    "token.created",
                    "token",
                    rec.id.clone(),
                    serde_json::json!({ "user": admin.login, "label": rec.label }),
                ),
            )?;
            Ok(Some(Bootstrap { admin_token: TokenCreated { id: rec.id, token, login: admin.login } }))
        })
        .await
    }

    /// Who a bearer token belongs to. Unknown, malformed and revoked tokens are all `Unauthenticated`.
    pub fn authenticate(&self, token: &str) -> Result<Principal, AppError> {
        let token = token.trim();
        if !token.starts_with("lia_") || token.len() > 100 {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(token);
        let found = self.read(|q| q.user_by_token_hash(&hash))?;
        let (u, _) = found.ok_or(AppError::Unauthenticated)?;
        Ok(principal(u))
    }

    /// The principal for a login, for operators at the console (the CLI runs as a named user).
    pub fn principal_for_login(&self, tenant: &TenantId, login: &str) -> Result<Principal, AppError> {
        let u = self
            .read(|q| q.user_by_login(tenant, login))?
            .filter(|u| u.active)
            .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })?;
        Ok(principal(u))
    }

    /// Add a user. A `deputy` account belongs to one deputy on the register and has no other role (a
    /// deputy's own account rates and reads as that deputy only); a `department` account may name its
    /// department, which limits it to that department's items.
    pub async fn add_user(&self, p: &Principal, new: &NewUser) -> Result<UserView, AppError> {
        use liaison_core::ValueError;
        p.require(Action::ManageUsers)?;
        check_login(&new.login)?;
        let display = liaison_core::registry::ShortText::parse(&new.display_name)
            .map_err(|e| AppError::invalid("display_name", &e))?;
        let roles: Vec<Role> = new
            .roles
            .iter()
            .map(|r| Role::parse(r))
            .collect::<Result<_, _>>()
            .map_err(|e| AppError::invalid("roles", &e))?;
        if roles.is_empty() {
            return Err(AppError::invalid("roles", &ValueError::Required));
        }
        let is_deputy = roles.contains(&Role::Deputy);
        if is_deputy && roles.len() > 1 {
            return Err(AppError::invalid("roles", &ValueError::Mismatch("deputy")));
        }
        let deputy = match (is_deputy, new.deputy.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (true, Some(d)) => Some(
                DeputyId::parse(d).map_err(|_| AppError::invalid("deputy", &ValueError::OneOf("uuid")))?,
            ),
            (true, None) => return Err(AppError::invalid("deputy", &ValueError::Required)),
            (false, Some(_)) => return Err(AppError::invalid("deputy", &ValueError::Mismatch("roles"))),
            (false, None) => None,
        };
        let meta = self.meta(p, None);
        let mut user = UserRecord {
            tenant: p.tenant.clone(),
            id: UserId(crate::new_id()),
            login: new.login.clone(),
            display_name: display.to_string(),
            roles: roles.to_vec(),
            active: true,
            created_at: meta.at,
            deputy,
            department: None,
        };
        // A department account acts for its department only: it needs one, and only it may have one.
        let department = new.department.clone().filter(|s| !s.trim().is_empty());
        match (roles.contains(&Role::Department), &department) {
            (true, None) => return Err(AppError::invalid("department", &ValueError::Required)),
            (false, Some(_)) => return Err(AppError::invalid("department", &ValueError::Mismatch("roles"))),
            _ => {}
        }
        self.write(move |tx: &mut dyn WriteTx| {
            if let Some(d) = user.deputy
                && tx.deputy_summary(&user.tenant, d)?.is_none()
            {
                return Err(AppError::NotFound { what: "deputy", id: d.to_string() });
            }
            if let Some(name) = &department {
                let org = tx.organisation(&user.tenant)?;
                user.department = Some(crate::organisation::find_department(&org, name)?);
            }
            tx.insert_user(&user)?;
            let view = user_view(&user);
            tx.append(&user.tenant, record(&meta, "user.created", "user", user.id.to_string(), &view))?;
            Ok(view)
        })
        .await
    }

    /// The tenant's users.
    pub fn users(&self, p: &Principal) -> Result<Vec<UserView>, AppError> {
        p.require(Action::ManageUsers)?;
        Ok(self.read(|q| q.users(&p.tenant))?.iter().map(user_view).collect())
    }

    /// Create a token for a user (one's own, or anyone's with `manage_tokens`). Shown once.
    pub async fn create_token(
        &self,
        p: &Principal,
        login: &str,
        label: &str,
    ) -> Result<TokenCreated, AppError> {
        if login != p.login {
            p.require(Action::ManageTokens)?;
        }
        let label =
            liaison_core::registry::ShortText::parse(label).map_err(|e| AppError::invalid("label", &e))?;
        let meta = self.meta(p, None);
        let (tenant, login) = (p.tenant.clone(), login.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let u = tx
                .user_by_login(&tenant, &login)?
                .filter(|u| u.active)
                .ok_or_else(|| AppError::NotFound { what: "user", id: login.clone() })?;
            let (rec, token) = new_token(&tenant, u.id, label.as_str(), meta.at)?;
            tx.insert_token(&rec, &token_hash(&token))?;
            tx.append(
                &tenant,
                record(
                    &meta,
                    "token.created",
                    "token",
                    rec.id.clone(),
                    serde_json::json!({ "user": u.login, "label": rec.label }),
                ),
            )?;
            Ok(TokenCreated { id: rec.id, token, login: u.login })
        })
        .await
    }

    /// Revoke a token by id (one's own, or anyone's with `manage_tokens`). Takes effect for the next request.
    pub async fn revoke_token(
        &self,
        p: &Principal,
        token_id: &str,
        reason: Option<String>,
    ) -> Result<(), AppError> {
        let owner_is_self =
            self.read(|q| q.tokens(&p.tenant))?.iter().any(|t| t.id == token_id && t.user == p.user);
        if !owner_is_self {
            p.require(Action::ManageTokens)?;
        }
        let meta = self.meta(p, reason);
        let (tenant, id) = (p.tenant.clone(), token_id.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            if !tx.revoke_token(&tenant, &id, meta.at)? {
                return Err(AppError::NotFound { what: "token", id });
            }
            tx.append(&tenant, record(&meta, "token.revoked", "token", id, serde_json::json!({})))?;
            Ok(())
        })
        .await
    }

    /// The tenant's tokens (not the secrets).
    pub fn tokens(&self, p: &Principal) -> Result<Vec<TokenView>, AppError> {
        p.require(Action::ManageTokens)?;
        Ok(self
            .read(|q| q.tokens(&p.tenant))?
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                user: t.user.0,
                label: t.label,
                created_at: t.created_at,
                revoked_at: t.revoked_at,
            })
            .collect())
    }
}

/// A new account.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Login (a-z, 0-9, `.`, `_`, `-`).
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Roles: admin, office, officer, leader, department, auditor, deputy.
    pub roles: Vec<String>,
    /// For the `deputy` role: the deputy's id.
    #[serde(default)]
    pub deputy: Option<String>,
    /// For the `department` role (required, and only for it): the department's name or id.
    #[serde(default)]
    pub department: Option<String>,
}

fn principal(u: UserRecord) -> Principal {
    Principal {
        tenant: u.tenant,
        user: u.id,
        login: u.login,
        name: u.display_name,
        roles: u.roles,
        deputy: u.deputy,
        department: u.department,
    }
}
