//! The working-day calendar (工作日历): deadlines counted in working days follow the State Council's yearly
//! holiday schedule (放假调休), including the weekend days that are working days (调休上班). The schedule
//! is data: a deployment adds each year when its notice is published. Dates in a year the calendar does not
//! know count Monday to Friday as working days, and every result says which unknown years it assumed.
//!
//! Deadlines that end on a day off move to the next working day (期间届满的最后一日是法定休假日的，以休假日
//! 后的第一日为届满日期).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

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
    /// A make-up working day that is not on a weekend, or that is also a holiday.
    #[error("{0} is listed as a make-up working day but is not a weekend day outside the holidays")]
    BadWorkday(NaiveDate),
    /// The year is already in the calendar.
    #[error("{0} is already in the calendar")]
    Duplicate(i32),
}

/// How long a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Years the calendar did not know and counted Monday to Friday: the deadline may move when their
    /// schedule is loaded.
    pub assumed_years: Vec<i32>,
}

/// The official working-day calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearSchedule>,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// An empty calendar (Monday to Friday everywhere, every year assumed).
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a year: holidays as named inclusive ranges, and the make-up working days.
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
            if !is_weekend(*d) || s.holidays.contains_key(d) {
                return Err(CalendarError::BadWorkday(*d));
            }
            s.workdays.insert(*d);
        }
        self.years.insert(year, s);
        Ok(())
    }

    /// The years the calendar knows.
    pub fn years(&self) -> impl Iterator<Item = (&i32, &YearSchedule)> {
        self.years.iter()
    }

    /// Whether `d` is a working day (and whether its year was known).
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        match self.years.get(&d.year()) {
            Some(s) => (s.workdays.contains(&d) || (!is_weekend(d) && !s.holidays.contains_key(&d)), true),
            None => (!is_weekend(d), false),
        }
    }

    /// The holiday a date falls in, if any.
    pub fn holiday(&self, d: NaiveDate) -> Option<&str> {
        self.years.get(&d.year()).and_then(|s| s.holidays.get(&d)).map(String::as_str)
    }

    fn note(&self, d: NaiveDate, assumed: &mut Vec<i32>) -> bool {
        let (working, known) = self.is_working_day(d);
        if !known && !assumed.contains(&d.year()) {
            assumed.push(d.year());
        }
        working
    }

    /// The first working day on or after `d`.
    fn roll_forward(&self, mut d: NaiveDate, assumed: &mut Vec<i32>) -> NaiveDate {
        while !self.note(d, assumed) {
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// The deadline `period` after `start` (the start day itself not counted). Working days count only
    /// working days; months land on the same day of the month (or the month's last day) and, if that is a
    /// day off, move to the next working day.
    pub fn deadline(&self, start: NaiveDate, period: Period) -> Deadline {
        let mut assumed = Vec::new();
        let due = match period {
            Period::WorkingDays(n) => {
                let mut d = start;
                let mut left = n;
                while left > 0 {
                    d = d.succ_opt().unwrap_or(d);
                    if self.note(d, &mut assumed) {
                        left -= 1;
                    }
                }
                d
            }
            Period::Months(n) => {
                let d = start.checked_add_months(Months::new(n)).unwrap_or(start);
                self.roll_forward(d, &mut assumed)
            }
        };
        assumed.sort_unstable();
        Deadline { due, assumed_years: assumed }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d).0).count() as u32
    }
}
