//! How a deadline was computed (`WorkCalendar::explain`): the start, the period, every day off it skipped
//! and why, whether it moved off a day off, and the years it had to assume. Computed on demand, never
//! stored, so a stored deadline stays two fields.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Festival, Period};
use crate::Localized;

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayOff {
    /// A Saturday or Sunday that is not a make-up working day.
    Weekend,
    /// A day off in a year's published schedule, with the holiday's name as published.
    Published {
        /// The holiday (e.g. `国庆节、中秋节`).
        holiday: String,
    },
    /// A statutory holiday in a year without a published schedule (computed, see `statutory`).
    Statutory {
        /// The holiday.
        holiday: Festival,
    },
}

impl DayOff {
    fn label_zh(&self) -> String {
        match self {
            Self::Weekend => "周末".to_owned(),
            Self::Published { holiday } => holiday.clone(),
            Self::Statutory { holiday } => format!("{}（法定节假日，推算）", holiday.name_zh()),
        }
    }

    fn label_en(&self) -> String {
        match self {
            Self::Weekend => "weekend".to_owned(),
            Self::Published { holiday } => format!("{holiday} (published schedule)"),
            Self::Statutory { holiday } => format!("{} (statutory, computed)", holiday.name_en()),
        }
    }
}

/// A day off a deadline passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    /// The day.
    pub date: NaiveDate,
    /// Why it is not a working day.
    pub reason: DayOff,
}

/// How a deadline was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineBasis {
    /// The day the period runs from (not itself counted).
    pub start: NaiveDate,
    /// The period.
    pub period: Period,
    /// The last day (the same as `WorkCalendar::deadline`'s).
    pub due: NaiveDate,
    /// The days off passed over: within the counted working days, or between the day a month period ends
    /// on and the working day it moved to.
    pub skipped: Vec<SkippedDay>,
    /// The day a month period ended on when that was a day off (the deadline moved to `due`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<NaiveDate>,
    /// Years without a published schedule that the computation went through (statutory holidays only, no
    /// make-up days): the deadline is provisional and may move when their schedule is loaded.
    pub assumed_years: Vec<i32>,
}

/// Consecutive skipped days with the same reason.
fn runs(skipped: &[SkippedDay]) -> Vec<(NaiveDate, NaiveDate, &DayOff)> {
    let mut out: Vec<(NaiveDate, NaiveDate, &DayOff)> = Vec::new();
    for s in skipped {
        match out.last_mut() {
            Some((_, last, reason)) if *reason == &s.reason && *last + Duration::days(1) == s.date => {
                *last = s.date;
            }
            _ => out.push((s.date, s.date, &s.reason)),
        }
    }
    out
}

impl DeadlineBasis {
    /// Whether the deadline depends on a year without a published schedule.
    pub fn is_provisional(&self) -> bool {
        !self.assumed_years.is_empty()
    }

    /// The explanation in Chinese, e.g. `自2027-02-03起算5个工作日（当日不计入），届满日2027-02-12；跳过
    /// 2027-02-05至2027-02-08 春节（法定节假日，推算）；假定2027年：仅法定节假日，未含调休。`
    pub fn note_zh(&self) -> String {
        let period = match self.period {
            Period::WorkingDays(n) => format!("{n}个工作日"),
            Period::Months(n) => format!("{n}个月"),
        };
        let mut out = format!("自{}起算{period}（当日不计入），届满日{}", self.start, self.due);
        let runs: Vec<String> = runs(&self.skipped)
            .into_iter()
            .map(|(from, to, reason)| {
                if from == to {
                    format!("{from} {}", reason.label_zh())
                } else {
                    format!("{from}至{to} {}", reason.label_zh())
                }
            })
            .collect();
        if !runs.is_empty() {
            out.push_str(&format!("；跳过{}", runs.join("、")));
        }
        if let Some(from) = self.moved_from {
            out.push_str(&format!("；{from}为休息日，顺延至{}", self.due));
        }
        for year in &self.assumed_years {
            out.push_str(&format!("；假定{year}年：仅法定节假日，未含调休"));
        }
        out.push('。');
        out
    }

    /// The explanation in English, e.g. `5 working days from 2027-02-03 (not counted): due 2027-02-12;
    /// skipped 2027-02-05 to 2027-02-08 Spring Festival (statutory, computed); assumes 2027: statutory days
    /// only, no make-up days.`
    pub fn note_en(&self) -> String {
        let period = match self.period {
            Period::WorkingDays(1) => "1 working day".to_owned(),
            Period::WorkingDays(n) => format!("{n} working days"),
            Period::Months(1) => "1 month".to_owned(),
            Period::Months(n) => format!("{n} months"),
        };
        let mut out = format!("{period} from {} (not counted): due {}", self.start, self.due);
        let runs: Vec<String> = runs(&self.skipped)
            .into_iter()
            .map(|(from, to, reason)| {
                if from == to {
                    format!("{from} {}", reason.label_en())
                } else {
                    format!("{from} to {to} {}", reason.label_en())
                }
            })
            .collect();
        if !runs.is_empty() {
            out.push_str(&format!("; skipped {}", runs.join(", ")));
        }
        if let Some(from) = self.moved_from {
            out.push_str(&format!("; {from} is a day off, moved to {}", self.due));
        }
        for year in &self.assumed_years {
            out.push_str(&format!("; assumes {year}: statutory days only, no make-up days"));
        }
        out.push('.');
        out
    }
}

impl Localized for DeadlineBasis {
    fn zh(&self) -> String {
        self.note_zh()
    }

    fn en(&self) -> String {
        self.note_en()
    }
}
