//! A deputy's login by the one-use link in a message (issue 17, item 6). The rules are
//! `liaison_core::login::link`'s [`LoginLink`]; this is load → decide → persist → audit.
//!
//! - **Issued by the delivery worker as it sends an e-mail** to a deputy with an active deputy account
//!   (the answer, a feedback reminder, a notice, a draft's invitation, an appointment's or an activity's
//!   result: [`page_of`]): the link exists only in that e-mail, never in a stored body, a list, the CLI,
//!   the API or a log. Its secret (`/deputy/login/<id>.<secret>`, 24 random bytes) is kept only as its
//!   keyed hash, in the one-use links (kind [`LOGIN_LINK`], the landing page as its record, the deputy as
//!   its deputy); a new link for the same deputy and page replaces the unused one (a retried e-mail).
//! - **Redeemed once, in time** (default 24 hours, `LIAISON_LOGIN_LINK_HOURS`): the page's GET only shows a
//!   button (mail scanners fetch links), its POST opens a deputy session exactly as an SMS code does
//!   (`auth.session_started`, factor `login_link`) and lands on the page the message is about.
//! - **Audit**: `auth.login_link_issued` (link id, message, expiry, landing) and `auth.login_link_used`
//!   (link id, session) on the deputy's account; never the secret or its hash. A used, expired or forged
//!   link changes nothing.

use chrono::{DateTime, Utc};
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::login::link::{self, LinkError, LinkPolicy, LoginLink, page_of};
use liaison_core::login::{Factor, Session, Stage};
use liaison_core::message::MessageKind;
use liaison_store::crypto::{random_hex, token_hash};
use liaison_store::{LinkRecord, Queries, SessionRecord, UserRecord, WriteTx};

use super::deputy::deputy_account;
use super::steps::audit;
use super::{DeputyLogin, new_cookie, user_meta};
use crate::{App, AppError};

/// The kind of a login link in the one-use links.
pub const LOGIN_LINK: &str = "deputy_login";

/// What the link's page shows before its button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginLinkForm {
    /// The deputy the link was sent to, by name.
    pub deputy: String,
    /// The last moment it works.
    pub expires_at: DateTime<Utc>,
}

fn not_found() -> AppError {
    AppError::NotFound { what: "login link", id: String::new() }
}

/// A link's refusal: gone (HTTP 410), its stable code `login_link.*`.
fn gone(e: LinkError) -> AppError {
    use liaison_core::Localized;
    AppError::BadFile { code: e.code(), zh: e.zh(), en: e.en() }
}

/// The keyed hash a link is found by (the store's key: a stolen table gives no link).
fn link_hash(app: &App, token: &str) -> String {
    app.store().keys().lookup_hash("deputy_login_link", token)
}

/// The link's state, rebuilt from its row: issued at its creation, for its validity under `policy`.
fn state(r: &LinkRecord, policy: &LinkPolicy) -> Result<LoginLink, AppError> {
    let deputy = crate::input::deputy_id("deputy", &r.deputy_id).map_err(|_| not_found())?;
    // A used row whose time does not read is used all the same.
    let used_at = r
        .used_at
        .as_deref()
        .map(|t| DateTime::parse_from_rfc3339(t).map_or(r.created_at, |t| t.with_timezone(&Utc)));
    Ok(LoginLink {
        deputy,
        issued_at: r.created_at,
        expires_at: r.created_at + policy.valid_for,
        landing: link::landing(&r.record_id).unwrap_or(link::HOME).to_owned(),
        used_at,
    })
}

/// The link of `token` (forged, malformed or of another kind: not found).
fn find(q: &dyn Queries, hash: &str) -> Result<LinkRecord, AppError> {
    q.link_by_hash(hash)?.filter(|l| l.kind == LOGIN_LINK).ok_or_else(not_found)
}

fn well_formed(token: &str) -> Result<&str, AppError> {
    let t = token.trim();
    let ok = t.len() <= 80 && t.split_once('.').is_some_and(|(id, s)| !id.is_empty() && !s.is_empty());
    if ok { Ok(t) } else { Err(not_found()) }
}

impl App {
    /// The login links' validity.
    pub fn link_policy(&self) -> LinkPolicy {
        self.message_settings().login_link
    }

    /// The worker's login link for the deputy an e-mail of `kind` about `item` is for: issued as it sends,
    /// so it exists only in the e-mail; audited by its id (`auth.login_link_issued`). `None` when the
    /// message's kind has no portal page, or the deputy has no active deputy account (or is not in office).
    pub(crate) async fn login_link_for_message(
        &self,
        tenant: &TenantId,
        kind: MessageKind,
        item: &str,
        deputy: DeputyId,
        message: &str,
    ) -> Result<Option<String>, AppError> {
        let Some(page) = page_of(kind, item) else { return Ok(None) };
        let (at, policy) = (self.now(), self.link_policy());
        let link_id = random_hex(8)?;
        let token = zeroize::Zeroizing::new(format!("{link_id}.{}", random_hex(24)?));
        let hash = link_hash(self, &token);
        let (tenant, message) = (tenant.clone(), message.to_owned());
        let issued = self
            .write(move |tx: &mut dyn WriteTx| {
                let users = tx.users(&tenant)?;
                let Some(u) = deputy_account(&users, deputy).cloned() else { return Ok(false) };
                if !tx.deputy(&tenant, deputy)?.is_some_and(|d| d.status.is_current()) {
                    return Ok(false);
                }
                let (state, event) = LoginLink::issue(deputy, &page, at, &policy);
                let revoked =
                    tx.revoke_deputy_links(&tenant, LOGIN_LINK, &state.landing, &deputy.to_string())?;
                let row = LinkRecord {
                    id: link_id.clone(),
                    tenant: tenant.clone(),
                    kind: LOGIN_LINK.into(),
                    record_id: state.landing.clone(),
                    deputy_id: deputy.to_string(),
                    round: 0,
                    created_at: at,
                    expires_on: liaison_core::dates::china_date(state.expires_at).to_string(),
                    used_at: None,
                };
                tx.insert_link(&row, &hash)?;
                let meta = crate::delivery::worker_meta(at, None);
                let payload = serde_json::json!({
                    "link": link_id, "deputy": deputy.0, "message": message, "expires_at": state.expires_at,
                    "landing": state.landing, "revoked": revoked,
                });
                audit(tx, &meta, &u, event.kind(), payload)?;
                Ok(true)
            })
            .await?;
        Ok(issued.then(|| format!("/deputy/login/{}", token.as_str())))
    }

    /// The deputy account a link was sent for (active, the deputy role alone), or not found.
    fn link_account(&self, r: &LinkRecord, deputy: DeputyId) -> Result<UserRecord, AppError> {
        let users = self.read(|q| q.users(&r.tenant))?;
        deputy_account(&users, deputy).cloned().ok_or_else(not_found)
    }

    /// What the link's page shows: whose it is and until when; refused (nothing written) when forged
    /// (not found), used or expired (gone), or its deputy has no active account any more (not found).
    pub fn login_link_form(&self, token: &str) -> Result<LoginLinkForm, AppError> {
        let hash = link_hash(self, well_formed(token)?);
        let r =
            self.read(|q| q.link_by_hash(&hash))?.filter(|l| l.kind == LOGIN_LINK).ok_or_else(not_found)?;
        let s = state(&r, &self.link_policy())?;
        s.check(self.now()).map_err(gone)?;
        let u = self.link_account(&r, s.deputy)?;
        Ok(LoginLinkForm { deputy: u.display_name, expires_at: s.expires_at })
    }

    /// Sign in by the link: the link is spent and a deputy session begins, active at once, in one
    /// transaction (`auth.login_link_used`, `auth.session_started` with factor `login_link`). Returns the
    /// session's cookie and the page to land on. Refused as [`login_link_form`](App::login_link_form) is.
    pub async fn login_by_link(&self, token: &str) -> Result<(DeputyLogin, String), AppError> {
        let hash = link_hash(self, well_formed(token)?);
        let (cookie_id, cookie) = new_cookie()?;
        let csrf = random_hex(32)?;
        let (at, policy) = (self.now(), self.link_policy());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = find(&*tx, &hash)?;
            let mut s = state(&r, &policy)?;
            let used = s.redeem(at).map_err(gone)?;
            let users = tx.users(&r.tenant)?;
            let u = deputy_account(&users, s.deputy).cloned().ok_or_else(not_found)?;
            if !tx.use_link(&r.tenant, &r.id, at)? {
                return Err(gone(LinkError::Used));
            }
            s.apply(&used);
            let session = SessionRecord {
                id: cookie_id,
                tenant: u.tenant.clone(),
                user: u.id,
                csrf,
                state: Session::begin(Stage::Active, at),
            };
            tx.insert_session(&session, &token_hash(&cookie))?;
            let meta = user_meta(&u, format!("session:{}", session.id), at);
            let payload = serde_json::json!({ "link": r.id, "session": session.id, "landing": s.landing });
            audit(tx, &meta, &u, used.kind(), payload)?;
            let payload = serde_json::json!({ "session": session.id, "factors": [Factor::LoginLink.code()] });
            audit(tx, &meta, &u, "auth.session_started", payload)?;
            Ok((DeputyLogin { cookie, name: u.display_name.clone() }, s.landing))
        })
        .await
    }
}
