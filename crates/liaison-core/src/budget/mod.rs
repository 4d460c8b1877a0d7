//! Funding (经费保障, G2): an annual budget for liaison work by category, in integer fen; every expense
//! against a line (no spending outside the budget, none beyond what a line has); the projected shortfall;
//! supplementary appropriations requested → approved (the line grows) or rejected; the execution report.
//! A voucher is entered once (a second expense with the same reference is refused, naming the first); an
//! expense entered in error is cancelled by a reversal — a new entry with its reason, never an edit —
//! which gives the line back its amount. A reversed voucher may be entered again (corrected).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Localized;
use crate::ValueError;
use crate::dates::{ImplausibleDate, plausible};
use crate::registry::ShortText;
use crate::registry::values::{clean, word_enum};
use crate::suggestion::StaffRef;

word_enum!(
    /// A budget category.
    Category, "meetings/visits/activities/briefings/commendation/services/other (会议/走访/活动/资料订阅/表彰/服务保障/其他)", {
    /// 会议.
    Meetings => "meetings", "会议", ["会议经费"];
    /// 走访.
    Visits => "visits", "走访", [];
    /// 活动.
    Activities => "activities", "活动", [];
    /// 检察简报与学习资料订阅.
    Briefings => "briefings", "资料订阅", ["订阅", "简报"];
    /// 表彰.
    Commendation => "commendation", "表彰", ["奖励"];
    /// 服务保障.
    Services => "services", "服务保障", ["服务"];
    /// 其他.
    Other => "other", "其他", [];
});

/// Parse an amount in yuan (`1,234.56`, `1234.5`, `800`) into fen.
pub fn parse_yuan(s: &str) -> Result<u64, ValueError> {
    let s = clean(s).replace([',', '，', '元'], "");
    let bad = ValueError::OneOf("an amount in yuan, e.g. 1234.56");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad);
    }
    let yuan: u64 = whole.parse().map_err(|_| bad.clone())?;
    let fen: u64 = format!("{frac:0<2}").parse().map_err(|_| bad.clone())?;
    yuan.checked_mul(100).and_then(|y| y.checked_add(fen)).filter(|v| *v <= 10_000_000_000_000).ok_or(bad)
}

/// Fen as yuan text (`1234.56`).
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// An expense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expense {
    /// Number in the budget, from 1.
    pub n: u32,
    /// Day.
    pub on: NaiveDate,
    /// Amount in fen.
    pub fen: u64,
    /// What for.
    pub purpose: ShortText,
    /// The voucher's reference (a reversal carries the reference of the expense it cancels).
    pub reference: ShortText,
    /// When this entry is a reversal: the number of the expense it cancels. Its `purpose` is the reason,
    /// its amount the cancelled expense's, taken off the line's spending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<u32>,
}

/// A budget line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Planned (fen).
    pub planned: u64,
    /// Approved supplementary appropriations (fen).
    pub supplemented: u64,
    /// Spent (fen), net of reversals.
    pub spent: u64,
    /// Reversed (fen): the expenses cancelled by a reversal.
    #[serde(default)]
    pub reversed: u64,
    /// Expenses and reversals, in the order entered.
    pub expenses: Vec<Expense>,
}

impl Line {
    /// What is left.
    pub fn available(&self) -> u64 {
        (self.planned + self.supplemented).saturating_sub(self.spent)
    }
}

/// A supplementary appropriation (追加拨款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appropriation {
    /// Number, from 1.
    pub n: u32,
    /// Line.
    pub category: Category,
    /// Amount (fen).
    pub fen: u64,
    /// Why.
    pub reason: ShortText,
    /// Requested on.
    pub on: NaiveDate,
    /// Decision: approved (by, on) or rejected (reason).
    pub decision: Option<Result<(StaffRef, NaiveDate), ShortText>>,
}

/// A year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// The year (also the id).
    pub year: i32,
    /// Version.
    pub version: u64,
    /// Lines.
    pub lines: BTreeMap<Category, Line>,
    /// Adopted by, on.
    pub adopted: Option<(StaffRef, NaiveDate)>,
    /// Supplementary appropriations.
    pub appropriations: Vec<Appropriation>,
}

/// What may be asked of a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetCommand {
    /// Set a line's planned amount (before adoption).
    SetLine {
        /// Category.
        category: Category,
        /// Amount (fen).
        fen: u64,
    },
    /// A leader adopts it.
    Adopt {
        /// By.
        by: StaffRef,
    },
    /// An expense against a line.
    Spend {
        /// Line.
        category: Category,
        /// Amount (fen).
        fen: u64,
        /// What for.
        purpose: ShortText,
        /// Voucher.
        reference: ShortText,
        /// Day.
        on: NaiveDate,
    },
    /// Reverse (cancel) expense `n` with a new entry: never an edit.
    Reverse {
        /// The expense's number.
        n: u32,
        /// Why.
        reason: ShortText,
        /// Day.
        on: NaiveDate,
    },
    /// Request a supplementary appropriation.
    Request {
        /// Line.
        category: Category,
        /// Amount (fen).
        fen: u64,
        /// Why.
        reason: ShortText,
    },
    /// A leader approves a request: the line grows.
    Approve {
        /// Request number.
        n: u32,
        /// By.
        by: StaffRef,
    },
    /// A leader rejects a request.
    Reject {
        /// Request number.
        n: u32,
        /// Why.
        reason: ShortText,
    },
}

/// What happened to a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BudgetEvent {
    /// A line set.
    LineSet {
        /// Category.
        category: Category,
        /// Fen.
        fen: u64,
    },
    /// Adopted.
    Adopted {
        /// By.
        by: StaffRef,
        /// On.
        on: NaiveDate,
    },
    /// Spent.
    Spent {
        /// Line.
        category: Category,
        /// The expense.
        expense: Expense,
    },
    /// An expense reversed.
    Reversed {
        /// Line.
        category: Category,
        /// The reversal (`reverses` names the expense).
        reversal: Expense,
    },
    /// Requested.
    Requested {
        /// The request.
        appropriation: Appropriation,
    },
    /// Approved.
    Approved {
        /// Number.
        n: u32,
        /// By.
        by: StaffRef,
        /// On.
        on: NaiveDate,
    },
    /// Rejected.
    Rejected {
        /// Number.
        n: u32,
        /// Why.
        reason: ShortText,
    },
}

impl BudgetEvent {
    /// The stable name.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::LineSet { .. } => "budget.line_set",
            Self::Adopted { .. } => "budget.adopted",
            Self::Spent { .. } => "budget.spent",
            Self::Reversed { .. } => "budget.expense_reversed",
            Self::Requested { .. } => "budget.appropriation_requested",
            Self::Approved { .. } => "budget.appropriation_approved",
            Self::Rejected { .. } => "budget.appropriation_rejected",
        }
    }
}

/// Why a budget command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BudgetError {
    /// Lines change only before adoption.
    #[error("the budget is adopted: lines change only through supplementary appropriations")]
    Adopted,
    /// Not adopted yet.
    #[error("the budget is not adopted yet")]
    NotAdopted,
    /// Nothing planned: a budget without an amount on any line is not adopted.
    #[error("the budget plans nothing: set the amounts of its lines before it is adopted")]
    Empty,
    /// No such line: no spending outside the budget.
    #[error("the budget has no {} line: no spending outside the budget", .0.code())]
    NoLine(Category),
    /// More than the line has.
    #[error("the {} line has {} yuan left; request a supplementary appropriation", .category.code(), yuan(*.available))]
    OverBudget {
        /// Line.
        category: Category,
        /// Left (fen).
        available: u64,
    },
    /// A zero amount.
    #[error("the amount must be more than zero")]
    ZeroAmount,
    /// An expense dated outside the budget's year.
    #[error("{0} is outside the budget's year")]
    OutsideYear(NaiveDate),
    /// No such open request.
    #[error("no open request {0}")]
    NoRequest(u32),
    /// The voucher is already entered.
    #[error(
        "reference: voucher {reference} is already entered as expense {earlier} of {on}: a voucher is spent once"
    )]
    DuplicateReference {
        /// The reference.
        reference: String,
        /// The earlier expense's number.
        earlier: u32,
        /// Its day.
        on: NaiveDate,
    },
    /// No such expense.
    #[error("no expense {0}")]
    NoExpense(u32),
    /// The entry is itself a reversal.
    #[error("entry {0} is a reversal: a reversal cannot be reversed")]
    ReversalOfReversal(u32),
    /// Already reversed.
    #[error("expense {n} is already reversed by entry {by}")]
    AlreadyReversed {
        /// The expense.
        n: u32,
        /// The reversal.
        by: u32,
    },
    /// A reversal dated before its expense.
    #[error("on: the reversal cannot be dated before expense {n} ({expense_on})")]
    ReversalBeforeExpense {
        /// The expense.
        n: u32,
        /// Its day.
        expense_on: NaiveDate,
    },
    /// A date outside the plausible range.
    #[error(transparent)]
    Date(#[from] ImplausibleDate),
}

impl BudgetError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Adopted => "budget.adopted",
            Self::NotAdopted => "budget.not_adopted",
            Self::Empty => "budget.empty",
            Self::NoLine(_) => "budget.no_line",
            Self::OverBudget { .. } => "budget.over_budget",
            Self::ZeroAmount => "budget.zero_amount",
            Self::OutsideYear(_) => "budget.outside_year",
            Self::NoRequest(_) => "budget.no_request",
            Self::DuplicateReference { .. } => "budget.duplicate_reference",
            Self::NoExpense(_) => "budget.no_expense",
            Self::ReversalOfReversal(_) => "budget.reversal_of_reversal",
            Self::AlreadyReversed { .. } => "budget.already_reversed",
            Self::ReversalBeforeExpense { .. } => "budget.reversal_before_expense",
            Self::Date(_) => "budget.implausible_date",
        }
    }
    /// Whether it is about the input.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Self::ZeroAmount | Self::OutsideYear(_) | Self::ReversalBeforeExpense { .. } | Self::Date(_)
        )
    }
}

impl Localized for BudgetError {
    fn zh(&self) -> String {
        match self {
            Self::Adopted => "预算已批准，只能通过追加拨款调整".into(),
            Self::NotAdopted => "预算尚未批准".into(),
            Self::Empty => "预算各科目均无金额：请先填写各科目的预算数，再报批".into(),
            Self::NoLine(c) => format!("预算中没有“{}”科目，不得预算外支出", c.zh()),
            Self::OverBudget { category, available } => {
                format!("“{}”科目仅余 {} 元，请申请追加拨款", category.zh(), yuan(*available))
            }
            Self::ZeroAmount => "金额须大于零".into(),
            Self::OutsideYear(d) => format!("{d} 不在预算年度内"),
            Self::NoRequest(n) => format!("没有待审批的第 {n} 号追加申请"),
            Self::DuplicateReference { reference, earlier, on } => format!(
                "凭证号（reference）{reference} 已记入第 {earlier} 笔支出（{on}），同一凭证不能重复报销；如前笔有误，请先冲销"
            ),
            Self::NoExpense(n) => format!("没有第 {n} 笔支出"),
            Self::ReversalOfReversal(n) => format!("第 {n} 笔是冲销记录，冲销记录不能再冲销"),
            Self::AlreadyReversed { n, by } => format!("第 {n} 笔支出已由第 {by} 笔冲销，不能重复冲销"),
            Self::ReversalBeforeExpense { n, expense_on } => {
                format!("冲销日期（on）不能早于第 {n} 笔支出的日期 {expense_on}")
            }
            Self::Date(e) => e.zh(),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// One line of the execution report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execution {
    /// Category.
    pub category: Category,
    /// Planned (fen).
    pub planned: u64,
    /// Supplemented (fen).
    pub supplemented: u64,
    /// Spent (fen), net of reversals.
    pub spent: u64,
    /// Reversed (fen): expenses cancelled by a reversal, already taken off `spent`.
    #[serde(default)]
    pub reversed: u64,
    /// How many expenses were reversed.
    #[serde(default)]
    pub reversals: u32,
    /// Left (fen).
    pub available: u64,
    /// Spent per mille of planned + supplemented.
    pub execution_permille: u32,
    /// Spending at this year's pace to the end of the year, beyond what the line has (fen).
    pub projected_shortfall: u64,
}

impl Budget {
    /// An empty draft for a year.
    pub fn new(year: i32) -> Self {
        Self { year, version: 0, lines: BTreeMap::new(), adopted: None, appropriations: Vec::new() }
    }

    /// Check a command.
    pub fn decide(&self, c: BudgetCommand, today: NaiveDate) -> Result<Vec<BudgetEvent>, BudgetError> {
        match c {
            BudgetCommand::SetLine { category, fen } => {
                if self.adopted.is_some() {
                    return Err(BudgetError::Adopted);
                }
                Ok(vec![BudgetEvent::LineSet { category, fen }])
            }
            BudgetCommand::Adopt { by } => {
                if self.adopted.is_some() {
                    return Err(BudgetError::Adopted);
                }
                if self.lines.values().all(|l| l.planned == 0) {
                    return Err(BudgetError::Empty);
                }
                Ok(vec![BudgetEvent::Adopted { by, on: today }])
            }
            BudgetCommand::Spend { category, fen, purpose, reference, on } => {
                if self.adopted.is_none() {
                    return Err(BudgetError::NotAdopted);
                }
                if fen == 0 {
                    return Err(BudgetError::ZeroAmount);
                }
                plausible("on", on, today)?;
                if on.year() != self.year {
                    return Err(BudgetError::OutsideYear(on));
                }
                let line = self.lines.get(&category).ok_or(BudgetError::NoLine(category))?;
                if let Some(e) = self.entries().find(|e| {
                    e.reverses.is_none() && e.reference == reference && self.reversal_of(e.n).is_none()
                }) {
                    return Err(BudgetError::DuplicateReference {
                        reference: reference.to_string(),
                        earlier: e.n,
                        on: e.on,
                    });
                }
                if fen > line.available() {
                    return Err(BudgetError::OverBudget { category, available: line.available() });
                }
                let n = self.next_entry();
                Ok(vec![BudgetEvent::Spent {
                    category,
                    expense: Expense { n, on, fen, purpose, reference, reverses: None },
                }])
            }
            BudgetCommand::Reverse { n, reason, on } => {
                if self.adopted.is_none() {
                    return Err(BudgetError::NotAdopted);
                }
                let (category, e) = self
                    .lines
                    .iter()
                    .find_map(|(c, l)| l.expenses.iter().find(|e| e.n == n).map(|e| (*c, e)))
                    .ok_or(BudgetError::NoExpense(n))?;
                if e.reverses.is_some() {
                    return Err(BudgetError::ReversalOfReversal(n));
                }
                if let Some(r) = self.reversal_of(n) {
                    return Err(BudgetError::AlreadyReversed { n, by: r.n });
                }
                plausible("on", on, today)?;
                if on.year() != self.year {
                    return Err(BudgetError::OutsideYear(on));
                }
                if on < e.on {
                    return Err(BudgetError::ReversalBeforeExpense { n, expense_on: e.on });
                }
                let reversal = Expense {
                    n: self.next_entry(),
                    on,
                    fen: e.fen,
                    purpose: reason,
                    reference: e.reference.clone(),
                    reverses: Some(n),
                };
                Ok(vec![BudgetEvent::Reversed { category, reversal }])
            }
            BudgetCommand::Request { category, fen, reason } => {
                if self.adopted.is_none() {
                    return Err(BudgetError::NotAdopted);
                }
                if fen == 0 {
                    return Err(BudgetError::ZeroAmount);
                }
                if !self.lines.contains_key(&category) {
                    return Err(BudgetError::NoLine(category));
                }
                let n = self.appropriations.len() as u32 + 1;
                Ok(vec![BudgetEvent::Requested {
                    appropriation: Appropriation { n, category, fen, reason, on: today, decision: None },
                }])
            }
            BudgetCommand::Approve { n, by } => {
                self.open_request(n)?;
                Ok(vec![BudgetEvent::Approved { n, by, on: today }])
            }
            BudgetCommand::Reject { n, reason } => {
                self.open_request(n)?;
                Ok(vec![BudgetEvent::Rejected { n, reason }])
            }
        }
    }

    /// Every expense and reversal, line by line.
    fn entries(&self) -> impl Iterator<Item = &Expense> {
        self.lines.values().flat_map(|l| &l.expenses)
    }

    /// The reversal of expense `n`, if any.
    pub fn reversal_of(&self, n: u32) -> Option<&Expense> {
        self.entries().find(|e| e.reverses == Some(n))
    }

    fn next_entry(&self) -> u32 {
        self.entries().count() as u32 + 1
    }

    fn open_request(&self, n: u32) -> Result<&Appropriation, BudgetError> {
        self.appropriations.iter().find(|a| a.n == n && a.decision.is_none()).ok_or(BudgetError::NoRequest(n))
    }

    /// Fold an event.
    pub fn apply(&mut self, e: &BudgetEvent) {
        self.version += 1;
        match e {
            BudgetEvent::LineSet { category, fen } => self.lines.entry(*category).or_default().planned = *fen,
            BudgetEvent::Adopted { by, on } => self.adopted = Some((by.clone(), *on)),
            BudgetEvent::Spent { category, expense } => {
                let l = self.lines.entry(*category).or_default();
                l.spent += expense.fen;
                l.expenses.push(expense.clone());
            }
            BudgetEvent::Reversed { category, reversal } => {
                let l = self.lines.entry(*category).or_default();
                l.spent = l.spent.saturating_sub(reversal.fen);
                l.reversed += reversal.fen;
                l.expenses.push(reversal.clone());
            }
            BudgetEvent::Requested { appropriation } => self.appropriations.push(appropriation.clone()),
            BudgetEvent::Approved { n, by, on } => {
                if let Some(a) = self.appropriations.iter_mut().find(|a| a.n == *n) {
                    a.decision = Some(Ok((by.clone(), *on)));
                    let (c, fen) = (a.category, a.fen);
                    self.lines.entry(c).or_default().supplemented += fen;
                }
            }
            BudgetEvent::Rejected { n, reason } => {
                if let Some(a) = self.appropriations.iter_mut().find(|a| a.n == *n) {
                    a.decision = Some(Err(reason.clone()));
                }
            }
        }
    }

    /// The execution report as of `today`, with the shortfall projected at this year's pace.
    pub fn execution(&self, today: NaiveDate) -> Vec<Execution> {
        let start = NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(today);
        let end = NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(today);
        let elapsed = (today.min(end) - start).num_days().max(0) as u64 + 1;
        let days = (end - start).num_days() as u64 + 1;
        self.lines
            .iter()
            .map(|(c, l)| {
                let total = l.planned + l.supplemented;
                let projected = if today < start { 0 } else { l.spent * days / elapsed };
                Execution {
                    category: *c,
                    planned: l.planned,
                    supplemented: l.supplemented,
                    spent: l.spent,
                    reversed: l.reversed,
                    reversals: l.expenses.iter().filter(|e| e.reverses.is_some()).count() as u32,
                    available: l.available(),
                    execution_permille: crate::ratio::permille(l.spent, total).unwrap_or(0),
                    projected_shortfall: projected.saturating_sub(total),
                }
            })
            .collect()
    }
}

mod aggregate;
#[cfg(test)]
mod tests;
