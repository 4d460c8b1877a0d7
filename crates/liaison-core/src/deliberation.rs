//! The deliberation of the procuratorate's annual work report at a congress session (列席审议, C4): staff
//! attend the deputies' group deliberations; every opinion voiced (审议意见) is recorded with the deputy who
//! gave it, becomes a handled item (a suggestion, or an improvement measure), and the deputy is told what
//! came of it; the session's summary lists every opinion and its outcome.
//!
//! An opinion goes recorded → routed (to a suggestion or a measure) → told (the deputy informed of the
//! outcome, once the item has one). The session closes only when every opinion has been told.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::dates::{ImplausibleDate, plausible};
use crate::ids::DeliberationId;
use crate::ids::{MeasureId, SuggestionId};
use crate::registry::{LongText, ShortText};
use crate::suggestion::{Signer, StaffRef, SuggestionNumber};

/// An attendance at a group deliberation (列席).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// The group (代表团/小组).
    pub group: ShortText,
    /// The day.
    pub on: NaiveDate,
    /// Who attended for the procuratorate.
    pub staff: Vec<ShortText>,
    /// Recorded by.
    pub recorded_by: StaffRef,
}

/// Where an opinion went to be handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Route {
    /// Handled as a suggestion.
    Suggestion {
        /// The suggestion.
        id: SuggestionId,
        /// Its number.
        number: Option<SuggestionNumber>,
    },
    /// Handled as an improvement measure.
    Measure {
        /// The measure.
        id: MeasureId,
    },
}

/// Where an opinion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionStatus {
    /// Recorded, not yet routed (待处理).
    Recorded,
    /// Being handled as a suggestion or a measure (办理中).
    Routed,
    /// The deputy was told the outcome (已反馈).
    Told,
}

impl OpinionStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Routed => "routed",
            Self::Told => "told",
        }
    }
    /// The Chinese word.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Recorded => "待处理",
            Self::Routed => "办理中",
            Self::Told => "已反馈代表",
        }
    }
}

/// An opinion voiced in a group deliberation (审议意见).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    /// Its number in the session, from 1.
    pub n: u32,
    /// The group where it was voiced.
    pub group: ShortText,
    /// The deputy who gave it.
    pub deputy: Signer,
    /// What was said.
    pub text: LongText,
    /// Recorded on.
    pub on: NaiveDate,
    /// Status.
    pub status: OpinionStatus,
    /// Where it went.
    pub route: Option<Route>,
    /// What the deputy was told, and when.
    pub told: Option<(NaiveDate, LongText)>,
}

/// A congress session's deliberation of the work report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliberation {
    /// Id.
    pub id: DeliberationId,
    /// Version.
    pub version: u64,
    /// The session (e.g. 市第十六届人民代表大会第五次会议).
    pub session: ShortText,
    /// First day of the session.
    pub opens_on: NaiveDate,
    /// Attendances.
    pub attendances: Vec<Attendance>,
    /// Opinions voiced.
    pub opinions: Vec<Opinion>,
    /// Closed (the summary is final) on.
    pub closed_on: Option<NaiveDate>,
}

/// What may be asked of a deliberation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliberationCommand {
    /// Record an attendance.
    Attend {
        /// Group.
        group: ShortText,
        /// Day.
        on: NaiveDate,
        /// Staff who attended.
        staff: Vec<ShortText>,
        /// Recorded by.
        by: StaffRef,
    },
    /// Record an opinion voiced in an attended group.
    RecordOpinion {
        /// Group.
        group: ShortText,
        /// Deputy.
        deputy: Signer,
        /// What was said.
        text: LongText,
    },
    /// Route an opinion to the item that handles it.
    Route {
        /// Opinion number.
        n: u32,
        /// Where.
        route: Route,
    },
    /// Tell the deputy what came of the opinion (the item must have reached an outcome).
    Tell {
        /// Opinion number.
        n: u32,
        /// What the deputy is told.
        text: LongText,
        /// Whether the routed item has reached an outcome (an answer, or a completed measure).
        outcome_ready: bool,
    },
    /// Close the session: every opinion has been told.
    Close,
}

/// What happened to a deliberation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeliberationEvent {
    /// Opened.
    Opened {
        /// Session.
        session: ShortText,
        /// First day.
        opens_on: NaiveDate,
    },
    /// Attendance recorded.
    Attended {
        /// The attendance.
        attendance: Attendance,
    },
    /// Opinion recorded.
    OpinionRecorded {
        /// The opinion.
        opinion: Opinion,
    },
    /// Opinion routed.
    OpinionRouted {
        /// Number.
        n: u32,
        /// Where.
        route: Route,
    },
    /// Deputy told.
    DeputyTold {
        /// Number.
        n: u32,
        /// On.
        on: NaiveDate,
        /// What.
        text: LongText,
    },
    /// Closed.
    Closed {
        /// On.
        on: NaiveDate,
    },
}

impl DeliberationEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Opened { .. } => "deliberation.opened",
            Self::Attended { .. } => "deliberation.attended",
            Self::OpinionRecorded { .. } => "deliberation.opinion_recorded",
            Self::OpinionRouted { .. } => "deliberation.opinion_routed",
            Self::DeputyTold { .. } => "deliberation.deputy_told",
            Self::Closed { .. } => "deliberation.closed",
        }
    }
}

/// Why a command on a deliberation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeliberationError {
    /// The session is closed.
    #[error("the session's deliberation is closed")]
    Closed,
    /// An attendance before the session opened.
    #[error("{0} is before the session opened")]
    BeforeSession(NaiveDate),
    /// No staff named.
    #[error("an attendance names at least one member of staff")]
    NoStaff,
    /// An opinion from a group nobody attended.
    #[error("nobody from the procuratorate attended group {0}: record the attendance first")]
    GroupNotAttended(String),
    /// No such opinion.
    #[error("no opinion {0}")]
    NoOpinion(u32),
    /// The opinion is not at the right step.
    #[error("opinion {n} is {}, which does not allow this", .status.code())]
    WrongStep {
        /// Opinion.
        n: u32,
        /// Its status.
        status: OpinionStatus,
    },
    /// The routed item has no outcome yet.
    #[error("the item handling opinion {0} has no outcome yet (no answer, or the measure is not done)")]
    OutcomeNotReady(u32),
    /// Opinions not yet told.
    #[error("{0} opinion(s) have not reached the deputy yet")]
    OpinionsOutstanding(usize),
    /// A date outside the plausible range (issue 12: years 1901 and 2099 were accepted).
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl DeliberationError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Closed => "deliberation.closed",
            Self::BeforeSession(_) => "deliberation.before_session",
            Self::NoStaff => "deliberation.no_staff",
            Self::GroupNotAttended(_) => "deliberation.group_not_attended",
            Self::NoOpinion(_) => "deliberation.no_opinion",
            Self::WrongStep { .. } => "deliberation.wrong_step",
            Self::OutcomeNotReady(_) => "deliberation.outcome_not_ready",
            Self::OpinionsOutstanding(_) => "deliberation.opinions_outstanding",
            Self::Date(_) => "deliberation.implausible_date",
        }
    }
    /// Whether it is about the input rather than the state.
    pub fn is_input(&self) -> bool {
        matches!(self, Self::BeforeSession(_) | Self::NoStaff | Self::Date(_))
    }
}

impl Localized for DeliberationError {
    fn zh(&self) -> String {
        match self {
            Self::Closed => "本次会议的列席审议记录已结束".into(),
            Self::BeforeSession(d) => format!("{d} 早于会议开幕日"),
            Self::NoStaff => "列席记录至少要有一名列席人员".into(),
            Self::GroupNotAttended(g) => format!("尚无列席“{g}”审议的记录，请先记录列席"),
            Self::NoOpinion(n) => format!("没有第 {n} 条审议意见"),
            Self::WrongStep { n, status } => {
                format!("第 {n} 条审议意见当前为“{}”，不能执行此操作", status.zh())
            }
            Self::OutcomeNotReady(n) => format!("第 {n} 条审议意见的办理尚无结果（未答复或整改未完成）"),
            Self::OpinionsOutstanding(k) => format!("还有 {k} 条审议意见未向代表反馈"),
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl Deliberation {
    /// Decide the opening of a session's deliberation record; `today` bounds the plausible first day.
    pub fn open(
        session: ShortText,
        opens_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<DeliberationEvent, DeliberationError> {
        plausible("opens_on", opens_on, today)?;
        Ok(DeliberationEvent::Opened { session, opens_on })
    }

    /// Build from its `Opened` event.
    pub fn from_opened(id: DeliberationId, e: &DeliberationEvent) -> Option<Self> {
        match e {
            DeliberationEvent::Opened { session, opens_on } => Some(Self {
                id,
                version: 1,
                session: session.clone(),
                opens_on: *opens_on,
                attendances: Vec::new(),
                opinions: Vec::new(),
                closed_on: None,
            }),
            _ => None,
        }
    }

    fn opinion(&self, n: u32) -> Result<&Opinion, DeliberationError> {
        self.opinions.iter().find(|o| o.n == n).ok_or(DeliberationError::NoOpinion(n))
    }

    /// Check a command.
    pub fn decide(
        &self,
        c: DeliberationCommand,
        today: NaiveDate,
    ) -> Result<Vec<DeliberationEvent>, DeliberationError> {
        if self.closed_on.is_some() {
            return Err(DeliberationError::Closed);
        }
        match c {
            DeliberationCommand::Attend { group, on, staff, by } => {
                plausible("on", on, today)?;
                if on < self.opens_on {
                    return Err(DeliberationError::BeforeSession(on));
                }
                if staff.is_empty() {
                    return Err(DeliberationError::NoStaff);
                }
                Ok(vec![DeliberationEvent::Attended {
                    attendance: Attendance { group, on, staff, recorded_by: by },
                }])
            }
            DeliberationCommand::RecordOpinion { group, deputy, text } => {
                if !self.attendances.iter().any(|a| a.group == group) {
                    return Err(DeliberationError::GroupNotAttended(group.to_string()));
                }
                let n = self.opinions.len() as u32 + 1;
                Ok(vec![DeliberationEvent::OpinionRecorded {
                    opinion: Opinion {
                        n,
                        group,
                        deputy,
                        text,
                        on: today,
                        status: OpinionStatus::Recorded,
                        route: None,
                        told: None,
                    },
                }])
            }
            DeliberationCommand::Route { n, route } => {
                let o = self.opinion(n)?;
                if o.status != OpinionStatus::Recorded {
                    return Err(DeliberationError::WrongStep { n, status: o.status });
                }
                Ok(vec![DeliberationEvent::OpinionRouted { n, route }])
            }
            DeliberationCommand::Tell { n, text, outcome_ready } => {
                let o = self.opinion(n)?;
                if o.status != OpinionStatus::Routed {
                    return Err(DeliberationError::WrongStep { n, status: o.status });
                }
                if !outcome_ready {
                    return Err(DeliberationError::OutcomeNotReady(n));
                }
                Ok(vec![DeliberationEvent::DeputyTold { n, on: today, text }])
            }
            DeliberationCommand::Close => {
                let outstanding = self.opinions.iter().filter(|o| o.status != OpinionStatus::Told).count();
                if outstanding > 0 {
                    return Err(DeliberationError::OpinionsOutstanding(outstanding));
                }
                Ok(vec![DeliberationEvent::Closed { on: today }])
            }
        }
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &DeliberationEvent) {
        self.version += 1;
        match e {
            DeliberationEvent::Opened { .. } => {}
            DeliberationEvent::Attended { attendance } => self.attendances.push(attendance.clone()),
            DeliberationEvent::OpinionRecorded { opinion } => self.opinions.push(opinion.clone()),
            DeliberationEvent::OpinionRouted { n, route } => {
                if let Some(o) = self.opinions.iter_mut().find(|o| o.n == *n) {
                    o.route = Some(route.clone());
                    o.status = OpinionStatus::Routed;
                }
            }
            DeliberationEvent::DeputyTold { n, on, text } => {
                if let Some(o) = self.opinions.iter_mut().find(|o| o.n == *n) {
                    o.told = Some((*on, text.clone()));
                    o.status = OpinionStatus::Told;
                }
            }
            DeliberationEvent::Closed { on } => self.closed_on = Some(*on),
        }
    }
}

/// What opens a session's deliberation record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDeliberation {
    /// The session.
    pub session: ShortText,
    /// Its first day.
    pub opens_on: NaiveDate,
}

crate::aggregate::domain_error!(DeliberationError);
crate::aggregate::domain_event!(DeliberationEvent);

impl crate::Aggregate for Deliberation {
    const KIND: &'static str = "deliberation";
    type Id = crate::ids::DeliberationId;
    type Create = OpenDeliberation;
    type Command = DeliberationCommand;
    type Event = DeliberationEvent;
    type Error = DeliberationError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(
        _: &Self::Id,
        c: OpenDeliberation,
        today: NaiveDate,
    ) -> Result<Vec<DeliberationEvent>, DeliberationError> {
        Ok(vec![Self::open(c.session, c.opens_on, today)?])
    }
    fn created(id: &Self::Id, first: &DeliberationEvent) -> Option<Self> {
        Self::from_opened(*id, first)
    }
    fn decide(
        &self,
        c: DeliberationCommand,
        today: NaiveDate,
    ) -> Result<Vec<DeliberationEvent>, DeliberationError> {
        Deliberation::decide(self, c, today)
    }
    fn apply(&mut self, e: &DeliberationEvent) {
        Deliberation::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::ids::{DeputyId, UserId};
    use crate::registry::{DeputyLevel, PersonName};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> LongText {
        LongText::parse(s).unwrap()
    }
    fn g(s: &str) -> ShortText {
        ShortText::parse(s).unwrap()
    }
    fn signer(n: u128) -> Signer {
        Signer {
            deputy: DeputyId(Uuid::from_u128(n)),
            name: PersonName::parse("王芳").unwrap(),
            level: DeputyLevel::City,
        }
    }
    fn by() -> StaffRef {
        StaffRef { user: UserId(Uuid::from_u128(1)), name: "联络室".into() }
    }
    fn given() -> Deliberation {
        let e = Deliberation::open(g("市第十六届人民代表大会第五次会议"), d("2026-01-10"), d("2026-01-10"))
            .unwrap();
        Deliberation::from_opened(crate::ids::DeliberationId(uuid::Uuid::from_u128(1)), &e).unwrap()
    }
    fn when(x: &mut Deliberation, c: DeliberationCommand) -> Result<(), DeliberationError> {
        let before = x.clone();
        match x.decide(c, d("2026-01-12")) {
            Ok(es) => {
                for e in &es {
                    x.apply(e);
                }
                Ok(())
            }
            Err(e) => {
                assert_eq!(*x, before);
                Err(e)
            }
        }
    }

    #[test]
    fn an_opinion_goes_from_the_group_to_the_deputy_being_told() {
        let mut x = given();
        let attend = |on: &str, staff: Vec<ShortText>| DeliberationCommand::Attend {
            group: g("鼓楼代表团"),
            on: d(on),
            staff,
            by: by(),
        };
        assert_eq!(
            when(&mut x, attend("2026-01-09", vec![g("检察长")])),
            Err(DeliberationError::BeforeSession(d("2026-01-09")))
        );
        assert_eq!(when(&mut x, attend("2026-01-11", vec![])), Err(DeliberationError::NoStaff));
        let opinion = DeliberationCommand::RecordOpinion {
            group: g("鼓楼代表团"),
            deputy: signer(7),
            text: t("希望加强公益诉讼"),
        };
        assert_eq!(
            when(&mut x, opinion.clone()),
            Err(DeliberationError::GroupNotAttended("鼓楼代表团".into()))
        );
        when(&mut x, attend("2026-01-11", vec![g("副检察长李明")])).unwrap();
        when(&mut x, opinion).unwrap();
        assert_eq!(
            when(&mut x, DeliberationCommand::Tell { n: 1, text: t("x"), outcome_ready: true }),
            Err(DeliberationError::WrongStep { n: 1, status: OpinionStatus::Recorded })
        );
        assert_eq!(when(&mut x, DeliberationCommand::Close), Err(DeliberationError::OpinionsOutstanding(1)));
        let route = Route::Suggestion { id: SuggestionId(Uuid::from_u128(5)), number: None };
        when(&mut x, DeliberationCommand::Route { n: 1, route: route.clone() }).unwrap();
        assert!(matches!(
            when(&mut x, DeliberationCommand::Route { n: 1, route }),
            Err(DeliberationError::WrongStep { .. })
        ));
        assert_eq!(
            when(&mut x, DeliberationCommand::Tell { n: 1, text: t("已答复"), outcome_ready: false }),
            Err(DeliberationError::OutcomeNotReady(1))
        );
        when(&mut x, DeliberationCommand::Tell { n: 1, text: t("已答复并落实"), outcome_ready: true })
            .unwrap();
        assert_eq!(
            when(
                &mut x,
                DeliberationCommand::Route { n: 2, route: Route::Measure { id: MeasureId(Uuid::nil()) } }
            ),
            Err(DeliberationError::NoOpinion(2))
        );
        when(&mut x, DeliberationCommand::Close).unwrap();
        assert_eq!(x.closed_on, Some(d("2026-01-12")));
        assert_eq!(when(&mut x, DeliberationCommand::Close), Err(DeliberationError::Closed));
        assert!(DeliberationError::OpinionsOutstanding(2).zh().contains("2 条"));
    }

    proptest! {
        /// Random commands: the session closes only when every opinion was routed and its deputy told;
        /// a told opinion always has its route; opinion numbers are 1..n without gaps.
        #[test]
        fn every_opinion_reaches_an_outcome_before_the_session_closes(ops in proptest::collection::vec((0u8..5, 1u32..6, any::<bool>()), 1..50)) {
            let mut x = given();
            for (op, n, flag) in ops {
                let c = match op {
                    0 => DeliberationCommand::Attend { group: g(if flag { "甲组" } else { "乙组" }), on: d("2026-01-11"), staff: vec![g("检察长")], by: by() },
                    1 => DeliberationCommand::RecordOpinion { group: g(if flag { "甲组" } else { "乙组" }), deputy: signer(u128::from(n)), text: t("意见") },
                    2 => DeliberationCommand::Route { n, route: if flag { Route::Measure { id: MeasureId(Uuid::from_u128(u128::from(n))) } } else { Route::Suggestion { id: SuggestionId(Uuid::from_u128(u128::from(n))), number: None } } },
                    3 => DeliberationCommand::Tell { n, text: t("结果"), outcome_ready: flag },
                    _ => DeliberationCommand::Close,
                };
                let _ = when(&mut x, c);
                if x.closed_on.is_some() {
                    prop_assert!(x.opinions.iter().all(|o| o.status == OpinionStatus::Told));
                }
                for (i, o) in x.opinions.iter().enumerate() {
                    prop_assert_eq!(o.n as usize, i + 1);
                    if o.status == OpinionStatus::Told {
                        prop_assert!(o.route.is_some() && o.told.is_some());
                    }
                    prop_assert!(x.attendances.iter().any(|a| a.group == o.group));
                }
            }
        }
    }
}
