//! The state check (`liaison audit verify --state`, issue 13 item 3): replay every aggregate's events from
//! the audit chain with the core's own `apply` and compare the result with what is stored — the deputies
//! table (columns, sort and search keys, masked copy, duplicate keys, and the sealed personal data as far
//! as the chain can tell: it opens, and which fields are set), the organisation, and every workflow record
//! (state, version and the columns and parties derived from it). Every difference is named (kind, id or
//! number, field, stored value, replayed value) and the check goes on to the end.
//!
//! What the chain cannot tell is not compared: the personal values themselves (the chain holds only which
//! personal fields an event set), a suggestion's next deadline (computed with the policy and the calendar
//! in force when it was saved), the day a settings record was last written, and the texts of a
//! solicitation's responses (its events hold the title, the number of recipients and who responded).

mod deputy;
mod diff;
mod kinds;

use std::collections::BTreeSet;

use liaison_core::access::Action;
use liaison_store::state::{AggregateState, Stored, StoredRow};
use liaison_store::{RecordRow, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, Principal};

/// One difference between the stored state and the state its events replay to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StateDifference {
    /// Tenant.
    pub tenant: String,
    /// The aggregate's kind (`deputy`, `organisation`, `suggestion`, `notice` …).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its number, when it has one (a suggestion's `2026-0001`, a card's `LK-2026-0001`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// What differs: a column (`name_key`, `version`, `status`, `parties` …), a path in the stored state
    /// (`state.data.work_unit`), a personal field's presence (`sealed.mobile`), a duplicate key (`keys`),
    /// `row` (no stored row for events) or `events` (a stored row without events), or `event N` (an audit
    /// record of the aggregate that cannot be read as one of its events).
    pub field: String,
    /// The stored value (`—` when absent). Personal values are never shown: only whether they are set.
    pub stored: String,
    /// The value replayed from the events (`—` when absent).
    pub replayed: String,
}

/// The state check's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StateReport {
    /// Aggregates compared.
    pub aggregates: u64,
    /// Events replayed.
    pub events: u64,
    /// Every difference found (empty when the stored state is what the events say).
    pub differences: Vec<StateDifference>,
    /// How long the check took, in milliseconds.
    pub millis: u64,
}

impl StateReport {
    /// True when no difference was found.
    pub fn ok(&self) -> bool {
        self.differences.is_empty()
    }
}

/// `—`: a value that is absent.
pub(crate) const ABSENT: &str = "—";

/// The differences of one aggregate.
pub(crate) struct Found<'a> {
    a: &'a AggregateState,
    number: Option<String>,
    out: Vec<StateDifference>,
}

impl<'a> Found<'a> {
    fn new(a: &'a AggregateState) -> Self {
        let number = match &a.stored {
            Some(Stored::Record(r)) => r.number.clone(),
            _ => None,
        };
        Self { a, number, out: Vec::new() }
    }

    /// Name a difference.
    pub(crate) fn differs(
        &mut self,
        field: impl Into<String>,
        stored: impl Into<String>,
        replayed: impl Into<String>,
    ) {
        self.out.push(StateDifference {
            tenant: self.a.tenant.clone(),
            kind: self.a.kind.clone(),
            id: self.a.id.clone(),
            number: self.number.clone(),
            field: field.into(),
            stored: stored.into(),
            replayed: replayed.into(),
        });
    }

    /// Compare two values of a column.
    pub(crate) fn column<T: PartialEq + std::fmt::Debug>(&mut self, field: &str, stored: &T, replayed: &T) {
        if stored != replayed {
            self.differs(field, shown(stored), shown(replayed));
        }
    }

    /// Name an audit record of the aggregate that is not one of its events.
    pub(crate) fn bad_event(&mut self, r: &liaison_store::AuditRecord, why: &str) {
        self.differs(format!("event {} ({})", r.seq, r.kind), why.to_owned(), ABSENT);
    }
}

/// A value as a difference shows it: text as it is, `None` as `—`.
pub(crate) fn shown<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    let s = match s.strip_prefix("Some(").and_then(|x| x.strip_suffix(')')) {
        Some(inner) => inner.to_owned(),
        None if s == "None" => ABSENT.to_owned(),
        None => s,
    };
    let s = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')).map_or(s.clone(), str::to_owned);
    diff::clip(&s)
}

/// Compare a record's stored row with the row its replayed state makes: version, the columns derived
/// from the state (all but `skip`), the parties and the state itself.
pub(crate) fn compare_row(
    f: &mut Found<'_>,
    stored: &StoredRow,
    parties: &[(String, String)],
    expected: &RecordRow,
    stored_state: Result<serde_json::Value, String>,
    skip: &[&str],
) {
    if f.number.is_none() {
        f.number = expected.number.clone();
    }
    f.column("version", &stored.version, &(expected.version as i64));
    let cols: [(&str, &Option<String>, &Option<String>); 4] = [
        ("number", &stored.number, &expected.number),
        ("department_id", &stored.department, &expected.department),
        ("handler_id", &stored.handler, &expected.handler),
        ("due_on", &stored.due_on, &expected.due_on),
    ];
    for (name, s, e) in cols {
        if !skip.contains(&name) {
            f.column(name, s, e);
        }
    }
    if !skip.contains(&"status") {
        f.column("status", &stored.status, &expected.status);
    }
    if !skip.contains(&"opened_on") {
        f.column("opened_on", &stored.opened_on, &expected.opened_on);
    }
    // Records saved before schema v3 have no summary; a summary stored is compared.
    if let (Some(s), Some(e)) = (&stored.summary, &expected.summary) {
        let (s, e) = (diff::json(s), diff::json(e));
        if s != e {
            f.differs("summary", diff::clip(&s.to_string()), diff::clip(&e.to_string()));
        }
    }
    // Records saved before schema v12 have no report line; a line stored is compared.
    if let (Some(s), Some(e)) = (&stored.line, &expected.line) {
        let (s, e) = (diff::json(s), diff::json(e));
        if s != e {
            f.differs("line", diff::clip(&s.to_string()), diff::clip(&e.to_string()));
        }
    }
    let stored_parties: BTreeSet<(String, String)> = parties.iter().cloned().collect();
    let expected_parties: BTreeSet<(String, String)> =
        [("deputy", &expected.deputies), ("department", &expected.departments), ("tag", &expected.tags)]
            .into_iter()
            .flat_map(|(role, ps)| ps.iter().map(move |p| (role.to_owned(), p.clone())))
            .collect();
    for (role, party) in stored_parties.difference(&expected_parties) {
        f.differs("parties", format!("{role} {party}"), ABSENT);
    }
    for (role, party) in expected_parties.difference(&stored_parties) {
        f.differs("parties", ABSENT, format!("{role} {party}"));
    }
    match stored_state {
        Ok(s) => diff::values(f, "state", &s, &diff::json(&expected.data)),
        Err(e) => f.differs("state", format!("unreadable: {e}"), diff::clip(&expected.data)),
    }
}

impl App {
    /// Replay every aggregate's events and compare with the stored state; every difference is named.
    /// Reveals no personal data (only whether a personal field is set); the HTTP API requires the
    /// auditor's permission, the CLI access to the database and its key.
    pub fn verify_state(&self) -> Result<StateReport, AppError> {
        let started = std::time::Instant::now();
        let mut report = StateReport::default();
        let keys = self.store.keys().clone();
        let cx = kinds::Cx { calendar: &self.calendar };
        let mut kinds: Vec<&str> = vec![deputy::KIND, kinds::ORGANISATION];
        kinds.extend(kinds::RECORD_KINDS);
        self.store.scan_state(&kinds, &mut |a: AggregateState| -> Result<(), StoreError> {
            report.aggregates += 1;
            report.events += a.events.len() as u64;
            let mut f = Found::new(&a);
            for d in &a.unreadable {
                f.differs(
                    format!("event {} ({})", d.seq.map_or_else(|| "?".to_owned(), |s| s.to_string()), d.kind),
                    format!("unreadable: {}", d.reason),
                    ABSENT,
                );
            }
            match (&a.stored, a.events.is_empty()) {
                // A number's code-login state is a limiter, like an account's login guard: its records say
                // what happened without the code's hash, so it is not replayed (nor is the guard).
                _ if a.kind == crate::login::CODE_LOGIN => {}
                (None, true) if a.keys.is_empty() && a.parties.is_empty() => {}
                (None, true) => f.differs("row", ABSENT, "keys or parties of no stored aggregate"),
                (Some(_), true) if a.unreadable.is_empty() => f.differs("events", "stored", "no events"),
                (Some(_), true) => {}
                _ if a.kind == deputy::KIND => deputy::check(&mut f, &keys, &a),
                _ => kinds::check(&mut f, &cx, &a),
            }
            report.differences.append(&mut f.out);
            Ok(())
        })?;
        report.millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report)
    }

    /// The state check, as a user with the `verify_audit` permission (the auditor).
    pub fn verify_state_as(&self, p: &Principal) -> Result<StateReport, AppError> {
        p.require(Action::VerifyAudit)?;
        self.verify_state()
    }
}

#[cfg(test)]
mod tests;
