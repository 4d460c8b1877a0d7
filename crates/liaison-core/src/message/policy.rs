//! What a deployment sends (issue 17, item 3): the kinds of message, which of them are statutory (sent even
//! to a deputy who opted out), a recipient's contact preference, and quiet hours (a message queued in them
//! waits until they end). Pure: the time is an argument.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ValueError;

/// What a message is about. Each kind can be switched off per deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageKind {
    /// A suggestion was assigned (or re-assigned) to a handler and its lead department (新交办).
    Assigned,
    /// A suggestion's answer, to each co-signing deputy, with the deputy's own feedback link (答复).
    Answered,
    /// A duty falls due within the deployment's days (临期提醒).
    DueSoon,
    /// A duty is overdue (逾期提醒), to its department and handler.
    Overdue,
    /// An overdue duty, escalated to the leadership (逾期督办).
    Escalated,
    /// An approval waits for a leader (待审批).
    ApprovalWaiting,
    /// A deputy's feedback window closes soon (评价提醒).
    FeedbackReminder,
    /// A deputy is invited to co-sign a draft suggestion, or asked again after an edit (联名邀请).
    DraftInvited,
    /// Every co-signer invited to a draft has answered: to its lead (联名答复齐备).
    DraftAnswered,
    /// A major-matter notice (重大事项通报, R2), to each recipient deputy, with the deputy's own one-click
    /// acknowledgement link.
    NoticeSent,
    /// A published answer, to each deputy of its audience, with the deputy's own one-use rating link
    /// (公开答复评议, R1b).
    BodyRating,
    /// A deputy's appointment is set: when and where (约见已安排).
    AppointmentScheduled,
    /// A deputy's appointment moved to another time or place (约见改期).
    AppointmentRescheduled,
    /// A deputy's appointment is declined, with the reason and the alternative offered (约见未能安排).
    AppointmentDeclined,
    /// A deputy was drawn by lot for an activity (活动抽签：抽中).
    ActivityDrawn,
    /// A deputy of an activity's pool was not drawn (活动抽签：未抽中).
    ActivityNotDrawn,
    /// A deputy was chosen in rotation for an activity (活动轮流选定).
    ActivityRotation,
    /// A participant declined an activity (活动谢绝): to the liaison office, whose seat is now free.
    ActivityDeclined,
    /// A deputy's one-time login code (登录验证码), by SMS to the registered mobile only: sent at once (no
    /// quiet hours, no opt-out, never switched off), its code sealed in the queue and opened only by the
    /// sender, never in a stored body.
    LoginCode,
    /// A deputy's suggestion went to the competent procuratorate (建议转办), with the reason: statutory, as
    /// a reroute's notice is — the deputy must know who handles it now.
    SuggestionTransferred,
}

impl MessageKind {
    /// Every kind.
    pub const ALL: [Self; 20] = [
        Self::Assigned,
        Self::Answered,
        Self::DueSoon,
        Self::Overdue,
        Self::Escalated,
        Self::ApprovalWaiting,
        Self::FeedbackReminder,
        Self::DraftInvited,
        Self::DraftAnswered,
        Self::NoticeSent,
        Self::BodyRating,
        Self::AppointmentScheduled,
        Self::AppointmentRescheduled,
        Self::AppointmentDeclined,
        Self::ActivityDrawn,
        Self::ActivityNotDrawn,
        Self::ActivityRotation,
        Self::ActivityDeclined,
        Self::LoginCode,
        Self::SuggestionTransferred,
    ];
    /// The stored code (the outbox's `kind`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Assigned => "suggestion.assigned",
            Self::Answered => "suggestion.answered",
            Self::DueSoon => "duty.due_soon",
            Self::Overdue => "duty.overdue",
            Self::Escalated => "duty.escalated",
            Self::ApprovalWaiting => "approval.waiting",
            Self::FeedbackReminder => "feedback.reminder",
            Self::DraftInvited => "draft.invited",
            Self::DraftAnswered => "draft.answered",
            Self::NoticeSent => "notice.sent",
            Self::BodyRating => "publication.rating_invited",
            Self::AppointmentScheduled => "appointment.scheduled",
            Self::AppointmentRescheduled => "appointment.rescheduled",
            Self::AppointmentDeclined => "appointment.declined",
            Self::ActivityDrawn => "activity.drawn",
            Self::ActivityNotDrawn => "activity.not_drawn",
            Self::ActivityRotation => "activity.rotation_pick",
            Self::ActivityDeclined => "activity.declined",
            Self::LoginCode => "auth.login_code",
            Self::SuggestionTransferred => "suggestion.transferred",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Assigned => "建议交办",
            Self::Answered => "建议答复",
            Self::DueSoon => "临期提醒",
            Self::Overdue => "逾期提醒",
            Self::Escalated => "逾期督办",
            Self::ApprovalWaiting => "待审批",
            Self::FeedbackReminder => "评价提醒",
            Self::DraftInvited => "联名邀请",
            Self::DraftAnswered => "联名答复齐备",
            Self::NoticeSent => "重大事项通报",
            Self::BodyRating => "公开答复评议",
            Self::AppointmentScheduled => "约见已安排",
            Self::AppointmentRescheduled => "约见改期",
            Self::AppointmentDeclined => "约见未能安排",
            Self::ActivityDrawn => "活动抽中",
            Self::ActivityNotDrawn => "活动未抽中",
            Self::ActivityRotation => "活动轮流选定",
            Self::ActivityDeclined => "活动谢绝",
            Self::LoginCode => "登录验证码",
            Self::SuggestionTransferred => "建议转办",
        }
    }
    /// Statutory: owed to the deputy by the rules (the answer to every co-signer, a major-matter notice to
    /// each recipient, the outcome of the deputy's own request to meet), so sent even to a deputy who opted
    /// out of other messages.
    pub fn statutory(self) -> bool {
        matches!(
            self,
            Self::Answered
                | Self::SuggestionTransferred
                | Self::LoginCode
                | Self::NoticeSent
                | Self::AppointmentScheduled
                | Self::AppointmentRescheduled
                | Self::AppointmentDeclined
        )
    }
    /// Whether the worker adds the deputy's own one-use link when it sends it by SMS or e-mail (a rating
    /// link, or a notice's acknowledgement link).
    pub fn carries_link(self) -> bool {
        matches!(self, Self::Answered | Self::FeedbackReminder | Self::NoticeSent | Self::BodyRating)
    }
    /// Sent at once and always: a login code is asked for now and works for minutes, so quiet hours do not
    /// hold it and the deployment cannot switch it off.
    pub fn immediate(self) -> bool {
        matches!(self, Self::LoginCode)
    }
}

/// How a recipient prefers to be reached outside the in-app inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    /// SMS when there is a mobile number, else e-mail when there is an address.
    #[default]
    Auto,
    /// SMS only.
    Sms,
    /// E-mail only.
    Email,
    /// The in-app inbox only: no SMS, no e-mail.
    Inbox,
}

impl ContactPreference {
    /// Every preference.
    pub const ALL: [Self; 4] = [Self::Auto, Self::Sms, Self::Email, Self::Inbox];
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Sms => "sms",
            Self::Email => "email",
            Self::Inbox => "inbox",
        }
    }
    /// Parse a code.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        Self::ALL.into_iter().find(|p| p.code() == s.trim()).ok_or(ValueError::OneOf("auto/sms/email/inbox"))
    }
    /// The channel to use besides the inbox, given whether a mobile number and an address are on file:
    /// `None` when none fits.
    pub fn pick(self, has_mobile: bool, has_email: bool) -> Option<super::MessageChannel> {
        use super::MessageChannel as C;
        match self {
            Self::Auto if has_mobile => Some(C::Sms),
            Self::Auto if has_email => Some(C::Email),
            Self::Sms if has_mobile => Some(C::Sms),
            Self::Email if has_email => Some(C::Email),
            _ => None,
        }
    }
}

/// Quiet hours in China time (UTC+8), e.g. 22:00–07:00: an SMS or e-mail queued in them waits until they
/// end. `start == end` means none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// When they begin.
    pub start: NaiveTime,
    /// When they end (the next day when before `start`).
    pub end: NaiveTime,
}

impl QuietHours {
    /// Parse `HH:MM-HH:MM`.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let bad = || ValueError::OneOf("HH:MM-HH:MM (quiet hours, China time)");
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let t = |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| bad());
        Ok(Self { start: t(a)?, end: t(b)? })
    }

    /// When a message queued at `at` may go: `at` itself outside quiet hours, else their end.
    pub fn release(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.start == self.end {
            return at;
        }
        let china = Duration::hours(8);
        let local = at + china;
        let time = local.time();
        let quiet = if self.start < self.end {
            time >= self.start && time < self.end
        } else {
            time >= self.start || time < self.end
        };
        if !quiet {
            return at;
        }
        let day = if self.start > self.end && time >= self.start {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        day.and_time(self.end).and_utc() - china
    }
}

/// What a deployment sends: the kinds switched off, quiet hours, the warning horizon of duties and the SMS
/// length allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePolicy {
    /// Kinds not sent at all.
    pub disabled: BTreeSet<MessageKind>,
    /// Quiet hours for SMS and e-mail (the inbox is silent and never waits).
    pub quiet: Option<QuietHours>,
    /// A duty due within this many working days is reminded (once per stage).
    pub due_soon_working_days: u32,
    /// An SMS may take at most this many segments.
    pub sms_segments: u32,
}

impl Default for MessagePolicy {
    fn default() -> Self {
        Self { disabled: BTreeSet::new(), quiet: None, due_soon_working_days: 5, sms_segments: 2 }
    }
}

impl MessagePolicy {
    /// Whether `kind` is sent.
    pub fn enabled(&self, kind: MessageKind) -> bool {
        kind.immediate() || !self.disabled.contains(&kind)
    }
    /// When an SMS or e-mail queued at `at` may go.
    pub fn release(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.quiet.map_or(at, |q| q.release(at))
    }
    /// Parse a comma-separated list of kinds to switch off (`duty.due_soon,feedback.reminder`).
    pub fn parse_disabled(s: &str) -> Result<BTreeSet<MessageKind>, ValueError> {
        s.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| MessageKind::parse(k).ok_or(ValueError::OneOf(KINDS_TEXT)))
            .collect()
    }
}

/// The kinds' codes, for an error.
pub const KINDS_TEXT: &str = "suggestion.assigned/suggestion.answered/duty.due_soon/duty.overdue/duty.escalated/approval.waiting/feedback.reminder/draft.invited/draft.answered/notice.sent/publication.rating_invited/appointment.scheduled/appointment.rescheduled/appointment.declined/activity.drawn/activity.not_drawn/activity.rotation_pick/activity.declined/auth.login_code/suggestion.transferred";

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(h: u32, m: u32) -> DateTime<Utc> {
        // China time h:m on 2026-03-02 (UTC+8).
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(h, m, 0).unwrap().and_utc()
            - Duration::hours(8)
    }

    #[test]
    fn quiet_hours_over_midnight_hold_a_message_until_they_end() {
        let q = QuietHours::parse("22:00-07:00").unwrap();
        assert_eq!(q.release(utc(12, 0)), utc(12, 0), "daytime: at once");
        assert_eq!(q.release(utc(23, 30)), utc(7, 0) + Duration::days(1), "late evening: next morning");
        assert_eq!(q.release(utc(3, 0)), utc(7, 0), "small hours: this morning");
        assert_eq!(q.release(utc(7, 0)), utc(7, 0), "the end is outside");
        assert_eq!(q.release(utc(22, 0)), utc(7, 0) + Duration::days(1), "the start is inside");
        let noon = QuietHours::parse("12:00-13:30").unwrap();
        assert_eq!(noon.release(utc(12, 10)), utc(13, 30));
        assert_eq!(noon.release(utc(14, 0)), utc(14, 0));
        let none = QuietHours::parse("00:00-00:00").unwrap();
        assert_eq!(none.release(utc(3, 0)), utc(3, 0));
        assert!(QuietHours::parse("22-07").is_err());
    }

    #[test]
    fn kinds_round_trip_and_only_what_is_owed_to_a_deputy_is_statutory() {
        use MessageKind as K;
        let owed = [
            K::Answered,
            K::SuggestionTransferred,
            K::LoginCode,
            K::NoticeSent,
            K::AppointmentScheduled,
            K::AppointmentRescheduled,
            K::AppointmentDeclined,
        ];
        let linked = [K::Answered, K::FeedbackReminder, K::NoticeSent, K::BodyRating];
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.code()), Some(k));
            assert_eq!(k.statutory(), owed.contains(&k), "{k:?}");
            assert_eq!(k.carries_link(), linked.contains(&k), "{k:?}");
            assert_eq!(k.immediate(), k == K::LoginCode, "{k:?}");
            assert!(KINDS_TEXT.split('/').any(|c| c == k.code()), "{k:?} missing from KINDS_TEXT");
        }
        assert_eq!(KINDS_TEXT.split('/').count(), MessageKind::ALL.len());
        let off = MessagePolicy::parse_disabled("duty.due_soon, feedback.reminder").unwrap();
        assert_eq!(off.len(), 2);
        // A login code is sent even when switched off, and at once in quiet hours.
        let p = MessagePolicy {
            disabled: MessagePolicy::parse_disabled("auth.login_code, duty.overdue").unwrap(),
            ..MessagePolicy::default()
        };
        assert!(p.enabled(MessageKind::LoginCode) && !p.enabled(MessageKind::Overdue));
        assert!(MessagePolicy::parse_disabled("duty.soon").is_err());
    }

    #[test]
    fn a_preference_picks_a_channel_that_has_a_contact() {
        use super::super::MessageChannel as C;
        assert_eq!(ContactPreference::Auto.pick(true, true), Some(C::Sms));
        assert_eq!(ContactPreference::Auto.pick(false, true), Some(C::Email));
        assert_eq!(ContactPreference::Auto.pick(false, false), None);
        assert_eq!(ContactPreference::Email.pick(true, false), None);
        assert_eq!(ContactPreference::Inbox.pick(true, true), None);
        assert_eq!(ContactPreference::parse("sms").unwrap(), ContactPreference::Sms);
    }
}
