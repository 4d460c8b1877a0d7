//! Identity: the first administrator, API tokens (shown once, stored only as hashes, expiring, lapsing when
//! idle), activation codes for people's first token, authentication of a token to a `Principal`, and the
//! upgrade of accounts made before the three administrators were separated.
//!
//! Who may hold a token of whose (issue 12, item 1): everyone may make tokens for themself; the system
//! administrator for integration (service) accounts, never for a person's. A person's first token comes
//! from an activation code the system administrator issues and only the person redeems.

use chrono::{DateTime, Duration, Utc};
use liaison_core::access::{Action, Role};
use liaison_core::account::{Account, AccountError, AccountKind, TokenPolicy};
use liaison_core::ids::{TenantId, UserId};
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{
    LinkRecord, Queries, TokenRecord, UserRecord, WriteJob, WriteTx, default_tenant, system_user,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::views::TokenView;
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
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// An activation code, shown once: the person redeems it for their own token (`POST /api/v1/activate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActivationCode {
    /// The account's login.
    pub login: String,
    /// The code (one use; a newer code replaces it).
    pub code: String,
    /// The last day it works.
    pub expires_on: chrono::NaiveDate,
}

/// What the first start created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    /// The administrator's first token.
    pub admin_token: TokenCreated,
}

/// What an upgrade changed in accounts made before the separation (on every start; usually nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountUpgrade {
    /// Logins whose roles were cut down to what the separation allows.
    pub roles_cut: Vec<String>,
    /// Logins disabled as a deputy's second account.
    pub disabled: Vec<String>,
    /// Tokens given an expiry.
    pub tokens_dated: usize,
}

pub(crate) const ACTIVATION: &str = "account.activation";
const SETTINGS: &str = "settings";
pub(crate) const TOKEN_POLICY_ID: &str = "token_policy";
/// How many days an activation code works.
const ACTIVATION_DAYS: i64 = 3;

pub(crate) fn check_login(login: &str) -> Result<(), AppError> {
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
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
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
            expires_at: Some(expires_at),
            last_used_at: None,
        },
        token,
    ))
}

/// Insert a token and its audit record (`token.created`, naming the owner, the label and the expiry).
fn issue_token(
    tx: &mut dyn WriteTx,
    meta: &liaison_core::Meta,
    owner: &UserRecord,
    label: &str,
    expires_at: DateTime<Utc>,
) -> Result<TokenCreated, AppError> {
    let (rec, token) = new_token(&owner.tenant, owner.id, label, meta.at, expires_at)?;
    tx.insert_token(&rec, &token_hash(&token))?;
    tx.append(
        &owner.tenant,
        record(
            meta,
            "token.created",
            "token",
            rec.id.clone(),
            serde_json::json!({ "user": owner.login, "label": rec.label, "expires_at": expires_at }),
        ),
    )?;
    Ok(TokenCreated { id: rec.id, token, login: owner.login.clone(), expires_at })
}

pub(crate) fn load_token_policy(
    q: &dyn Queries,
    tenant: &TenantId,
) -> Result<(TokenPolicy, u64), liaison_store::StoreError> {
    match q.record(tenant, SETTINGS, TOKEN_POLICY_ID)? {
        Some(r) => Ok((serde_json::from_str(&r.data)?, r.version)),
        None => Ok((TokenPolicy::default(), 0)),
    }
}

fn system_meta(at: DateTime<Utc>, reason: &str) -> liaison_core::Meta {
    let actor =
        liaison_core::Actor { user: system_user(), name: "system".into(), via: Some("system".into()) };
    liaison_core::Meta { actor, at, reason: Some(reason.into()) }
}

/// Keep a token's last use to the hour, off the request's path: a write the request does not wait for.
pub(crate) struct Touch {
    pub(crate) tenant: TenantId,
    pub(crate) id: String,
    pub(crate) at: DateTime<Utc>,
}

impl WriteJob for Touch {
    fn run(&mut self, tx: &mut dyn WriteTx) -> bool {
        tx.set_token_times(&self.tenant, &self.id, None, Some(self.at)).is_ok()
    }
    fn finish(self: Box<Self>, committed: Result<(), liaison_store::StoreError>) {
        if let Err(e) = committed {
            tracing::warn!(token = %self.id, error = %e, "a token's last use was not recorded");
        }
    }
}

/// The tenant's first account, the system administrator `admin` (系统管理员), and its first token, audited
/// in the tenant's chain as `meta` says: `liaison init` for the default tenant, `liaison tenant add` for
/// another procuratorate.
pub(crate) fn open_first_admin(
    tx: &mut dyn WriteTx,
    t: &TenantId,
    meta: &liaison_core::Meta,
) -> Result<TokenCreated, AppError> {
    let at = meta.at;
    let (policy, _) = load_token_policy(tx, t)?;
    let new = liaison_core::account::NewAccount {
        id: UserId(crate::new_id()),
        kind: AccountKind::Person,
        roles: vec![Role::Admin],
        deputy: None,
        department: None,
        grant: Default::default(),
    };
    let (account, events) = Account::open(&new, system_user(), None, at)?;
    let mut admin = UserRecord {
        tenant: t.clone(),
        id: new.id,
        login: "admin".into(),
        display_name: "系统管理员".into(),
        roles: vec![],
        active: true,
        created_at: at,
        deputy: None,
        department: None,
        kind: AccountKind::Person,
        pending: None,
        grant: Default::default(),
        version: 0,
    };
    admin.set_account(&account);
    tx.insert_user(&admin)?;
    crate::accounts::append_events(tx, meta, &admin, &events)?;
    let expires = policy.expiry(at, None)?;
    issue_token(tx, meta, &admin, "首个管理员令牌", expires)
}

impl App {
    /// First start: create the default tenant and, if it has no users, the system administrator `admin`
    /// with a first token. On every start, bring accounts made before the separation up to its rules
    /// (`upgrade_accounts`). Returns `None` when there was no administrator to create.
    pub async fn bootstrap(&self, tenant_name: &str) -> Result<Option<Bootstrap>, AppError> {
        let at = self.now();
        let name = tenant_name.to_owned();
        let created = self
            .write(move |tx: &mut dyn WriteTx| {
                let t = default_tenant();
                let meta = system_meta(at, "first start");
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
                let token = open_first_admin(tx, &t, &meta)?;
                Ok(Some(Bootstrap { admin_token: token }))
            })
            .await?;
        // Servers sharing a database may start together: the one that loses the race finds the accounts
        // changed by the other (a stale version) and looks again.
        match self.upgrade_accounts().await {
            Err(AppError::Stale { .. }) => self.upgrade_accounts().await.map(drop)?,
            other => other.map(drop)?,
        }
        Ok(created)
    }

    /// Bring accounts made before the three administrators were separated up to the rules, each change
    /// audited as the system's: an account holding an administrator role keeps that role only (system
    /// before security before audit; `admin` with business roles becomes the system administrator only),
    /// a deputy's second account is disabled (the older one stays) with its tokens, and tokens made before
    /// expiry existed get the policy's lifetime from now. Runs on every start; usually it finds nothing.
    pub async fn upgrade_accounts(&self) -> Result<AccountUpgrade, AppError> {
        let at = self.now();
        self.write(move |tx: &mut dyn WriteTx| {
            let t = default_tenant();
            let mut out = AccountUpgrade::default();
            if tx.tenant(&t)?.is_none() {
                return Ok(out);
            }
            let meta = system_meta(at, "三员分立升级 (issue 12)");
            let (policy, _) = load_token_policy(tx, &t)?;
            let mut users = tx.users(&t)?;
            users.sort_by_key(|u| (u.created_at, u.id));
            let mut deputies = std::collections::HashSet::new();
            for mut u in users {
                let mut account = u.account();
                let mut events = Vec::new();
                if let Some(e) = account.normalised() {
                    out.roles_cut.push(u.login.clone());
                    events.push(e);
                }
                if let Some(d) = u.deputy
                    && !deputies.insert(d)
                    && u.active
                {
                    out.disabled.push(u.login.clone());
                    events.push(liaison_core::account::AccountEvent::Disabled { by: system_user() });
                }
                if events.is_empty() {
                    continue;
                }
                let expected = u.version;
                for e in &events {
                    account.apply(e);
                }
                u.set_account(&account);
                tx.update_user(&u, expected)?;
                if !u.active {
                    tx.revoke_user_tokens(&t, u.id, at)?;
                }
                crate::accounts::append_events(tx, &meta, &u, &events)?;
            }
            for tok in tx.tokens(&t)? {
                if tok.expires_at.is_none() && tok.revoked_at.is_none() {
                    let expires = policy.expiry(at, None)?;
                    tx.set_token_times(&t, &tok.id, Some(expires), Some(at))?;
                    tx.append(
                        &t,
                        record(
                            &meta,
                            "token.expiry_set",
                            "token",
                            tok.id.clone(),
                            serde_json::json!({ "expires_at": expires }),
                        ),
                    )?;
                    out.tokens_dated += 1;
                }
            }
            Ok(out)
        })
        .await
    }

    /// The principal for a login, for tests and tools inside the process (the credential is `console`).
    pub fn principal_for_login(&self, tenant: &TenantId, login: &str) -> Result<Principal, AppError> {
        let u = self
            .read(|q| q.user_by_login(tenant, login))?
            .filter(|u| u.active)
            .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })?;
        Ok(principal(u, "console".into()))
    }

    /// The principal the CLI acts as (`--as`): an active account, never a deputy's (a deputy acts only
    /// through their own token or one-use link, never through staff at the console — issue 12, item 6).
    /// Its records name the console and the operating-system user (`console:<os_user>`, or `console`).
    pub fn console_principal(
        &self,
        tenant: &TenantId,
        login: &str,
        os_user: Option<&str>,
    ) -> Result<Principal, AppError> {
        let u = self
            .read(|q| q.user_by_login(tenant, login))?
            .ok_or_else(|| AppError::NotFound { what: "user", id: login.to_owned() })?;
        if !u.active {
            return Err(AccountError::Disabled.into());
        }
        if u.deputy.is_some() || u.roles.contains(&Role::Deputy) {
            return Err(AccountError::DeputyAtConsole.into());
        }
        let via = match os_user.map(str::trim).filter(|u| !u.is_empty()) {
            Some(user) => format!("console:{user}"),
            None => "console".to_owned(),
        };
        Ok(principal(u, via))
    }

    /// Create a token for `login`, living `days` (the policy's lifetime when not given, never more).
    /// Anyone for themself; the system administrator for an integration account — never for a person's
    /// account, whose first token comes from an activation code. Shown once.
    pub async fn create_token(
        &self,
        p: &Principal,
        login: &str,
        label: &str,
        days: Option<u32>,
    ) -> Result<TokenCreated, AppError> {
        if login != p.login {
            p.require(Action::ManageTokens)?;
        }
        let (by, may_manage) = (p.user, p.may(Action::ManageTokens));
        let label =
            liaison_core::registry::ShortText::parse(label).map_err(|e| AppError::invalid("label", &e))?;
        let meta = self.meta(p, None);
        let (tenant, login) = (p.tenant.clone(), login.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let u = tx
                .user_by_login(&tenant, &login)?
                .filter(|u| u.active)
                .ok_or_else(|| AppError::NotFound { what: "user", id: login.clone() })?;
            u.account().token_by(by, may_manage)?;
            let (policy, _) = load_token_policy(tx, &tenant)?;
            let expires = policy.expiry(meta.at, days)?;
            issue_token(tx, &meta, &u, label.as_str(), expires)
        })
        .await
    }

    /// Issue an activation code for a person's account (the system administrator): the person redeems it
    /// once, within three days, for a token only they see. A new code spends the earlier ones.
    pub async fn issue_activation(&self, p: &Principal, login: &str) -> Result<ActivationCode, AppError> {
        p.require(Action::ManageUsers)?;
        let meta = self.meta(p, None);
        let (tenant, login) = (p.tenant.clone(), login.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let u = tx
                .user_by_login(&tenant, &login)?
                .ok_or_else(|| AppError::NotFound { what: "user", id: login.clone() })?;
            if !u.active {
                return Err(AccountError::Disabled.into());
            }
            tx.revoke_links(&tenant, ACTIVATION, &u.id.to_string(), meta.at)?;
            let id = random_hex(8)?;
            let code = format!("act_{id}_{}", random_hex(24)?);
            let expires_on = meta.today() + Duration::days(ACTIVATION_DAYS);
            let link = LinkRecord {
                id: id.clone(),
                tenant: tenant.clone(),
                kind: ACTIVATION.into(),
                record_id: u.id.to_string(),
                deputy_id: u.deputy.map(|d| d.to_string()).unwrap_or_default(),
                round: 0,
                created_at: meta.at,
                expires_on: expires_on.to_string(),
                used_at: None,
            };
            tx.insert_link(&link, &token_hash(&code))?;
            tx.append(
                &tenant,
                record(
                    &meta,
                    "user.activation_issued",
                    "user",
                    u.id.to_string(),
                    serde_json::json!({ "login": u.login, "code": id, "expires_on": expires_on }),
                ),
            )?;
            Ok(ActivationCode { login: u.login, code, expires_on })
        })
        .await
    }

    /// Redeem an activation code for the account's own token (no login: the code is the credential, once).
    /// The records name the account and the code (`activation:<id>`). The code works only in the
    /// procuratorate `tenant` that issued it (`sign_in_tenant`): in another it is as unknown as a wrong one.
    pub async fn activate(
        &self,
        tenant: &TenantId,
        code: &str,
        label: &str,
        days: Option<u32>,
    ) -> Result<TokenCreated, AppError> {
        let code = code.trim();
        if !code.starts_with("act_") || code.len() > 80 {
            return Err(AccountError::ActivationInvalid.into());
        }
        let label =
            liaison_core::registry::ShortText::parse(label).map_err(|e| AppError::invalid("label", &e))?;
        let hash = token_hash(code);
        let link = self
            .read(|q| q.link_by_hash(&hash))?
            .filter(|l| l.kind == ACTIVATION && l.used_at.is_none() && &l.tenant == tenant)
            .ok_or(AccountError::ActivationInvalid)?;
        let now = self.now();
        if liaison_core::dates::china_date(now).to_string() > link.expires_on {
            return Err(AccountError::ActivationInvalid.into());
        }
        self.write(move |tx: &mut dyn WriteTx| {
            let u = tx
                .users(&link.tenant)?
                .into_iter()
                .find(|u| u.id.to_string() == link.record_id && u.active)
                .ok_or(AccountError::ActivationInvalid)?;
            if !tx.use_link(&link.tenant, &link.id, now)? {
                return Err(AccountError::ActivationInvalid.into());
            }
            let actor = liaison_core::Actor {
                user: u.id,
                name: format!("{} ({})", u.display_name, u.login),
                via: Some(format!("activation:{}", link.id)),
            };
            let meta = liaison_core::Meta { actor, at: now, reason: None };
            let (policy, _) = load_token_policy(tx, &link.tenant)?;
            let expires = policy.expiry(now, days)?;
            issue_token(tx, &meta, &u, label.as_str(), expires)
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
        let owner =
            self.read(|q| q.tokens(&p.tenant))?.into_iter().find(|t| t.id == token_id).map(|t| t.user);
        match owner {
            None => return Err(AppError::NotFound { what: "token", id: token_id.to_owned() }),
            Some(u) if u != p.user => p.require(Action::ManageTokens)?,
            Some(_) => {}
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
                expires_at: t.expires_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    }

    /// The token policy in force and its version (0 while the defaults apply).
    pub fn token_policy(&self, p: &Principal) -> Result<(TokenPolicy, u64), AppError> {
        p.require(Action::ConfigureSecurity)?;
        self.read(|q| load_token_policy(q, &p.tenant))
    }

    /// Set the token policy (the security administrator; audited). Applies to tokens made from now on and,
    /// for the idle limit, to every token at its next use. `expected`: the policy's version the caller saw (0
    /// while the defaults apply); a stale one is refused, unchanged.
    pub async fn set_token_policy(
        &self,
        p: &Principal,
        expected: Option<u64>,
        lifetime_days: u32,
        idle_days: u32,
        reason: Option<String>,
    ) -> Result<(TokenPolicy, u64), AppError> {
        p.require(Action::ConfigureSecurity)?;
        let policy = TokenPolicy::new(lifetime_days, idle_days)?;
        let tenant = p.tenant.clone();
        self.change(p, reason, move |run| {
            let (_, version) = load_token_policy(run.q(), &tenant)?;
            crate::runner::expect_version("token policy", TOKEN_POLICY_ID, version, expected)?;
            let version =
                run.save_settings(TOKEN_POLICY_ID, version, "security.token_policy_set", &policy)?;
            Ok((policy, version))
        })
        .await
    }
}

pub(crate) fn principal(u: UserRecord, via: String) -> Principal {
    // Roles from before the separation act as the upgrade will leave them, until it has run.
    let roles = liaison_core::account::normalise(&u.roles);
    Principal {
        tenant: u.tenant,
        user: u.id,
        login: u.login,
        name: u.display_name,
        roles,
        deputy: u.deputy,
        department: u.department,
        via,
        grant: u.grant,
    }
}
