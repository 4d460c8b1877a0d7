//! The deputy's timeline: a suggestion (led by one deputy, co-signed by another), a visit, a meeting, an
//! appointment and a major-matter notice appear on the page of each deputy they involve, newest first, with
//! the deputy's part; nobody else's; and only for an account that may read the register.

use liaison_core::ids::DeputyId;

use crate::tests::{approved_user, fixture, rt};
use crate::*;

fn deputy(f: &crate::tests::Fixture, i: usize, name: &str) -> DeputyId {
    let mut input = demo::generate(3, 11).nth(i).unwrap();
    input.name = name.into();
    DeputyId(rt().block_on(f.app.register_deputy(&f.office, input, None, None)).unwrap().id)
}

#[test]
fn a_deputys_timeline_gathers_every_kind_of_record_newest_first() {
    let f = fixture(); // today is 2026-03-10
    let (wang, li, zhang) = (deputy(&f, 0, "王芳"), deputy(&f, 1, "李娜"), deputy(&f, 2, "张伟"));
    let office = &f.office;
    rt().block_on(f.app.change_organisation(
        office,
        OrgInput::AddLeader { name: "张明".into(), title: Some("检察长".into()) },
        None,
        None,
    ))
    .unwrap();
    let leader = approved_user(
        &f.app,
        &NewUser {
            login: "leader".into(),
            display_name: "院领导".into(),
            roles: vec!["leader".into()],
            ..Default::default()
        },
    );
    let s = rt()
        .block_on(f.app.file_suggestion(
            office,
            &SuggestionInput {
                title: "关于加强未成年人检察工作的建议".into(),
                content: "建议在各乡镇设立未成年人保护联络点。".into(),
                source: "闭会期间".into(),
                received_on: Some("2026-03-02".into()),
                deputies: vec![wang.to_string(), li.to_string()],
            },
            None,
        ))
        .unwrap();
    rt().block_on(f.app.record_visit(
        office,
        &VisitInput {
            deputy: wang.to_string(),
            on: "2026-03-04".into(),
            place: "工作单位".into(),
            staff: vec!["联络员林晓".into()],
            notes: "了解履职情况".into(),
            issues: vec![],
        },
    ))
    .unwrap();
    rt().block_on(f.app.plan_meeting(
        office,
        &MeetingInput {
            title: "一季度人大代表座谈会".into(),
            on: "2026-03-20".into(),
            place: "本院第一会议室".into(),
            agenda: vec!["work_report:通报一季度检察工作".into()],
            invite: vec![wang.to_string(), zhang.to_string()],
        },
    ))
    .unwrap();
    rt().block_on(f.app.request_appointment(
        office,
        &AppointmentInput {
            deputy: wang.to_string(),
            official: "检察长".into(),
            channel: "联络卡".into(),
            topic: "反映企业合规问题".into(),
        },
    ))
    .unwrap();
    let n = rt()
        .block_on(f.app.draft_notice(
            office,
            &NoticeInput {
                title: "关于开展公益诉讼专项监督活动的通报".into(),
                content: "本院将于二季度开展专项监督。".into(),
                scope: "chosen".into(),
                values: vec![],
                deputies: vec![wang.to_string()],
                channel: "书面".into(),
            },
        ))
        .unwrap();
    let nid = n.notice.id.to_string();
    rt().block_on(f.app.notice_action(&leader, &nid, None, NoticeAction::Approve {})).unwrap();
    rt().block_on(f.app.notice_action(office, &nid, None, NoticeAction::Send {})).unwrap();

    rt().block_on(f.app.open_service(
        office,
        &ServiceInput {
            deputy: li.to_string(), kind: "困难帮扶".into(), description: "家中老人就医".into()
        },
    ))
    .unwrap();
    rt().block_on(f.app.send_solicitation(
        office,
        &SolicitationInput {
            title: "关于检察建议工作办法的意见征求".into(),
            content: "请提出修改意见。".into(),
            by_forum: false,
            scope: "chosen".into(),
            values: vec![],
            deputies: vec![li.to_string()],
        },
    ))
    .unwrap();

    let t = f.app.deputy_timeline(office, wang).unwrap();
    let got: Vec<(String, &str, &str, Option<&str>)> = t
        .iter()
        .map(|e| (e.on.to_string(), e.kind.as_str(), e.kind_zh.as_str(), e.role_zh.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-03-20".into(), "meeting", "座谈会", Some("受邀")),
            ("2026-03-10".into(), "notice", "重大事项通报", Some("已发送")),
            ("2026-03-10".into(), "appointment", "约见", None),
            ("2026-03-04".into(), "visit", "走访", None),
            ("2026-03-02".into(), "suggestion", "代表建议", Some("领衔提出")),
        ],
        "{t:#?}"
    );
    let sug = &t[4];
    assert_eq!(
        (sug.id.as_str(), sug.number.as_deref()),
        (s.suggestion.id.to_string().as_str(), Some("2026-0001"))
    );
    assert_eq!(sug.title, "关于加强未成年人检察工作的建议");
    assert_eq!(t[2].title, "约见检察长张明：反映企业合规问题");
    assert_eq!(t[3].title, "走访（工作单位）");

    // The co-signer: the suggestion, and the service and the solicitation of their own; the third deputy
    // the meeting only.
    let li_t = f.app.deputy_timeline(office, li).unwrap();
    assert_eq!(
        li_t.iter().map(|e| (e.kind.as_str(), e.title.as_str(), e.role_zh.as_deref())).collect::<Vec<_>>(),
        vec![
            ("solicitation", "关于检察建议工作办法的意见征求", Some("已征求")),
            ("service", "困难帮扶", None),
            ("suggestion", "关于加强未成年人检察工作的建议", Some("联名提出"))
        ]
    );
    let zhang_t = f.app.deputy_timeline(office, zhang).unwrap();
    assert_eq!(zhang_t.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), vec!["meeting"]);

    // The permission of reading the register; an unknown deputy is not found.
    assert!(matches!(f.app.deputy_timeline(&f.admin, wang), Err(AppError::Forbidden { .. })));
    let nobody = DeputyId(uuid::Uuid::from_u128(7));
    assert!(matches!(f.app.deputy_timeline(office, nobody), Err(AppError::NotFound { .. })));

    // The card names the people responsible, never their ids.
    rt().block_on(f.app.change_organisation(
        office,
        OrgInput::AddOfficer { name: "林晓".into(), department: None, regions: vec![] },
        None,
        None,
    ))
    .unwrap();
    rt().block_on(f.app.assign(office, wang, Some("林晓".into()), None, None, None)).unwrap();
    let card = f.app.deputy_card(office, wang).unwrap();
    assert_eq!((card.deputy.name.as_str(), card.officer.as_deref()), ("王芳", Some("林晓")));
    assert!(!card.status_zh.is_empty() && card.department.is_none());
}
