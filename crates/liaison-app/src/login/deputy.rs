//! A deputy's login by a code sent by SMS (issue 17, item 6): no password. The rules are
//! `liaison_core::login::code`'s [`CodeLogin`]; this is load → decide → persist → audit.
//!
//! - **One state per number asked for**, in the workflow records (kind [`CODE_LOGIN`]), its id the keyed
//!   hash of the number: no number is stored in the clear, and an unknown number has the same limits as a
//!   deputy's.
//! - **Who gets a code**: a deputy on the register whose mobile is the number asked for *and* who has an
//!   active deputy account. Any other number — unknown, a deputy without an account, a disabled account —
//!   gets the same answer after the same work (every deputy account's number is compared each time), and
//!   nothing is sent; its challenge names no deputy and no code ever matches it.
//! - **The code**: six digits from the operating system's RNG, kept only as a keyed hash bound to the
//!   number. The SMS ([`MessageKind::LoginCode`]) is queued to the deputy's registered mobile at once (no
//!   quiet hours, no opt-out); the code travels **sealed** (SM4-GCM under the store's key, bound to the
//!   message's id) in the message's template parameters, which no list shows, and is opened only by the SMS
//!   sender; the stored subject and body say "code not shown". So message lists, the CLI and the API show
//!   staff no code.
//! - **Audit**: every request, wrong code, lock and success (`auth.login_code_*` on the aggregate
//!   `code_login`), and the session's start (`auth.session_started`, factor `sms_code`, on the account);
//!   never a code or its hash.

use chrono::{DateTime, Utc};
use liaison_core::access::Role;
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::login::code::{CodeCommand, CodeError, CodeEvent, CodeLogin, CodePolicy};
use liaison_core::login::{Factor, LoginError, Session, Stage};
use liaison_core::message::{MessageChannel, MessageKind, Recipient};
use liaison_core::registry::MobileNumber;
use liaison_core::{Actor, Meta};
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{Keys, NewMessage, RecordRow, SessionRecord, UserRecord, WriteTx};

use super::steps::{Outcome, audit, settle};
use super::{StaffSession, new_cookie, user_meta};
use crate::{App, AppError, record};

/// The record kind of a number's code-login state.
pub const CODE_LOGIN: &str = "code_login";

/// A deputy's session begun by a right code: the cookie to set (shown once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeputyLogin {
    /// The cookie's value (`Secure`, `HttpOnly`, `SameSite=Strict`): never stored, never shown again.
    pub cookie: String,
    /// The deputy's name.
    pub name: String,
}

/// The keyed hash of a number: the state's id and the code hash's binding.
fn number_key(keys: &Keys, m: &MobileNumber) -> String {
    keys.lookup_hash("deputy_login_mobile", m.as_str())
}

fn code_hash(keys: &Keys, number: &str, code: &str) -> String {
    keys.lookup_hash("deputy_login_code", &format!("{number}:{code}"))
}

/// Six digits, uniform, from the operating system's RNG (rejection sampling: no digit is likelier).
fn draw_code() -> Result<String, AppError> {
    const LIMIT: u32 = 4_294_000_000; // the largest multiple of 10^6 below 2^32
    loop {
        let hex = random_hex(4)?;
        let n = u32::from_str_radix(&hex, 16).map_err(|_| AppError::Contract("random_hex gives hex"))?;
        if n < LIMIT {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

fn parse_mobile(mobile: &str) -> Result<MobileNumber, AppError> {
    MobileNumber::parse(mobile).map_err(|e| AppError::invalid("mobile", &e))
}

/// A deputy account of `d`, active, with the deputy role alone.
pub(super) fn deputy_account(users: &[UserRecord], d: DeputyId) -> Option<&UserRecord> {
    users.iter().find(|u| u.active && u.deputy == Some(d) && u.roles == [Role::Deputy])
}

/// The actor of a code-login record: the deputy's account when the number is one's, else the service.
fn actor_meta(account: Option<&UserRecord>, at: DateTime<Utc>) -> Meta {
    match account {
        Some(u) => user_meta(u, "sms_code".into(), at),
        None => Meta {
            actor: Actor {
                user: liaison_store::system_user(),
                name: "代表验证码登录 (deputy code login)".into(),
                via: Some("sms_code".into()),
            },
            at,
            reason: None,
        },
    }
}

/// The stored state of a number (default when never asked) and its version (0: none stored).
fn load(tx: &dyn WriteTx, tenant: &TenantId, id: &str) -> Result<(CodeLogin, u64), AppError> {
    match tx.record(tenant, CODE_LOGIN, id)? {
        Some(r) => {
            let s = serde_json::from_str(&r.data)
                .map_err(|e| liaison_store::StoreError::Corrupt(format!("code_login {id}: {e}")))?;
            Ok((s, r.version))
        }
        None => Ok((CodeLogin::default(), 0)),
    }
}

/// Apply the events, save the state and audit each event (no code, no hash).
fn persist(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    meta: &Meta,
    id: &str,
    (mut state, version): (CodeLogin, u64),
    events: &[CodeEvent],
    policy: &CodePolicy,
) -> Result<(), AppError> {
    for e in events {
        state.apply(e, policy);
        let payload = match e {
            CodeEvent::Issued { challenge, .. } => serde_json::json!({
                "deputy": challenge.deputy, "expires_at": challenge.expires_at, "sent": challenge.deputy.is_some(),
            }),
            CodeEvent::Verified { deputy } => serde_json::json!({ "deputy": deputy }),
            CodeEvent::Wrong { count } => serde_json::json!({ "wrong": count }),
            CodeEvent::Locked { until } => serde_json::json!({ "until": until }),
        };
        tx.append(tenant, record(meta, e.kind(), CODE_LOGIN, id, payload))?;
    }
    let data =
        serde_json::to_string(&state).map_err(|e| liaison_store::StoreError::Corrupt(e.to_string()))?;
    let row = RecordRow::plain(
        CODE_LOGIN,
        id,
        version + 1,
        state.status(meta.at),
        meta.at.date_naive(),
        data,
        meta.at,
    );
    crate::runner::write_plain_record(tx, tenant, &row, version)
}

impl App {
    /// The code-login limits (the defaults).
    pub fn code_policy(&self) -> CodePolicy {
        CodePolicy::default()
    }

    /// Ask for a login code for a mobile number. The answer is the same for every well-formed number
    /// (`Ok`): a code is drawn, and sent by SMS only when the number is a deputy's with an active deputy
    /// account. Refused, naming the field, when the number is not a mobile number (nothing recorded), and
    /// when the number asked too often (`deputy_login.too_many_requests`) or is locked.
    pub async fn request_login_code(&self, tenant: &TenantId, mobile: &str) -> Result<(), AppError> {
        let m = parse_mobile(mobile)?;
        let keys = self.store().keys();
        let id = number_key(keys, &m);
        let code = zeroize::Zeroizing::new(draw_code()?);
        let hash = code_hash(keys, &id, &code);
        // Every deputy account's number is compared, whatever the number: the same work for every answer.
        let found = self.read(|q| {
            let users = q.users(tenant)?;
            let mut found = None;
            for u in users.iter().filter(|u| u.active && u.roles == [Role::Deputy]) {
                let Some(d) = u.deputy else { continue };
                let Some(deputy) = q.deputy(tenant, d)? else { continue };
                if deputy.status.is_current() && deputy.data.contact.mobile.as_ref() == Some(&m) {
                    found = Some(u.clone());
                }
            }
            Ok(found)
        })?;
        let at = self.now();
        let policy = self.code_policy();
        let message_id = crate::new_id().to_string();
        let sealed = match &found {
            Some(_) => Some(hex::encode(keys.seal(&sealed_aad(tenant, &message_id), code.as_bytes())?)),
            None => None,
        };
        let english = self.message_settings().english;
        let tenant = tenant.clone();
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let meta = actor_meta(found.as_ref(), at);
                let loaded = load(&*tx, &tenant, &id)?;
                let deputy = found.as_ref().and_then(|u| u.deputy);
                let cmd = CodeCommand::Request { code_hash: hash, deputy };
                let events = match loaded.0.decide(&cmd, at, &policy) {
                    Ok(events) => events,
                    Err(e) => return Ok(Outcome::Refused(AppError::rule(e))),
                };
                persist(tx, &tenant, &meta, &id, loaded, &events, &policy)?;
                if let (Some(d), Some(sealed)) = (deputy, sealed) {
                    let minutes = policy.valid_for.num_minutes();
                    let params = serde_json::json!({ "minutes": minutes, "sealed_code": sealed });
                    let text = crate::templates::render(MessageKind::LoginCode, english, &params, None);
                    let message = NewMessage {
                        dedup_key: format!("{}:{message_id}:sms", MessageKind::LoginCode.code()),
                        id: message_id,
                        kind: MessageKind::LoginCode.code().to_owned(),
                        channel: MessageChannel::Sms,
                        recipient: Recipient::Deputy(d),
                        subject: text.subject,
                        body: text.body,
                        template: Some(MessageKind::LoginCode.code().to_owned()),
                        params: Some(params.to_string()),
                        item_type: CODE_LOGIN.to_owned(),
                        item_id: id.clone(),
                        created_at: at,
                        not_before: None,
                    };
                    tx.enqueue_message(&tenant, &message)?;
                }
                Ok(Outcome::Done(()))
            })
            .await?;
        settle(outcome)
    }

    /// Enter a login code for a mobile number. Right and in time: a deputy session begins, active at once
    /// (`auth.session_started`, factor `sms_code`). Wrong, expired or for a number that is no deputy's:
    /// `login.code_wrong` (field `code`), counted; the fifth in a row locks the number for 15 minutes
    /// (`deputy_login.locked`). A code that is not six digits is refused naming the field, nothing counted.
    pub async fn verify_login_code(
        &self,
        tenant: &TenantId,
        mobile: &str,
        code: &str,
    ) -> Result<DeputyLogin, AppError> {
        let m = parse_mobile(mobile)?;
        let code = code.trim();
        if code.len() != liaison_core::login::code::CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::Invalid(vec![liaison_core::FieldError {
                field: "code".into(),
                code: "deputy_login.code_format",
                message_zh: "验证码应为 6 位数字".into(),
                message_en: "the code is 6 digits".into(),
            }]));
        }
        let keys = self.store().keys();
        let id = number_key(keys, &m);
        let hash = code_hash(keys, &id, code);
        let (cookie_id, cookie) = new_cookie()?;
        let csrf = random_hex(32)?;
        let (at, policy) = (self.now(), self.code_policy());
        let tenant = tenant.clone();
        let outcome = self
            .write(move |tx: &mut dyn WriteTx| {
                let loaded = load(&*tx, &tenant, &id)?;
                let users = tx.users(&tenant)?;
                let owner = loaded.0.pending.as_ref().and_then(|c| c.deputy);
                let account = owner.and_then(|d| deputy_account(&users, d)).cloned();
                let meta = actor_meta(account.as_ref(), at);
                let events = match loaded.0.decide(&CodeCommand::Verify { code_hash: hash }, at, &policy) {
                    Ok(events) => events,
                    Err(e) => return Ok(Outcome::Refused(AppError::rule(e))),
                };
                persist(tx, &tenant, &meta, &id, loaded, &events, &policy)?;
                let refusal = events.iter().find_map(|e| match e {
                    CodeEvent::Locked { until } => Some(AppError::rule(CodeError::Locked { until: *until })),
                    _ => None,
                });
                if let Some(r) = refusal {
                    return Ok(Outcome::Refused(r));
                }
                if !events.iter().any(|e| matches!(e, CodeEvent::Verified { .. })) {
                    return Ok(Outcome::Refused(LoginError::CodeWrong.into()));
                }
                // The account was disabled after the code was sent: no session.
                let Some(u) = account else { return Ok(Outcome::Refused(LoginError::Failed.into())) };
                let s = SessionRecord {
                    id: cookie_id,
                    tenant: u.tenant.clone(),
                    user: u.id,
                    csrf,
                    state: Session::begin(Stage::Active, at),
                };
                tx.insert_session(&s, &token_hash(&cookie))?;
                let meta = user_meta(&u, format!("session:{}", s.id), at);
                let payload = serde_json::json!({ "session": s.id, "factors": [Factor::SmsCode.code()] });
                audit(tx, &meta, &u, "auth.session_started", payload)?;
                Ok(Outcome::Done(DeputyLogin { cookie, name: u.display_name.clone() }))
            })
            .await?;
        settle(outcome)
    }

    /// The active session a deputy's cookie names: only a deputy account's (the deputy role alone, with its
    /// deputy); a staff session is refused here as a deputy's is on the staff pages.
    pub async fn deputy_session(&self, cookie: &str) -> Result<StaffSession, AppError> {
        let s = self.session(cookie).await?;
        if s.principal.roles != [Role::Deputy] || s.principal.deputy.is_none() {
            return Err(LoginError::SessionInvalid.into());
        }
        Ok(s)
    }
}

/// What a sealed code is bound to: its message (moved to another message, it does not open).
pub(crate) fn sealed_aad(tenant: &TenantId, message_id: &str) -> Vec<u8> {
    format!("liaison/login_code/v1/{tenant}/{message_id}").into_bytes()
}

/// Open the code sealed in a login-code message's parameters (the SMS sender's alone).
pub(crate) fn open_code(
    keys: &Keys,
    tenant: &TenantId,
    message_id: &str,
    params: &serde_json::Value,
) -> Option<String> {
    let sealed = hex::decode(params.get("sealed_code")?.as_str()?).ok()?;
    let plain = keys.open(&sealed_aad(tenant, message_id), &sealed).ok()?;
    String::from_utf8(plain).ok()
}
