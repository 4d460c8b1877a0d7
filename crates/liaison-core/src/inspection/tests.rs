//! Tests of `inspection`: given/when/then and property tests.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::ids::DepartmentId;
use crate::registry::{DeputyLevel, PersonName};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn signer(n: u128) -> Signer {
    Signer {
        deputy: DeputyId(Uuid::from_u128(n)),
        name: PersonName::parse("王芳").unwrap(),
        level: DeputyLevel::City,
    }
}
fn t(s: &str) -> ShortText {
    ShortText::parse(s).unwrap()
}
fn l(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn dept() -> DepartmentRef {
    DepartmentRef { id: DepartmentId(Uuid::from_u128(1)), name: t("第一检察部") }
}
fn given() -> Inspection {
    Inspection::plan(
        crate::ids::InspectionId(uuid::Uuid::from_u128(1)),
        InspectionKind::Evaluation,
        t("公益诉讼工作评议"),
        t("市人大常委会〔2026〕5号"),
        (d("2026-06-01"), d("2026-06-03")),
        vec![signer(1), signer(2)],
        vec![t("工作报告")],
        vec![t("办案质效"), t("队伍建设")],
        d("2026-05-01"),
    )
    .unwrap()
    .0
}
fn when(i: &mut Inspection, c: InspectionCommand, today: &str) -> Result<(), InspectionError> {
    let before = i.clone();
    match i.decide(c, d(today)) {
        Ok(es) => {
            for e in &es {
                i.apply(e);
            }
            Ok(())
        }
        Err(e) => {
            assert_eq!(*i, before);
            Err(e)
        }
    }
}

#[test]
fn held_scored_rectified_and_reported() {
    assert_eq!(
        Inspection::plan(
            crate::ids::InspectionId(uuid::Uuid::from_u128(99)),
            InspectionKind::Inspection,
            t("x"),
            t("y"),
            (d("2026-06-03"), d("2026-06-01")),
            vec![signer(1)],
            vec![],
            vec![],
            d("2026-05-01"),
        )
        .unwrap_err(),
        InspectionError::Schedule
    );
    let mut i = given();
    assert_eq!(
        when(&mut i, InspectionCommand::Hold, "2026-05-31"),
        Err(InspectionError::NotYet(d("2026-06-01")))
    );
    assert!(matches!(
        when(&mut i, InspectionCommand::Score { deputy: signer(1).deputy, item: 0, score: 90 }, "2026-06-01"),
        Err(InspectionError::IllegalTransition { .. })
    ));
    when(&mut i, InspectionCommand::Hold, "2026-06-01").unwrap();
    assert_eq!(
        when(&mut i, InspectionCommand::Score { deputy: signer(3).deputy, item: 0, score: 90 }, "2026-06-01"),
        Err(InspectionError::NotAParticipant(signer(3).deputy))
    );
    assert_eq!(
        when(&mut i, InspectionCommand::Score { deputy: signer(1).deputy, item: 2, score: 90 }, "2026-06-01"),
        Err(InspectionError::NoItem(2))
    );
    assert_eq!(
        when(
            &mut i,
            InspectionCommand::Score { deputy: signer(1).deputy, item: 0, score: 101 },
            "2026-06-01"
        ),
        Err(InspectionError::ScoreRange)
    );
    when(&mut i, InspectionCommand::Score { deputy: signer(1).deputy, item: 0, score: 90 }, "2026-06-01")
        .unwrap();
    when(&mut i, InspectionCommand::Score { deputy: signer(2).deputy, item: 0, score: 80 }, "2026-06-01")
        .unwrap();
    when(&mut i, InspectionCommand::Score { deputy: signer(2).deputy, item: 1, score: 70 }, "2026-06-01")
        .unwrap();
    let s = i.aggregate();
    assert_eq!(s.by_item[0], ("办案质效".to_owned(), 85.0, 2));
    assert_eq!(s.by_deputy[1].1, 75.0);
    when(
        &mut i,
        InspectionCommand::Opinion { deputy: signer(1).deputy, text: l("加强释法说理") },
        "2026-06-02",
    )
    .unwrap();
    when(
        &mut i,
        InspectionCommand::AddRectification {
            title: t("加强释法说理"),
            owner: dept(),
            deadline: d("2026-09-30"),
        },
        "2026-06-05",
    )
    .unwrap();
    assert_eq!(
        when(&mut i, InspectionCommand::Report { text: l("报告") }, "2026-06-10"),
        Err(InspectionError::RectificationOpen(1))
    );
    when(
        &mut i,
        InspectionCommand::CompleteRectification { n: 1, result: l("制定释法说理工作指引") },
        "2026-08-01",
    )
    .unwrap();
    assert_eq!(
        when(&mut i, InspectionCommand::CompleteRectification { n: 1, result: l("again") }, "2026-08-02"),
        Err(InspectionError::NoOpenRectification(1))
    );
    when(&mut i, InspectionCommand::Report { text: l("整改情况报告") }, "2026-08-10").unwrap();
    assert_eq!(i.status, InspectionStatus::Reported);
    // The stored form round-trips (it is kept as JSON).
    let json = serde_json::to_string(&i).unwrap();
    assert_eq!(serde_json::from_str::<Inspection>(&json).unwrap(), i);
}

#[test]
fn a_rectification_deadline_in_the_past_or_implausible_is_refused() {
    let mut i = given();
    when(&mut i, InspectionCommand::Hold, "2026-06-01").unwrap();
    let add = |deadline| InspectionCommand::AddRectification { title: t("整改"), owner: dept(), deadline };
    let e = when(&mut i, add(d("2026-06-04")), "2026-06-05").unwrap_err();
    assert_eq!(e, InspectionError::DeadlineInPast { deadline: d("2026-06-04"), today: d("2026-06-05") });
    assert!(e.zh().contains("整改期限") && e.is_input(), "{}", e.zh());
    let e = when(&mut i, add(d("2062-06-05")), "2026-06-05").unwrap_err();
    assert!(matches!(&e, InspectionError::Date(x) if x.field == "deadline"), "{e:?}");
    assert!(i.rectifications.is_empty());
    // Today itself is allowed.
    when(&mut i, add(d("2026-06-05")), "2026-06-05").unwrap();
}

#[test]
fn an_implausible_schedule_is_refused_with_its_field() {
    let plan = |from, to| {
        Inspection::plan(
            crate::ids::InspectionId(uuid::Uuid::from_u128(99)),
            InspectionKind::Inspection,
            t("x"),
            t("y"),
            (d(from), d(to)),
            vec![signer(1)],
            vec![],
            vec![],
            d("2026-05-01"),
        )
    };
    assert!(matches!(plan("1926-06-01", "2026-06-01"), Err(InspectionError::Date(e)) if e.field == "from"));
    assert!(matches!(plan("2026-06-01", "2062-06-01"), Err(InspectionError::Date(e)) if e.field == "to"));
}

proptest! {
    /// A rectification item is done only with a recorded result, and the report never precedes the last one.
    #[test]
    fn rectification_closes_only_with_a_result(ops in proptest::collection::vec((0u8..3, 1u32..5), 1..30)) {
        let mut i = given();
        when(&mut i, InspectionCommand::Hold, "2026-06-01").unwrap();
        for (op, n) in ops {
            let c = match op {
                0 => InspectionCommand::AddRectification { title: t("整改"), owner: dept(), deadline: d("2026-12-31") },
                1 => InspectionCommand::CompleteRectification { n, result: l("结果") },
                _ => InspectionCommand::Report { text: l("报告") },
            };
            let _ = when(&mut i, c, "2026-07-01");
            for r in &i.rectifications {
                if let Some((_, result)) = &r.done { prop_assert!(!result.as_str().is_empty()); }
            }
            if i.status == InspectionStatus::Reported {
                prop_assert!(i.rectifications.iter().all(|r| r.done.is_some()));
            }
        }
    }
}
