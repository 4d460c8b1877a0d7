//! Parsing the text of a request into the core's types, each failure naming its field: shared by every
//! use case.

use chrono::NaiveDate;
use liaison_core::calendar::Period;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{LongText, ShortText, parse_date};
use liaison_core::suggestion::*;
use liaison_core::{FieldError, ValueError};

use crate::AppError;

#[derive(Default)]
pub(crate) struct Fields(pub(crate) Vec<FieldError>);

impl Fields {
    pub(crate) fn take<T>(&mut self, field: &str, r: Result<T, ValueError>) -> Option<T> {
        r.map_err(|e| self.0.push(FieldError::new(field, &e))).ok()
    }
    pub(crate) fn done(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

pub(crate) fn long(field: &str, s: &str) -> Result<LongText, AppError> {
    LongText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

pub(crate) fn short(field: &str, s: &str) -> Result<ShortText, AppError> {
    ShortText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

pub(crate) fn date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    parse_date(s).map_err(|e| AppError::invalid(field, &e))
}

pub(crate) fn deputy_id(field: &str, s: &str) -> Result<DeputyId, AppError> {
    DeputyId::parse(s).map_err(|_| AppError::invalid(field, &ValueError::OneOf("a deputy id (uuid)")))
}

pub(crate) fn word<T>(field: &str, s: &str, p: fn(&str) -> Result<T, ValueError>) -> Result<T, AppError> {
    p(s).map_err(|e| AppError::invalid(field, &e))
}

/// `3m` (months) or `20d` (working days).
pub fn parse_period(s: &str) -> Result<Period, ValueError> {
    let s = s.trim();
    let bad = ValueError::OneOf("Nm (months) or Nd (working days), e.g. 3m, 20d");
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u32 = n.trim().parse().map_err(|_| bad.clone())?;
    match unit {
        "m" | "M" => Ok(Period::Months(n)),
        "d" | "D" => Ok(Period::WorkingDays(n)),
        _ => Err(bad),
    }
}

/// The text form of a period (`3m`, `20d`).
pub fn period_text(p: Period) -> String {
    match p {
        Period::Months(n) => format!("{n}m"),
        Period::WorkingDays(n) => format!("{n}d"),
    }
}

/// An audience from its scope and values.
pub(crate) fn audience(scope: &str, values: &[String]) -> Result<Audience, AppError> {
    use std::collections::BTreeSet;
    let vals = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
    let texts =
        |field| -> Result<BTreeSet<ShortText>, AppError> { vals.clone().map(|v| short(field, v)).collect() };
    let a = match scope.trim() {
        "all" | "全体" => Audience::All,
        "level" | "层级" => Audience::Levels(
            vals.clone()
                .map(|v| word("values", v, liaison_core::registry::DeputyLevel::parse))
                .collect::<Result<_, _>>()?,
        ),
        "region" | "区域" => Audience::Regions(texts("values")?),
        "delegation" | "代表团" => Audience::Delegations(texts("values")?),
        _ => return Err(AppError::invalid("scope", &ValueError::OneOf("all/level/region/delegation"))),
    };
    if a.is_empty() {
        return Err(AppError::invalid("values", &ValueError::Required));
    }
    Ok(a)
}
