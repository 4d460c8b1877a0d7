//! The figures of suggestion handling for a period (R1a, P1.1): on-time answers, satisfaction (first round
//! and final, lapses apart) and resolution (办成) as separate figures, by level, department or handler.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AnswerClass, ClosureBasis, Suggestion, SuggestionStatus, Verdict};
use crate::registry::DeputyLevel;

/// How to group the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row for everything.
    All,
    /// By the co-signers' levels (a joint item counts once for each level among its co-signers); every
    /// level has a row, even with nothing in it (P1.1).
    Level,
    /// By lead department.
    Department,
    /// By handler.
    Handler,
}

impl GroupBy {
    /// Parse `all`, `level`, `department` or `handler`.
    pub fn parse(s: &str) -> Result<Self, crate::ValueError> {
        match s.trim() {
            "all" | "" => Ok(Self::All),
            "level" => Ok(Self::Level),
            "department" => Ok(Self::Department),
            "handler" => Ok(Self::Handler),
            _ => Err(crate::ValueError::OneOf("all/level/department/handler")),
        }
    }
}

/// One row of figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureRow {
    /// The group's key (level code, department id, handler id, or `all`).
    pub key: String,
    /// The group's name.
    pub label: String,
    /// Items received in the period.
    pub received: u32,
    /// Sent to letters and petitions.
    pub rerouted: u32,
    /// Merged into another item.
    pub merged: u32,
    /// Withdrawn.
    pub withdrawn: u32,
    /// Items with a first answer.
    pub answered: u32,
    /// First answers given by their deadline (extensions included).
    pub answered_on_time: u32,
    /// Items answered late, or still unanswered past their deadline.
    pub overdue: u32,
    /// First rounds decided by ratings (lapses excluded).
    pub first_round_rated: u32,
    /// … of which satisfied under the policy.
    pub first_round_satisfied: u32,
    /// Items whose last decided round was decided by ratings.
    pub final_rated: u32,
    /// … of which satisfied.
    pub final_satisfied: u32,
    /// Items with a round that lapsed without any rating (counted apart).
    pub lapsed: u32,
    /// Items whose latest answer is class A.
    pub resolved_a: u32,
    /// B/C items whose matter was solved later (second answer given).
    pub resolved_later: u32,
    /// Items handled a second time after dissatisfaction.
    pub rehandled: u32,
    /// Closed items.
    pub closed: u32,
    /// Items still open.
    pub open: u32,
    /// Items with an answer published to the deputies as a body.
    #[serde(default)]
    pub published: u32,
    /// Ratings by the body (deputies other than the co-signers), reported apart from theirs.
    #[serde(default)]
    pub body_ratings: u32,
    /// … of which at least 基本满意.
    #[serde(default)]
    pub body_satisfied: u32,
}

impl FigureRow {
    /// On-time rate, in per mille of answered items.
    pub fn on_time_permille(&self) -> Option<u32> {
        permille(self.answered_on_time, self.answered)
    }
    /// First-round satisfaction rate, per mille.
    pub fn first_round_permille(&self) -> Option<u32> {
        permille(self.first_round_satisfied, self.first_round_rated)
    }
    /// Final satisfaction rate, per mille.
    pub fn final_permille(&self) -> Option<u32> {
        permille(self.final_satisfied, self.final_rated)
    }
    /// The body's satisfaction: ratings at least 基本满意, per mille of the body's ratings.
    pub fn body_permille(&self) -> Option<u32> {
        permille(self.body_satisfied, self.body_ratings)
    }
    /// Resolution rate (办成率): A answers plus B/C solved later, per mille of answered items.
    pub fn resolution_permille(&self) -> Option<u32> {
        permille(self.resolved_a + self.resolved_later, self.answered)
    }

    fn add(&mut self, s: &Suggestion, today: NaiveDate) {
        use SuggestionStatus as S;
        self.received += 1;
        match s.status {
            S::Rerouted => self.rerouted += 1,
            S::Merged => self.merged += 1,
            S::Withdrawn => self.withdrawn += 1,
            S::Closed => self.closed += 1,
            _ => self.open += 1,
        }
        if let Some(first) = s.rounds.first()
            && let Some(a) = &first.answer
        {
            self.answered += 1;
            if a.on <= first.due {
                self.answered_on_time += 1;
            }
        }
        let late = s.rounds.iter().any(|r| match &r.answer {
            Some(a) => a.on > r.due,
            None => !s.status.is_final() && today > r.due,
        });
        if late {
            self.overdue += 1;
        }
        if let Some(o) = s.rounds.first().and_then(|r| r.outcome.as_ref())
            && o.verdict != Verdict::Lapsed
        {
            self.first_round_rated += 1;
            if o.verdict == Verdict::Satisfied {
                self.first_round_satisfied += 1;
            }
        }
        if let Some(o) = s.rounds.iter().rev().find_map(|r| r.outcome.as_ref())
            && o.verdict != Verdict::Lapsed
        {
            self.final_rated += 1;
            if o.verdict == Verdict::Satisfied {
                self.final_satisfied += 1;
            }
        }
        let lapsed =
            s.rounds.iter().any(|r| r.outcome.as_ref().is_some_and(|o| o.verdict == Verdict::Lapsed))
                || s.closure.as_ref().is_some_and(|c| c.basis == ClosureBasis::Lapsed);
        if lapsed {
            self.lapsed += 1;
        }
        if let Some(a) = s.rounds.iter().rev().find_map(|r| r.answer.as_ref()) {
            if a.class == AnswerClass::A {
                self.resolved_a += 1;
            } else if s.follow_up.as_ref().is_some_and(|f| f.solved.is_some()) {
                self.resolved_later += 1;
            }
        }
        if s.rounds.len() > 1 {
            self.rehandled += 1;
        }
        if !s.publications.is_empty() {
            self.published += 1;
        }
        for p in &s.publications {
            let (good, basic, bad) = p.distribution();
            self.body_ratings += good + basic + bad;
            self.body_satisfied += good + basic;
        }
    }
}

fn permille(n: u32, d: u32) -> Option<u32> {
    (d > 0).then(|| (u64::from(n) * 1000 / u64::from(d)) as u32)
}

/// The figures for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// First day (items received on or after).
    pub from: NaiveDate,
    /// Last day (items received on or before).
    pub to: NaiveDate,
    /// How the rows are grouped.
    pub group_by: GroupBy,
    /// The rows.
    pub rows: Vec<FigureRow>,
    /// Everything together (a joint item of several levels counts once here).
    pub total: FigureRow,
}

/// Compute the figures of the items received in `[from, to]`, as they stand `today`.
pub fn figures<'a>(
    items: impl IntoIterator<Item = &'a Suggestion>,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
    today: NaiveDate,
) -> Figures {
    let mut rows: BTreeMap<String, FigureRow> = BTreeMap::new();
    if group_by == GroupBy::Level {
        for (i, l) in DeputyLevel::ALL.iter().enumerate() {
            rows.insert(
                format!("{i}:{}", l.code()),
                FigureRow { key: l.code().into(), label: l.zh().into(), ..FigureRow::default() },
            );
        }
    }
    let mut total = FigureRow { key: "all".into(), label: "合计".into(), ..FigureRow::default() };
    for s in items.into_iter().filter(|s| s.received_on >= from && s.received_on <= to) {
        total.add(s, today);
        let keys: Vec<(String, String, String)> = match group_by {
            GroupBy::All => Vec::new(),
            GroupBy::Level => {
                let mut levels: Vec<DeputyLevel> =
                    s.proposers.iter().chain(&s.withdrawn).map(|p| p.level).collect();
                levels.sort_unstable();
                levels.dedup();
                levels
                    .into_iter()
                    .map(|l| {
                        let i = DeputyLevel::ALL.iter().position(|x| *x == l).unwrap_or(0);
                        (format!("{i}:{}", l.code()), l.code().to_owned(), l.zh().to_owned())
                    })
                    .collect()
            }
            GroupBy::Department => vec![match &s.assignment {
                Some(a) => (a.lead.name.to_string(), a.lead.id.to_string(), a.lead.name.to_string()),
                None => ("~".into(), "none".into(), "未交办".into()),
            }],
            GroupBy::Handler => vec![match &s.assignment {
                Some(a) => (a.handler.name.clone(), a.handler.user.to_string(), a.handler.name.clone()),
                None => ("~".into(), "none".into(), "未交办".into()),
            }],
        };
        for (sort, key, label) in keys {
            rows.entry(sort)
                .or_insert_with(|| FigureRow { key, label, ..FigureRow::default() })
                .add(s, today);
        }
    }
    Figures { from, to, group_by, rows: rows.into_values().collect(), total }
}
