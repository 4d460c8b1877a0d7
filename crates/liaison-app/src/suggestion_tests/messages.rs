//! Issue 17: the messages a suggestion's events queue (in their own transaction, once), the worker that
//! delivers them to the inbox, retries with backoff, gives up with the reason, and the audited retry.

use std::sync::Mutex;
use std::sync::atomic::Ordering;

use liaison_core::message::{Outcome, Recipient};

use super::World;
use crate::outgoing::Queued;
use crate::tests::rt;
use crate::*;

fn all(w: &World) -> Vec<MessageView> {
    w.app.messages(&w.office, &MessageFilter::default()).unwrap()
}

fn deliver(w: &World, channels: &Channels) -> DeliveryRound {
    rt().block_on(w.app.deliver_due(channels, 100)).unwrap()
}

fn at(w: &World) -> chrono::DateTime<chrono::Utc> {
    w.app.now()
}

fn secs(w: &World, n: i64) {
    w.now.fetch_add(n, Ordering::SeqCst);
}

/// A channel that fails every time, counting its attempts.
struct Down(Mutex<Vec<String>>);

impl Channel for Down {
    fn deliver<'a>(&'a self, m: &'a MessageRecord) -> Sending<'a> {
        Box::pin(async move {
            if let Ok(mut v) = self.0.lock() {
                v.push(m.message.id.clone());
            }
            Outcome::Failed("SMTP 451 暂时不可用".into())
        })
    }
}

#[test]
fn an_assignment_queues_the_handlers_inbox_in_its_own_transaction_and_a_refused_one_queues_nothing() {
    let w = World::new();
    let key = w.file().suggestion.number.unwrap().to_string();
    assert!(all(&w).is_empty(), "filing queues nothing yet");
    // Refused (no such department): nothing written, no message.
    let refused = w.act(
        &w.office,
        &key,
        SuggestionAction::Assign {
            lead: "不存在的部门".into(),
            co_handlers: vec![],
            handler: "dept1".into(),
        },
    );
    assert!(refused.is_err());
    assert!(all(&w).is_empty());
    let v = w.assign(&key, &["第二检察部"]);
    let msgs = all(&w);
    // The handler is the lead department's only account: one message, to it, queued.
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    let m = &msgs[0];
    assert_eq!(
        (m.kind.as_str(), m.state.as_str(), m.channel.as_str()),
        ("suggestion.assigned", "queued", "inbox")
    );
    assert_eq!((m.recipient_kind.as_str(), m.recipient_id.clone()), ("user", w.dept.user.to_string()));
    assert_eq!(m.item, format!("suggestion:{}", v.suggestion.id));
    let by_item = MessageFilter { item: Some(m.item.clone()), ..Default::default() };
    assert_eq!(w.app.messages(&w.office, &by_item).unwrap().len(), 1);
    // Not in the inbox before the worker delivers it; then in the handler's only.
    assert!(w.app.inbox(&w.dept, false).unwrap().is_empty());
    let round = deliver(&w, &Channels::standard(&w.app));
    assert_eq!((round.claimed, round.delivered), (1, 1));
    let inbox = w.app.inbox(&w.dept, true).unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].subject.contains(&key) && inbox[0].body.contains("第一检察部"), "{inbox:?}");
    assert!(w.app.inbox(&w.other_dept, false).unwrap().is_empty(), "the co-handler is not the lead");
    assert_eq!(all(&w)[0].state, "delivered");
    // Read by its recipient only.
    let other = rt().block_on(w.app.mark_read(&w.other_dept, &inbox[0].id));
    assert!(matches!(other, Err(AppError::NotFound { .. })));
    rt().block_on(w.app.mark_read(&w.dept, &inbox[0].id)).unwrap();
    assert!(w.app.inbox(&w.dept, true).unwrap().is_empty());
    assert_eq!(w.app.inbox(&w.dept, false).unwrap().len(), 1);
    // Delivery states are the office's and the system administrator's: not a department's.
    assert!(matches!(w.app.messages(&w.dept, &MessageFilter::default()), Err(AppError::Forbidden { .. })));
}

#[test]
fn an_answer_queues_each_co_signing_deputys_inbox() {
    let w = World::new();
    let key = w.file().suggestion.number.unwrap().to_string();
    w.assign(&key, &[]);
    w.contact(&key, "办前");
    w.answer(&key, "A").unwrap();
    let answered: Vec<_> = all(&w).into_iter().filter(|m| m.kind == "suggestion.answered").collect();
    let mut to: Vec<_> = answered.iter().map(|m| m.recipient_id.clone()).collect();
    let mut want: Vec<_> = w.deputies.iter().map(|(_, p)| p.user.to_string()).collect();
    to.sort();
    want.sort();
    assert_eq!(to, want, "each deputy's account");
    deliver(&w, &Channels::standard(&w.app));
    for (_, p) in &w.deputies {
        let inbox = w.app.inbox(p, true).unwrap();
        assert_eq!(inbox.len(), 1, "{inbox:?}");
        assert!(inbox[0].subject.contains(&key) && inbox[0].body.contains("评价"));
    }
    assert!(w.app.inbox(&w.dept, false).unwrap().iter().all(|m| m.kind != "suggestion.answered"));
}

#[test]
fn a_message_exists_iff_its_transaction_commits_and_the_same_event_queues_it_once() {
    let w = World::new();
    let p = w.office.clone();
    let queued = |fail: bool| {
        let to = Recipient::User(w.dept.user);
        rt().block_on(w.app.change(&p, None, move |run| {
            let m = Queued {
                kind: liaison_core::message::MessageKind::DueSoon,
                recipient: to,
                params: serde_json::json!({}),
            };
            let inbox = liaison_core::message::MessageChannel::Inbox;
            let first = run.queue(("test", "item-1"), "v7", inbox, &m)?;
            let second = run.queue(("test", "item-1"), "v7", inbox, &m)?;
            if fail {
                return Err(AppError::Contract("the event was refused after queuing"));
            }
            Ok((first, second))
        }))
    };
    assert!(queued(true).is_err());
    assert!(all(&w).is_empty(), "rolled back with its transaction");
    assert_eq!(queued(false).unwrap(), (true, false), "once within a transaction");
    assert_eq!(queued(false).unwrap(), (false, false), "once across transactions");
    assert_eq!(all(&w).len(), 1);
}

#[test]
fn the_worker_backs_off_on_a_failing_channel_gives_up_with_the_reason_and_a_retry_requeues_it_audited() {
    let w = World::new();
    let key = w.file().suggestion.number.unwrap().to_string();
    w.assign(&key, &[]);
    let down = std::sync::Arc::new(Down(Mutex::new(vec![])));
    let failing = Channels::new().with(liaison_core::message::MessageChannel::Inbox, down.clone());
    let policy = w.app.retry_policy();
    assert_eq!((policy.base.num_seconds(), policy.max_attempts), (30, 6));

    // First attempt fails: queued again, due 30 s later; not claimed before.
    let t0 = at(&w);
    let r = deliver(&w, &failing);
    assert_eq!((r.claimed, r.retrying), (1, 1));
    let m = &all(&w)[0];
    assert_eq!((m.state.as_str(), m.attempts), ("queued", 1));
    assert_eq!(m.next_attempt_at, Some(t0 + chrono::Duration::seconds(30)));
    assert_eq!(m.last_error.as_deref(), Some("SMTP 451 暂时不可用"));
    secs(&w, 29);
    assert_eq!(deliver(&w, &failing).claimed, 0, "backing off");
    secs(&w, 1);
    deliver(&w, &failing);
    let m = &all(&w)[0];
    assert_eq!(m.attempts, 2);
    assert_eq!(m.next_attempt_at, Some(at(&w) + chrono::Duration::seconds(60)), "doubled");

    // Until the limit: failed, with the reason, and no more attempts.
    for _ in 0..10 {
        secs(&w, 3600);
        deliver(&w, &failing);
    }
    let m = all(&w).remove(0);
    assert_eq!((m.state.as_str(), m.attempts), ("failed", 6));
    assert_eq!(m.last_error.as_deref(), Some("SMTP 451 暂时不可用"));
    assert_eq!(down.0.lock().unwrap().len(), 6, "six attempts, then it stopped");
    let failed = MessageFilter { state: Some("failed".into()), ..Default::default() };
    assert_eq!(w.app.messages(&w.office, &failed).unwrap().len(), 1);

    // A retry needs a reason, and the office's permission; it re-queues, audited with who and why.
    assert!(rt().block_on(w.app.retry_message(&w.office, &m.id, None, None)).is_err());
    let refused = rt().block_on(w.app.retry_message(&w.dept, &m.id, None, Some("重试".into())));
    assert!(matches!(refused, Err(AppError::Forbidden { .. })));
    let v = rt()
        .block_on(w.app.retry_message(&w.office, &m.id, Some(m.version), Some("邮件服务器已恢复".into())))
        .unwrap();
    assert_eq!((v.state.as_str(), v.attempts), ("queued", 0));
    let again = rt().block_on(w.app.retry_message(&w.office, &m.id, None, Some("再试".into()))).unwrap_err();
    assert_eq!(again.code(), "message.not_failed");
    let trail = w.app.read(|q| q.history(&w.office.tenant, &m.id)).unwrap();
    let kinds: Vec<_> = trail.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "message.attempt_failed").count(), 5);
    assert_eq!(kinds[kinds.len() - 2..], ["message.failed", "message.requeued"]);
    let requeued = trail.last().unwrap();
    assert_eq!(requeued.actor_id, w.office.user.to_string());
    assert_eq!(requeued.reason.as_deref(), Some("邮件服务器已恢复"));
    // Delivered once the channel works.
    deliver(&w, &Channels::standard(&w.app));
    assert_eq!(all(&w)[0].state, "delivered");
    assert_eq!(w.app.inbox(&w.dept, true).unwrap().len(), 1);
}

#[test]
fn an_answer_to_a_deputy_without_an_account_is_kept_for_the_deputy_and_read_once_they_have_one() {
    let w = World::new();
    let mut input = demo::generate(5, 11).next().unwrap();
    input.level = "县".into();
    let d = rt().block_on(w.app.register_deputy(&w.office, input, None, None)).unwrap();
    let filed = SuggestionInput {
        title: "关于完善公益诉讼线索移送的建议".into(),
        content: "建议建立线索移送台账。".into(),
        source: "闭会期间".into(),
        received_on: None,
        deputies: vec![w.deputies[0].0.clone(), d.id.to_string()],
    };
    let key =
        rt().block_on(w.app.file_suggestion(&w.office, &filed, None)).unwrap().suggestion.number.unwrap();
    let key = key.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "办前");
    w.answer(&key, "A").unwrap();
    let answered: Vec<_> = all(&w).into_iter().filter(|m| m.kind == "suggestion.answered").collect();
    let kinds: Vec<_> =
        answered.iter().map(|m| (m.recipient_kind.as_str(), m.recipient_id.clone())).collect();
    assert!(kinds.contains(&("deputy", d.id.to_string())), "{kinds:?}");
    assert!(kinds.contains(&("user", w.deputies[0].1.user.to_string())), "{kinds:?}");
    assert_eq!(deliver(&w, &Channels::standard(&w.app)).delivered, 3, "the handler's and both deputies'");
    // The deputy gets an account later: the answer is in its inbox.
    let new = NewUser {
        login: "late".into(),
        display_name: "后开户代表".into(),
        roles: vec!["deputy".into()],
        deputy: Some(d.id.to_string()),
        ..Default::default()
    };
    let late = crate::tests::approved_user(&w.app, &new);
    let inbox = w.app.inbox(&late, true).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(inbox[0].subject.contains(&key));
    rt().block_on(w.app.mark_read(&late, &inbox[0].id)).unwrap();
    assert!(w.app.inbox(&late, true).unwrap().is_empty());
}

/// Catches e-mail.
struct Capture(Mutex<Vec<Mail>>);

impl Mailer for Capture {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            if let Ok(mut v) = self.0.lock() {
                v.push(mail.clone());
            }
            Outcome::Sent
        })
    }
}

fn of_kind(w: &World, kind: &str) -> Vec<MessageView> {
    all(w).into_iter().filter(|m| m.kind == kind).collect()
}

#[test]
fn reminders_reach_the_department_by_email_after_quiet_hours_once_per_stage_and_the_leadership_when_overdue()
{
    use liaison_core::message::{MessageChannel, MessagePolicy, QuietHours};
    let mut w = World::new();
    // Quiet from an hour ago to an hour from now (China time).
    let local = (at(&w) + chrono::Duration::hours(8)).time();
    let quiet =
        QuietHours { start: local - chrono::Duration::hours(1), end: local + chrono::Duration::hours(1) };
    let settings = MessageSettings {
        policy: MessagePolicy { quiet: Some(quiet), ..MessagePolicy::default() },
        outside: vec![MessageChannel::Email],
        ..MessageSettings::default()
    };
    w.app = w.app.clone().with_message_settings(settings);
    let email = ContactInput { email: Some("dept1@example.cn".into()), ..ContactInput::default() };
    let set = rt().block_on(w.app.set_contact(&w.office, "user:dept1", None, &email)).unwrap();
    assert_eq!(set.email.as_deref(), Some("d***@example.cn"), "masked");
    let bad = ContactInput { prefer: Some("pigeon".into()), ..ContactInput::default() };
    let refused = rt().block_on(w.app.set_contact(&w.office, "user:dept1", None, &bad));
    assert!(matches!(&refused, Err(AppError::Invalid(f)) if f[0].field == "prefer"), "{refused:?}");

    let key = w.file().suggestion.number.unwrap().to_string();
    w.assign(&key, &[]);
    let assigned = of_kind(&w, "suggestion.assigned");
    let mail: Vec<_> = assigned.iter().filter(|m| m.channel == "email").collect();
    assert_eq!((assigned.len(), mail.len()), (2, 1), "the inbox and e-mail: {assigned:#?}");
    assert!(
        mail[0].next_attempt_at.unwrap() > at(&w) + chrono::Duration::minutes(50),
        "held until quiet hours end"
    );

    let capture = std::sync::Arc::new(Capture(Mutex::new(vec![])));
    let channels = Channels::standard(&w.app)
        .with(MessageChannel::Email, std::sync::Arc::new(EmailChannel::new(&w.app, capture.clone())));
    deliver(&w, &channels);
    assert!(capture.0.lock().unwrap().is_empty(), "quiet hours");
    secs(&w, 2 * 3600);
    deliver(&w, &channels);
    let sent = capture.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "dept1@example.cn");
    assert!(sent[0].body.contains(&key) && sent[0].body.contains("已交办第一检察部主办"), "{}", sent[0].body);

    // Past the due day: overdue to the department, escalated to the leadership; a second sweep queues
    // nothing new.
    secs(&w, 100 * 86_400);
    assert!(rt().block_on(w.app.sweep_reminders()).unwrap() > 0);
    let overdue = of_kind(&w, "duty.overdue");
    assert!(
        overdue.iter().any(|m| m.channel == "email" && m.recipient_id == w.dept.user.to_string()),
        "{overdue:#?}"
    );
    let escalated = of_kind(&w, "duty.escalated");
    assert!(escalated.iter().all(|m| m.recipient_id == w.leader.user.to_string()) && !escalated.is_empty());
    let count = all(&w).len();
    assert_eq!(rt().block_on(w.app.sweep_reminders()).unwrap(), 0, "once per stage");
    assert_eq!(all(&w).len(), count);
    // A kind switched off is not queued.
    let off = MessageSettings {
        policy: MessagePolicy {
            disabled: MessagePolicy::parse_disabled("suggestion.assigned").unwrap(),
            ..MessagePolicy::default()
        },
        ..MessageSettings::default()
    };
    w.app = w.app.clone().with_message_settings(off);
    let before = of_kind(&w, "suggestion.assigned").len();
    let key2 = w.file().suggestion.number.unwrap().to_string();
    w.assign(&key2, &[]);
    assert_eq!(of_kind(&w, "suggestion.assigned").len(), before);
}

/// Issue 17 (security): the office can have a deputy's rating link sent again, but never sees it. The
/// resend queues the answer message anew for each evaluator who has not rated; nothing it returns, and no
/// message body or trail entry staff can read, carries a link secret.
#[test]
fn the_office_resends_rating_links_through_the_outbox_and_never_sees_one() {
    let w = World::new();
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "before");
    w.answer(&key, "A").unwrap();
    let before = all(&w).iter().filter(|m| m.kind == "suggestion.answered").count();
    let resent =
        rt().block_on(w.app.resend_feedback_links(&w.office, &key, Some("代表称未收到".into()))).unwrap();
    assert_eq!(resent.len(), w.deputies.len(), "{resent:?}");
    assert!(resent.iter().all(|r| r.queued));
    let shown = serde_json::to_string(&resent).unwrap();
    assert!(!shown.contains("/feedback/") && !shown.contains("path"), "{shown}");
    let msgs = all(&w);
    let answered: Vec<_> = msgs.iter().filter(|m| m.kind == "suggestion.answered").collect();
    assert_eq!(answered.len(), before + w.deputies.len(), "one new message per deputy");
    assert!(!serde_json::to_string(&msgs).unwrap().contains("/feedback/"), "no link in the delivery list");
    let history = w.app.suggestion_history(&w.office, &key).unwrap();
    let h = history.iter().find(|h| h.kind == "suggestion.feedback_links_resent").unwrap();
    assert!(h.actor.contains("office") && !h.payload.to_string().contains("/feedback/"), "{h:?}");
    // The inbox copies, once delivered, carry no link either (the worker adds one only to an SMS or e-mail).
    deliver(&w, &Channels::standard(&w.app));
    assert!(!serde_json::to_string(&all(&w)).unwrap().contains("/feedback/"));
}
