//! Commendation (奖励, R6): each deputy's contribution computed from every workflow, with configurable
//! weights and the evidence behind each point; nominations with reasons → internal approval → submitted
//! to the congress's standing committee → accepted or declined.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Signer, StaffRef};

/// What a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A suggestion the deputy signed.
    Suggestion,
    /// A meeting the deputy attended.
    Meeting,
    /// A visit the deputy received.
    Visit,
    /// An inspection or evaluation the deputy took part in.
    Inspection,
    /// An opinion voiced in a deliberation of the work report.
    Deliberation,
    /// A case review the deputy took part in.
    Review,
}

impl EvidenceKind {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Suggestion => "提出建议",
            Self::Meeting => "参加座谈",
            Self::Visit => "接受走访",
            Self::Inspection => "参加视察评议",
            Self::Deliberation => "审议意见",
            Self::Review => "参加案件评议",
        }
    }
}

/// Points per piece of evidence, per kind (a deployment's choice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights(pub BTreeMap<EvidenceKind, u32>);

impl Default for Weights {
    fn default() -> Self {
        Self(
            [
                (EvidenceKind::Suggestion, 5),
                (EvidenceKind::Meeting, 2),
                (EvidenceKind::Visit, 1),
                (EvidenceKind::Inspection, 3),
                (EvidenceKind::Deliberation, 2),
                (EvidenceKind::Review, 3),
            ]
            .into(),
        )
    }
}

/// One fact behind a contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What.
    pub kind: EvidenceKind,
    /// The record it comes from (`suggestion 2026-0003`, `meeting <id>` …).
    pub reference: String,
    /// When.
    pub on: NaiveDate,
    /// Points it earns under the weights.
    pub points: u32,
}

/// A deputy's contribution over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The deputy.
    pub deputy: Signer,
    /// Total points.
    pub total: u32,
    /// Points by kind.
    pub by_kind: BTreeMap<EvidenceKind, u32>,
    /// Every piece of evidence.
    pub evidence: Vec<Evidence>,
}

/// Weigh a deputy's evidence.
pub fn contribution(
    deputy: Signer,
    facts: Vec<(EvidenceKind, String, NaiveDate)>,
    w: &Weights,
) -> Contribution {
    let mut by_kind = BTreeMap::new();
    let evidence: Vec<Evidence> = facts
        .into_iter()
        .map(|(kind, reference, on)| {
            let points = w.0.get(&kind).copied().unwrap_or(0);
            *by_kind.entry(kind).or_insert(0) += points;
            Evidence { kind, reference, on, points }
        })
        .collect();
    Contribution { deputy, total: evidence.iter().map(|e| e.points).sum(), by_kind, evidence }
}

/// Where a nomination is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NominationStatus {
    /// Proposed (推荐).
    Nominated,
    /// Approved internally (院内审批).
    Approved,
    /// Submitted to the standing committee (已报送).
    Submitted,
    /// Commended (已表彰).
    Accepted,
    /// Not commended (未获表彰).
    Declined,
}

impl NominationStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Approved => "approved",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Nominated => "已推荐",
            Self::Approved => "已审批",
            Self::Submitted => "已报送人大常委会",
            Self::Accepted => "已表彰",
            Self::Declined => "未获表彰",
        }
    }
}

/// A nomination for commendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomination {
    /// Id.
    pub id: String,
    /// Version.
    pub version: u64,
    /// The contribution behind it (the evidence as it stood when nominated).
    pub contribution: Contribution,
    /// The period it covers.
    pub period: (NaiveDate, NaiveDate),
    /// Why.
    pub reasons: LongText,
    /// Status.
    pub status: NominationStatus,
    /// Approved by, on.
    pub approved: Option<(StaffRef, NaiveDate)>,
    /// Submitted with this reference, on.
    pub submitted: Option<(ShortText, NaiveDate)>,
    /// The standing committee's decision, on, and its note.
    pub decided: Option<(NaiveDate, Option<LongText>)>,
}

/// What may be asked of a nomination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NominationCommand {
    /// A leader approves it.
    Approve {
        /// By.
        by: StaffRef,
    },
    /// Submitted to the standing committee.
    Submit {
        /// The letter's reference.
        reference: ShortText,
    },
    /// The standing committee commended the deputy.
    Accept,
    /// It did not.
    Decline {
        /// Its note.
        note: LongText,
    },
}

/// What happened to a nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NominationEvent {
    /// Nominated.
    Nominated {
        /// The nomination as made.
        nomination: Box<Nomination>,
    },
    /// Approved.
    Approved {
        /// By.
        by: StaffRef,
        /// On.
        on: NaiveDate,
    },
    /// Submitted.
    Submitted {
        /// Reference.
        reference: ShortText,
        /// On.
        on: NaiveDate,
    },
    /// Accepted.
    Accepted {
        /// On.
        on: NaiveDate,
    },
    /// Declined.
    Declined {
        /// On.
        on: NaiveDate,
        /// Note.
        note: LongText,
    },
}

impl NominationEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Nominated { .. } => "nomination.nominated",
            Self::Approved { .. } => "nomination.approved",
            Self::Submitted { .. } => "nomination.submitted",
            Self::Accepted { .. } => "nomination.accepted",
            Self::Declined { .. } => "nomination.declined",
        }
    }
}

/// Why a nomination command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NominationError {
    /// Not at the right step.
    #[error("cannot {command} a nomination whose status is {}", .status.code())]
    IllegalTransition {
        /// Status.
        status: NominationStatus,
        /// Command.
        command: &'static str,
    },
    /// No evidence behind it.
    #[error("a nomination needs evidence of the deputy's contribution in the period")]
    NoEvidence,
}

impl NominationError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "nomination.illegal_transition",
            Self::NoEvidence => "nomination.no_evidence",
        }
    }
}

impl Localized for NominationError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("推荐当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::NoEvidence => "该代表在此期间没有可作为依据的履职记录".into(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Nomination {
    /// Nominate a deputy on their contribution.
    pub fn nominate(
        id: String,
        contribution: Contribution,
        period: (NaiveDate, NaiveDate),
        reasons: LongText,
    ) -> Result<NominationEvent, NominationError> {
        if contribution.evidence.is_empty() {
            return Err(NominationError::NoEvidence);
        }
        Ok(NominationEvent::Nominated {
            nomination: Box::new(Self {
                id,
                version: 1,
                contribution,
                period,
                reasons,
                status: NominationStatus::Nominated,
                approved: None,
                submitted: None,
                decided: None,
            }),
        })
    }

    /// Check a command.
    pub fn decide(
        &self,
        c: NominationCommand,
        today: NaiveDate,
    ) -> Result<Vec<NominationEvent>, NominationError> {
        use NominationStatus as S;
        let refuse = |command| Err(NominationError::IllegalTransition { status: self.status, command });
        match (c, self.status) {
            (NominationCommand::Approve { by }, S::Nominated) => {
                Ok(vec![NominationEvent::Approved { by, on: today }])
            }
            (NominationCommand::Approve { .. }, _) => refuse("approve"),
            (NominationCommand::Submit { reference }, S::Approved) => {
                Ok(vec![NominationEvent::Submitted { reference, on: today }])
            }
            (NominationCommand::Submit { .. }, _) => refuse("submit"),
            (NominationCommand::Accept, S::Submitted) => Ok(vec![NominationEvent::Accepted { on: today }]),
            (NominationCommand::Decline { note }, S::Submitted) => {
                Ok(vec![NominationEvent::Declined { on: today, note }])
            }
            (NominationCommand::Accept | NominationCommand::Decline { .. }, _) => {
                refuse("record the decision on")
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &NominationEvent) {
        self.version += 1;
        match e {
            NominationEvent::Nominated { .. } => {}
            NominationEvent::Approved { by, on } => {
                self.approved = Some((by.clone(), *on));
                self.status = NominationStatus::Approved;
            }
            NominationEvent::Submitted { reference, on } => {
                self.submitted = Some((reference.clone(), *on));
                self.status = NominationStatus::Submitted;
            }
            NominationEvent::Accepted { on } => {
                self.decided = Some((*on, None));
                self.status = NominationStatus::Accepted;
            }
            NominationEvent::Declined { on, note } => {
                self.decided = Some((*on, Some(note.clone())));
                self.status = NominationStatus::Declined;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::ids::{DeputyId, UserId};
    use crate::registry::{DeputyLevel, PersonName};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn contributions_are_weighed_with_their_evidence_and_nominations_follow_their_steps() {
        let who = Signer {
            deputy: DeputyId(Uuid::from_u128(1)),
            name: PersonName::parse("王芳").unwrap(),
            level: DeputyLevel::City,
        };
        let c = contribution(
            who.clone(),
            vec![
                (EvidenceKind::Suggestion, "suggestion 2026-0001".into(), d("2026-03-01")),
                (EvidenceKind::Meeting, "meeting m1".into(), d("2026-04-01")),
                (EvidenceKind::Meeting, "meeting m2".into(), d("2026-05-01")),
            ],
            &Weights::default(),
        );
        assert_eq!((c.total, c.by_kind[&EvidenceKind::Meeting]), (9, 4));
        let none = contribution(who, vec![], &Weights::default());
        assert_eq!(
            Nomination::nominate(
                "n".into(),
                none,
                (d("2026-01-01"), d("2026-12-31")),
                LongText::parse("x").unwrap()
            ),
            Err(NominationError::NoEvidence)
        );
        let e = Nomination::nominate(
            "n1".into(),
            c,
            (d("2026-01-01"), d("2026-12-31")),
            LongText::parse("积极建言").unwrap(),
        )
        .unwrap();
        let NominationEvent::Nominated { nomination } = e else { panic!() };
        let mut n = *nomination;
        let by = StaffRef { user: UserId(Uuid::nil()), name: "检察长".into() };
        assert!(matches!(
            n.decide(
                NominationCommand::Submit { reference: ShortText::parse("检函〔2026〕1号").unwrap() },
                d("2026-12-01")
            ),
            Err(NominationError::IllegalTransition { .. })
        ));
        for c in [
            NominationCommand::Approve { by },
            NominationCommand::Submit { reference: ShortText::parse("检函〔2026〕1号").unwrap() },
            NominationCommand::Accept,
        ] {
            for e in n.decide(c, d("2026-12-01")).unwrap() {
                n.apply(&e);
            }
        }
        assert_eq!(n.status, NominationStatus::Accepted);
        assert!(matches!(
            n.decide(NominationCommand::Accept, d("2026-12-02")),
            Err(NominationError::IllegalTransition { .. })
        ));
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<Nomination>(&json).unwrap(), n);
    }
}
