//! The activity platform (活动平台, C4): activities with seats and eligibility; participants chosen by the
//! verifiable lottery — stratified by level (quotas proportional or equal), and within each level the
//! deputies chosen least often first, so that lottery and rotation combine — or by rotation (least
//! recently chosen first, ties broken by the lottery); attendance and feedback; fairness figures by level.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::ids::ActivityId;
use crate::ids::DeputyId;
use crate::lottery::{self, Apportionment, Pool, Reveal, SeedError, SeedPromise, ShareGroup, Stratum};
use crate::registry::values::{clean, word_enum};
use crate::registry::{DeputyLevel, LongText, ShortText};

word_enum!(
    /// What kind of activity.
    ActivityKind, "open_day/hearing/trial_observation/inspection/forum/research (检察开放日/公开听证/庭审观摩/视察/座谈/调研)", {
    /// 检察开放日.
    OpenDay => "open_day", "检察开放日", ["开放日"];
    /// 公开听证.
    Hearing => "hearing", "公开听证", ["听证"];
    /// 庭审观摩.
    TrialObservation => "trial_observation", "庭审观摩", ["观摩庭审"];
    /// 视察.
    Inspection => "inspection", "视察", [];
    /// 座谈.
    Forum => "forum", "座谈", ["座谈会"];
    /// 调研.
    Research => "research", "调研", [];
});

/// How participants are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Selection {
    /// The lottery, stratified by level: seats split in proportion to the eligible deputies of each level,
    /// or equally; within a level, those chosen least often first.
    Lottery {
        /// Proportional (true) or equal (false) quotas.
        proportional: bool,
    },
    /// Rotation: least recently chosen first (never chosen before all), ties broken by the lottery.
    Rotation,
}

/// An eligible candidate with their history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The deputy.
    pub deputy: DeputyId,
    /// Level.
    pub level: DeputyLevel,
    /// How many times chosen before.
    pub times_chosen: u32,
    /// The last time chosen.
    pub last_chosen: Option<NaiveDate>,
}

/// The pool of a draw: every stratum's candidates are tied on the rule's order. With the lottery, each
/// level's seats are its fixed quota plus, by randomised rounding at the draw, perhaps one more (see
/// [`lottery::split`]): with proportional quotas every deputy of the pool has the same chance of being drawn
/// when nobody was chosen before; within a level those chosen least often fill its seats first.
pub fn strata(candidates: &[Candidate], seats: usize, selection: Selection) -> Pool {
    let mut out = Vec::new();
    match selection {
        Selection::Lottery { proportional } => {
            let sizes: Vec<usize> = DeputyLevel::ALL
                .iter()
                .map(|l| candidates.iter().filter(|c| c.level == *l).count())
                .collect();
            let split = lottery::split(&sizes, seats, proportional);
            let mut groups = Vec::new();
            for (k, l) in DeputyLevel::ALL.iter().enumerate() {
                let mut tiers: BTreeMap<u32, Vec<String>> = BTreeMap::new();
                for c in candidates.iter().filter(|c| c.level == *l) {
                    tiers.entry(c.times_chosen).or_default().push(c.deputy.to_string());
                }
                let mut left = split.fixed[k];
                let mut spare_seen = split.lengths[k] == 0;
                let mut members = Vec::new();
                for (t, mut ids) in tiers {
                    if left == 0 && spare_seen {
                        break;
                    }
                    ids.sort();
                    let take = left.min(ids.len());
                    left -= take;
                    spare_seen |= take < ids.len();
                    members.push(out.len());
                    out.push(Stratum {
                        name: format!("{}/chosen{t}", l.code()),
                        candidates: ids,
                        quota: take,
                    });
                }
                if split.lengths[k] > 0 {
                    groups.push(ShareGroup {
                        name: l.code().to_owned(),
                        length: split.lengths[k],
                        strata: members,
                    });
                }
            }
            let shares = (!groups.is_empty()).then_some(Apportionment { step: split.step, groups });
            return Pool { strata: out, shares, matter: None };
        }
        Selection::Rotation => {
            let mut tiers: BTreeMap<Option<NaiveDate>, Vec<String>> = BTreeMap::new();
            for c in candidates {
                tiers.entry(c.last_chosen).or_default().push(c.deputy.to_string());
            }
            let mut left = seats;
            for (t, mut ids) in tiers {
                if left == 0 {
                    break;
                }
                ids.sort();
                let take = left.min(ids.len());
                left -= take;
                let name = t.map_or_else(|| "never".to_owned(), |d| d.to_string());
                out.push(Stratum { name: format!("last/{name}"), candidates: ids, quota: take });
            }
        }
    }
    Pool::plain(out)
}

/// Where an activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    /// Planned.
    Planned,
    /// The pool and the seed's commitment are recorded.
    Committed,
    /// Participants chosen.
    Selected,
    /// Held; attendance recorded.
    Held,
    /// Cancelled.
    Cancelled,
}

impl ActivityStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Committed => "committed",
            Self::Selected => "selected",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Planned => "计划",
            Self::Committed => "已公布抽签承诺",
            Self::Selected => "已选定",
            Self::Held => "已举办",
            Self::Cancelled => "已取消",
        }
    }
}

/// An activity's recorded draw.
pub type ActivityDraw = crate::lottery::DrawRecord;

/// An activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Activity {
    /// Id.
    pub id: ActivityId,
    /// Version.
    pub version: u64,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: ShortText,
    /// Day.
    pub on: NaiveDate,
    /// Place.
    pub place: ShortText,
    /// Seats for deputies.
    pub seats: u32,
    /// Only these levels (empty: all).
    pub levels: BTreeSet<DeputyLevel>,
    /// How participants are chosen.
    pub selection: Selection,
    /// Status.
    pub status: ActivityStatus,
    /// The draw.
    pub draw: Option<ActivityDraw>,
    /// Participants.
    pub participants: Vec<DeputyId>,
    /// Who attended.
    pub attended: BTreeSet<DeputyId>,
    /// Feedback by participant.
    pub feedback: BTreeMap<DeputyId, LongText>,
    /// Why it was cancelled.
    pub cancelled: Option<LongText>,
    /// Each participant's answer after the draw (confirm, or decline with a reason), as last given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<DeputyId, ActivityReply>,
    /// Planned again after an earlier activity for the same day and kind was cancelled with its draw
    /// committed: no draw before a leader approves, with a reason (shown on the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replan: Option<lottery::Replan>,
}

/// What may be asked of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivityCommand {
    /// Fix the pool and the seed's commitment.
    Commit {
        /// The pool (from [`strata`]).
        pool: Pool,
        /// Another activity of the same matter (kind and day) whose draw was committed already: then this
        /// one re-plans it and needs a leader's approval first.
        earlier: Option<String>,
        /// Fingerprint.
        fingerprint: String,
        /// What is fixed about the seed.
        promise: SeedPromise,
    },
    /// Reveal the seed and draw.
    Draw {
        /// Seed.
        seed: [u8; 32],
        /// What was revealed (checked against the promise).
        reveal: Reveal,
        /// Another activity of the same matter whose committed draw was cancelled or not made yet: then
        /// this draw needs a leader's approval first.
        earlier: Option<String>,
    },
    /// It was held: who attended.
    Hold {
        /// Attended (participants only).
        attended: BTreeSet<DeputyId>,
    },
    /// A participant's feedback.
    Feedback {
        /// Deputy.
        deputy: DeputyId,
        /// Text.
        text: LongText,
    },
    /// Cancel it.
    Cancel {
        /// Why.
        reason: LongText,
    },
    /// A participant answers: confirms or declines (until the day before the activity).
    Answer {
        /// The participant.
        deputy: DeputyId,
        /// The answer.
        answer: ActivityAnswer,
        /// The staff member recording it for the deputy (name), if not the deputy.
        recorded_by: Option<String>,
    },
    /// A leader approves planning it again after the earlier draw was committed.
    ApproveReplan {
        /// The leader (name).
        by: String,
        /// Why.
        reason: LongText,
        /// The other activity of the same matter whose draw was committed, when the plan did not know it.
        earlier: Option<String>,
    },
}

/// What happened to an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActivityEvent {
    /// Planned.
    Planned {
        /// The plan.
        activity: Box<Activity>,
    },
    /// Committed.
    Committed {
        /// Strata.
        strata: Vec<Stratum>,
        /// The seats shared by randomised rounding at the draw.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shares: Option<Apportionment>,
        /// The matter drawn for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matter: Option<String>,
        /// Fingerprint.
        fingerprint: String,
        /// What is fixed about the seed.
        promise: SeedPromise,
    },
    /// Drawn.
    Drawn {
        /// Seed (hex).
        seed: String,
        /// The public value it was derived from, when it came from one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_value: Option<ShortText>,
        /// Drawn.
        drawn: Vec<DeputyId>,
    },
    /// Held.
    Held {
        /// Attended.
        attended: BTreeSet<DeputyId>,
    },
    /// Feedback.
    FeedbackGiven {
        /// Deputy.
        deputy: DeputyId,
        /// Text.
        text: LongText,
    },
    /// Cancelled.
    Cancelled {
        /// Why.
        reason: LongText,
    },
    /// A participant answered (confirmed, or declined with a reason: the seat is free).
    Answered {
        /// The participant.
        deputy: DeputyId,
        /// The answer.
        #[serde(flatten)]
        answer: ActivityAnswer,
        /// On.
        on: NaiveDate,
        /// The staff member who recorded it for the deputy, if not the deputy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recorded_by: Option<String>,
    },
    /// A leader approved planning it again.
    ReplanApproved {
        /// The leader.
        by: String,
        /// Why.
        reason: LongText,
        /// On.
        on: NaiveDate,
        /// The earlier activity of the same matter.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        of: Option<String>,
    },
}

impl ActivityEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Planned { .. } => "activity.planned",
            Self::Committed { .. } => "activity.committed",
            Self::Drawn { .. } => "activity.drawn",
            Self::Held { .. } => "activity.held",
            Self::FeedbackGiven { .. } => "activity.feedback_given",
            Self::Cancelled { .. } => "activity.cancelled",
            Self::Answered { .. } => "activity.answered",
            Self::ReplanApproved { .. } => "activity.replan_approved",
        }
    }
}

impl Activity {
    /// Plan an activity.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        id: ActivityId,
        kind: ActivityKind,
        title: ShortText,
        on: NaiveDate,
        place: ShortText,
        seats: u32,
        levels: BTreeSet<DeputyLevel>,
        selection: Selection,
    ) -> Result<(Self, ActivityEvent), ActivityError> {
        if seats == 0 {
            return Err(ActivityError::NoSeats);
        }
        let a = Self {
            id,
            version: 1,
            kind,
            title,
            on,
            place,
            seats,
            levels,
            selection,
            status: ActivityStatus::Planned,
            draw: None,
            participants: Vec::new(),
            attended: BTreeSet::new(),
            feedback: BTreeMap::new(),
            cancelled: None,
            responses: BTreeMap::new(),
            replan: None,
        };
        Ok((a.clone(), ActivityEvent::Planned { activity: Box::new(a) }))
    }

    /// The plan of an activity for a matter whose other activity (`of`) has a committed draw — not drawn
    /// yet, or cancelled after the commitment: it waits for a leader's approval before its draw.
    pub(crate) fn replanning(mut self, of: String) -> (Self, ActivityEvent) {
        self.replan = Some(lottery::Replan { of, approval: None });
        let e = ActivityEvent::Planned { activity: Box::new(self.clone()) };
        (self, e)
    }

    /// The matter a draw is for, as this record states it, bound into the draw's fingerprint:
    /// `activity:kind:day:seats:levels:selection`.
    pub fn matter(&self) -> String {
        let levels: Vec<&str> = self.levels.iter().map(|l| l.code()).collect();
        let selection = match self.selection {
            Selection::Lottery { proportional: true } => "lottery",
            Selection::Lottery { proportional: false } => "lottery-equal",
            Selection::Rotation => "rotation",
        };
        format!("activity:{}:{}:{}:{}:{selection}", self.kind.code(), self.on, self.seats, levels.join(","))
    }

    /// Whether deputies of this level may take part.
    pub fn eligible(&self, level: DeputyLevel) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    /// Check a command.
    pub fn decide(&self, c: ActivityCommand, today: NaiveDate) -> Result<Vec<ActivityEvent>, ActivityError> {
        use ActivityStatus as S;
        let refuse = |command| Err(ActivityError::IllegalTransition { status: self.status, command });
        match c {
            ActivityCommand::Commit { pool, earlier, fingerprint, promise } => {
                if self.status != S::Planned {
                    return refuse("commit the draw of");
                }
                let approved = self.replan.as_ref().is_some_and(|r| r.approval.is_some());
                if let Some(of) = earlier.or_else(|| self.replan.as_ref().map(|r| r.of.clone()))
                    && !approved
                {
                    return Err(ActivityError::ReplanNotApproved(of));
                }
                if pool.seats() == 0 || pool.shares.as_ref().is_some_and(|sh| sh.check(&pool.strata).is_err())
                {
                    return Err(ActivityError::NoCandidates);
                }
                promise.check_commit(today)?;
                Ok(vec![ActivityEvent::Committed {
                    strata: pool.strata,
                    shares: pool.shares,
                    matter: pool.matter,
                    fingerprint,
                    promise,
                }])
            }
            ActivityCommand::Draw { seed, reveal, earlier } => {
                if self.status != S::Committed {
                    return refuse("draw");
                }
                if let Some(of) = earlier
                    && self.replan.as_ref().is_none_or(|r| r.approval.is_none())
                {
                    return Err(ActivityError::ReplanNotApproved(of));
                }
                let Some(d) = &self.draw else { return refuse("draw") };
                d.promise.check_reveal(&reveal, today)?;
                let drawn = lottery::draw_pool(&d.pool(), &seed).map_err(|_| ActivityError::NoCandidates)?;
                Ok(vec![ActivityEvent::Drawn {
                    seed: lottery::seed_hex(&seed),
                    public_value: match reveal {
                        Reveal::PublicValue { value } => Some(value),
                        Reveal::Seed { .. } => None,
                    },
                    drawn: drawn.iter().filter_map(|s| DeputyId::parse(s).ok()).collect(),
                }])
            }
            ActivityCommand::Hold { attended } => {
                if self.status != S::Selected {
                    return refuse("hold");
                }
                if today < self.on {
                    return Err(ActivityError::NotYet(self.on));
                }
                if let Some(d) = attended.iter().find(|d| !self.participants.contains(d)) {
                    return Err(ActivityError::NotAParticipant(*d));
                }
                if let Some(d) =
                    attended.iter().find(|d| self.answer_of(**d).is_some_and(|r| r.answer.declines()))
                {
                    return Err(ActivityError::DeclinedSeat(*d));
                }
                Ok(vec![ActivityEvent::Held { attended }])
            }
            ActivityCommand::Feedback { deputy, text } => {
                if self.status != S::Held {
                    return refuse("record feedback on");
                }
                if !self.participants.contains(&deputy) {
                    return Err(ActivityError::NotAParticipant(deputy));
                }
                Ok(vec![ActivityEvent::FeedbackGiven { deputy, text }])
            }
            ActivityCommand::Cancel { reason } => {
                if matches!(self.status, S::Held | S::Cancelled) {
                    return refuse("cancel");
                }
                Ok(vec![ActivityEvent::Cancelled { reason }])
            }
            ActivityCommand::Answer { deputy, answer, recorded_by } => {
                self.decide_answer(deputy, answer, recorded_by, today)
            }
            ActivityCommand::ApproveReplan { by, reason, earlier } => {
                let of = match (&self.replan, earlier) {
                    (Some(rp), _) if rp.approval.is_some() => return Err(ActivityError::AlreadyApproved),
                    (Some(rp), _) => rp.of.clone(),
                    (None, Some(of)) => of,
                    (None, None) => return Err(ActivityError::NotAReplan),
                };
                if self.status != S::Planned {
                    return refuse("approve planning again");
                }
                Ok(vec![ActivityEvent::ReplanApproved { by, reason, on: today, of: Some(of) }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &ActivityEvent) {
        use ActivityStatus as S;
        self.version += 1;
        match e {
            ActivityEvent::Planned { .. } => {}
            ActivityEvent::Committed { strata, shares, matter, fingerprint, promise } => {
                self.draw = Some(lottery::DrawRecord::committed(
                    Pool { strata: strata.clone(), shares: shares.clone(), matter: matter.clone() },
                    fingerprint.clone(),
                    promise.clone(),
                ));
                self.status = S::Committed;
            }
            ActivityEvent::Drawn { seed, public_value, drawn } => {
                if let Some(d) = &mut self.draw {
                    d.seed = Some(seed.clone());
                    d.public_value = public_value.as_ref().map(ToString::to_string);
                    d.drawn = drawn.iter().map(ToString::to_string).collect();
                }
                self.participants = drawn.clone();
                self.status = S::Selected;
            }
            ActivityEvent::Held { attended } => {
                self.attended = attended.clone();
                self.status = S::Held;
            }
            ActivityEvent::FeedbackGiven { deputy, text } => {
                self.feedback.insert(*deputy, text.clone());
            }
            ActivityEvent::Cancelled { reason } => {
                self.cancelled = Some(reason.clone());
                self.status = S::Cancelled;
            }
            ActivityEvent::Answered { deputy, answer, on, recorded_by } => {
                let reply =
                    ActivityReply { answer: answer.clone(), on: *on, recorded_by: recorded_by.clone() };
                self.responses.insert(*deputy, reply);
            }
            ActivityEvent::ReplanApproved { by, reason, on, of } => {
                let approval =
                    lottery::ReplanApproval { by: by.clone(), reason: reason.to_string(), on: *on };
                match (&mut self.replan, of) {
                    (Some(rp), _) => rp.approval = Some(approval),
                    (None, Some(of)) => {
                        self.replan = Some(lottery::Replan { of: of.clone(), approval: Some(approval) });
                    }
                    (None, None) => {}
                }
            }
        }
    }
}

mod answer;
mod error;
pub use answer::{ActivityAnswer, ActivityReply};
pub use error::ActivityError;

mod fairness;
pub use fairness::{Fairness, LevelFairness, fairness};

mod aggregate;
pub use aggregate::PlanActivity;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;
