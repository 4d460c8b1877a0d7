//! R1, the suggestions received in the period, summed as their lines are decoded: each batch of lines
//! summed on the core that decoded it ([`R1Sums`]), the batches' sums merged in their order, then made into
//! the report's part — the figures the dashboards show (`FigureSums`, the one definition) with the A–D
//! classes of the latest answers counted by the same keys. A national year's million items are never held
//! as facts.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use liaison_core::registry::DeputyLevel;
use liaison_core::suggestion::{AnswerClass, FigureRow, FigureSums, GroupBy, SuggestionFacts};

use super::labels::{Lang, level_label};
use super::{Classes, R1Row, SuggestionPart};
use crate::suggestion::MonthlySums;

/// The classes counted by a row's key.
type ClassesBy<K> = BTreeMap<K, Classes>;

/// R1's sums over a run of consecutive items.
#[derive(Debug, Clone)]
pub(super) struct R1Sums {
    all: FigureSums,
    by_level: FigureSums,
    by_department: FigureSums,
    by_handler: FigureSums,
    months: MonthlySums,
    classes: Classes,
    level_classes: ClassesBy<&'static str>,
    department_classes: ClassesBy<String>,
    handler_classes: ClassesBy<String>,
    month_classes: ClassesBy<(i32, u32)>,
}

fn add_class(c: &mut Classes, class: Option<AnswerClass>) {
    match class {
        Some(AnswerClass::A) => c.a += 1,
        Some(AnswerClass::B) => c.b += 1,
        Some(AnswerClass::C) => c.c += 1,
        Some(AnswerClass::D) => c.d += 1,
        None => {}
    }
}

fn merge_classes(c: &mut Classes, other: Classes) {
    let Classes { a, b, c: c_, d } = other;
    (c.a, c.b, c.c, c.d) = (c.a + a, c.b + b, c.c + c_, c.d + d);
}

/// Count a class under a key found without allocating (only a key's first item makes its entry).
fn add_class_by(map: &mut ClassesBy<String>, key: &str, class: Option<AnswerClass>) {
    match map.get_mut(key) {
        Some(c) => add_class(c, class),
        None => add_class(map.entry(key.to_owned()).or_default(), class),
    }
}

fn merge_by<K: Ord>(mine: &mut ClassesBy<K>, later: ClassesBy<K>) {
    for (k, c) in later {
        merge_classes(mine.entry(k).or_default(), c);
    }
}

impl R1Sums {
    /// Nothing summed yet.
    pub(super) fn new(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Self {
        let sums = |g| FigureSums::new(from, to, g, today);
        Self {
            all: sums(GroupBy::All),
            by_level: sums(GroupBy::Level),
            by_department: sums(GroupBy::Department),
            by_handler: sums(GroupBy::Handler),
            months: MonthlySums::new(from, to, today),
            classes: Classes::default(),
            level_classes: BTreeMap::new(),
            department_classes: BTreeMap::new(),
            handler_classes: BTreeMap::new(),
            month_classes: BTreeMap::new(),
        }
    }

    /// Add an item with its latest answer's class.
    pub(super) fn add(&mut self, f: &SuggestionFacts, class: Option<AnswerClass>) {
        self.all.add(f);
        self.by_level.add(f);
        self.by_department.add(f);
        self.by_handler.add(f);
        self.months.add(f);
        // `levels` holds each co-signer's level once, withdrawn ones included (the figures' own key).
        for l in &f.levels {
            add_class(self.level_classes.entry(l.code()).or_default(), class);
        }
        add_class_by(&mut self.department_classes, f.lead.as_ref().map_or("none", |(id, _)| id), class);
        add_class_by(&mut self.handler_classes, f.handler.as_ref().map_or("none", |(id, _)| id), class);
        add_class(&mut self.classes, class);
        add_class(
            self.month_classes.entry((f.received_on.year(), f.received_on.month())).or_default(),
            class,
        );
    }

    /// Take in the sums of the items that came after these.
    pub(super) fn merge(&mut self, later: R1Sums) {
        self.all.merge(later.all);
        self.by_level.merge(later.by_level);
        self.by_department.merge(later.by_department);
        self.by_handler.merge(later.by_handler);
        self.months.merge(later.months);
        merge_classes(&mut self.classes, later.classes);
        merge_by(&mut self.level_classes, later.level_classes);
        merge_by(&mut self.department_classes, later.department_classes);
        merge_by(&mut self.handler_classes, later.handler_classes);
        merge_by(&mut self.month_classes, later.month_classes);
    }

    /// The report's part.
    pub(super) fn finish(self) -> SuggestionPart {
        let with_classes = |rows: Vec<FigureRow>, classes: &dyn Fn(&str) -> Option<Classes>| -> Vec<R1Row> {
            rows.into_iter()
                .map(|r| R1Row { classes: classes(&r.key).unwrap_or_default(), figures: r.into() })
                .collect()
        };
        let mut by_level = with_classes(self.by_level.finish().rows, &|k| self.level_classes.get(k).copied());
        for r in &mut by_level {
            if let Ok(l) = DeputyLevel::parse(&r.figures.counts.key) {
                r.figures.counts.label = level_label(l, Lang::Zh);
            }
        }
        let by_department =
            with_classes(self.by_department.finish().rows, &|k| self.department_classes.get(k).copied());
        let by_handler =
            with_classes(self.by_handler.finish().rows, &|k| self.handler_classes.get(k).copied());
        let by_month = self
            .months
            .finish()
            .into_iter()
            .map(|m| {
                let month = NaiveDate::parse_from_str(&format!("{}-01", m.counts.key), "%Y-%m-%d")
                    .map(|d| (d.year(), d.month()));
                let classes =
                    month.ok().and_then(|k| self.month_classes.get(&k).copied()).unwrap_or_default();
                R1Row { figures: m, classes }
            })
            .collect();
        SuggestionPart {
            by_level,
            by_department,
            by_handler,
            by_month,
            total: R1Row { figures: self.all.finish().total.into(), classes: self.classes },
        }
    }
}
