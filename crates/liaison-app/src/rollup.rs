//! The roll-up for the level above (报备, issue 20): a procuratorate's leaders and liaison office see the
//! suggestion figures of every procuratorate below it — by deputies' level, on time, satisfaction — from the
//! same `figures_of_facts` the dashboards use, read from each tenant's stored facts.
//!
//! Only figures and items' facts cross a tenant's boundary, never a person: the rows are grouped by
//! deputies' level and by department kind — the lead department's name, which the procuratorates of a
//! province share (第一检察部 … 第十检察部, 控告申诉检察部), never by handler, whose rows would name another
//! procuratorate's staff. The items the level above must be told of (报备事项: twice dissatisfied and
//! waiting for leadership, overdue, transferred between procuratorates) are listed by number, deputies'
//! levels, status and deadline — no title (it may name a person or a case), no deputy's or officer's
//! name, no register field. A
//! procuratorate sees those below it, never those beside or above it.
//!
//! An item transferred (转办) counts where it is handled: the combined rows (by level of procuratorate, by
//! department kind, the total) leave out the transferring side's final copy, so a transfer within the
//! tree is counted once; each procuratorate's own row keeps it, in its `transferred` column.

use chrono::NaiveDate;
use liaison_core::ValueError;
use liaison_core::access::Action;
use liaison_core::suggestion::{GroupBy, Suggestion, SuggestionFacts, SuggestionStatus, figures_of_facts};
use liaison_core::tenant::TenantLevel;
use liaison_store::RecordQuery;
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

/// An item a procuratorate below must report to the level above (报备事项), without any person's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RollupItem {
    /// The procuratorate that has it.
    pub procuratorate: String,
    /// Its id.
    pub procuratorate_id: String,
    /// Its number there (the title stays there: it may name a person or a case).
    pub number: Option<String>,
    /// Received on.
    pub received_on: NaiveDate,
    /// The levels of its co-signers, in Chinese (全国, 省级 …).
    pub levels: Vec<String>,
    /// Status code.
    pub status: String,
    /// In Chinese.
    pub status_zh: String,
    /// The next deadline, when one runs.
    pub due: Option<NaiveDate>,
    /// Why it is reported: `escalated` (twice dissatisfied, waiting for leadership), `overdue`,
    /// `transferred_out`, `transferred_in`.
    pub reasons: Vec<String>,
    /// The reasons in Chinese.
    pub reasons_zh: Vec<String>,
    /// For a transfer: the other procuratorate's name.
    pub transfer_with: Option<String>,
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
    /// By department kind (the lead department's name, shared across the province), all procuratorates
    /// together.
    pub by_department: Vec<FigureRowView>,
    /// Everything together.
    pub total: FigureRowView,
    /// What the procuratorates below must report (报备事项), by procuratorate then number.
    pub told: Vec<RollupItem>,
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
        let mut told = Vec::new();
        for (depth, t) in tree.subtree(&p.tenant) {
            let mut facts = self.facts_in(&t.id, from, to)?;
            let figures =
                crate::suggestion::figures_view(figures_of_facts(&facts, from, to, GroupBy::Level, today));
            procuratorates.push(RollupEntry { tenant: TenantView::of(&tree, t, depth), figures });
            if depth > 0 {
                told.extend(self.told_in(&t.id, &t.name, from, to, today)?);
            }
            // Counted where it is handled: the transferring side's final copy leaves the combined rows.
            facts.retain(|f| f.status != SuggestionStatus::Transferred);
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
        // A department kind is its name: the same name in two procuratorates is one row.
        for f in &mut all {
            if let Some((id, name)) = &mut f.lead {
                id.clone_from(name);
            }
        }
        let by_department = figures_of_facts(&all, from, to, GroupBy::Department, today)
            .rows
            .into_iter()
            .map(Into::into)
            .collect();
        Ok(Rollup { year, procuratorates, by_level, by_department, total, told })
    }

    /// The items of one procuratorate below that the level above must be told of in `[from, to]`:
    /// waiting for leadership after a second dissatisfaction, overdue (whenever received), transferred.
    fn told_in(
        &self,
        tenant: &liaison_core::ids::TenantId,
        name: &str,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<RollupItem>, AppError> {
        use crate::suggestion::{SUGGESTION, parse_suggestion};
        let statuses = |s: &[SuggestionStatus]| s.iter().map(|s| s.code().to_owned()).collect::<Vec<_>>();
        let open: Vec<SuggestionStatus> =
            SuggestionStatus::ALL.into_iter().filter(|s| !s.is_final()).collect();
        let queries = [
            RecordQuery { statuses: statuses(&[SuggestionStatus::Escalated]), ..RecordQuery::default() },
            RecordQuery {
                statuses: statuses(&open),
                due_by: today.pred_opt().map(|d| d.to_string()),
                ..RecordQuery::default()
            },
            RecordQuery {
                tag: Some(crate::suggestion::TRANSFER_TAG.into()),
                opened_from: Some(from.to_string()),
                opened_to: Some(to.to_string()),
                ..RecordQuery::default()
            },
        ];
        let mut policy = Ok((liaison_core::suggestion::SuggestionPolicy::default(), 0));
        self.store.read(&mut |q| {
            policy = crate::suggestion::load_policy(q, tenant);
            Ok(())
        })?;
        let (policy, calendar) = (policy?.0, &self.calendar);
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for q in &queries {
            for r in self.read(|s| s.records(tenant, SUGGESTION, q))? {
                if !seen.insert(r.id.clone()) {
                    continue;
                }
                let s: Suggestion = parse_suggestion(&r)?;
                let due = s.next_deadline(&policy, calendar).map(|o| o.due);
                let mut reasons: Vec<(&str, &str)> = Vec::new();
                if s.status == SuggestionStatus::Escalated {
                    reasons.push(("escalated", "两次不满意，待领导督办"));
                }
                if !s.status.is_final() && due.is_some_and(|d| d < today) {
                    reasons.push(("overdue", "逾期未办结"));
                }
                if s.transfer.is_some() {
                    reasons.push(("transferred_out", "已转其他检察院办理"));
                }
                if s.transferred_from.is_some() {
                    reasons.push(("transferred_in", "由其他检察院转来"));
                }
                if reasons.is_empty() {
                    continue;
                }
                let transfer_with = s
                    .transfer
                    .as_ref()
                    .map(|t| t.to_name.as_str().to_owned())
                    .or_else(|| s.transferred_from.as_ref().map(|o| o.from_name.as_str().to_owned()));
                let mut levels: Vec<_> = s.proposers.iter().chain(&s.withdrawn).map(|p| p.level).collect();
                levels.sort();
                levels.dedup();
                out.push(RollupItem {
                    procuratorate: name.to_owned(),
                    procuratorate_id: tenant.to_string(),
                    number: s.number.map(|n| n.to_string()),
                    received_on: s.received_on,
                    levels: levels.into_iter().map(|l| l.zh().to_owned()).collect(),
                    status: s.status.code().to_owned(),
                    status_zh: s.status.zh().to_owned(),
                    due,
                    reasons: reasons.iter().map(|r| r.0.to_owned()).collect(),
                    reasons_zh: reasons.iter().map(|r| r.1.to_owned()).collect(),
                    transfer_with,
                });
            }
        }
        out.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(out)
    }
}
