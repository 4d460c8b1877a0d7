//! Published answers (R1b: "满意与否由全体代表共同评判"): an answer made known to the deputies as a body, with
//! the parts marked confidential withheld and the proposers who wish it left unnamed; any deputy of the
//! audience may rate it once per answer round, apart from the proposers' own evaluation.
//!
//! Confidential parts are marked in an answer's text as `[保密]…[/保密]` (or `【保密】…【/保密】`). The
//! proposers receive the whole text; a publication carries only [`public_text`], in which each marked part
//! is replaced by a notice. An answer whose markers do not pair up is refused.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    Ctx, Rating, RatingChannel, Satisfaction, Suggestion, SuggestionCommand, SuggestionError,
    SuggestionEvent, SuggestionStatus,
};
use crate::ids::DeputyId;
use crate::registry::{DeputyLevel, LongText, ShortText};

const OPEN: [&str; 2] = ["[保密]", "【保密】"];
const CLOSE: [&str; 2] = ["[/保密]", "【/保密】"];
/// What stands in a published text where a confidential part was.
pub const WITHHELD: &str = "（此部分内容依规定不予公开）";

/// Split a text into (is_confidential, segment) parts; `None` when the markers do not pair up.
fn segments(text: &str) -> Option<Vec<(bool, &str)>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut inside = false;
    loop {
        let markers: &[&str] = if inside { &CLOSE } else { &OPEN };
        let stray: &[&str] = if inside { &OPEN } else { &CLOSE };
        let next = markers.iter().filter_map(|m| rest.find(m).map(|i| (i, m.len()))).min();
        let stray_at = stray.iter().filter_map(|m| rest.find(m)).min();
        match next {
            Some((i, len)) => {
                if stray_at.is_some_and(|s| s < i) {
                    return None;
                }
                out.push((inside, &rest[..i]));
                rest = &rest[i + len..];
                inside = !inside;
            }
            None => {
                if inside || stray_at.is_some() {
                    return None;
                }
                out.push((false, rest));
                return Some(out);
            }
        }
    }
}

/// Whether the confidentiality markers of a text pair up.
pub(crate) fn markers_balanced(text: &str) -> bool {
    segments(text).is_some()
}

/// The text the proposers receive: everything, markers removed.
pub fn full_text(text: &str) -> String {
    match segments(text) {
        Some(parts) => parts.into_iter().map(|(_, s)| s).collect(),
        None => text.to_owned(),
    }
}

/// The text a publication carries: every confidential part replaced by [`WITHHELD`]. A text whose
/// markers do not pair up is withheld whole (answers are checked when recorded, so this is a safeguard).
pub fn public_text(text: &str) -> String {
    match segments(text) {
        Some(parts) => parts.into_iter().map(|(secret, s)| if secret { WITHHELD } else { s }).collect(),
        None => WITHHELD.to_owned(),
    }
}

/// A long text with its confidential parts withheld, as [`public_text`] gives it.
pub(crate) fn withhold(text: &LongText) -> LongText {
    let public = public_text(text.as_str());
    LongText::parse(&public).unwrap_or_else(|_| LongText::derived(&public))
}

impl super::Suggestion {
    /// The item as shown to whoever may not read its confidential parts (issue 12: only the lead
    /// department, the office and the proposers may): every answer's text, every co-handler's opinion —
    /// given or attached to an answer — and the follow-up's second answer with each marked part withheld.
    pub fn withhold_confidential(&mut self) {
        for a in self.rounds.iter_mut().filter_map(|r| r.answer.as_mut()) {
            a.text = withhold(&a.text);
            for o in a.co_opinions.iter_mut().filter_map(|c| c.opinion.as_mut()) {
                *o = withhold(o);
            }
        }
        for c in self.assignment.iter_mut().flat_map(|a| a.co_handlers.iter_mut()) {
            if let Some(o) = c.opinion.as_mut() {
                o.value = withhold(&o.value);
            }
        }
        if let Some(s) = self.follow_up.as_mut().and_then(|f| f.solved.as_mut()) {
            s.value = withhold(&s.value);
        }
    }
}

/// The confidential parts of a text (for tests and checks).
pub(crate) fn confidential_parts(text: &str) -> Vec<String> {
    segments(text)
        .unwrap_or_default()
        .into_iter()
        .filter(|(secret, s)| *secret && !s.is_empty())
        .map(|(_, s)| s.to_owned())
        .collect()
}

/// Who a publication is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "values", rename_all = "snake_case")]
pub enum Audience {
    /// Every deputy on the register.
    All,
    /// Deputies of these levels.
    Levels(BTreeSet<DeputyLevel>),
    /// Deputies of these regions.
    Regions(BTreeSet<ShortText>),
    /// Deputies of these delegations or constituencies.
    Delegations(BTreeSet<ShortText>),
}

impl Audience {
    /// Whether a deputy of this level, region and delegation is in the audience.
    pub fn includes(&self, level: DeputyLevel, region: &ShortText, delegation: Option<&ShortText>) -> bool {
        match self {
            Self::All => true,
            Self::Levels(l) => l.contains(&level),
            Self::Regions(r) => r.contains(region),
            Self::Delegations(d) => delegation.is_some_and(|d2| d.contains(d2)),
        }
    }

    /// Whether it names nobody (an empty list).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::All => false,
            Self::Levels(l) => l.is_empty(),
            Self::Regions(r) => r.is_empty(),
            Self::Delegations(d) => d.is_empty(),
        }
    }

    /// In Chinese, for pages and reports.
    pub fn zh(&self) -> String {
        let join = |v: Vec<String>| v.join("、");
        match self {
            Self::All => "全体代表".into(),
            Self::Levels(l) => format!("{}级代表", join(l.iter().map(|x| x.zh().to_owned()).collect())),
            Self::Regions(r) => format!("{}的代表", join(r.iter().map(ToString::to_string).collect())),
            Self::Delegations(d) => join(d.iter().map(ToString::to_string).collect()),
        }
    }
}

/// A published answer round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// The answer round published.
    pub round: u8,
    /// Who it is for.
    pub audience: Audience,
    /// The published text: the answer with its confidential parts withheld.
    pub text: String,
    /// The co-handlers' opinions as published (withheld parts removed too).
    pub co_opinions: Vec<String>,
    /// The proposers as shown: names, except those who asked not to be named.
    pub proposers_shown: Vec<String>,
    /// How many confidential parts were withheld.
    pub withheld: u32,
    /// Published on.
    pub on: NaiveDate,
    /// The body may rate until this day.
    pub open_until: NaiveDate,
    /// Deputies of the audience who opened it.
    pub viewed: BTreeSet<DeputyId>,
    /// The body's ratings (never the proposers': theirs are the round's own).
    pub ratings: BTreeMap<DeputyId, Rating>,
}

impl Publication {
    /// The distribution of the body's ratings: (满意, 基本满意, 不满意).
    pub fn distribution(&self) -> (u32, u32, u32) {
        let n = |r: Satisfaction| self.ratings.values().filter(|x| x.rating == r).count() as u32;
        (n(Satisfaction::Satisfied), n(Satisfaction::BasicallySatisfied), n(Satisfaction::Dissatisfied))
    }
}

/// The body's verdict on a published round, kept apart from the proposers'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyVerdict {
    /// Whether the body's ratings met the policy.
    pub satisfied: bool,
    /// How many rated.
    pub rated: u32,
    /// Whether it counted toward closure (the deployment's choice).
    pub counted: bool,
}

impl Suggestion {
    /// Decide a publication of an answer, a reader's view of it or a rating by the body of deputies.
    pub(super) fn decide_publication(
        &self,
        command: SuggestionCommand,
        ctx: Ctx<'_>,
    ) -> Result<Vec<SuggestionEvent>, SuggestionError> {
        use SuggestionStatus as S;
        let today = ctx.today;
        let name = command.name();
        let refuse = || Err(SuggestionError::IllegalTransition { status: self.status, command: name });
        match command {
            SuggestionCommand::Publish { audience } => {
                if !matches!(self.status, S::Answered | S::Closed | S::Escalated) {
                    return refuse();
                }
                if audience.is_empty() {
                    return Err(SuggestionError::EmptyAudience);
                }
                let Some((n, a)) = self.rounds.iter().rev().find_map(|r| r.answer.as_ref().map(|a| (r.n, a)))
                else {
                    return refuse();
                };
                if self.publication_of(n).is_some() {
                    return Err(SuggestionError::AlreadyPublished(n));
                }
                let withheld = confidential_parts(a.text.as_str()).len()
                    + a.co_opinions
                        .iter()
                        .filter_map(|c| c.opinion.as_ref())
                        .map(|o| confidential_parts(o.as_str()).len())
                        .sum::<usize>();
                let publication = Publication {
                    round: n,
                    audience,
                    text: public_text(a.text.as_str()),
                    co_opinions: a
                        .co_opinions
                        .iter()
                        .map(|c| match &c.opinion {
                            Some(o) => format!("{}：{}", c.department.name, public_text(o.as_str())),
                            None => format!("{}：（逾期未提交）", c.department.name),
                        })
                        .collect(),
                    proposers_shown: self
                        .proposers
                        .iter()
                        .map(|p| {
                            if self.anonymous.contains(&p.deputy) {
                                "代表（不愿具名）".to_owned()
                            } else {
                                format!("{}（{}）", p.name, p.level.zh())
                            }
                        })
                        .collect(),
                    withheld: withheld as u32,
                    on: today,
                    open_until: ctx.due(today, ctx.policy.feedback),
                    viewed: BTreeSet::new(),
                    ratings: BTreeMap::new(),
                };
                Ok(vec![SuggestionEvent::Published { publication }])
            }
            SuggestionCommand::View { reader } => {
                let p = self.publications.last().ok_or(SuggestionError::NotPublished)?;
                let own = self.evaluators().contains(&reader.deputy);
                if !own && !p.audience.includes(reader.level, &reader.region, reader.delegation.as_ref()) {
                    return Err(SuggestionError::NotInAudience(reader.deputy));
                }
                if p.viewed.contains(&reader.deputy) {
                    return Ok(Vec::new());
                }
                Ok(vec![SuggestionEvent::Viewed { round: p.round, deputy: reader.deputy }])
            }
            SuggestionCommand::RateAsBody { reader, rating, comment, channel } => {
                let p = self.publications.last().ok_or(SuggestionError::NotPublished)?;
                if matches!(channel, RatingChannel::PaperForm { .. }) {
                    return Err(SuggestionError::NotTheDeputysOwn);
                }
                if self.evaluators().contains(&reader.deputy) {
                    return Err(SuggestionError::OwnEvaluation(reader.deputy));
                }
                if !p.audience.includes(reader.level, &reader.region, reader.delegation.as_ref()) {
                    return Err(SuggestionError::NotInAudience(reader.deputy));
                }
                if today > p.open_until {
                    return Err(SuggestionError::PublicationClosed(p.open_until));
                }
                if p.ratings.contains_key(&reader.deputy) {
                    return Err(SuggestionError::AlreadyRated(reader.deputy));
                }
                if rating == Satisfaction::Dissatisfied && comment.is_none() {
                    return Err(SuggestionError::CommentRequired);
                }
                let mut out = Vec::new();
                if !p.viewed.contains(&reader.deputy) {
                    out.push(SuggestionEvent::Viewed { round: p.round, deputy: reader.deputy });
                }
                out.push(SuggestionEvent::BodyRated {
                    round: p.round,
                    deputy: reader.deputy,
                    rating: Rating { rating, comment, on: today, channel },
                });
                Ok(out)
            }
            // `decide` sends only the commands above here.
            _ => refuse(),
        }
    }

    /// The publication of an answer round, if it was published.
    pub fn publication_of(&self, round: u8) -> Option<&Publication> {
        self.publications.iter().find(|p| p.round == round)
    }

    pub(super) fn body_ratings(&self, round: u8) -> Option<Vec<Satisfaction>> {
        self.publication_of(round).map(|p| p.ratings.values().map(|r| r.rating).collect())
    }
}
