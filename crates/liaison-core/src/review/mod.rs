//! Reviews of major cases with deputies (参与、旁听重大案件评议, R4): a review of one of the three kinds of
//! cases (三类案件), the later five situations (五种情形), a public hearing, or an observation of the
//! procuratorial committee. Only the case reference, its kind and a summary are kept. Participants are
//! drawn by the verifiable lottery from the eligible pool after recusals; a supervisor review has 3 or
//! more. Each participant votes; the chief procurator decides; a decision against the majority goes to the
//! procuratorial committee, which must explain; if the majority still objects, the escalation to the higher
//! procuratorate is recorded; the participants are told the final result.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::ids::DeputyId;
use crate::ids::ReviewId;
use crate::lottery::{self, Reveal, SeedError, SeedPromise, Stratum};
use crate::registry::values::{clean, word_enum};
use crate::registry::{LongText, ShortText};

word_enum!(
    /// What is reviewed.
    ReviewKind, "proposed_withdrawal/proposed_non_prosecution/arrest_objection/filing/overdue_detention/unlawful_seizure/compensation/misconduct/public_hearing/committee_observation", {
    /// 拟撤销案件.
    ProposedWithdrawal => "proposed_withdrawal", "拟撤销案件", ["拟撤案"];
    /// 拟不起诉案件.
    ProposedNonProsecution => "proposed_non_prosecution", "拟不起诉案件", ["拟不起诉"];
    /// 犯罪嫌疑人不服逮捕决定.
    ArrestObjection => "arrest_objection", "不服逮捕决定", ["不服逮捕"];
    /// 应当立案而不立案或者不应当立案而立案.
    Filing => "filing", "立案监督", ["应当立案而不立案"];
    /// 超期羁押.
    OverdueDetention => "overdue_detention", "超期羁押", [];
    /// 违法搜查、扣押、冻结.
    UnlawfulSeizure => "unlawful_seizure", "违法搜查扣押冻结", ["违法扣押"];
    /// 应当给予刑事赔偿而不依法予以确认或者不执行.
    Compensation => "compensation", "刑事赔偿", [];
    /// 检察人员违法违纪.
    Misconduct => "misconduct", "办案人员违法违纪", ["违法违纪"];
    /// 公开听证.
    PublicHearing => "public_hearing", "公开听证", ["听证"];
    /// 列席检察委员会.
    CommitteeObservation => "committee_observation", "列席检察委员会", ["检委会"];
});

impl ReviewKind {
    /// A review by people's supervisors (all but the committee observation): drawn from the people's
    /// supervisors, 3 or more.
    pub fn by_supervisors(self) -> bool {
        self != Self::CommitteeObservation
    }
}

/// Where a review is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Registered; recusals may be declared.
    Registered,
    /// The pool and the seed commitment are fixed.
    Committed,
    /// Participants drawn; votes being recorded.
    Drawn,
    /// The chief procurator decided against the majority: the committee must decide and explain.
    AwaitingCommittee,
    /// The committee also went against the majority: the escalation must be recorded.
    AwaitingEscalation,
    /// Decided.
    Decided,
    /// The participants were told the final result.
    Notified,
}

impl ReviewStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Committed => "committed",
            Self::Drawn => "drawn",
            Self::AwaitingCommittee => "awaiting_committee",
            Self::AwaitingEscalation => "awaiting_escalation",
            Self::Decided => "decided",
            Self::Notified => "notified",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Registered => "已登记",
            Self::Committed => "已公布抽签承诺",
            Self::Drawn => "已抽选",
            Self::AwaitingCommittee => "待检委会决定",
            Self::AwaitingEscalation => "待报上级院",
            Self::Decided => "已决定",
            Self::Notified => "已告知结果",
        }
    }
}

pub use crate::lottery::DrawRecord;

/// A participant's vote on the proposed handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Vote {
    /// Agrees with the proposed handling.
    pub agree: bool,
    /// The opinion.
    pub opinion: LongText,
}

/// A review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Review {
    /// Id.
    pub id: ReviewId,
    /// Version.
    pub version: u64,
    /// The case's reference (only that, its kind and a summary are kept).
    pub case_ref: ShortText,
    /// Kind.
    pub kind: ReviewKind,
    /// Summary.
    pub summary: LongText,
    /// Registered on.
    pub opened_on: NaiveDate,
    /// Status.
    pub status: ReviewStatus,
    /// Declared relations to the parties or the case: these deputies are out of the pool.
    pub recusals: BTreeMap<DeputyId, LongText>,
    /// The draw.
    pub draw: Option<DrawRecord>,
    /// The participants (the drawn deputies).
    pub participants: Vec<DeputyId>,
    /// Votes.
    pub votes: BTreeMap<DeputyId, Vote>,
    /// The majority's position, once every participant voted: agrees with the proposed handling.
    pub majority_agrees: Option<bool>,
    /// The chief procurator's decision: agrees with the proposed handling, and the text.
    pub chief: Option<(bool, LongText)>,
    /// The committee's decision, text and explanation.
    pub committee: Option<(bool, LongText, LongText)>,
    /// The escalation to the higher procuratorate (its reference).
    pub escalation: Option<ShortText>,
    /// What the participants were told, and when.
    pub notified: Option<(NaiveDate, LongText)>,
    /// Planned again after an earlier review of the same case had its draw committed: no draw before a
    /// leader approves, with a reason (shown on the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replan: Option<lottery::Replan>,
}

/// What may be asked of a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewCommand {
    /// A deputy's declared relation to the parties or the case.
    DeclareRecusal {
        /// Deputy.
        deputy: DeputyId,
        /// The relation.
        reason: LongText,
    },
    /// Fix the pool (eligible candidates, recused excluded) and the seed's commitment.
    Commit {
        /// Eligible candidates.
        pool: Vec<DeputyId>,
        /// How many to draw.
        count: usize,
        /// SM3 of the pool's canonical text (computed by the caller from `pool`).
        fingerprint: String,
        /// What is fixed about the seed.
        promise: SeedPromise,
        /// Another review of the same case whose draw was committed already: then this one re-plans it and
        /// needs a leader's approval first.
        earlier: Option<String>,
    },
    /// Reveal the seed and draw.
    Draw {
        /// The seed.
        seed: [u8; 32],
        /// What was revealed (checked against the promise).
        reveal: Reveal,
    },
    /// A relation found after the draw: the participant is recused and the next one the same stream draws
    /// from the same pool takes the place (before the participant voted).
    RecuseAfterDraw {
        /// The participant.
        deputy: DeputyId,
        /// The relation.
        reason: LongText,
    },
    /// A leader approves planning the case's review again after an earlier draw was committed.
    ApproveReplan {
        /// The leader (name).
        by: String,
        /// Why.
        reason: LongText,
        /// The other review of the case whose draw was committed, when the registration did not know it.
        earlier: Option<String>,
    },
    /// A participant's vote.
    Vote {
        /// Deputy.
        deputy: DeputyId,
        /// The vote.
        vote: Vote,
    },
    /// The chief procurator decides (every participant has voted).
    ChiefDecide {
        /// Agrees with the proposed handling.
        agree: bool,
        /// The decision.
        text: LongText,
    },
    /// The procuratorial committee decides and explains.
    CommitteeDecide {
        /// Agrees with the proposed handling.
        agree: bool,
        /// The decision.
        text: LongText,
        /// Its explanation.
        explanation: LongText,
    },
    /// The escalation to the higher procuratorate.
    Escalate {
        /// Its reference.
        reference: ShortText,
    },
    /// Tell the participants the final result.
    Notify {
        /// What they are told.
        text: LongText,
    },
}

/// What happened to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReviewEvent {
    /// Registered.
    Registered {
        /// Case reference.
        case_ref: ShortText,
        /// Kind.
        kind: ReviewKind,
        /// Summary.
        summary: LongText,
        /// On.
        on: NaiveDate,
        /// The earlier review of the case whose draw was committed, when this one plans it again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replans: Option<String>,
    },
    /// Recusal declared.
    RecusalDeclared {
        /// Deputy.
        deputy: DeputyId,
        /// Reason.
        reason: LongText,
    },
    /// Pool and commitment fixed.
    Committed {
        /// The pool.
        strata: Vec<Stratum>,
        /// The matter drawn for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matter: Option<String>,
        /// Its fingerprint.
        fingerprint: String,
        /// What is fixed about the seed.
        promise: SeedPromise,
    },
    /// Seed revealed and participants drawn.
    Drawn {
        /// The seed (hex).
        seed: String,
        /// The public value it was derived from, when it came from one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_value: Option<ShortText>,
        /// The drawn.
        drawn: Vec<DeputyId>,
    },
    /// A participant recused after the draw, and the one drawn in their place.
    ReplacedAfterDraw {
        /// The recused participant.
        out: DeputyId,
        /// The relation.
        reason: LongText,
        /// The replacement.
        replacement: DeputyId,
        /// On.
        on: NaiveDate,
    },
    /// A leader approved planning the case's review again.
    ReplanApproved {
        /// The leader.
        by: String,
        /// Why.
        reason: LongText,
        /// On.
        on: NaiveDate,
        /// The earlier review of the case.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        of: Option<String>,
    },
    /// Vote recorded.
    Voted {
        /// Deputy.
        deputy: DeputyId,
        /// Vote.
        vote: Vote,
    },
    /// The chief decided.
    ChiefDecided {
        /// Agrees with the proposed handling.
        agree: bool,
        /// Text.
        text: LongText,
        /// The majority's position.
        majority_agrees: bool,
    },
    /// The committee decided.
    CommitteeDecided {
        /// Agrees.
        agree: bool,
        /// Text.
        text: LongText,
        /// Explanation.
        explanation: LongText,
    },
    /// Escalated.
    Escalated {
        /// Reference.
        reference: ShortText,
    },
    /// Participants told.
    Notified {
        /// On.
        on: NaiveDate,
        /// Text.
        text: LongText,
    },
}

impl ReviewEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Registered { .. } => "review.registered",
            Self::RecusalDeclared { .. } => "review.recusal_declared",
            Self::Committed { .. } => "review.committed",
            Self::Drawn { .. } => "review.drawn",
            Self::ReplacedAfterDraw { .. } => "review.replaced_after_draw",
            Self::ReplanApproved { .. } => "review.replan_approved",
            Self::Voted { .. } => "review.voted",
            Self::ChiefDecided { .. } => "review.chief_decided",
            Self::CommitteeDecided { .. } => "review.committee_decided",
            Self::Escalated { .. } => "review.escalated",
            Self::Notified { .. } => "review.notified",
        }
    }
}

impl Review {
    /// Register a review.
    pub fn register(
        id: ReviewId,
        case_ref: ShortText,
        kind: ReviewKind,
        summary: LongText,
        on: NaiveDate,
    ) -> (Self, ReviewEvent) {
        let r = Self {
            id,
            version: 1,
            case_ref: case_ref.clone(),
            kind,
            summary: summary.clone(),
            opened_on: on,
            status: ReviewStatus::Registered,
            recusals: BTreeMap::new(),
            draw: None,
            participants: Vec::new(),
            votes: BTreeMap::new(),
            majority_agrees: None,
            chief: None,
            committee: None,
            escalation: None,
            notified: None,
            replan: None,
        };
        (r, ReviewEvent::Registered { case_ref, kind, summary, on, replans: None })
    }

    /// The matter a draw is for, bound into its fingerprint: `review:kind:case`.
    pub fn matter(&self) -> String {
        format!("review:{}:{}", self.kind.code(), self.case_ref)
    }

    /// The case reference as compared between reviews: whitespace removed, full-width digits and letters as
    /// ASCII, every kind of bracket as `(`/`)` (〔2026〕, （2026）, `[2026]` and `(2026)` are one case).
    pub fn case_key(case_ref: &str) -> String {
        case_ref
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '〔' | '（' | '[' | '【' | '［' | '〈' | '《' => '(',
                '〕' | '）' | ']' | '】' | '］' | '〉' | '》' => ')',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// Register a review of a case whose earlier review (`of`) had its draw committed: it waits for a
    /// leader's approval before its draw.
    pub(crate) fn register_again(
        id: ReviewId,
        case_ref: ShortText,
        kind: ReviewKind,
        summary: LongText,
        on: NaiveDate,
        of: String,
    ) -> (Self, ReviewEvent) {
        let (mut r, _) = Self::register(id, case_ref.clone(), kind, summary.clone(), on);
        r.replan = Some(lottery::Replan { of: of.clone(), approval: None });
        (r, ReviewEvent::Registered { case_ref, kind, summary, on, replans: Some(of) })
    }

    /// Check a command.
    pub fn decide(&self, c: ReviewCommand, today: NaiveDate) -> Result<Vec<ReviewEvent>, ReviewError> {
        use ReviewStatus as S;
        let refuse = |command| Err(ReviewError::IllegalTransition { status: self.status, command });
        match c {
            ReviewCommand::DeclareRecusal { deputy, reason } => {
                if self.status != S::Registered {
                    return refuse("declare a recusal for");
                }
                if self.recusals.contains_key(&deputy) {
                    return Err(ReviewError::AlreadyRecorded);
                }
                Ok(vec![ReviewEvent::RecusalDeclared { deputy, reason }])
            }
            ReviewCommand::Commit { pool, count, fingerprint, promise, earlier } => {
                if self.status != S::Registered {
                    return refuse("commit the draw of");
                }
                let approved = self.replan.as_ref().is_some_and(|r| r.approval.is_some());
                if let Some(of) = earlier.or_else(|| self.replan.as_ref().map(|r| r.of.clone()))
                    && !approved
                {
                    return Err(ReviewError::ReplanNotApproved(of));
                }
                if self.kind.by_supervisors() && count < 3 {
                    return Err(ReviewError::TooFewParticipants);
                }
                if count == 0 {
                    return Err(ReviewError::TooFewParticipants);
                }
                if let Some(d) = pool.iter().find(|d| self.recusals.contains_key(d)) {
                    return Err(ReviewError::RecusedInPool(*d));
                }
                if pool.len() < count {
                    return Err(ReviewError::PoolTooSmall { have: pool.len(), count });
                }
                let mut candidates: Vec<String> = pool.iter().map(ToString::to_string).collect();
                candidates.sort();
                candidates.dedup();
                let strata = vec![Stratum { name: "all".into(), candidates, quota: count }];
                promise.check_commit(today)?;
                Ok(vec![ReviewEvent::Committed { strata, matter: Some(self.matter()), fingerprint, promise }])
            }
            ReviewCommand::Draw { seed, reveal } => {
                if self.status != S::Committed {
                    return refuse("draw");
                }
                let Some(d) = &self.draw else { return refuse("draw") };
                d.promise.check_reveal(&reveal, today)?;
                let drawn = lottery::draw_pool(&d.pool(), &seed)
                    .map_err(|_| ReviewError::PoolTooSmall { have: 0, count: 0 })?;
                let drawn = drawn.iter().filter_map(|s| DeputyId::parse(s).ok()).collect();
                let public_value = match reveal {
                    Reveal::PublicValue { value } => Some(value),
                    Reveal::Seed { .. } => None,
                };
                Ok(vec![ReviewEvent::Drawn { seed: lottery::seed_hex(&seed), public_value, drawn }])
            }
            ReviewCommand::RecuseAfterDraw { deputy, reason } => {
                if self.status != S::Drawn {
                    return refuse("recuse a participant of");
                }
                if !self.participants.contains(&deputy) {
                    return Err(ReviewError::NotAParticipant(deputy));
                }
                if self.votes.contains_key(&deputy) {
                    return Err(ReviewError::AlreadyVoted(deputy));
                }
                let Some(d) = &self.draw else { return refuse("recuse a participant of") };
                let replacement = d
                    .next_replacement()
                    .and_then(|s| DeputyId::parse(&s).ok())
                    .ok_or(ReviewError::NoReplacement)?;
                Ok(vec![ReviewEvent::ReplacedAfterDraw { out: deputy, reason, replacement, on: today }])
            }
            ReviewCommand::ApproveReplan { by, reason, earlier } => {
                let of = match (&self.replan, earlier) {
                    (Some(rp), _) if rp.approval.is_some() => return Err(ReviewError::AlreadyRecorded),
                    (Some(rp), _) => rp.of.clone(),
                    (None, Some(of)) => of,
                    (None, None) => return Err(ReviewError::NotAReplan),
                };
                if self.status != S::Registered {
                    return refuse("approve planning again");
                }
                Ok(vec![ReviewEvent::ReplanApproved { by, reason, on: today, of: Some(of) }])
            }
            ReviewCommand::Vote { deputy, vote } => {
                if self.status != S::Drawn {
                    return refuse("vote on");
                }
                if !self.participants.contains(&deputy) {
                    return Err(ReviewError::NotAParticipant(deputy));
                }
                if self.votes.contains_key(&deputy) {
                    return Err(ReviewError::AlreadyVoted(deputy));
                }
                Ok(vec![ReviewEvent::Voted { deputy, vote }])
            }
            ReviewCommand::ChiefDecide { agree, text } => {
                if self.status != S::Drawn {
                    return refuse("decide");
                }
                let outstanding = self.participants.len() - self.votes.len();
                if outstanding > 0 {
                    return Err(ReviewError::VotesOutstanding(outstanding));
                }
                let yes = self.votes.values().filter(|v| v.agree).count();
                let majority_agrees = yes * 2 > self.votes.len();
                Ok(vec![ReviewEvent::ChiefDecided { agree, text, majority_agrees }])
            }
            ReviewCommand::CommitteeDecide { agree, text, explanation } => {
                if self.status != S::AwaitingCommittee {
                    return refuse("record the committee's decision on");
                }
                Ok(vec![ReviewEvent::CommitteeDecided { agree, text, explanation }])
            }
            ReviewCommand::Escalate { reference } => {
                if self.status != S::AwaitingEscalation {
                    return refuse("escalate");
                }
                Ok(vec![ReviewEvent::Escalated { reference }])
            }
            ReviewCommand::Notify { text } => {
                if self.status != S::Decided {
                    return refuse("notify the participants of");
                }
                Ok(vec![ReviewEvent::Notified { on: today, text }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &ReviewEvent) {
        use ReviewStatus as S;
        self.version += 1;
        match e {
            ReviewEvent::Registered { replans, .. } => {
                if let Some(of) = replans {
                    self.replan = Some(lottery::Replan { of: of.clone(), approval: None });
                }
            }
            ReviewEvent::ReplacedAfterDraw { out, reason, replacement, on } => {
                if let Some(d) = &mut self.draw {
                    d.replacements.push(lottery::Replacement {
                        out: out.to_string(),
                        reason: reason.to_string(),
                        on: *on,
                        replacement: replacement.to_string(),
                    });
                    d.drawn.push(replacement.to_string());
                }
                self.recusals.insert(*out, reason.clone());
                self.participants.retain(|p| p != out);
                self.participants.push(*replacement);
            }
            ReviewEvent::ReplanApproved { by, reason, on, of } => {
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
            ReviewEvent::RecusalDeclared { deputy, reason } => {
                self.recusals.insert(*deputy, reason.clone());
            }
            ReviewEvent::Committed { strata, matter, fingerprint, promise } => {
                self.draw = Some(lottery::DrawRecord::committed(
                    lottery::Pool { strata: strata.clone(), shares: None, matter: matter.clone() },
                    fingerprint.clone(),
                    promise.clone(),
                ));
                self.status = S::Committed;
            }
            ReviewEvent::Drawn { seed, public_value, drawn } => {
                if let Some(d) = &mut self.draw {
                    d.seed = Some(seed.clone());
                    d.public_value = public_value.as_ref().map(ToString::to_string);
                    d.drawn = drawn.iter().map(ToString::to_string).collect();
                }
                self.participants = drawn.clone();
                self.status = S::Drawn;
            }
            ReviewEvent::Voted { deputy, vote } => {
                self.votes.insert(*deputy, vote.clone());
            }
            ReviewEvent::ChiefDecided { agree, text, majority_agrees } => {
                self.chief = Some((*agree, text.clone()));
                self.majority_agrees = Some(*majority_agrees);
                self.status = if agree == majority_agrees { S::Decided } else { S::AwaitingCommittee };
            }
            ReviewEvent::CommitteeDecided { agree, text, explanation } => {
                self.committee = Some((*agree, text.clone(), explanation.clone()));
                self.status =
                    if Some(*agree) == self.majority_agrees { S::Decided } else { S::AwaitingEscalation };
            }
            ReviewEvent::Escalated { reference } => {
                self.escalation = Some(reference.clone());
                self.status = S::Decided;
            }
            ReviewEvent::Notified { on, text } => {
                self.notified = Some((*on, text.clone()));
                self.status = S::Notified;
            }
        }
    }
}

mod error;
pub use error::ReviewError;

mod aggregate;
pub use aggregate::RegisterReview;
#[cfg(test)]
mod tests;
