//! The roll-up for the level above (报备, issue 20): a procuratorate's leaders and liaison office see the
//! suggestion figures of every procuratorate below it — by deputies' level, on time, satisfaction — from the
//! same `figures_of_facts` the dashboards use, read from each tenant's stored facts.
//!
//! Only figures cross a tenant's boundary: the rows are grouped by deputies' level (never by department or
//! handler, whose rows would name another procuratorate's staff), and no register, record or name of a
//! person of another tenant is read. A procuratorate sees those below it, never those beside or above it.

use chrono::NaiveDate;
use liaison_core::ValueError;
use liaison_core::access::Action;
use liaison_core::suggestion::{GroupBy, SuggestionFacts, figures_of_facts};
use liaison_core::tenant::TenantLevel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::suggestion::{FigureRowView, FiguresView};
use crate::tenants::{TenantView, tree_of};
use crate::{App, AppError, Principal};

/// One procuratorate's figures in the roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollupEntry {
    /// The procuratorate (its depth below the one asking: 0 is itself).
    pub tenant: TenantView,
    /// Its suggestions received in the year, by deputies' level, with the total.
    pub figures: FiguresView,
}

/// The figures of one level of procuratorates together (every city procuratorate below a province …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollupLevel {
    /// `province`, `city` or `county`.
    pub level: String,
    /// In Chinese (省级 …).
    pub level_name: String,
    /// How many procuratorates of that level are counted.
    pub procuratorates: usize,
    /// Their suggestions together (one definition: `figures_of_facts` over all their facts).
    pub figures: FigureRowView,
}

/// The roll-up of a year (报备): the procuratorate asking and every one below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rollup {
    /// The year.
    pub year: i32,
    /// Each procuratorate, the one asking first, then those below it depth first, by name.
    pub procuratorates: Vec<RollupEntry>,
    /// By procuratorate level, from the top.
    pub by_level: Vec<RollupLevel>,
    /// Everything together.
    pub total: FigureRowView,
}

impl App {
    /// The roll-up of `year` for the caller's procuratorate: its own figures and those of every
    /// procuratorate below it. Leaders and the liaison office only (`read_rollup`).
    pub fn rollup(&self, p: &Principal, year: i32) -> Result<Rollup, AppError> {
        p.require(Action::ReadRollup)?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::invalid("year", &ValueError::Range { min: 2000, max: 2100 }));
        }
        let (from, to) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
            (Some(f), Some(t)) => (f, t),
            _ => return Err(AppError::invalid("year", &ValueError::Range { min: 2000, max: 2100 })),
        };
        let today = self.meta(p, None).today();
        let tree = self.read(|q| tree_of(q))?;
        let mut all: Vec<SuggestionFacts> = Vec::new();
        let mut levels: Vec<(TenantLevel, usize, Vec<SuggestionFacts>)> = Vec::new();
        let mut procuratorates = Vec::new();
        for (depth, t) in tree.subtree(&p.tenant) {
            let facts = self.facts_in(&t.id, from, to)?;
            let figures =
                crate::suggestion::figures_view(figures_of_facts(&facts, from, to, GroupBy::Level, today));
            procuratorates.push(RollupEntry { tenant: TenantView::of(&tree, t, depth), figures });
            if let Some(level) = t.level {
                match levels.iter_mut().find(|(l, _, _)| *l == level) {
                    Some((_, n, f)) => {
                        *n += 1;
                        f.extend(facts.iter().cloned());
                    }
                    None => levels.push((level, 1, facts.clone())),
                }
            }
            all.extend(facts);
        }
        levels.sort_by_key(|(l, _, _)| *l);
        let by_level = levels
            .into_iter()
            .map(|(level, n, facts)| RollupLevel {
                level: level.code().into(),
                level_name: level.zh().into(),
                procuratorates: n,
                figures: figures_of_facts(&facts, from, to, GroupBy::All, today).total.into(),
            })
            .collect();
        let total = figures_of_facts(&all, from, to, GroupBy::All, today).total.into();
        Ok(Rollup { year, procuratorates, by_level, total })
    }
}
