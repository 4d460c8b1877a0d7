//! `liaison-core-ffi`: the parts of `liaison-core` that systems not written in Rust need — the working-day
//! calendar (a deadline and its explanation), the verification of a published draw and the rights rule of
//! the Law on Deputies — behind a C ABI that takes and returns JSON (`include/liaison_core.h`).
//!
//! Every call takes a NUL-terminated UTF-8 JSON text and returns a new one, which the caller frees with
//! `liaison_free`. A refusal is a problem object, `{"type": "urn:liaison:problem:…", "title": …, "detail":
//! …}` (RFC 9457's members); a result never has a top-level `type`. No panic crosses the boundary.
//!
//! This file holds the calls as safe Rust over `&str` (what the tests call); `abi` is the C boundary.

mod abi;

use std::sync::OnceLock;

use chrono::NaiveDate;
use liaison_core::calendar::{DeadlineBasis, Period, Schedule, WorkCalendar};
use liaison_core::lottery::{DrawRecord, DrawVerification};
use liaison_core::registry::DeputyLevel;
use liaison_core::rights::{Protection, protection};
use liaison_core::{Localized, ValueError};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

pub use abi::{liaison_deadline, liaison_free, liaison_protection, liaison_verify_draw};

/// The holiday schedule shipped with this version (the State Council's notices for 2025 and 2026).
const OFFICIAL: &str = include_str!("../../../data/cn-holidays.toml");

/// A refusal, as an RFC 9457 problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `urn:liaison:problem:` and a stable code (`invalid_json`, `calendar.invalid` …).
    #[serde(rename = "type")]
    pub kind: String,
    /// What went wrong, in a few words.
    pub title: String,
    /// The particulars.
    pub detail: String,
}

impl Problem {
    fn new(code: &str, title: &str, detail: impl Into<String>) -> Self {
        Self { kind: format!("urn:liaison:problem:{code}"), title: title.to_owned(), detail: detail.into() }
    }

    fn json(e: &serde_json::Error) -> Self {
        Self::new("invalid_json", "the request is not the JSON this call takes", e.to_string())
    }
}

/// What `liaison_deadline` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineRequest {
    /// The day the period runs from (not counted).
    start: NaiveDate,
    /// `{"unit": "working_days" | "months", "count": N}`.
    period: Period,
    /// A holiday schedule to use instead of the built-in one (the shape of `data/cn-holidays.toml`).
    #[serde(default)]
    schedule: Option<Schedule>,
}

/// What `liaison_deadline` returns.
#[derive(Debug, Serialize)]
struct DeadlineAnswer {
    due: NaiveDate,
    provisional: bool,
    assumed_years: Vec<i32>,
    note_zh: String,
    note_en: String,
    basis: DeadlineBasis,
}

/// What `liaison_protection` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectionRequest {
    /// The deputy's level: `national` … `township`, or 全国/省/市/县/乡 and their common aliases.
    level: String,
}

fn official() -> Result<&'static WorkCalendar, Problem> {
    static CAL: OnceLock<Result<WorkCalendar, Problem>> = OnceLock::new();
    CAL.get_or_init(|| {
        let schedule: Schedule = toml::from_str(OFFICIAL).map_err(|e| {
            Problem::new("calendar.invalid", "the built-in schedule is invalid", e.to_string())
        })?;
        WorkCalendar::from_schedule(&schedule)
            .map_err(|e| Problem::new("calendar.invalid", "the built-in schedule is invalid", e.en()))
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Problem> {
    serde_json::to_string(value)
        .map_err(|e| Problem::new("internal", "the answer could not be written", e.to_string()))
}

/// A deadline on the working-day calendar and how it was computed.
pub fn deadline(request: &str) -> Result<String, Problem> {
    let r: DeadlineRequest = serde_json::from_str(request).map_err(|e| Problem::json(&e))?;
    let own;
    let cal = match &r.schedule {
        Some(s) => {
            own = WorkCalendar::from_schedule(s)
                .map_err(|e| Problem::new("calendar.invalid", "the holiday schedule is invalid", e.en()))?;
            &own
        }
        None => official()?,
    };
    let basis = cal.explain(r.start, r.period);
    to_json(&DeadlineAnswer {
        due: basis.due,
        provisional: basis.is_provisional(),
        assumed_years: basis.assumed_years.clone(),
        note_zh: basis.note_zh(),
        note_en: basis.note_en(),
        basis,
    })
}

/// The shapes a published record comes in: a draw record, `{"draw": …}`, or either inside
/// `{"activity": …}` or `{"review": …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Published {
    Activity { activity: Box<Published> },
    Review { review: Box<Published> },
    Wrapped { draw: Option<DrawRecord> },
    Bare(DrawRecord),
}

impl Published {
    fn into_record(self) -> Option<DrawRecord> {
        match self {
            Self::Activity { activity: inner } | Self::Review { review: inner } => inner.into_record(),
            Self::Wrapped { draw } => draw,
            Self::Bare(draw) => Some(draw),
        }
    }
}

fn sm3_hex(bytes: &[u8]) -> String {
    Sm3::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The verification of a published draw record, from the record alone.
pub fn verify_draw(record: &str) -> Result<String, Problem> {
    let published: Published = serde_json::from_str(record).map_err(|e| Problem::json(&e))?;
    let Some(record) = published.into_record() else {
        return Err(Problem::new("lottery.not_drawn", "nothing was drawn yet", "the record's draw is null"));
    };
    let v: DrawVerification = record.verify(&sm3_hex);
    to_json(&v)
}

/// What the Law on Deputies requires before a deputy of a level is arrested or tried.
pub fn rights(request: &str) -> Result<String, Problem> {
    let r: ProtectionRequest = serde_json::from_str(request).map_err(|e| Problem::json(&e))?;
    let level = DeputyLevel::parse(&r.level).map_err(|e: ValueError| {
        Problem::new("invalid_level", "not a level of people's congress", format!("level: {}", e.en()))
    })?;
    let p: Protection = protection(level);
    to_json(&p)
}
