//! Cards, services and solicitations, tested.

use uuid::Uuid;

use super::*;
use crate::registry::{DeputyLevel, PersonName};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn who() -> Signer {
    Signer {
        deputy: DeputyId(Uuid::from_u128(1)),
        name: PersonName::parse("王芳").unwrap(),
        level: DeputyLevel::City,
    }
}

fn org() -> Organisation {
    use crate::organisation::Officer;
    use crate::registry::PersonName;
    let officer = |n: u128, name: &str, active: bool| Officer {
        id: OfficerId(Uuid::from_u128(n)),
        name: PersonName::parse(name).unwrap(),
        department: None,
        regions: Default::default(),
        active,
    };
    let mut o = Organisation::default();
    for x in [officer(1, "林晓", true), officer(2, "陈静", false)] {
        o.officers.insert(x.id, x);
    }
    o
}

#[test]
fn a_card_names_an_officer_of_the_organisation_a_real_number_and_waits_for_the_active_one() {
    let issue = |officer: &str, phone: &str, cards: &[LiaisonCard]| {
        LiaisonCard::issue("LK-2026-0002".into(), who(), (officer, phone), &org(), cards, d("2026-03-01"))
    };
    assert_eq!(issue("张三", "0591-12345678", &[]), Err(ChannelError::UnknownOfficer("张三".into())));
    assert_eq!(issue("陈静", "0591-12345678", &[]), Err(ChannelError::InactiveOfficer("陈静".into())));
    let e = issue("林晓", "abc", &[]).unwrap_err();
    assert_eq!(e, ChannelError::Telephone("abc".into()));
    assert!(e.zh().contains("联系电话") && e.is_input(), "{}", e.zh());
    let first = issue("林晓", "0591 12345678", &[]).unwrap();
    assert_eq!(
        (first.telephone.as_str(), first.officer_id),
        ("0591-12345678", Some(OfficerId(Uuid::from_u128(1))))
    );
    let by_id = issue(&Uuid::from_u128(1).to_string(), "+86 138 0013 8000", &[]).unwrap();
    assert_eq!((by_id.officer.as_str(), by_id.telephone.as_str()), ("林晓", "13800138000"));
    let active = LiaisonCard { number: "LK-2026-0001".into(), ..first };
    let e = issue("林晓", "0591-12345678", std::slice::from_ref(&active)).unwrap_err();
    assert_eq!(e, ChannelError::ActiveCard { deputy: "王芳".into(), number: "LK-2026-0001".into() });
    assert!(e.zh().contains("请先注销"), "{}", e.zh());
    let revoked = active.revoke(d("2026-02-01"), ShortText::parse("遗失").unwrap()).unwrap();
    issue("林晓", "0591-12345678", &[revoked]).unwrap();
    // Cards stored before the officer was checked still read.
    let old = r#"{"number":"LK-2025-0001","deputy":{"deputy":"00000000-0000-0000-0000-000000000001","name":"王芳","level":"city"},"officer":"林晓","telephone":"0591-12345678","issued_on":"2025-01-05","revoked":null}"#;
    assert_eq!(serde_json::from_str::<LiaisonCard>(old).unwrap().officer_id, None);
    assert_eq!(serde_json::from_str::<LiaisonCard>(old).unwrap().version, 1);
}

#[test]
fn cards_services_and_solicitations_follow_their_rules() {
    let c = LiaisonCard {
        number: "LK-2026-0001".into(),
        version: 1,
        deputy: who(),
        officer: ShortText::parse("林晓").unwrap(),
        officer_id: None,
        telephone: ShortText::parse("0591-12345678").unwrap(),
        issued_on: d("2026-01-05"),
        revoked: None,
    };
    let r = c.revoke(d("2026-06-01"), ShortText::parse("调离").unwrap()).unwrap();
    assert_eq!(r.revoke(d("2026-06-02"), ShortText::parse("x").unwrap()), Err(ChannelError::Revoked));
    let s = Service {
        id: crate::ids::ServiceId(uuid::Uuid::from_u128(99)),
        version: 1,
        deputy: who(),
        kind: ServiceKind::PracticalHelp,
        description: LongText::parse("子女入学").unwrap(),
        opened_on: d("2026-03-01"),
        resolved: None,
        deliveries: vec![],
    };
    assert_eq!(s.deliver(d("2026-03-02"), ShortText::parse("简报").unwrap()), Err(ChannelError::WrongKind));
    let done = s.resolve(d("2026-04-01"), LongText::parse("已协调解决").unwrap()).unwrap();
    assert_eq!(done.resolve(d("2026-04-02"), LongText::parse("x").unwrap()), Err(ChannelError::Resolved));
    let sub = Service { kind: ServiceKind::Subscription, ..s };
    assert_eq!(
        sub.deliver(d("2026-03-02"), ShortText::parse("检察简报第1期").unwrap()).unwrap().deliveries.len(),
        1
    );
    let so = Solicitation {
        id: crate::ids::SolicitationId(uuid::Uuid::from_u128(99)),
        version: 1,
        title: ShortText::parse("征求意见").unwrap(),
        content: LongText::parse("请提意见").unwrap(),
        by_forum: false,
        recipients: vec![who().deputy],
        sent_on: d("2026-03-01"),
        responses: vec![],
    };
    let so = so.respond(who().deputy, LongText::parse("加强公开").unwrap(), None).unwrap();
    assert_eq!(
        so.respond(who().deputy, LongText::parse("x").unwrap(), None),
        Err(ChannelError::AlreadyResponded)
    );
    assert_eq!(
        so.respond(DeputyId(Uuid::nil()), LongText::parse("x").unwrap(), None),
        Err(ChannelError::NotARecipient(DeputyId(Uuid::nil())))
    );
}
