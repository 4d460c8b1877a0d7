//! The year's budget as an [`Aggregate`]: its first command (setting the lines) creates it.

use chrono::NaiveDate;

use super::{Budget, BudgetCommand, BudgetError, BudgetEvent};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::BudgetYear;

domain_error!(BudgetError);
domain_event!(BudgetEvent);

impl Aggregate for Budget {
    const KIND: &'static str = "budget";
    type Id = BudgetYear;
    /// A budget has no creation of its own: its first command, decided against the empty year.
    type Create = BudgetCommand;
    type Command = BudgetCommand;
    type Event = BudgetEvent;
    type Error = BudgetError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = NaiveDate;

    fn create(
        year: &BudgetYear,
        c: BudgetCommand,
        today: NaiveDate,
    ) -> Result<Vec<BudgetEvent>, BudgetError> {
        Budget::new(year.0).decide(c, today)
    }
    fn created(year: &BudgetYear, first: &BudgetEvent) -> Option<Self> {
        let mut b = Budget::new(year.0);
        b.apply(first);
        Some(b)
    }
    fn decide(&self, c: BudgetCommand, today: NaiveDate) -> Result<Vec<BudgetEvent>, BudgetError> {
        Budget::decide(self, c, today)
    }
    fn apply(&mut self, e: &BudgetEvent) {
        Budget::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
