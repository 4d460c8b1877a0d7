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
    /// Transferred to the competent procuratorate (转办): counted there too, as received there.
    #[serde(default)]
    pub transferred: u32,
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
    /// Items with a round whose feedback window closed before every evaluator rated (counted apart; a
    /// lapse is never a rating).
    pub lapsed: u32,
    /// Evaluators (deputies) who did not rate within a round's feedback window, over those items.
    #[serde(default)]
    pub lapsed_deputies: u32,
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

    /// Add another row's counts to this one's (its key and label stay).
    fn merge(&mut self, other: &FigureRow) {
        // Every field named: a count added to the row and forgotten here does not compile.
        let FigureRow {
            key: _,
            label: _,
            received,
            rerouted,
            merged,
            withdrawn,
            transferred,
            answered,
            answered_on_time,
            overdue,
            first_round_rated,
            first_round_satisfied,
            final_rated,
            final_satisfied,
            lapsed,
            lapsed_deputies,
            resolved_a,
            resolved_later,
            rehandled,
            closed,
            open,
            published,
            body_ratings,
            body_satisfied,
        } = other;
        self.received += received;
        self.rerouted += rerouted;
        self.merged += merged;
        self.withdrawn += withdrawn;
        self.transferred += transferred;
        self.answered += answered;
        self.answered_on_time += answered_on_time;
        self.overdue += overdue;
        self.first_round_rated += first_round_rated;
        self.first_round_satisfied += first_round_satisfied;
        self.final_rated += final_rated;
        self.final_satisfied += final_satisfied;
        self.lapsed += lapsed;
        self.lapsed_deputies += lapsed_deputies;
        self.resolved_a += resolved_a;
        self.resolved_later += resolved_later;
        self.rehandled += rehandled;
        self.closed += closed;
        self.open += open;
        self.published += published;
        self.body_ratings += body_ratings;
        self.body_satisfied += body_satisfied;
    }

    fn add(&mut self, f: &SuggestionFacts, today: NaiveDate) {
        use SuggestionStatus as S;
        self.received += 1;
        match f.status {
            S::Rerouted => self.rerouted += 1,
            S::Merged => self.merged += 1,
            S::Withdrawn => self.withdrawn += 1,
            S::Transferred => self.transferred += 1,
            S::Closed => self.closed += 1,
            _ => self.open += 1,
        }
        if let Some(on_time) = f.first_answer_on_time {
            self.answered += 1;
            if on_time {
                self.answered_on_time += 1;
            }
        }
        if f.answered_late || f.unanswered_due.is_some_and(|due| today > due) {
            self.overdue += 1;
        }
        if let Some(v) = f.first_verdict.filter(|v| *v != Verdict::Lapsed) {
            self.first_round_rated += 1;
            if v == Verdict::Satisfied {
                self.first_round_satisfied += 1;
            }
        }
        if let Some(v) = f.final_verdict.filter(|v| *v != Verdict::Lapsed) {
            self.final_rated += 1;
            if v == Verdict::Satisfied {
                self.final_satisfied += 1;
            }
        }
        if f.lapsed {
            self.lapsed += 1;
        }
        self.lapsed_deputies += f.lapsed_deputies;
        match f.resolution {
            Resolution::A => self.resolved_a += 1,
            Resolution::SolvedLater => self.resolved_later += 1,
            Resolution::Not => {}
        }
        if f.rehandled {
            self.rehandled += 1;
        }
        if f.published {
            self.published += 1;
        }
        self.body_ratings += f.body_ratings;
        self.body_satisfied += f.body_satisfied;
    }
}

/// How an item's latest answer stands for the resolution rate (办成率).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Not answered, or answered B/C/D and not solved since.
    #[default]
    Not,
    /// The latest answer is class A.
    A,
    /// A B/C answer whose matter was solved later (the second answer given).
    SolvedLater,
}

/// What the figures need of one suggestion, and nothing more: computed by the core from the suggestion
/// whenever it is saved, and stored beside it, so a year's figures read about two hundred bytes per item
/// instead of its whole record (short keys, defaults left out). `figures` over suggestions and over their
/// facts are the same by construction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionFacts {
    /// Received on.
    #[serde(rename = "r")]
    pub received_on: NaiveDate,
    /// Status.
    #[serde(rename = "s")]
    pub status: SuggestionStatus,
    /// The levels of its co-signers (withdrawn ones included), each once, in order.
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<DeputyLevel>,
    /// The lead department: id and name.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<(String, String)>,
    /// The handler: user id and name.
    #[serde(rename = "h", default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<(String, String)>,
    /// The first round's answer, and whether it came by its deadline.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub first_answer_on_time: Option<bool>,
    /// Some round was answered after its deadline.
    #[serde(rename = "al", default, skip_serializing_if = "is_false")]
    pub answered_late: bool,
    /// The earliest deadline of a round not answered yet, while the item is open (overdue after it).
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub unanswered_due: Option<NaiveDate>,
    /// The first round's verdict.
    #[serde(rename = "v1", default, skip_serializing_if = "Option::is_none")]
    pub first_verdict: Option<Verdict>,
    /// The verdict of the last decided round.
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub final_verdict: Option<Verdict>,
    /// A round's window closed before every evaluator rated, or the item closed on a lapse.
    #[serde(rename = "x", default, skip_serializing_if = "is_false")]
    pub lapsed: bool,
    /// Evaluators who did not rate within a round's window, over all rounds.
    #[serde(rename = "xd", default, skip_serializing_if = "is_zero")]
    pub lapsed_deputies: u32,
    /// Resolution.
    #[serde(rename = "o", default, skip_serializing_if = "is_not")]
    pub resolution: Resolution,
    /// Handled more than once.
    #[serde(rename = "rh", default, skip_serializing_if = "is_false")]
    pub rehandled: bool,
    /// Published to the body.
    #[serde(rename = "p", default, skip_serializing_if = "is_false")]
    pub published: bool,
    /// The body's ratings.
    #[serde(rename = "br", default, skip_serializing_if = "is_zero")]
    pub body_ratings: u32,
    /// … of which at least 基本满意.
    #[serde(rename = "bs", default, skip_serializing_if = "is_zero")]
    pub body_satisfied: u32,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_not(r: &Resolution) -> bool {
    *r == Resolution::Not
}

impl SuggestionFacts {
    /// The facts of a suggestion as it stands.
    pub fn of(s: &Suggestion) -> Self {
        let mut levels: Vec<DeputyLevel> = s.proposers.iter().chain(&s.withdrawn).map(|p| p.level).collect();
        levels.sort_unstable();
        levels.dedup();
        let first = s.rounds.first();
        let resolution = match s.rounds.iter().rev().find_map(|r| r.answer.as_ref()) {
            Some(a) if a.class == AnswerClass::A => Resolution::A,
            Some(_) if s.follow_up.as_ref().is_some_and(|f| f.solved.is_some()) => Resolution::SolvedLater,
            _ => Resolution::Not,
        };
        let (mut body_ratings, mut body_satisfied) = (0, 0);
        for p in &s.publications {
            let (good, basic, bad) = p.distribution();
            body_ratings += good + basic + bad;
            body_satisfied += good + basic;
        }
        Self {
            received_on: s.received_on,
            status: s.status,
            levels,
            lead: s.assignment.as_ref().map(|a| (a.lead.id.to_string(), a.lead.name.to_string())),
            handler: s.assignment.as_ref().map(|a| (a.handler.user.to_string(), a.handler.name.clone())),
            first_answer_on_time: first.and_then(|r| r.answer.as_ref().map(|a| a.on <= r.due)),
            answered_late: s.rounds.iter().any(|r| r.answer.as_ref().is_some_and(|a| a.on > r.due)),
            unanswered_due: if s.status.is_final() {
                None
            } else {
                s.rounds.iter().filter(|r| r.answer.is_none()).map(|r| r.due).min()
            },
            first_verdict: first.and_then(|r| r.outcome.as_ref()).map(|o| o.verdict),
            final_verdict: s.rounds.iter().rev().find_map(|r| r.outcome.as_ref()).map(|o| o.verdict),
            lapsed: s.rounds.iter().any(|r| {
                r.outcome
                    .as_ref()
                    .is_some_and(|o| o.verdict == Verdict::Lapsed || (o.by_lapse && o.rated < o.evaluators))
            }) || s.closure.as_ref().is_some_and(|c| c.basis == ClosureBasis::Lapsed),
            lapsed_deputies: s
                .rounds
                .iter()
                .filter_map(|r| r.outcome.as_ref())
                .filter(|o| o.by_lapse)
                .map(|o| o.evaluators.saturating_sub(o.rated))
                .sum(),
            resolution,
            rehandled: s.rounds.len() > 1,
            published: !s.publications.is_empty(),
            body_ratings,
            body_satisfied,
        }
    }
}

/// Rounded to the nearest per mille (2 of 3 is 66.7%, not 66.6%).
fn permille(n: u32, d: u32) -> Option<u32> {
    crate::ratio::permille(u64::from(n), u64::from(d))
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
    let facts: Vec<SuggestionFacts> = items.into_iter().map(SuggestionFacts::of).collect();
    figures_of_facts(&facts, from, to, group_by, today)
}

/// The figures from the suggestions' facts (what `figures` does after taking the facts).
pub fn figures_of_facts<'a>(
    items: impl IntoIterator<Item = &'a SuggestionFacts>,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
    today: NaiveDate,
) -> Figures {
    let mut sums = FigureSums::new(from, to, group_by, today);
    for f in items {
        sums.add(f);
    }
    sums.finish()
}

/// Figures being summed: items added one at a time, and sums of consecutive runs of items merged in their
/// order — the figures of a million items summed a batch at a time on several cores are the figures of
/// them all (`figures_of_facts` is one run).
#[derive(Debug, Clone)]
pub struct FigureSums {
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
    today: NaiveDate,
    /// The rows by their sort key (a level's place and code, a department's or handler's name).
    rows: BTreeMap<String, FigureRow>,
    total: FigureRow,
    /// Each level's sort key, in the order of `DeputyLevel::ALL`.
    level_keys: Vec<String>,
}

impl FigureSums {
    /// Nothing summed yet (by level: every level's row, at zero).
    pub fn new(from: NaiveDate, to: NaiveDate, group_by: GroupBy, today: NaiveDate) -> Self {
        let level_keys: Vec<String> =
            DeputyLevel::ALL.iter().enumerate().map(|(i, l)| format!("{i}:{}", l.code())).collect();
        let mut rows: BTreeMap<String, FigureRow> = BTreeMap::new();
        if group_by == GroupBy::Level {
            for (l, sort) in DeputyLevel::ALL.iter().zip(&level_keys) {
                rows.insert(
                    sort.clone(),
                    FigureRow { key: l.code().into(), label: l.zh().into(), ..FigureRow::default() },
                );
            }
        }
        let total = FigureRow { key: "all".into(), label: "合计".into(), ..FigureRow::default() };
        Self { from, to, group_by, today, rows, total, level_keys }
    }

    /// Add an item (left out unless received in the period).
    pub fn add(&mut self, f: &SuggestionFacts) {
        if f.received_on < self.from || f.received_on > self.to {
            return;
        }
        let today = self.today;
        self.total.add(f, today);
        let rows = &mut self.rows;
        // A row is found by its sort key without allocating; only a group's first item makes its row.
        let mut add = |sort: &str, key: &str, label: &str| match rows.get_mut(sort) {
            Some(row) => row.add(f, today),
            None => rows
                .entry(sort.to_owned())
                .or_insert_with(|| FigureRow {
                    key: key.to_owned(),
                    label: label.to_owned(),
                    ..FigureRow::default()
                })
                .add(f, today),
        };
        match self.group_by {
            GroupBy::All => {}
            GroupBy::Level => {
                for l in &f.levels {
                    let i = DeputyLevel::ALL.iter().position(|x| x == l).unwrap_or(0);
                    add(self.level_keys.get(i).map_or("", String::as_str), l.code(), l.zh());
                }
            }
            GroupBy::Department | GroupBy::Handler => {
                let group = if self.group_by == GroupBy::Department { &f.lead } else { &f.handler };
                match group {
                    Some((id, name)) => add(name, id, name),
                    None => add("~", "none", "未交办"),
                }
            }
        }
    }

    /// Take in the sums of the items that came after these (same period, grouping and day): a row both
    /// have keeps the key and label its first item gave it.
    pub fn merge(&mut self, later: FigureSums) {
        self.total.merge(&later.total);
        for (sort, row) in later.rows {
            match self.rows.get_mut(&sort) {
                Some(mine) => mine.merge(&row),
                None => {
                    self.rows.insert(sort, row);
                }
            }
        }
    }

    /// The figures.
    pub fn finish(self) -> Figures {
        Figures {
            from: self.from,
            to: self.to,
            group_by: self.group_by,
            rows: self.rows.into_values().collect(),
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests;
