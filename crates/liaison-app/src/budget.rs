//! Funding (G2): the annual liaison budget by category in fen, expenses against lines, supplementary
//! appropriations, reversals of expenses entered in error (a new entry, never an edit; the same
//! permission as spending), the execution report with the projected shortfall.

use liaison_core::access::Action;
use liaison_core::budget::*;
use liaison_core::registry::parse_date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{short, word};
use crate::refs::staff;
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::{App, AppError, Principal};
use liaison_core::ids::BudgetYear;

const KIND: &str = "budget";

/// A command on a year's budget; amounts in yuan (`1234.56`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum BudgetAction {
    /// Set a line's planned amount (before adoption).
    Line {
        /// Category.
        category: String,
        /// Amount (yuan).
        amount: String,
    },
    /// A leader adopts the budget.
    Adopt {},
    /// An expense against a line.
    Spend {
        /// Category.
        category: String,
        /// Amount (yuan).
        amount: String,
        /// What for.
        purpose: String,
        /// The voucher's reference.
        reference: String,
        /// Day (default today).
        #[serde(default)]
        on: Option<String>,
    },
    /// Reverse expense `n` (entered in error): a new entry with its reason that gives the line its
    /// amount back; the expense itself is never edited.
    Reverse {
        /// The expense's number.
        n: u32,
        /// Why.
        reason: String,
        /// Day (default today).
        #[serde(default)]
        on: Option<String>,
    },
    /// Request a supplementary appropriation.
    Request {
        /// Category.
        category: String,
        /// Amount (yuan).
        amount: String,
        /// Why.
        reason: String,
    },
    /// A leader approves request `n`.
    Approve {
        /// Request number.
        n: u32,
    },
    /// A leader rejects request `n`.
    Reject {
        /// Request number.
        n: u32,
        /// Why.
        reason: String,
    },
}

/// A budget with its execution report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetView {
    /// The budget.
    #[schema(value_type = Object)]
    pub budget: Budget,
    /// Execution by line, with the projected shortfall.
    #[schema(value_type = Vec<Object>)]
    pub execution: Vec<Execution>,
}

/// The day given, or today.
fn day(on: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
    match on.filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_date(s).map_err(|e| AppError::invalid("on", &e)),
        None => Ok(today),
    }
}

fn amount(field: &str, s: &str) -> Result<u64, AppError> {
    parse_yuan(s).map_err(|e| AppError::invalid(field, &e))
}

/// A year's budget is kept under its year.
impl Stored for Budget {
    fn key(&self) -> String {
        self.year.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        let opened = chrono::NaiveDate::from_ymd_opt(self.year, 1, 1)
            .ok_or(AppError::Contract("a budget's year is checked when it is created"))?;
        Ok(Columns::new(if self.adopted.is_some() { "adopted" } else { "draft" }, opened))
    }
}

impl App {
    /// A year's budget (an empty draft if none yet) and its execution.
    pub fn budget(&self, p: &Principal, year: i32) -> Result<BudgetView, AppError> {
        p.require(Action::ReadCoverage)?;
        let b = match self.read(|q| q.record(&p.tenant, KIND, &year.to_string()))? {
            Some(r) => serde_json::from_str(&r.data).map_err(json_err)?,
            None => Budget::new(year),
        };
        let today = liaison_core::dates::china_date(self.now());
        Ok(BudgetView { execution: b.execution(today), budget: b })
    }

    /// Run a command on a year's budget.
    pub async fn budget_action(
        &self,
        p: &Principal,
        year: i32,
        expected: Option<u64>,
        action: BudgetAction,
    ) -> Result<BudgetView, AppError> {
        match action {
            BudgetAction::Adopt {} | BudgetAction::Approve { .. } | BudgetAction::Reject { .. } => {
                p.require(Action::ApproveLiaison)?
            }
            _ => p.require(Action::ManageLiaison)?,
        }
        if !(2000..=2999).contains(&year) {
            return Err(AppError::invalid("year", &liaison_core::ValueError::Range { min: 2000, max: 2999 }));
        }
        let meta = self.meta(p, None);
        let command = match action {
            BudgetAction::Line { category, amount: a } => BudgetCommand::SetLine {
                category: word("category", &category, Category::parse)?,
                fen: amount("amount", &a)?,
            },
            BudgetAction::Adopt {} => BudgetCommand::Adopt { by: staff(p) },
            BudgetAction::Spend { category, amount: a, purpose, reference, on } => BudgetCommand::Spend {
                category: word("category", &category, Category::parse)?,
                fen: amount("amount", &a)?,
                purpose: short("purpose", &purpose)?,
                reference: short("reference", &reference)?,
                on: day(on.as_deref(), meta.today())?,
            },
            BudgetAction::Reverse { n, reason, on } => BudgetCommand::Reverse {
                n,
                reason: short("reason", &reason)?,
                on: day(on.as_deref(), meta.today())?,
            },
            BudgetAction::Request { category, amount: a, reason } => BudgetCommand::Request {
                category: word("category", &category, Category::parse)?,
                fen: amount("amount", &a)?,
                reason: short("reason", &reason)?,
            },
            BudgetAction::Approve { n } => BudgetCommand::Approve { n, by: staff(p) },
            BudgetAction::Reject { n, reason } => {
                BudgetCommand::Reject { n, reason: short("reason", &reason)? }
            }
        };
        self.change(p, None, move |run| {
            let today = run.today();
            let b: Budget = run.upsert(BudgetYear(year), expected, command, today, |c| (c, today))?;
            Ok(BudgetView { execution: b.execution(today), budget: b })
        })
        .await
    }
}
