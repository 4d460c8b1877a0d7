//! A holiday schedule as published data: one entry per year, `source` (the State Council's notice),
//! `holidays` (named inclusive ranges) and `workdays` (weekend days that are working days). It is the shape
//! of `data/cn-holidays.toml`, whatever the format it is read from (TOML in the application, JSON through
//! the FFI): the caller parses the text, [`WorkCalendar::from_schedule`] checks every year.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CalendarError, WorkCalendar};
use crate::Localized;

/// A holiday schedule: years (as written, `"2026"`) to their published arrangements.
pub type Schedule = BTreeMap<String, ScheduleYear>;

/// One year's published arrangement, as written in a schedule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleYear {
    /// The notice it comes from (title and date).
    pub source: String,
    /// Days off, as named inclusive ranges.
    #[serde(default)]
    pub holidays: Vec<HolidayRange>,
    /// Weekend days that are working days (调休上班).
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

/// A holiday as an inclusive range of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayRange {
    /// The holiday's name as published (e.g. `国庆节、中秋节`).
    pub name: String,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off.
    pub to: NaiveDate,
}

/// Why a schedule was refused: the key that is not a year, or the year and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// A key that is not a year.
    #[error("\"{0}\" is not a year")]
    NotAYear(String),
    /// A year's arrangement breaks a rule of [`WorkCalendar::add_year`].
    #[error("the {year} schedule is invalid: {error}")]
    Year {
        /// The year.
        year: i32,
        /// What is wrong.
        error: CalendarError,
    },
}

impl Localized for ScheduleError {
    fn zh(&self) -> String {
        match self {
            Self::NotAYear(key) => format!("“{key}”不是年份"),
            Self::Year { year, error } => format!("{year} 年的安排有误：{}", error.zh()),
        }
    }
    fn en(&self) -> String {
        self.to_string()
    }
}

impl WorkCalendar {
    /// The calendar of a published schedule, every year checked as [`WorkCalendar::add_year`] checks it.
    ///
    /// ```
    /// use liaison_core::calendar::{Schedule, WorkCalendar};
    ///
    /// let json = r#"{"2026": {"source": "国办通知", "holidays": [
    ///     {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05"}], "workdays": ["2026-05-09"]}}"#;
    /// let schedule: Schedule = serde_json::from_str(json)?;
    /// let cal = WorkCalendar::from_schedule(&schedule)?;
    /// assert_eq!(cal.years().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_schedule(schedule: &Schedule) -> Result<Self, ScheduleError> {
        let mut cal = Self::new();
        for (key, y) in schedule {
            let year: i32 = key.trim().parse().map_err(|_| ScheduleError::NotAYear(key.clone()))?;
            let holidays: Vec<(String, NaiveDate, NaiveDate)> =
                y.holidays.iter().map(|h| (h.name.clone(), h.from, h.to)).collect();
            cal.add_year(year, &y.source, &holidays, &y.workdays)
                .map_err(|error| ScheduleError::Year { year, error })?;
        }
        Ok(cal)
    }
}
