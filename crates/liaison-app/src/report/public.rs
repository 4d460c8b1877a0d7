//! The public figures (市民查询, issue 18 item 7): what anyone may read without an account when a deployment
//! switches it on — the year's aggregate suggestion figures by level and by department (the report's own
//! definitions) and the answers published to the deputies, with no personal data: no deputy, handler or
//! account is named, and any name of the register, of the items' signers or of an account that appears in
//! a published title or text is replaced by `某某`.

use chrono::{Datelike, NaiveDate};
use liaison_core::ids::TenantId;
use liaison_core::registry::DeputyLevel;
use liaison_core::suggestion::{FigureRow, GroupBy, SuggestionFacts, figures_of_facts};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Lang, Period, level_label, window};
use crate::{App, AppError};

/// What replaces a person's name on the public page.
pub const MASK: &str = "某某";

/// One aggregate line: counts and rates only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicRow {
    /// A level or a department.
    pub label: String,
    /// Suggestions received.
    pub received: u32,
    /// Answered.
    pub answered: u32,
    /// On-time rate (‰ of answered).
    pub on_time_permille: Option<u32>,
    /// First-round satisfaction (‰).
    pub first_round_permille: Option<u32>,
    /// Final satisfaction (‰).
    pub final_permille: Option<u32>,
    /// Solved (A, or B/C solved later), ‰ of answered.
    pub resolution_permille: Option<u32>,
}

impl From<&FigureRow> for PublicRow {
    fn from(r: &FigureRow) -> Self {
        Self {
            label: r.label.clone(),
            received: r.received,
            answered: r.answered,
            on_time_permille: r.on_time_permille(),
            first_round_permille: r.first_round_permille(),
            final_permille: r.final_permille(),
            resolution_permille: r.resolution_permille(),
        }
    }
}

/// A published answer, without anyone's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicAnswer {
    /// The suggestion's number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The answer's class (zh).
    pub class: String,
    /// The published text (withheld parts were never in it).
    pub text: String,
    /// Published on.
    pub published_on: NaiveDate,
}

/// The public figures of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicFigures {
    /// The procuratorate.
    pub procuratorate: String,
    /// The year.
    pub year: i32,
    /// The period in words.
    pub window: String,
    /// Every level a row.
    pub by_level: Vec<PublicRow>,
    /// By lead department (未交办: not yet assigned).
    pub by_department: Vec<PublicRow>,
    /// All together.
    pub total: PublicRow,
    /// Answers published in the year, newest first.
    pub answers: Vec<PublicAnswer>,
}

/// Every occurrence of a name (two characters or more) replaced, longest names first.
fn masked(text: &str, names: &[String]) -> String {
    let mut out = text.to_owned();
    for n in names {
        if out.contains(n.as_str()) {
            out = out.replace(n.as_str(), MASK);
        }
    }
    out
}

impl App {
    /// The public figures of `year` (this year when absent) for the deployment's procuratorate. No
    /// account: the caller (the HTTP edge) decides whether the deployment publishes them at all.
    pub fn public_figures(&self, tenant: &TenantId, year: Option<i32>) -> Result<PublicFigures, AppError> {
        let year = year.unwrap_or_else(|| liaison_core::dates::china_date(self.now()).year());
        let (from, to) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
            (Some(f), Some(t)) if (2000..=2999).contains(&year) => (f, t),
            _ => {
                return Err(AppError::invalid(
                    "year",
                    &liaison_core::ValueError::Range { min: 2000, max: 2999 },
                ));
            }
        };
        let today = liaison_core::dates::china_date(self.now());
        // Each item's figures, and the names it holds (masked wherever they occur in the published answers).
        let (facts, named): (Vec<SuggestionFacts>, Vec<Vec<String>>) =
            super::compute::lines_in(self, tenant, &Period { from, to }, |l| {
                let a = l.annex;
                let names = a.proposers.into_iter().map(|x| x.1.owned());
                let names = names.chain(a.withdrawn.into_iter().map(|x| x.1.owned()));
                let names = names.chain(l.facts.handler.iter().map(|h| h.1.clone())).collect();
                Some((l.facts, names))
            })?
            .into_iter()
            .unzip();
        let figured = |g| figures_of_facts(&facts, from, to, g, today);
        let by_level = figured(GroupBy::Level)
            .rows
            .iter()
            .map(|r| {
                let mut row = PublicRow::from(r);
                if let Ok(l) = DeputyLevel::parse(&r.key) {
                    row.label = level_label(l, Lang::Zh);
                }
                row
            })
            .collect();
        let by_department = figured(GroupBy::Department).rows.iter().map(PublicRow::from).collect();
        let total = PublicRow::from(&figured(GroupBy::All).total);

        let mut names: Vec<String> = self
            .read(|q| q.current_deputy_refs(tenant))?
            .into_iter()
            .map(|d| d.name)
            .chain(self.read(|q| q.users(tenant))?.into_iter().map(|u| u.display_name))
            .collect();
        let published = super::compute::published(self, tenant)?;
        names.extend(named.into_iter().flatten());
        for s in &published {
            names.extend(s.proposers.iter().chain(&s.withdrawn).map(|x| x.name.to_string()));
            names.extend(s.assignment.iter().map(|a| a.handler.name.clone()));
        }
        names.retain(|n| n.chars().count() >= 2);
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        names.dedup();
        let mut answers: Vec<PublicAnswer> = published
            .iter()
            .filter_map(|s| {
                let p = s.publications.last().filter(|p| p.on >= from && p.on <= to)?;
                let class = s
                    .rounds
                    .iter()
                    .find(|r| r.n == p.round)
                    .and_then(|r| r.answer.as_ref())
                    .map(|a| a.class.zh().to_owned())
                    .unwrap_or_default();
                Some(PublicAnswer {
                    number: s.number.map(|n| n.to_string()).unwrap_or_default(),
                    title: masked(&s.title.to_string(), &names),
                    class,
                    text: masked(&p.text, &names),
                    published_on: p.on,
                })
            })
            .collect();
        answers.sort_by(|a, b| b.published_on.cmp(&a.published_on).then_with(|| a.number.cmp(&b.number)));
        let procuratorate = self.read(|q| q.tenant(tenant))?.unwrap_or_default();
        Ok(PublicFigures {
            procuratorate,
            year,
            window: window(from, to, Lang::Zh),
            by_level,
            by_department,
            total,
            answers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn names_are_masked_longest_first() {
        let names = vec!["欧阳明华".to_owned(), "王芳".to_owned()];
        assert_eq!(masked("欧阳明华代表与王芳代表的建议", &names), "某某代表与某某代表的建议");
        assert_eq!(masked("没有人名", &names), "没有人名");
    }
}
