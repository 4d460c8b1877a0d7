//! The yearly refresh of the register (年度名册核对, issue 14 item 5). Each year a congress sends its whole
//! list; a row that is a deputy on the register updates the record, a new row registers, and the deputies
//! of the same congress that the list no longer names are *possibly departed*: listed for a person to
//! confirm, never ended by the import alone. Ending their terms is the ordinary `EndTerm` transition, one
//! deputy at a time, so a deputy already out of office is refused with the usual typed error.
//!
//! A congress here is a level and a term (县级人大第十八届): the register does not record which county's or
//! township's congress a deputy sits in, so two congresses of one level and term within one jurisdiction
//! are one scope (the dry run shows the list before anything is ended).

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::deputy::Deputy;
use super::draft::DeputyDraft;
use super::values::{DeputyLevel, TermNumber};
use crate::ids::DeputyId;

/// One term of the congresses of one level (县级人大第十八届): what a congress's list covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Congress {
    /// The level.
    pub level: DeputyLevel,
    /// The term (届).
    pub term: TermNumber,
}

impl Congress {
    /// The congress a deputy's data names.
    pub fn of(d: &DeputyDraft) -> Self {
        Self { level: d.level, term: d.term }
    }

    /// `县级人大第18届`.
    pub fn zh(self) -> String {
        let level = match self.level {
            DeputyLevel::National => "全国人大",
            DeputyLevel::Provincial => "省级人大",
            DeputyLevel::City => "市级人大",
            DeputyLevel::County => "县级人大",
            DeputyLevel::Township => "乡级人大",
        };
        format!("{level}第{}届", self.term.get())
    }

    /// `county congresses, term 18`.
    pub fn en(self) -> String {
        format!("{} congresses, term {}", self.level.code(), self.term.get())
    }
}

/// The congresses a list covers: those of its rows.
pub fn scope<'a>(rows: impl IntoIterator<Item = &'a DeputyDraft>) -> BTreeSet<Congress> {
    rows.into_iter().map(Congress::of).collect()
}

/// The deputies of `register` that a list covering `scope` leaves out: still on the active register
/// (registered or in office), of a congress in the scope, and matched by none of the list's rows
/// (`matched`: the deputies its rows updated, left unchanged or registered). In the order given.
pub fn possibly_departed<'a>(
    scope: &BTreeSet<Congress>,
    register: impl IntoIterator<Item = &'a Deputy>,
    matched: &HashSet<DeputyId>,
) -> Vec<&'a Deputy> {
    register
        .into_iter()
        .filter(|d| d.status.is_current())
        .filter(|d| scope.contains(&Congress::of(&d.data)))
        .filter(|d| !matched.contains(&d.id))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::registry::{DeputyCommand, DeputyInput, DeputyStatus, RegistryError};
    use chrono::NaiveDate;
    use uuid::Uuid;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Given a deputy of `level` and `term`, registered on 2026-01-01.
    fn deputy(n: u128, name: &str, level: &str, term: &str) -> Deputy {
        let input = DeputyInput {
            name: name.into(),
            gender: "男".into(),
            level: level.into(),
            term: term.into(),
            region: "鼓楼区".into(),
            term_start: "2022-01-10".into(),
            ..DeputyInput::default()
        };
        let e = Deputy::register(input.parse().unwrap(), None, day("2026-01-01")).unwrap();
        Deputy::from_registered(DeputyId(Uuid::from_u128(n)), &e).unwrap()
    }

    #[test]
    fn the_scope_is_the_level_and_term_of_each_row() {
        let rows =
            [deputy(1, "甲", "县", "18"), deputy(2, "乙", "县", "第十八届"), deputy(3, "丙", "乡", "21")];
        let s = scope(rows.iter().map(|d| &d.data));
        assert_eq!(s.len(), 2);
        let county = Congress::of(&rows[0].data);
        assert!(s.contains(&county));
        assert_eq!(county.zh(), "县级人大第18届");
        assert_eq!(county.en(), "county congresses, term 18");
    }

    /// Given a register of five, when a county list of term 18 names only 甲, then 乙 (same congress,
    /// absent) is possibly departed; 丙 (a city deputy), 丁 (another term) and 戊 (already out of office)
    /// are not.
    #[test]
    fn only_current_deputies_of_the_same_congress_missing_from_the_list_are_possibly_departed() {
        let mut register = vec![
            deputy(1, "甲", "县", "18"),
            deputy(2, "乙", "县", "18"),
            deputy(3, "丙", "市", "18"),
            deputy(4, "丁", "县", "17"),
            deputy(5, "戊", "县", "18"),
        ];
        let ended = register[4].decide(DeputyCommand::EndTerm { date: day("2026-01-05") }).unwrap();
        register[4].apply(&ended[0]);
        let s = scope([&register[0].data]);
        let matched: HashSet<DeputyId> = [register[0].id].into();
        let out: Vec<&str> =
            possibly_departed(&s, &register, &matched).iter().map(|d| d.data.name.as_str()).collect();
        assert_eq!(out, ["乙"]);
        assert!(possibly_departed(&BTreeSet::new(), &register, &HashSet::new()).is_empty(), "an empty list");
    }

    #[test]
    fn an_update_names_the_fields_it_changed_without_their_values() {
        let before = deputy(1, "甲", "县", "18").data;
        let mut after = before.clone();
        assert!(before.changed_fields(&after).is_empty());
        after.region = crate::registry::ShortText::parse("台江区").unwrap();
        after.contact.mobile = Some(crate::registry::MobileNumber::parse("13800138000").unwrap());
        assert_eq!(before.changed_fields(&after), ["region", "mobile"]);
    }

    /// Ending a possibly departed deputy's term is the ordinary transition: refused, typed, for a deputy
    /// already out of office.
    #[test]
    fn ending_the_term_of_a_deputy_already_out_of_office_is_refused() {
        let mut d = deputy(1, "甲", "县", "18");
        let e = d.decide(DeputyCommand::EndTerm { date: day("2026-03-01") }).unwrap();
        d.apply(&e[0]);
        assert_eq!(
            d.decide(DeputyCommand::EndTerm { date: day("2026-03-02") }).unwrap_err(),
            RegistryError::IllegalTransition { status: DeputyStatus::TermEnded, command: "end the term of" }
        );
    }
}
