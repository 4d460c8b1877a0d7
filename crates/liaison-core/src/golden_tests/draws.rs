//! The stored forms of the workflows that draw by lottery: activities and case reviews, with their draw
//! records (the seed's promise, the strata, the drawn).

use std::collections::BTreeSet;

use super::*;
use crate::activity::{Activity, ActivityCommand, ActivityKind, Candidate, PlanActivity, Selection, strata};
use crate::ids::{ActivityId, ReviewId};
use crate::lottery::{Reveal, SeedPromise};
use crate::registry::DeputyLevel;
use crate::review::{RegisterReview, Review, ReviewCommand, ReviewKind, Vote};

fn committed() -> SeedPromise {
    SeedPromise::Committed { commitment: "c0ffee".into(), reason: None }
}
fn revealed() -> Reveal {
    Reveal::Seed { seed_hash: "C0FFEE".into() }
}

fn plan_activity(replans: Option<String>, selection: Selection) -> PlanActivity {
    PlanActivity {
        kind: ActivityKind::OpenDay,
        title: short("检察开放日"),
        on: date("2026-04-20"),
        place: short("本院"),
        seats: 2,
        levels: BTreeSet::from([DeputyLevel::City]),
        selection,
        replans,
    }
}

/// Planned again after a cancelled draw, the replan approved, the pool committed, drawn, held, feedback.
#[test]
fn an_activity_pins_its_stored_form_and_events() {
    let lottery = Selection::Lottery { proportional: true };
    let candidates: Vec<Candidate> = (1..=4)
        .map(|n| Candidate {
            deputy: deputy(n),
            level: DeputyLevel::City,
            times_chosen: 0,
            last_chosen: None,
        })
        .collect();
    let today = date("2026-04-10");
    let drawn = Record::<Activity>::create(
        ActivityId(uuid(600)),
        plan_activity(Some("activity:00000000-0000-0000-0000-00000000025f".into()), lottery),
        (),
    )
    .then(
        ActivityCommand::ApproveReplan {
            by: "张明".into(),
            reason: long("原定活动因天气取消"),
            earlier: None,
        },
        today,
    )
    .then(
        ActivityCommand::Commit {
            pool: strata(&candidates, 2, lottery),
            earlier: None,
            fingerprint: "fp-activity-600".into(),
            promise: committed(),
        },
        today,
    )
    .then(ActivityCommand::Draw { seed: [9; 32], reveal: revealed(), earlier: None }, today);
    let first = drawn.state.participants[0];
    let r = drawn.then(ActivityCommand::Hold { attended: BTreeSet::from([first]) }, date("2026-04-20")).then(
        ActivityCommand::Feedback { deputy: first, text: long("活动安排周到，收获很大") },
        date("2026-04-21"),
    );
    assert_eq!(
        r.kinds(),
        [
            "activity.planned",
            "activity.replan_approved",
            "activity.committed",
            "activity.drawn",
            "activity.held",
            "activity.feedback_given"
        ]
    );
    pin(golden!("activity"), &r);
}

#[test]
fn a_cancelled_activity_pins_its_events() {
    let r = Record::<Activity>::create(ActivityId(uuid(601)), plan_activity(None, Selection::Rotation), ())
        .then(ActivityCommand::Cancel { reason: long("天气原因") }, date("2026-04-15"));
    assert_eq!(r.kinds(), ["activity.planned", "activity.cancelled"]);
    pin(golden!("activity.cancelled"), &r);
}

/// An activity stored before replans were recorded: no `replan`.
#[test]
fn an_activity_from_before_replans_still_reads() {
    let a: Activity = read_old(old_form!("activity.before_replans"));
    assert_eq!(a.replan, None);
    assert_eq!((a.status.code(), a.participants.len()), ("held", 2));
}

fn register(id: u128, replans: Option<String>) -> Record<Review> {
    Record::<Review>::create(
        ReviewId(uuid(id)),
        RegisterReview {
            case_ref: short("榕鼓检刑不诉〔2026〕12号"),
            kind: ReviewKind::ProposedNonProsecution,
            summary: long("拟作相对不起诉"),
            on: date("2026-04-01"),
            replans,
        },
        (),
    )
}

/// A recusal, the pool committed and drawn, a participant recused after the draw and replaced, votes, the
/// chief against the majority, the committee, the escalation, the notification.
#[test]
fn a_review_pins_its_stored_form_and_events() {
    let today = date("2026-04-10");
    let drawn = register(800, None)
        .then(ReviewCommand::DeclareRecusal { deputy: deputy(2), reason: long("与犯罪嫌疑人系亲属") }, today)
        .then(
            ReviewCommand::Commit {
                pool: vec![deputy(1), deputy(3), deputy(4), deputy(5)],
                count: 3,
                fingerprint: "fp-review-800".into(),
                promise: committed(),
                earlier: None,
            },
            today,
        )
        .then(ReviewCommand::Draw { seed: [1; 32], reveal: revealed() }, today);
    let out = drawn.state.participants[0];
    let mut r =
        drawn.then(ReviewCommand::RecuseAfterDraw { deputy: out, reason: long("与犯罪嫌疑人系同事") }, today);
    let participants = r.state.participants.clone();
    for (i, p) in participants.iter().enumerate() {
        r = r.then(
            ReviewCommand::Vote { deputy: *p, vote: Vote { agree: i == 0, opinion: long("意见") } },
            today,
        );
    }
    let r = r
        .then(ReviewCommand::ChiefDecide { agree: true, text: long("决定不起诉") }, date("2026-04-12"))
        .then(
            ReviewCommand::CommitteeDecide {
                agree: true,
                text: long("维持不起诉"),
                explanation: long("证据不足以认定犯罪情节严重"),
            },
            date("2026-04-15"),
        )
        .then(ReviewCommand::Escalate { reference: short("榕检报〔2026〕3号") }, date("2026-04-16"))
        .then(
            ReviewCommand::Notify { text: long("经检委会决定并报上级院，维持不起诉决定") },
            date("2026-04-20"),
        );
    assert_eq!(
        r.kinds(),
        [
            "review.registered",
            "review.recusal_declared",
            "review.committed",
            "review.drawn",
            "review.replaced_after_draw",
            "review.voted",
            "review.voted",
            "review.voted",
            "review.chief_decided",
            "review.committee_decided",
            "review.escalated",
            "review.notified"
        ]
    );
    pin(golden!("review"), &r);
}

#[test]
fn a_review_planned_again_pins_its_events() {
    let r = register(801, Some("review:00000000-0000-0000-0000-000000000320".into())).then(
        ReviewCommand::ApproveReplan {
            by: "张明".into(),
            reason: long("前次评议因回避人数不足中止"),
            earlier: None,
        },
        date("2026-04-02"),
    );
    assert_eq!(r.kinds(), ["review.registered", "review.replan_approved"]);
    pin(golden!("review.replanned"), &r);
}

/// A review stored before replans were recorded: no `replan`.
#[test]
fn a_review_from_before_replans_still_reads() {
    let r: Review = read_old(old_form!("review.before_replans"));
    assert_eq!(r.replan, None);
    assert_eq!(r.case_ref.as_str(), "榕鼓检刑不诉〔2026〕12号");
}
