//! A deadline calculator on the working-day calendar, with the explanation a deputy or a handler reads.
//!
//! ```sh
//! cargo run -p liaison-core --example deadline -- 2026-04-10 20 working_days
//! cargo run -p liaison-core --example deadline -- 2026-03-03 3 months
//! cargo run -p liaison-core --example deadline -- 2027-02-03 5 working_days my-holidays.toml
//! ```
//!
//! The holiday schedule is the one this repository ships (`data/cn-holidays.toml`), or a file of the same
//! format given as the fourth argument (`.json` for the same shape in JSON).

mod common;

use std::process::ExitCode;

use chrono::NaiveDate;
use liaison_core::calendar::{Period, Schedule, WorkCalendar};

/// The schedule shipped with this version (the State Council's notices for 2025 and 2026).
const OFFICIAL: &str = include_str!("../../../data/cn-holidays.toml");

const USAGE: &str = "usage: deadline START COUNT working_days|months [SCHEDULE.toml|SCHEDULE.json]";

fn period(count: &str, unit: &str) -> Option<Period> {
    let n: u32 = count.parse().ok()?;
    match unit {
        "working_days" | "工作日" => Some(Period::WorkingDays(n)),
        "months" | "个月" => Some(Period::Months(n)),
        _ => None,
    }
}

fn calendar(path: Option<&str>) -> Result<WorkCalendar, Box<dyn std::error::Error>> {
    let schedule: Schedule = match path {
        None => toml::from_str(OFFICIAL)?,
        Some(p) if p.ends_with(".json") => serde_json::from_str(&common::read_input(Some(p))?)?,
        Some(p) => toml::from_str(&common::read_input(Some(p))?)?,
    };
    Ok(WorkCalendar::from_schedule(&schedule)?)
}

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(start), Some(period)) = (
        args.first().and_then(|s| s.parse::<NaiveDate>().ok()),
        args.get(1).zip(args.get(2)).and_then(|(n, unit)| period(n, unit)),
    ) else {
        eprintln!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    let cal = calendar(args.get(3).map(String::as_str))?;
    let basis = cal.explain(start, period);
    println!("due: {}", basis.due);
    println!("provisional: {}", if basis.is_provisional() { "yes" } else { "no" });
    println!("{}", basis.note_zh());
    println!("{}", basis.note_en());
    Ok(ExitCode::SUCCESS)
}
