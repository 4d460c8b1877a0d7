//! The yearly refresh (年度名册核对, `deputy import --refresh`, `?refresh=true`): an import of a congress's
//! new list that updates the deputies it matches, registers the new ones, and lists the deputies of the
//! same congresses (level and term, `core::registry::Congress`) that it no longer names as *possibly
//! departed*. Their terms end only on a confirmation (`end_absent`), each through the core's `EndTerm`
//! transition with who, when and why on the record; a dry run shows the three lists and writes nothing.
//! It runs inside the import's one transaction: all or nothing.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use liaison_core::ids::{DeputyId, TenantId};
use liaison_core::registry::{Congress, Deputy, DeputyCommand, DeputyDraft, DeputyLevel, possibly_departed};
use liaison_core::{FieldError, Meta, ValueError};
use liaison_store::{DeputyQuery, Keys, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppError;
use crate::registry::command_in;

/// The options once the day is known: `end_absent` is the last day of the terms to end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved {
    pub(crate) end_absent: Option<NaiveDate>,
}

impl RefreshOptions {
    /// The day the terms end, checked against today.
    pub(crate) fn resolve(self, today: NaiveDate) -> Result<Resolved, AppError> {
        let end_absent =
            if self.end_absent { Some(check_end_day(self.ended_on.unwrap_or(today), today)?) } else { None };
        Ok(Resolved { end_absent })
    }
}

/// What a refresh is asked to do beyond an import that updates what it matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshOptions {
    /// End the terms of the deputies the file leaves out: the confirmation of the list a dry run shows.
    pub end_absent: bool,
    /// Their last day (default: today); not after today.
    pub ended_on: Option<NaiveDate>,
}

impl RefreshOptions {
    /// From the flags as given (`--refresh --end-absent --ended-on`, or the query string): none without
    /// `refresh`; `end_absent` only with `refresh`, `ended_on` only with `end_absent`, each refused naming
    /// the field.
    pub fn from_flags(
        refresh: bool,
        end_absent: bool,
        ended_on: Option<&str>,
    ) -> Result<Option<Self>, AppError> {
        let needs = |field: &str, zh: &str, en: &str| FieldError {
            field: field.into(),
            code: "requires_other_field",
            message_zh: zh.into(),
            message_en: en.into(),
        };
        let mut errors = Vec::new();
        if end_absent && !refresh {
            errors.push(needs(
                "end_absent",
                "只能在年度名册核对（refresh）时使用",
                "only with a refresh (refresh)",
            ));
        }
        if ended_on.is_some() && !end_absent {
            errors.push(needs(
                "ended_on",
                "只能在确认结束任期（end_absent）时使用",
                "only when ending the terms (end_absent)",
            ));
        }
        let ended_on = match ended_on.map(liaison_core::registry::parse_date).transpose() {
            Ok(d) => d,
            Err(e) => {
                errors.push(FieldError::new("ended_on", &e));
                None
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(refresh.then_some(Self { end_absent, ended_on }))
    }
}

/// A congress a refresh covered: a level and a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CongressView {
    /// `national`, `provincial`, `city`, `county`, `township`.
    pub level: String,
    /// 届次.
    pub term: u16,
    /// `县级人大第18届`.
    pub label_zh: String,
    /// `county congresses, term 18`.
    pub label_en: String,
}

impl From<Congress> for CongressView {
    fn from(c: Congress) -> Self {
        Self { level: c.level.code().into(), term: c.term.get(), label_zh: c.zh(), label_en: c.en() }
    }
}

/// A deputy a refresh names: by name, level and region, as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RefreshPerson {
    /// The record, for a client that acts on it next (none for a new deputy in a dry run).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub deputy: Option<uuid::Uuid>,
    /// 姓名.
    pub name: String,
    /// 代表层级 (`county` …).
    pub level: String,
    /// The level in Chinese.
    pub level_zh: String,
    /// 届次.
    pub term: u16,
    /// 所属区域.
    pub region: String,
    /// The file's row (none for a deputy the file leaves out).
    pub row: Option<u64>,
    /// For an update: the fields it changed (`region`, `mobile` …), never their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
}

impl RefreshPerson {
    pub(crate) fn of(data: &DeputyDraft, deputy: Option<DeputyId>, row: Option<u64>) -> Self {
        Self {
            deputy: deputy.map(|d| d.0),
            name: data.name.as_str().into(),
            level: data.level.code().into(),
            level_zh: data.level.zh().into(),
            term: data.term.get(),
            region: data.region.as_str().into(),
            row,
            changed: Vec::new(),
        }
    }
}

/// What a refresh did, or would do: the three lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RefreshReport {
    /// The congresses the file covers (the levels and terms of its rows): deputies of these that the file
    /// leaves out are possibly departed.
    pub scope: Vec<CongressView>,
    /// Deputies whose records the file changed.
    pub updated: Vec<RefreshPerson>,
    /// New deputies registered.
    pub registered: Vec<RefreshPerson>,
    /// Deputies of the same congresses still on the register whom the file leaves out.
    pub possibly_departed: Vec<RefreshPerson>,
    /// The terms of the possibly departed were ended (in a dry run: would be).
    pub terms_ended: bool,
    /// Their last day, when ended.
    pub ended_on: Option<NaiveDate>,
}

/// The refresh's side of one import transaction: the deputies the file matched, and the lists.
pub(crate) struct Refresh {
    options: Resolved,
    scope: BTreeSet<Congress>,
    matched: HashSet<DeputyId>,
    pub(crate) report: RefreshReport,
}

impl Refresh {
    pub(crate) fn new<'a>(options: Resolved, rows: impl IntoIterator<Item = &'a DeputyDraft>) -> Self {
        let scope = liaison_core::registry::refresh_scope(rows);
        let report = RefreshReport {
            scope: scope.iter().copied().map(CongressView::from).collect(),
            terms_ended: options.end_absent.is_some(),
            ended_on: options.end_absent,
            ..Default::default()
        };
        Self { options, scope, matched: HashSet::new(), report }
    }

    /// A row registered a new deputy.
    pub(crate) fn registered(&mut self, d: &Deputy, row: u64, dry_run: bool) {
        self.matched.insert(d.id);
        self.report.registered.push(RefreshPerson::of(&d.data, (!dry_run).then_some(d.id), Some(row)));
    }

    /// A row updated a deputy (`before` → `after`).
    pub(crate) fn updated(&mut self, before: &Deputy, after: &Deputy, row: u64) {
        self.matched.insert(after.id);
        let mut p = RefreshPerson::of(&after.data, Some(after.id), Some(row));
        p.changed = before.data.changed_fields(&after.data).into_iter().map(str::to_owned).collect();
        self.report.updated.push(p);
    }

    /// A row matched a deputy and changed nothing.
    pub(crate) fn unchanged(&mut self, id: DeputyId) {
        self.matched.insert(id);
    }

    /// After every row: list the deputies the file leaves out, and end their terms when confirmed. A
    /// term that cannot end on the day given refuses the whole import, naming the person.
    pub(crate) fn finish(
        mut self,
        tx: &mut dyn WriteTx,
        keys: &Keys,
        tenant: &TenantId,
        meta: &Meta,
    ) -> Result<RefreshReport, AppError> {
        let levels: BTreeSet<DeputyLevel> = self.scope.iter().map(|c| c.level).collect();
        let mut register = Vec::new();
        for level in levels {
            let q = DeputyQuery { level: Some(level), limit: u32::MAX, ..Default::default() };
            for s in tx.list_deputies(tenant, &q)? {
                if s.status.is_current() {
                    register.push(
                        serde_json::from_str::<Deputy>(&s.data).map_err(|e| AppError::Store(e.into()))?,
                    );
                }
            }
        }
        let departed: Vec<&Deputy> = possibly_departed(&self.scope, &register, &self.matched);
        let mut refused = Vec::new();
        for d in departed {
            let person = RefreshPerson::of(&d.data, Some(d.id), None);
            if let Some(date) = self.options.end_absent {
                match command_in(
                    tx,
                    keys,
                    tenant,
                    meta,
                    d.id,
                    Some(d.version),
                    DeputyCommand::EndTerm { date },
                ) {
                    Ok(_) => {}
                    Err(AppError::Rule(e)) => refused.push(FieldError {
                        field: "ended_on".into(),
                        code: e.code(),
                        message_zh: format!(
                            "{}（{}，{}）：{}",
                            person.name,
                            person.level_zh,
                            person.region,
                            e.zh()
                        ),
                        message_en: format!(
                            "{} ({}, {}): {}",
                            person.name,
                            person.level,
                            person.region,
                            e.en()
                        ),
                    }),
                    Err(e) => return Err(e),
                }
            }
            self.report.possibly_departed.push(person);
        }
        if !refused.is_empty() {
            return Err(AppError::Invalid(refused));
        }
        Ok(self.report)
    }
}

/// The day the terms of the deputies left out end: not after today, not before 2000.
fn check_end_day(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if date > today {
        return Err(AppError::invalid("ended_on", &ValueError::Implausible("after today")));
    }
    liaison_core::dates::plausible("ended_on", date, today)
        .map_err(|_| AppError::invalid("ended_on", &ValueError::Implausible("range")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use liaison_core::registry::DeputyInput;

    use super::*;
    use crate::import::{Encoding, ImportOptions, ImportReport};
    use crate::tests::{Fixture, fixture, rt};
    use crate::{DeputyFilter, demo};

    /// Seven deputies: five of the county congress's 18th term, one of its 17th, one city deputy.
    fn register() -> Vec<DeputyInput> {
        demo::generate(7, 21)
            .enumerate()
            .map(|(i, mut d)| {
                (d.level, d.term) = match i {
                    5 => ("县".into(), "17".into()),
                    6 => ("市".into(), "18".into()),
                    _ => ("县".into(), "18".into()),
                };
                (d.term_start, d.term_end) = ("2022-01-10".into(), String::new());
                d
            })
            .collect()
    }

    fn csv(rows: &[DeputyInput]) -> Vec<u8> {
        let mut out = Vec::new();
        demo::write_csv(rows.iter().cloned(), &mut out, Encoding::Utf8).unwrap();
        out
    }

    fn refresh(f: &Fixture, file: &[u8], end_absent: bool, dry_run: bool) -> Result<ImportReport, AppError> {
        let opts = ImportOptions {
            dry_run,
            refresh: RefreshOptions::from_flags(true, end_absent, None).unwrap(),
            ..Default::default()
        };
        rt().block_on(f.app.import_deputies(&f.office, file, &opts, None))
    }

    fn names(people: &[RefreshPerson]) -> Vec<&str> {
        people.iter().map(|p| p.name.as_str()).collect()
    }

    fn in_office(f: &Fixture) -> u64 {
        let filter = DeputyFilter { status: Some("in_office".into()), ..Default::default() };
        f.app.count_deputies(&f.office, &filter).unwrap()
    }

    fn records(f: &Fixture) -> u64 {
        f.app.verify_audit().unwrap().records
    }

    /// The next year's list: the first three (the second moved to another region and has a new mobile), a
    /// newcomer, and neither the fourth and fifth county deputies nor the 17th-term or city deputies.
    fn next_year(old: &[DeputyInput]) -> (Vec<DeputyInput>, DeputyInput) {
        let mut rows = old[..3].to_vec();
        rows[1].region = "台江区".into();
        rows[1].mobile = "13912345678".into();
        let mut newcomer = demo::generate(1, 99).next().unwrap();
        (newcomer.level, newcomer.term, newcomer.term_start) =
            ("县".into(), "18".into(), "2026-01-10".into());
        newcomer.term_end = String::new();
        rows.push(newcomer.clone());
        (rows, newcomer)
    }

    /// Issue 14 item 5: a dry run shows the three lists and writes nothing; the refresh updates and
    /// registers and lists the absent without ending them; the confirmation ends their terms through the
    /// core's transition, on the record with who, when and why; a second confirmation finds nobody.
    #[test]
    fn issue14_a_refresh_updates_registers_and_ends_the_absent_only_when_confirmed() {
        let f = fixture();
        let old = register();
        rt().block_on(f.app.import_deputies(&f.office, &csv(&old), &ImportOptions::default(), None)).unwrap();
        let (rows, newcomer) = next_year(&old);
        let file = csv(&rows);
        let before = records(&f);

        let dry = refresh(&f, &file, false, true).unwrap();
        let r = dry.refresh.as_ref().unwrap();
        assert_eq!((dry.dry_run, dry.imported, dry.updated, dry.unchanged), (true, 1, 1, 2));
        assert_eq!(names(&r.updated), [old[1].name.as_str()]);
        assert_eq!(r.updated[0].changed, ["region", "mobile"]);
        assert_eq!((r.updated[0].region.as_str(), r.updated[0].row), ("台江区", Some(3)));
        assert_eq!(names(&r.registered), [newcomer.name.as_str()]);
        assert_eq!(r.registered[0].deputy, None, "no id for a deputy a dry run did not register");
        let mut absent = names(&r.possibly_departed);
        absent.sort_unstable();
        let mut expected = vec![old[3].name.as_str(), old[4].name.as_str()];
        expected.sort_unstable();
        assert_eq!(absent, expected, "the 17th-term and the city deputies are of other congresses");
        assert_eq!(r.scope.iter().map(|c| c.label_zh.as_str()).collect::<Vec<_>>(), ["县级人大第18届"]);
        assert!(!r.terms_ended);
        assert_eq!((records(&f), in_office(&f)), (before, 7), "a dry run writes nothing");

        let dry_end = refresh(&f, &file, true, true).unwrap();
        assert!(dry_end.refresh.as_ref().unwrap().terms_ended);
        assert_eq!(
            (records(&f), in_office(&f)),
            (before, 7),
            "a dry run with the confirmation writes nothing"
        );

        let done = refresh(&f, &file, false, false).unwrap();
        assert_eq!((done.imported, done.updated), (1, 1));
        assert_eq!(done.refresh.as_ref().unwrap().possibly_departed.len(), 2);
        assert_eq!(in_office(&f), 8, "listed, not ended");

        let ended = refresh(&f, &file, true, false).unwrap();
        let r = ended.refresh.unwrap();
        assert_eq!((ended.updated, ended.unchanged, r.possibly_departed.len()), (0, 4, 2));
        assert_eq!(
            (r.terms_ended, r.ended_on),
            (true, Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()))
        );
        assert_eq!(in_office(&f), 6);
        let gone = DeputyId(r.possibly_departed[0].deputy.unwrap());
        let view = f.app.deputy(&f.office, gone).unwrap();
        assert_eq!(
            (view.status.as_str(), view.ended_on.map(|d| d.to_string())),
            ("term_ended", Some("2026-03-10".into()))
        );
        let last = f.app.deputy_history(&f.office, gone).unwrap().pop().unwrap();
        assert_eq!(last.kind, "deputy.term_ended");
        assert_eq!(last.actor, "联络室 (office)");
        assert!(last.reason.as_deref().unwrap().contains("年度名册核对"), "{last:?}");

        let again = refresh(&f, &file, true, false).unwrap();
        assert!(again.refresh.unwrap().possibly_departed.is_empty(), "already out of office");
        assert!(f.app.verify_audit().unwrap().ok());
    }

    /// Bad flags and days are refused naming the field; a term that cannot end on the day given refuses the
    /// whole refresh naming the person; nothing is written either way.
    #[test]
    fn issue14_bad_refresh_input_is_refused_naming_the_field_and_changes_nothing() {
        let fields = |r: Result<Option<RefreshOptions>, AppError>| -> Vec<String> {
            r.unwrap_err().field_errors().iter().map(|e| e.field.clone()).collect()
        };
        assert_eq!(fields(RefreshOptions::from_flags(false, true, None)), ["end_absent"]);
        assert_eq!(fields(RefreshOptions::from_flags(true, false, Some("2026-03-01"))), ["ended_on"]);
        let bad_day = RefreshOptions::from_flags(true, true, Some("2026-13-01")).unwrap_err();
        assert_eq!(bad_day.field_errors()[0].field, "ended_on");
        assert!(bad_day.field_errors()[0].message_zh.contains("不是有效日期"), "{bad_day:?}");
        assert_eq!(RefreshOptions::from_flags(false, false, None).unwrap(), None);

        let f = fixture();
        let mut old = register();
        old[4].term_start = "2026-02-01".into();
        rt().block_on(f.app.import_deputies(&f.office, &csv(&old), &ImportOptions::default(), None)).unwrap();
        let (rows, _) = next_year(&old);
        let file = csv(&rows);
        let before = records(&f);
        let run = |ended_on: &str| {
            let opts = ImportOptions {
                refresh: RefreshOptions::from_flags(true, true, Some(ended_on)).unwrap(),
                ..Default::default()
            };
            rt().block_on(f.app.import_deputies(&f.office, &file, &opts, None)).unwrap_err()
        };
        let future = run("2026-03-11");
        assert_eq!(future.field_errors()[0].field, "ended_on");
        assert!(future.field_errors()[0].message_zh.contains("不能晚于今天"), "{future:?}");
        let early = run("2026-01-15");
        let e = &early.field_errors()[0];
        assert_eq!((e.field.as_str(), e.code), ("ended_on", "deputy.before_term_start"));
        assert!(e.message_zh.starts_with(&format!("{}（县，", old[4].name)), "{e:?}");
        assert!(e.message_zh.contains("早于任期开始日"), "{e:?}");
        assert_eq!(
            (records(&f), in_office(&f), f.app.count_deputies(&f.office, &DeputyFilter::default()).unwrap()),
            (before, 7, 7)
        );
    }
}
