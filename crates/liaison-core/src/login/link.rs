//! A deputy's login by the one-use link in a message (issue 17, item 6): the delivery worker issues the
//! link as it sends an e-mail to a deputy with an active deputy account; the link opens a deputy session
//! once, within its validity (default 24 hours), and lands on the portal page the message is about. Pure:
//! the caller draws the secret, keeps its keyed hash and passes `now`.
//!
//! ```text
//! issued ──redeem, in time──▶ used (a deputy session begins)
//! issued ──redeem, too late──▶ refused: expired (nothing changes)
//! used ──redeem──▶ refused: used
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ids::DeputyId;
use crate::message::MessageKind;

/// How long a login link works (default 24 hours; the deployment may set 1 hour to 7 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPolicy {
    /// From its sending.
    pub valid_for: Duration,
}

impl Default for LinkPolicy {
    fn default() -> Self {
        Self { valid_for: Duration::hours(24) }
    }
}

impl LinkPolicy {
    /// A policy of `hours`, checked: 1 to 168 hours.
    pub fn hours(hours: u32) -> Result<Self, LinkError> {
        if !(1..=168).contains(&hours) {
            return Err(LinkError::Policy);
        }
        Ok(Self { valid_for: Duration::hours(i64::from(hours)) })
    }
}

/// One login link, as issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLink {
    /// The deputy it was sent to.
    pub deputy: DeputyId,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// The last moment it works.
    pub expires_at: DateTime<Utc>,
    /// The portal page to land on (a safe path: see [`landing`]).
    pub landing: String,
    /// When it was used.
    pub used_at: Option<DateTime<Utc>>,
}

/// What happened to a link (each recorded; none carries the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkEvent {
    /// Issued into one message.
    Issued {
        /// The deputy.
        deputy: DeputyId,
        /// The last moment it works.
        expires_at: DateTime<Utc>,
    },
    /// Used: a deputy session may begin.
    Used {
        /// When.
        at: DateTime<Utc>,
    },
}

impl LinkEvent {
    /// The stable name of its audit record.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Issued { .. } => "auth.login_link_issued",
            Self::Used { .. } => "auth.login_link_used",
        }
    }
}

/// Why a link was refused (nothing changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Used already.
    #[error("this login link was already used")]
    Used,
    /// Past its validity.
    #[error("this login link has expired")]
    Expired,
    /// A validity outside 1 to 168 hours.
    #[error("login link validity: 1 to 168 hours")]
    Policy,
}

impl LinkError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Used => "login_link.used",
            Self::Expired => "login_link.expired",
            Self::Policy => "login_link.policy",
        }
    }
}

impl Localized for LinkError {
    fn zh(&self) -> String {
        match self {
            Self::Used => "该登录链接已使用过".into(),
            Self::Expired => "该登录链接已过期".into(),
            Self::Policy => "登录链接的有效期应为 1 至 168 小时".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl crate::aggregate::DomainError for LinkError {
    fn code(&self) -> &'static str {
        LinkError::code(self)
    }
    fn is_input(&self) -> bool {
        matches!(self, Self::Policy)
    }
}

impl LoginLink {
    /// A link issued `now` for `deputy`, landing on `landing` (an unsafe path lands on the portal's home).
    pub fn issue(
        deputy: DeputyId,
        landing: &str,
        now: DateTime<Utc>,
        policy: &LinkPolicy,
    ) -> (Self, LinkEvent) {
        let expires_at = now + policy.valid_for;
        let link = Self {
            deputy,
            issued_at: now,
            expires_at,
            landing: self::landing(landing).unwrap_or(HOME).to_owned(),
            used_at: None,
        };
        (link, LinkEvent::Issued { deputy, expires_at })
    }

    /// Redeem the link `now`: `Used`, or refused when used already or past its validity.
    pub fn redeem(&self, now: DateTime<Utc>) -> Result<LinkEvent, LinkError> {
        self.check(now)?;
        Ok(LinkEvent::Used { at: now })
    }

    /// Whether the link still works `now` (the confirmation page asks before the button is shown).
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), LinkError> {
        if self.used_at.is_some() {
            return Err(LinkError::Used);
        }
        if now > self.expires_at {
            return Err(LinkError::Expired);
        }
        Ok(())
    }

    /// Apply an event.
    pub fn apply(&mut self, e: &LinkEvent) {
        if let LinkEvent::Used { at } = e {
            self.used_at = Some(*at);
        }
    }
}

/// The portal's home page.
pub const HOME: &str = "/deputy";

/// `path` when it is a page of the portal (`/deputy` or below it), with nothing that could lead elsewhere:
/// letters, digits, `/`, `-`, `_` only, no `//`, no `..`, at most 200 characters. Else `None` (no open
/// redirect: a scheme, a host, a backslash, a query or an encoded character is refused).
pub fn landing(path: &str) -> Option<&str> {
    let ok = path.len() <= 200
        && (path == HOME || path.starts_with("/deputy/"))
        && !path.contains("//")
        && !path.ends_with('/')
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'));
    ok.then_some(path)
}

/// The portal page a message of `kind` about the item `item` is about (the link lands there), or `None`
/// when the message carries no login link (it is not a deputy's, or the portal has no page for it).
pub fn page_of(kind: MessageKind, item: &str) -> Option<String> {
    let page = match kind {
        MessageKind::Answered | MessageKind::FeedbackReminder => format!("/deputy/suggestions/{item}"),
        MessageKind::NoticeSent => format!("/deputy/notices/{item}"),
        MessageKind::DraftInvited | MessageKind::DraftAnswered => format!("/deputy/drafts/{item}"),
        MessageKind::BodyRating => "/deputy/answers".to_owned(),
        MessageKind::AppointmentScheduled
        | MessageKind::AppointmentRescheduled
        | MessageKind::AppointmentDeclined => "/deputy/appointments".to_owned(),
        // Drawn or chosen in rotation: the activities page, where the deputy confirms or declines; not
        // drawn: the draw's record, which every deputy of the pool may check.
        MessageKind::ActivityDrawn | MessageKind::ActivityRotation => "/deputy/activities".to_owned(),
        MessageKind::ActivityNotDrawn => format!("/deputy/activities/{item}/draw"),
        _ => return None,
    };
    Some(landing(&page).map_or_else(|| HOME.to_owned(), str::to_owned))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).unwrap()
    }

    fn deputy() -> DeputyId {
        DeputyId(uuid::Uuid::from_u128(7))
    }

    #[test]
    fn a_link_works_once_within_its_day() {
        let (mut link, issued) =
            LoginLink::issue(deputy(), "/deputy/notices/abc", at(0), &LinkPolicy::default());
        assert_eq!(issued, LinkEvent::Issued { deputy: deputy(), expires_at: at(24) });
        assert_eq!(link.landing, "/deputy/notices/abc");
        let used = link.redeem(at(23)).unwrap();
        assert_eq!(used.kind(), "auth.login_link_used");
        link.apply(&used);
        assert_eq!(link.redeem(at(23)), Err(LinkError::Used));
    }

    #[test]
    fn a_late_link_is_refused_and_unchanged() {
        let policy = LinkPolicy::hours(2).unwrap();
        let (link, _) = LoginLink::issue(deputy(), HOME, at(0), &policy);
        assert_eq!(link.redeem(at(3)), Err(LinkError::Expired));
        assert_eq!(link.used_at, None);
        assert_eq!(LinkPolicy::hours(0), Err(LinkError::Policy));
        assert_eq!(LinkPolicy::hours(169), Err(LinkError::Policy));
        assert_eq!(LinkError::Expired.code(), "login_link.expired");
    }

    #[test]
    fn only_portal_paths_are_landings() {
        for ok in ["/deputy", "/deputy/suggestions/0193-ab_c", "/deputy/answers"] {
            assert_eq!(landing(ok), Some(ok));
        }
        for bad in [
            "https://evil.example/deputy",
            "//evil.example/deputy",
            "/deputy//evil.example",
            "/deputy/../register",
            "/deputy/%2F%2Fevil",
            "/deputy\\evil",
            "/deputyx",
            "/deputy/x?next=//evil",
            "/register",
            "",
            "/deputy/",
        ] {
            assert_eq!(landing(bad), None, "{bad}");
        }
        let (link, _) = LoginLink::issue(deputy(), "//evil.example", at(0), &LinkPolicy::default());
        assert_eq!(link.landing, HOME);
    }

    #[test]
    fn each_deputy_message_lands_on_its_page() {
        assert_eq!(page_of(MessageKind::Answered, "s1").as_deref(), Some("/deputy/suggestions/s1"));
        assert_eq!(page_of(MessageKind::NoticeSent, "n1").as_deref(), Some("/deputy/notices/n1"));
        assert_eq!(page_of(MessageKind::DraftInvited, "d1").as_deref(), Some("/deputy/drafts/d1"));
        assert_eq!(page_of(MessageKind::AppointmentDeclined, "a").as_deref(), Some("/deputy/appointments"));
        assert_eq!(page_of(MessageKind::NoticeSent, "x/../..").as_deref(), Some(HOME));
        assert_eq!(page_of(MessageKind::ActivityDrawn, "a1").as_deref(), Some("/deputy/activities"));
        assert_eq!(
            page_of(MessageKind::ActivityNotDrawn, "a1").as_deref(),
            Some("/deputy/activities/a1/draw")
        );
        assert_eq!(page_of(MessageKind::ActivityDeclined, "a1"), None, "told to the office, not a deputy");
        assert_eq!(page_of(MessageKind::Assigned, "s1"), None);
        assert_eq!(page_of(MessageKind::LoginCode, "s1"), None);
    }
}
