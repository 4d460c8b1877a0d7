//! Tests of `review`: given/when/then, golden values and property tests.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn dep(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn l(s: &str) -> LongText {
    LongText::parse(s).unwrap()
}
fn given(kind: ReviewKind) -> Review {
    Review::register(
        crate::ids::ReviewId(uuid::Uuid::from_u128(1)),
        ShortText::parse("榕检刑不诉〔2026〕12号").unwrap(),
        kind,
        l("拟作相对不起诉"),
        d("2026-04-01"),
    )
    .0
}
fn when(r: &mut Review, c: ReviewCommand) -> Result<(), ReviewError> {
    let before = r.clone();
    match r.decide(c, d("2026-04-10")) {
        Ok(es) => {
            for e in &es {
                r.apply(e);
            }
            Ok(())
        }
        Err(e) => {
            assert_eq!(*r, before);
            Err(e)
        }
    }
}
fn commit(pool: Vec<DeputyId>, count: usize) -> ReviewCommand {
    ReviewCommand::Commit {
        pool,
        count,
        fingerprint: "fp".into(),
        promise: SeedPromise::Committed { commitment: "c0ffee".into(), reason: None },
        earlier: None,
    }
}
fn drawn(kind: ReviewKind, n: u128, count: usize) -> Review {
    let mut r = given(kind);
    when(&mut r, commit((1..=n).map(dep).collect(), count)).unwrap();
    when(&mut r, ReviewCommand::Draw { seed: [9; 32], reveal: Reveal::Seed { seed_hash: "C0FFEE".into() } })
        .unwrap();
    r
}

/// Issue 11, item 5: a conflict found after the draw: the participant is recused and the next one the
/// same stream draws takes the place; the record shows both, and reproducing the draw from the record
/// gives the drawn list with the replacement.
#[test]
fn a_participant_recused_after_the_draw_is_replaced_from_the_same_stream() {
    let mut r = drawn(ReviewKind::ProposedNonProsecution, 6, 3);
    let first = r.participants.clone();
    let out = first[1];
    when(&mut r, ReviewCommand::RecuseAfterDraw { deputy: out, reason: l("与犯罪嫌疑人系同事") }).unwrap();
    let rec = r.draw.clone().unwrap();
    let more = draw_pool(&rec.pool(), 4);
    assert_eq!(&more[..3], first.iter().map(ToString::to_string).collect::<Vec<_>>().as_slice());
    assert_eq!(rec.replacements[0].replacement, more[3], "the next one the stream draws");
    assert_eq!(rec.replacements[0].out, out.to_string());
    assert_eq!(r.participants.len(), 3);
    assert!(!r.participants.contains(&out) && r.recusals.contains_key(&out));
    assert_eq!(rec.recompute(&[9; 32]).unwrap(), rec.drawn, "the record still reproduces");
    assert_eq!(rec.participants(), r.participants.iter().map(ToString::to_string).collect::<Vec<_>>());
    // Not a participant, already voted, or nobody left: refused, nothing changes.
    assert_eq!(
        when(&mut r, ReviewCommand::RecuseAfterDraw { deputy: out, reason: l("x") }),
        Err(ReviewError::NotAParticipant(out))
    );
    let voter = r.participants[0];
    when(&mut r, ReviewCommand::Vote { deputy: voter, vote: Vote { agree: true, opinion: l("同意") } })
        .unwrap();
    assert_eq!(
        when(&mut r, ReviewCommand::RecuseAfterDraw { deputy: voter, reason: l("x") }),
        Err(ReviewError::AlreadyVoted(voter))
    );
    let mut tight = drawn(ReviewKind::ProposedNonProsecution, 3, 3);
    let p0 = tight.participants[0];
    assert_eq!(
        when(&mut tight, ReviewCommand::RecuseAfterDraw { deputy: p0, reason: l("x") }),
        Err(ReviewError::NoReplacement)
    );
}

fn draw_pool(pool: &lottery::Pool, quota: usize) -> Vec<String> {
    let mut p = pool.clone();
    p.strata[0].quota = quota;
    lottery::draw_pool(&p, &[9; 32]).unwrap()
}

/// Issue 11, item 4: a case planned again after an earlier draw was committed cannot draw before a
/// leader approves with a reason; the approval is on the record.
#[test]
fn planning_a_case_again_after_a_committed_draw_needs_a_leaders_approval() {
    let (mut r, e) = Review::register_again(
        crate::ids::ReviewId(uuid::Uuid::from_u128(2)),
        ShortText::parse("榕检刑不诉〔2026〕12号").unwrap(),
        ReviewKind::ProposedNonProsecution,
        l("拟作相对不起诉"),
        d("2026-04-01"),
        "r1".into(),
    );
    assert!(matches!(e, ReviewEvent::Registered { replans: Some(ref of), .. } if of == "r1"));
    assert_eq!(
        when(&mut r, commit((1..=5).map(dep).collect(), 3)),
        Err(ReviewError::ReplanNotApproved("r1".into()))
    );
    when(
        &mut r,
        ReviewCommand::ApproveReplan {
            by: "检察长".into(),
            reason: l("原定评议日期与庭审冲突"),
            earlier: None,
        },
    )
    .unwrap();
    let a = r.replan.clone().unwrap().approval.unwrap();
    assert_eq!(
        (a.by.as_str(), a.reason.as_str(), a.on),
        ("检察长", "原定评议日期与庭审冲突", d("2026-04-10"))
    );
    assert_eq!(
        when(&mut r, ReviewCommand::ApproveReplan { by: "检察长".into(), reason: l("x"), earlier: None }),
        Err(ReviewError::AlreadyRecorded)
    );
    when(&mut r, commit((1..=5).map(dep).collect(), 3)).unwrap();
    let mut plain = given(ReviewKind::ProposedNonProsecution);
    assert_eq!(
        when(&mut plain, ReviewCommand::ApproveReplan { by: "x".into(), reason: l("x"), earlier: None }),
        Err(ReviewError::NotAReplan)
    );
}

/// Two reviews of one case registered before either was committed: the second cannot be drawn once the
/// first is committed, until a leader approves; a case reference written with other brackets, digits or
/// spaces is the same case.
#[test]
fn a_second_review_of_a_committed_case_waits_for_a_leader_however_it_was_registered() {
    let mut r = given(ReviewKind::ProposedNonProsecution);
    let commit2 = |earlier: Option<&str>| ReviewCommand::Commit {
        pool: (1..=5).map(dep).collect(),
        count: 3,
        fingerprint: "fp".into(),
        promise: SeedPromise::Committed { commitment: "c0ffee".into(), reason: None },
        earlier: earlier.map(str::to_owned),
    };
    assert_eq!(when(&mut r, commit2(Some("r0"))), Err(ReviewError::ReplanNotApproved("r0".into())));
    let approve = |earlier: Option<&str>| ReviewCommand::ApproveReplan {
        by: "检察长".into(),
        reason: l("原评议因故未进行"),
        earlier: earlier.map(str::to_owned),
    };
    assert_eq!(when(&mut r, approve(None)), Err(ReviewError::NotAReplan));
    when(&mut r, approve(Some("r0"))).unwrap();
    assert_eq!(r.replan.as_ref().map(|x| x.of.as_str()), Some("r0"));
    when(&mut r, commit2(Some("r0"))).unwrap();
    assert_eq!(
        r.draw.as_ref().and_then(|d| d.matter.clone()).as_deref(),
        Some("review:proposed_non_prosecution:榕检刑不诉〔2026〕12号")
    );
    for other in ["榕检刑不诉(2026)12号", "榕检刑不诉（2026）１２号", " 榕检刑不诉 〔2026〕12号 "]
    {
        assert_eq!(Review::case_key(other), Review::case_key("榕检刑不诉〔2026〕12号"), "{other}");
    }
    assert_ne!(Review::case_key("榕检刑不诉〔2026〕13号"), Review::case_key("榕检刑不诉〔2026〕12号"));
}

#[test]
fn a_public_value_named_in_advance_seeds_the_draw_only_once_published() {
    let mut r = given(ReviewKind::ProposedNonProsecution);
    let public = |on: &str| ReviewCommand::Commit {
        pool: (1..=5).map(dep).collect(),
        count: 3,
        fingerprint: "fp".into(),
        promise: SeedPromise::Public {
            source: ShortText::parse("中国福利彩票双色球第2026042期开奖号码").unwrap(),
            published_on: d(on),
        },
        earlier: None,
    };
    // Known on the day the pool is fixed (or before): refused, it could steer the pool.
    assert_eq!(
        when(&mut r, public("2026-04-10")),
        Err(ReviewError::Seed(SeedError::PublishedTooEarly(d("2026-04-10"))))
    );
    when(&mut r, public("2026-04-12")).unwrap();
    let value = Reveal::PublicValue { value: ShortText::parse("03 08 15 21 27 33 + 09").unwrap() };
    let draw = |reveal: Reveal| ReviewCommand::Draw { seed: [7; 32], reveal };
    assert_eq!(
        when(&mut r, draw(value.clone())),
        Err(ReviewError::Seed(SeedError::NotYetPublished(d("2026-04-12"))))
    );
    assert_eq!(
        r.decide(draw(Reveal::Seed { seed_hash: "c0ffee".into() }), d("2026-04-12")),
        Err(ReviewError::Seed(SeedError::Mismatch)),
        "a secret seed cannot stand in for the public value"
    );
    let events = r.decide(draw(value), d("2026-04-12")).unwrap();
    for e in &events {
        r.apply(e);
    }
    let rec = r.draw.as_ref().unwrap();
    assert_eq!(rec.public_value.as_deref(), Some("03 08 15 21 27 33 + 09"));
    assert_eq!(rec.drawn, lottery::draw(&rec.strata, &[7; 32]).unwrap());
    assert_eq!(
        ReviewError::Seed(SeedError::NotYetPublished(d("2026-04-12"))).code(),
        "review.public_value_not_yet"
    );
    assert_eq!(lottery::public_value_text("  03 08\t15  "), "03 08 15");
}

#[test]
fn recusal_draw_votes_and_the_committee_when_the_chief_goes_against_the_majority() {
    let mut r = given(ReviewKind::ProposedNonProsecution);
    when(&mut r, ReviewCommand::DeclareRecusal { deputy: dep(2), reason: l("与犯罪嫌疑人系亲属") }).unwrap();
    assert_eq!(
        when(&mut r, commit(vec![dep(1), dep(2), dep(3), dep(4)], 3)),
        Err(ReviewError::RecusedInPool(dep(2)))
    );
    assert_eq!(when(&mut r, commit(vec![dep(1), dep(3), dep(4)], 2)), Err(ReviewError::TooFewParticipants));
    assert_eq!(
        when(&mut r, commit(vec![dep(1), dep(3)], 3)),
        Err(ReviewError::PoolTooSmall { have: 2, count: 3 })
    );
    when(&mut r, commit(vec![dep(1), dep(3), dep(4), dep(5)], 3)).unwrap();
    assert_eq!(
        when(&mut r, ReviewCommand::Draw { seed: [1; 32], reveal: Reveal::Seed { seed_hash: "bad".into() } }),
        Err(ReviewError::Seed(SeedError::Mismatch))
    );
    when(&mut r, ReviewCommand::Draw { seed: [1; 32], reveal: Reveal::Seed { seed_hash: "c0ffee".into() } })
        .unwrap();
    assert!(
        matches!(
            when(
                &mut r,
                ReviewCommand::Draw { seed: [2; 32], reveal: Reveal::Seed { seed_hash: "c0ffee".into() } }
            ),
            Err(ReviewError::IllegalTransition { .. })
        ),
        "one draw per commitment"
    );
    assert_eq!(r.participants.len(), 3);
    assert!(!r.participants.contains(&dep(2)));
    let ps = r.participants.clone();
    assert_eq!(
        when(&mut r, ReviewCommand::ChiefDecide { agree: true, text: l("不起诉") }),
        Err(ReviewError::VotesOutstanding(3))
    );
    for (i, p) in ps.iter().enumerate() {
        when(&mut r, ReviewCommand::Vote { deputy: *p, vote: Vote { agree: i == 0, opinion: l("意见") } })
            .unwrap();
    }
    assert_eq!(
        when(&mut r, ReviewCommand::Vote { deputy: ps[0], vote: Vote { agree: true, opinion: l("x") } }),
        Err(ReviewError::AlreadyVoted(ps[0]))
    );
    // The majority objects; the chief agrees with the proposed handling: the committee must decide.
    when(&mut r, ReviewCommand::ChiefDecide { agree: true, text: l("决定不起诉") }).unwrap();
    assert_eq!(r.status, ReviewStatus::AwaitingCommittee);
    assert!(
        matches!(
            when(&mut r, ReviewCommand::Notify { text: l("x") }),
            Err(ReviewError::IllegalTransition { .. })
        ),
        "the committee step cannot be skipped"
    );
    when(
        &mut r,
        ReviewCommand::CommitteeDecide {
            agree: true,
            text: l("维持不起诉"),
            explanation: l("证据不足以认定犯罪情节严重"),
        },
    )
    .unwrap();
    assert_eq!(r.status, ReviewStatus::AwaitingEscalation);
    when(&mut r, ReviewCommand::Escalate { reference: ShortText::parse("榕检报〔2026〕3号").unwrap() })
        .unwrap();
    when(&mut r, ReviewCommand::Notify { text: l("经检委会决定并报上级院，维持不起诉决定") }).unwrap();
    assert_eq!(r.status, ReviewStatus::Notified);
}

#[test]
fn a_committee_observation_may_draw_fewer_and_the_recorded_draw_reproduces() {
    let r = drawn(ReviewKind::CommitteeObservation, 6, 2);
    let d = r.draw.clone().unwrap();
    let seed = lottery::parse_seed(d.seed.as_deref().unwrap()).unwrap();
    assert_eq!(lottery::draw(&d.strata, &seed).unwrap(), d.drawn, "anyone can reproduce it from the record");
}

proptest! {
    /// Whatever the pool, recusals and votes: no recused deputy is ever drawn; the drawn come from the
    /// pool; when the chief goes against the majority the committee's decision is on record before the
    /// participants are told.
    #[test]
    fn review_invariants(n in 3u128..12, recused in proptest::collection::btree_set(1u128..12, 0..4), count in 3usize..6, votes in proptest::collection::vec(any::<bool>(), 12), chief in any::<bool>(), committee in any::<bool>(), seed in any::<[u8; 32]>()) {
        let mut r = given(ReviewKind::ArrestObjection);
        for x in &recused {
            when(&mut r, ReviewCommand::DeclareRecusal { deputy: dep(*x), reason: l("亲属") }).unwrap();
        }
        let pool: Vec<DeputyId> = (1..=n).filter(|x| !recused.contains(x)).map(dep).collect();
        if when(&mut r, commit(pool.clone(), count)).is_err() {
            prop_assert!(pool.len() < count);
            return Ok(());
        }
        when(&mut r, ReviewCommand::Draw { seed, reveal: Reveal::Seed { seed_hash: "c0ffee".into() } }).unwrap();
        prop_assert_eq!(r.participants.len(), count);
        for p in &r.participants {
            prop_assert!(pool.contains(p));
            prop_assert!(!r.recusals.contains_key(p));
        }
        for (i, p) in r.participants.clone().iter().enumerate() {
            when(&mut r, ReviewCommand::Vote { deputy: *p, vote: Vote { agree: votes[i], opinion: l("意见") } }).unwrap();
        }
        when(&mut r, ReviewCommand::ChiefDecide { agree: chief, text: l("决定") }).unwrap();
        let _ = when(&mut r, ReviewCommand::CommitteeDecide { agree: committee, text: l("决定"), explanation: l("说明") });
        let _ = when(&mut r, ReviewCommand::Escalate { reference: ShortText::parse("报").unwrap() });
        let told = when(&mut r, ReviewCommand::Notify { text: l("结果") }).is_ok();
        prop_assert!(told);
        if Some(chief) != r.majority_agrees {
            prop_assert!(r.committee.is_some(), "the committee step was skipped");
            if r.committee.as_ref().map(|c| c.0) != r.majority_agrees {
                prop_assert!(r.escalation.is_some());
            }
        }
    }
}

/// The stored names of a review's statuses and events, the words shown for its statuses, the matter bound
/// into the draw, and a tie that is no majority (issue 22: none was pinned).
#[test]
fn names_codes_the_matter_and_a_tie_are_pinned() {
    let mut r = given(ReviewKind::ProposedNonProsecution);
    assert_eq!(r.matter(), "review:proposed_non_prosecution:榕检刑不诉〔2026〕12号");
    let mut kinds = vec![
        Review::register(
            crate::ids::ReviewId(uuid::Uuid::from_u128(3)),
            r.case_ref.clone(),
            r.kind,
            r.summary.clone(),
            r.opened_on,
        )
        .1
        .kind(),
    ];
    let mut statuses = vec![(r.status.code(), r.status.zh())];
    let mut step = |r: &mut Review, c| {
        for e in r.decide(c, d("2026-04-10")).unwrap() {
            r.apply(&e);
            kinds.push(e.kind());
        }
        statuses.push((r.status.code(), r.status.zh()));
    };
    step(&mut r, ReviewCommand::DeclareRecusal { deputy: dep(9), reason: l("亲属") });
    step(&mut r, commit((1..=6).map(dep).collect(), 4));
    step(&mut r, ReviewCommand::Draw { seed: [9; 32], reveal: Reveal::Seed { seed_hash: "c0ffee".into() } });
    let ps = r.participants.clone();
    step(&mut r, ReviewCommand::RecuseAfterDraw { deputy: ps[3], reason: l("同事") });
    let ps = r.participants.clone();
    for (i, p) in ps.iter().enumerate() {
        step(&mut r, ReviewCommand::Vote { deputy: *p, vote: Vote { agree: i < 2, opinion: l("意见") } });
    }
    // Two of four agree: no majority; the chief agreeing goes against it.
    step(&mut r, ReviewCommand::ChiefDecide { agree: true, text: l("决定不起诉") });
    assert_eq!(r.majority_agrees, Some(false));
    step(&mut r, ReviewCommand::CommitteeDecide { agree: true, text: l("维持"), explanation: l("理由") });
    step(&mut r, ReviewCommand::Escalate { reference: ShortText::parse("榕检报〔2026〕3号").unwrap() });
    step(&mut r, ReviewCommand::Notify { text: l("告知") });
    assert_eq!(r.version, 13, "registered as version 1, then one per event");
    assert_eq!(
        kinds,
        [
            "review.registered",
            "review.recusal_declared",
            "review.committed",
            "review.drawn",
            "review.replaced_after_draw",
            "review.voted",
            "review.voted",
            "review.voted",
            "review.voted",
            "review.chief_decided",
            "review.committee_decided",
            "review.escalated",
            "review.notified",
        ]
    );
    statuses.dedup();
    assert_eq!(
        statuses,
        [
            ("registered", "已登记"),
            ("committed", "已公布抽签承诺"),
            ("drawn", "已抽选"),
            ("awaiting_committee", "待检委会决定"),
            ("awaiting_escalation", "待报上级院"),
            ("decided", "已决定"),
            ("notified", "已告知结果"),
        ]
    );
    assert!(ReviewKind::ProposedNonProsecution.by_supervisors());
    assert!(!ReviewKind::CommitteeObservation.by_supervisors());
    let (_, again) = Review::register_again(
        crate::ids::ReviewId(uuid::Uuid::from_u128(4)),
        r.case_ref.clone(),
        r.kind,
        r.summary.clone(),
        r.opened_on,
        "r1".into(),
    );
    assert_eq!(again.kind(), "review.registered");
}

/// Two of three agree: a majority; the chief following it decides without the committee.
#[test]
fn two_of_three_are_a_majority_and_the_chief_following_it_decides() {
    let mut r = drawn(ReviewKind::ProposedNonProsecution, 5, 3);
    for (i, p) in r.participants.clone().iter().enumerate() {
        when(&mut r, ReviewCommand::Vote { deputy: *p, vote: Vote { agree: i != 1, opinion: l("意见") } })
            .unwrap();
    }
    when(&mut r, ReviewCommand::ChiefDecide { agree: true, text: l("决定不起诉") }).unwrap();
    assert_eq!((r.majority_agrees, r.status), (Some(true), ReviewStatus::Decided));
}
