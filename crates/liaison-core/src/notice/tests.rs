//! Tests of R2: every step and refusal of a notice, and the property that a sent notice reaches exactly
//! its audience.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::ids::UserId;
use crate::registry::DeputyLevel;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn dep(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn reader(n: u128, level: DeputyLevel, region: &str) -> Reader {
    Reader { deputy: dep(n), level, region: ShortText::parse(region).unwrap(), delegation: None }
}
fn leader() -> StaffRef {
    StaffRef { user: UserId(Uuid::from_u128(9)), name: "检察长".into() }
}
fn given(audience: NoticeAudience) -> Notice {
    let e = Notice::draft(
        ShortText::parse("关于开展公益诉讼专项活动的通报").unwrap(),
        LongText::parse("本院将开展专项活动。").unwrap(),
        audience,
        Channel::Letter,
        Some(StaffRef { user: UserId(Uuid::from_u128(8)), name: "联络室".into() }),
        d("2026-04-01"),
    )
    .unwrap();
    Notice::from_drafted(NoticeId(uuid::Uuid::from_u128(1)), &e).unwrap()
}
fn when(n: &mut Notice, c: NoticeCommand) -> Result<(), NoticeError> {
    let before = n.clone();
    match n.decide(c, d("2026-04-02")) {
        Ok(es) => {
            for e in &es {
                n.apply(e);
            }
            Ok(())
        }
        Err(e) => {
            assert_eq!(*n, before, "a refusal changed the notice");
            Err(e)
        }
    }
}
fn register() -> Vec<Reader> {
    vec![
        reader(1, DeputyLevel::City, "鼓楼区"),
        reader(2, DeputyLevel::County, "鼓楼区"),
        reader(3, DeputyLevel::County, "台江区"),
    ]
}

#[test]
fn a_notice_is_approved_then_sent_to_its_audience_and_followed_per_deputy() {
    let mut n = given(NoticeAudience::Register { audience: Audience::Levels([DeputyLevel::County].into()) });
    assert!(matches!(
        when(&mut n, NoticeCommand::Send { register: register() }),
        Err(NoticeError::IllegalTransition { .. })
    ));
    when(
        &mut n,
        NoticeCommand::Edit { title: None, content: None, audience: None, channel: Some(Channel::Sms) },
    )
    .unwrap();
    assert_eq!(
        when(
            &mut n,
            NoticeCommand::Edit { title: None, content: None, audience: None, channel: Some(Channel::Sms) }
        ),
        Err(NoticeError::NothingToChange)
    );
    when(&mut n, NoticeCommand::Approve { by: leader() }).unwrap();
    assert!(matches!(
        when(
            &mut n,
            NoticeCommand::Edit {
                title: None,
                content: None,
                audience: None,
                channel: Some(Channel::Letter)
            }
        ),
        Err(NoticeError::IllegalTransition { .. })
    ));
    when(&mut n, NoticeCommand::Send { register: register() }).unwrap();
    assert_eq!(n.recipients.keys().copied().collect::<Vec<_>>(), vec![dep(2), dep(3)]);
    assert_eq!(
        when(&mut n, NoticeCommand::Acknowledge { deputy: dep(1) }),
        Err(NoticeError::NotARecipient(dep(1)))
    );
    when(&mut n, NoticeCommand::RecordDelivery { deputy: dep(2), delivered: true, note: None }).unwrap();
    when(
        &mut n,
        NoticeCommand::RecordDelivery {
            deputy: dep(3),
            delivered: false,
            note: Some(ShortText::parse("号码停机").unwrap()),
        },
    )
    .unwrap();
    when(
        &mut n,
        NoticeCommand::Respond {
            deputy: dep(2),
            text: LongText::parse("建议扩大范围").unwrap(),
            suggestion: None,
        },
    )
    .unwrap();
    assert_eq!(
        when(&mut n, NoticeCommand::Acknowledge { deputy: dep(2) }),
        Err(NoticeError::AlreadyRecorded)
    );
    assert_eq!(n.tally(), (2, 1, 1, 1, 1));
    assert!(NoticeError::NoRecipients.zh().contains("登记簿"));
}

#[test]
fn an_empty_audience_is_refused() {
    let e = Notice::draft(
        ShortText::parse("x").unwrap(),
        LongText::parse("x").unwrap(),
        NoticeAudience::Chosen { deputies: BTreeSet::new() },
        Channel::Email,
        None,
        d("2026-04-01"),
    );
    assert_eq!(e, Err(NoticeError::EmptyAudience));
    let mut n = given(NoticeAudience::Register {
        audience: Audience::Regions([ShortText::parse("马尾区").unwrap()].into()),
    });
    when(&mut n, NoticeCommand::Approve { by: leader() }).unwrap();
    assert_eq!(when(&mut n, NoticeCommand::Send { register: register() }), Err(NoticeError::NoRecipients));
}

proptest! {
    /// An approved notice reaches every deputy of its audience, and nobody else.
    #[test]
    fn a_sent_notice_reaches_exactly_its_audience(levels in proptest::collection::vec(0usize..5, 1..40), pick in proptest::collection::btree_set(0usize..5, 1..4)) {
        let register: Vec<Reader> = levels.iter().enumerate().map(|(i, l)| reader(i as u128 + 1, DeputyLevel::ALL[*l], "鼓楼区")).collect();
        let wanted: BTreeSet<DeputyLevel> = pick.iter().map(|l| DeputyLevel::ALL[*l]).collect();
        let mut n = given(NoticeAudience::Register { audience: Audience::Levels(wanted.clone()) });
        when(&mut n, NoticeCommand::Approve { by: leader() }).unwrap();
        let expected: BTreeSet<DeputyId> = register.iter().filter(|r| wanted.contains(&r.level)).map(|r| r.deputy).collect();
        let r = when(&mut n, NoticeCommand::Send { register: register.clone() });
        if expected.is_empty() {
            prop_assert_eq!(r, Err(NoticeError::NoRecipients));
        } else {
            prop_assert!(r.is_ok());
            prop_assert_eq!(n.recipients.keys().copied().collect::<BTreeSet<_>>(), expected);
        }
    }
}

/// Two people for a notice: the one who drafted it cannot approve it (a leader who is also in the office
/// drafts, another leader approves); a notice drafted before the drafter was recorded is approved as before.
#[test]
fn the_drafter_does_not_approve_their_own_notice() {
    let mut n = given(NoticeAudience::Register { audience: Audience::All });
    let drafter = n.drafted_by.clone().unwrap();
    assert_eq!(when(&mut n, NoticeCommand::Approve { by: drafter }), Err(NoticeError::SelfApproval));
    assert_eq!(n.status, NoticeStatus::Draft);
    assert_eq!(when(&mut n, NoticeCommand::Approve { by: leader() }), Ok(()));
    let mut old = given(NoticeAudience::Register { audience: Audience::All });
    old.drafted_by = None;
    assert_eq!(when(&mut old, NoticeCommand::Approve { by: leader() }), Ok(()));
}
