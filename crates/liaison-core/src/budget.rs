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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::ids::UserId;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> ShortText {
        ShortText::parse(s).unwrap()
    }
    fn by() -> StaffRef {
        StaffRef { user: UserId(Uuid::nil()), name: "检察长".into() }
    }
    fn when(b: &mut Budget, c: BudgetCommand) -> Result<(), BudgetError> {
        let before = b.clone();
        match b.decide(c, d("2026-06-30")) {
            Ok(es) => {
                for e in &es {
                    b.apply(e);
                }
                Ok(())
            }
            Err(e) => {
                assert_eq!(*b, before);
                Err(e)
            }
        }
    }
    /// An expense with a voucher of its own.
    fn spend(fen: u64) -> BudgetCommand {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        spend_with(fen, &format!("凭证{k}"))
    }
    fn spend_with(fen: u64, reference: &str) -> BudgetCommand {
        BudgetCommand::Spend {
            category: Category::Meetings,
            fen,
            purpose: t("座谈会"),
            reference: t(reference),
            on: d("2026-06-01"),
        }
    }
    fn reverse(n: u32) -> BudgetCommand {
        BudgetCommand::Reverse { n, reason: t("重复报销，冲销"), on: d("2026-06-20") }
    }
    fn adopted(fen: u64) -> Budget {
        let mut b = Budget::new(2026);
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen }).unwrap();
        when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
        b
    }

    #[test]
    fn a_voucher_is_spent_once_and_the_error_names_the_earlier_expense() {
        let mut b = adopted(10_000);
        when(&mut b, spend_with(1_000, "会字2026-17号")).unwrap();
        let e = when(&mut b, spend_with(1_000, "会字2026-17号")).unwrap_err();
        assert_eq!(
            e,
            BudgetError::DuplicateReference {
                reference: "会字2026-17号".into(),
                earlier: 1,
                on: d("2026-06-01")
            }
        );
        assert!(e.zh().contains("第 1 笔") && e.zh().contains("凭证号"), "{}", e.zh());
        assert_eq!(b.lines[&Category::Meetings].spent, 1_000);
    }

    #[test]
    fn a_reversal_cancels_one_expense_once_with_its_reason_and_restores_the_line() {
        let mut b = adopted(10_000);
        assert_eq!(when(&mut b, reverse(1)), Err(BudgetError::NoExpense(1)));
        when(&mut b, spend_with(4_000, "V-1")).unwrap();
        when(&mut b, spend_with(3_000, "V-2")).unwrap();
        assert_eq!(b.lines[&Category::Meetings].available(), 3_000);
        let early = BudgetCommand::Reverse { n: 1, reason: t("错记"), on: d("2026-05-31") };
        assert_eq!(
            when(&mut b, early),
            Err(BudgetError::ReversalBeforeExpense { n: 1, expense_on: d("2026-06-01") })
        );
        let far = BudgetCommand::Reverse { n: 1, reason: t("错记"), on: d("2099-06-01") };
        assert!(matches!(when(&mut b, far), Err(BudgetError::Date(e)) if e.field == "on"));
        when(&mut b, reverse(1)).unwrap();
        let line = &b.lines[&Category::Meetings];
        assert_eq!((line.spent, line.reversed, line.available()), (3_000, 4_000, 7_000));
        let r = line.expenses.last().unwrap();
        assert_eq!((r.n, r.reverses, r.fen, r.purpose.as_str()), (3, Some(1), 4_000, "重复报销，冲销"));
        assert_eq!(line.expenses[0].reverses, None, "the expense itself is never edited");
        assert_eq!(when(&mut b, reverse(1)), Err(BudgetError::AlreadyReversed { n: 1, by: 3 }));
        assert_eq!(when(&mut b, reverse(3)), Err(BudgetError::ReversalOfReversal(3)));
        // The execution figures show it; a reversed voucher may be entered again, corrected.
        let e = &b.execution(d("2026-06-30"))[0];
        assert_eq!((e.spent, e.reversed, e.reversals, e.available), (3_000, 4_000, 1, 7_000));
        when(&mut b, spend_with(400, "V-1")).unwrap();
        assert_eq!(when(&mut b, spend_with(400, "V-2")).unwrap_err().code(), "budget.duplicate_reference");
        // Older records without reversals still read.
        let old = r#"{"planned":1,"supplemented":0,"spent":0,"expenses":[]}"#;
        assert_eq!(serde_json::from_str::<Line>(old).unwrap().reversed, 0);
    }

    /// 2 of 3 yuan spent is 66.7% executed (per mille rounded, not truncated to 666).
    #[test]
    fn the_execution_rate_is_rounded() {
        let mut b = Budget::new(2026);
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 300 }).unwrap();
        when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
        when(&mut b, spend(200)).unwrap();
        assert_eq!(b.execution(d("2026-06-30"))[0].execution_permille, 667);
    }

    #[test]
    fn amounts_parse_as_fen() {
        assert_eq!(parse_yuan("1,234.56"), Ok(123_456));
        assert_eq!(parse_yuan("800"), Ok(80_000));
        assert_eq!(parse_yuan("0.5"), Ok(50));
        for bad in ["", "-5", "1.234", "abc", "1.2.3"] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
        assert_eq!(yuan(123_456), "1234.56");
    }

    #[test]
    fn no_spending_outside_or_beyond_the_budget_until_an_appropriation_is_approved() {
        let mut b = Budget::new(2026);
        assert_eq!(when(&mut b, spend(100)), Err(BudgetError::NotAdopted));
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
        when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
        assert_eq!(
            when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 1 }),
            Err(BudgetError::Adopted)
        );
        let outside = BudgetCommand::Spend {
            category: Category::Visits,
            fen: 1,
            purpose: t("走访"),
            reference: t("凭证2"),
            on: d("2026-06-01"),
        };
        assert_eq!(when(&mut b, outside), Err(BudgetError::NoLine(Category::Visits)));
        let last_year = BudgetCommand::Spend {
            category: Category::Meetings,
            fen: 1,
            purpose: t("x"),
            reference: t("x"),
            on: d("2025-12-31"),
        };
        assert_eq!(when(&mut b, last_year), Err(BudgetError::OutsideYear(d("2025-12-31"))));
        when(&mut b, spend(8_000)).unwrap();
        assert_eq!(
            when(&mut b, spend(3_000)),
            Err(BudgetError::OverBudget { category: Category::Meetings, available: 2_000 })
        );
        when(
            &mut b,
            BudgetCommand::Request { category: Category::Meetings, fen: 5_000, reason: t("增加座谈会") },
        )
        .unwrap();
        assert_eq!(
            when(&mut b, spend(3_000)),
            Err(BudgetError::OverBudget { category: Category::Meetings, available: 2_000 }),
            "not before approval"
        );
        when(&mut b, BudgetCommand::Approve { n: 1, by: by() }).unwrap();
        assert_eq!(when(&mut b, BudgetCommand::Approve { n: 1, by: by() }), Err(BudgetError::NoRequest(1)));
        when(&mut b, spend(3_000)).unwrap();
        let e = &b.execution(d("2026-06-30"))[0];
        assert_eq!(
            (e.planned, e.supplemented, e.spent, e.available, e.execution_permille),
            (10_000, 5_000, 11_000, 4_000, 733)
        );
        assert!(e.projected_shortfall > 0, "{e:?}: at this pace the line runs out");
    }

    /// A budget with these lines and spending, built from its events (no refusal in the way).
    fn spent(year: i32, lines: &[(Category, u64, u64)]) -> Budget {
        let mut b = Budget::new(year);
        for &(category, planned, _) in lines {
            b.apply(&BudgetEvent::LineSet { category, fen: planned });
        }
        b.apply(&BudgetEvent::Adopted { by: by(), on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap() });
        for (k, &(category, _, fen)) in lines.iter().enumerate() {
            let expense = Expense {
                n: k as u32 + 1,
                on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
                fen,
                purpose: t("座谈会"),
                reference: t(&format!("V{k}")),
                reverses: None,
            };
            b.apply(&BudgetEvent::Spent { category, expense });
        }
        b
    }

    /// The year-end projection is spent × days in the year / days elapsed (today included), less what the
    /// line has: 31 March 2026 is day 90 of 365; 9 000 fen at that pace is 36 500 by 31 December.
    #[test]
    fn the_projection_on_a_fixed_day_is_exact() {
        let b = spent(2026, &[(Category::Meetings, 30_000, 9_000), (Category::Visits, 40_000, 9_000)]);
        let e = b.execution(d("2026-03-31"));
        assert_eq!((e[0].category, e[0].projected_shortfall), (Category::Meetings, 6_500));
        assert_eq!((e[1].category, e[1].projected_shortfall), (Category::Visits, 0), "36 500 < 40 000");
        assert_eq!(e[0].available, 21_000);
        assert_eq!(e[0].execution_permille, 300);
        // 1 January is day 1: 100 fen × 365.
        let b = spent(2026, &[(Category::Meetings, 30_000, 100)]);
        assert_eq!(b.execution(d("2026-01-01"))[0].projected_shortfall, 36_500 - 30_000);
        // On 31 December the pace is what was spent; after the year, the same.
        let b = spent(2026, &[(Category::Meetings, 30_000, 30_000)]);
        assert_eq!(b.execution(d("2026-12-31"))[0].projected_shortfall, 0);
        assert_eq!(b.execution(d("2027-02-01"))[0].projected_shortfall, 0);
        let b = spent(2026, &[(Category::Meetings, 30_000, 15_000)]);
        // 2 July 2026 is day 183: 15 000 × 365 / 183 = 29 918 (rounded down), within the line.
        assert_eq!(b.execution(d("2026-07-02"))[0].projected_shortfall, 0);
        // Before the year begins nothing is projected (and nothing overflows the day before).
        assert_eq!(b.execution(d("2025-12-31"))[0].projected_shortfall, 0);
        assert_eq!(b.execution(d("2025-06-01"))[0].projected_shortfall, 0);
    }

    /// A leap year has 366 days: 31 March 2028 is day 91; 9 100 fen × 366 / 91 = 36 600.
    #[test]
    fn the_projection_in_a_leap_year_counts_366_days() {
        let b = spent(2028, &[(Category::Meetings, 36_000, 9_100)]);
        assert_eq!(b.execution(d("2028-03-31"))[0].projected_shortfall, 600);
        // 29 February 2028 is day 60: 600 × 366 / 60 = 3 660.
        let b = spent(2028, &[(Category::Meetings, 3_000, 600)]);
        assert_eq!(b.execution(d("2028-02-29"))[0].projected_shortfall, 660);
    }

    #[test]
    fn exactly_the_balance_may_be_spent_and_not_one_fen_more() {
        let mut b = adopted(10_000);
        when(&mut b, spend(4_000)).unwrap();
        assert_eq!(
            when(&mut b, spend(6_001)),
            Err(BudgetError::OverBudget { category: Category::Meetings, available: 6_000 })
        );
        when(&mut b, spend(6_000)).unwrap();
        assert_eq!(b.lines[&Category::Meetings].available(), 0);
        assert_eq!(b.lines[&Category::Meetings].spent, 10_000);
        assert_eq!(
            when(&mut b, spend(1)),
            Err(BudgetError::OverBudget { category: Category::Meetings, available: 0 })
        );
        assert_eq!(when(&mut b, spend(0)), Err(BudgetError::ZeroAmount));
        let e = &b.execution(d("2026-06-30"))[0];
        assert_eq!((e.available, e.execution_permille), (0, 1000));
    }

    #[test]
    fn rejecting_request_two_of_two_decides_request_two() {
        let mut b = adopted(10_000);
        let request = |fen| BudgetCommand::Request { category: Category::Meetings, fen, reason: t("追加") };
        when(&mut b, request(1_000)).unwrap();
        when(&mut b, request(2_000)).unwrap();
        assert_eq!(
            b.appropriations.iter().map(|a| (a.n, a.fen)).collect::<Vec<_>>(),
            vec![(1, 1_000), (2, 2_000)]
        );
        when(&mut b, BudgetCommand::Reject { n: 2, reason: t("不予追加") }).unwrap();
        assert_eq!(b.appropriations[0].decision, None, "request 1 still open");
        assert_eq!(b.appropriations[1].decision, Some(Err(t("不予追加"))));
        assert_eq!(
            when(&mut b, BudgetCommand::Reject { n: 2, reason: t("x") }),
            Err(BudgetError::NoRequest(2))
        );
        assert_eq!(when(&mut b, BudgetCommand::Approve { n: 2, by: by() }), Err(BudgetError::NoRequest(2)));
        assert_eq!(when(&mut b, BudgetCommand::Approve { n: 3, by: by() }), Err(BudgetError::NoRequest(3)));
        when(&mut b, BudgetCommand::Approve { n: 1, by: by() }).unwrap();
        assert_eq!(b.lines[&Category::Meetings].supplemented, 1_000, "only the approved request");
        assert!(matches!(b.appropriations[0].decision, Some(Ok(_))));
        assert_eq!(b.lines[&Category::Meetings].available(), 11_000);
        when(&mut b, request(500)).unwrap();
        assert_eq!(b.appropriations[2].n, 3);
        assert_eq!(b.appropriations[2].on, d("2026-06-30"));
    }

    /// Entries are numbered across the lines in the order entered (reversals included), from 1.
    #[test]
    fn expenses_and_reversals_are_numbered_across_lines() {
        let mut b = Budget::new(2026);
        when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
        when(&mut b, BudgetCommand::SetLine { category: Category::Visits, fen: 10_000 }).unwrap();
        when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
        let visit = |fen, reference: &str| BudgetCommand::Spend {
            category: Category::Visits,
            fen,
            purpose: t("走访"),
            reference: t(reference),
            on: d("2026-06-02"),
        };
        when(&mut b, spend_with(100, "M-1")).unwrap();
        when(&mut b, visit(200, "V-1")).unwrap();
        when(&mut b, spend_with(300, "M-2")).unwrap();
        when(&mut b, reverse(2)).unwrap();
        when(&mut b, visit(250, "V-1")).unwrap();
        let numbers =
            |c: Category| b.lines[&c].expenses.iter().map(|e| (e.n, e.reverses)).collect::<Vec<_>>();
        assert_eq!(numbers(Category::Meetings), vec![(1, None), (3, None)]);
        assert_eq!(numbers(Category::Visits), vec![(2, None), (4, Some(2)), (5, None)]);
        assert_eq!(b.reversal_of(2).map(|r| r.n), Some(4));
        assert_eq!(b.reversal_of(1), None);
        let v = &b.lines[&Category::Visits];
        assert_eq!((v.spent, v.reversed, v.available()), (250, 200, 9_750));
        assert_eq!(b.version, 8, "one per event");
    }

    proptest! {
        /// Whatever is attempted, a line's spending never exceeds its plan plus its approved appropriations.
        #[test]
        fn a_line_never_goes_negative(ops in proptest::collection::vec((0u8..5, 1u64..5_000), 1..40)) {
            let mut b = Budget::new(2026);
            when(&mut b, BudgetCommand::SetLine { category: Category::Meetings, fen: 10_000 }).unwrap();
            when(&mut b, BudgetCommand::Adopt { by: by() }).unwrap();
            for (op, fen) in ops {
                let c = match op {
                    0 | 1 => spend(fen),
                    2 => BudgetCommand::Request { category: Category::Meetings, fen, reason: t("追加") },
                    3 => BudgetCommand::Approve { n: b.appropriations.len() as u32, by: by() },
                    _ => reverse(1 + (fen % 8) as u32),
                };
                let _ = when(&mut b, c);
                for l in b.lines.values() {
                    prop_assert!(l.spent <= l.planned + l.supplemented);
                    let approved: u64 = b.appropriations.iter().filter(|a| matches!(a.decision, Some(Ok(_)))).map(|a| a.fen).sum();
                    prop_assert_eq!(l.supplemented, approved);
                    // Spending is what was spent less what was reversed, each expense reversed at most once.
                    let gross: u64 = l.expenses.iter().filter(|e| e.reverses.is_none()).map(|e| e.fen).sum();
                    prop_assert_eq!(l.spent + l.reversed, gross);
                    let mut reversed: Vec<u32> = l.expenses.iter().filter_map(|e| e.reverses).collect();
                    let all = reversed.len();
                    reversed.sort_unstable();
                    reversed.dedup();
                    prop_assert_eq!(reversed.len(), all);
                }
            }
        }
    }
}
