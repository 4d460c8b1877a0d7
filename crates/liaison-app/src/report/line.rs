//! A suggestion's line in the report's tables (schema v12's `record_lines`): its figures' facts and what
//! the SPP annex names of it, computed when the suggestion is saved, so that a year's report decodes a few
//! hundred bytes per suggestion instead of its whole record (issue 18, item 8: 1M suggestions took 26 s).
//! The report reads lines only; a record saved before v12 is read whole and given its line on the spot,
//! by the same function the write uses ([`ReportLine::of`]), so both paths agree by construction.

use liaison_core::registry::DeputyLevel;
use liaison_core::suggestion::{AnswerClass, Suggestion, SuggestionFacts, SuggestionStatus};
use serde::{Deserialize, Serialize};

use super::annex::{joined, outcome};
use crate::{AppError, json_err};

/// A suggestion as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// What its figures need (the same facts the dashboards read).
    #[serde(rename = "f")]
    pub facts: SuggestionFacts,
    /// What the annex table and the scopes need.
    #[serde(rename = "a")]
    pub annex: AnnexFacts,
}

/// What the annex names of a suggestion, and the signers the report's scopes look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnexFacts {
    /// Its id.
    #[serde(rename = "i")]
    pub id: String,
    /// Its number (`2026-0001`), once registered.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Title.
    #[serde(rename = "t")]
    pub title: String,
    /// The proposers (withdrawn ones apart): deputy id, name, level.
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub proposers: Vec<(String, String, DeputyLevel)>,
    /// The deputies who withdrew their signature: id, name (their region still scopes the item, as the
    /// figures' levels count them).
    #[serde(rename = "w", default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<(String, String)>,
    /// The handling department in words: the lead with its co-handlers, 转信访 or 未交办.
    #[serde(rename = "d")]
    pub department: String,
    /// The latest answer's class.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub class: Option<AnswerClass>,
    /// Where it stands, in words (status, verdict, re-handling, follow-up, reroute).
    #[serde(rename = "o")]
    pub outcome: String,
    /// Its improvement measures (ids): their titles and states are read when the report is made.
    #[serde(rename = "m", default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<String>,
}

impl ReportLine {
    /// The line of a suggestion.
    pub fn of(s: &Suggestion) -> Self {
        let department = s.assignment.as_ref().map_or_else(
            || if s.status == SuggestionStatus::Rerouted { "转信访".into() } else { "未交办".into() },
            |a| {
                let co = joined(a.co_handlers.iter().map(|c| c.department.name.to_string()));
                if co.is_empty() {
                    a.lead.name.to_string()
                } else {
                    format!("{}（协办：{co}）", a.lead.name)
                }
            },
        );
        Self {
            facts: SuggestionFacts::of(s),
            annex: AnnexFacts {
                id: s.id.to_string(),
                number: s.number.map(|n| n.to_string()),
                title: s.title.to_string(),
                proposers: s
                    .proposers
                    .iter()
                    .map(|x| (x.deputy.to_string(), x.name.to_string(), x.level))
                    .collect(),
                withdrawn: s.withdrawn.iter().map(|x| (x.deputy.to_string(), x.name.to_string())).collect(),
                department,
                class: s.rounds.iter().rev().find_map(|r| r.answer.as_ref()).map(|a| a.class),
                outcome: outcome(s),
                measures: s.measures.iter().map(ToString::to_string).collect(),
            },
        }
    }

    /// The line as stored.
    pub fn json(s: &Suggestion) -> Result<String, AppError> {
        serde_json::to_string(&Self::of(s)).map_err(json_err)
    }
}

/// Text of a stored line, borrowed from the row it is read from unless it had to be unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub std::borrow::Cow<'a, str>);

impl Text<'_> {
    /// The text, kept.
    pub(crate) fn owned(self) -> String {
        self.0.into_owned()
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A stored line as the report reads it: its facts decoded, its annex columns borrowed where they can be
/// (a national year's million lines: the ids it only looks up, and the texts it copies once into the
/// annex's row, are not copied on the way).
#[derive(Debug, Deserialize)]
pub(crate) struct LineRef<'a> {
    /// What its figures need.
    #[serde(rename = "f")]
    pub facts: SuggestionFacts,
    /// What the annex table and the scopes need.
    #[serde(rename = "a", borrow)]
    pub annex: AnnexRef<'a>,
}

/// [`AnnexFacts`] borrowed: the same fields under the same names.
#[derive(Debug, Deserialize)]
pub(crate) struct AnnexRef<'a> {
    #[serde(rename = "i", borrow)]
    pub id: Text<'a>,
    #[serde(rename = "n", default, borrow)]
    pub number: Option<Text<'a>>,
    #[serde(rename = "t", borrow)]
    pub title: Text<'a>,
    #[serde(rename = "p", default, borrow)]
    pub proposers: Vec<(Text<'a>, Text<'a>, DeputyLevel)>,
    #[serde(rename = "w", default, borrow)]
    pub withdrawn: Vec<(Text<'a>, Text<'a>)>,
    #[serde(rename = "d", borrow)]
    pub department: Text<'a>,
    #[serde(rename = "c", default)]
    pub class: Option<AnswerClass>,
    #[serde(rename = "o", borrow)]
    pub outcome: Text<'a>,
    #[serde(rename = "m", default, borrow)]
    pub measures: Vec<Text<'a>>,
}

impl ReportLine {
    /// The line as the report reads it (a record saved before lines were kept is given one on the spot).
    pub(crate) fn read(&self) -> LineRef<'_> {
        fn t(s: &str) -> Text<'_> {
            Text(std::borrow::Cow::Borrowed(s))
        }
        let a = &self.annex;
        LineRef {
            facts: self.facts.clone(),
            annex: AnnexRef {
                id: t(&a.id),
                number: a.number.as_deref().map(t),
                title: t(&a.title),
                proposers: a.proposers.iter().map(|(id, name, level)| (t(id), t(name), *level)).collect(),
                withdrawn: a.withdrawn.iter().map(|(id, name)| (t(id), t(name))).collect(),
                department: t(&a.department),
                class: a.class,
                outcome: t(&a.outcome),
                measures: a.measures.iter().map(String::as_str).map(t).collect(),
            },
        }
    }
}
