//! The working-day calendar (工作日历): deadlines counted in working days follow the State Council's yearly
//! holiday schedule (放假调休), including the weekend days that are working days (调休上班). The schedule
//! is data: a deployment adds each year when its notice is published. A year without a published schedule
//! counts its statutory holidays (法定节假日, computed in `statutory` from the lunar table in `lunar`) and
//! every weekend as days off, with no make-up working day and no substitute day off (补假): which days the
//! State Council will swap cannot be known. Every result names the years it assumed, and
//! `WorkCalendar::explain` says how a deadline was computed.
//!
//! Deadlines that end on a day off move to the next working day (期间届满的最后一日是法定休假日的，以休假日
//! 后的第一日为届满日期).
//!
//! ```
//! use chrono::NaiveDate;
//! use liaison_core::calendar::{Period, WorkCalendar};
//!
//! let day = |s: &str| s.parse::<NaiveDate>();
//! let mut cal = WorkCalendar::new();
//! // 2026's 劳动节 as the State Council published it: 05-01 to 05-05 off, Saturday 05-09 worked.
//! let holidays = [("劳动节".to_owned(), day("2026-05-01")?, day("2026-05-05")?)];
//! cal.add_year(2026, "国务院办公厅关于2026年部分节假日安排的通知", &holidays, &[day("2026-05-09")?])?;
//!
//! // A deputy's feedback window: 20 working days from the answer (the day itself not counted).
//! let feedback = cal.deadline(day("2026-04-10")?, Period::WorkingDays(20));
//! assert_eq!(feedback.due, day("2026-05-12")?);
//! assert!(!feedback.is_provisional());
//!
//! // The same computation, explained day by day for the deputy and the handler.
//! let basis = cal.explain(day("2026-04-10")?, Period::WorkingDays(20));
//! assert_eq!(basis.due, feedback.due);
//! assert!(basis.note_zh().contains("2026-05-01至2026-05-05 劳动节"));
//! assert!(basis.note_en().starts_with("20 working days from 2026-04-10 (not counted): due 2026-05-12"));
//!
//! // Three months for the answer: lands on 2026-07-02, a working day.
//! assert_eq!(cal.deadline(day("2026-04-02")?, Period::Months(3)).due, day("2026-07-02")?);
//!
//! // 2027's schedule is not published yet: its statutory holidays are computed (春节 from 除夕), and the
//! // deadline says it assumed 2027.
//! let provisional = cal.deadline(day("2027-02-03")?, Period::WorkingDays(5));
//! assert_eq!((provisional.due, provisional.assumed_years.clone()), (day("2027-02-12")?, vec![2027]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod basis;
mod lunar;
mod schedule;
mod statutory;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use basis::{DayOff, DeadlineBasis, SkippedDay};
pub use schedule::{HolidayRange, Schedule, ScheduleError, ScheduleYear};
pub use statutory::{Festival, statutory_holiday, statutory_holidays};

use crate::Localized;

/// One year's official schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    /// Where it comes from (the notice's title and date).
    pub source: String,
    /// Days off that would otherwise be working days, with the holiday's name.
    pub holidays: BTreeMap<NaiveDate, String>,
    /// Weekend days that are working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

/// Why a year's schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A date outside the year it is listed under.
    #[error("{date} is not in {year}")]
    WrongYear {
        /// The year.
        year: i32,
        /// The date.
        date: NaiveDate,
    },
    /// A holiday range that ends before it begins.
    #[error("holiday {name} ends ({to}) before it begins ({from})")]
    BackwardsRange {
        /// The holiday.
        name: String,
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// A make-up working day (调休上班) on a weekday: only a weekend day can be made a working day.
    #[error("make-up working day {0} is a {wd}, not a Saturday or Sunday", wd = .0.weekday())]
    BadWorkday(NaiveDate),
    /// A make-up working day inside one of the year's holidays.
    #[error("make-up working day {date} falls inside the holiday {name}")]
    WorkdayInHoliday {
        /// The make-up working day.
        date: NaiveDate,
        /// The holiday it falls in.
        name: String,
    },
    /// The year is already in the calendar.
    #[error("{0} is already in the calendar")]
    Duplicate(i32),
}

impl CalendarError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongYear { .. } => "calendar.wrong_year",
            Self::BackwardsRange { .. } => "calendar.backwards_range",
            Self::BadWorkday(_) => "calendar.workday_not_weekend",
            Self::WorkdayInHoliday { .. } => "calendar.workday_in_holiday",
            Self::Duplicate(_) => "calendar.duplicate_year",
        }
    }
}

impl Localized for CalendarError {
    fn zh(&self) -> String {
        match self {
            Self::WrongYear { year, date } => format!("{date} 不在 {year} 年内"),
            Self::BackwardsRange { name, from, to } => {
                format!("假期“{name}”的结束日期 {to} 早于开始日期 {from}")
            }
            Self::BadWorkday(d) => format!(
                "调休上班日 {d} 是{}，不是周六或周日：只有周末才能调为工作日",
                weekday_zh(d.weekday())
            ),
            Self::WorkdayInHoliday { date, name } => format!("调休上班日 {date} 在假期“{name}”之内"),
            Self::Duplicate(year) => format!("{year} 年的安排已在日历中"),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

/// How long a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "unit", content = "count", rename_all = "snake_case")]
pub enum Period {
    /// N working days (工作日).
    WorkingDays(u32),
    /// N calendar months (个月).
    Months(u32),
}

/// A computed deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The last day.
    pub due: NaiveDate,
    /// Years without a published schedule, counted with their statutory holidays only (no make-up days):
    /// the deadline is provisional and may move when their schedule is loaded.
    pub assumed_years: Vec<i32>,
}

impl Deadline {
    /// Whether the deadline depends on a year without a published schedule.
    pub fn is_provisional(&self) -> bool {
        !self.assumed_years.is_empty()
    }
}

/// The official working-day calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearSchedule>,
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// What a day is, borrowed from the calendar (no allocation on the deadline path).
#[derive(Clone, Copy)]
enum Class<'a> {
    Working,
    Weekend,
    Published(&'a str),
    Statutory(Festival),
}

impl Class<'_> {
    fn day_off(self) -> Option<DayOff> {
        match self {
            Self::Working => None,
            Self::Weekend => Some(DayOff::Weekend),
            Self::Published(name) => Some(DayOff::Published { holiday: name.to_owned() }),
            Self::Statutory(holiday) => Some(DayOff::Statutory { holiday }),
        }
    }
}

/// Where a walk through the calendar ended.
struct Walked {
    due: NaiveDate,
    moved_from: Option<NaiveDate>,
    assumed: Vec<i32>,
}

impl WorkCalendar {
    /// An empty calendar (every year assumed: statutory holidays and weekends off).
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a year's published schedule: holidays as named inclusive ranges, and the make-up working days.
    /// Refused: a date outside `year`, a range that ends before it begins, a make-up working day that is a
    /// weekday or inside a holiday, a year already present.
    pub fn add_year(
        &mut self,
        year: i32,
        source: &str,
        holidays: &[(String, NaiveDate, NaiveDate)],
        workdays: &[NaiveDate],
    ) -> Result<(), CalendarError> {
        if self.years.contains_key(&year) {
            return Err(CalendarError::Duplicate(year));
        }
        let mut s = YearSchedule { source: source.to_owned(), ..YearSchedule::default() };
        for (name, from, to) in holidays {
            for d in [from, to] {
                if d.year() != year {
                    return Err(CalendarError::WrongYear { year, date: *d });
                }
            }
            if to < from {
                return Err(CalendarError::BackwardsRange { name: name.clone(), from: *from, to: *to });
            }
            for d in from.iter_days().take_while(|d| d <= to) {
                s.holidays.insert(d, name.clone());
            }
        }
        for d in workdays {
            if d.year() != year {
                return Err(CalendarError::WrongYear { year, date: *d });
            }
            if !is_weekend(*d) {
                return Err(CalendarError::BadWorkday(*d));
            }
            if let Some(name) = s.holidays.get(d) {
                return Err(CalendarError::WorkdayInHoliday { date: *d, name: name.clone() });
            }
            s.workdays.insert(*d);
        }
        self.years.insert(year, s);
        Ok(())
    }

    /// The years with a published schedule.
    pub fn years(&self) -> impl Iterator<Item = (&i32, &YearSchedule)> {
        self.years.iter()
    }

    /// What `d` is, and whether its year's schedule is published.
    fn classify(&self, d: NaiveDate) -> (Class<'_>, bool) {
        let class = match self.years.get(&d.year()) {
            Some(s) if s.workdays.contains(&d) => Class::Working,
            Some(s) => match s.holidays.get(&d) {
                Some(name) => Class::Published(name),
                None if is_weekend(d) => Class::Weekend,
                None => Class::Working,
            },
            None => match statutory_holiday(d) {
                Some(f) => Class::Statutory(f),
                None if is_weekend(d) => Class::Weekend,
                None => Class::Working,
            },
        };
        (class, self.years.contains_key(&d.year()))
    }

    /// Whether `d` is a working day, and whether its year's schedule is published (when it is not, only the
    /// statutory holidays and weekends are days off).
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        let (class, published) = self.classify(d);
        (matches!(class, Class::Working), published)
    }

    /// Why `d` is not a working day (`None` when it is one).
    pub fn day_off(&self, d: NaiveDate) -> Option<DayOff> {
        self.classify(d).0.day_off()
    }

    /// The holiday a date falls in, if any: the published name, or in a year without a published schedule
    /// the statutory holiday's.
    pub fn holiday(&self, d: NaiveDate) -> Option<&str> {
        match self.classify(d).0 {
            Class::Published(name) => Some(name),
            Class::Statutory(f) => Some(f.name_zh()),
            Class::Working | Class::Weekend => None,
        }
    }

    /// Walk from `start` through `period`, telling `skip` every day off passed over.
    fn walk(&self, start: NaiveDate, period: Period, mut skip: impl FnMut(NaiveDate, Class<'_>)) -> Walked {
        let mut assumed = Vec::new();
        let mut look = |d: NaiveDate| {
            let (class, published) = self.classify(d);
            if !published && !assumed.contains(&d.year()) {
                assumed.push(d.year());
            }
            class
        };
        let (due, moved_from) = match period {
            Period::WorkingDays(n) => {
                let mut d = start;
                let mut left = n;
                while left > 0 {
                    let Some(next) = d.succ_opt() else { break };
                    d = next;
                    match look(d) {
                        Class::Working => left -= 1,
                        off => skip(d, off),
                    }
                }
                (d, None)
            }
            Period::Months(n) => {
                let landing = start.checked_add_months(Months::new(n)).unwrap_or(start);
                let mut d = landing;
                loop {
                    match look(d) {
                        Class::Working => break,
                        off => skip(d, off),
                    }
                    let Some(next) = d.succ_opt() else { break };
                    d = next;
                }
                (d, (d != landing).then_some(landing))
            }
        };
        assumed.sort_unstable();
        Walked { due, moved_from, assumed }
    }

    /// The deadline `period` after `start` (the start day itself not counted). Working days count only
    /// working days; months land on the same day of the month (or the month's last day) and, if that is a
    /// day off, move to the next working day.
    pub fn deadline(&self, start: NaiveDate, period: Period) -> Deadline {
        let w = self.walk(start, period, |_, _| {});
        Deadline { due: w.due, assumed_years: w.assumed }
    }

    /// How `deadline(start, period)` is computed: the same due day and assumed years, with every day off
    /// skipped and why, and the day a month period moved from. For display and the API; not stored.
    pub fn explain(&self, start: NaiveDate, period: Period) -> DeadlineBasis {
        let mut skipped = Vec::new();
        let w = self.walk(start, period, |date, class| {
            if let Some(reason) = class.day_off() {
                skipped.push(SkippedDay { date, reason });
            }
        });
        DeadlineBasis {
            start,
            period,
            due: w.due,
            skipped,
            moved_from: w.moved_from,
            assumed_years: w.assumed,
        }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d).0).count() as u32
    }
}
