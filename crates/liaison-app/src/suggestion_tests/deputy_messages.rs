//! Issue 17 items 1–5: what reaches a deputy through the outbox besides an answer — a major-matter notice
//! with the deputy's own acknowledgement link, an invitation to judge a published answer with the deputy's
//! own rating link (never shown to staff), the outcome of an appointment request and the result of an
//! activity's draw — and a notice's delivery table filled from the outbox.

use std::sync::Mutex;

use liaison_core::access::Role;
use liaison_core::message::{MessageChannel, Outcome, RetryPolicy};

use super::*;
use crate::trail::AuditFilter;

/// Catches SMS; fails the first `fail` sends.
struct Phone {
    sent: Mutex<Vec<Sms>>,
    fail: Mutex<u32>,
}

impl SmsGateway for Phone {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a> {
        Box::pin(async move {
            let mut fail = self.fail.lock().unwrap();
            if *fail > 0 {
                *fail -= 1;
                return Outcome::Failed("网关拒绝：isv.BUSINESS_LIMIT_CONTROL".into());
            }
            self.sent.lock().unwrap().push(sms.clone());
            Outcome::Sent
        })
    }
}

/// The world with SMS configured and a public address; the phone and the channels that reach it.
fn with_sms(w: &mut World, fail: u32) -> (Arc<Phone>, Channels) {
    let settings = MessageSettings {
        outside: vec![MessageChannel::Sms],
        public_url: Some("https://lx.example.cn/".into()),
        ..MessageSettings::default()
    };
    w.app = w
        .app
        .clone()
        .with_message_settings(settings)
        .with_retry_policy(RetryPolicy { max_attempts: 1, ..RetryPolicy::default() });
    let phone = Arc::new(Phone { sent: Mutex::new(vec![]), fail: Mutex::new(fail) });
    let channels = Channels::standard(&w.app)
        .with(MessageChannel::Sms, Arc::new(SmsChannel::new(&w.app, phone.clone())));
    (phone, channels)
}

fn deliver(w: &World, channels: &Channels) {
    rt().block_on(w.app.deliver_due(channels, 100)).unwrap();
}

fn of_kind(w: &World, kind: &str) -> Vec<MessageView> {
    let all = w.app.messages(&w.office, &MessageFilter { limit: Some(1000), ..Default::default() }).unwrap();
    all.into_iter().filter(|m| m.kind == kind).collect()
}

/// Every audit record, as text (the audit administrator's view).
fn trail(w: &World) -> String {
    let auditor = Principal { roles: vec![Role::Auditor], ..w.office.clone() };
    let f = AuditFilter { limit: Some(10_000), ..AuditFilter::default() };
    serde_json::to_string(&w.app.audit_records(&auditor, &f).unwrap().items).unwrap()
}

/// The token of the link in an SMS (the part after `marker`).
fn token(sms: &Sms, marker: &str) -> String {
    let link = sms.params["link"].as_str().unwrap();
    assert!(sms.text.ends_with(link), "{}", sms.text);
    link.split(marker).nth(1).unwrap().to_owned()
}

#[test]
fn a_sent_notice_reaches_each_recipient_with_an_acknowledgement_link_only_they_see() {
    let mut w = World::new();
    let (phone, channels) = with_sms(&mut w, 1);
    let input = NoticeInput {
        title: "关于开展公益诉讼专项监督活动的通报".into(),
        content: "本院将于二季度开展专项监督，欢迎代表提出意见。".into(),
        scope: "level".into(),
        values: vec!["县".into(), "乡".into()],
        deputies: vec![],
        channel: "短信".into(),
    };
    let id = rt().block_on(w.app.draft_notice(&w.office, &input)).unwrap().notice.id.to_string();
    let act = |p: &Principal, a: NoticeAction| rt().block_on(w.app.notice_action(p, &id, None, a));
    act(&w.leader, NoticeAction::Approve {}).unwrap();
    assert!(of_kind(&w, "notice.sent").is_empty(), "nothing before it is sent");
    act(&w.office, NoticeAction::Send {}).unwrap();
    // The county and township deputies: each in the inbox of their account and by SMS.
    let queued = of_kind(&w, "notice.sent");
    assert_eq!(queued.len(), 4, "{queued:#?}");
    assert_eq!(queued.iter().filter(|m| m.channel == "sms").count(), 2);
    let table = w.app.notice(&w.office, &id).unwrap().deliveries;
    assert_eq!(table.len(), 2);
    for row in &table {
        assert!(row.name.contains('（') && !row.name.contains(&row.deputy), "by name: {}", row.name);
        let states: Vec<_> = row.messages.iter().map(|m| (m.channel.as_str(), m.state.as_str())).collect();
        assert_eq!(states, [("inbox", "queued"), ("sms", "queued")]);
        assert!(row.acknowledged_on.is_none() && !row.responded);
    }

    // The worker sends: the first SMS fails for good (one attempt allowed), the other carries its link.
    deliver(&w, &channels);
    let sent = phone.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.contains("重大事项通报") && sent[0].text.contains("/ack/"), "{}", sent[0].text);
    let secret = token(&sent[0], "/ack/");
    let table = w.app.notice(&w.office, &id).unwrap().deliveries;
    let sms_states: Vec<(String, Option<String>)> = table
        .iter()
        .map(|r| {
            let m = r.messages.iter().find(|m| m.channel == "sms").unwrap();
            (m.state.clone(), m.error.clone())
        })
        .collect();
    assert!(sms_states.contains(&("sent".into(), None)), "{sms_states:?}");
    assert!(
        sms_states
            .iter()
            .any(|(s, e)| s == "failed" && e.as_deref().is_some_and(|e| e.contains("BUSINESS_LIMIT"))),
        "the failure and its reason: {sms_states:?}"
    );
    assert!(table.iter().all(|r| r.messages[0].state == "delivered"), "the inbox copies: {table:#?}");
    // Staff never see the secret: not the view, the delivery list, the inbox copies or the trail.
    let (link_id, _) = secret.split_once('.').unwrap();
    let staff_view = serde_json::to_string(&w.app.notice(&w.office, &id).unwrap()).unwrap();
    let list = serde_json::to_string(&of_kind(&w, "notice.sent")).unwrap();
    let all_trail = trail(&w);
    for seen in [&staff_view, &list, &all_trail] {
        assert!(!seen.contains(&secret) && !seen.contains("/ack/"), "{seen}");
    }
    assert!(all_trail.contains("notice.ack_link_sent") && all_trail.contains(link_id), "audited by its id");
    for (_, p) in &w.deputies {
        let inbox = serde_json::to_string(&w.app.inbox(p, false).unwrap()).unwrap();
        assert!(!inbox.contains(&secret), "{inbox}");
    }

    // A link of another kind, a forged one and a wrong secret are not found; the rating page refuses it.
    assert!(matches!(w.app.feedback_form(&secret), Err(AppError::NotFound { .. })));
    for bad in ["nope", "abc.def", &format!("{link_id}.{}", "0".repeat(48))] {
        assert!(matches!(w.app.notice_ack_form(bad), Err(AppError::NotFound { .. })), "{bad}");
        assert!(matches!(rt().block_on(w.app.acknowledge_by_link(bad)), Err(AppError::NotFound { .. })));
    }
    let form = w.app.notice_ack_form(&secret).unwrap();
    assert_eq!(form.title, "关于开展公益诉讼专项监督活动的通报");
    assert!(form.content.contains("专项监督") && !form.deputy.is_empty());
    let mine = table.iter().find(|r| r.name.starts_with(&form.deputy)).unwrap().deputy.clone();
    rt().block_on(w.app.acknowledge_by_link(&secret)).unwrap();
    let n = w.app.notice(&w.office, &id).unwrap();
    let deputy = liaison_core::ids::DeputyId::parse(&mine).unwrap();
    assert!(n.notice.recipients[&deputy].acknowledged_on.is_some());
    assert_eq!(n.acknowledged, 1);
    assert!(n.deliveries.iter().any(|r| r.deputy == mine && r.acknowledged_on.is_some()));
    // Once only: the link is spent, and the notice unchanged.
    let again = rt().block_on(w.app.acknowledge_by_link(&secret)).unwrap_err();
    assert_eq!((again.code(), again.kind()), ("notice_link.used", ErrorKind::Gone));
    assert_eq!(w.app.notice_ack_form(&secret).unwrap_err().code(), "notice_link.used");
    assert_eq!(w.app.notice(&w.office, &id).unwrap().notice.version, n.notice.version);
    let trail_after = trail(&w);
    assert!(trail_after.contains("notice.acknowledged") && !trail_after.contains(&secret));

    // The office re-queues the failed SMS: the other deputy gets a link; acknowledged through the account
    // first, the link is refused by the notice's rule and not spent.
    let failed = of_kind(&w, "notice.sent").into_iter().find(|m| m.state == "failed").unwrap();
    rt().block_on(w.app.retry_message(&w.office, &failed.id, Some(failed.version), Some("代表换号".into())))
        .unwrap();
    deliver(&w, &channels);
    let second = token(&phone.sent.lock().unwrap()[1], "/ack/");
    let other = w
        .deputies
        .iter()
        .find(|(d, _)| {
            *d != mine && n.notice.recipients.contains_key(&liaison_core::ids::DeputyId::parse(d).unwrap())
        })
        .unwrap();
    act(&other.1, NoticeAction::Acknowledge { deputy: None }).unwrap();
    let version = w.app.notice(&w.office, &id).unwrap().notice.version;
    for refused in [
        w.app.notice_ack_form(&second).unwrap_err(),
        rt().block_on(w.app.acknowledge_by_link(&second)).unwrap_err(),
    ] {
        assert_eq!(
            (refused.code(), refused.kind()),
            ("notice_link.acknowledged", ErrorKind::Gone),
            "{refused:?}"
        );
    }
    assert_eq!(w.app.notice(&w.office, &id).unwrap().notice.version, version, "nothing written");
    // Past its days a link is refused as expired (before anything else is said of it).
    w.days(NOTICE_LINK_DAYS as i64 + 1);
    assert_eq!(w.app.notice_ack_form(&second).unwrap_err().code(), "notice_link.expired");
}

#[test]
fn a_published_answer_reaches_its_audience_through_the_outbox_and_the_office_sees_counts_only() {
    let mut w = World::new();
    let (phone, channels) = with_sms(&mut w, 0);
    let key = w.file().suggestion.id.to_string();
    w.assign(&key, &[]);
    w.contact(&key, "办前");
    w.answer(&key, "A").unwrap();
    let (city_id, _) = w.reader("city1", "市", 41);
    let (_, _) = w.reader("county1", "县", 42);
    // Not published yet: refused, nothing queued.
    let e = rt().block_on(w.app.send_body_links(&w.office, &key, None)).unwrap_err();
    assert_eq!(e.code(), "suggestion.not_published");
    w.ok(&w.office, &key, SuggestionAction::Publish { scope: "level".into(), values: vec!["市".into()] });
    // Only the office sends them.
    assert!(matches!(
        rt().block_on(w.app.send_body_links(&w.dept, &key, None)),
        Err(AppError::Forbidden { .. })
    ));
    let counts = rt().block_on(w.app.send_body_links(&w.office, &key, Some("公开后征询".into()))).unwrap();
    assert_eq!(counts, BodyLinksQueued { audience: 1, queued: 1, sms: 1, email: 0, inbox_only: 0 });
    let queued = of_kind(&w, "publication.rating_invited");
    assert_eq!(queued.len(), 2, "the city deputy's inbox and SMS: {queued:#?}");
    assert!(queued.iter().all(|m| m.recipient_id == city_id || m.recipient_kind == "user"));
    deliver(&w, &channels);
    let sms: Vec<Sms> = phone
        .sent
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.template == "publication.rating_invited")
        .cloned()
        .collect();
    assert_eq!(sms.len(), 1, "{sms:#?}");
    assert!(sms[0].text.contains("已公开"), "{}", sms[0].text);
    let secret = token(&sms[0], "/feedback/");
    let all_trail = trail(&w);
    assert!(!all_trail.contains(&secret) && all_trail.contains("suggestion.body_link_sent"));
    assert!(all_trail.contains("suggestion.body_links_queued") && all_trail.contains("公开后征询"));
    let form = w.app.feedback_form(&secret).unwrap();
    assert!(form.body);
    rt().block_on(w.app.rate_by_link(&secret, "满意", None)).unwrap();
    // Rated: a second sending queues nothing for the deputy.
    let counts = rt().block_on(w.app.send_body_links(&w.office, &key, None)).unwrap();
    assert_eq!(counts, BodyLinksQueued::default());
    assert_eq!(w.app.notice_ack_form(&secret).unwrap_err().code(), "not_found", "not a notice link");
}

#[test]
fn appointment_outcomes_and_draw_results_reach_the_deputy() {
    let mut w = World::new();
    let (phone, channels) = with_sms(&mut w, 0);
    w.add_leader("张明", "检察长");
    let request = |topic: &str| {
        rt().block_on(w.app.request_appointment(
            &w.office,
            &AppointmentInput {
                deputy: w.deputies[0].0.clone(),
                official: "检察长".into(),
                channel: "联络卡".into(),
                topic: topic.into(),
            },
        ))
        .unwrap()
        .id
        .to_string()
    };
    let a = request("反映企业合规问题");
    let step = |id: &str, action| rt().block_on(w.app.appointment_action(&w.office, id, None, action));
    step(&a, AppointmentAction::Acknowledge {}).unwrap();
    assert!(of_kind(&w, "appointment.scheduled").is_empty(), "an acknowledgement is not an outcome");
    let schedule = |from: &str, to: &str| AppointmentAction::Schedule {
        from: from.into(),
        to: to.into(),
        place: "接待室".into(),
        late_reason: None,
    };
    // Refused (ends before it starts): nothing queued.
    assert!(step(&a, schedule("2026-03-10 11:00", "2026-03-10 09:30")).is_err());
    assert!(of_kind(&w, "appointment.scheduled").is_empty());
    step(&a, schedule("2026-03-10 09:30", "2026-03-10 11:00")).unwrap();
    step(&a, schedule("2026-03-11 14:00", "2026-03-11 15:00")).unwrap();
    let b = request("反映执法问题");
    step(&b, AppointmentAction::Acknowledge {}).unwrap();
    step(
        &b,
        AppointmentAction::Decline {
            reason: "检察长当周在外地参加会议".into(),
            alternative: "由分管副检察长接待".into(),
        },
    )
    .unwrap();
    for kind in ["appointment.scheduled", "appointment.rescheduled", "appointment.declined"] {
        let m = of_kind(&w, kind);
        assert_eq!(m.iter().map(|m| m.channel.as_str()).collect::<Vec<_>>(), ["sms", "inbox"], "{kind}");
    }
    deliver(&w, &channels);
    let inbox = w.app.inbox(&w.deputies[0].1, false).unwrap();
    let text = |kind: &str| inbox.iter().find(|m| m.kind == kind).map(|m| m.body.clone()).unwrap();
    assert!(text("appointment.scheduled").contains("2026-03-10 09:30"));
    assert!(
        text("appointment.rescheduled").contains("已改期")
            && text("appointment.rescheduled").contains("2026-03-11 14:00")
    );
    let declined = text("appointment.declined");
    assert!(declined.contains("在外地参加会议") && declined.contains("分管副检察长"), "{declined}");
    let sms = phone.sent.lock().unwrap().clone();
    assert_eq!(sms.len(), 3);
    assert!(
        sms.iter()
            .all(|s| liaison_core::message::sms::segments(&s.text) <= 2 && s.params.get("link").is_none())
    );

    // A draw of one seat among the three deputies: one told drawn, two told not drawn.
    let id = rt()
        .block_on(w.app.plan_activity(
            &w.office,
            &ActivityInput {
                kind: "检察开放日".into(),
                title: "走进检察院".into(),
                on: "2026-05-20".into(),
                place: "本院".into(),
                seats: 1,
                levels: vec![],
                selection: "lottery".into(),
            },
        ))
        .unwrap()
        .activity
        .id
        .to_string();
    let act = |a: ActivityAction| rt().block_on(w.app.activity_action(&w.office, &id, None, a)).unwrap();
    let seed = act(ActivityAction::Prepare {
        public_source: None,
        published_on: None,
        secret_seed_reason: Some("测试：保密种子".into()),
    })
    .seed
    .unwrap();
    assert!(of_kind(&w, "activity.drawn").is_empty(), "not before the draw");
    let drawn = act(ActivityAction::Draw { seed: Some(seed), public_value: None }).activity.participants;
    let yes = of_kind(&w, "activity.drawn");
    let no = of_kind(&w, "activity.not_drawn");
    assert_eq!((yes.len(), no.len()), (2, 4), "inbox and SMS each");
    let winner = w.deputies.iter().find(|(d, _)| *d == drawn[0].to_string()).unwrap();
    deliver(&w, &channels);
    let mine = w.app.inbox(&winner.1, false).unwrap();
    assert!(mine.iter().any(|m| m.kind == "activity.drawn" && m.body.contains("走进检察院")));
    assert!(mine.iter().all(|m| m.kind != "activity.not_drawn"));
    for (d, p) in w.deputies.iter().filter(|(d, _)| *d != winner.0) {
        let inbox = w.app.inbox(p, false).unwrap();
        assert!(inbox.iter().any(|m| m.kind == "activity.not_drawn"), "{d}: {inbox:?}");
    }
}
