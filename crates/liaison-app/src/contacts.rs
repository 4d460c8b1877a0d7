//! How messages reach a person (issue 17, item 4): the contact preference (auto, sms, email, inbox),
//! opt-out of non-statutory messages, and an account's e-mail address (sealed; deputies' numbers and
//! addresses are the register's). Set by the office (or the system administrator) for anyone, or by a
//! person for themself; audited as `message.contact_changed` with the address masked.

use liaison_core::access::Action;
use liaison_core::message::{ContactPreference, Recipient};
use liaison_core::registry::Email;
use liaison_store::ContactRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::messages::MESSAGE;
use crate::{App, AppError, Principal, record};

/// A change of contact settings; what is left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// `auto` (SMS when a mobile number is on file, else e-mail), `sms`, `email` or `inbox`.
    #[serde(default)]
    pub prefer: Option<String>,
    /// Opt out of non-statutory messages (reminders); the answer to a co-signer is still sent.
    #[serde(default)]
    pub opt_out: Option<bool>,
    /// An account's e-mail address (empty: remove it). A deputy's is the register's.
    #[serde(default)]
    pub email: Option<String>,
}

/// A person's contact settings, as shown (the address masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    /// `user` or `deputy`.
    pub subject_kind: String,
    /// The id.
    pub subject_id: String,
    /// The preference.
    pub prefer: String,
    /// Opted out of non-statutory messages.
    pub opt_out: bool,
    /// An account's address, masked.
    pub email: Option<String>,
    /// Changes so far (0: never set: the defaults).
    pub version: u64,
}

fn view(subject: &Recipient, c: Option<&ContactRecord>) -> ContactView {
    ContactView {
        subject_kind: subject.kind().to_owned(),
        subject_id: subject.id(),
        prefer: c.map_or(ContactPreference::Auto, |c| c.prefer).code().to_owned(),
        opt_out: c.is_some_and(|c| c.opt_out),
        email: c.and_then(|c| c.email_masked.clone()),
        version: c.map_or(0, |c| c.version),
    }
}

impl App {
    /// Whose settings `subject` names: `user:LOGIN` or `deputy:ID`.
    fn contact_subject(&self, p: &Principal, subject: &str) -> Result<Recipient, AppError> {
        let bad =
            || AppError::invalid("subject", &liaison_core::ValueError::OneOf("user:LOGIN or deputy:ID"));
        let (kind, id) = subject.trim().split_once(':').ok_or_else(bad)?;
        match kind {
            "user" => {
                let u = self
                    .read(|q| q.user_by_login(&p.tenant, id.trim()))?
                    .ok_or_else(|| AppError::NotFound { what: "user", id: id.trim().to_owned() })?;
                Ok(Recipient::User(u.id))
            }
            "deputy" => Ok(Recipient::Deputy(crate::input::deputy_id("subject", id)?)),
            _ => Err(bad()),
        }
    }

    fn may_set_contact(p: &Principal, subject: &Recipient) -> Result<(), AppError> {
        let own =
            *subject == Recipient::User(p.user) || p.deputy.is_some_and(|d| *subject == Recipient::Deputy(d));
        if own { Ok(()) } else { p.require(Action::ManageDelivery) }
    }

    /// A person's contact settings (`user:LOGIN` or `deputy:ID`).
    pub fn contact(&self, p: &Principal, subject: &str) -> Result<ContactView, AppError> {
        let s = self.contact_subject(p, subject)?;
        Self::may_set_contact(p, &s)?;
        Ok(view(&s, self.read(|q| q.contact(&p.tenant, &s))?.as_ref()))
    }

    /// Change a person's contact settings; a bad preference or address is refused naming the field, and
    /// nothing changes; refused as stale when the caller saw another version (`expected`, 0: never set).
    pub async fn set_contact(
        &self,
        p: &Principal,
        subject: &str,
        expected: Option<u64>,
        input: &ContactInput,
    ) -> Result<ContactView, AppError> {
        let s = self.contact_subject(p, subject)?;
        Self::may_set_contact(p, &s)?;
        let prefer = input
            .prefer
            .as_deref()
            .map(|x| ContactPreference::parse(x).map_err(|e| AppError::invalid("prefer", &e)))
            .transpose()?;
        let email = match input.email.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(_) if matches!(s, Recipient::Deputy(_)) => {
                return Err(AppError::invalid(
                    "email",
                    &liaison_core::ValueError::OneOf("empty: a deputy's address is the register's"),
                ));
            }
            Some(a) => Some(Some(Email::parse(a).map_err(|e| AppError::invalid("email", &e))?)),
        };
        let opt_out = input.opt_out;
        let (tenant, at) = (p.tenant.clone(), self.now());
        self.change(p, None, move |run| {
            let old = run.q().contact(&tenant, &s)?;
            let seen = old.as_ref().map_or(0, |c| c.version);
            crate::runner::expect_version("contact", &s.id(), seen, expected)?;
            let expected = seen;
            let next = ContactRecord {
                subject: s,
                prefer: prefer.unwrap_or(old.as_ref().map_or(ContactPreference::Auto, |c| c.prefer)),
                opt_out: opt_out.unwrap_or(old.as_ref().is_some_and(|c| c.opt_out)),
                email_masked: match &email {
                    None => old.as_ref().and_then(|c| c.email_masked.clone()),
                    Some(e) => e.as_ref().map(Email::masked),
                },
                updated_at: at,
                version: expected + 1,
            };
            let plain = email.as_ref().map(|e| e.as_ref().map(Email::as_str));
            if !run.tx().save_contact(&tenant, &next, plain, expected)? {
                return Err(AppError::from(liaison_store::StoreError::Conflict {
                    what: "contact",
                    id: s.id(),
                    actual: expected + 1,
                    expected,
                }));
            }
            let payload = serde_json::json!({
                "subject": s, "prefer": next.prefer.code(), "opt_out": next.opt_out, "email": next.email_masked,
            });
            let r = record(run.meta(), "message.contact_changed", MESSAGE, format!("{}:{}", s.kind(), s.id()), payload);
            run.tx().append(&tenant, r)?;
            Ok(view(&s, Some(&next)))
        })
        .await
    }
}
