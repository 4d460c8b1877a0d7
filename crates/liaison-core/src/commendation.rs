//! Commendation (奖励, R6): each deputy's contribution computed from every workflow, with configurable
//! weights and the evidence behind each point; nominations with reasons → internal approval → submitted
//! to the congress's standing committee → accepted or declined.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::dates::{ImplausibleDate, plausible};
use crate::ids::NominationId;
use crate::registry::{DeputyStatus, LongText, ShortText};
use crate::suggestion::{Signer, StaffRef};

/// What a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A suggestion the deputy signed.
    Suggestion,
    /// A meeting the deputy attended.
    Meeting,
    /// A visit the deputy received. Being visited is the procuratorate's work, not the deputy's: it
    /// earns nothing (kept so that older records and weights stay readable).
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
    /// Whether it is the deputy's own work, the only thing a contribution counts.
    pub fn is_own_work(self) -> bool {
        !matches!(self, Self::Visit)
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
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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

/// Weigh a deputy's evidence: only the deputy's own work counts (a visit received is left out, whatever
/// the weights say).
pub fn contribution(
    deputy: Signer,
    facts: Vec<(EvidenceKind, String, NaiveDate)>,
    w: &Weights,
) -> Contribution {
    let mut by_kind = BTreeMap::new();
    let evidence: Vec<Evidence> = facts
        .into_iter()
        .filter(|(kind, _, _)| kind.is_own_work())
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
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Nomination {
    /// Id.
    pub id: NominationId,
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
    /// The deputy is not in office.
    #[error("deputy {name} is not in office ({}): only a serving deputy can be nominated", .status.code())]
    NotInOffice {
        /// The deputy's name.
        name: String,
        /// Where the deputy stands on the register.
        status: DeputyStatus,
    },
    /// The deputy already has a nomination for (part of) the period.
    #[error(
        "deputy {name} is already nominated for {}..{} (nomination {earlier}): one nomination per deputy and period",
        .period.0, .period.1
    )]
    AlreadyNominated {
        /// The deputy's name.
        name: String,
        /// The earlier nomination's id.
        earlier: String,
        /// Its period.
        period: (NaiveDate, NaiveDate),
    },
    /// The period ends before it begins.
    #[error("to: the period ends before it begins")]
    Period,
    /// A date outside the plausible range.
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl NominationError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IllegalTransition { .. } => "nomination.illegal_transition",
            Self::NoEvidence => "nomination.no_evidence",
            Self::NotInOffice { .. } => "nomination.not_in_office",
            Self::AlreadyNominated { .. } => "nomination.already_nominated",
            Self::Period => "nomination.period",
            Self::Date(_) => "nomination.implausible_date",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::Period | Self::Date(_))
    }
}

impl Localized for NominationError {
    fn zh(&self) -> String {
        match self {
            Self::IllegalTransition { status, .. } => {
                format!("推荐当前状态为“{}”，不能执行此操作", status.zh())
            }
            Self::NoEvidence => "该代表在此期间没有可作为依据的履职记录".into(),
            Self::NotInOffice { name, status } => {
                format!("代表 {name} 不在任（{}），只能推荐在任代表", status.zh())
            }
            Self::AlreadyNominated { name, earlier, period } => format!(
                "代表 {name} 已有 {} 至 {} 期间的推荐（推荐 {earlier}），同一代表同一期间只能推荐一次",
                period.0, period.1
            ),
            Self::Period => "结束日期（to）早于开始日期".into(),
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// What a nomination is decided against: where the deputy stands, the deputy's earlier nominations, today.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    /// The deputy's status on the register.
    pub status: DeputyStatus,
    /// The deputy's earlier nominations (any status).
    pub earlier: &'a [Nomination],
    /// Today.
    pub today: NaiveDate,
}

impl Nomination {
    /// Nominate a deputy on their contribution. Refused for a deputy not in office and for a deputy
    /// already nominated for a period that overlaps this one, whatever became of that nomination (a
    /// declined one included: the standing committee has decided on that period).
    pub fn nominate(
        id: NominationId,
        contribution: Contribution,
        period: (NaiveDate, NaiveDate),
        reasons: LongText,
        standing: Standing<'_>,
    ) -> Result<NominationEvent, NominationError> {
        plausible("from", period.0, standing.today)?;
        plausible("to", period.1, standing.today)?;
        if period.1 < period.0 {
            return Err(NominationError::Period);
        }
        let name = contribution.deputy.name.to_string();
        if !standing.status.is_current() {
            return Err(NominationError::NotInOffice { name, status: standing.status });
        }
        if let Some(n) = standing.earlier.iter().find(|n| {
            n.contribution.deputy.deputy == contribution.deputy.deputy
                && n.period.0 <= period.1
                && period.0 <= n.period.1
        }) {
            return Err(NominationError::AlreadyNominated {
                name,
                earlier: n.id.to_string(),
                period: n.period,
            });
        }
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

/// What nominates a deputy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nominate {
    /// The deputy's contribution, with its evidence.
    pub contribution: Contribution,
    /// The period it covers.
    pub period: (NaiveDate, NaiveDate),
    /// Why.
    pub reasons: LongText,
}

crate::aggregate::domain_error!(NominationError);
crate::aggregate::domain_event!(NominationEvent);

impl crate::Aggregate for Nomination {
    const KIND: &'static str = "nomination";
    type Id = crate::ids::NominationId;
    type Create = Nominate;
    type Command = NominationCommand;
    type Event = NominationEvent;
    type Error = NominationError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = Standing<'a>;

    fn create(
        id: &Self::Id,
        c: Nominate,
        standing: Standing<'_>,
    ) -> Result<Vec<NominationEvent>, NominationError> {
        Ok(vec![Self::nominate(*id, c.contribution, c.period, c.reasons, standing)?])
    }
    fn created(id: &Self::Id, first: &NominationEvent) -> Option<Self> {
        match first {
            NominationEvent::Nominated { nomination } if nomination.id == *id => Some((**nomination).clone()),
            _ => None,
        }
    }
    fn decide(
        &self,
        c: NominationCommand,
        today: NaiveDate,
    ) -> Result<Vec<NominationEvent>, NominationError> {
        Nomination::decide(self, c, today)
    }
    fn apply(&mut self, e: &NominationEvent) {
        Nomination::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
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
    fn standing(earlier: &[Nomination]) -> Standing<'_> {
        Standing { status: DeputyStatus::InOffice, earlier, today: d("2026-11-01") }
    }
    fn wang() -> Signer {
        Signer {
            deputy: DeputyId(Uuid::from_u128(1)),
            name: PersonName::parse("王芳").unwrap(),
            level: DeputyLevel::City,
        }
    }
    fn nominated(e: NominationEvent) -> Nomination {
        match e {
            NominationEvent::Nominated { nomination } => *nomination,
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_visit_received_earns_nothing_whatever_the_weights() {
        let mut w = Weights::default();
        assert!(!w.0.contains_key(&EvidenceKind::Visit), "no default weight for being visited");
        w.0.insert(EvidenceKind::Visit, 4);
        let c = contribution(
            wang(),
            vec![
                (EvidenceKind::Visit, "visit v1".into(), d("2026-03-01")),
                (EvidenceKind::Meeting, "meeting m1".into(), d("2026-04-01")),
            ],
            &w,
        );
        assert_eq!((c.total, c.evidence.len()), (2, 1));
        assert!(!c.by_kind.contains_key(&EvidenceKind::Visit));
    }

    #[test]
    fn a_second_nomination_for_the_same_period_and_one_out_of_office_are_refused() {
        let c = || {
            contribution(
                wang(),
                vec![(EvidenceKind::Suggestion, "suggestion 2026-0001".into(), d("2026-03-01"))],
                &Weights::default(),
            )
        };
        let year = (d("2026-01-01"), d("2026-12-31"));
        let why = || LongText::parse("积极建言").unwrap();
        let first = nominated(
            Nomination::nominate(
                crate::ids::NominationId(uuid::Uuid::from_u128(1)),
                c(),
                year,
                why(),
                standing(&[]),
            )
            .unwrap(),
        );
        let earlier = [first];
        let e = Nomination::nominate(
            crate::ids::NominationId(uuid::Uuid::from_u128(2)),
            c(),
            (d("2026-06-01"), d("2027-05-31")),
            why(),
            standing(&earlier),
        )
        .unwrap_err();
        assert_eq!(
            e,
            NominationError::AlreadyNominated {
                name: "王芳".into(),
                earlier: "00000000-0000-0000-0000-000000000001".into(),
                period: year
            }
        );
        assert!(
            e.zh().contains("王芳") && e.zh().contains("00000000-0000-0000-0000-000000000001"),
            "{}",
            e.zh()
        );
        // The next year is another period.
        Nomination::nominate(
            crate::ids::NominationId(uuid::Uuid::from_u128(3)),
            c(),
            (d("2027-01-01"), d("2027-06-30")),
            why(),
            standing(&earlier),
        )
        .unwrap();
        let gone = Standing { status: DeputyStatus::Removed, ..standing(&[]) };
        let e =
            Nomination::nominate(crate::ids::NominationId(uuid::Uuid::from_u128(4)), c(), year, why(), gone)
                .unwrap_err();
        assert_eq!(e, NominationError::NotInOffice { name: "王芳".into(), status: DeputyStatus::Removed });
        assert!(e.zh().contains("王芳") && e.zh().contains("不在任"), "{}", e.zh());
        let e = Nomination::nominate(
            crate::ids::NominationId(uuid::Uuid::from_u128(5)),
            c(),
            (d("1999-01-01"), d("2026-12-31")),
            why(),
            standing(&[]),
        )
        .unwrap_err();
        assert!(matches!(e, NominationError::Date(ref x) if x.field == "from"), "{e:?}");
        let e = Nomination::nominate(
            crate::ids::NominationId(uuid::Uuid::from_u128(6)),
            c(),
            (d("2026-12-31"), d("2026-01-01")),
            why(),
            standing(&[]),
        )
        .unwrap_err();
        assert_eq!(e, NominationError::Period);
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
                crate::ids::NominationId(uuid::Uuid::from_u128(99)),
                none,
                (d("2026-01-01"), d("2026-12-31")),
                LongText::parse("x").unwrap(),
                standing(&[]),
            ),
            Err(NominationError::NoEvidence)
        );
        let e = Nomination::nominate(
            crate::ids::NominationId(uuid::Uuid::from_u128(1)),
            c,
            (d("2026-01-01"), d("2026-12-31")),
            LongText::parse("积极建言").unwrap(),
            standing(&[]),
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
